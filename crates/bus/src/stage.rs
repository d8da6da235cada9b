//! The stage runtime: consume a work queue, hand each envelope to a [`StageHandler`], act
//! on its [`Outcome`] (through [`action_for`] only), and stop gracefully.
//!
//! Order of effects for a handled message: record the output in the idempotency store,
//! publish it and wait for the confirm, then ack the input. A redelivered message whose
//! key is recorded is not handed to the handler again: the recorded output is re-emitted.
//!
//! A message the stage gives up (poison, or still failing on the last delivery its queue
//! allows) is announced first — `submission.failed` with the reason, so the ledger ends the
//! submission — then dead-lettered, then acked. A crash between the two publishes repeats
//! the announcement on redelivery, which the ledger absorbs (one event of each kind per
//! submission); the dead letter is never lost.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use async_trait::async_trait;
use futures_util::FutureExt;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, warn, Instrument};

use crate::envelope::{self, Envelope, Failure};
use crate::error::BusError;
use crate::idempotency::{
    IdempotencyKey, IdempotencyStore, MemoryIdempotencyStore, RecordedOutput,
};
use crate::outcome::{action_for, Action, Attempt, Outcome, RetryPolicy};
use crate::telemetry::{message_span, StageTelemetry};
use crate::topology::{Event, WorkQueue};
use crate::transport::{
    ConsumeOptions, Delivery, Destination, OutgoingMessage, Transport, POISON_QUEUE_HEADER,
    POISON_REASON_HEADER, POISON_STAGE_HEADER,
};

/// The work of one stage.
#[async_trait]
pub trait StageHandler: Send + Sync + 'static {
    /// Handles one envelope. Side effects must be idempotent for a given
    /// [`Envelope::idempotency_key`]: a crash between the effect and the record repeats it.
    async fn handle(&self, envelope: Envelope) -> Outcome;
}

/// A stage: what it consumes, what it runs, and how.
pub struct Stage {
    name: String,
    queue: WorkQueue,
    handler: Arc<dyn StageHandler>,
    store: Arc<dyn IdempotencyStore>,
    prefetch: u16,
    retry: RetryPolicy,
}

impl Stage {
    /// A stage named `name` (the metrics' `stage` label) consuming `queue`, with an
    /// in-memory idempotency store, prefetch 8 and the default retry policy.
    pub fn new(name: impl Into<String>, queue: WorkQueue, handler: impl StageHandler) -> Self {
        Stage {
            name: name.into(),
            queue,
            handler: Arc::new(handler),
            store: Arc::new(MemoryIdempotencyStore::new()),
            prefetch: ConsumeOptions::default().prefetch,
            retry: RetryPolicy::default(),
        }
    }

    pub fn with_store(mut self, store: Arc<dyn IdempotencyStore>) -> Self {
        self.store = store;
        self
    }

    /// How many messages the stage handles at once (and holds unacked).
    pub fn with_prefetch(mut self, prefetch: u16) -> Self {
        self.prefetch = prefetch.max(1);
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}

/// Runs `stage` on `transport` until `shutdown` is cancelled (or the transport closes):
/// then it stops consuming, lets the messages in flight finish and settle, and returns.
/// Backoff waits are cut short by `shutdown` (the message is requeued at once); publishes
/// in flight are not, so a caller with a deadline should enforce it around this future.
pub async fn run_until_stopped(
    stage: Stage,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), BusError> {
    let mut subscription = transport
        .subscribe(
            stage.queue,
            ConsumeOptions {
                prefetch: stage.prefetch,
            },
        )
        .await?;
    let context = Arc::new(StageContext {
        telemetry: StageTelemetry::new(&stage.name),
        stage,
        transport,
        shutdown: shutdown.clone(),
    });
    let mut in_flight = JoinSet::new();
    loop {
        tokio::select! {
            biased;
            () = shutdown.cancelled() => break,
            Some(joined) = in_flight.join_next(), if !in_flight.is_empty() => report_join(joined),
            delivery = subscription.next() => match delivery {
                Some(delivery) => {
                    in_flight.spawn(process(context.clone(), delivery));
                }
                None => break,
            },
        }
    }
    subscription.cancel().await;
    while let Some(joined) = in_flight.join_next().await {
        report_join(joined);
    }
    subscription.close().await;
    Ok(())
}

fn report_join(joined: Result<(), tokio::task::JoinError>) {
    if let Err(error) = joined {
        error!(%error, "a message task failed");
    }
}

struct StageContext {
    stage: Stage,
    telemetry: StageTelemetry,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
}

async fn process(context: Arc<StageContext>, delivery: Delivery) {
    let _in_flight = context.telemetry.received();
    let envelope = match Envelope::from_slice(&delivery.body) {
        Ok(envelope) => envelope,
        Err(error) => {
            let outcome = Outcome::Poison {
                reason: error.to_string(),
            };
            return settle(&context, delivery, None, outcome).await;
        }
    };
    let span = message_span(&context.stage.name, &envelope, delivery.attempt);
    async {
        let key = envelope.idempotency_key();
        let outcome = match context.stage.store.recorded(&key).await {
            Ok(Some(recorded)) => {
                debug!("already handled: re-emitting the recorded output");
                recorded_outcome(recorded)
            }
            Ok(None) => handle(&context, envelope).await,
            Err(error) => Outcome::RetryLater {
                reason: error.to_string(),
            },
        };
        settle(&context, delivery, Some(key), outcome).await;
    }
    .instrument(span)
    .await;
}

async fn handle(context: &StageContext, envelope: Envelope) -> Outcome {
    AssertUnwindSafe(context.stage.handler.handle(envelope))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| Outcome::RetryLater {
            reason: "the handler panicked".to_owned(),
        })
}

