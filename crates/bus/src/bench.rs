//! Measuring the bus: a closed-loop driver, the bare-lapin relay that gives a machine's
//! ceiling, latency percentiles and the process's resident memory.
//!
//! The driver keeps at most `window` items between their publish and their completion, so
//! the throughput it measures is the system's and the latencies are not queueing behind an
//! unbounded backlog (Little's law: latency ≈ window / throughput). The relay moves the same
//! bodies through `hops` quorum queues the way a stage does — consume, publish to the next
//! queue with a confirm, ack — with nothing else in the way. Speed is never asserted; these
//! are figures for `budgetflow bench` and `docs/performance.md`.

use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions,
    ConfirmSelectOptions, QueueBindOptions, QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{BasicProperties, Channel, Confirmation, Connection, ConnectionProperties};
use thiserror::Error;
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};

use crate::error::BusError;

/// Why a measurement did not finish.
#[derive(Debug, Error)]
pub enum BenchError {
    #[error(transparent)]
    Bus(#[from] BusError),
    #[error("AMQP: {0}")]
    Amqp(#[from] lapin::Error),
    /// No item completed for this long: something is stuck (or dead-lettered).
    #[error("no message completed for {0:?}; {1} of {2} done")]
    Stalled(Duration, usize, usize),
    /// The broker did not confirm a relay publish.
    #[error("the broker did not confirm a publish: {0}")]
    NotConfirmed(String),
    /// The completion channel closed before every item completed.
    #[error("completions stopped before every message arrived")]
    CompletionsClosed,
    /// A task of the relay or of the driver failed.
    #[error("a measurement task failed: {0}")]
    Task(String),
    /// The relay's claim-check store could not be written or read.
    #[error("the claim-check store: {0}")]
    Store(#[from] std::io::Error),
    /// A relay message that should name a stored body does not.
    #[error("a relay message is not a claim check (a SHA-256)")]
    NotAClaim,
    /// The system measured refused an item (the ingestion API answered with an error).
    #[error("refused: {0}")]
    Refused(String),
}

/// What a measured run gives: its wall time and one latency per item.
#[derive(Clone, Debug)]
pub struct Measurement {
    pub items: usize,
    pub elapsed: Duration,
    /// Sorted ascending.
    latencies: Vec<Duration>,
}

impl Measurement {
    /// A run of `elapsed` whose items took `latencies`.
    pub fn new(elapsed: Duration, mut latencies: Vec<Duration>) -> Self {
        latencies.sort_unstable();
        Measurement {
            items: latencies.len(),
            elapsed,
            latencies,
        }
    }

    /// Items per second.
    pub fn throughput(&self) -> f64 {
        self.items as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// The `p`-th percentile latency (nearest rank), `p` in 0–100; zero without items.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }
}

/// Publishes items `0..n` with `publish`, never more than `window` of them unfinished, and
/// waits until every index has come back on `completed`. An item's latency runs from the
/// start of its publish to its completion; an index seen twice (at-least-once delivery)
/// counts once. Fails when nothing completes for `stall`.
pub async fn closed_loop<P, F, E>(
    n: usize,
    window: usize,
    stall: Duration,
    publish: P,
    completed: &mut mpsc::UnboundedReceiver<usize>,
) -> Result<Measurement, BenchError>
where
    P: Fn(usize) -> F,
    F: Future<Output = Result<(), E>> + Send + 'static,
    E: Send + 'static,
    BenchError: From<E>,
{
    let window = window.max(1);
    let mut started: Vec<Option<Instant>> = vec![None; n];
    let mut latencies = Vec::with_capacity(n);
    let mut publishes = JoinSet::new();
    let mut next = 0;
    let begin = Instant::now();
    while latencies.len() < n {
        while next < n && next - latencies.len() < window {
            started[next] = Some(Instant::now());
            publishes.spawn(publish(next));
            next += 1;
        }
        tokio::select! {
            Some(joined) = publishes.join_next(), if !publishes.is_empty() => {
                joined.map_err(|e| BenchError::Task(e.to_string()))??;
            }
            index = tokio::time::timeout(stall, completed.recv()) => {
                let index = index
                    .map_err(|_| BenchError::Stalled(stall, latencies.len(), n))?
                    .ok_or(BenchError::CompletionsClosed)?;
                if let Some(start) = started.get_mut(index).and_then(Option::take) {
                    latencies.push(start.elapsed());
                }
            }
        }
    }
    Ok(Measurement::new(begin.elapsed(), latencies))
}

/// Waits until `n` distinct indices came back on `completed`, failing when nothing arrives
/// for `stall`.
pub async fn drain(
    n: usize,
    stall: Duration,
    completed: &mut mpsc::UnboundedReceiver<usize>,
) -> Result<(), BenchError> {
    let mut seen = vec![false; n];
    let mut done = 0;
    while done < n {
        let index = tokio::time::timeout(stall, completed.recv())
            .await
            .map_err(|_| BenchError::Stalled(stall, done, n))?
            .ok_or(BenchError::CompletionsClosed)?;
        if let Some(seen) = seen.get_mut(index).filter(|seen| !**seen) {
            *seen = true;
            done += 1;
        }
    }
    Ok(())
}

/// The longest the relay waits for the broker to answer the close of a connection it is
/// done with.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// How the relay runs.
#[derive(Clone, Debug)]
pub struct RelayConfig {
    pub url: String,
    /// Its queues are `<prefix>.relay.<hop>`, deleted afterwards.
    pub prefix: String,
    pub hops: usize,
    pub prefetch: u16,
    pub window: usize,
    pub stall: Duration,
    /// A claim check instead of the bodies: each body is written to this directory under its
    /// SHA-256 (and flushed to disk, as a store a message refers to must be) before its
    /// message — the 64-digit hash — is published, and every hop reads the body back by the
    /// hash it received. `None`: the bodies themselves travel.
    pub claim_check: Option<PathBuf>,
}

/// Relays every body through `config.hops` quorum queues (persistent, publisher confirms,
/// manual acks, `prefetch` per consumer, the next hop published before the ack) and measures
/// it with [`closed_loop`]. The queues are deleted afterwards, also when the run fails.
pub async fn relay(
    config: &RelayConfig,
    bodies: Arc<Vec<Vec<u8>>>,
) -> Result<Measurement, BenchError> {
    let connection = Connection::connect(
        &config.url,
        ConnectionProperties::default().with_connection_name("budgetflow-bench-relay".into()),
    )
    .await?;
    let queues: Vec<String> = (0..config.hops.max(1))
        .map(|hop| format!("{}.relay.{hop}", config.prefix))
        .collect();
    let admin = connection.create_channel().await?;
    let measured = relay_on(&connection, &admin, &queues, config, bodies).await;
    // The relay's consumers end with its connection. Closing it while aborted hops are still
    // cancelling can make lapin report a protocol error (`unexpected basic cancel-ok`); the
    // measurement is complete by then, so that is not the run's error. The queues are deleted
    // over a fresh connection.
    // lapin can also leave the close unanswered when the socket went first: bounded.
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, connection.close(200, "relay done".into())).await;
    let cleanup = Connection::connect(
        &config.url,
        ConnectionProperties::default().with_connection_name("budgetflow-bench-cleanup".into()),
    )
    .await?;
    let admin = cleanup.create_channel().await?;
    for queue in &queues {
        admin
            .queue_delete(queue.as_str().into(), QueueDeleteOptions::default())
            .await?;
    }
    let _ = tokio::time::timeout(
        CLOSE_TIMEOUT,
        cleanup.close(200, "relay cleanup done".into()),
    )
    .await;
    measured
}

async fn relay_on(
    connection: &Connection,
    admin: &Channel,
    queues: &[String],
    config: &RelayConfig,
    bodies: Arc<Vec<Vec<u8>>>,
) -> Result<Measurement, BenchError> {
    let mut arguments = FieldTable::default();
    arguments.insert(
        "x-queue-type".into(),
        AMQPValue::LongString("quorum".into()),
    );
    let durable = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    for queue in queues {
        admin
            .queue_declare(queue.as_str().into(), durable, arguments.clone())
            .await?;
    }
    let (completed_tx, mut completed) = mpsc::unbounded_channel();
    let mut hops = JoinSet::new();
    for (hop, queue) in queues.iter().enumerate() {
        let consumer = connection.create_channel().await?;
        consumer
            .basic_qos(config.prefetch.max(1), BasicQosOptions::default())
            .await?;
        let next = match queues.get(hop + 1) {
            Some(next) => Some((confirm_channel(connection).await?, next.clone())),
            None => None,
        };
        hops.spawn(relay_hop(
            consumer,
            queue.clone(),
            next,
            config.claim_check.clone(),
            completed_tx.clone(),
        ));
    }
    drop(completed_tx);
    let source = Arc::new(confirm_channel(connection).await?);
    let first: Arc<str> = queues[0].as_str().into();
    let measured = closed_loop(
        bodies.len(),
        config.window,
        config.stall,
        |index| {
            let (source, first, bodies) = (source.clone(), first.clone(), bodies.clone());
            let claim_check = config.claim_check.clone();
            async move {
                let properties = persistent().with_message_id(index.to_string().into());
                match &claim_check {
                    Some(store) => {
                        let hash = check_in(store, &bodies[index]).await?;
                        publish_confirmed(&source, &first, hash.as_bytes(), properties).await
                    }
                    None => publish_confirmed(&source, &first, &bodies[index], properties).await,
                }
            }
        },
        &mut completed,
    )
    .await;
    hops.abort_all();
    measured
}

/// Stores `body` under its SHA-256 in `store`, flushed to disk; returns the hash.
async fn check_in(store: &Path, body: &[u8]) -> Result<String, BenchError> {
    let hash = crate::envelope::content_sha256(body);
    let (path, body) = (store.join(&hash), body.to_vec());
    tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::create(&path)?;
        file.write_all(&body)?;
        file.sync_all()
    })
    .await
    .map_err(|e| BenchError::Task(e.to_string()))??;
    Ok(hash)
}

/// The body stored under the hash `claim`.
async fn check_out(store: &Path, claim: &[u8]) -> Result<Vec<u8>, BenchError> {
    let hash = std::str::from_utf8(claim)
        .ok()
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or(BenchError::NotAClaim)?;
    Ok(tokio::fs::read(store.join(hash)).await?)
}

async fn confirm_channel(connection: &Connection) -> Result<Channel, lapin::Error> {
    let channel = connection.create_channel().await?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await?;
    Ok(channel)
}

fn persistent() -> BasicProperties {
    BasicProperties::default()
        .with_delivery_mode(2)
        .with_content_type("application/json".into())
}

async fn publish_confirmed(
    channel: &Channel,
    queue: &str,
    body: &[u8],
    properties: BasicProperties,
) -> Result<(), BenchError> {
    let options = BasicPublishOptions {
        mandatory: true,
        ..BasicPublishOptions::default()
    };
    let confirmation = channel
        .basic_publish(
            ShortString::from(""),
            queue.into(),
            options,
            body,
            properties,
        )
        .await?
        .await?;
    match confirmation {
        Confirmation::Ack(None) => Ok(()),
        other => Err(BenchError::NotConfirmed(format!("{other:?}"))),
    }
}

/// One hop: consume `queue`; publish each message to the next queue (or, on the last hop,
/// report its index) and ack it, up to `prefetch` messages at once.
async fn relay_hop(
    consumer: Channel,
    queue: String,
    next: Option<(Channel, String)>,
    claim_check: Option<PathBuf>,
    completed: mpsc::UnboundedSender<usize>,
) -> Result<(), BenchError> {
    let tag = format!("{queue}.relay");
    let mut deliveries = consumer
        .basic_consume(
            queue.as_str().into(),
            tag.as_str().into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    let next = next.map(|(channel, queue)| Arc::new((channel, queue)));
    let mut in_flight = JoinSet::new();
    while let Some(delivery) = deliveries.next().await {
        let delivery = delivery?;
        let (next, completed) = (next.clone(), completed.clone());
        let claim_check = claim_check.clone();
        in_flight.spawn(async move {
            if let Some(store) = &claim_check {
                // what a stage does with a claim check: fetch the document it names
                std::hint::black_box(check_out(store, &delivery.data).await?);
            }
            match &next {
                Some(next) => {
                    let (channel, queue) = next.as_ref();
                    publish_confirmed(channel, queue, &delivery.data, delivery.properties.clone())
                        .await?;
                }
                None => {
                    let index = delivery
                        .properties
                        .message_id()
                        .as_ref()
                        .and_then(|id| id.as_str().parse().ok());
                    if let Some(index) = index {
                        // The receiver is gone only once the measurement is over.
                        let _ = completed.send(index);
                    }
                }
            }
            delivery.acker.ack(BasicAckOptions::default()).await?;
            Ok::<_, BenchError>(())
        });
        while let Some(joined) = in_flight.try_join_next() {
            joined.map_err(|e| BenchError::Task(e.to_string()))??;
        }
    }
    Ok(())
}

/// An observer of a pipeline's exchange: a queue of its own, bound to some routing keys,
/// whose message bodies arrive on a channel. The bench follows the settling events this way
/// when `budgetflow-ingest` consumes the ledger queue, so that it takes nothing from the
/// ledger. The queue is exclusive and auto-deleted (it goes with the tap's connection), and
/// its deliveries are acknowledged by the broker as it sends them: an observer, not a stage.
/// Each message arrives as its routing key and its body.
pub struct Tap {
    connection: Connection,
    consumer: JoinHandle<Result<(), BenchError>>,
}

impl Tap {
    /// Binds a new queue to `routing_keys` on `exchange` and starts consuming it: every
    /// message routed there from now on is sent on the returned channel.
    pub async fn open(
        url: &str,
        exchange: &str,
        routing_keys: &[&str],
    ) -> Result<(Tap, mpsc::UnboundedReceiver<(String, Vec<u8>)>), BenchError> {
        let connection = Connection::connect(
            url,
            ConnectionProperties::default().with_connection_name("budgetflow-bench-tap".into()),
        )
        .await?;
        let channel = connection.create_channel().await?;
        let private = QueueDeclareOptions {
            exclusive: true,
            auto_delete: true,
            ..QueueDeclareOptions::default()
        };
        // the broker names it
        let queue = channel
            .queue_declare("".into(), private, FieldTable::default())
            .await?;
        for key in routing_keys {
            channel
                .queue_bind(
                    queue.name().clone(),
                    exchange.into(),
                    (*key).into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
        }
        let no_ack = BasicConsumeOptions {
            no_ack: true,
            ..BasicConsumeOptions::default()
        };
        let mut deliveries = channel
            .basic_consume(
                queue.name().clone(),
                "budgetflow-bench-tap".into(),
                no_ack,
                FieldTable::default(),
            )
            .await?;
        let (sender, bodies) = mpsc::unbounded_channel();
        let consumer = tokio::spawn(async move {
            while let Some(delivery) = deliveries.next().await {
                let delivery = delivery?;
                // The receiver is gone only once the measurement is over.
                let _ = sender.send((delivery.routing_key.to_string(), delivery.data));
            }
            Ok(())
        });
        Ok((
            Tap {
                connection,
                consumer,
            },
            bodies,
        ))
    }

    /// Stops consuming and closes the connection, which deletes the queue.
    pub async fn close(self) {
        self.consumer.abort();
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, self.connection.close(200, "tap done".into()))
            .await;
    }
}

/// The process's resident set size now (`VmRSS` of `/proc/self/status`), in bytes; `None`
/// where that file does not exist.
pub fn resident_bytes() -> Option<u64> {
    resident_bytes_of(Process::This)
}

/// A process whose memory is sampled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Process {
    /// The process sampling.
    This,
    /// Another process on this machine (a stage started as its own binary).
    Pid(u32),
    /// Every process on this machine of this command name (`/proc/…/comm`), taken
    /// together: a PostgreSQL server is one process per connection, each named `postgres`.
    /// Processes that start meanwhile are counted from then on; one that exits takes its
    /// figures with it.
    Named(&'static str),
}

/// `process`'s resident set size now (`VmRSS` of its `/proc/…/status`), in bytes; `None`
/// where that file does not exist (not Linux, or the process has exited).
pub fn resident_bytes_of(process: Process) -> Option<u64> {
    let path = match process {
        Process::This => "/proc/self/status".to_owned(),
        Process::Pid(pid) => format!("/proc/{pid}/status"),
        Process::Named(name) => return summed(name, resident_bytes_of),
    };
    let status = std::fs::read_to_string(path).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Ticks per second of the CPU times in `/proc/…/stat`: the kernel reports them in `USER_HZ`,
/// which is 100 on every architecture Linux runs budgetflow on.
const USER_HZ: u64 = 100;

/// The CPU time `process` has used so far, user and system (`/proc/…/stat`); `None` where
/// that file does not exist or cannot be read.
pub fn cpu_time_of(process: Process) -> Option<Duration> {
    let path = match process {
        Process::This => "/proc/self/stat".to_owned(),
        Process::Pid(pid) => format!("/proc/{pid}/stat"),
        Process::Named(name) => return summed(name, cpu_time_of),
    };
    let stat = std::fs::read_to_string(path).ok()?;
    // The command name is in parentheses and may hold spaces: fields are counted after it.
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    // utime and stime are the 14th and 15th fields; the state, the 3rd, is the first here.
    let (user, system) = (ticks(11)?, ticks(12)?);
    Some(Duration::from_millis((user + system) * 1000 / USER_HZ))
}

/// The first process on this machine whose command name (`/proc/…/comm`) is `name` — the
/// broker's `beam.smp` — so the bench can say what the broker spent; `None` when there is
/// none (the broker runs elsewhere) or `/proc` cannot be read.
pub fn process_named(name: &str) -> Option<Process> {
    processes_named(name).into_iter().next()
}

/// Every process on this machine whose command name is `name`; empty when there is none or
/// `/proc` cannot be read.
fn processes_named(name: &str) -> Vec<Process> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let comm = std::fs::read_to_string(entry.path().join("comm")).ok()?;
            (comm.trim_end() == name).then_some(Process::Pid(pid))
        })
        .collect()
}

