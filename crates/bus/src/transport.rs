//! The transport abstraction: publish with confirmation, consume with manual
//! acknowledgement, take dead letters, report readiness.
//!
//! Both implementations ([`crate::MemoryTransport`], [`crate::RabbitTransport`]) promise:
//! `publish` returns only once every queue the message routes to holds it (RabbitMQ:
//! publisher confirm), and fails with [`BusError::Unroutable`] rather than dropping a
//! message no queue is bound for; a delivery that is requeued (or dropped unsettled) comes
//! back with `attempt + 1` until the queue's delivery limit, after which it is
//! dead-lettered with reason `delivery_limit`.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::watch;

use crate::envelope::Envelope;
use crate::error::BusError;
use crate::topology::{Event, Topology, WorkQueue};

/// Message headers, as text. AMQP headers of other types are converted to text where
/// they are scalars and left out otherwise.
pub type Headers = BTreeMap<String, String>;

/// Header naming why a stage declared a message poison.
pub const POISON_REASON_HEADER: &str = "x-budgetflow-poison-reason";
/// Header naming the stage that dead-lettered a message.
pub const POISON_STAGE_HEADER: &str = "x-budgetflow-poison-stage";
/// Header naming the queue a stage dead-lettered a message from.
pub const POISON_QUEUE_HEADER: &str = "x-budgetflow-poison-queue";
/// Header the broker (or the in-memory transport) sets on dead letters: why it happened.
pub const FIRST_DEATH_REASON_HEADER: &str = "x-first-death-reason";
/// Header the broker (or the in-memory transport) sets on dead letters: the queue left.
pub const FIRST_DEATH_QUEUE_HEADER: &str = "x-first-death-queue";
/// The reason given to messages returned more often than the delivery limit allows.
pub const DELIVERY_LIMIT_REASON: &str = "delivery_limit";

/// Where a message is published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// The topic exchange: routed to the work queues by routing key.
    Exchange,
    /// The dead-letter exchange: lands in the dead-letter queue and the ledger's copy of it.
    DeadLetters,
}

/// A message to publish.
#[derive(Clone, Debug, PartialEq)]
pub struct OutgoingMessage {
    pub destination: Destination,
    pub routing_key: String,
    pub body: Vec<u8>,
    pub headers: Headers,
    /// Set as the AMQP `message_id` (the idempotency key, for envelopes).
    pub message_id: Option<String>,
}

impl OutgoingMessage {
    /// An event carrying `envelope`, published to the topic exchange.
    pub fn event(event: Event, envelope: &Envelope) -> Result<Self, BusError> {
        Ok(OutgoingMessage {
            destination: Destination::Exchange,
            routing_key: event.routing_key().to_owned(),
            body: envelope.to_vec()?,
            headers: Headers::new(),
            message_id: Some(envelope.idempotency_key().to_string()),
        })
    }
}

/// Per-consumer settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConsumeOptions {
    /// How many deliveries may be unsettled at once (AMQP `basic.qos` prefetch).
    pub prefetch: u16,
}

impl Default for ConsumeOptions {
    fn default() -> Self {
        ConsumeOptions { prefetch: 8 }
    }
}

/// Settles one delivery with its transport.
#[async_trait]
pub trait Acknowledger: Send + Sync {
    /// The message is done with; the queue forgets it.
    async fn ack(self: Box<Self>) -> Result<(), BusError>;
    /// The message goes back to the queue and is delivered again (or dead-lettered once
    /// the delivery limit is reached).
    async fn requeue(self: Box<Self>) -> Result<(), BusError>;
}

/// A message received from a queue; it must be settled with [`Delivery::ack`] or
/// [`Delivery::requeue`]. One dropped unsettled is returned to its queue.
pub struct Delivery {
    pub routing_key: String,
    pub body: Vec<u8>,
    pub headers: Headers,
    /// 1 on the first delivery, incremented on each redelivery.
    pub attempt: u32,
    acknowledger: Box<dyn Acknowledger>,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("routing_key", &self.routing_key)
            .field("attempt", &self.attempt)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Delivery {
    pub fn new(
        routing_key: String,
        body: Vec<u8>,
        headers: Headers,
        attempt: u32,
        acknowledger: Box<dyn Acknowledger>,
    ) -> Self {
        Delivery {
            routing_key,
            body,
            headers,
            attempt,
            acknowledger,
        }
    }

    pub async fn ack(self) -> Result<(), BusError> {
        self.acknowledger.ack().await
    }

    pub async fn requeue(self) -> Result<(), BusError> {
        self.acknowledger.requeue().await
    }
}

/// A stream of deliveries from one queue.
#[async_trait]
pub trait Subscription: Send {
    /// The next delivery; `None` once the subscription is cancelled or the transport
    /// closed. Cancel-safe: a delivery is never lost by dropping this future.
    async fn next(&mut self) -> Option<Delivery>;
    /// Stops deliveries. Deliveries already handed out can still be settled until the
    /// subscription is dropped; ones buffered but not handed out are requeued.
    async fn cancel(&mut self);
    /// Ends the subscription once the deliveries it handed out are settled, and waits until
    /// it is (RabbitMQ: its channel closed), so that closing the transport right after is
    /// quiet. Dropping a subscription ends it too, in the background.
    async fn close(self: Box<Self>);
}

/// A message bus the stages run on.
#[async_trait]
pub trait Transport: Send + Sync {
    /// The names and limits in use.
    fn topology(&self) -> &Topology;
    /// Publishes and waits until every target queue holds the message. While the broker is
    /// unreachable it keeps waiting (and publishing again): stages rely on that.
    async fn publish(&self, message: OutgoingMessage) -> Result<(), BusError>;
    /// As [`Transport::publish`], but gives up after `bound`: [`BusError::Unavailable`] when
    /// the message was not confirmed by then (broker down, a full queue in memory). For
    /// callers that must answer someone in time (the API answers 503). The message may
    /// still arrive if it was sent before the bound and confirmed after it.
    async fn publish_within(
        &self,
        message: OutgoingMessage,
        bound: Duration,
    ) -> Result<(), BusError> {
        match tokio::time::timeout(bound, self.publish(message)).await {
            Ok(published) => published,
            Err(_) => Err(BusError::Unavailable { waited: bound }),
        }
    }
    /// Starts consuming a work queue.
    async fn subscribe(
        &self,
        queue: WorkQueue,
        options: ConsumeOptions,
    ) -> Result<Box<dyn Subscription>, BusError>;
    /// Starts consuming the ledger's copy of the dead letters
    /// ([`Topology::ledger_dead_letter_queue`]). A delivery requeued more often than the
    /// delivery limit is dropped from that queue (its copy in the dead-letter queue stays).
    async fn subscribe_ledger_dead_letters(
        &self,
        options: ConsumeOptions,
    ) -> Result<Box<dyn Subscription>, BusError>;
    /// Takes up to `max` messages from the dead-letter queue, unsettled: they stay in the
    /// queue until acked, and requeued ones keep their place.
    async fn take_dead_letters(&self, max: usize) -> Result<Vec<Delivery>, BusError>;
    /// `true` while the transport can publish and consume.
    fn readiness(&self) -> watch::Receiver<bool>;
}
