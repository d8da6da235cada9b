//! The score stage: `submission.validated` → `submission.scored`.
//!
//! The handler reviews the document's performance targets ([`crate::review`]) and attaches
//! the review to the envelope as `scores: {"review": …}` (the JSON of
//! [`crate::render::ScoreReport`]); everything else in the envelope goes on unchanged. A
//! document that does not deserialise can never be reviewed: it is dead-lettered.

use std::sync::Arc;

use async_trait::async_trait;
use budgetflow_bus::{Envelope, Event, Outcome, Part, Stage, StageHandler, Transport, WorkQueue};
use budgetflow_model::Document;
use budgetflow_service::{CancellationToken, ServiceError, Settings};

use crate::render::ScoreReport;

/// The stage's name: metrics label, state subdirectory, connection name.
pub const NAME: &str = "score";

/// Attaches the target review to each envelope.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScoreHandler;

#[async_trait]
impl StageHandler for ScoreHandler {
    async fn handle(&self, mut envelope: Envelope) -> Outcome {
        let doc: Document = match envelope.read_document() {
            Ok(doc) => doc,
            Err(e) => {
                return Outcome::Poison {
                    reason: format!("score: the document does not deserialise: {e}"),
                }
            }
        };
        let review = crate::review(&doc);
        let report = ScoreReport {
            review: &review,
            scorecards: None,
        };
        envelope.scores = Some(Part::of(&report).expect("a score report serialises"));
        Outcome::Done {
            event: Event::Scored,
            envelope,
        }
    }
}

/// The stage with an in-memory idempotency store (`budgetflow run`).
pub fn stage() -> Stage {
    Stage::new(NAME, WorkQueue::Score, ScoreHandler)
}

/// The stage as a service: durable store, configured prefetch and retry.
pub async fn run(
    settings: Settings,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), ServiceError> {
    budgetflow_service::run_stage(
        NAME,
        WorkQueue::Score,
        ScoreHandler,
        &settings,
        transport,
        shutdown,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn attaches_the_review_and_passes_the_rest_through_as_scored() {
        let doc = budgetflow_formats::text::read_str(include_str!(
            "../../../samples/urumqi-miit-2025.txt"
        ))
        .expect("the sample parses");
        let mut envelope = Envelope::new(
            uuid::Uuid::new_v4(),
            "部门",
            2025,
            1,
            b"x",
            Part::of(&doc).expect("a document serialises"),
        );
        envelope.findings = Some(Part::of(&serde_json::json!({"errors": 0})).unwrap());
        let outcome = ScoreHandler.handle(envelope.clone()).await;
        let Outcome::Done {
            event: Event::Scored,
            envelope: scored,
        } = outcome
        else {
            panic!("not scored: {outcome:?}");
        };
        let scores: serde_json::Value = scored.scores.as_ref().expect("scores").read().unwrap();
        let review = &scores["review"];
        assert_eq!(review["tables"].as_array().map(Vec::len), Some(12));
        assert_eq!(review["ranking"][0]["points"], 100);
        envelope.scores = scored.scores.clone();
        assert_eq!(scored, envelope, "only `scores` changes");
    }

    #[tokio::test]
    async fn a_document_that_does_not_deserialise_is_poison() {
        let envelope = Envelope::new(
            uuid::Uuid::new_v4(),
            "部门",
            2025,
            1,
            b"x",
            Part::of(&serde_json::json!({"doc": 1})).unwrap(),
        );
        let outcome = ScoreHandler.handle(envelope).await;
        assert!(matches!(outcome, Outcome::Poison { .. }), "{outcome:?}");
    }
}
