//! The bus's `submission.*` events applied to the ledger.
//!
//! Each event appends one row to the history and moves the submission's state forward
//! (see [`crate::state`]). At most one event of each kind is kept per submission (a unique
//! constraint on submission + kind), so a redelivered event — or the same bytes submitted
//! again, whose stages answer from their idempotency stores — changes nothing. Events about
//! submissions the ledger never received (another environment on a shared broker, the
//! inbox of an older deployment) are acknowledged and ignored.
//!
//! Dead letters come too, from the ledger's copy of the dead-letter queue: one that
//! [`DeadLetter::failure`] says failed its submission (a stage gave it up, or a stage's queue
//! dead-lettered it at the delivery limit — a process killed during the last delivery, a
//! give-up whose `failed` could not be published) is applied as a `failed` event, unless the
//! submission has settled already. One that died in the ledger's own queue fails nothing: it
//! is logged and dropped.

use std::sync::Arc;
use std::time::Duration;

use budgetflow_bus::{
    BusError, ConsumeOptions, DeadLetter, Delivery, Envelope, Event, Failure, Part, Subscription,
    Topology, Transport, WorkQueue,
};
use serde::Serialize;
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
    /// Not an envelope or not a submission event (or a dead letter that fails nothing):
    /// acknowledged and dropped.
    Ignored,
    /// A dead letter of a submission already published, rejected or failed: nothing recorded.
    Settled,
}

/// The longest failure reason kept, in characters; a longer one is cut with `…` (a stage's
/// reason can quote what a department submitted).
pub const MAX_FAILURE_REASON_CHARS: usize = 500;

