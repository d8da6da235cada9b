//! The bus's `submission.*` events applied to the ledger.
//!
//! Each event appends one row to the history and moves the submission's state forward
//! (see [`crate::state`]). At most one event of each kind is kept per submission (a unique
//! constraint on submission + kind), so a redelivered event — or the same bytes submitted
//! again, whose stages answer from their idempotency stores — changes nothing. Events about
//! submissions the ledger never received (another environment on a shared broker, the
//! inbox of an older deployment) are acknowledged and ignored.

use std::sync::Arc;
use std::time::Duration;

use budgetflow_bus::{
    BusError, ConsumeOptions, Delivery, Envelope, Event, Failure, Transport, WorkQueue,
};
use serde_json::{json, Map, Value};
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

use crate::error::LedgerError;
use crate::state::SubmissionState;
use crate::store::{now, Ledger};

/// How long the consumer waits before applying an event again after the database failed.
const DATABASE_RETRY: Duration = Duration::from_secs(1);

/// What applying an event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Appended to the history; `advanced` when the state moved.
    Recorded { advanced: bool },
    /// This kind of event was already recorded for the submission: nothing changed.
    Duplicate,
    /// The ledger has no such submission: nothing recorded.
    Unknown,
    /// Not an envelope or not a submission event: acknowledged and dropped.
    Ignored,
}

/// The longest failure reason kept, in characters; a longer one is cut with `…` (a stage's
/// reason can quote what a department submitted).
pub const MAX_FAILURE_REASON_CHARS: usize = 500;

/// Why a `submission.failed` failed: the envelope's `failure`, else (an envelope of schema
/// 1.0) the `reason` its publication names; the reason cut to [`MAX_FAILURE_REASON_CHARS`].
pub fn failure_of(envelope: &Envelope) -> Failure {
    let failure = envelope.failure.clone().unwrap_or_else(|| Failure {
        stage: "unknown".to_owned(),
        reason: envelope.publication["reason"]
            .as_str()
            .unwrap_or("failed")
            .to_owned(),
    });
    Failure {
        stage: cut(&failure.stage, 32),
        reason: cut(&failure.reason, MAX_FAILURE_REASON_CHARS),
    }
}

/// `text` with at most `max` characters, the last of them `…` when it was longer.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// The history row's payload: what the pipeline produced so far.
fn payload(event: Event, envelope: &Envelope) -> Value {
    let mut payload = Map::new();
    payload.insert("trace_id".into(), Value::from(envelope.trace_id.clone()));
    for (field, value) in [
        ("findings", &envelope.findings),
        ("scores", &envelope.scores),
        ("publication", &envelope.publication),
    ] {
        if !value.is_null() {
            payload.insert(field.into(), value.clone());
        }
    }
    if event == Event::Failed {
        payload.insert("failure".into(), json!(failure_of(envelope)));
    }
    Value::Object(payload)
}

impl Ledger {
    /// Applies one event to the ledger.
    pub async fn apply(&self, event: Event, envelope: &Envelope) -> Result<Applied, LedgerError> {
        let id = envelope.submission_id.to_string();
        let state = SubmissionState::of_event(event);
        let at = now();
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO events (submission_id, kind, at, payload) \
             SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM submissions WHERE id = $1) \
             ON CONFLICT (submission_id, kind) DO NOTHING",
        )
        .bind(&id)
        .bind(state.as_str())
        .bind(&at)
        .bind(payload(event, envelope).to_string())
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            let known: Option<(String,)> =
                sqlx::query_as("SELECT id FROM submissions WHERE id = $1")
                    .bind(&id)
                    .fetch_optional(&mut *tx)
                    .await?;
            tx.rollback().await?;
            return Ok(if known.is_some() {
                Applied::Duplicate
            } else {
                Applied::Unknown
            });
        }
        let from: Vec<String> = SubmissionState::ALL
            .into_iter()
            .filter(|current| current.advances_to(state))
            .map(|current| format!("'{}'", current.as_str()))
            .collect();
        let failure = (event == Event::Failed).then(|| failure_of(envelope));
        let advanced = if from.is_empty() {
            false
        } else {
            sqlx::query(&format!(
                "UPDATE submissions SET state = $1, updated_at = $2, failure_stage = $4, \
                 failure_reason = $5 WHERE id = $3 AND state IN ({})",
                from.join(", ")
            ))
            .bind(state.as_str())
            .bind(&at)
            .bind(&id)
            .bind(failure.as_ref().map(|f| f.stage.clone()))
            .bind(failure.map(|f| f.reason))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0
        };
        tx.commit().await?;
        Ok(Applied::Recorded { advanced })
    }

    /// Applies one delivery of the ledger queue and acknowledges it. While the database
    /// fails, the delivery is held and applied again every second — not requeued, so an
    /// outage never dead-letters the history — until it succeeds or `shutdown` (then it is
    /// requeued and comes again).
    pub async fn apply_delivery(
        &self,
        delivery: Delivery,
        shutdown: &CancellationToken,
    ) -> Result<Applied, LedgerError> {
        let parsed = Event::from_routing_key(&delivery.routing_key)
            .zip(Envelope::from_slice(&delivery.body).ok());
        let Some((event, envelope)) = parsed else {
            warn!(routing_key = %delivery.routing_key, "not a submission event: dropped");
            settle(delivery.ack().await)?;
            return Ok(Applied::Ignored);
        };
        loop {
            match self.apply(event, &envelope).await {
                Ok(applied) => {
                    debug!(%event, submission_id = %envelope.submission_id, ?applied, "ledger");
                    settle(delivery.ack().await)?;
                    return Ok(applied);
                }
                Err(error) => {
                    warn!(%error, %event, submission_id = %envelope.submission_id,
                        "the ledger could not record an event; retrying");
                    tokio::select! {
                        () = shutdown.cancelled() => {
                            settle(delivery.requeue().await)?;
                            return Err(error);
                        }
                        () = tokio::time::sleep(DATABASE_RETRY) => {}
                    }
                }
            }
        }
    }
}

/// A settlement lost with its channel is not an error: the broker delivers again and
/// applying twice changes nothing.
fn settle(result: Result<(), BusError>) -> Result<(), LedgerError> {
    match result {
        Ok(()) | Err(BusError::ChannelGone) => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Consumes the ledger queue until `shutdown`, applying every event.
pub async fn consume(
    ledger: Ledger,
    transport: Arc<dyn Transport>,
    prefetch: u16,
    shutdown: CancellationToken,
) -> Result<(), LedgerError> {
    let mut subscription = transport
        .subscribe(WorkQueue::Ledger, ConsumeOptions { prefetch })
        .await?;
    loop {
        let delivery = tokio::select! {
            () = shutdown.cancelled() => break,
            delivery = subscription.next() => delivery,
        };
        let Some(delivery) = delivery else { break };
        if let Err(error) = ledger.apply_delivery(delivery, &shutdown).await {
            if shutdown.is_cancelled() {
                break;
            }
            warn!(%error, "settling a ledger event failed; the broker delivers it again");
        }
    }
    subscription.cancel().await;
    Ok(())
}
