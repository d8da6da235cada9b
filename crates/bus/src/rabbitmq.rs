//! The RabbitMQ transport (lapin 4).
//!
//! It declares its own topology on every (re)connection: a durable topic exchange, a
//! fanout dead-letter exchange bound to a durable dead-letter queue and to the ledger's
//! durable copy of it, and quorum work queues with `x-delivery-limit` and
//! `x-dead-letter-exchange` set explicitly (RabbitMQ 4 changed both defaults). Messages are persistent (delivery mode 2), published
//! `mandatory` with publisher confirms, and consumed with manual acks and a per-consumer
//! prefetch.
//!
//! A session is two connections: one for consuming, one for publishing (on a confirm-mode
//! channel). RabbitMQ throttles a connection that publishes faster than its queues take
//! messages, and blocks it under a memory or disk alarm; on a shared connection that would
//! stall the acks and deliveries that drain those queues.
//!
//! Recovery is this module's own: a supervisor task owns the session; when either
//! connection or a channel fails it turns readiness false, reconnects with exponential
//! backoff, re-declares the topology and publishes the new session. Subscriptions
//! re-open their consumer on the new session, and a publish that was not confirmed is
//! published again, so a message may arrive twice (the stages are idempotent) but a
//! confirmed one is never lost.
//!
//! Closing is quiet: a subscription closes its channel and waits for the broker before the
//! connection is closed (lapin logs a closing race as a connection error), and errors that
//! only say a channel or connection this process is closing was closing already are logged
//! at debug level.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use lapin::options::{
    BasicCancelOptions, BasicConsumeOptions, BasicGetOptions, BasicNackOptions,
    BasicPublishOptions, BasicQosOptions, ConfirmSelectOptions, ExchangeDeclareOptions,
    ExchangeDeleteOptions, QueueBindOptions, QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::{
    BasicProperties, Channel, Confirmation, Connection, ConnectionProperties, Consumer,
    ExchangeKind,
};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};
use uuid::Uuid;

use crate::error::BusError;
use crate::outcome::RetryPolicy;
use crate::topology::{Topology, WorkQueue};
use crate::transport::{
    Acknowledger, ConsumeOptions, Delivery, Destination, Headers, OutgoingMessage, Subscription,
    Transport,
};

/// How long a cancelled consumer waits for the broker to flush deliveries it had already
/// sent; they are requeued.
const CANCEL_DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// How long closing a connection waits for the broker's answer.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// The AMQP reply code of a normal close.
const REPLY_SUCCESS: u16 = 200;

/// Where and how to connect.
#[derive(Clone, Debug)]
pub struct RabbitConfig {
    /// e.g. `amqp://guest:guest@127.0.0.1:5672/%2f`
    pub url: String,
    pub topology: Topology,
    /// Shown in the management UI.
    pub connection_name: String,
    /// Backoff between reconnection attempts (and after a publish the broker nacked).
    pub reconnect: RetryPolicy,
}

impl RabbitConfig {
    pub fn new(url: impl Into<String>, topology: Topology) -> Self {
        RabbitConfig {
            url: url.into(),
            topology,
            connection_name: "budgetflow".to_owned(),
            reconnect: RetryPolicy {
                initial: Duration::from_millis(100),
                max: Duration::from_secs(10),
            },
        }
    }
}

/// The bus over RabbitMQ. Dropping it (or [`RabbitTransport::close`]) stops the
/// supervisor and ends the subscriptions.
pub struct RabbitTransport {
    shared: Arc<Shared>,
}

struct Shared {
    config: RabbitConfig,
    session: watch::Sender<Option<Arc<Session>>>,
    ready: watch::Sender<bool>,
    broken: mpsc::UnboundedSender<u64>,
    closed: CancellationToken,
}

/// The two connections of one session, the topology declared, and the confirm-mode
/// publishing channel.
struct Session {
    generation: u64,
    /// Consumers' channels, and the short-lived ones that count or take messages.
    consuming: Connection,
    /// Only the publisher's channel.
    publishing: Connection,
    publisher: Channel,
}

