//! A publication as a set of files: everything one disclosure publishes (the public page,
//! the canonical JSON, the open data), each with its path relative to the publication's
//! directory and its media type. The renderers fill a [`Bundle`]; the sinks (the directory,
//! the portal) take it as it is, so what is published is the same whichever sink carries
//! it.

use budgetflow_model::{Document, Lang};

use crate::{html, open_data};

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

/// The open data's description inside a publication.
pub const DATAPACKAGE: &str = open_data::datapackage::PATH;

/// The public workbook's path inside a publication.
pub const WORKBOOK: &str = "data/workbook.xlsx";

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Renders every artifact of `doc`'s publication with its page in Chinese, the default
/// ([`render_in`] with [`Lang::Zh`]).
pub fn render(doc: &Document) -> Bundle {
    render_in(doc, Lang::Zh)
}

/// Renders every artifact of `doc`'s publication: the page, the canonical JSON and the XLSX
/// workbook in their public form (details of classified projects removed, see
/// [`open_data::redacted`]), one CSV per table of the document's template and the data package describing them.
/// `lang` is the language of the page's chrome; the data (JSON, CSV, workbook, data package)
/// is the same in either.
///
/// A workbook cell holds at most 32,767 characters: a document with a longer paragraph has no
/// workbook (and the data package does not list one); nor has a document of another template
/// than the workbook's 11 tables (a Shanghai PDF: its page, CSVs and JSON carry every figure);
/// every other artifact is still rendered.
pub fn render_in(doc: &Document, lang: Lang) -> Bundle {
    let public = open_data::redacted(doc);
    let resources = open_data::resources(doc);
    let workbook = budgetflow_workbook::write_public(&public).ok();
    let mut artifacts = Vec::with_capacity(resources.len() + 4);
    artifacts.push(Artifact {
        path: PAGE.to_string(),
        media_type: "text/html; charset=utf-8",
        bytes: html::page(doc, lang).into_bytes(),
    });
    artifacts.push(Artifact {
        path: DOCUMENT_JSON.to_string(),
        media_type: "application/json",
        bytes: budgetflow_formats::json::write(&public).into_bytes(),
    });
    for r in &resources {
        artifacts.push(Artifact {
            path: r.path.clone(),
            media_type: "text/csv; charset=utf-8",
            bytes: open_data::csv(r),
        });
    }
    let described = open_data::datapackage::Files {
        document_json: DOCUMENT_JSON,
        workbook: workbook.as_ref().map(|_| (WORKBOOK, XLSX)),
    };
    artifacts.push(Artifact {
        path: DATAPACKAGE.to_string(),
        media_type: "application/json",
        bytes: open_data::datapackage::write(doc, &resources, &described).into_bytes(),
    });
    if let Some(bytes) = workbook {
        artifacts.push(Artifact {
            path: WORKBOOK.to_string(),
            media_type: XLSX,
            bytes,
        });
    }
    Bundle {
        department: doc.identity.department.clone(),
        fiscal_year: doc.identity.fiscal_year.get(),
        artifacts,
    }
}
