//! Behaviour of the bus, run on both transports: the in-memory one always, RabbitMQ when
//! `AMQP_URL` is set (each test declares its own topology under a unique prefix and
//! deletes it afterwards).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use budgetflow_bus::transport::{FIRST_DEATH_QUEUE_HEADER, POISON_REASON_HEADER};
use budgetflow_bus::{
    list_dead_letters, replay_dead_letters, run_until_stopped, Attempt, BusError, ConsumeOptions,
    DeadLetter, Delivery, Destination, Envelope, Event, Failure, Headers, MemoryTransport, Outcome,
    OutgoingMessage, Part, RabbitConfig, RabbitTransport, RetryPolicy, Stage, StageHandler,
    Subscription, Topology, Transport, WorkQueue,
};
use futures_util::{FutureExt, StreamExt};
use lapin::options::{
    BasicConsumeOptions, BasicNackOptions, BasicQosOptions, ExchangeDeleteOptions, QueueBindOptions,
};
use lapin::types::FieldTable;
use serde_json::json;
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// A safety net only: every wait below ends on a signal long before.
const SAFETY_TIMEOUT: Duration = Duration::from_secs(60);

async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(SAFETY_TIMEOUT, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

const FAST_RETRY: RetryPolicy = RetryPolicy {
    initial: Duration::from_millis(10),
    max: Duration::from_millis(50),
};

enum Backend {
    Memory(MemoryTransport),
    Rabbit(Arc<RabbitTransport>, RabbitConfig),
}

/// One transport under test, with what the tests need to look inside it.
struct Harness {
    transport: Arc<dyn Transport>,
    backend: Backend,
    finished: bool,
}

impl Harness {
    fn memory(delivery_limit: u32) -> Self {
        let topology = Topology::new("memory").with_delivery_limit(delivery_limit);
        let memory = MemoryTransport::new(topology, 64);
        Harness {
            transport: Arc::new(memory.clone()),
            backend: Backend::Memory(memory),
            finished: false,
        }
    }

    /// `None` when `AMQP_URL` is not set: the RabbitMQ variant is skipped.
    async fn rabbit(delivery_limit: u32) -> Option<Self> {
        let Ok(url) = std::env::var("AMQP_URL") else {
            eprintln!("AMQP_URL is not set: skipping the RabbitMQ variant");
            return None;
        };
        let prefix = format!("bftest-{}", Uuid::new_v4().simple());
        let topology = Topology::new(prefix.clone()).with_delivery_limit(delivery_limit);
        let mut config = RabbitConfig::new(url, topology);
        config.connection_name = prefix;
        let rabbit = Arc::new(
            within("connecting", RabbitTransport::connect(config.clone()))
                .await
                .expect("RabbitMQ at AMQP_URL"),
        );
        Some(Harness {
            transport: rabbit.clone(),
            backend: Backend::Rabbit(rabbit, config),
            finished: false,
        })
    }

    /// The RabbitMQ transport and its configuration, for a test that runs only over RabbitMQ.
    fn rabbit_parts(&self) -> (&RabbitTransport, &RabbitConfig) {
        match &self.backend {
            Backend::Rabbit(rabbit, config) => (rabbit, config),
            Backend::Memory(_) => panic!("a RabbitMQ harness"),
        }
    }

    /// Messages waiting (not delivered) in a work queue.
    async fn ready(&self, queue: WorkQueue) -> usize {
        match &self.backend {
            Backend::Memory(memory) => memory.depth(queue).ready,
            Backend::Rabbit(rabbit, _) => rabbit.ready_messages(queue).await.unwrap() as usize,
        }
    }

    async fn dead_letter_count(&self) -> usize {
        match &self.backend {
            Backend::Memory(memory) => memory.dead_letter_depth().ready,
            Backend::Rabbit(rabbit, _) => rabbit.dead_letter_count().await.unwrap() as usize,
        }
    }

    /// Waits until the dead-letter queue holds `count` messages.
    async fn dead_letters_reach(&self, count: usize) {
        match &self.backend {
            Backend::Memory(memory) => {
                within("dead letters", memory.dead_letters_reach(count)).await
            }
            Backend::Rabbit(_, config) => {
                within("dead letters", rabbit_dead_letters_reach(config, count)).await
            }
        }
    }

    /// Messages waiting (not delivered) in the ledger's copy of the dead-letter queue.
    async fn ledger_dead_letter_count(&self) -> usize {
        match &self.backend {
            Backend::Memory(memory) => memory.ledger_dead_letter_depth().ready,
            Backend::Rabbit(rabbit, _) => rabbit.ledger_dead_letter_count().await.unwrap() as usize,
        }
    }

    fn stage(&self, handler: impl StageHandler) -> Stage {
        Stage::new("validate", WorkQueue::Validate, handler).with_retry(FAST_RETRY)
    }

    fn start(&self, stage: Stage) -> RunningStage {
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(run_until_stopped(
            stage,
            self.transport.clone(),
            shutdown.clone(),
        ));
        RunningStage { shutdown, task }
    }

    async fn subscribe(&self, queue: WorkQueue) -> Box<dyn Subscription> {
        self.transport
            .subscribe(queue, ConsumeOptions { prefetch: 16 })
            .await
            .unwrap()
    }

    async fn finish(mut self) {
        if let Backend::Rabbit(rabbit, config) = &self.backend {
            rabbit.close().await;
            RabbitTransport::delete_topology(config).await.unwrap();
        }
        self.finished = true;
    }
}

impl Drop for Harness {
    /// A test that failed before `finish` still deletes what it declared on the broker.
    fn drop(&mut self) {
        let Backend::Rabbit(_, config) = &self.backend else {
            return;
        };
        if self.finished {
            return;
        }
        let prefix = config.topology.prefix().to_owned();
        let config = config.clone();
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(RabbitTransport::delete_topology(&config))
        });
        if let Ok(Err(error)) = cleanup.join() {
            eprintln!("cleaning up {prefix}: {error}");
        }
    }
}

