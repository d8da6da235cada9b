//! Names and routing of the bus: the events (routing keys), the work queues and their
//! bindings, the dead-letter exchange and the two queues it fans out to (the one operators
//! list and replay, and the ledger's), and AMQP topic matching.
//!
//! Every name derives from one prefix (`budgetflow` in production) so that tests and
//! parallel environments can share a broker without colliding.

use std::fmt;

/// The prefix used in production: exchange `budgetflow`, queues `budgetflow.*`.
pub const DEFAULT_PREFIX: &str = "budgetflow";

/// The delivery limit declared on work queues unless configured otherwise: a message is
/// delivered at most `limit + 1` times, then dead-lettered.
pub const DEFAULT_DELIVERY_LIMIT: u32 = 5;

/// A submission event; its routing key is what the topic exchange routes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    Received,
    Validated,
    Rejected,
    Scored,
    Published,
    Failed,
}

impl Event {
    /// Every event, in pipeline order.
    pub const ALL: [Event; 6] = [
        Event::Received,
        Event::Validated,
        Event::Rejected,
        Event::Scored,
        Event::Published,
        Event::Failed,
    ];

    /// The routing key, e.g. `submission.received`.
    pub const fn routing_key(self) -> &'static str {
        match self {
            Event::Received => "submission.received",
            Event::Validated => "submission.validated",
            Event::Rejected => "submission.rejected",
            Event::Scored => "submission.scored",
            Event::Published => "submission.published",
            Event::Failed => "submission.failed",
        }
    }

    /// `true` for the events that finish a submission — published, rejected, or failed (a
    /// stage gave up on it) — after which no stage emits anything more about it. The only
    /// definition: the ledgers settle on these and the drivers stop waiting on them. (A
    /// dead letter finishes a submission too, but it is no event: see
    /// [`crate::DeadLetter::failure`].)
    pub const fn is_terminal(self) -> bool {
        match self {
            Event::Received | Event::Validated | Event::Scored => false,
            Event::Rejected | Event::Published | Event::Failed => true,
        }
    }

    /// `true` for the events the ledger queue receives. The ledger records `received` itself,
    /// in the transaction that stores the submission's bytes (the API takes the submission
    /// there), so the queue is not bound to it: the broker would store and deliver a copy of
    /// every document, the largest message of all, only for the ledger to find it recorded.
    pub const fn reaches_the_ledger(self) -> bool {
        !matches!(self, Event::Received)
    }

    /// The event a routing key names, if any.
    pub fn from_routing_key(routing_key: &str) -> Option<Event> {
        Event::ALL
            .into_iter()
            .find(|event| event.routing_key() == routing_key)
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.routing_key())
    }
}

/// A work queue and the binding pattern that feeds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkQueue {
    /// `<prefix>.validate` ← `submission.received`
    Validate,
    /// `<prefix>.score` ← `submission.validated`
    Score,
    /// `<prefix>.publish` ← `submission.scored`
    Publish,
    /// `<prefix>.ledger` ← every event but `submission.received`
    /// ([`Event::reaches_the_ledger`])
    Ledger,
}

impl WorkQueue {
    /// Every work queue.
    pub const ALL: [WorkQueue; 4] = [
        WorkQueue::Validate,
        WorkQueue::Score,
        WorkQueue::Publish,
        WorkQueue::Ledger,
    ];

    /// The last segment of the queue name.
    pub const fn suffix(self) -> &'static str {
        match self {
            WorkQueue::Validate => "validate",
            WorkQueue::Score => "score",
            WorkQueue::Publish => "publish",
            WorkQueue::Ledger => "ledger",
        }
    }

    /// The routing keys the queue is bound with.
    pub fn bindings(self) -> Vec<&'static str> {
        match self {
            WorkQueue::Validate => vec![Event::Received.routing_key()],
            WorkQueue::Score => vec![Event::Validated.routing_key()],
            WorkQueue::Publish => vec![Event::Scored.routing_key()],
            WorkQueue::Ledger => Event::ALL
                .into_iter()
                .filter(|event| event.reaches_the_ledger())
                .map(Event::routing_key)
                .collect(),
        }
    }

    /// Bindings earlier releases declared and a deployment may still have: the transport
    /// removes them when it declares the topology. (The ledger queue was bound to every
    /// event, `submission.#`.)
    pub fn retired_bindings(self) -> &'static [&'static str] {
        match self {
            WorkQueue::Ledger => &["submission.#"],
            WorkQueue::Validate | WorkQueue::Score | WorkQueue::Publish => &[],
        }
    }
}

/// The names and limits of one deployment of the bus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topology {
    prefix: String,
    delivery_limit: u32,
}

impl Default for Topology {
    fn default() -> Self {
        Topology::new(DEFAULT_PREFIX)
    }
}

impl Topology {
    /// A topology whose every name starts with `prefix`.
    pub fn new(prefix: impl Into<String>) -> Self {
        Topology {
            prefix: prefix.into(),
            delivery_limit: DEFAULT_DELIVERY_LIMIT,
        }
    }

    /// Sets the `x-delivery-limit` of the work queues. All processes sharing a broker
    /// must agree on it: RabbitMQ refuses to re-declare a queue with other arguments.
    pub fn with_delivery_limit(mut self, delivery_limit: u32) -> Self {
        self.delivery_limit = delivery_limit;
        self
    }

    /// The common prefix of all names.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// How many times a message may be returned before it is dead-lettered.
    pub fn delivery_limit(&self) -> u32 {
        self.delivery_limit
    }

