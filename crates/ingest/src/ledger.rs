//! The ledger: what became of each submission, from the events every stage emits (the
//! `ledger` queue receives them all).
//!
//! A submission is expected when it is submitted, then settled by `submission.published`,
//! `submission.rejected` or `submission.failed` — or by a dead letter of the ledger's copy of
//! the dead-letter queue that fails it (the rule is [`DeadLetter::failure`], as in the SQL
//! ledger: one from the ledger's own queue fails nothing). Events about submissions the ledger does not expect are ignored (a
//! shared broker carries other runs' events). Delivery is at least once, so an event can be
//! seen twice; the ledger counts them so tests can tell.

use std::collections::HashMap;

use budgetflow_bus::{BusError, DeadLetter, Delivery, Envelope, Event, Failure, Topology};
use serde_json::Value;
use uuid::Uuid;

/// Where a submission stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// Submitted, not settled yet.
    InProgress,
    /// Published to `artifact`.
    Published { artifact: String },
    /// Validation found errors.
    Rejected,
    /// Could not be processed (a stage gave up, or it was dead-lettered).
    Failed { reason: String },
}

impl State {
    pub fn is_settled(&self) -> bool {
        !matches!(self, State::InProgress)
    }
}

/// One expected submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub submission_id: Uuid,
    pub department: String,
    pub fiscal_year: i32,
    /// Error and warning counts, once validation ran.
    pub errors: Option<u64>,
    pub warnings: Option<u64>,
    pub state: State,
    /// How many settling events arrived (more than one: a redelivered output).
    pub settling_events: u32,
}

/// The submissions of one batch and their fate, in submission order.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    order: Vec<Uuid>,
    entries: HashMap<Uuid, Entry>,
}

impl Ledger {
    pub fn new() -> Self {
        Ledger::default()
    }

    /// Expects `envelope`'s submission; `false` if it was already expected (same content
    /// submitted twice).
    pub fn expect(&mut self, envelope: &Envelope) -> bool {
        if self.entries.contains_key(&envelope.submission_id) {
            return false;
        }
        self.order.push(envelope.submission_id);
        self.entries.insert(
            envelope.submission_id,
            Entry {
                submission_id: envelope.submission_id,
                department: envelope.department.clone(),
                fiscal_year: envelope.fiscal_year,
                errors: None,
                warnings: None,
                state: State::InProgress,
                settling_events: 0,
            },
        );
        true
    }

