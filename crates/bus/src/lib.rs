//! The budgetflow message bus.
//!
//! Stages (validate, score, publish, the ledger) exchange [`Envelope`]s over a topic
//! [`Topology`]. The [`Transport`] trait hides whether that happens over RabbitMQ
//! ([`RabbitTransport`], one process per stage) or over tokio channels inside one process
//! ([`MemoryTransport`], the embedded default); both give the same delivery semantics:
//! bounded queues, manual acknowledgement, redelivery with a delivery count, and
//! dead-lettering after a delivery limit.
//!
//! A stage is a [`StageHandler`] run by [`run_until_stopped`]; the handler returns an
//! [`Outcome`] and [`outcome::action_for`] alone decides what becomes of the input message.
//! The contract itself is described in `docs/messages.md`.

pub mod bench;
pub mod dead_letter;
pub mod envelope;
pub mod error;
pub mod idempotency;
pub mod memory;
pub mod outcome;
pub mod rabbitmq;
pub mod stage;
pub mod telemetry;
pub mod topology;
pub mod transport;

pub use dead_letter::{list_dead_letters, replay_dead_letters, DeadLetter};
pub use envelope::{Envelope, EnvelopeError, Failure, FindingCounts, Part, PublicationSummary};
pub use error::BusError;
pub use idempotency::{IdempotencyKey, IdempotencyStore, MemoryIdempotencyStore, RecordedOutput};
pub use memory::{MemoryTransport, QueueDepth};
pub use outcome::{Action, Attempt, Outcome, RetryPolicy};
pub use rabbitmq::{RabbitConfig, RabbitTransport};
pub use stage::{run_until_stopped, Stage, StageHandler};
pub use telemetry::StageMetric;
pub use topology::{Event, Topology, WorkQueue};
pub use transport::{
    Acknowledger, ConsumeOptions, Delivery, Destination, Headers, OutgoingMessage, Subscription,
    Transport,
};