/// Consumes the dead-letter queue with a plain lapin consumer until `count` messages have
/// arrived, then hands them back.
async fn rabbit_dead_letters_reach(config: &RabbitConfig, count: usize) {
    let connection =
        lapin::Connection::connect(&config.url, lapin::ConnectionProperties::default())
            .await
            .unwrap();
    let channel = connection.create_channel().await.unwrap();
    channel
        .basic_qos(count as u16, BasicQosOptions::default())
        .await
        .unwrap();
    let mut consumer = channel
        .basic_consume(
            config.topology.dead_letter_queue().into(),
            "".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    let mut held = Vec::new();
    while held.len() < count {
        held.push(consumer.next().await.unwrap().unwrap());
    }
    for delivery in held {
        delivery
            .nack(BasicNackOptions {
                requeue: true,
                multiple: false,
            })
            .await
            .unwrap();
    }
    connection.close(200, "done".into()).await.unwrap();
}

struct RunningStage {
    shutdown: CancellationToken,
    task: JoinHandle<Result<(), BusError>>,
}

impl RunningStage {
    async fn stop(self) {
        self.shutdown.cancel();
        within("the stage to stop", self.task)
            .await
            .unwrap()
            .unwrap();
    }
}

fn envelope(department: &str) -> Envelope {
    Envelope::new(
        Uuid::new_v4(),
        department,
        2025,
        1,
        format!("{department} content").as_bytes(),
        Part::of(&json!({"department": department})).unwrap(),
    )
}

async fn submit(transport: &dyn Transport, envelope: &Envelope) {
    let message = OutgoingMessage::event(Event::Received, envelope).unwrap();
    within("publishing", transport.publish(message))
        .await
        .unwrap();
}

/// Takes `count` envelopes from a subscription, acking each.
async fn receive(
    subscription: &mut Box<dyn Subscription>,
    count: usize,
) -> Vec<(Delivery, Envelope)> {
    let mut received = Vec::new();
    while received.len() < count {
        let delivery = within("a delivery", subscription.next())
            .await
            .expect("a delivery");
        let envelope = Envelope::from_slice(&delivery.body).unwrap();
        received.push((delivery, envelope));
    }
    received
}

async fn receive_and_ack(subscription: &mut Box<dyn Subscription>, count: usize) -> Vec<Envelope> {
    let mut envelopes = Vec::new();
    for (delivery, envelope) in receive(subscription, count).await {
        delivery.ack().await.unwrap();
        envelopes.push(envelope);
    }
    envelopes
}

/// Passes every envelope on as validated and counts the calls per submission.
#[derive(Clone, Default)]
struct CountingHandler {
    calls: Arc<Mutex<HashMap<Uuid, u32>>>,
}

impl CountingHandler {
    fn calls(&self, submission: Uuid) -> u32 {
        self.calls
            .lock()
            .unwrap()
            .get(&submission)
            .copied()
            .unwrap_or(0)
    }

    fn total(&self) -> u32 {
        self.calls.lock().unwrap().values().sum()
    }

    fn count(&self, envelope: &Envelope) -> u32 {
        let mut calls = self.calls.lock().unwrap();
        let count = calls.entry(envelope.submission_id).or_default();
        *count += 1;
        *count
    }
}

#[async_trait]
impl StageHandler for CountingHandler {
    async fn handle(&self, envelope: Envelope) -> Outcome {
        self.count(&envelope);
        Outcome::Done {
            event: Event::Validated,
            envelope,
        }
    }
}

/// Fails transiently `failures` times per submission, then passes it on; submissions of
/// department "poison" never succeed; department "broken" is declared poison; department
/// "panics" makes the handler panic.
struct ScriptedHandler {
    counter: CountingHandler,
    failures: u32,
}

#[async_trait]
impl StageHandler for ScriptedHandler {
    async fn handle(&self, envelope: Envelope) -> Outcome {
        let call = self.counter.count(&envelope);
        match envelope.department.as_str() {
            "poison" => Outcome::RetryLater {
                reason: "never works".into(),
            },
            "broken" => Outcome::Poison {
                reason: "table 3 is unreadable".into(),
            },
            "panics" => panic!("the handler's bug"),
            _ if call <= self.failures => Outcome::RetryLater {
                reason: format!("blip {call}"),
            },
            "rejected" => Outcome::Rejected { envelope },
            _ => Outcome::Done {
                event: Event::Validated,
                envelope,
            },
        }
    }
}

/// Tells when it starts and waits for a permit before passing the envelope on.
struct GatedHandler {
    started: mpsc::UnboundedSender<Uuid>,
    gate: Arc<Semaphore>,
    counter: CountingHandler,
}

#[async_trait]
impl StageHandler for GatedHandler {
    async fn handle(&self, envelope: Envelope) -> Outcome {
        self.counter.count(&envelope);
        self.started.send(envelope.submission_id).unwrap();
        self.gate.acquire().await.unwrap().forget();
        Outcome::Done {
            event: Event::Validated,
            envelope,
        }
    }
}

macro_rules! on_both_transports {
    ($scenario:ident, delivery_limit = $limit:expr) => {
        mod $scenario {
            #[tokio::test]
            async fn memory() {
                super::$scenario(super::Harness::memory($limit)).await;
            }

            #[tokio::test]
            async fn rabbitmq() {
                if let Some(harness) = super::Harness::rabbit($limit).await {
                    super::$scenario(harness).await;
                }
            }
        }
    };
}

on_both_transports!(routes_by_topic, delivery_limit = 3);
async fn routes_by_topic(harness: Harness) {
    for event in Event::ALL {
        let message = OutgoingMessage::event(event, &envelope(event.routing_key())).unwrap();
        harness.transport.publish(message).await.unwrap();
    }
    assert_eq!(harness.ready(WorkQueue::Validate).await, 1);
    assert_eq!(harness.ready(WorkQueue::Score).await, 1);
    assert_eq!(harness.ready(WorkQueue::Publish).await, 1);
    // every event but `received`, which the ledger records itself
    assert_eq!(harness.ready(WorkQueue::Ledger).await, Event::ALL.len() - 1);

    let mut score = harness.subscribe(WorkQueue::Score).await;
    let (delivery, envelope) = receive(&mut score, 1).await.remove(0);
    assert_eq!(delivery.routing_key, "submission.validated");
    assert_eq!(envelope.department, "submission.validated");
    assert_eq!(delivery.attempt, 1);
    delivery.ack().await.unwrap();
    drop(score);
    harness.finish().await;
}

on_both_transports!(publish_is_confirmed_or_refused, delivery_limit = 3);
async fn publish_is_confirmed_or_refused(harness: Harness) {
    let submitted = envelope("confirmed");
    submit(harness.transport.as_ref(), &submitted).await;
    // Confirmed means enqueued: the queue holds it as soon as publish returns.
    assert_eq!(harness.ready(WorkQueue::Validate).await, 1);

    let unroutable = OutgoingMessage {
        destination: Destination::Exchange,
        routing_key: "nobody.listens".into(),
        body: b"{}".to_vec(),
        headers: Headers::new(),
        message_id: None,
    };
    let refused = harness.transport.publish(unroutable).await;
    assert!(
        matches!(refused, Err(BusError::Unroutable { .. })),
        "{refused:?}"
    );
    assert!(*harness.transport.readiness().borrow());
    harness.finish().await;
}

on_both_transports!(
    transient_failures_are_retried_until_done,
    delivery_limit = 5
);
async fn transient_failures_are_retried_until_done(harness: Harness) {
    let counter = CountingHandler::default();
    let handler = ScriptedHandler {
        counter: counter.clone(),
        failures: 2,
    };
    let stage = harness.start(harness.stage(handler));
    let mut score = harness.subscribe(WorkQueue::Score).await;

    let submitted: Vec<Envelope> = (0..3).map(|i| envelope(&format!("dept-{i}"))).collect();
    for envelope in &submitted {
        submit(harness.transport.as_ref(), envelope).await;
    }
    let validated = receive_and_ack(&mut score, submitted.len()).await;

    let mut ids: Vec<Uuid> = validated.iter().map(|e| e.submission_id).collect();
    ids.sort();
    let mut expected: Vec<Uuid> = submitted.iter().map(|e| e.submission_id).collect();
    expected.sort();
    assert_eq!(ids, expected, "every submission validated exactly once");
    for envelope in &submitted {
        assert_eq!(
            counter.calls(envelope.submission_id),
            3,
            "two failures, then success"
        );
    }
    stage.stop().await;
    assert_eq!(harness.dead_letter_count().await, 0);
    drop(score);
    harness.finish().await;
}

on_both_transports!(
    the_queue_dead_letters_after_the_limit_and_the_last_delivery_says_so,
    delivery_limit = 2
);
/// What the stage's give-up rule relies on: with `x-delivery-limit = N` a message is
/// delivered `N + 1` times, the last with `attempt = N + 1`, and returned once more it is
/// dead-lettered by the queue itself.
async fn the_queue_dead_letters_after_the_limit_and_the_last_delivery_says_so(harness: Harness) {
    let returned = envelope("returned");
    submit(harness.transport.as_ref(), &returned).await;
    let mut validate = harness.subscribe(WorkQueue::Validate).await;
    let mut attempts = Vec::new();
    for _ in 0..3 {
        let delivery = within("a delivery", validate.next()).await.unwrap();
        attempts.push(delivery.attempt);
        delivery.requeue().await.unwrap();
    }
    harness.dead_letters_reach(1).await;
    assert_eq!(attempts, [1, 2, 3]);
    let limit = harness.transport.topology().delivery_limit();
    assert!(Attempt {
        number: attempts[2],
        delivery_limit: limit
    }
    .is_last());
    assert!(!Attempt {
        number: attempts[1],
        delivery_limit: limit
    }
    .is_last());

    let dead = list_dead_letters(harness.transport.as_ref(), 10)
        .await
        .unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].reason, "delivery_limit");
    assert_eq!(dead[0].submission_id, Some(returned.submission_id));
    assert_eq!(
        dead[0]
            .headers
            .get(FIRST_DEATH_QUEUE_HEADER)
            .map(String::as_str),
        Some(
            harness
                .transport
                .topology()
                .queue_name(WorkQueue::Validate)
                .as_str()
        )
    );
    drop(validate);
    harness.finish().await;
}