fn recorded_outcome(recorded: RecordedOutput) -> Outcome {
    match recorded.event {
        Event::Rejected => Outcome::Rejected {
            envelope: recorded.envelope,
        },
        event => Outcome::Done {
            event,
            envelope: recorded.envelope,
        },
    }
}

/// Carries out what [`action_for`] decides. An action that fails (a publish not confirmed)
/// turns into [`Outcome::RetryLater`], decided once more: requeued, or given up on the last
/// delivery. Should giving up fail as well, the input is requeued at once and its queue
/// dead-letters it on its own.
async fn settle(
    context: &StageContext,
    delivery: Delivery,
    key: Option<IdempotencyKey>,
    outcome: Outcome,
) {
    let telemetry = &context.telemetry;
    let attempt = Attempt {
        number: delivery.attempt,
        delivery_limit: context.transport.topology().delivery_limit(),
    };
    let mut outcome = outcome;
    let mut decisions = 0;
    loop {
        decisions += 1;
        if decisions > 2 {
            error!(
                attempt = delivery.attempt,
                "cannot settle the message; requeueing it: its queue dead-letters it at the delivery limit without a reason"
            );
            return requeue(delivery).await;
        }
        let label = outcome.label();
        if let Outcome::RetryLater { reason } | Outcome::Poison { reason } = &outcome {
            warn!(outcome = label, %reason, attempt = delivery.attempt, "message not done");
        }
        match action_for(outcome, attempt, &context.stage.retry) {
            Action::PublishThenAck { event, envelope } => {
                match publish_output(context, key.as_ref(), event, *envelope).await {
                    Ok(()) => {
                        telemetry.processed(label);
                        return ack(delivery).await;
                    }
                    Err(error) => {
                        outcome = Outcome::RetryLater {
                            reason: format!("emitting {event}: {error}"),
                        };
                    }
                }
            }
            Action::DeadLetter { reason } => match give_up(context, &delivery, &reason).await {
                Ok(()) => {
                    telemetry.processed(label);
                    telemetry.dead_lettered();
                    return ack(delivery).await;
                }
                Err(error) => {
                    outcome = Outcome::RetryLater {
                        reason: format!("{reason} (giving the message up failed: {error})"),
                    };
                }
            },
            Action::RequeueAfter { after } => {
                telemetry.processed(label);
                telemetry.failed();
                tokio::select! {
                    () = tokio::time::sleep(after) => {}
                    () = context.shutdown.cancelled() => {}
                }
                return requeue(delivery).await;
            }
        }
    }
}

async fn publish_output(
    context: &StageContext,
    key: Option<&IdempotencyKey>,
    event: Event,
    envelope: Envelope,
) -> Result<(), BusError> {
    let envelope = if event.is_terminal() {
        envelope.settled()
    } else {
        envelope
    };
    let message = OutgoingMessage::event(event, &envelope)?;
    if let Some(key) = key {
        context
            .stage
            .store
            .record(key, RecordedOutput { event, envelope })
            .await?;
    }
    context.transport.publish(message).await?;
    debug!(%event, "emitted");
    Ok(())
}