/// Why a `submission.failed` failed: the envelope's `failure`, else (an envelope of schema
/// 1.0) the `reason` its publication names; the reason cut to [`MAX_FAILURE_REASON_CHARS`].
pub fn failure_of(envelope: &Envelope) -> Failure {
    let failure = envelope.failure.clone().unwrap_or_else(|| Failure {
        stage: "unknown".to_owned(),
        reason: envelope
            .publication_summary()
            .reason
            .unwrap_or_else(|| "failed".to_owned()),
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

/// The history row's payload: what the pipeline produced so far, its parts as they came.
#[derive(Serialize)]
struct Payload<'a> {
    trace_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a Part>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scores: Option<&'a Part>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publication: Option<&'a Part>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<Failure>,
}

fn payload(event: Event, envelope: &Envelope) -> String {
    let payload = Payload {
        trace_id: &envelope.trace_id,
        findings: envelope.findings.as_ref(),
        scores: envelope.scores.as_ref(),
        publication: envelope.publication.as_ref(),
        failure: (event == Event::Failed).then(|| failure_of(envelope)),
    };
    serde_json::to_string(&payload).expect("a payload of JSON parts is always written")
}

impl Ledger {
    /// Applies one event to the ledger.
    pub async fn apply(&self, event: Event, envelope: &Envelope) -> Result<Applied, LedgerError> {
        self.append(event, envelope, false).await
    }

    /// Applies one dead letter: a `failed` event with the stage and reason
    /// [`DeadLetter::failure`] gives, for a submission not settled yet. A dead letter that is
    /// not an envelope, or fails nothing (it died in the ledger's own queue), is
    /// [`Applied::Ignored`]; one of a settled submission is [`Applied::Settled`] and leaves its
    /// history as it was.
    pub async fn apply_dead_letter(
        &self,
        dead_letter: &DeadLetter,
        topology: &Topology,
    ) -> Result<Applied, LedgerError> {
        let Ok(mut envelope) = Envelope::from_slice(&dead_letter.body) else {
            warn!(routing_key = %dead_letter.routing_key, reason = %dead_letter.reason,
                "a dead letter that is not an envelope: dropped (it stays in the dead-letter queue)");
            return Ok(Applied::Ignored);
        };
        let Some(failure) = dead_letter.failure(topology) else {
            warn!(submission_id = %envelope.submission_id, routing_key = %dead_letter.routing_key,
                queue = dead_letter.queue.as_deref().unwrap_or("unknown"), reason = %dead_letter.reason,
                "the ledger could not record an event (dead-lettered from its own queue): \
                 the submission is not failed for it; see `budgetflow dlq list`");
            return Ok(Applied::Ignored);
        };
        envelope.failure = Some(failure);
        self.append(Event::Failed, &envelope, true).await
    }

    /// Appends `event` to the history and moves the state forward; with `unless_settled`, only
    /// while the submission is not in a final state.
    async fn append(
        &self,
        event: Event,
        envelope: &Envelope,
        unless_settled: bool,
    ) -> Result<Applied, LedgerError> {
        let id = envelope.submission_id.to_string();
        let state = SubmissionState::of_event(event);
        let at = now();
        let finals = final_states();
        let settled_guard = if unless_settled {
            format!(" AND state NOT IN ({finals})")
        } else {
            String::new()
        };
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(&format!(
            "INSERT INTO events (submission_id, kind, at, payload) \
             SELECT $1, $2, $3, $4 WHERE EXISTS \
             (SELECT 1 FROM submissions WHERE id = $1{settled_guard}) \
             ON CONFLICT (submission_id, kind) DO NOTHING",
        ))
        .bind(&id)
        .bind(state.as_str())
        .bind(&at)
        .bind(payload(event, envelope))
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            let known: Option<(String,)> =
                sqlx::query_as("SELECT state FROM submissions WHERE id = $1")
                    .bind(&id)
                    .fetch_optional(&mut *tx)
                    .await?;
            tx.rollback().await?;
            let settled = |current: &str| {
                unless_settled && SubmissionState::parse(current).is_some_and(|s| s.is_final())
            };
            return Ok(match known {
                Some((current,)) if settled(&current) => Applied::Settled,
                Some(_) => Applied::Duplicate,
                None => Applied::Unknown,
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
        let applied = hold_until_applied(delivery, shutdown, || self.apply(event, &envelope));
        let applied = applied.await?;
        debug!(%event, submission_id = %envelope.submission_id, ?applied, "ledger");
        Ok(applied)
    }

    /// Applies one delivery of the ledger's copy of the dead-letter queue
    /// ([`Ledger::apply_dead_letter`]) and acknowledges it; held while the database fails, as
    /// [`Ledger::apply_delivery`] holds an event.
    pub async fn apply_dead_letter_delivery(
        &self,
        delivery: Delivery,
        topology: &Topology,
        shutdown: &CancellationToken,
    ) -> Result<Applied, LedgerError> {
        let dead_letter = DeadLetter::from_delivery(&delivery);
        let applied = hold_until_applied(delivery, shutdown, || {
            self.apply_dead_letter(&dead_letter, topology)
        });
        let applied = applied.await?;
        match applied {
            Applied::Recorded { .. } => warn!(
                submission_id = ?dead_letter.submission_id,
                routing_key = %dead_letter.routing_key,
                reason = %dead_letter.reason,
                "a dead-lettered submission: recorded as failed"
            ),
            _ => debug!(submission_id = ?dead_letter.submission_id, ?applied, "dead letter"),
        }
        Ok(applied)
    }
}

/// Runs `apply` until the database takes it, then acks `delivery`; every
/// [`DATABASE_RETRY`] while it fails; on `shutdown` requeues the delivery instead.
async fn hold_until_applied<F, Fut>(
    delivery: Delivery,
    shutdown: &CancellationToken,
    apply: F,
) -> Result<Applied, LedgerError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Applied, LedgerError>>,
{
    loop {
        match apply().await {
            Ok(applied) => {
                settle(delivery.ack().await)?;
                return Ok(applied);
            }
            Err(error) => {
                warn!(%error, routing_key = %delivery.routing_key,
                    "the ledger could not record a message; retrying");
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

/// The final states as an SQL list (`'rejected', 'published', 'failed'`).
fn final_states() -> String {
    SubmissionState::ALL
        .into_iter()
        .filter(|state| state.is_final())
        .map(|state| format!("'{}'", state.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A settlement lost with its channel is not an error: the broker delivers again and
/// applying twice changes nothing.
fn settle(result: Result<(), BusError>) -> Result<(), LedgerError> {
    match result {
        Ok(()) | Err(BusError::ChannelGone) => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Consumes the ledger queue and the ledger's copy of the dead-letter queue until
/// `shutdown`, applying every event and every dead letter (one at a time).
pub async fn consume(
    ledger: Ledger,
    transport: Arc<dyn Transport>,
    prefetch: u16,
    shutdown: CancellationToken,
) -> Result<(), LedgerError> {
    let topology = transport.topology().clone();
    let mut events = transport
        .subscribe(WorkQueue::Ledger, ConsumeOptions { prefetch })
        .await?;
    let mut dead_letters = transport
        .subscribe_ledger_dead_letters(ConsumeOptions { prefetch })
        .await?;
    loop {
        let applied = tokio::select! {
            () = shutdown.cancelled() => break,
            delivery = events.next() => match delivery {
                Some(delivery) => ledger.apply_delivery(delivery, &shutdown).await,
                None => break,
            },
            delivery = dead_letters.next() => match delivery {
                Some(delivery) => {
                    ledger.apply_dead_letter_delivery(delivery, &topology, &shutdown).await
                }
                None => break,
            },
        };
        if let Err(error) = applied {
            if shutdown.is_cancelled() {
                break;
            }
            warn!(%error, "settling a ledger message failed; the broker delivers it again");
        }
    }
    stop(events).await;
    stop(dead_letters).await;
    Ok(())
}

async fn stop(mut subscription: Box<dyn Subscription>) {
    subscription.cancel().await;
}
