//! The validate stage: `submission.received` → `submission.validated` or
//! `submission.rejected`.
//!
//! The envelope's `document` (the model's JSON form) is read back into a
//! [`budgetflow_model::Document`]; one that does not deserialize can never be validated and
//! is dead-lettered as poison with the reason. The department's disclosure of the year before
//! is looked up by reference — its department code (the envelope's registered one, or one
//! derived from the name without a ledger) and the year — in the [`PreviousYear`] the stage
//! was built with (the ledger, or the published directory: [`crate::previous`]); envelopes
//! never carry it. The document is validated against it ([`crate::validate_with`]): the
//! `Y.*` findings, or one `Y.no-previous` info when nothing was published for last year.
//!
//! The validator's findings go into the envelope's `findings` as `{"errors", "warnings",
//! "infos", "findings": [...]}` (each finding in the JSON form of `budgetflow validate
//! --format json`, messages in Chinese). A document with no error-level finding moves on to
//! scoring; one with errors is rejected (a business outcome, not a failure). What a failure
//! does to the message is decided in one place, [`ValidateError::outcome`].

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use budgetflow_bus::{Envelope, Event, Outcome, Part, Stage, StageHandler, Transport, WorkQueue};
use budgetflow_model::{DepartmentCode, Document, InvalidCode};
use budgetflow_service::{CancellationToken, ServiceError, Settings};
use serde_json::json;
use thiserror::Error;

use crate::previous::{LedgerLookup, LookupError, PreviousYear, PublishedDirectory};
use crate::{Lang, Previous, Report};

/// The stage's name: metrics label, state subdirectory, connection name.
pub const NAME: &str = "validate";

