//! The publication archive: the directory sink. Every version of every department's
//! disclosure stays addressable; a `current.json` pointer names the newest.
//!
//! ```text
//! <root>/<department>/<year>/<version>/index.html, data/…   the bundle's artifacts
//! <root>/<department>/<year>/<version>/manifest.json        written last
//! <root>/<department>/<year>/current.json                   the current version
//! <root>/index.html                                         every department's current version
//! ```
//!
//! A version is named by its content ([`Version`]), so a directory holding a version's
//! `manifest.json` holds all of it, and any file already in a version's directory has the
//! bytes the bundle would write. Publishing writes the missing artifacts (each atomically,
//! never over an existing one), then the manifest, then moves the pointer: a publication
//! interrupted anywhere is completed by the next attempt, and publishing the same content
//! again writes nothing at all. A new version of the same department and year becomes
//! current; the old one stays where it was. The pointer carries the version's
//! [`IndexEntry`]; after each publication the site index is rebuilt from every pointer under
//! the root ([`site::index_page`], in the archive's language: Chinese unless
//! [`Archive::with_lang`] says otherwise) and written if it changed. Pointer and index are updated
//! under an exclusive lock on `<root>/.lock`, so concurrent publishers (tasks or processes
//! sharing the volume) never lose each other's update.

use std::path::{Path, PathBuf};

use budgetflow_model::{Document, Lang};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::bundle::{Bundle, PAGE};
use crate::directory::{replace, write_once, WriteError, Written};
use crate::manifest::{Manifest, Version, MANIFEST};
use crate::site::{self, IndexEntry};

/// The pointer's file name inside a department's year directory.
pub const CURRENT: &str = "current.json";

/// The site index's file name in the root.
pub const SITE_INDEX: &str = "index.html";

/// The lock file serialising pointer and index updates, in the root.
const LOCK: &str = ".lock";

/// Why a publication could not be written (transient for the stage: a full or unmounted
/// disk, a directory in the way).
#[derive(Debug, Error)]
pub enum ArchiveError {
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("locking {path}: {source}")]
    Lock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// `current.json`: which version of a department's year is the current one. `page` and
/// `manifest` are relative to the year directory; the entry's `href` to the root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Current {
    pub version: Version,
    pub page: String,
    pub manifest: String,
    pub entry: IndexEntry,
}

/// Where a publication went and what writing it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub version: Version,
    /// The version's public page.
    pub page: PathBuf,
    /// The version's manifest.
    pub manifest: PathBuf,
    /// Some file of the version was written now (false: it was complete already).
    pub written: bool,
    /// The pointer was moved to this version now (false: it was current already).
    pub made_current: bool,
    /// The site index.
    pub site_index: PathBuf,
}

/// A publication directory.
#[derive(Clone, Debug)]
pub struct Archive {
    root: PathBuf,
    lang: Lang,
}

