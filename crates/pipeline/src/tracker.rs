//! The batch tracker: what became of each submission of one batch, from the events every
//! stage emits (the `ledger` queue receives them all) — how `budgetflow run` and the
//! end-to-end tests know every submission they gave is accounted for. It lives in memory for
//! one batch; the ledger that keeps every submission for good is `budgetflow-ledger`'s
//! database.
//!
//! A submission is expected when it is submitted, then settled by a terminal event
//! ([`Event::is_terminal`]: published, rejected or failed) — or by a dead letter of the
//! ledger's copy of the dead-letter queue that fails it (the rule is [`DeadLetter::failure`],
//! as in the database ledger: one from the ledger's own queue fails nothing). Events about
//! submissions the tracker does not expect are ignored (a shared broker carries other runs'
//! events). Delivery is at least once, so an event can be seen twice; the tracker counts them
//! so tests can tell. [`LedgerFeed`] follows both queues into a tracker.

use std::collections::HashMap;

use budgetflow_bus::{
    BusError, ConsumeOptions, DeadLetter, Delivery, Envelope, Event, Failure, Subscription,
    Topology, Transport, WorkQueue,
};
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
pub struct BatchTracker {
    order: Vec<Uuid>,
    entries: HashMap<Uuid, Entry>,
}

impl BatchTracker {
    pub fn new() -> Self {
        BatchTracker::default()
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
        if let Some(counts) = envelope.finding_counts() {
            entry.errors = counts.errors;
            entry.warnings = counts.warnings;
        }
        if !event.is_terminal() {
            return;
        }
        let settled = match event {
            Event::Received | Event::Validated | Event::Scored => State::InProgress,
            Event::Rejected => State::Rejected,
            Event::Published => State::Published {
                artifact: envelope.publication_summary().artifact.unwrap_or_default(),
            },
            Event::Failed => State::Failed {
                reason: match &envelope.failure {
                    Some(failure) => failed_in(failure),
                    None => envelope
                        .publication_summary()
                        .reason
                        .unwrap_or_else(|| "failed".to_owned()),
                },
            },
        };
        entry.settling_events += 1;
        if !entry.state.is_settled() {
            entry.state = settled;
        }
    }