/// Why an envelope was not validated.
#[derive(Debug, Error)]
pub enum ValidateError {
    #[error("the envelope's document is not a budget document: {0}")]
    NotADocument(#[source] serde_json::Error),
    #[error("the envelope's {0}")]
    DepartmentCode(#[from] InvalidCode),
    #[error(transparent)]
    Lookup(#[from] LookupError),
    #[error("the validator did not finish: {0}")]
    Validator(#[from] tokio::task::JoinError),
}

impl ValidateError {
    /// The one place deciding what a failure does to the message: what can never succeed is
    /// dead-lettered with the reason, the rest (a ledger or a volume not answering now) is
    /// retried later.
    pub fn outcome(self) -> Outcome {
        let permanent = match &self {
            ValidateError::NotADocument(_) | ValidateError::DepartmentCode(_) => true,
            ValidateError::Lookup(lookup) => lookup.is_permanent(),
            ValidateError::Validator(_) => false,
        };
        let reason = self.to_string();
        if permanent {
            Outcome::Poison { reason }
        } else {
            Outcome::RetryLater { reason }
        }
    }
}

/// Validates the document of each envelope against the department's disclosure of the year
/// before, found in `previous`.
#[derive(Clone, Debug)]
pub struct ValidateHandler {
    previous: Arc<dyn PreviousYear>,
}

impl ValidateHandler {
    pub fn new(previous: Arc<dyn PreviousYear>) -> Self {
        ValidateHandler { previous }
    }

    async fn validate(&self, envelope: &Envelope) -> Result<Report, ValidateError> {
        let document: Document = envelope
            .read_document()
            .map_err(ValidateError::NotADocument)?;
        let code = DepartmentCode::registered_or_derived(
            envelope.department_code.as_deref(),
            &document.identity.department,
        )?;
        let last_year = document.identity.fiscal_year.previous().get();
        let previous = self.previous.published(&code, last_year).await?;
        // Validation is CPU work: keep it off the threads that drive the bus.
        let report = tokio::task::spawn_blocking(move || {
            let previous = match &previous {
                Some(previous) => Previous::Found(previous),
                None => Previous::Missing,
            };
            crate::validate_with(&document, previous)
        })
        .await?;
        Ok(report)
    }
}

#[async_trait]
impl StageHandler for ValidateHandler {
    async fn handle(&self, mut envelope: Envelope) -> Outcome {
        let report = match self.validate(&envelope).await {
            Ok(report) => report,
            Err(error) => return error.outcome(),
        };
        envelope.findings = Some(findings_part(&report));
        if report.has_errors() {
            Outcome::Rejected { envelope }
        } else {
            Outcome::Done {
                event: Event::Validated,
                envelope,
            }
        }
    }
}

/// The `findings` part of the envelope for a report.
pub fn findings_part(report: &Report) -> Part {
    let findings = json!({
        "errors": report.errors(),
        "warnings": report.warnings(),
        "infos": report.infos(),
        "findings": report.findings.iter().map(|f| f.to_json(Lang::Zh)).collect::<Vec<_>>(),
    });
    Part::of(&findings).expect("a JSON value is always written")
}

/// The stage with an in-memory idempotency store (`budgetflow run`, `budgetflow serve`),
/// finding last year's disclosure in `previous`.
pub fn stage(previous: Arc<dyn PreviousYear>) -> Stage {
    Stage::new(NAME, WorkQueue::Validate, ValidateHandler::new(previous))
}

/// Where the service finds last year's disclosure: the ledger when `ingest.database_url`
/// (alias `DATABASE_URL`) names one, else the publish stage's archive in `publish.out_dir`
/// (a volume shared with the publish service).
pub async fn previous_year(settings: &Settings) -> Result<Arc<dyn PreviousYear>, ServiceError> {
    if settings.ingest.database_url.is_empty() {
        return Ok(Arc::new(PublishedDirectory::new(PathBuf::from(
            &settings.publish.out_dir,
        ))));
    }
    let ledger = budgetflow_ledger::Ledger::connect(&settings.ingest.database_url)
        .await
        .map_err(|e| ServiceError::Io {
            what: "opening the ledger database".to_owned(),
            source: std::io::Error::other(e),
        })?;
    Ok(Arc::new(LedgerLookup::new(ledger)))
}

/// The stage as a service: durable store, configured prefetch and retry.
pub async fn run(
    settings: Settings,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), ServiceError> {
    let previous = previous_year(&settings).await?;
    budgetflow_service::run_stage(
        NAME,
        WorkQueue::Validate,
        ValidateHandler::new(previous),
        &settings,
        transport,
        shutdown,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(document: serde_json::Value) -> Envelope {
        let document = Part::of(&document).unwrap();
        Envelope::new(uuid::Uuid::new_v4(), "部门", 2025, 1, b"x", document)
    }

    /// A place that answers the year-over-year lookup with `answer`.
    #[derive(Debug)]
    struct Answering(fn() -> Result<Option<Document>, LookupError>);

    #[async_trait]
    impl PreviousYear for Answering {
        async fn published(
            &self,
            _: &DepartmentCode,
            _: i32,
        ) -> Result<Option<Document>, LookupError> {
            (self.0)()
        }
    }

    /// A handler for which nothing was published last year.
    fn handler() -> ValidateHandler {
        ValidateHandler::new(Arc::new(Answering(|| Ok(None))))
    }

    /// The findings the stage added to `envelope`.
    fn findings(envelope: &Envelope) -> serde_json::Value {
        envelope
            .findings
            .as_ref()
            .expect("findings")
            .read()
            .unwrap()
    }

    fn year_over_year(envelope: &Envelope) -> Vec<String> {
        findings(envelope)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["rule"].as_str())
            .filter(|rule| rule.starts_with("Y."))
            .map(str::to_owned)
            .collect()
    }

    #[tokio::test]
    async fn a_consistent_document_moves_on_with_its_findings() {
        let doc = budgetflow_synth::document(3, 0);
        let outcome = handler()
            .handle(envelope(serde_json::to_value(&doc).unwrap()))
            .await;
        let Outcome::Done { event, envelope } = outcome else {
            panic!("a synthetic document is consistent: {outcome:?}");
        };
        assert_eq!(event, Event::Validated);
        let findings = findings(&envelope);
        assert_eq!(findings["errors"], 0);
        assert_eq!(year_over_year(&envelope), ["Y.no-previous"]);
        assert_eq!(
            findings["findings"].as_array().unwrap().len() as u64,
            findings["infos"].as_u64().unwrap() + findings["warnings"].as_u64().unwrap()
        );
    }

    #[tokio::test]
    async fn a_document_with_errors_is_rejected_and_garbage_is_poison() {
        let mut doc = budgetflow_synth::document(3, 1);
        doc.tables.overall.as_mut().expect("table 1").revenue_total =
            Some("999999.99".parse().unwrap());
        let outcome = handler()
            .handle(envelope(serde_json::to_value(&doc).unwrap()))
            .await;
        let Outcome::Rejected { envelope } = outcome else {
            panic!("a wrong total is an error: {outcome:?}");
        };
        assert!(findings(&envelope)["errors"].as_u64().unwrap() > 0);

        let outcome = handler().handle(envelope_with_garbage()).await;
        assert!(
            matches!(outcome, Outcome::Poison { reason } if reason.contains("not a budget document"))
        );
    }

    #[tokio::test]
    async fn a_ledger_not_answering_is_retried_and_an_unreadable_last_year_is_poison() {
        let doc = serde_json::to_value(budgetflow_synth::document(3, 0)).unwrap();
        let down = ValidateHandler::new(Arc::new(Answering(|| {
            Err(LookupError::Ledger(
                budgetflow_ledger::LedgerError::Corrupt("no answer".into()),
            ))
        })));
        let outcome = down.handle(envelope(doc.clone())).await;
        assert!(
            matches!(&outcome, Outcome::RetryLater { reason } if reason.contains("ledger")),
            "{outcome:?}"
        );
        let unreadable = ValidateHandler::new(Arc::new(Answering(|| {
            Err(LookupError::Unreadable {
                what: "submission x".into(),
                reason: "line 1: not a table".into(),
            })
        })));
        let outcome = unreadable.handle(envelope(doc)).await;
        assert!(
            matches!(&outcome, Outcome::Poison { reason } if reason.contains("submission x")),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn last_years_disclosure_is_looked_up_by_the_department_code_and_the_year_before() {
        #[derive(Debug, Default)]
        struct Asked(std::sync::Mutex<Vec<(String, i32)>>);
        #[async_trait]
        impl PreviousYear for Asked {
            async fn published(
                &self,
                code: &DepartmentCode,
                year: i32,
            ) -> Result<Option<Document>, LookupError> {
                self.0
                    .lock()
                    .unwrap()
                    .push((code.as_str().to_owned(), year));
                Ok(None)
            }
        }
        let asked = Arc::new(Asked::default());
        let handler = ValidateHandler::new(asked.clone());
        let mut registered =
            envelope(serde_json::to_value(budgetflow_synth::document(3, 0)).unwrap());
        registered.department_code = Some("miit".to_owned());
        handler.handle(registered).await;
        let year = budgetflow_synth::document(3, 0).identity.fiscal_year.get();
        assert_eq!(*asked.0.lock().unwrap(), [("miit".to_owned(), year - 1)]);
    }

    fn envelope_with_garbage() -> Envelope {
        envelope(json!({"identity": "nobody"}))
    }
}
