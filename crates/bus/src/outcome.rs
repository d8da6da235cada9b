//! What a handler decided ([`Outcome`]) and what then happens to the input message
//! ([`Action`]). [`action_for`] is the only place that makes that decision.
//!
//! Every message a stage gives up ends in the same way, whatever the cause (a poison
//! outcome, a transient failure or a panic on the last delivery the queue allows):
//! [`Action::DeadLetter`], which announces `submission.failed` with the reason before the
//! input goes to the dead-letter queue. Nothing is left to the broker's silent
//! dead-lettering at the delivery limit.

use std::time::Duration;

use crate::envelope::Envelope;
use crate::topology::Event;

/// The result of handling one envelope.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The work is done: emit `event` carrying `envelope`.
    Done { event: Event, envelope: Envelope },
    /// A business outcome (the document failed validation, ...): emit
    /// `submission.rejected` carrying `envelope`.
    Rejected { envelope: Envelope },
    /// A transient failure (portal down, broker blip): try again later. On the last
    /// delivery the queue allows, the stage gives the message up with this reason.
    RetryLater { reason: String },
    /// The message can never succeed: the stage gives it up with the reason
    /// (`submission.failed`, then the dead-letter queue).
    Poison { reason: String },
}

impl Outcome {
    /// The `outcome` label of the processed-messages metric.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Done { .. } => "done",
            Outcome::Rejected { .. } => "rejected",
            Outcome::RetryLater { .. } => "retry_later",
            Outcome::Poison { .. } => "poison",
        }
    }
}

/// What the stage runtime does with the input message.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Publish `event` with `envelope`, wait for the confirm, then ack the input.
    PublishThenAck {
        event: Event,
        envelope: Box<Envelope>,
    },
    /// Wait `after`, then requeue the input (the queue counts the delivery).
    RequeueAfter { after: Duration },
    /// Give the message up: announce `submission.failed` carrying the input envelope,
    /// without its document, with `failure = {stage, reason}` (unless the input is not an envelope, or the stage
    /// consumes the queue the announcement goes to), publish the input to the dead-letter
    /// exchange with `reason` in a header, wait for both confirms, then ack the input.
    DeadLetter { reason: String },
}

/// Which delivery of a message a stage is handling, and how many its queue allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// 1 on the first delivery ([`crate::Delivery::attempt`]).
    pub number: u32,
    /// The queue's `x-delivery-limit` ([`crate::Topology::delivery_limit`]).
    pub delivery_limit: u32,
}

impl Attempt {
    /// `true` on the last delivery the queue allows: with `x-delivery-limit = N` a message
    /// is delivered at most `N + 1` times, and returned once more it is dead-lettered by the
    /// queue itself, without a reason and without telling the ledger.
    pub fn is_last(self) -> bool {
        self.number > self.delivery_limit
    }
}

/// Exponential backoff between redeliveries of a transiently failing message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failed attempt.
    pub initial: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial: Duration::from_millis(200),
            max: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1-based): `initial × 2^(attempt-1)`,
    /// at most `max`.
    pub fn delay(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(20);
        self.initial.saturating_mul(1 << doublings).min(self.max)
    }
}

