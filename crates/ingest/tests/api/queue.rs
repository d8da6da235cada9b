//! Refuse, do not hang: while the broker takes nothing, a submission is answered 503
//! `queue_unavailable` with `Retry-After` within `limits.queue_timeout`, and nothing of it is
//! stored; the same bytes once the broker is back are accepted as new.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use budgetflow_bus::{
    BusError, ConsumeOptions, Delivery, Envelope, MemoryTransport, OutgoingMessage, Subscription,
    Topology, Transport, WorkQueue,
};
use budgetflow_ingest::api::Limits;
use budgetflow_ledger::scratch::Scratch;
use tokio::sync::watch;

use crate::support::*;

/// What the broker does with a publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Broker {
    Up,
    /// Never confirms (a blocked or unreachable broker).
    Hanging,
    /// Refuses at once.
    Refusing,
}

/// The in-memory bus behind a switch.
struct SwitchedBus {
    inner: MemoryTransport,
    broker: Mutex<Broker>,
}

impl SwitchedBus {
    fn set(&self, broker: Broker) {
        *self.broker.lock().unwrap() = broker;
    }
}

#[async_trait]
impl Transport for SwitchedBus {
    fn topology(&self) -> &Topology {
        self.inner.topology()
    }

    async fn publish(&self, message: OutgoingMessage) -> Result<(), BusError> {
        let broker = *self.broker.lock().unwrap();
        match broker {
            Broker::Up => self.inner.publish(message).await,
            Broker::Hanging => std::future::pending().await,
            Broker::Refusing => Err(BusError::Closed),
        }
    }

    async fn subscribe(
        &self,
        queue: WorkQueue,
        options: ConsumeOptions,
    ) -> Result<Box<dyn Subscription>, BusError> {
        self.inner.subscribe(queue, options).await
    }

    async fn subscribe_ledger_dead_letters(
        &self,
        options: ConsumeOptions,
    ) -> Result<Box<dyn Subscription>, BusError> {
        self.inner.subscribe_ledger_dead_letters(options).await
    }

    async fn take_dead_letters(&self, max: usize) -> Result<Vec<Delivery>, BusError> {
        self.inner.take_dead_letters(max).await
    }

    fn readiness(&self) -> watch::Receiver<bool> {
        self.inner.readiness()
    }
}

#[tokio::test]
async fn while_the_broker_takes_nothing_a_submission_is_refused_in_bounded_time_and_not_stored() {
    let bound = Duration::from_millis(500);
    let mut backends = vec![Scratch::sqlite().await.unwrap()];
    backends.extend(Scratch::postgres().await.unwrap());
    for scratch in backends {
        let bus = Arc::new(SwitchedBus {
            inner: MemoryTransport::new(Topology::new("queuetest"), 64),
            broker: Mutex::new(Broker::Hanging),
        });
        let limits = Limits {
            queue_timeout: bound,
            ..Limits::default()
        };
        let app = spawn_app_on(scratch, limits, Pipeline::ApiOnly, bus.clone()).await;
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;

        let started = Instant::now();
        let response = app.submit(&token, TEXT, SAMPLE).send().await.unwrap();
        let waited = started.elapsed();
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["retry-after"], "30");
        let (_, body) = json(response).await;
        assert_error(&body, "queue_unavailable");
        assert!(waited >= bound, "answered before the bound: {waited:?}");
        assert!(
            waited < bound + Duration::from_secs(5),
            "the answer took {waited:?} for a bound of {bound:?}"
        );
        assert_eq!(app.rows().await, [1, 0, 0, 0], "nothing stored half-way");

        bus.set(Broker::Refusing);
        let (status, body) = send(app.submit(&token, TEXT, SAMPLE)).await;
        assert_eq!(status, 503, "{body}");
        assert_error(&body, "queue_unavailable");
        assert_eq!(app.rows().await, [1, 0, 0, 0]);

        bus.set(Broker::Up);
        let (status, accepted) = send(app.submit(&token, TEXT, SAMPLE)).await;
        assert_eq!(status, 202, "{accepted}");
        assert_eq!(accepted["version"], 1);
        assert_eq!(accepted["duplicate"], false);
        assert_eq!(app.rows().await, [1, 1, 1, 1]);
        // the envelope on the bus names the department by its registered code
        let mut validate = bus
            .subscribe(WorkQueue::Validate, ConsumeOptions::default())
            .await
            .unwrap();
        let delivery = validate.next().await.expect("the submission is on the bus");
        let envelope = Envelope::from_slice(&delivery.body).unwrap();
        assert_eq!(envelope.department_code.as_deref(), Some("miit"));
        assert_eq!(envelope.department, SAMPLE_DEPARTMENT);
        delivery.ack().await.unwrap();
        validate.cancel().await;
        app.stop().await;
    }
}