on_both_transports!(
    a_message_the_queue_dead_letters_reaches_the_ledger_and_stays_for_listing,
    delivery_limit = 2
);
/// A consumer that dies with the message unsettled on its last allowed delivery (here: drops
/// it) leaves the dead-lettering to the queue, without `submission.failed`. The dead-letter
/// exchange fans the message out to the dead-letter queue, where `dlq list` finds it, and to
/// the ledger's copy, whose dead letter names the stage and why. The ledger's copy drops a
/// message it was handed back too often rather than dead-lettering it again.
async fn a_message_the_queue_dead_letters_reaches_the_ledger_and_stays_for_listing(
    harness: Harness,
) {
    let topology = harness.transport.topology().clone();
    let abandoned = envelope("abandoned");
    submit(harness.transport.as_ref(), &abandoned).await;
    let mut validate = harness.subscribe(WorkQueue::Validate).await;
    for _ in 0..=topology.delivery_limit() {
        drop(within("a delivery", validate.next()).await.unwrap());
    }
    harness.dead_letters_reach(1).await;
    validate.close().await;

    let mut ledger_dead = harness
        .transport
        .subscribe_ledger_dead_letters(ConsumeOptions { prefetch: 1 })
        .await
        .unwrap();
    let delivery = within("the ledger's dead letter", ledger_dead.next())
        .await
        .unwrap();
    let dead = DeadLetter::from_delivery(&delivery);
    assert_eq!(dead.submission_id, Some(abandoned.submission_id));
    assert_eq!(dead.routing_key, Event::Received.routing_key());
    assert_eq!(
        dead.failure(&topology),
        Some(Failure {
            stage: "validate".into(),
            reason: format!(
                "dead-lettered by {} after 3 deliveries (delivery_limit)",
                topology.queue_name(WorkQueue::Validate)
            ),
        })
    );
    delivery.requeue().await.unwrap();
    for _ in 0..topology.delivery_limit() {
        let again = within("the ledger's dead letter again", ledger_dead.next())
            .await
            .unwrap();
        again.requeue().await.unwrap();
    }
    ledger_dead.close().await;
    assert_eq!(
        harness.ledger_dead_letter_count().await,
        0,
        "dropped after the limit, not dead-lettered again"
    );

    let listed = list_dead_letters(harness.transport.as_ref(), 10)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].submission_id, Some(abandoned.submission_id));
    assert_eq!(listed[0].reason, "delivery_limit");
    assert_eq!(harness.dead_letter_count().await, 1);
    harness.finish().await;
}

