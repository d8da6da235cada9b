//! The score stage: `submission.validated` → `submission.scored`.
//!
//! Until scoring lands (issue 5) the handler is a pass-through: the envelope goes on
//! unchanged, `scores` stays `null`. Issue 5 replaces [`ScoreHandler::handle`]'s body with
//! the review of the document's performance targets; everything around it stays.

use std::sync::Arc;

use async_trait::async_trait;
use budgetflow_bus::{Envelope, Event, Outcome, Stage, StageHandler, Transport, WorkQueue};
use budgetflow_service::{CancellationToken, ServiceError, Settings};

/// The stage's name: metrics label, state subdirectory, connection name.
pub const NAME: &str = "score";

/// Passes each envelope through with `scores: null` (scoring is issue 5).
#[derive(Clone, Copy, Debug, Default)]
pub struct ScoreHandler;

#[async_trait]
impl StageHandler for ScoreHandler {
    async fn handle(&self, mut envelope: Envelope) -> Outcome {
        envelope.scores = serde_json::Value::Null;
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
    async fn passes_the_envelope_through_as_scored() {
        let mut envelope = Envelope::new(
            uuid::Uuid::new_v4(),
            "部门",
            2025,
            1,
            b"x",
            serde_json::json!({"doc": 1}),
        );
        envelope.findings = serde_json::json!({"errors": 0});
        let outcome = ScoreHandler.handle(envelope.clone()).await;
        assert_eq!(
            outcome,
            Outcome::Done {
                event: Event::Scored,
                envelope
            }
        );
    }
}
