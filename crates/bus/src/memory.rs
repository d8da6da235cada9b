//! The in-memory transport: the pipeline inside one process, no broker.
//!
//! Each work queue is a bounded FIFO: `publish` waits while a target queue holds
//! `capacity` ready messages (back-pressure), then stores the message in every target
//! queue at once. A consumer holds at most `prefetch`
//! unsettled deliveries. A requeued delivery, or one dropped unsettled, returns to its
//! original place in the queue; once it has been delivered more than the topology's
//! delivery limit it is dead-lettered with `x-first-death-reason: delivery_limit`, as a
//! RabbitMQ quorum queue does: the dead-letter exchange fans it out to the dead-letter queue
//! and to the ledger's copy of it. The ledger's copy has a delivery limit and no dead-letter
//! exchange: a message returned too often there is dropped (its twin stays in the
//! dead-letter queue).

use std::collections::{HashMap, VecDeque};
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

use crate::error::BusError;
use crate::topology::{Topology, WorkQueue};
use crate::transport::{
    Acknowledger, ConsumeOptions, Delivery, Destination, Headers, OutgoingMessage, Subscription,
    Transport, DELIVERY_LIMIT_REASON, FIRST_DEATH_QUEUE_HEADER, FIRST_DEATH_REASON_HEADER,
};

/// How many messages a queue holds, by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueDepth {
    /// Waiting to be delivered.
    pub ready: usize,
    /// Delivered and not yet settled.
    pub unacked: usize,
}

/// The bus inside one process.
#[derive(Clone)]
pub struct MemoryTransport {
    topology: Topology,
    queues: Arc<HashMap<WorkQueue, Arc<MemoryQueue>>>,
    dead_letters: Arc<MemoryQueue>,
    ledger_dead_letters: Arc<MemoryQueue>,
    dead_letter_exchange: DeadLetterExchange,
    ready: Arc<watch::Sender<bool>>,
    closed: CancellationToken,
}

impl MemoryTransport {
    /// A transport whose work queues each hold at most `capacity` ready messages.
    pub fn new(topology: Topology, capacity: usize) -> Self {
        let closed = CancellationToken::new();
        let dead_letters = Arc::new(MemoryQueue::new(
            topology.dead_letter_queue(),
            usize::MAX,
            None,
            None,
        ));
        let ledger_dead_letters = Arc::new(MemoryQueue::new(
            topology.ledger_dead_letter_queue(),
            usize::MAX,
            Some(topology.delivery_limit()),
            None,
        ));
        let dead_letter_exchange = DeadLetterExchange(Arc::new([
            dead_letters.clone(),
            ledger_dead_letters.clone(),
        ]));
        let queues = WorkQueue::ALL
            .into_iter()
            .map(|queue| {
                let memory_queue = MemoryQueue::new(
                    topology.queue_name(queue),
                    capacity.max(1),
                    Some(topology.delivery_limit()),
                    Some(dead_letter_exchange.clone()),
                );
                (queue, Arc::new(memory_queue))
            })
            .collect();
        MemoryTransport {
            topology,
            queues: Arc::new(queues),
            dead_letters,
            ledger_dead_letters,
            dead_letter_exchange,
            ready: Arc::new(watch::Sender::new(true)),
            closed,
        }
    }

    /// Closes the transport: readiness turns false, waiting publishes fail with
    /// [`BusError::Closed`] and subscriptions end.
    pub fn close(&self) {
        self.ready.send_replace(false);
        self.closed.cancel();
    }

    /// The depth of a work queue.
    pub fn depth(&self, queue: WorkQueue) -> QueueDepth {
        self.queues[&queue].depth()
    }

    /// The depth of the dead-letter queue.
    pub fn dead_letter_depth(&self) -> QueueDepth {
        self.dead_letters.depth()
    }

    /// The depth of the ledger's copy of the dead-letter queue.
    pub fn ledger_dead_letter_depth(&self) -> QueueDepth {
        self.ledger_dead_letters.depth()
    }

    /// Waits until the dead-letter queue holds at least `count` messages.
    pub async fn dead_letters_reach(&self, count: usize) {
        loop {
            let mut arrived = pin!(self.dead_letters.readable.notified());
            arrived.as_mut().enable();
            if self.dead_letters.depth().ready >= count {
                return;
            }
            arrived.await;
        }
    }
}