/// Takes every message waiting in the ledger queue (acking each), by routing key; the
/// `submission.failed` ones decoded.
async fn drain_ledger(harness: &Harness) -> (HashMap<String, usize>, Vec<Envelope>) {
    let expected = harness.ready(WorkQueue::Ledger).await;
    let mut ledger = harness.subscribe(WorkQueue::Ledger).await;
    let mut by_key = HashMap::new();
    let mut failed = Vec::new();
    for _ in 0..expected {
        let delivery = within("a ledger delivery", ledger.next()).await.unwrap();
        *by_key.entry(delivery.routing_key.clone()).or_default() += 1;
        if delivery.routing_key == Event::Failed.routing_key() {
            failed.push(Envelope::from_slice(&delivery.body).unwrap());
        }
        delivery.ack().await.unwrap();
    }
    drop(ledger);
    assert_eq!(harness.ready(WorkQueue::Ledger).await, 0);
    (by_key, failed)
}

on_both_transports!(
    every_message_given_up_is_announced_once_with_its_reason,
    delivery_limit = 2
);
async fn every_message_given_up_is_announced_once_with_its_reason(harness: Harness) {
    let counter = CountingHandler::default();
    let handler = ScriptedHandler {
        counter: counter.clone(),
        failures: 0,
    };
    let stage = harness.start(harness.stage(handler));
    let mut score = harness.subscribe(WorkQueue::Score).await;

    let broken = envelope("broken");
    let poison = envelope("poison");
    let panics = envelope("panics");
    let good = envelope("good");
    for envelope in [&broken, &poison, &panics, &good] {
        submit(harness.transport.as_ref(), envelope).await;
    }
    let unreadable = OutgoingMessage {
        destination: Destination::Exchange,
        routing_key: Event::Received.routing_key().into(),
        body: b"not an envelope".to_vec(),
        headers: Headers::new(),
        message_id: None,
    };
    harness.transport.publish(unreadable).await.unwrap();

    let validated = receive_and_ack(&mut score, 1).await;
    assert_eq!(validated.len(), 1);
    assert_eq!(validated[0], good, "a healthy message is unaffected");
    harness.dead_letters_reach(4).await;
    stage.stop().await;

    assert_eq!(
        counter.calls(broken.submission_id),
        1,
        "poison is not retried"
    );
    assert_eq!(
        counter.calls(poison.submission_id),
        3,
        "a transient failure is retried up to the delivery limit"
    );
    assert_eq!(counter.calls(panics.submission_id), 3);
    assert_eq!(counter.calls(good.submission_id), 1);

    let dead = list_dead_letters(harness.transport.as_ref(), 10)
        .await
        .unwrap();
    assert_eq!(dead.len(), 4, "one dead letter each: {dead:#?}");
    let reason_of = |submission: &Envelope| {
        let matching: Vec<_> = dead
            .iter()
            .filter(|dead| dead.submission_id == Some(submission.submission_id))
            .collect();
        assert_eq!(matching.len(), 1, "{}", submission.department);
        assert_eq!(matching[0].stage.as_deref(), Some("validate"));
        matching[0].reason.clone()
    };
    let expected = [
        (&broken, "table 3 is unreadable".to_owned()),
        (
            &poison,
            "never works (still failing after 3 deliveries)".to_owned(),
        ),
        (
            &panics,
            "the handler panicked (still failing after 3 deliveries)".to_owned(),
        ),
    ];
    for (submission, reason) in &expected {
        assert_eq!(&reason_of(submission), reason, "{}", submission.department);
    }
    assert!(
        dead.iter()
            .any(|dead| dead.submission_id.is_none() && dead.reason.contains("malformed")),
        "the unreadable message is dead-lettered too"
    );

    let (by_key, failed) = drain_ledger(&harness).await;
    assert_eq!(by_key.get("submission.failed"), Some(&3), "{by_key:?}");
    assert_eq!(by_key.get("submission.validated"), Some(&1), "{by_key:?}");
    for (submission, reason) in &expected {
        let announced: Vec<&Envelope> = failed
            .iter()
            .filter(|failed| failed.submission_id == submission.submission_id)
            .collect();
        assert_eq!(announced.len(), 1, "{}", submission.department);
        assert_eq!(
            announced[0].failure,
            Some(Failure {
                stage: "validate".into(),
                reason: reason.clone(),
            })
        );
        assert_eq!(announced[0].department, submission.department);
        assert_eq!(announced[0].idempotency_key(), submission.idempotency_key());
        assert_eq!(
            announced[0].document, None,
            "a settling event carries no document"
        );
        let dead_letter = dead
            .iter()
            .find(|dead| dead.submission_id == Some(submission.submission_id))
            .unwrap();
        let dead_envelope = Envelope::from_slice(&dead_letter.body).unwrap();
        assert_eq!(
            dead_envelope.document, submission.document,
            "a replay sends it again"
        );
    }
    drop(score);
    harness.finish().await;
}