/// `figure` added up over the processes named `name` whose figure can be read; `None`
/// when there is none.
fn summed<T: std::iter::Sum<T>>(name: &str, figure: fn(Process) -> Option<T>) -> Option<T> {
    let figures: Vec<T> = processes_named(name)
        .into_iter()
        .filter_map(figure)
        .collect();
    (!figures.is_empty()).then(|| figures.into_iter().sum())
}

/// Resident memory over a run: first sample, highest, last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResidentMemory {
    pub start: u64,
    pub peak: u64,
    pub end: u64,
}

impl ResidentMemory {
    fn first(bytes: u64) -> Self {
        ResidentMemory {
            start: bytes,
            peak: bytes,
            end: bytes,
        }
    }

    fn sampled(&mut self, bytes: u64) {
        self.peak = self.peak.max(bytes);
        self.end = bytes;
    }
}

/// Runs `work` while sampling [`resident_bytes`] every `every`.
pub async fn sample_resident<T>(
    every: Duration,
    work: impl Future<Output = T>,
) -> (T, Option<ResidentMemory>) {
    let (output, mut memory) = sample_processes(every, &[Process::This], work).await;
    (output, memory.pop().flatten())
}

/// Runs `work` while sampling the resident memory of each of `processes` every `every`;
/// `None` for a process whose memory could not be read at the start.
pub async fn sample_processes<T>(
    every: Duration,
    processes: &[Process],
    work: impl Future<Output = T>,
) -> (T, Vec<Option<ResidentMemory>>) {
    let mut memory: Vec<Option<ResidentMemory>> = processes
        .iter()
        .map(|p| resident_bytes_of(*p).map(ResidentMemory::first))
        .collect();
    let sample = |memory: &mut Vec<Option<ResidentMemory>>| {
        for (process, memory) in processes.iter().zip(memory.iter_mut()) {
            if let (Some(memory), Some(now)) = (memory.as_mut(), resident_bytes_of(*process)) {
                memory.sampled(now);
            }
        }
    };
    let mut ticks = tokio::time::interval(every);
    let mut work = std::pin::pin!(work);
    let output = loop {
        tokio::select! {
            output = &mut work => break output,
            _ = ticks.tick() => sample(&mut memory),
        }
    };
    sample(&mut memory);
    (output, memory)
}