impl MemoryTransport {
    fn subscription(
        &self,
        queue: Arc<MemoryQueue>,
        options: ConsumeOptions,
    ) -> Box<dyn Subscription> {
        Box::new(MemorySubscription {
            queue,
            prefetch: Arc::new(Semaphore::new(usize::from(options.prefetch.max(1)))),
            cancelled: self.closed.child_token(),
        })
    }
}

/// The dead-letter exchange: a fanout to the dead-letter queue and the ledger's copy.
#[derive(Clone)]
struct DeadLetterExchange(Arc<[Arc<MemoryQueue>; 2]>);

impl DeadLetterExchange {
    /// Stores `message` in every queue bound to the exchange (dead letters are never refused).
    fn fan_out(&self, message: StoredMessage) {
        for queue in self.0.iter() {
            queue.push_unbounded(message.clone());
        }
    }
}

#[async_trait]
impl Transport for MemoryTransport {
    fn topology(&self) -> &Topology {
        &self.topology
    }

    async fn publish(&self, message: OutgoingMessage) -> Result<(), BusError> {
        if self.closed.is_cancelled() {
            return Err(BusError::Closed);
        }
        let stored = StoredMessage {
            seq: 0,
            routing_key: message.routing_key,
            body: message.body,
            headers: message.headers,
            deliveries: 0,
        };
        match message.destination {
            Destination::DeadLetters => {
                self.dead_letter_exchange.fan_out(stored);
                Ok(())
            }
            Destination::Exchange => {
                let targets = self.topology.queues_for(&stored.routing_key);
                if targets.is_empty() {
                    return Err(BusError::Unroutable {
                        routing_key: stored.routing_key,
                    });
                }
                let targets: Vec<&MemoryQueue> =
                    targets.iter().map(|queue| &*self.queues[queue]).collect();
                push_to_all(&targets, stored, &self.closed).await
            }
        }
    }

    async fn subscribe(
        &self,
        queue: WorkQueue,
        options: ConsumeOptions,
    ) -> Result<Box<dyn Subscription>, BusError> {
        if self.closed.is_cancelled() {
            return Err(BusError::Closed);
        }
        Ok(self.subscription(self.queues[&queue].clone(), options))
    }

    async fn subscribe_ledger_dead_letters(
        &self,
        options: ConsumeOptions,
    ) -> Result<Box<dyn Subscription>, BusError> {
        if self.closed.is_cancelled() {
            return Err(BusError::Closed);
        }
        Ok(self.subscription(self.ledger_dead_letters.clone(), options))
    }

    async fn take_dead_letters(&self, max: usize) -> Result<Vec<Delivery>, BusError> {
        let mut taken = Vec::new();
        while taken.len() < max {
            let Some(message) = self.dead_letters.take() else {
                break;
            };
            taken.push(MemoryAcker::delivery(
                self.dead_letters.clone(),
                message,
                None,
            ));
        }
        Ok(taken)
    }

    fn readiness(&self) -> watch::Receiver<bool> {
        self.ready.subscribe()
    }
}

#[derive(Clone, Debug)]
struct StoredMessage {
    /// Position in the queue; a returned message goes back to it.
    seq: u64,
    routing_key: String,
    body: Vec<u8>,
    headers: Headers,
    /// How many times the message has been delivered from this queue.
    deliveries: u32,
}

#[derive(Default)]
struct QueueState {
    ready: VecDeque<StoredMessage>,
    unacked: usize,
    next_seq: u64,
}

struct MemoryQueue {
    name: String,
    capacity: usize,
    delivery_limit: Option<u32>,
    /// Where a message returned more often than the limit goes; none: it is dropped.
    dead_letters: Option<DeadLetterExchange>,
    state: Mutex<QueueState>,
    readable: Notify,
    writable: Notify,
}