on_both_transports!(
    a_settling_event_leaves_the_document_behind,
    delivery_limit = 3
);
async fn a_settling_event_leaves_the_document_behind(harness: Harness) {
    let handler = ScriptedHandler {
        counter: CountingHandler::default(),
        failures: 0,
    };
    let stage = harness.start(harness.stage(handler));
    let (rejected, validated) = (envelope("rejected"), envelope("validated"));
    submit(harness.transport.as_ref(), &rejected).await;
    submit(harness.transport.as_ref(), &validated).await;
    let mut ledger = harness.subscribe(WorkQueue::Ledger).await;
    let mut seen = receive_and_ack(&mut ledger, 2).await;
    stage.stop().await;
    seen.sort_by_key(|envelope| envelope.department.clone());

    // the next stage needs the document; the ledger, settling the submission, does not
    assert_eq!(seen[0].department, "rejected");
    assert_eq!(seen[0].document, None);
    assert_eq!(seen[0].idempotency_key(), rejected.idempotency_key());
    assert_eq!(seen[1].department, "validated");
    assert_eq!(seen[1].document, validated.document);
    drop(ledger);
    harness.finish().await;
}

on_both_transports!(
    poison_is_dead_lettered_with_a_reason_then_listed_and_replayed,
    delivery_limit = 3
);
async fn poison_is_dead_lettered_with_a_reason_then_listed_and_replayed(harness: Harness) {
    let counter = CountingHandler::default();
    let handler = ScriptedHandler {
        counter: counter.clone(),
        failures: 0,
    };
    let stage = harness.start(harness.stage(handler));

    let broken = envelope("broken");
    submit(harness.transport.as_ref(), &broken).await;
    let mut future_schema = serde_json::to_value(envelope("from the future")).unwrap();
    future_schema["schema"] = json!("budgetflow.envelope/2");
    let future_message = OutgoingMessage {
        destination: Destination::Exchange,
        routing_key: Event::Received.routing_key().into(),
        body: serde_json::to_vec(&future_schema).unwrap(),
        headers: Headers::new(),
        message_id: None,
    };
    harness.transport.publish(future_message).await.unwrap();

    harness.dead_letters_reach(2).await;
    stage.stop().await;
    assert_eq!(
        counter.calls(broken.submission_id),
        1,
        "poison is not retried"
    );
    assert_eq!(
        counter.total(),
        1,
        "an unknown schema never reaches the handler"
    );

    let listed = list_dead_letters(harness.transport.as_ref(), 10)
        .await
        .unwrap();
    let again = list_dead_letters(harness.transport.as_ref(), 10)
        .await
        .unwrap();
    assert_eq!(listed, again, "listing loses nothing");
    assert_eq!(listed.len(), 2);
    let by_handler = listed
        .iter()
        .find(|dead| dead.submission_id == Some(broken.submission_id))
        .expect("the broken submission");
    assert_eq!(by_handler.reason, "table 3 is unreadable");
    assert_eq!(by_handler.stage.as_deref(), Some("validate"));
    let by_schema = listed
        .iter()
        .find(|dead| dead.submission_id != Some(broken.submission_id))
        .unwrap();
    assert!(
        by_schema.reason.contains("budgetflow.envelope/2"),
        "{}",
        by_schema.reason
    );

    let replayed = replay_dead_letters(harness.transport.as_ref(), 10, |dead| {
        dead.submission_id == Some(broken.submission_id)
    })
    .await
    .unwrap();
    assert_eq!(replayed, 1);
    assert_eq!(
        harness.dead_letter_count().await,
        1,
        "the unselected one stays"
    );

    let mut validate = harness.subscribe(WorkQueue::Validate).await;
    let (delivery, envelope) = receive(&mut validate, 1).await.remove(0);
    assert_eq!(envelope, broken);
    assert_eq!(delivery.routing_key, "submission.received");
    assert!(!delivery.headers.contains_key(POISON_REASON_HEADER));
    delivery.ack().await.unwrap();
    drop(validate);
    harness.finish().await;
}

on_both_transports!(a_redelivered_submission_has_one_effect, delivery_limit = 3);
async fn a_redelivered_submission_has_one_effect(harness: Harness) {
    let counter = CountingHandler::default();
    let stage = harness.start(harness.stage(counter.clone()));
    let mut score = harness.subscribe(WorkQueue::Score).await;

    let submitted = envelope("twice");
    submit(harness.transport.as_ref(), &submitted).await;
    submit(harness.transport.as_ref(), &submitted).await;
    let emitted = receive_and_ack(&mut score, 2).await;

    assert_eq!(
        counter.calls(submitted.submission_id),
        1,
        "the work is done once"
    );
    assert_eq!(
        emitted[0], emitted[1],
        "the recorded output is re-emitted as it was"
    );
    assert_eq!(emitted[0].idempotency_key(), submitted.idempotency_key());
    stage.stop().await;
    drop(score);
    harness.finish().await;
}

on_both_transports!(
    graceful_shutdown_finishes_in_flight_work,
    delivery_limit = 3
);
async fn graceful_shutdown_finishes_in_flight_work(harness: Harness) {
    let counter = CountingHandler::default();
    let (started_tx, mut started) = mpsc::unbounded_channel();
    let gate = Arc::new(Semaphore::new(0));
    let handler = GatedHandler {
        started: started_tx,
        gate: gate.clone(),
        counter: counter.clone(),
    };
    let stage = harness.start(harness.stage(handler).with_prefetch(3));

    let submitted: Vec<Envelope> = (0..6).map(|i| envelope(&format!("dept-{i}"))).collect();
    for envelope in &submitted {
        submit(harness.transport.as_ref(), envelope).await;
    }
    for _ in 0..3 {
        within("a handler to start", started.recv()).await.unwrap();
    }
    stage.shutdown.cancel();
    gate.add_permits(submitted.len());
    within("the stage to stop", stage.task)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        counter.total(),
        3,
        "only the in-flight messages were handled"
    );
    if let Backend::Memory(memory) = &harness.backend {
        assert_eq!(
            memory.depth(WorkQueue::Validate).unacked,
            0,
            "nothing left unacked"
        );
    }

    // A second run handles the rest: nothing lost, nothing handled twice.
    let restarted = CountingHandler::default();
    let stage = harness.start(harness.stage(restarted.clone()));
    let mut score = harness.subscribe(WorkQueue::Score).await;
    let emitted = receive_and_ack(&mut score, submitted.len()).await;
    stage.stop().await;
    let mut ids: Vec<Uuid> = emitted.iter().map(|e| e.submission_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), submitted.len());
    assert_eq!(restarted.total(), 3, "the acked ones did not come back");
    assert_eq!(harness.ready(WorkQueue::Validate).await, 0);
    drop(score);
    harness.finish().await;
}