impl Session {
    async fn close(&self) {
        close_quietly(&self.consuming).await;
        close_quietly(&self.publishing).await;
    }
}

impl RabbitTransport {
    /// Connects and declares the topology. The first connection must succeed; after that
    /// the transport reconnects by itself for as long as it lives.
    pub async fn connect(config: RabbitConfig) -> Result<Self, BusError> {
        let session = open_session(&config, 1).await?;
        let (broken, broken_reports) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            config,
            session: watch::Sender::new(Some(Arc::new(session))),
            ready: watch::Sender::new(true),
            broken,
            closed: CancellationToken::new(),
        });
        tokio::spawn(supervise(shared.clone(), broken_reports));
        Ok(RabbitTransport { shared })
    }

    /// Stops reconnecting, ends subscriptions and closes the connections.
    pub async fn close(&self) {
        self.shared.closed.cancel();
        self.shared.ready.send_replace(false);
        if let Some(session) = self.shared.session.send_replace(None) {
            session.close().await;
        }
    }

    /// How many messages wait in a work queue (not counting unacked ones).
    pub async fn ready_messages(&self, queue: WorkQueue) -> Result<u32, BusError> {
        let name = self.shared.config.topology.queue_name(queue);
        Ok(self.queue_state(name).await?.message_count())
    }

    /// How many consumers a work queue has: the replicas of its stage that are taking work.
    pub async fn consumers(&self, queue: WorkQueue) -> Result<u32, BusError> {
        let name = self.shared.config.topology.queue_name(queue);
        Ok(self.queue_state(name).await?.consumer_count())
    }

    /// How many messages wait in the dead-letter queue (not counting unacked ones).
    pub async fn dead_letter_count(&self) -> Result<u32, BusError> {
        let name = self.shared.config.topology.dead_letter_queue();
        Ok(self.queue_state(name).await?.message_count())
    }

    /// How many messages wait in the ledger's copy of the dead-letter queue.
    pub async fn ledger_dead_letter_count(&self) -> Result<u32, BusError> {
        let name = self.shared.config.topology.ledger_dead_letter_queue();
        Ok(self.queue_state(name).await?.message_count())
    }

    /// A queue's counts as the broker reports them to a passive declare.
    async fn queue_state(&self, name: String) -> Result<lapin::Queue, BusError> {
        let session = self.shared.session_after(0).await?;
        let channel = session.consuming.create_channel().await?;
        let options = QueueDeclareOptions {
            passive: true,
            ..QueueDeclareOptions::default()
        };
        let queue = channel
            .queue_declare(name.into(), options, FieldTable::default())
            .await?;
        if let Err(error) = channel.close(REPLY_SUCCESS, "counted".into()).await {
            log_close_error("closing a channel", &error);
        }
        Ok(queue)
    }

    /// Deletes every queue and exchange of `config.topology` (tests, decommissioning),
    /// over a connection of its own.
    pub async fn delete_topology(config: &RabbitConfig) -> Result<(), BusError> {
        let topology = &config.topology;
        let connection = Connection::connect(&config.url, ConnectionProperties::default()).await?;
        let channel = connection.create_channel().await?;
        let mut queues: Vec<String> = WorkQueue::ALL
            .into_iter()
            .map(|q| topology.queue_name(q))
            .collect();
        queues.push(topology.dead_letter_queue());
        queues.push(topology.ledger_dead_letter_queue());
        for queue in queues {
            channel
                .queue_delete(queue.into(), QueueDeleteOptions::default())
                .await?;
        }
        for exchange in [
            topology.exchange().to_owned(),
            topology.dead_letter_exchange(),
        ] {
            channel
                .exchange_delete(exchange.into(), ExchangeDeleteOptions::default())
                .await?;
        }
        connection.close(200, "topology deleted".into()).await?;
        Ok(())
    }
}

