//! Where the validate stage finds a department's disclosure of the year before (feature
//! `stage`), so that the year-over-year rules (`Y.*`) can check the changes it states.
//!
//! The stage asks by reference — department code and year — and gets one document back;
//! envelopes never carry old documents. Two places answer ([`PreviousYear`]):
//!
//! - [`LedgerLookup`]: the ledger, when the system has one — the latest *published* version
//!   of the department's year, read again from the bytes the ledger keeps;
//! - [`PublishedDirectory`]: without a ledger (`budgetflow run`), the publish stage's archive
//!   — the current version's public canonical JSON (`<code>/<year>/current.json` →
//!   `<version>/data/document.json`).
//!
//! Either way it is what the public saw: a version that was submitted but never published is
//! not "last year's disclosure". Whether a failed lookup is retried or dead-lettered is
//! decided with the stage's other failures in [`crate::stage::ValidateError::outcome`].

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use budgetflow_ledger::{Ledger, LedgerError};
use budgetflow_model::{DepartmentCode, Document};
use budgetflow_publish::archive::Archive;
use budgetflow_publish::bundle::DOCUMENT_JSON;
use thiserror::Error;

/// The media type of an XLSX workbook as the ledger records it (the API's `Content-Type`).
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Why last year's disclosure could not be looked up.
#[derive(Debug, Error)]
pub enum LookupError {
    /// The ledger did not answer (a database blip): the lookup may succeed later.
    #[error("looking up last year's disclosure in the ledger: {0}")]
    Ledger(#[from] LedgerError),
    /// The published directory could not be read (an unmounted volume): it may be later.
    #[error("reading last year's disclosure at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Last year's disclosure is there but cannot be read as a document: it never will be.
    #[error("last year's published disclosure ({what}) is not a readable document: {reason}")]
    Unreadable { what: String, reason: String },
}

impl LookupError {
    /// `true` when asking again cannot help.
    pub fn is_permanent(&self) -> bool {
        matches!(self, LookupError::Unreadable { .. })
    }
}

/// Finds the published disclosure of a department's year.
#[async_trait]
pub trait PreviousYear: Debug + Send + Sync {
    /// The disclosure of department `code` for `fiscal_year` the public saw last, if any.
    async fn published(
        &self,
        code: &DepartmentCode,
        fiscal_year: i32,
    ) -> Result<Option<Document>, LookupError>;
}

/// Last year's disclosure from the ledger: the latest published version's original bytes,
/// read as the media type they were submitted as.
#[derive(Clone, Debug)]
pub struct LedgerLookup {
    ledger: Ledger,
}

impl LedgerLookup {
    pub fn new(ledger: Ledger) -> Self {
        LedgerLookup { ledger }
    }
}

#[async_trait]
impl PreviousYear for LedgerLookup {
    async fn published(
        &self,
        code: &DepartmentCode,
        fiscal_year: i32,
    ) -> Result<Option<Document>, LookupError> {
        let Some(content) = self.ledger.latest_published(code, fiscal_year).await? else {
            return Ok(None);
        };
        let what = format!("submission {}", content.id);
        // Reading is CPU work (a PDF, a workbook): off the threads that drive the bus.
        let read = tokio::task::spawn_blocking(move || {
            let media_type = content.content_type.split(';').next().unwrap_or_default();
            if media_type.trim().eq_ignore_ascii_case(XLSX) {
                budgetflow_workbook::read(&content.bytes, &budgetflow_workbook::Limits::default())
                    .map_err(|e| e.to_string())
            } else {
                budgetflow_formats::read_any(&content.bytes).map_err(|e| e.to_string())
            }
        })
        .await;
        match read {
            Ok(Ok(document)) => Ok(Some(document)),
            Ok(Err(reason)) => Err(LookupError::Unreadable { what, reason }),
            Err(panicked) => Err(LookupError::Unreadable {
                what,
                reason: panicked.to_string(),
            }),
        }
    }
}

/// Last year's disclosure from the publish stage's archive: the current version's public
/// canonical JSON.
#[derive(Clone, Debug)]
pub struct PublishedDirectory {
    archive: Archive,
}

impl PublishedDirectory {
    /// The archive the publish stage writes into `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        PublishedDirectory {
            archive: Archive::new(root),
        }
    }
}

#[async_trait]
impl PreviousYear for PublishedDirectory {
    async fn published(
        &self,
        code: &DepartmentCode,
        fiscal_year: i32,
    ) -> Result<Option<Document>, LookupError> {
        let Some(current) = self.archive.current(code, fiscal_year) else {
            return Ok(None);
        };
        let version_dir = self.archive.year_dir(code, fiscal_year);
        let path = version_dir
            .join(current.version.as_str())
            .join(DOCUMENT_JSON);
        tokio::task::spawn_blocking(move || read_json(&path))
            .await
            .map_err(|panicked| LookupError::Unreadable {
                what: "the published directory".to_owned(),
                reason: panicked.to_string(),
            })?
            .map(Some)
    }
}

/// A published canonical JSON (size-checked before it is loaded).
fn read_json(path: &Path) -> Result<Document, LookupError> {
    let bytes = budgetflow_formats::decode::read_limited(path).map_err(|error| match error {
        budgetflow_formats::ReadError::Io { source, .. } => LookupError::Io {
            path: path.to_owned(),
            source,
        },
        other => LookupError::Unreadable {
            what: path.display().to_string(),
            reason: other.to_string(),
        },
    })?;
    budgetflow_formats::read_any(&bytes).map_err(|e| LookupError::Unreadable {
        what: path.display().to_string(),
        reason: e.to_string(),
    })
}