/// Announces `submission.failed` for the input (see [`Action::DeadLetter`]), then publishes
/// the input to the dead-letter exchange.
async fn give_up(
    context: &StageContext,
    delivery: &Delivery,
    reason: &str,
) -> Result<(), BusError> {
    let reason = bounded_reason(reason);
    let reason = reason.as_str();
    match Envelope::from_slice(&delivery.body) {
        Ok(envelope) if announces_failures(context) => {
            let failed = failed_envelope(envelope, &context.stage.name, reason);
            context
                .transport
                .publish(OutgoingMessage::event(Event::Failed, &failed)?)
                .await?;
            debug!("announced {}", Event::Failed);
        }
        Ok(_) => debug!(
            "the stage consumes the announcements itself: dead-lettered without {}",
            Event::Failed
        ),
        Err(error) => warn!(
            %error,
            "the message names no submission: dead-lettered without {}",
            Event::Failed
        ),
    }
    dead_letter(context, delivery, reason).await
}

/// The longest reason a give-up carries (in a header and in `failure.reason`), in
/// characters: a reason may quote what a document holds, and AMQP headers are small.
const MAX_REASON_CHARS: usize = 1000;

/// `reason`, cut to [`MAX_REASON_CHARS`] with `…` when longer.
fn bounded_reason(reason: &str) -> String {
    match reason.char_indices().nth(MAX_REASON_CHARS) {
        Some((cut, _)) => format!("{}…", &reason[..cut]),
        None => reason.to_owned(),
    }
}

/// `false` for a stage consuming a queue `submission.failed` is routed to (the ledger's):
/// it would announce its own failures to itself.
fn announces_failures(context: &StageContext) -> bool {
    let topology = context.transport.topology();
    !topology
        .queues_for(Event::Failed.routing_key())
        .contains(&context.stage.queue)
}

/// The input envelope as the announcement of its failure in `stage`.
fn failed_envelope(envelope: Envelope, stage: &str, reason: &str) -> Envelope {
    let mut envelope = envelope.settled();
    envelope.schema = envelope::SCHEMA.to_owned();
    envelope.failure = Some(Failure {
        stage: stage.to_owned(),
        reason: reason.to_owned(),
    });
    envelope
}

async fn dead_letter(
    context: &StageContext,
    delivery: &Delivery,
    reason: &str,
) -> Result<(), BusError> {
    let mut headers = delivery.headers.clone();
    headers.insert(POISON_REASON_HEADER.to_owned(), reason.to_owned());
    headers.insert(POISON_STAGE_HEADER.to_owned(), context.stage.name.clone());
    headers.insert(
        POISON_QUEUE_HEADER.to_owned(),
        context.transport.topology().queue_name(context.stage.queue),
    );
    context
        .transport
        .publish(OutgoingMessage {
            destination: Destination::DeadLetters,
            routing_key: delivery.routing_key.clone(),
            body: delivery.body.clone(),
            headers,
            message_id: None,
        })
        .await
}

async fn requeue(delivery: Delivery) {
    if let Err(error) = delivery.requeue().await {
        warn!(%error, "requeue failed; the broker returns the message when the channel closes");
    }
}

async fn ack(delivery: Delivery) {
    if let Err(error) = delivery.ack().await {
        warn!(%error, "ack failed; the message will be redelivered and re-emitted from the record");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Part;
    use serde_json::json;
    use uuid::Uuid;

    #[test]
    fn a_give_up_reason_is_cut_to_a_bounded_length() {
        let short = "缺少表3：一般公共预算支出表";
        assert_eq!(bounded_reason(short), short);
        let exact = "值".repeat(MAX_REASON_CHARS);
        assert_eq!(bounded_reason(&exact), exact);
        let long = format!("单元格 B7 的值 {}", "很长".repeat(5_000_000));
        let cut = bounded_reason(&long);
        assert_eq!(cut.chars().count(), MAX_REASON_CHARS + 1);
        assert!(cut.starts_with("单元格 B7 的值 很长"));
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn a_recorded_output_replays_as_the_outcome_that_produced_it() {
        let envelope = Envelope::new(
            Uuid::new_v4(),
            "dept",
            2025,
            1,
            b"x",
            Part::of(&json!(null)).unwrap(),
        );
        for event in Event::ALL {
            let outcome = recorded_outcome(RecordedOutput {
                event,
                envelope: envelope.clone(),
            });
            let expected = match event {
                Event::Rejected => Outcome::Rejected {
                    envelope: envelope.clone(),
                },
                event => Outcome::Done {
                    event,
                    envelope: envelope.clone(),
                },
            };
            assert_eq!(outcome, expected);
        }
    }
}