/// `submission.validated` of a new envelope for `department`: it goes to two queues, the
/// score stage's and the ledger's.
fn validated(department: &str) -> OutgoingMessage {
    OutgoingMessage::event(Event::Validated, &envelope(department)).unwrap()
}

#[tokio::test]
async fn memory_publish_waits_while_a_queue_is_full() {
    let memory = MemoryTransport::new(Topology::new("bp"), 2);
    for i in 0..2 {
        memory
            .publish(validated(&format!("dept-{i}")))
            .await
            .unwrap();
    }
    let mut blocked = std::pin::pin!(memory.publish(validated("third")));
    assert!(
        futures_util::poll!(blocked.as_mut()).is_pending(),
        "a full queue holds the publisher"
    );

    let mut score = memory
        .subscribe(WorkQueue::Score, ConsumeOptions::default())
        .await
        .unwrap();
    let first = within("a delivery", score.next()).await.unwrap();
    // The ledger queue is full too: drain one message from it as well.
    let mut ledger = memory
        .subscribe(WorkQueue::Ledger, ConsumeOptions::default())
        .await
        .unwrap();
    within("a delivery", ledger.next())
        .await
        .unwrap()
        .ack()
        .await
        .unwrap();
    within("the blocked publish", blocked).await.unwrap();
    first.ack().await.unwrap();
    assert_eq!(memory.depth(WorkQueue::Score).ready, 2);
    assert_eq!(memory.depth(WorkQueue::Ledger).ready, 2);
}

#[tokio::test]
async fn memory_redelivers_what_a_crashed_handler_left_unsettled() {
    let memory = MemoryTransport::new(Topology::new("crash").with_delivery_limit(3), 8);
    submit(&memory, &envelope("crash")).await;
    let mut validate = memory
        .subscribe(WorkQueue::Validate, ConsumeOptions::default())
        .await
        .unwrap();
    let task = tokio::spawn(async move {
        let delivery = validate.next().await.unwrap();
        panic!("handler crashed holding {delivery:?}");
    });
    assert!(task.await.unwrap_err().is_panic());
    let mut validate = memory
        .subscribe(WorkQueue::Validate, ConsumeOptions::default())
        .await
        .unwrap();
    let again = within("the redelivery", validate.next()).await.unwrap();
    assert_eq!(again.attempt, 2);
    again.ack().await.unwrap();
    assert_eq!(memory.depth(WorkQueue::Validate), Default::default());
}

/// A connection and a channel of their own to the broker, as another process (an operator, a
/// process of an earlier release) has.
async fn another_process(config: &RabbitConfig) -> (lapin::Connection, lapin::Channel) {
    let connection =
        lapin::Connection::connect(&config.url, lapin::ConnectionProperties::default())
            .await
            .unwrap();
    let channel = connection.create_channel().await.unwrap();
    (connection, channel)
}

#[tokio::test]
async fn rabbitmq_recovers_when_the_topology_is_lost() {
    let Some(harness) = Harness::rabbit(3).await else {
        return;
    };
    let (_, config) = harness.rabbit_parts();
    let mut readiness = harness.transport.readiness();
    readiness.mark_unchanged();

    // Someone deletes the exchange: the next publish fails on the channel, the transport
    // reconnects, declares the topology again and publishes once more.
    let (connection, channel) = another_process(config).await;
    channel
        .exchange_delete(
            config.topology.exchange().into(),
            ExchangeDeleteOptions::default(),
        )
        .await
        .unwrap();
    connection.close(200, "done".into()).await.unwrap();

    submit(harness.transport.as_ref(), &envelope("after the loss")).await;
    assert!(
        readiness.has_changed().unwrap(),
        "readiness went false and back"
    );
    assert!(*readiness.borrow_and_update());
    assert_eq!(harness.ready(WorkQueue::Validate).await, 1);

    let counter = CountingHandler::default();
    let stage = harness.start(harness.stage(counter.clone()));
    let mut score = harness.subscribe(WorkQueue::Score).await;
    receive_and_ack(&mut score, 1).await;
    stage.stop().await;
    assert_eq!(counter.total(), 1);
    drop(score);
    harness.finish().await;
}