impl RabbitTransport {
    /// Starts consuming the queue `name`.
    async fn consume(
        &self,
        name: String,
        options: ConsumeOptions,
    ) -> Result<Box<dyn Subscription>, BusError> {
        let prefetch = options.prefetch.max(1);
        let session = self.shared.session_after(0).await?;
        let active = open_consumer(&session, &name, prefetch).await?;
        Ok(Box::new(RabbitSubscription {
            shared: self.shared.clone(),
            queue: name,
            prefetch,
            active: Some(active),
            opening: None,
            failed_generation: 0,
            cancelled: false,
        }))
    }
}

impl Drop for RabbitTransport {
    fn drop(&mut self) {
        self.shared.closed.cancel();
    }
}

impl Shared {
    /// The current session once it is newer than `generation` (0: any session).
    async fn session_after(&self, generation: u64) -> Result<Arc<Session>, BusError> {
        let mut sessions = self.session.subscribe();
        tokio::select! {
            session = sessions.wait_for(|session| {
                session.as_ref().is_some_and(|session| session.generation > generation)
            }) => session
                .map_err(|_| BusError::Closed)?
                .clone()
                .ok_or(BusError::Closed),
            () = self.closed.cancelled() => Err(BusError::Closed),
        }
    }

    /// Tells the supervisor that session `generation` failed.
    fn report_broken(&self, generation: u64) {
        // The supervisor only stops listening when the transport is closed.
        let _ = self.broken.send(generation);
    }
}

async fn open_session(config: &RabbitConfig, generation: u64) -> Result<Session, BusError> {
    let connect = |role: &str| {
        let name = format!("{} ({role})", config.connection_name);
        let properties = ConnectionProperties::default().with_connection_name(name.into());
        Connection::connect(&config.url, properties)
    };
    let consuming = connect("consume").await?;
    let publishing = async {
        let publishing = connect("publish").await?;
        match declared_publisher(&publishing, &config.topology).await {
            Ok(publisher) => Ok((publishing, publisher)),
            Err(error) => {
                close_quietly(&publishing).await;
                Err(error)
            }
        }
    };
    match publishing.await {
        Ok((publishing, publisher)) => Ok(Session {
            generation,
            consuming,
            publishing,
            publisher,
        }),
        Err(error) => {
            close_quietly(&consuming).await;
            Err(error.into())
        }
    }
}

/// The publishing channel of `connection`, in confirm mode, with the topology declared.
async fn declared_publisher(
    connection: &Connection,
    topology: &Topology,
) -> Result<Channel, lapin::Error> {
    let publisher = connection.create_channel().await?;
    declare_topology(&publisher, topology).await?;
    publisher
        .confirm_select(ConfirmSelectOptions::default())
        .await?;
    Ok(publisher)
}

/// Closes `connection`, waiting at most [`CLOSE_TIMEOUT`] for the broker (which may be
/// gone); an error that only says it was closing already is logged at debug level.
async fn close_quietly(connection: &Connection) {
    match tokio::time::timeout(
        CLOSE_TIMEOUT,
        connection.close(REPLY_SUCCESS, "closing".into()),
    )
    .await
    {
        Ok(Ok(())) => {}
        Ok(Err(error)) => log_close_error("closing the AMQP connection", &error),
        Err(_) => debug!("the broker did not answer the close of a connection in time"),
    }
}

