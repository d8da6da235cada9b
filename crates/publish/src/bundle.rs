//! A publication as a set of files: everything one disclosure publishes (the public page,
//! the canonical JSON, the open data), each with its path relative to the publication's
//! directory and its media type. The renderers fill a [`Bundle`]; the sinks (the directory,
//! the portal) take it as it is, so what is published is the same whichever sink carries
//! it.

use budgetflow_model::Document;

use crate::html;

/// One file of a publication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    /// The path inside the publication, `/`-separated, relative (e.g. `index.html`,
    /// `data/table-01.csv`).
    pub path: String,
    /// The IANA media type, with the charset for text.
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Everything one disclosure publishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub department: String,
    pub fiscal_year: i32,
    pub artifacts: Vec<Artifact>,
}

impl Bundle {
    /// The artifact at `path`, if the bundle has one.
    pub fn get(&self, path: &str) -> Option<&Artifact> {
        self.artifacts.iter().find(|a| a.path == path)
    }
}

/// The public page's path inside a publication.
pub const PAGE: &str = "index.html";
/// The canonical JSON's path inside a publication.
pub const DOCUMENT_JSON: &str = "data/document.json";

/// Renders every artifact of `doc`'s publication.
pub fn render(doc: &Document) -> Bundle {
    let artifacts = vec![
        Artifact {
            path: PAGE.to_string(),
            media_type: "text/html; charset=utf-8",
            bytes: html::page(doc).into_bytes(),
        },
        Artifact {
            path: DOCUMENT_JSON.to_string(),
            media_type: "application/json",
            bytes: budgetflow_formats::json::write(doc).into_bytes(),
        },
    ];
    Bundle {
        department: doc.identity.department.clone(),
        fiscal_year: doc.identity.fiscal_year.get(),
        artifacts,
    }
}
