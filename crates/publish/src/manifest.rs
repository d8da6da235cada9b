//! The manifest of a publication: every artifact of a [`Bundle`] with its path, media type,
//! byte size and SHA-256, and the publication's [`Version`], derived from that content alone.
//!
//! The same bundle always has the same version, whichever sink carries it and however often
//! it is rendered; any change to any artifact gives a new one. The directory sink names a
//! version's directory by it and writes `manifest.json` last; the portal sink sends it.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::bundle::Bundle;

/// The manifest's file name inside a version's directory.
pub const MANIFEST: &str = "manifest.json";

/// The schema string of `manifest.json`.
pub const SCHEMA: &str = "budgetflow.manifest/1";

/// Hex digits of the content hash that name a version (64 bits).
const VERSION_DIGITS: usize = 16;

/// A publication's version: the first 16 hex digits of the SHA-256 over its artifacts'
/// paths, media types and hashes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Version(String);

impl Version {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One artifact as the manifest lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub path: String,
    pub media_type: String,
    pub bytes: u64,
    /// Lowercase hex.
    pub sha256: String,
}

/// Everything a publication holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: String,
    pub department: String,
    pub fiscal_year: i32,
    pub version: Version,
    pub artifacts: Vec<ManifestEntry>,
}

impl Manifest {
    /// The manifest of `bundle`, artifacts in the bundle's order.
    pub fn of(bundle: &Bundle) -> Manifest {
        let artifacts: Vec<ManifestEntry> = bundle
            .artifacts
            .iter()
            .map(|artifact| ManifestEntry {
                path: artifact.path.clone(),
                media_type: artifact.media_type.to_owned(),
                bytes: artifact.bytes.len() as u64,
                sha256: hex::encode(Sha256::digest(&artifact.bytes)),
            })
            .collect();
        let mut hasher = Sha256::new();
        for entry in &artifacts {
            for field in [&entry.path, &entry.media_type, &entry.sha256] {
                hasher.update(field.as_bytes());
                hasher.update([0]);
            }
        }
        let mut version = hex::encode(hasher.finalize());
        version.truncate(VERSION_DIGITS);
        Manifest {
            schema: SCHEMA.to_owned(),
            department: bundle.department.clone(),
            fiscal_year: bundle.fiscal_year,
            version: Version(version),
            artifacts,
        }
    }

    /// The JSON written as `manifest.json` (pretty, newline-terminated).
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a manifest serialises");
        json.push('\n');
        json
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{self, DOCUMENT_JSON, PAGE};

    #[test]
    fn lists_every_artifact_with_size_and_hash_and_the_version_follows_the_content() {
        let doc = budgetflow_synth::document(11, 2);
        let bundle = bundle::render(&doc);
        let manifest = Manifest::of(&bundle);
        assert_eq!(manifest.artifacts.len(), bundle.artifacts.len());
        let page = manifest.artifacts.iter().find(|a| a.path == PAGE).unwrap();
        let html = &bundle.get(PAGE).unwrap().bytes;
        assert_eq!(page.bytes, html.len() as u64);
        assert_eq!(page.sha256, hex::encode(Sha256::digest(html)));
        assert_eq!(page.media_type, "text/html; charset=utf-8");
        assert_eq!(manifest.version.as_str().len(), 16);
        assert_eq!(
            Manifest::of(&bundle::render(&doc)).version,
            manifest.version
        );

        let mut changed = bundle.clone();
        let json = changed
            .artifacts
            .iter_mut()
            .find(|a| a.path == DOCUMENT_JSON)
            .unwrap();
        json.bytes.push(b' ');
        assert_ne!(Manifest::of(&changed).version, manifest.version);
    }

    #[test]
    fn the_json_form_round_trips() {
        let manifest = Manifest::of(&bundle::render(&budgetflow_synth::document(11, 3)));
        let read: Manifest = serde_json::from_str(&manifest.to_json()).unwrap();
        assert_eq!(read, manifest);
        assert!(manifest
            .to_json()
            .contains("\"schema\": \"budgetflow.manifest/1\""));
    }
}