/// Watches the current session; when it fails, replaces it.
async fn supervise(shared: Arc<Shared>, mut broken_reports: mpsc::UnboundedReceiver<u64>) {
    let mut generation = 1;
    loop {
        let Some(session) = shared.session.borrow().clone() else {
            return;
        };
        let mut events = pin!(futures_util::stream::select(
            session.consuming.events_listener(),
            session.publishing.events_listener(),
        ));
        loop {
            tokio::select! {
                biased;
                () = shared.closed.cancelled() => return,
                Some(reported) = broken_reports.recv() => {
                    if reported == session.generation {
                        warn!(generation, "session reported broken");
                        break;
                    }
                }
                event = events.next() => match event {
                    Some(lapin::Event::Error(error)) => {
                        warn!(%error, generation, "AMQP connection or channel failed");
                        break;
                    }
                    Some(_) => {}
                    None => break,
                },
            }
        }
        shared.ready.send_replace(false);
        shared.session.send_replace(None);
        // Either connection failing ends the session: the other one is closed too, and its
        // consumers re-open on the next session (what they held unacked comes again).
        session.close().await;
        drop(session);

        let mut attempt = 1;
        loop {
            generation += 1;
            let opened = tokio::select! {
                () = shared.closed.cancelled() => return,
                opened = open_session(&shared.config, generation) => opened,
            };
            match opened {
                Ok(session) => {
                    info!(
                        generation,
                        "AMQP connection re-established, topology declared"
                    );
                    shared.session.send_replace(Some(Arc::new(session)));
                    shared.ready.send_replace(true);
                    break;
                }
                Err(error) => {
                    let delay = shared.config.reconnect.delay(attempt);
                    warn!(%error, attempt, ?delay, "reconnecting to RabbitMQ failed");
                    tokio::select! {
                        () = shared.closed.cancelled() => return,
                        () = tokio::time::sleep(delay) => {}
                    }
                    attempt += 1;
                }
            }
        }
    }
}

/// The arguments of a work queue: quorum type, delivery limit, dead-letter exchange.
fn work_queue_arguments(topology: &Topology) -> FieldTable {
    let mut arguments = limited_quorum_arguments(topology);
    arguments.insert(
        "x-dead-letter-exchange".into(),
        AMQPValue::LongString(topology.dead_letter_exchange().into()),
    );
    arguments
}

/// The dead-letter queue is a classic queue: it has no delivery limit, so listing it
/// (which requeues) can never drop a dead letter.
fn dead_letter_queue_arguments() -> FieldTable {
    let mut arguments = FieldTable::default();
    arguments.insert(
        "x-queue-type".into(),
        AMQPValue::LongString("classic".into()),
    );
    arguments
}

/// The ledger's copy of the dead letters is a quorum queue with the work queues' delivery
/// limit and no dead-letter exchange: a dead letter the ledger keeps failing on is dropped
/// from it after the limit (the dead-letter queue keeps its twin) instead of looping back
/// into the dead-letter exchange.
fn ledger_dead_letter_queue_arguments(topology: &Topology) -> FieldTable {
    limited_quorum_arguments(topology)
}

/// A quorum queue with the topology's delivery limit.
fn limited_quorum_arguments(topology: &Topology) -> FieldTable {
    let mut arguments = FieldTable::default();
    arguments.insert(
        "x-queue-type".into(),
        AMQPValue::LongString("quorum".into()),
    );
    arguments.insert(
        "x-delivery-limit".into(),
        AMQPValue::LongLongInt(i64::from(topology.delivery_limit())),
    );
    arguments
}

