//! The validate stage: `submission.received` → `submission.validated` or
//! `submission.rejected`.
//!
//! The envelope's `document` (the model's JSON form) is read back into a
//! [`budgetflow_model::Document`]; one that does not deserialize can never be validated and
//! is dead-lettered as poison with the reason. The validator's findings go into the
//! envelope's `findings` as `{"errors", "warnings", "infos", "findings": [...]}` (each
//! finding in the JSON form of `budgetflow validate --format json`, messages in Chinese).
//! A document with no error-level finding moves on to scoring; one with errors is rejected
//! (a business outcome, not a failure).

use std::sync::Arc;

use async_trait::async_trait;
use budgetflow_bus::{Envelope, Event, Outcome, Stage, StageHandler, Transport, WorkQueue};
use budgetflow_model::Document;
use budgetflow_service::{CancellationToken, ServiceError, Settings};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::{Lang, Report};

/// The stage's name: metrics label, state subdirectory, connection name.
pub const NAME: &str = "validate";

/// Validates the document of each envelope.
#[derive(Clone, Copy, Debug, Default)]
pub struct ValidateHandler;

#[async_trait]
impl StageHandler for ValidateHandler {
    async fn handle(&self, mut envelope: Envelope) -> Outcome {
        let document = match Document::deserialize(&envelope.document) {
            Ok(document) => document,
            Err(error) => {
                return Outcome::Poison {
                    reason: format!("the envelope's document is not a budget document: {error}"),
                }
            }
        };
        // Validation is CPU work: keep it off the threads that drive the bus.
        let report = match tokio::task::spawn_blocking(move || crate::validate(&document)).await {
            Ok(report) => report,
            Err(error) => {
                return Outcome::RetryLater {
                    reason: format!("the validator did not finish: {error}"),
                }
            }
        };
        envelope.findings = findings_json(&report);
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

/// The `findings` field of the envelope for a report.
pub fn findings_json(report: &Report) -> Value {
    json!({
        "errors": report.errors(),
        "warnings": report.warnings(),
        "infos": report.infos(),
        "findings": report.findings.iter().map(|f| f.to_json(Lang::Zh)).collect::<Vec<_>>(),
    })
}

/// The stage with an in-memory idempotency store (`budgetflow run`).
pub fn stage() -> Stage {
    Stage::new(NAME, WorkQueue::Validate, ValidateHandler)
}

/// The stage as a service: durable store, configured prefetch and retry.
pub async fn run(
    settings: Settings,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), ServiceError> {
    budgetflow_service::run_stage(
        NAME,
        WorkQueue::Validate,
        ValidateHandler,
        &settings,
        transport,
        shutdown,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(document: Value) -> Envelope {
        Envelope::new(uuid::Uuid::new_v4(), "部门", 2025, 1, b"x", document)
    }

    #[tokio::test]
    async fn a_consistent_document_moves_on_with_its_findings() {
        let doc = budgetflow_synth::document(3, 0);
        let outcome = ValidateHandler
            .handle(envelope(serde_json::to_value(&doc).unwrap()))
            .await;
        let Outcome::Done { event, envelope } = outcome else {
            panic!("a synthetic document is consistent: {outcome:?}");
        };
        assert_eq!(event, Event::Validated);
        assert_eq!(envelope.findings["errors"], 0);
        let findings = envelope.findings["findings"].as_array().unwrap();
        assert_eq!(
            findings.len() as u64,
            envelope.findings["infos"].as_u64().unwrap()
                + envelope.findings["warnings"].as_u64().unwrap()
        );
    }

    #[tokio::test]
    async fn a_document_with_errors_is_rejected_and_garbage_is_poison() {
        let mut doc = budgetflow_synth::document(3, 1);
        doc.tables.overall.as_mut().expect("table 1").revenue_total =
            Some("999999.99".parse().unwrap());
        let outcome = ValidateHandler
            .handle(envelope(serde_json::to_value(&doc).unwrap()))
            .await;
        let Outcome::Rejected { envelope } = outcome else {
            panic!("a wrong total is an error: {outcome:?}");
        };
        assert!(envelope.findings["errors"].as_u64().unwrap() > 0);

        let outcome = ValidateHandler.handle(envelope_with_garbage()).await;
        assert!(
            matches!(outcome, Outcome::Poison { reason } if reason.contains("not a budget document"))
        );
    }

    fn envelope_with_garbage() -> Envelope {
        envelope(json!({"identity": "nobody"}))
    }
}