    /// The topic exchange all events are published to (`budgetflow`).
    pub fn exchange(&self) -> &str {
        &self.prefix
    }

    /// The dead-letter exchange (`budgetflow.dlx`).
    pub fn dead_letter_exchange(&self) -> String {
        format!("{}.dlx", self.prefix)
    }

    /// The queue collecting dead letters (`budgetflow.dead`) for `budgetflow dlq list|replay`:
    /// it keeps every one until an operator replays it.
    pub fn dead_letter_queue(&self) -> String {
        format!("{}.dead", self.prefix)
    }

    /// The ledger's copy of every dead letter (`budgetflow.ledger.dead`): the ledger consumes
    /// it to settle a dead-lettered submission as `failed`. It has no dead-letter exchange of
    /// its own, so none of its messages can come back to the dead-letter exchange.
    pub fn ledger_dead_letter_queue(&self) -> String {
        format!("{}.ledger.dead", self.prefix)
    }

    /// The work queue a full queue name (`budgetflow.publish`) names, if any.
    pub fn work_queue_named(&self, name: &str) -> Option<WorkQueue> {
        WorkQueue::ALL
            .into_iter()
            .find(|queue| self.queue_name(*queue) == name)
    }

    /// The full name of a work queue (`budgetflow.validate`, ...).
    pub fn queue_name(&self, queue: WorkQueue) -> String {
        format!("{}.{}", self.prefix, queue.suffix())
    }

    /// The work queues a routing key is delivered to.
    pub fn queues_for(&self, routing_key: &str) -> Vec<WorkQueue> {
        WorkQueue::ALL
            .into_iter()
            .filter(|queue| {
                queue
                    .bindings()
                    .into_iter()
                    .any(|binding| topic_matches(binding, routing_key))
            })
            .collect()
    }
}

/// AMQP topic matching: words are separated by `.`, `*` matches exactly one word and `#`
/// matches zero or more words.
pub fn topic_matches(pattern: &str, routing_key: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('.').collect();
    let key: Vec<&str> = routing_key.split('.').collect();
    words_match(&pattern, &key)
}

fn words_match(pattern: &[&str], key: &[&str]) -> bool {
    match pattern.split_first() {
        None => key.is_empty(),
        Some((&"#", rest)) => (0..=key.len()).any(|skip| words_match(rest, &key[skip..])),
        Some((&word, rest)) => match key.split_first() {
            Some((&first, key_rest)) => {
                (word == "*" || word == first) && words_match(rest, key_rest)
            }
            None => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_matching_follows_amqp_rules() {
        let cases = [
            ("submission.received", "submission.received", true),
            ("submission.received", "submission.validated", false),
            ("submission.#", "submission.received", true),
            ("submission.#", "submission", true),
            ("submission.#", "submission.a.b", true),
            ("submission.#", "other.received", false),
            ("submission.*", "submission.received", true),
            ("submission.*", "submission.a.b", false),
            ("submission.*", "submission", false),
            ("#", "anything.at.all", true),
            ("*.received", "submission.received", true),
            ("#.received", "a.b.received", true),
            ("#.received", "a.b.scored", false),
        ];
        for (pattern, key, expected) in cases {
            assert_eq!(topic_matches(pattern, key), expected, "{pattern} vs {key}");
        }
    }

    #[test]
    fn each_event_reaches_its_stage_and_all_but_received_the_ledger() {
        let topology = Topology::default();
        assert_eq!(
            topology.queues_for(Event::Received.routing_key()),
            vec![WorkQueue::Validate]
        );
        assert_eq!(
            topology.queues_for(Event::Validated.routing_key()),
            vec![WorkQueue::Score, WorkQueue::Ledger]
        );
        assert_eq!(
            topology.queues_for(Event::Scored.routing_key()),
            vec![WorkQueue::Publish, WorkQueue::Ledger]
        );
        for event in Event::ALL {
            let to_the_ledger = topology
                .queues_for(event.routing_key())
                .contains(&WorkQueue::Ledger);
            assert_eq!(to_the_ledger, event != Event::Received, "{event}");
        }
        // A terminal event is one no stage takes further.
        for event in Event::ALL {
            let only_the_ledger =
                topology.queues_for(event.routing_key()) == vec![WorkQueue::Ledger];
            assert_eq!(event.is_terminal(), only_the_ledger, "{event}");
        }
        assert!(topology.queues_for("unrelated.key").is_empty());
    }

    #[test]
    fn names_derive_from_the_prefix() {
        let topology = Topology::new("t-1");
        assert_eq!(topology.exchange(), "t-1");
        assert_eq!(topology.dead_letter_exchange(), "t-1.dlx");
        assert_eq!(topology.dead_letter_queue(), "t-1.dead");
        assert_eq!(topology.ledger_dead_letter_queue(), "t-1.ledger.dead");
        assert_eq!(
            topology.work_queue_named("t-1.publish"),
            Some(WorkQueue::Publish)
        );
        assert_eq!(topology.work_queue_named("t-1.dead"), None);
        assert_eq!(topology.work_queue_named("other.publish"), None);
        assert_eq!(topology.queue_name(WorkQueue::Score), "t-1.score");
        assert_eq!(
            Topology::default().queue_name(WorkQueue::Ledger),
            "budgetflow.ledger"
        );
    }

    #[test]
    fn routing_keys_round_trip() {
        for event in Event::ALL {
            assert_eq!(Event::from_routing_key(event.routing_key()), Some(event));
        }
        assert_eq!(Event::from_routing_key("submission.unknown"), None);
    }
}