impl MemoryQueue {
    fn new(
        name: String,
        capacity: usize,
        delivery_limit: Option<u32>,
        dead_letters: Option<DeadLetterExchange>,
    ) -> Self {
        MemoryQueue {
            name,
            capacity,
            delivery_limit,
            dead_letters,
            state: Mutex::new(QueueState::default()),
            readable: Notify::new(),
            writable: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn depth(&self) -> QueueDepth {
        let state = self.lock();
        QueueDepth {
            ready: state.ready.len(),
            unacked: state.unacked,
        }
    }

    /// Appends `message` regardless of capacity (dead letters are never refused).
    fn push_unbounded(&self, mut message: StoredMessage) {
        let mut state = self.lock();
        message.seq = state.next_seq;
        message.deliveries = 0;
        state.next_seq += 1;
        state.ready.push_back(message);
        drop(state);
        self.readable.notify_waiters();
    }

    /// Hands out the first ready message, if any.
    fn take(&self) -> Option<StoredMessage> {
        let mut state = self.lock();
        let mut message = state.ready.pop_front()?;
        message.deliveries += 1;
        state.unacked += 1;
        drop(state);
        self.writable.notify_waiters();
        Some(message)
    }

    fn settle_ack(&self) {
        self.lock().unacked -= 1;
    }

    /// Puts a delivered message back in its place, or dead-letters it (drops it, without a
    /// dead-letter exchange) once it has been delivered more often than the limit allows.
    fn settle_return(&self, mut message: StoredMessage) {
        let mut state = self.lock();
        state.unacked -= 1;
        let over_limit = self
            .delivery_limit
            .is_some_and(|limit| message.deliveries > limit);
        match (&self.dead_letters, over_limit) {
            (Some(dead_letters), true) => {
                drop(state);
                message.headers.insert(
                    FIRST_DEATH_REASON_HEADER.to_owned(),
                    DELIVERY_LIMIT_REASON.to_owned(),
                );
                message
                    .headers
                    .insert(FIRST_DEATH_QUEUE_HEADER.to_owned(), self.name.clone());
                dead_letters.fan_out(message);
            }
            (None, true) => drop(state),
            (_, false) => {
                let position = state
                    .ready
                    .partition_point(|queued| queued.seq < message.seq);
                state.ready.insert(position, message);
                drop(state);
                self.readable.notify_waiters();
            }
        }
    }
}

/// Appends `message` to every queue of `targets` at once, waiting while any of them is full.
/// All or nothing: a publish abandoned while it waits (a bounded publish running out of
/// time) has stored the message nowhere. `targets` come in [`WorkQueue::ALL`] order, the
/// one order queues are ever locked together in.
async fn push_to_all(
    targets: &[&MemoryQueue],
    message: StoredMessage,
    closed: &CancellationToken,
) -> Result<(), BusError> {
    loop {
        let mut writable: Vec<_> = targets
            .iter()
            .map(|queue| Box::pin(queue.writable.notified()))
            .collect();
        for notified in &mut writable {
            notified.as_mut().enable();
        }
        let full = {
            let mut states: Vec<_> = targets.iter().map(|queue| queue.lock()).collect();
            let full = states
                .iter()
                .zip(targets)
                .position(|(state, queue)| state.ready.len() >= queue.capacity);
            if full.is_none() {
                for state in &mut states {
                    let mut copy = message.clone();
                    copy.seq = state.next_seq;
                    state.next_seq += 1;
                    state.ready.push_back(copy);
                }
            }
            full
        };
        let Some(full) = full else {
            for queue in targets {
                queue.readable.notify_waiters();
            }
            return Ok(());
        };
        tokio::select! {
            () = writable.swap_remove(full) => {}
            () = closed.cancelled() => return Err(BusError::Closed),
        }
    }
}

struct MemorySubscription {
    queue: Arc<MemoryQueue>,
    prefetch: Arc<Semaphore>,
    cancelled: CancellationToken,
}

#[async_trait]
impl Subscription for MemorySubscription {
    async fn next(&mut self) -> Option<Delivery> {
        let permit = tokio::select! {
            biased;
            () = self.cancelled.cancelled() => return None,
            permit = self.prefetch.clone().acquire_owned() => permit.ok()?,
        };
        loop {
            let mut readable = pin!(self.queue.readable.notified());
            readable.as_mut().enable();
            if let Some(message) = self.queue.take() {
                return Some(MemoryAcker::delivery(
                    self.queue.clone(),
                    message,
                    Some(permit),
                ));
            }
            tokio::select! {
                biased;
                () = self.cancelled.cancelled() => return None,
                () = readable => {}
            }
        }
    }

    async fn cancel(&mut self) {
        self.cancelled.cancel();
    }

    /// Nothing to wait for: the queue is in this process.
    async fn close(self: Box<Self>) {
        self.cancelled.cancel();
    }
}

/// Settles one in-memory delivery; dropped unsettled, it returns the message.
struct MemoryAcker {
    queue: Arc<MemoryQueue>,
    message: Option<StoredMessage>,
    _prefetch: Option<OwnedSemaphorePermit>,
}

impl MemoryAcker {
    fn delivery(
        queue: Arc<MemoryQueue>,
        message: StoredMessage,
        prefetch: Option<OwnedSemaphorePermit>,
    ) -> Delivery {
        Delivery::new(
            message.routing_key.clone(),
            message.body.clone(),
            message.headers.clone(),
            message.deliveries,
            Box::new(MemoryAcker {
                queue,
                message: Some(message),
                _prefetch: prefetch,
            }),
        )
    }
}

#[async_trait]
impl Acknowledger for MemoryAcker {
    async fn ack(mut self: Box<Self>) -> Result<(), BusError> {
        if self.message.take().is_some() {
            self.queue.settle_ack();
        }
        Ok(())
    }

    async fn requeue(mut self: Box<Self>) -> Result<(), BusError> {
        if let Some(message) = self.message.take() {
            self.queue.settle_return(message);
        }
        Ok(())
    }
}

impl Drop for MemoryAcker {
    fn drop(&mut self) {
        if let Some(message) = self.message.take() {
            self.queue.settle_return(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::Event;

    fn message(routing_key: &str, body: &str) -> OutgoingMessage {
        OutgoingMessage {
            destination: Destination::Exchange,
            routing_key: routing_key.to_owned(),
            body: body.as_bytes().to_vec(),
            headers: Headers::new(),
            message_id: None,
        }
    }

    async fn next_body(subscription: &mut Box<dyn Subscription>) -> Delivery {
        subscription.next().await.expect("a delivery")
    }

    #[tokio::test]
    async fn routes_by_topic_to_the_stage_and_the_ledger() {
        let transport = MemoryTransport::new(Topology::new("t"), 10);
        transport
            .publish(message(Event::Validated.routing_key(), "v"))
            .await
            .unwrap();
        assert_eq!(transport.depth(WorkQueue::Score).ready, 1);
        assert_eq!(transport.depth(WorkQueue::Ledger).ready, 1);
        assert_eq!(transport.depth(WorkQueue::Validate).ready, 0);
        assert_eq!(transport.depth(WorkQueue::Publish).ready, 0);
    }

    #[tokio::test]
    async fn refuses_unroutable_messages() {
        let transport = MemoryTransport::new(Topology::new("t"), 10);
        let error = transport
            .publish(message("nobody.listens", "x"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, BusError::Unroutable { routing_key } if routing_key == "nobody.listens")
        );
    }

    #[tokio::test]
    async fn returned_messages_keep_their_place_and_count_deliveries() {
        let transport = MemoryTransport::new(Topology::new("t"), 10);
        let mut subscription = transport
            .subscribe(WorkQueue::Validate, ConsumeOptions { prefetch: 2 })
            .await
            .unwrap();
        for body in ["a", "b"] {
            transport
                .publish(message(Event::Received.routing_key(), body))
                .await
                .unwrap();
        }
        let a = next_body(&mut subscription).await;
        let b = next_body(&mut subscription).await;
        assert_eq!((a.attempt, b.attempt), (1, 1));
        b.requeue().await.unwrap();
        drop(a);
        let again = next_body(&mut subscription).await;
        assert_eq!((again.body.as_slice(), again.attempt), (b"a".as_slice(), 2));
        let again = next_body(&mut subscription).await;
        assert_eq!((again.body.as_slice(), again.attempt), (b"b".as_slice(), 2));
    }

    #[tokio::test]
    async fn prefetch_bounds_unsettled_deliveries() {
        let transport = MemoryTransport::new(Topology::new("t"), 10);
        let mut subscription = transport
            .subscribe(WorkQueue::Validate, ConsumeOptions { prefetch: 1 })
            .await
            .unwrap();
        for body in ["a", "b"] {
            transport
                .publish(message(Event::Received.routing_key(), body))
                .await
                .unwrap();
        }
        let first = next_body(&mut subscription).await;
        {
            let mut second = pin!(subscription.next());
            assert!(futures_util::poll!(second.as_mut()).is_pending());
        }
        first.ack().await.unwrap();
        assert_eq!(next_body(&mut subscription).await.body, b"b");
    }

    #[tokio::test]
    async fn close_ends_subscriptions_and_readiness() {
        let transport = MemoryTransport::new(Topology::new("t"), 1);
        let mut subscription = transport
            .subscribe(WorkQueue::Validate, ConsumeOptions::default())
            .await
            .unwrap();
        let readiness = transport.readiness();
        assert!(*readiness.borrow());
        transport.close();
        assert!(!*readiness.borrow());
        assert!(subscription.next().await.is_none());
        assert!(matches!(
            transport
                .publish(message(Event::Received.routing_key(), "x"))
                .await,
            Err(BusError::Closed)
        ));
    }
}
