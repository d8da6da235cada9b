//! What a handler decided ([`Outcome`]) and what then happens to the input message
//! ([`Action`]). [`action_for`] is the only place that makes that decision.

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
    /// A transient failure (portal down, broker blip): try again later.
    RetryLater { reason: String },
    /// The message can never succeed: dead-letter it with the reason.
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
    /// Publish the input to the dead-letter exchange with `reason` in a header, wait for
    /// the confirm, then ack the input.
    DeadLetter { reason: String },
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

/// Maps a handler's outcome on delivery number `attempt` to the action taken.
pub fn action_for(outcome: Outcome, attempt: u32, retry: &RetryPolicy) -> Action {
    match outcome {
        Outcome::Done { event, envelope } => Action::PublishThenAck {
            event,
            envelope: Box::new(envelope),
        },
        Outcome::Rejected { envelope } => Action::PublishThenAck {
            event: Event::Rejected,
            envelope: Box::new(envelope),
        },
        Outcome::RetryLater { .. } => Action::RequeueAfter {
            after: retry.delay(attempt),
        },
        Outcome::Poison { reason } => Action::DeadLetter { reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use uuid::Uuid;

    #[test]
    fn maps_every_outcome_to_exactly_one_action() {
        let envelope = Envelope::new(Uuid::new_v4(), "dept", 2025, 1, b"content", json!({}));
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
                1,
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
                3,
                Action::PublishThenAck {
                    event: Event::Published,
                    envelope: Box::new(envelope.clone()),
                },
            ),
            (
                Outcome::Rejected {
                    envelope: envelope.clone(),
                },
                1,
                Action::PublishThenAck {
                    event: Event::Rejected,
                    envelope: Box::new(envelope.clone()),
                },
            ),
            (
                Outcome::RetryLater {
                    reason: "portal down".into(),
                },
                1,
                Action::RequeueAfter {
                    after: Duration::from_millis(100),
                },
            ),
            (
                Outcome::RetryLater {
                    reason: "portal down".into(),
                },
                3,
                Action::RequeueAfter {
                    after: Duration::from_millis(400),
                },
            ),
            (
                Outcome::RetryLater {
                    reason: "portal down".into(),
                },
                50,
                Action::RequeueAfter {
                    after: Duration::from_millis(1000),
                },
            ),
            (
                Outcome::Poison {
                    reason: "unsupported schema".into(),
                },
                1,
                Action::DeadLetter {
                    reason: "unsupported schema".into(),
                },
            ),
        ];
        for (outcome, attempt, expected) in table {
            let label = outcome.label();
            assert_eq!(
                action_for(outcome, attempt, &retry),
                expected,
                "{label} attempt {attempt}"
            );
        }
    }

    #[test]
    fn backoff_doubles_and_saturates() {
        let retry = RetryPolicy::default();
        assert_eq!(retry.delay(0), Duration::from_millis(200));
        assert_eq!(retry.delay(2), Duration::from_millis(400));
        assert_eq!(retry.delay(u32::MAX), Duration::from_secs(30));
    }
}