/// Runs `work` and returns, beside its output, the CPU time each of `processes` spent while
/// it ran; `None` for a process whose time could not be read before or after.
pub async fn cpu_spent<T>(
    processes: &[Process],
    work: impl Future<Output = T>,
) -> (T, Vec<Option<Duration>>) {
    let before: Vec<Option<Duration>> = processes.iter().map(|p| cpu_time_of(*p)).collect();
    let output = work.await;
    let spent = processes
        .iter()
        .zip(before)
        .map(|(process, before)| cpu_time_of(*process)?.checked_sub(before?))
        .collect();
    (output, spent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_used_cpu_time_and_can_be_found_by_name() {
        let spin = Instant::now();
        while spin.elapsed() < Duration::from_millis(30) {
            std::hint::black_box(spin.elapsed());
        }
        let used = cpu_time_of(Process::This).expect("/proc/self/stat");
        assert!(used >= Duration::from_millis(10), "{used:?}");
        let comm = std::fs::read_to_string("/proc/self/comm").unwrap();
        assert!(process_named(comm.trim_end()).is_some());
        assert_eq!(process_named("no-such-process-name"), None);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let latencies = (1..=100).map(Duration::from_millis).collect();
        let measured = Measurement::new(Duration::from_secs(2), latencies);
        assert_eq!(measured.percentile(50.0), Duration::from_millis(50));
        assert_eq!(measured.percentile(99.0), Duration::from_millis(99));
        assert_eq!(measured.percentile(100.0), Duration::from_millis(100));
        assert_eq!(measured.throughput(), 50.0);
        assert_eq!(
            Measurement::new(Duration::from_secs(1), Vec::new()).percentile(50.0),
            Duration::ZERO
        );
    }

    #[tokio::test]
    async fn the_closed_loop_counts_each_item_once() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let measured = closed_loop(
            5,
            2,
            Duration::from_secs(5),
            |index| {
                let tx = tx.clone();
                async move {
                    tx.send(index).unwrap();
                    tx.send(index).unwrap();
                    Ok::<_, BusError>(())
                }
            },
            &mut rx,
        )
        .await
        .unwrap();
        assert_eq!(measured.items, 5);
    }
}