#[tokio::test]
async fn rabbitmq_removes_the_ledger_binding_of_earlier_releases() {
    let Some(harness) = Harness::rabbit(3).await else {
        return;
    };
    let (_, config) = harness.rabbit_parts();
    // An earlier release bound the ledger queue to every event, `received` included.
    let (connection, channel) = another_process(config).await;
    channel
        .queue_bind(
            config.topology.queue_name(WorkQueue::Ledger).into(),
            config.topology.exchange().into(),
            "submission.#".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    submit(harness.transport.as_ref(), &envelope("before the upgrade")).await;
    assert_eq!(harness.ready(WorkQueue::Ledger).await, 1);

    // A process of this release declares the topology: the old binding is gone.
    let upgraded = RabbitTransport::connect(config.clone()).await.unwrap();
    submit(&upgraded, &envelope("after the upgrade")).await;
    assert_eq!(harness.ready(WorkQueue::Validate).await, 2);
    assert_eq!(harness.ready(WorkQueue::Ledger).await, 1);
    upgraded.close().await;
    connection.close(200, "done".into()).await.unwrap();
    harness.finish().await;
}

#[tokio::test]
async fn rabbitmq_a_tap_sees_the_events_of_its_keys_and_takes_nothing_from_the_ledger() {
    let Some(harness) = Harness::rabbit(3).await else {
        return;
    };
    let (_, config) = harness.rabbit_parts();
    let url = config.url.clone();
    let keys = [Event::Published.routing_key()];
    let (tap, mut seen) = within(
        "opening the tap",
        budgetflow_bus::bench::Tap::open(&url, config.topology.exchange(), &keys),
    )
    .await
    .unwrap();
    let (received, published) = (envelope("收到"), envelope("已发布"));
    submit(harness.transport.as_ref(), &received).await;
    let event = OutgoingMessage::event(Event::Published, &published).unwrap();
    within("publishing", harness.transport.publish(event))
        .await
        .unwrap();

    let (routing_key, body) = within("the tap", seen.recv()).await.unwrap();
    assert_eq!(routing_key, "submission.published");
    assert_eq!(Envelope::from_slice(&body).unwrap(), published);
    // only what its keys route reaches it, and the ledger queue keeps its copy
    assert!(seen.try_recv().is_err());
    assert_eq!(harness.ready(WorkQueue::Ledger).await, 1);
    tap.close().await;
    harness.finish().await;
}

#[tokio::test]
async fn rabbitmq_a_subscription_polled_once_at_a_time_while_reopening_opens_one_consumer() {
    let Some(harness) = Harness::rabbit(5).await else {
        return;
    };
    let (rabbit, config) = harness.rabbit_parts();
    let mut validate = harness.subscribe(WorkQueue::Validate).await;
    let consuming = format!("{} (consume)", config.connection_name);
    if close_connections_named(&consuming).await.is_none() {
        eprintln!("rabbitmqctl is not available: cannot drop the connection, skipping");
        drop(validate);
        harness.finish().await;
        return;
    }
    let sent: Vec<Envelope> = (0..3).map(|i| envelope(&format!("after-{i}"))).collect();
    for envelope in &sent {
        submit(harness.transport.as_ref(), envelope).await;
    }
    // Every call of `next` is polled once and dropped, as a `select!` that takes another
    // branch drops it: the consumer it was opening must be the one the next call finishes.
    let mut received = Vec::new();
    within("every delivery", async {
        while received.len() < sent.len() {
            if let Some(Some(delivery)) = validate.next().now_or_never() {
                received.push(Envelope::from_slice(&delivery.body).unwrap());
                delivery.ack().await.unwrap();
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await;
    received.sort_by_key(|envelope| envelope.department.clone());
    assert_eq!(received, sent);
    assert_eq!(rabbit.consumers(WorkQueue::Validate).await.unwrap(), 1);
    drop(validate);
    harness.finish().await;
}

/// Closes, from the broker side, the connections whose client properties carry `name`.
/// Returns how many were closed, or `None` when `rabbitmqctl` cannot be run here.
async fn close_connections_named(name: &str) -> Option<usize> {
    let listing = tokio::process::Command::new("rabbitmqctl")
        .args([
            "list_connections",
            "pid",
            "client_properties",
            "--no-table-headers",
            "-q",
        ])
        .output()
        .await
        .ok()?;
    if !listing.status.success() {
        return None;
    }
    let mut closed = 0;
    for line in String::from_utf8_lossy(&listing.stdout).lines() {
        if !line.contains(name) {
            continue;
        }
        let pid = line.split_whitespace().next()?;
        let status = tokio::process::Command::new("rabbitmqctl")
            .args([
                "close_connection",
                pid,
                "budgetflow test: simulated network drop",
            ])
            .status()
            .await
            .ok()?;
        assert!(status.success(), "rabbitmqctl close_connection {pid}");
        closed += 1;
    }
    Some(closed)
}

/// Receives from `subscription` until every submission in `expected` has been seen
/// (duplicates are tolerated: delivery is at least once).
async fn receive_all(subscription: &mut Box<dyn Subscription>, expected: &[Envelope]) {
    let mut missing: std::collections::HashSet<Uuid> =
        expected.iter().map(|e| e.submission_id).collect();
    while !missing.is_empty() {
        for (delivery, envelope) in receive(subscription, 1).await {
            match delivery.ack().await {
                // Handed out before the connection dropped: it comes again.
                Ok(()) | Err(BusError::ChannelGone) => {}
                Err(error) => panic!("ack failed: {error}"),
            }
            missing.remove(&envelope.submission_id);
        }
    }
}

#[tokio::test]
async fn rabbitmq_resumes_after_its_connections_are_dropped() {
    resumes_after_dropping(None, 2).await;
}

#[tokio::test]
async fn rabbitmq_resumes_after_only_its_publishing_connection_is_dropped() {
    resumes_after_dropping(Some("publish"), 1).await;
}

/// Drops, mid-batch, the transport's connections whose name ends in `(role)` (all of them
/// with `None`) and checks every submission is still handled exactly once.
async fn resumes_after_dropping(role: Option<&str>, connections: usize) {
    let Some(harness) = Harness::rabbit(5).await else {
        return;
    };
    let (_, config) = harness.rabbit_parts();
    let connection_name = match role {
        None => config.connection_name.clone(),
        Some(role) => format!("{} ({role})", config.connection_name),
    };
    let counter = CountingHandler::default();
    let stage = harness.start(harness.stage(counter.clone()).with_prefetch(4));
    let mut score = harness.subscribe(WorkQueue::Score).await;

    let before: Vec<Envelope> = (0..20).map(|i| envelope(&format!("before-{i}"))).collect();
    for envelope in &before {
        submit(harness.transport.as_ref(), envelope).await;
    }
    within("the first batch", receive_all(&mut score, &before)).await;

    let mut readiness = harness.transport.readiness();
    readiness.mark_unchanged();
    let after: Vec<Envelope> = (0..20).map(|i| envelope(&format!("after-{i}"))).collect();
    let publisher = {
        let transport = harness.transport.clone();
        let after = after.clone();
        tokio::spawn(async move {
            for envelope in &after {
                submit(transport.as_ref(), envelope).await;
            }
        })
    };
    let Some(closed) = close_connections_named(&connection_name).await else {
        eprintln!("rabbitmqctl is not available: cannot drop the connection, skipping");
        publisher.abort();
        stage.stop().await;
        drop(score);
        harness.finish().await;
        return;
    };
    assert_eq!(closed, connections, "connections named {connection_name}");

    within("the publisher", publisher).await.unwrap();
    within("the second batch", receive_all(&mut score, &after)).await;
    assert!(
        readiness.has_changed().unwrap(),
        "readiness went false and back"
    );
    assert!(*readiness.borrow_and_update());
    for envelope in before.iter().chain(&after) {
        assert_eq!(
            counter.calls(envelope.submission_id),
            1,
            "handled once: {}",
            envelope.department
        );
    }
    stage.stop().await;
    drop(score);
    harness.finish().await;
}

#[tokio::test]
async fn a_consumer_of_the_ledger_queue_does_not_announce_failures_to_itself() {
    let memory = MemoryTransport::new(Topology::new("ledger").with_delivery_limit(2), 8);
    let counter = CountingHandler::default();
    let handler = ScriptedHandler {
        counter: counter.clone(),
        failures: 0,
    };
    let shutdown = CancellationToken::new();
    let stage = Stage::new("ledger", WorkQueue::Ledger, handler).with_retry(FAST_RETRY);
    let task = tokio::spawn(run_until_stopped(
        stage,
        Arc::new(memory.clone()),
        shutdown.clone(),
    ));
    let broken = envelope("broken");
    let message = OutgoingMessage::event(Event::Published, &broken).unwrap();
    memory.publish(message).await.unwrap();
    within("the dead letter", memory.dead_letters_reach(1)).await;
    shutdown.cancel();
    within("the stage to stop", task).await.unwrap().unwrap();
    assert_eq!(counter.calls(broken.submission_id), 1);
    assert_eq!(
        memory.depth(WorkQueue::Ledger),
        Default::default(),
        "no submission.failed fed back into the ledger queue"
    );
}

#[tokio::test]
async fn memory_bounded_publish_refuses_a_full_queue_in_time_and_stores_nothing() {
    let memory = MemoryTransport::new(Topology::new("bounded"), 1);
    let mut score = memory
        .subscribe(WorkQueue::Score, ConsumeOptions::default())
        .await
        .unwrap();
    // The score queue has room again, the ledger queue does not.
    memory.publish(validated("first")).await.unwrap();
    within("a delivery", score.next())
        .await
        .unwrap()
        .ack()
        .await
        .unwrap();
    let bound = Duration::from_millis(200);
    let refused = memory.publish_within(validated("second"), bound).await;
    assert!(
        matches!(refused, Err(BusError::Unavailable { waited }) if waited == bound),
        "{refused:?}"
    );
    assert_eq!(
        memory.depth(WorkQueue::Score).ready,
        0,
        "not stored half-way"
    );
    assert_eq!(memory.depth(WorkQueue::Ledger).ready, 1);
}

/// A TCP relay in front of the broker that can be cut: after [`Relay::cut`] the broker is
/// unreachable through it (connections dropped, new ones refused).
struct Relay {
    address: std::net::SocketAddr,
    cut: CancellationToken,
}

impl Relay {
    async fn to(broker: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let cut = CancellationToken::new();
        let stop = cut.clone();
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = stop.cancelled() => return,
                    accepted = listener.accept() => accepted,
                };
                let Ok((mut client, _)) = accepted else {
                    return;
                };
                let broker = broker.clone();
                let stop = stop.clone();
                tokio::spawn(async move {
                    let Ok(mut upstream) = tokio::net::TcpStream::connect(broker).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut upstream) => {}
                        () = stop.cancelled() => {}
                    }
                });
            }
        });
        Relay { address, cut }
    }

    fn cut(&self) {
        self.cut.cancel();
    }
}