impl Archive {
    /// The archive in `root`, its site index in Chinese.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Archive {
            root: root.into(),
            lang: Lang::Zh,
        }
    }

    /// The same archive with its site index in `lang` (the pages are rendered by the caller:
    /// render them in the same language, [`crate::bundle::render_in`]).
    pub fn with_lang(self, lang: Lang) -> Self {
        Archive { lang, ..self }
    }

    /// The language of the site index.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/<department>/<year>`.
    pub fn year_dir(&self, department: &str, fiscal_year: i32) -> PathBuf {
        self.root
            .join(path_segment(department))
            .join(fiscal_year.to_string())
    }

    /// The directory a bundle's version is written to.
    pub fn version_dir(&self, bundle: &Bundle) -> PathBuf {
        let manifest = Manifest::of(bundle);
        self.year_dir(&bundle.department, bundle.fiscal_year)
            .join(manifest.version.as_str())
    }

    /// The current version of a department's year, if one was published.
    pub fn current(&self, department: &str, fiscal_year: i32) -> Option<Current> {
        let path = self.year_dir(department, fiscal_year).join(CURRENT);
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    /// Writes `bundle`, the rendering of `doc` ([`crate::bundle::render`]), as a version
    /// (unless it is complete already), makes it current and rebuilds the site index.
    pub fn publish(&self, doc: &Document, bundle: &Bundle) -> Result<Published, ArchiveError> {
        let manifest = Manifest::of(bundle);
        let year_dir = self.year_dir(&bundle.department, bundle.fiscal_year);
        let version_dir = year_dir.join(manifest.version.as_str());
        let mut written = false;
        if !version_dir.join(MANIFEST).is_file() {
            for artifact in &bundle.artifacts {
                let created = write_once(&version_dir, &artifact.path, &artifact.bytes)?;
                written |= matches!(created, Written::Created(_));
            }
            let created = write_once(&version_dir, MANIFEST, manifest.to_json().as_bytes())?;
            written |= matches!(created, Written::Created(_));
        }
        let version = manifest.version;
        let href = format!(
            "{}/{}/{version}/{PAGE}",
            path_segment(&bundle.department),
            bundle.fiscal_year
        );
        let current = Current {
            page: format!("{version}/{PAGE}"),
            manifest: format!("{version}/{MANIFEST}"),
            version: version.clone(),
            entry: IndexEntry::of(doc, &href),
        };
        let _lock = self.lock()?;
        let pointer = serde_json::to_string_pretty(&current).expect("a pointer serialises") + "\n";
        let made_current = replace(&year_dir, CURRENT, pointer.as_bytes())?;
        let index = site::index_page(&self.entries(), self.lang);
        replace(&self.root, SITE_INDEX, index.as_bytes())?;
        Ok(Published {
            site_index: self.root.join(SITE_INDEX),
            page: version_dir.join(PAGE),
            manifest: version_dir.join(MANIFEST),
            version,
            written,
            made_current,
        })
    }

    /// The index entry of every department's current version, by department and year.
    pub fn entries(&self) -> Vec<IndexEntry> {
        let mut entries: Vec<IndexEntry> = subdirectories(&self.root)
            .flat_map(|department| subdirectories(&department))
            .filter_map(|year| {
                let pointer = std::fs::read(year.join(CURRENT)).ok()?;
                serde_json::from_slice::<Current>(&pointer).ok()
            })
            .map(|current| current.entry)
            .collect();
        entries.sort_by(|a, b| {
            (a.department.as_str(), a.fiscal_year).cmp(&(b.department.as_str(), b.fiscal_year))
        });
        entries
    }

    /// Holds the root's lock until dropped.
    fn lock(&self) -> Result<std::fs::File, ArchiveError> {
        let path = self.root.join(LOCK);
        let error = |source| ArchiveError::Lock {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&self.root).map_err(error)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(error)?;
        file.lock().map_err(error)?;
        Ok(file)
    }
}

fn subdirectories(dir: &Path) -> impl Iterator<Item = PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .map(|entry| entry.path())
}

/// A department name as one directory name: path separators, control characters and the
/// characters a URL treats specially (`#`, `?`, `%`) become `_`, as does a leading `.`, so a
/// name can neither leave the root nor hide.
pub fn path_segment(name: &str) -> String {
    let segment: String = name
        .trim()
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if matches!(c, '/' | '\\' | '#' | '?' | '%') || c.is_control() || (i == 0 && c == '.') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if segment.is_empty() {
        "_".to_owned()
    } else {
        segment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_cannot_leave_the_root_or_hide() {
        assert_eq!(
            path_segment("乌鲁木齐市工业和信息化局"),
            "乌鲁木齐市工业和信息化局"
        );
        assert_eq!(path_segment("../etc"), "_._etc");
        assert_eq!(path_segment(".."), "_.");
        assert_eq!(path_segment("a/b\\c#d?e%f\ng"), "a_b_c_d_e_f_g");
        assert_eq!(path_segment("  "), "_");
    }
}