/// Maps a handler's outcome on delivery `attempt` to the action taken. A transient failure
/// on the last delivery the queue allows is given up here, with its reason, rather than
/// requeued into the queue's silent dead-lettering.
pub fn action_for(outcome: Outcome, attempt: Attempt, retry: &RetryPolicy) -> Action {
    match outcome {
        Outcome::Done { event, envelope } => Action::PublishThenAck {
            event,
            envelope: Box::new(envelope),
        },
        Outcome::Rejected { envelope } => Action::PublishThenAck {
            event: Event::Rejected,
            envelope: Box::new(envelope),
        },
        Outcome::RetryLater { reason } if attempt.is_last() => Action::DeadLetter {
            reason: format!(
                "{reason} (still failing after {} deliveries)",
                attempt.number
            ),
        },
        Outcome::RetryLater { .. } => Action::RequeueAfter {
            after: retry.delay(attempt.number),
        },
        Outcome::Poison { reason } => Action::DeadLetter { reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Part;
    use serde_json::json;
    use uuid::Uuid;

    /// Delivery `number` of a queue with `x-delivery-limit = 3` (four deliveries at most).
    fn delivery(number: u32) -> Attempt {
        Attempt {
            number,
            delivery_limit: 3,
        }
    }

    #[test]
    fn maps_every_outcome_to_exactly_one_action() {
        let envelope = Envelope::new(
            Uuid::new_v4(),
            "dept",
            2025,
            1,
            b"content",
            Part::of(&json!({})).unwrap(),
        );
        let retry = RetryPolicy {
            initial: Duration::from_millis(100),
            max: Duration::from_millis(1000),
        };
        let table = [
            (
                Outcome::Done {
                    event: Event::Validated,
                    envelope: envelope.clone(),
                },
                delivery(1),
                Action::PublishThenAck {
                    event: Event::Validated,
                    envelope: Box::new(envelope.clone()),
                },
            ),
            (
                Outcome::Done {
                    event: Event::Published,
                    envelope: envelope.clone(),
                },
                delivery(3),
                Action::PublishThenAck {
                    event: Event::Published,
                    envelope: Box::new(envelope.clone()),
                },
            ),
            (
                Outcome::Rejected {
                    envelope: envelope.clone(),
                },
                delivery(1),
                Action::PublishThenAck {
                    event: Event::Rejected,
                    envelope: Box::new(envelope.clone()),
                },
            ),
            (
                Outcome::RetryLater {
                    reason: "portal down".into(),
                },
                delivery(1),
                Action::RequeueAfter {
                    after: Duration::from_millis(100),
                },
            ),
            (
                Outcome::RetryLater {
                    reason: "portal down".into(),
                },
                delivery(3),
                Action::RequeueAfter {
                    after: Duration::from_millis(400),
                },
            ),
            (
                Outcome::RetryLater {
                    reason: "portal down".into(),
                },
                Attempt {
                    number: 50,
                    delivery_limit: 60,
                },
                Action::RequeueAfter {
                    after: Duration::from_millis(1000),
                },
            ),
            (
                Outcome::RetryLater {
                    reason: "portal down".into(),
                },
                delivery(4),
                Action::DeadLetter {
                    reason: "portal down (still failing after 4 deliveries)".into(),
                },
            ),
            (
                Outcome::Poison {
                    reason: "unsupported schema".into(),
                },
                delivery(1),
                Action::DeadLetter {
                    reason: "unsupported schema".into(),
                },
            ),
            (
                Outcome::Poison {
                    reason: "unsupported schema".into(),
                },
                delivery(4),
                Action::DeadLetter {
                    reason: "unsupported schema".into(),
                },
            ),
            (
                Outcome::Done {
                    event: Event::Scored,
                    envelope: envelope.clone(),
                },
                delivery(4),
                Action::PublishThenAck {
                    event: Event::Scored,
                    envelope: Box::new(envelope.clone()),
                },
            ),
        ];
        for (outcome, attempt, expected) in table {
            let label = outcome.label();
            assert_eq!(
                action_for(outcome, attempt, &retry),
                expected,
                "{label} on {attempt:?}"
            );
        }
    }

    #[test]
    fn the_last_delivery_is_the_one_after_the_limit() {
        let last: Vec<bool> = (1..=5).map(|number| delivery(number).is_last()).collect();
        assert_eq!(last, [false, false, false, true, true]);
        let no_returns = Attempt {
            number: 1,
            delivery_limit: 0,
        };
        assert!(no_returns.is_last());
    }

    #[test]
    fn backoff_doubles_and_saturates() {
        let retry = RetryPolicy::default();
        assert_eq!(retry.delay(0), Duration::from_millis(200));
        assert_eq!(retry.delay(2), Duration::from_millis(400));
        assert_eq!(retry.delay(u32::MAX), Duration::from_secs(30));
    }
}