    /// Applies one event. Unexpected submissions are ignored.
    pub fn record(&mut self, event: Event, envelope: &Envelope) {
        let Some(entry) = self.entries.get_mut(&envelope.submission_id) else {
            return;
        };
        if let Some(findings) = envelope.findings.as_object() {
            entry.errors = findings.get("errors").and_then(Value::as_u64);
            entry.warnings = findings.get("warnings").and_then(Value::as_u64);
        }
        if !event.is_terminal() {
            return;
        }
        let settled = match event {
            Event::Received | Event::Validated | Event::Scored => State::InProgress,
            Event::Rejected => State::Rejected,
            Event::Published => State::Published {
                artifact: envelope.publication["artifact"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            },
            Event::Failed => State::Failed {
                reason: match &envelope.failure {
                    Some(failure) => failed_in(failure),
                    None => envelope.publication["reason"]
                        .as_str()
                        .unwrap_or("failed")
                        .to_owned(),
                },
            },
        };
        entry.settling_events += 1;
        if !entry.state.is_settled() {
            entry.state = settled;
        }
    }

    /// Reads and acks one delivery from the ledger queue. A body that is not an envelope is
    /// acked and ignored: the ledger only observes. An ack lost with its channel (broker
    /// restart) is not an error: the event comes again and recording it twice changes nothing.
    pub async fn record_delivery(&mut self, delivery: Delivery) -> Result<(), BusError> {
        if let (Some(event), Ok(envelope)) = (
            Event::from_routing_key(&delivery.routing_key),
            Envelope::from_slice(&delivery.body),
        ) {
            self.record(event, &envelope);
        }
        match delivery.ack().await {
            Ok(()) | Err(BusError::ChannelGone) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Reads and acks one delivery from the ledger's copy of the dead-letter queue: an
    /// expected submission it fails ([`DeadLetter::failure`]) is settled as failed, unless it
    /// was settled already.
    pub async fn record_dead_letter(
        &mut self,
        delivery: Delivery,
        topology: &Topology,
    ) -> Result<(), BusError> {
        let dead_letter = DeadLetter::from_delivery(&delivery);
        if let (Some(id), Some(failure)) =
            (dead_letter.submission_id, dead_letter.failure(topology))
        {
            self.fail(id, failed_in(&failure));
        }
        match delivery.ack().await {
            Ok(()) | Err(BusError::ChannelGone) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Settles an expected submission as failed, unless it is settled already.
    pub fn fail(&mut self, submission_id: Uuid, reason: impl Into<String>) {
        if let Some(entry) = self.entries.get_mut(&submission_id) {
            if !entry.state.is_settled() {
                entry.state = State::Failed {
                    reason: reason.into(),
                };
                entry.settling_events += 1;
            }
        }
    }

    /// How many expected submissions are not settled yet.
    pub fn pending(&self) -> usize {
        self.entries
            .values()
            .filter(|entry| !entry.state.is_settled())
            .count()
    }

    /// Every expected submission, in submission order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.order.iter().map(|id| &self.entries[id])
    }

    pub fn get(&self, submission_id: Uuid) -> Option<&Entry> {
        self.entries.get(&submission_id)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// A failure as the ledger shows it: `stage: reason`.
fn failed_in(failure: &Failure) -> String {
    format!("{}: {}", failure.stage, failure.reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn envelope(content: &[u8]) -> Envelope {
        Envelope::new(Uuid::new_v4(), "部门", 2025, 1, content, Value::Null)
    }

    #[test]
    fn settles_on_the_first_terminal_event_and_counts_repeats() {
        let mut ledger = Ledger::new();
        let (a, b, c) = (envelope(b"a"), envelope(b"b"), envelope(b"c"));
        for e in [&a, &b, &c] {
            assert!(ledger.expect(e));
        }
        assert!(!ledger.expect(&a));
        assert_eq!(ledger.pending(), 3);

        let mut validated = a.clone();
        validated.findings = json!({"errors": 0, "warnings": 2});
        ledger.record(Event::Validated, &validated);
        assert_eq!(ledger.pending(), 3);
        let mut published = validated.clone();
        published.publication = json!({"artifact": "out/a.json"});
        ledger.record(Event::Published, &published);
        ledger.record(Event::Published, &published);

        let mut rejected = b.clone();
        rejected.findings = json!({"errors": 4, "warnings": 0});
        ledger.record(Event::Rejected, &rejected);
        ledger.record(Event::Published, &envelope(b"stranger"));
        assert_eq!(ledger.pending(), 1);
        ledger.fail(c.submission_id, "dead-lettered");
        assert_eq!(ledger.pending(), 0);
        let d = envelope(b"d");
        ledger.expect(&d);
        let mut failed = d.clone();
        failed.failure = Some(budgetflow_bus::Failure {
            stage: "publish".into(),
            reason: "File name too long".into(),
        });
        ledger.record(Event::Failed, &failed);

        let entries: Vec<_> = ledger.entries().collect();
        assert_eq!(entries.len(), 4);
        assert_eq!(
            entries[0].state,
            State::Published {
                artifact: "out/a.json".into()
            }
        );
        assert_eq!((entries[0].errors, entries[0].warnings), (Some(0), Some(2)));
        assert_eq!(entries[0].settling_events, 2);
        assert_eq!(entries[1].state, State::Rejected);
        assert_eq!(entries[1].errors, Some(4));
        assert!(matches!(&entries[2].state, State::Failed { reason } if reason == "dead-lettered"));
        assert!(
            matches!(&entries[3].state, State::Failed { reason } if reason == "publish: File name too long")
        );
    }

    #[tokio::test]
    async fn a_dead_letter_fails_an_expected_submission_unless_the_ledger_queue_let_it_die() {
        use budgetflow_bus::transport::{FIRST_DEATH_QUEUE_HEADER, FIRST_DEATH_REASON_HEADER};
        use budgetflow_bus::{
            ConsumeOptions, Destination, Headers, MemoryTransport, OutgoingMessage, Transport,
            WorkQueue,
        };

        let topology = Topology::new("t").with_delivery_limit(2);
        let transport = MemoryTransport::new(topology.clone(), 8);
        let mut ledger = Ledger::new();
        let (abandoned, fine) = (envelope(b"abandoned"), envelope(b"fine"));
        for (envelope, queue) in [(&fine, WorkQueue::Ledger), (&abandoned, WorkQueue::Score)] {
            ledger.expect(envelope);
            let headers: Headers = [
                (FIRST_DEATH_REASON_HEADER, "delivery_limit".to_owned()),
                (FIRST_DEATH_QUEUE_HEADER, topology.queue_name(queue)),
            ]
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
            let message = OutgoingMessage {
                destination: Destination::DeadLetters,
                routing_key: Event::Validated.routing_key().to_owned(),
                body: envelope.to_vec().unwrap(),
                headers,
                message_id: None,
            };
            transport.publish(message).await.unwrap();
        }
        let mut dead_letters = transport
            .subscribe_ledger_dead_letters(ConsumeOptions::default())
            .await
            .unwrap();
        for _ in 0..2 {
            let delivery = dead_letters.next().await.unwrap();
            ledger
                .record_dead_letter(delivery, &topology)
                .await
                .unwrap();
        }
        assert_eq!(
            ledger.get(fine.submission_id).unwrap().state,
            State::InProgress
        );
        assert_eq!(
            ledger.get(abandoned.submission_id).unwrap().state,
            State::Failed {
                reason: "score: dead-lettered by t.score after 3 deliveries (delivery_limit)"
                    .into()
            }
        );
        assert_eq!(transport.ledger_dead_letter_depth().unacked, 0, "acked");
        assert_eq!(transport.dead_letter_depth().ready, 2, "kept for listing");
    }
}