async fn declare_topology(channel: &Channel, topology: &Topology) -> Result<(), lapin::Error> {
    let durable_exchange = ExchangeDeclareOptions {
        durable: true,
        ..ExchangeDeclareOptions::default()
    };
    let durable_queue = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .exchange_declare(
            topology.exchange().into(),
            ExchangeKind::Topic,
            durable_exchange,
            FieldTable::default(),
        )
        .await?;
    channel
        .exchange_declare(
            topology.dead_letter_exchange().into(),
            ExchangeKind::Fanout,
            durable_exchange,
            FieldTable::default(),
        )
        .await?;
    for (queue, arguments) in [
        (topology.dead_letter_queue(), dead_letter_queue_arguments()),
        (
            topology.ledger_dead_letter_queue(),
            ledger_dead_letter_queue_arguments(topology),
        ),
    ] {
        channel
            .queue_declare(queue.clone().into(), durable_queue, arguments)
            .await?;
        channel
            .queue_bind(
                queue.into(),
                topology.dead_letter_exchange().into(),
                "".into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
    }
    for queue in WorkQueue::ALL {
        let name = topology.queue_name(queue);
        channel
            .queue_declare(
                name.clone().into(),
                durable_queue,
                work_queue_arguments(topology),
            )
            .await?;
        for binding in queue.bindings() {
            channel
                .queue_bind(
                    name.as_str().into(),
                    topology.exchange().into(),
                    binding.into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
        }
        // Unbinding a binding that does not exist is no error.
        for binding in queue.retired_bindings() {
            channel
                .queue_unbind(
                    name.as_str().into(),
                    topology.exchange().into(),
                    (*binding).into(),
                    FieldTable::default(),
                )
                .await?;
        }
    }
    Ok(())
}

#[async_trait]
impl Transport for RabbitTransport {
    fn topology(&self) -> &Topology {
        &self.shared.config.topology
    }

    async fn publish(&self, message: OutgoingMessage) -> Result<(), BusError> {
        let topology = &self.shared.config.topology;
        let exchange: ShortString = match message.destination {
            Destination::Exchange => topology.exchange().into(),
            Destination::DeadLetters => topology.dead_letter_exchange().into(),
        };
        let mut properties = BasicProperties::default()
            .with_delivery_mode(2)
            .with_content_type("application/json".into())
            .with_headers(amqp_headers(&message.headers));
        if let Some(message_id) = &message.message_id {
            properties = properties.with_message_id(message_id.as_str().into());
        }
        let options = BasicPublishOptions {
            mandatory: true,
            ..BasicPublishOptions::default()
        };
        let mut failed_generation = 0;
        let mut nacks = 0;
        loop {
            let session = self.shared.session_after(failed_generation).await?;
            let confirmation = async {
                session
                    .publisher
                    .basic_publish(
                        exchange.clone(),
                        message.routing_key.as_str().into(),
                        options,
                        &message.body,
                        properties.clone(),
                    )
                    .await?
                    .await
            }
            .await;
            match confirmation {
                Ok(Confirmation::Ack(None)) => return Ok(()),
                Ok(Confirmation::Ack(Some(_returned))) => {
                    return Err(BusError::Unroutable {
                        routing_key: message.routing_key,
                    });
                }
                Ok(confirmation) => {
                    nacks += 1;
                    let delay = self.shared.config.reconnect.delay(nacks);
                    warn!(
                        ?confirmation,
                        ?delay,
                        "publish not confirmed; publishing again"
                    );
                    tokio::select! {
                        () = self.shared.closed.cancelled() => return Err(BusError::Closed),
                        () = tokio::time::sleep(delay) => {}
                    }
                }
                Err(error) => {
                    warn!(%error, "publish failed; publishing again on the next connection");
                    self.shared.report_broken(session.generation);
                    failed_generation = session.generation;
                }
            }
        }
    }

    async fn subscribe(
        &self,
        queue: WorkQueue,
        options: ConsumeOptions,
    ) -> Result<Box<dyn Subscription>, BusError> {
        let name = self.shared.config.topology.queue_name(queue);
        self.consume(name, options).await
    }

    async fn subscribe_ledger_dead_letters(
        &self,
        options: ConsumeOptions,
    ) -> Result<Box<dyn Subscription>, BusError> {
        let name = self.shared.config.topology.ledger_dead_letter_queue();
        self.consume(name, options).await
    }

    async fn take_dead_letters(&self, max: usize) -> Result<Vec<Delivery>, BusError> {
        let session = self.shared.session_after(0).await?;
        let channel = session.consuming.create_channel().await?;
        let queue = self.shared.config.topology.dead_letter_queue();
        let mut taken = Vec::new();
        while taken.len() < max {
            let options = BasicGetOptions { no_ack: false };
            match channel.basic_get(queue.as_str().into(), options).await? {
                Some(message) => taken.push(delivery(message.delivery, channel.clone())),
                None => break,
            }
        }
        Ok(taken)
    }

    fn readiness(&self) -> watch::Receiver<bool> {
        self.shared.ready.subscribe()
    }
}

struct RabbitSubscription {
    shared: Arc<Shared>,
    queue: String,
    prefetch: u16,
    active: Option<ActiveConsumer>,
    /// A consumer being opened. It lives here rather than in `next`'s future: a caller that
    /// drops `next` mid-way (a `select!` that took another branch) resumes the same opening
    /// on its next call. Opened again instead, the first consumer would stay on the broker
    /// with the messages sent to it, and nobody would read them until the connection closed.
    opening: Option<Opening>,
    /// The newest session this subscription failed on: it waits for a newer one.
    failed_generation: u64,
    cancelled: bool,
}

/// A consumer being opened on a session: the consumer, or the session's generation and why
/// it could not be opened.
type Opening =
    std::pin::Pin<Box<dyn Future<Output = Result<ActiveConsumer, (u64, lapin::Error)>> + Send>>;

struct ActiveConsumer {
    generation: u64,
    channel: Channel,
    consumer: Consumer,
    tag: String,
}

impl RabbitSubscription {
    /// Starts opening a consumer of the queue on `session`.
    fn open(&self, session: Arc<Session>) -> Opening {
        let (queue, prefetch) = (self.queue.clone(), self.prefetch);
        Box::pin(async move {
            open_consumer(&session, &queue, prefetch)
                .await
                .map_err(|error| (session.generation, error))
        })
    }

    /// Finishes the opening under way, if any: the consumer becomes the active one.
    async fn finish_opening(&mut self) {
        let Some(opening) = self.opening.as_mut() else {
            return;
        };
        let opened = opening.await;
        self.opening = None;
        match opened {
            Ok(active) => self.active = Some(active),
            Err((generation, error)) => {
                warn!(%error, queue = %self.queue, "consuming failed");
                self.shared.report_broken(generation);
                self.failed_generation = generation;
            }
        }
    }
}

/// A consumer of `queue` on a channel of its own, with `prefetch`.
async fn open_consumer(
    session: &Session,
    queue: &str,
    prefetch: u16,
) -> Result<ActiveConsumer, lapin::Error> {
    let channel = session.consuming.create_channel().await?;
    channel
        .basic_qos(prefetch, BasicQosOptions::default())
        .await?;
    let tag = format!("{queue}-{}", Uuid::new_v4().simple());
    let consumer = channel
        .basic_consume(
            queue.into(),
            tag.as_str().into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    Ok(ActiveConsumer {
        generation: session.generation,
        channel,
        consumer,
        tag,
    })
}

#[async_trait]
impl Subscription for RabbitSubscription {
    async fn next(&mut self) -> Option<Delivery> {
        loop {
            if self.cancelled {
                return None;
            }
            let Some(active) = self.active.as_mut() else {
                if self.opening.is_none() {
                    let session = self
                        .shared
                        .session_after(self.failed_generation)
                        .await
                        .ok()?;
                    self.opening = Some(self.open(session));
                }
                self.finish_opening().await;
                continue;
            };
            match active.consumer.next().await {
                Some(Ok(message)) => return Some(delivery(message, active.channel.clone())),
                Some(Err(error)) => {
                    warn!(%error, queue = %self.queue, "consumer failed; re-opening it");
                    self.shared.report_broken(active.generation);
                    self.failed_generation = active.generation;
                    self.active = None;
                }
                None => {
                    warn!(queue = %self.queue, "the broker cancelled the consumer; re-opening it");
                    self.active = None;
                }
            }
        }
    }

    async fn cancel(&mut self) {
        self.cancelled = true;
        // A consumer half open would be left behind with what the broker sends it.
        self.finish_opening().await;
        let Some(active) = self.active.as_mut() else {
            return;
        };
        let cancelled = active
            .channel
            .basic_cancel(active.tag.as_str().into(), BasicCancelOptions::default())
            .await;
        if let Err(error) = cancelled {
            warn!(%error, queue = %self.queue, "cancelling the consumer");
            return;
        }
        // Deliveries the broker sent before the cancel arrive first; hand them back.
        while let Ok(Some(Ok(message))) =
            tokio::time::timeout(CANCEL_DRAIN_TIMEOUT, active.consumer.next()).await
        {
            let requeue = BasicNackOptions {
                requeue: true,
                multiple: false,
            };
            if let Err(error) = message.acker.nack(requeue).await {
                warn!(%error, "requeueing a prefetched delivery");
            }
        }
    }

    async fn close(mut self: Box<Self>) {
        self.cancelled = true;
        let Some(active) = self.active.take() else {
            return;
        };
        let closed = active
            .channel
            .close(REPLY_SUCCESS, "consumer closed".into())
            .await;
        if let Err(error) = closed {
            log_close_error("closing the consumer's channel", &error);
        }
    }
}

/// `true` when an error met while closing a channel or connection this process chose to
/// close only says that it was closing or closed already (the broker or the connection went
/// first): nothing is wrong, nothing is lost.
fn already_closing(error: &lapin::Error) -> bool {
    matches!(
        error.kind(),
        lapin::ErrorKind::InvalidChannel(_)
            | lapin::ErrorKind::InvalidChannelState(..)
            | lapin::ErrorKind::InvalidConnectionState(_)
    )
}

/// Logs an error met while closing `what`: at debug level when it was closing already, as a
/// warning otherwise. A close this process initiated is never an error.
fn log_close_error(what: &str, error: &lapin::Error) {
    if already_closing(error) {
        debug!(%error, what, "already closing");
    } else {
        warn!(%error, what, "closing failed");
    }
}

/// Settles a RabbitMQ delivery; keeps its channel open until then. Dropped unsettled, it
/// requeues the message.
struct RabbitAcker {
    acker: Option<lapin::Acker>,
    channel: Channel,
}

#[async_trait]
impl Acknowledger for RabbitAcker {
    async fn ack(mut self: Box<Self>) -> Result<(), BusError> {
        match self.acker.take() {
            Some(acker) => settled(
                acker
                    .ack(lapin::options::BasicAckOptions::default())
                    .await
                    .map_err(unsettled)?,
            ),
            None => Ok(()),
        }
    }

    async fn requeue(mut self: Box<Self>) -> Result<(), BusError> {
        let requeue = BasicNackOptions {
            requeue: true,
            multiple: false,
        };
        match self.acker.take() {
            Some(acker) => settled(acker.nack(requeue).await.map_err(unsettled)?),
            None => Ok(()),
        }
    }
}

/// An ack or nack that failed because its channel or connection is closing or closed cannot
/// be settled any more: the broker requeues the delivery, so it is the same as a lost channel.
/// Anything else stays an AMQP error.
fn unsettled(error: lapin::Error) -> BusError {
    match error.kind() {
        lapin::ErrorKind::InvalidChannel(_)
        | lapin::ErrorKind::InvalidChannelState(..)
        | lapin::ErrorKind::InvalidConnectionState(_)
        | lapin::ErrorKind::IOError(_) => BusError::ChannelGone,
        _ => error.into(),
    }
}

/// lapin answers `false` when the delivery's channel is gone (its ackers are poisoned).
fn settled(sent: bool) -> Result<(), BusError> {
    if sent {
        Ok(())
    } else {
        Err(BusError::ChannelGone)
    }
}

impl Drop for RabbitAcker {
    fn drop(&mut self) {
        let Some(acker) = self.acker.take() else {
            return;
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let channel = self.channel.clone();
            runtime.spawn(async move {
                let requeue = BasicNackOptions {
                    requeue: true,
                    multiple: false,
                };
                if let Err(error) = acker.nack(requeue).await {
                    warn!(%error, "requeueing a dropped delivery");
                }
                drop(channel);
            });
        }
    }
}

fn delivery(message: lapin::message::Delivery, channel: Channel) -> Delivery {
    let headers = text_headers(message.properties.headers().as_ref());
    // Quorum queues count earlier deliveries in `x-delivery-count`.
    let attempt = headers
        .get("x-delivery-count")
        .and_then(|count| count.parse::<u32>().ok())
        .map_or(if message.redelivered { 2 } else { 1 }, |count| count + 1);
    Delivery::new(
        message.routing_key.to_string(),
        message.data,
        headers,
        attempt,
        Box::new(RabbitAcker {
            acker: Some(message.acker),
            channel,
        }),
    )
}

fn amqp_headers(headers: &Headers) -> FieldTable {
    let mut table = FieldTable::default();
    for (name, value) in headers {
        table.insert(
            name.as_str().into(),
            AMQPValue::LongString(LongString::from(value.as_str())),
        );
    }
    table
}

/// Scalar AMQP headers as text; arrays and tables (such as `x-death`) are left out.
fn text_headers(table: Option<&FieldTable>) -> Headers {
    let Some(table) = table else {
        return Headers::new();
    };
    table
        .inner()
        .iter()
        .filter_map(|(name, value)| Some((name.to_string(), scalar_text(value)?)))
        .collect()
}

fn scalar_text(value: &AMQPValue) -> Option<String> {
    Some(match value {
        AMQPValue::Boolean(value) => value.to_string(),
        AMQPValue::ShortShortInt(value) => value.to_string(),
        AMQPValue::ShortShortUInt(value) => value.to_string(),
        AMQPValue::ShortInt(value) => value.to_string(),
        AMQPValue::ShortUInt(value) => value.to_string(),
        AMQPValue::LongInt(value) => value.to_string(),
        AMQPValue::LongUInt(value) => value.to_string(),
        AMQPValue::LongLongInt(value) => value.to_string(),
        AMQPValue::Timestamp(value) => value.to_string(),
        AMQPValue::ShortString(value) => value.to_string(),
        AMQPValue::LongString(value) => value.to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_queues_are_quorum_with_explicit_limit_and_dead_lettering() {
        let topology = Topology::new("t").with_delivery_limit(3);
        let arguments = work_queue_arguments(&topology);
        let text = text_headers(Some(&arguments));
        assert_eq!(text["x-queue-type"], "quorum");
        assert_eq!(text["x-delivery-limit"], "3");
        assert_eq!(text["x-dead-letter-exchange"], "t.dlx");
    }

    #[test]
    fn the_ledgers_dead_letters_are_limited_and_never_dead_lettered_again() {
        let topology = Topology::new("t").with_delivery_limit(3);
        let text = text_headers(Some(&ledger_dead_letter_queue_arguments(&topology)));
        assert_eq!(text["x-queue-type"], "quorum");
        assert_eq!(text["x-delivery-limit"], "3");
        assert!(!text.contains_key("x-dead-letter-exchange"));
    }

    #[test]
    fn headers_survive_the_amqp_table_round_trip() {
        let headers: Headers = [(
            "x-budgetflow-poison-reason",
            "schema budgetflow.envelope/9 — 未知",
        )]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(text_headers(Some(&amqp_headers(&headers))), headers);
    }

    #[test]
    fn closing_what_is_closing_already_is_not_a_failure() {
        use lapin::{ChannelState, ConnectionState, ErrorKind};
        let cases = [
            (
                ErrorKind::InvalidChannelState(ChannelState::Closing, "channel.close"),
                true,
            ),
            (
                ErrorKind::InvalidChannelState(ChannelState::Closed, "basic.ack"),
                true,
            ),
            (
                ErrorKind::InvalidConnectionState(ConnectionState::Closing),
                true,
            ),
            (ErrorKind::InvalidChannel(7), true),
            (
                ErrorKind::IOError(std::sync::Arc::new(std::io::Error::other("reset"))),
                false,
            ),
            (ErrorKind::ChannelsLimitReached, false),
        ];
        for (kind, expected) in cases {
            let error = lapin::Error::from(kind);
            assert_eq!(already_closing(&error), expected, "{error}");
        }
    }

    #[test]
    fn nested_headers_are_left_out() {
        let mut table = FieldTable::default();
        table.insert(
            "x-death".into(),
            AMQPValue::FieldArray(vec![AMQPValue::Boolean(true)].into()),
        );
        table.insert("x-delivery-count".into(), AMQPValue::LongLongInt(4));
        let text = text_headers(Some(&table));
        assert_eq!(text.len(), 1);
        assert_eq!(text["x-delivery-count"], "4");
    }
}