/// `url` with its `host:port` replaced by `authority`.
fn with_authority(url: &str, authority: &str) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (user, rest) = rest.rsplit_once('@').map_or(("", rest), |(u, r)| (u, r));
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let user = if user.is_empty() {
        String::new()
    } else {
        format!("{user}@")
    };
    (
        format!("{scheme}://{user}{authority}/{path}"),
        host.to_owned(),
    )
}

#[tokio::test]
async fn rabbitmq_bounded_publish_refuses_in_time_while_the_broker_is_unreachable() {
    let Ok(url) = std::env::var("AMQP_URL") else {
        eprintln!("AMQP_URL is not set: skipping the RabbitMQ variant");
        return;
    };
    let (_, broker) = with_authority(&url, "");
    let relay = Relay::to(broker).await;
    let (relayed_url, _) = with_authority(&url, &relay.address.to_string());
    let prefix = format!("bftest-{}", Uuid::new_v4().simple());
    let topology = Topology::new(prefix.clone());
    let mut config = RabbitConfig::new(relayed_url, topology.clone());
    config.connection_name = prefix;
    let rabbit = within("connecting", RabbitTransport::connect(config))
        .await
        .expect("RabbitMQ at AMQP_URL");
    let bound = Duration::from_secs(1);
    let first = OutgoingMessage::event(Event::Received, &envelope("reachable")).unwrap();
    rabbit.publish_within(first, bound).await.unwrap();

    relay.cut();
    let mut readiness = rabbit.readiness();
    within(
        "readiness to turn false",
        readiness.wait_for(|ready| !ready),
    )
    .await
    .unwrap();
    let message = OutgoingMessage::event(Event::Received, &envelope("unreachable")).unwrap();
    let started = std::time::Instant::now();
    let refused = rabbit.publish_within(message, bound).await;
    let waited = started.elapsed();
    eprintln!("refused after {waited:?} (bound {bound:?})");
    assert!(
        matches!(refused, Err(BusError::Unavailable { waited }) if waited == bound),
        "{refused:?}"
    );
    assert!(
        waited < bound + Duration::from_secs(2),
        "refused in {waited:?}"
    );
    rabbit.close().await;

    let direct = RabbitConfig::new(url, topology);
    let rabbit = RabbitTransport::connect(direct.clone()).await.unwrap();
    assert_eq!(
        rabbit.ready_messages(WorkQueue::Validate).await.unwrap(),
        1,
        "only the message confirmed before the cut"
    );
    rabbit.close().await;
    RabbitTransport::delete_topology(&direct).await.unwrap();
}