    /// Reads and acks one delivery from the ledger queue; the submission and event it
    /// carried, if it was one. A body that is not an envelope is acked and ignored: the
    /// tracker only observes. An ack lost with its channel (broker restart) is not an error:
    /// the event comes again and recording it twice changes nothing.
    pub async fn record_delivery(
        &mut self,
        delivery: Delivery,
    ) -> Result<Option<(Uuid, Event)>, BusError> {
        let mut seen = None;
        if let (Some(event), Ok(envelope)) = (
            Event::from_routing_key(&delivery.routing_key),
            Envelope::from_slice(&delivery.body),
        ) {
            self.record(event, &envelope);
            seen = Some((envelope.submission_id, event));
        }
        match delivery.ack().await {
            Ok(()) | Err(BusError::ChannelGone) => Ok(seen),
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

/// The ledger queue and the ledger's copy of the dead letters, followed into a
/// [`BatchTracker`]. Subscribe before submitting, so that nothing is missed.
pub struct LedgerFeed {
    events: Box<dyn Subscription>,
    dead_letters: Box<dyn Subscription>,
    topology: Topology,
}

/// One delivery of either queue, not recorded yet.
pub enum Followed {
    Event(Delivery),
    DeadLetter(Delivery),
}

impl LedgerFeed {
    /// Subscribes to both queues of `transport`, `prefetch` deliveries each at once.
    pub async fn subscribe(transport: &dyn Transport, prefetch: u16) -> Result<Self, BusError> {
        let options = ConsumeOptions { prefetch };
        Ok(LedgerFeed {
            events: transport.subscribe(WorkQueue::Ledger, options).await?,
            dead_letters: transport.subscribe_ledger_dead_letters(options).await?,
            topology: transport.topology().clone(),
        })
    }

    /// The next delivery of either queue; [`BusError::Closed`] once one is closed.
    /// Cancel-safe (a `select!` branch): nothing is taken from a queue unless returned.
    pub async fn next(&mut self) -> Result<Followed, BusError> {
        tokio::select! {
            event = self.events.next() => event.map(Followed::Event),
            dead = self.dead_letters.next() => dead.map(Followed::DeadLetter),
        }
        .ok_or(BusError::Closed)
    }

    /// Records `followed` in `tracker` and acks it; the submission and event of an event
    /// delivery.
    pub async fn record(
        &self,
        followed: Followed,
        tracker: &mut BatchTracker,
    ) -> Result<Option<(Uuid, Event)>, BusError> {
        match followed {
            Followed::Event(delivery) => tracker.record_delivery(delivery).await,
            Followed::DeadLetter(delivery) => tracker
                .record_dead_letter(delivery, &self.topology)
                .await
                .map(|()| None),
        }
    }

    /// Follows both queues into `tracker` until every expected submission is settled.
    pub async fn until_settled(&mut self, tracker: &mut BatchTracker) -> Result<(), BusError> {
        while tracker.pending() > 0 {
            let followed = self.next().await?;
            self.record(followed, tracker).await?;
        }
        Ok(())
    }

    /// Stops consuming; deliveries not taken go back to their queues.
    pub async fn cancel(mut self) {
        self.events.cancel().await;
        self.dead_letters.cancel().await;
    }
}

/// A failure as the tracker shows it: `stage: reason`.
fn failed_in(failure: &Failure) -> String {
    format!("{}: {}", failure.stage, failure.reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use budgetflow_bus::Part;
    use serde_json::json;

    fn envelope(content: &[u8]) -> Envelope {
        Envelope::new(Uuid::new_v4(), "部门", 2025, 1, content, part(&json!(null)))
    }

    fn part(value: &serde_json::Value) -> Part {
        Part::of(value).unwrap()
    }

    #[test]
    fn settles_on_the_first_terminal_event_and_counts_repeats() {
        let mut tracker = BatchTracker::new();
        let (a, b, c) = (envelope(b"a"), envelope(b"b"), envelope(b"c"));
        for e in [&a, &b, &c] {
            assert!(tracker.expect(e));
        }
        assert!(!tracker.expect(&a));
        assert_eq!(tracker.pending(), 3);

        let mut validated = a.clone();
        validated.findings = Some(part(&json!({"errors": 0, "warnings": 2})));
        tracker.record(Event::Validated, &validated);
        assert_eq!(tracker.pending(), 3);
        let mut published = validated.clone();
        published.publication = Some(part(&json!({"artifact": "out/a.json"})));
        tracker.record(Event::Published, &published);
        tracker.record(Event::Published, &published);

        let mut rejected = b.clone();
        rejected.findings = Some(part(&json!({"errors": 4, "warnings": 0})));
        tracker.record(Event::Rejected, &rejected);
        tracker.record(Event::Published, &envelope(b"stranger"));
        assert_eq!(tracker.pending(), 1);
        tracker.fail(c.submission_id, "dead-lettered");
        assert_eq!(tracker.pending(), 0);
        let d = envelope(b"d");
        tracker.expect(&d);
        let mut failed = d.clone();
        failed.failure = Some(budgetflow_bus::Failure {
            stage: "publish".into(),
            reason: "File name too long".into(),
        });
        tracker.record(Event::Failed, &failed);

        let entries: Vec<_> = tracker.entries().collect();
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
        let mut tracker = BatchTracker::new();
        let (abandoned, fine) = (envelope(b"abandoned"), envelope(b"fine"));
        for (envelope, queue) in [(&fine, WorkQueue::Ledger), (&abandoned, WorkQueue::Score)] {
            tracker.expect(envelope);
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
            tracker
                .record_dead_letter(delivery, &topology)
                .await
                .unwrap();
        }
        assert_eq!(
            tracker.get(fine.submission_id).unwrap().state,
            State::InProgress
        );
        assert_eq!(
            tracker.get(abandoned.submission_id).unwrap().state,
            State::Failed {
                reason: "score: dead-lettered by t.score after 3 deliveries (delivery_limit)"
                    .into()
            }
        );
        assert_eq!(transport.ledger_dead_letter_depth().unacked, 0, "acked");
        assert_eq!(transport.dead_letter_depth().ready, 2, "kept for listing");
    }

    #[tokio::test]
    async fn the_feed_follows_events_and_dead_letters_until_the_batch_is_settled() {
        use budgetflow_bus::transport::{FIRST_DEATH_QUEUE_HEADER, FIRST_DEATH_REASON_HEADER};
        use budgetflow_bus::{Destination, Headers, MemoryTransport, OutgoingMessage};

        let topology = Topology::new("feed").with_delivery_limit(2);
        let transport = MemoryTransport::new(topology.clone(), 8);
        let mut feed = LedgerFeed::subscribe(&transport, 4).await.unwrap();
        let mut tracker = BatchTracker::new();
        let (published, dead) = (envelope(b"published"), envelope(b"dead"));
        tracker.expect(&published);
        tracker.expect(&dead);

        for event in [Event::Received, Event::Validated] {
            transport
                .publish(OutgoingMessage::event(event, &published).unwrap())
                .await
                .unwrap();
        }
        // `received` is recorded at intake: the ledger queue gets `validated` first
        let followed = feed.next().await.unwrap();
        assert_eq!(
            feed.record(followed, &mut tracker).await.unwrap(),
            Some((published.submission_id, Event::Validated))
        );
        let mut done = published.clone();
        done.publication = Some(part(&json!({"artifact": "out/p.json"})));
        transport
            .publish(OutgoingMessage::event(Event::Published, &done).unwrap())
            .await
            .unwrap();
        let headers: Headers = [
            (FIRST_DEATH_REASON_HEADER, "delivery_limit".to_owned()),
            (
                FIRST_DEATH_QUEUE_HEADER,
                topology.queue_name(WorkQueue::Publish),
            ),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        transport
            .publish(OutgoingMessage {
                destination: Destination::DeadLetters,
                routing_key: Event::Scored.routing_key().to_owned(),
                body: dead.to_vec().unwrap(),
                headers,
                message_id: None,
            })
            .await
            .unwrap();

        feed.until_settled(&mut tracker).await.unwrap();
        assert_eq!(tracker.pending(), 0);
        assert_eq!(
            tracker.get(published.submission_id).unwrap().state,
            State::Published {
                artifact: "out/p.json".into()
            }
        );
        assert!(matches!(
            &tracker.get(dead.submission_id).unwrap().state,
            State::Failed { reason } if reason.starts_with("publish: dead-lettered by feed.publish")
        ));
        feed.cancel().await;
        assert_eq!(
            transport.depth(WorkQueue::Ledger).unacked,
            0,
            "every event acked"
        );
    }
}
