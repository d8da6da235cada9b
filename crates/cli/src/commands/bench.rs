//! `budgetflow bench --amqp URL`: the pipeline over RabbitMQ against the machine's ceiling.
//!
//! In one run: N synthetic disclosures (generated before timing starts) go through the
//! validate, score and publish stages over RabbitMQ while the command follows the ledger
//! queue; then the same message bodies go through a bare lapin relay of four quorum queues
//! ([`budgetflow_bus::bench::relay`]). Both are driven by the same closed loop (at most
//! `--window` in flight), so throughput and p50/p99 latency — publish of
//! `submission.received` to the ledger seeing the final event — compare directly. With
//! `--backlog`, a further batch is published before the stages start and the process's
//! resident memory is sampled while they drain it. With `--services`, the stages are the
//! service binaries as deployed, each its own process (`--replicas 1,2`: that many of each,
//! sharing their queues), and the memory sampled is each process's; the command itself
//! plays ingest and the ledger (it publishes `submission.received` and follows the ledger
//! queue). Every run uses its own prefix and deletes its exchanges and queues afterwards.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use budgetflow_bus::bench::{
    closed_loop, cpu_spent, drain, process_named, relay, sample_processes, Measurement, Process,
    RelayConfig, ResidentMemory,
};
use budgetflow_bus::{
    BusError, ConsumeOptions, Destination, Envelope, Event, Headers, OutgoingMessage, RabbitConfig,
    RabbitTransport, Topology, Transport, WorkQueue,
};
use budgetflow_ingest::submission::submission;
use budgetflow_model::Lang;
use budgetflow_pipeline::{PipelineError, Stages};
use serde::Deserialize;
use serde_json::json;
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::args::BenchArgs;
use crate::exit::{CliError, Outcome};
use crate::terminal_table::pad;

/// Seed of the synthetic corpus.
const SEED: u64 = 2025;
/// Distinct disclosures generated; the N messages cycle through them, each with a
/// submission id of its own (so every stage does the work for every message).
const POOL: usize = 64;
/// Hops of the relay: as many queues as a document passes (validate, score, publish, ledger).
const HOPS: usize = 4;
/// A run that sees no completion for this long has failed.
const STALL: Duration = Duration::from_secs(120);
/// How often resident memory is sampled under the backlog.
const SAMPLE_EVERY: Duration = Duration::from_millis(50);
/// Backlog publishes awaiting their confirm at once.
const BACKLOG_CONFIRMS: usize = 64;
/// The pipeline should reach this share of the relay's throughput.
const TARGET: f64 = 0.6;
/// The stages started as processes, by the name of their binary's suffix.
const STAGES: [(&str, WorkQueue); 3] = [
    ("validate", WorkQueue::Validate),
    ("score", WorkQueue::Score),
    ("publish", WorkQueue::Publish),
];
/// How long started stage processes may take to consume their queues.
const STARTUP: Duration = Duration::from_secs(60);
/// The broker's process (RabbitMQ runs in the Erlang VM), when it runs on this machine.
const BROKER_PROCESS: &str = "beam.smp";

pub async fn run(args: &BenchArgs, lang: Lang) -> Result<Outcome, CliError> {
    let Some(url) = &args.amqp else {
        return Err(CliError::usage(|lang| {
            lang.pick(
                "基准测试需要 RabbitMQ：请用 --amqp URL 或环境变量 BUDGETFLOW__AMQP__URL（或 AMQP_URL）指定",
                "the bench needs RabbitMQ: give --amqp URL or set BUDGETFLOW__AMQP__URL (or AMQP_URL)",
            )
            .to_owned()
        }));
    };
    let report = measure(args, url).await.map_err(|error| {
        CliError::failed(|lang| format!("{}: {error:#}", lang.pick("基准测试失败", "bench failed")))
    })?;
    let mut out = crate::output::stdout();
    if args.json {
        out.line(report.json())?;
    } else {
        out.text(&report.render(lang))?;
    }
    out.finish()?;
    Ok(Outcome::Clean)
}

/// The figures of one run.
struct Report {
    documents: usize,
    prefetch: u16,
    window: usize,
    mean_bytes: usize,
    pipelines: Vec<PipelineRun>,
    relay: Relayed,
    /// The same relay with a claim check: the bodies stored, their hashes travelling.
    claim_check: Relayed,
    backlog: Option<Backlog>,
}

/// A run of the bare relay.
struct Relayed {
    measured: Measurement,
    /// CPU time per message of the relay's processes (this one, the broker).
    cpu: Vec<CpuShare>,
}

/// What one process spent on the CPU over a measurement, per document (or message) moved;
/// `None` where its time could not be read.
struct CpuShare {
    process: String,
    per_document: Option<Duration>,
}

impl CpuShare {
    fn of(named: Vec<(String, Process)>, spent: Vec<Option<Duration>>, n: usize) -> Vec<Self> {
        named
            .into_iter()
            .zip(spent)
            .map(|((process, _), spent)| CpuShare {
                process,
                per_document: spent.map(|s| s / u32::try_from(n.max(1)).unwrap_or(u32::MAX)),
            })
            .collect()
    }
}

/// This process under `name`, and the broker's when it runs on this machine.
fn bench_and_broker(name: &str) -> Vec<(String, Process)> {
    let mut named = vec![(name.to_owned(), Process::This)];
    named.extend(process_named(BROKER_PROCESS).map(|p| ("RabbitMQ".to_owned(), p)));
    named
}

/// The pipeline measured with its stages hosted one way.
struct PipelineRun {
    host: Host,
    measured: Measurement,
    published: usize,
    cpu: Vec<CpuShare>,
}

/// Where the stages run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Host {
    /// In this process, as `budgetflow run` runs them.
    InProcess,
    /// As the service binaries, this many replicas of each.
    Services { replicas: u16 },
}

impl Host {
    fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (Host::InProcess, Lang::Zh) => "流水线（进程内三阶段+台账）".to_owned(),
            (Host::InProcess, Lang::En) => "pipeline (3 stages in-process)".to_owned(),
            (Host::Services { replicas }, Lang::Zh) => {
                format!("服务进程（各阶段 {replicas} 副本）")
            }
            (Host::Services { replicas }, Lang::En) => {
                format!("services ({replicas} replica(s) each)")
            }
        }
    }

    fn json(self) -> serde_json::Value {
        match self {
            Host::InProcess => json!("in-process"),
            Host::Services { replicas } => json!({ "services": { "replicas": replicas } }),
        }
    }
}

/// The drain of a backlog.
struct Backlog {
    documents: usize,
    drained_in: Duration,
    /// Per process sampled (the bench itself, or each stage process), its memory.
    memory: Vec<(String, Option<ResidentMemory>)>,
}

/// One pre-generated `submission.received` message.
struct Message {
    submission_id: Uuid,
    key: String,
    body: Vec<u8>,
}

impl Message {
    fn new(envelope: &Envelope) -> anyhow::Result<Self> {
        Ok(Message {
            submission_id: envelope.submission_id,
            key: envelope.idempotency_key().to_string(),
            body: envelope.to_vec()?,
        })
    }

    fn outgoing(&self) -> OutgoingMessage {
        OutgoingMessage {
            destination: Destination::Exchange,
            routing_key: Event::Received.routing_key().to_owned(),
            body: self.body.clone(),
            headers: Headers::new(),
            message_id: Some(self.key.clone()),
        }
    }
}

async fn measure(args: &BenchArgs, url: &str) -> anyhow::Result<Report> {
    let hosts: Vec<Host> = if args.services {
        args.replicas
            .iter()
            .map(|&replicas| Host::Services { replicas })
            .collect()
    } else {
        vec![Host::InProcess]
    };
    let pool = pool(args.documents.clamp(1, POOL))?;
    let messages: Arc<Vec<Message>> = Arc::new(
        (0..args.documents)
            .map(|i| Message::new(&variant(&pool[i % pool.len()])))
            .collect::<anyhow::Result<_>>()?,
    );
    let mean_bytes = messages.iter().map(|m| m.body.len()).sum::<usize>() / messages.len().max(1);

    let mut pipelines = Vec::with_capacity(hosts.len());
    for &host in &hosts {
        let run = measure_pipeline(args, url, host, messages.clone())
            .await
            .with_context(|| host.label(Lang::En))?;
        pipelines.push(run);
    }
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(messages.iter().map(|m| m.body.clone()).collect());
    drop(messages);
    let relay = run_relay(args, url, bodies.clone(), None)
        .await
        .context("relay")?;
    let store = std::env::temp_dir().join(unique_prefix());
    std::fs::create_dir_all(&store).with_context(|| store.display().to_string())?;
    let claim_check = run_relay(args, url, bodies, Some(store.clone()))
        .await
        .context("relay with a claim check");
    std::fs::remove_dir_all(&store).with_context(|| store.display().to_string())?;
    let claim_check = claim_check?;
    let backlog = match args.backlog {
        0 => None,
        n => Some(measure_backlog(args, url, hosts[0], &pool, n).await?),
    };
    Ok(Report {
        documents: args.documents,
        prefetch: args.prefetch,
        window: args.window,
        mean_bytes,
        pipelines,
        relay,
        claim_check,
        backlog,
    })
}

/// The bare relay of `bodies`, or of their claim checks in `store`, with the CPU time it
/// cost this process and the broker.
async fn run_relay(
    args: &BenchArgs,
    url: &str,
    bodies: Arc<Vec<Vec<u8>>>,
    claim_check: Option<PathBuf>,
) -> anyhow::Result<Relayed> {
    let n = bodies.len();
    let processes = bench_and_broker("budgetflow bench (relay)");
    let pids: Vec<Process> = processes.iter().map(|(_, p)| *p).collect();
    let config = RelayConfig {
        url: url.to_owned(),
        prefix: unique_prefix(),
        hops: HOPS,
        prefetch: args.prefetch,
        window: args.window,
        stall: STALL,
        claim_check,
    };
    let (measured, spent) = cpu_spent(&pids, relay(&config, bodies)).await;
    Ok(Relayed {
        measured: measured?,
        cpu: CpuShare::of(processes, spent, n),
    })
}

/// `n` distinct synthetic disclosures as `submission.received` envelopes.
fn pool(n: usize) -> anyhow::Result<Vec<Envelope>> {
    (0..n)
        .map(|i| {
            let text = budgetflow_formats::text::write(&budgetflow_synth::document(SEED, i));
            submission(text.as_bytes()).context("a synthetic disclosure")
        })
        .collect()
}

/// `envelope` as another submission of the same content.
fn variant(envelope: &Envelope) -> Envelope {
    let mut envelope = envelope.clone();
    envelope.submission_id = Uuid::new_v4();
    envelope
}

fn unique_prefix() -> String {
    format!("budgetflow-bench-{}", Uuid::new_v4().simple())
}

async fn measure_pipeline(
    args: &BenchArgs,
    url: &str,
    host: Host,
    messages: Arc<Vec<Message>>,
) -> anyhow::Result<PipelineRun> {
    let ids = messages
        .iter()
        .enumerate()
        .map(|(i, m)| (m.submission_id, i))
        .collect();
    let (mut pipeline, mut completed) = Pipeline::open(url, ids).await?;
    pipeline.start_stages(host, args.prefetch).await?;
    let transport = pipeline.transport.clone();
    let processes = pipeline.cpu_processes();
    let pids: Vec<Process> = processes.iter().map(|(_, p)| *p).collect();
    let (measured, spent) = cpu_spent(
        &pids,
        closed_loop(
            messages.len(),
            args.window,
            STALL,
            |i| {
                let (transport, messages) = (transport.clone(), messages.clone());
                async move { transport.publish(messages[i].outgoing()).await }
            },
            &mut completed,
        ),
    )
    .await;
    let published = pipeline.published.load(Ordering::Relaxed);
    pipeline.close().await?;
    Ok(PipelineRun {
        host,
        measured: measured.context("pipeline")?,
        published,
        cpu: CpuShare::of(processes, spent, messages.len()),
    })
}

async fn measure_backlog(
    args: &BenchArgs,
    url: &str,
    host: Host,
    pool: &[Envelope],
    n: usize,
) -> anyhow::Result<Backlog> {
    // Only the ids are held: each message is built when it is published.
    let ids: Vec<Uuid> = (0..n).map(|_| Uuid::new_v4()).collect();
    let index = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let (mut pipeline, mut completed) = Pipeline::open(url, index).await?;
    let drained = async {
        let mut confirms = JoinSet::new();
        for (i, submission_id) in ids.into_iter().enumerate() {
            let mut envelope = pool[i % pool.len()].clone();
            envelope.submission_id = submission_id;
            if confirms.len() >= BACKLOG_CONFIRMS {
                if let Some(joined) = confirms.join_next().await {
                    joined??;
                }
            }
            let transport = pipeline.transport.clone();
            confirms.spawn(async move {
                let message = Message::new(&envelope)?;
                transport.publish(message.outgoing()).await?;
                anyhow::Ok(())
            });
        }
        while let Some(joined) = confirms.join_next().await {
            joined??;
        }
        pipeline.start_stages(host, args.prefetch).await?;
        let (names, processes) = pipeline.sampled();
        let began = Instant::now();
        let (drained, memory) =
            sample_processes(SAMPLE_EVERY, &processes, drain(n, STALL, &mut completed)).await;
        drained?;
        anyhow::Ok(Backlog {
            documents: n,
            drained_in: began.elapsed(),
            memory: names.into_iter().zip(memory).collect(),
        })
    }
    .await
    .context("backlog");
    pipeline.close().await?;
    drained
}

/// The three stages and the ledger follower on a topology of their own.
struct Pipeline {
    config: RabbitConfig,
    transport: Arc<RabbitTransport>,
    shutdown: CancellationToken,
    /// Once started in this process.
    stages: Option<JoinHandle<Result<(), PipelineError>>>,
    /// Once started as processes: each with its name (`validate-1`).
    processes: Vec<(String, Child)>,
    ledger: JoinHandle<Result<(), BusError>>,
    published: Arc<AtomicUsize>,
    out: PathBuf,
}

/// The part of an envelope the ledger follower reads.
#[derive(Deserialize)]
struct Settled {
    submission_id: Uuid,
}

impl Pipeline {
    /// Connects, declares the topology and follows the ledger: the index (in `ids`) of each
    /// submission that reaches its final event is sent on the returned channel.
    async fn open(
        url: &str,
        ids: HashMap<Uuid, usize>,
    ) -> anyhow::Result<(Pipeline, mpsc::UnboundedReceiver<usize>)> {
        let mut config = RabbitConfig::new(url, Topology::new(unique_prefix()));
        config.connection_name = "budgetflow-bench".to_owned();
        let transport = Arc::new(
            RabbitTransport::connect(config.clone())
                .await
                .with_context(|| format!("RabbitMQ {url}"))?,
        );
        let out = std::env::temp_dir().join(config.topology.prefix());
        std::fs::create_dir_all(&out).with_context(|| out.display().to_string())?;
        let mut ledger = transport
            .subscribe(WorkQueue::Ledger, ConsumeOptions { prefetch: 64 })
            .await?;
        let (completed, completions) = mpsc::unbounded_channel();
        let published = Arc::new(AtomicUsize::new(0));
        let counter = published.clone();
        let ledger = tokio::spawn(async move {
            while let Some(delivery) = ledger.next().await {
                let event = Event::from_routing_key(&delivery.routing_key);
                if event.is_some_and(Event::is_terminal) {
                    let settled = serde_json::from_slice::<Settled>(&delivery.body).ok();
                    if let Some(&index) = settled.and_then(|s| ids.get(&s.submission_id)) {
                        if event == Some(Event::Published) {
                            counter.fetch_add(1, Ordering::Relaxed);
                        }
                        // The receiver is gone only once the measurement is over.
                        let _ = completed.send(index);
                    }
                }
                delivery.ack().await?;
            }
            Ok(())
        });
        let pipeline = Pipeline {
            config,
            transport,
            shutdown: CancellationToken::new(),
            stages: None,
            processes: Vec::new(),
            ledger,
            published,
            out,
        };
        Ok((pipeline, completions))
    }

    /// Starts validate, score and publish with `prefetch`, in this process as `budgetflow run`
    /// does or as the service binaries; returns once every stage consumes its queue.
    async fn start_stages(&mut self, host: Host, prefetch: u16) -> anyhow::Result<()> {
        let replicas = match host {
            Host::InProcess => {
                self.stages = Some(tokio::spawn(budgetflow_pipeline::run_until_stopped(
                    Stages::new(&self.out, Lang::Zh).with_prefetch(prefetch),
                    self.transport.clone(),
                    self.shutdown.clone(),
                )));
                1
            }
            Host::Services { replicas } => {
                for (stage, _) in STAGES {
                    for replica in 1..=replicas {
                        let child = self.spawn_stage(stage, replica, prefetch)?;
                        self.processes.push((format!("{stage}-{replica}"), child));
                    }
                }
                u32::from(replicas)
            }
        };
        let started = async {
            for (_, queue) in STAGES {
                while self.transport.consumers(queue).await? < replicas {
                    // the broker pushes no notice of a new consumer
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            anyhow::Ok(())
        };
        tokio::time::timeout(STARTUP, started)
            .await
            .context("the stages did not consume their queues in time")?
    }

    /// Replica `replica` of `stage` as its service binary, configured through the
    /// environment as a deployment configures it, logging to a file beside the artifacts.
    fn spawn_stage(&self, stage: &str, replica: u16, prefetch: u16) -> anyhow::Result<Child> {
        let here = std::env::current_exe().context("the bench's own executable")?;
        let binary = here.with_file_name(format!("budgetflow-{stage}"));
        let work = self.out.join(format!("{stage}-{replica}"));
        std::fs::create_dir_all(&work).with_context(|| work.display().to_string())?;
        let log = std::fs::File::create(work.join("stderr.log"))?;
        let topology = &self.config.topology;
        let env = [
            ("AMQP__URL", self.config.url.clone()),
            ("AMQP__PREFIX", topology.prefix().to_owned()),
            (
                "AMQP__DELIVERY_LIMIT",
                topology.delivery_limit().to_string(),
            ),
            ("STAGE__STATE_DIR", work.join("state").display().to_string()),
            ("STAGE__PREFETCH", prefetch.to_string()),
            (
                "PUBLISH__OUT_DIR",
                self.out.join("published").display().to_string(),
            ),
            ("OPS__LISTEN", "127.0.0.1:0".to_owned()),
            ("LOG__FORMAT", "json".to_owned()),
        ];
        Command::new(&binary)
            .envs(env.map(|(key, value)| (format!("BUDGETFLOW__{key}"), value)))
            .env_remove("BUDGETFLOW_CONFIG")
            .current_dir(&work)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (build the service binaries beside budgetflow: cargo build --release --workspace --bins)",
                    binary.display()
                )
            })
    }

    /// The processes whose memory is sampled, with their names: the stage processes, or
    /// this one when the stages run in it.
    fn sampled(&self) -> (Vec<String>, Vec<Process>) {
        if self.processes.is_empty() {
            return (vec!["budgetflow bench".to_owned()], vec![Process::This]);
        }
        self.processes
            .iter()
            .filter_map(|(name, child)| Some((name.clone(), Process::Pid(child.id()?))))
            .unzip()
    }

    /// The processes whose CPU time is measured: every stage process (none when the stages
    /// run in this one), this one, the broker.
    fn cpu_processes(&self) -> Vec<(String, Process)> {
        let mut named: Vec<(String, Process)> = self
            .processes
            .iter()
            .filter_map(|(name, child)| Some((name.clone(), Process::Pid(child.id()?))))
            .collect();
        let this = if self.processes.is_empty() {
            "budgetflow bench (stages)"
        } else {
            "budgetflow bench (ingest, ledger)"
        };
        named.extend(bench_and_broker(this));
        named
    }

    /// Stops the stages, closes the connection, deletes the topology and the artifacts.
    async fn close(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        if let Some(stages) = self.stages {
            stages.await??;
        }
        for (name, mut child) in self.processes {
            // the run is over and its topology goes next: nothing is left to finish
            child.start_kill().with_context(|| name.clone())?;
            child.wait().await.with_context(|| name)?;
        }
        self.ledger.abort();
        self.transport.close().await;
        RabbitTransport::delete_topology(&self.config).await?;
        std::fs::remove_dir_all(&self.out).with_context(|| self.out.display().to_string())?;
        Ok(())
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

impl PipelineRun {
    fn ratio(&self, relay: &Measurement) -> f64 {
        self.measured.throughput() / relay.throughput().max(f64::EPSILON)
    }
}

/// One figure of a measurement, as the table prints it.
type Figure = fn(&Measurement) -> f64;

fn relayed_json(relayed: &Relayed) -> serde_json::Value {
    let mut measured = side(&relayed.measured);
    measured["cpu_ms_per_message"] = cpu_json(&relayed.cpu);
    measured
}

fn cpu_json(cpu: &[CpuShare]) -> serde_json::Value {
    cpu.iter()
        .map(|share| (share.process.clone(), json!(share.per_document.map(millis))))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn side(m: &Measurement) -> serde_json::Value {
    json!({
        "per_second": m.throughput(),
        "p50_ms": millis(m.percentile(50.0)),
        "p99_ms": millis(m.percentile(99.0)),
        "seconds": m.elapsed.as_secs_f64(),
    })
}

impl Report {
    fn json(&self) -> serde_json::Value {
        let pipelines: Vec<serde_json::Value> = self
            .pipelines
            .iter()
            .map(|run| {
                let mut measured = side(&run.measured);
                measured["host"] = run.host.json();
                measured["published"] = json!(run.published);
                measured["ratio"] = json!(run.ratio(&self.relay.measured));
                measured["cpu_ms_per_document"] = cpu_json(&run.cpu);
                measured
            })
            .collect();
        json!({
            "documents": self.documents,
            "prefetch": self.prefetch,
            "window": self.window,
            "mean_message_bytes": self.mean_bytes,
            "pipelines": pipelines,
            "relay": relayed_json(&self.relay),
            "relay_claim_check": relayed_json(&self.claim_check),
            "target": TARGET,
            "backlog": self.backlog.as_ref().map(|b| json!({
                "documents": b.documents,
                "drain_seconds": b.drained_in.as_secs_f64(),
                "rss_bytes": b.memory.iter().map(|(process, m)| json!({
                    "process": process,
                    "start": m.map(|m| m.start),
                    "peak": m.map(|m| m.peak),
                    "end": m.map(|m| m.end),
                })).collect::<Vec<_>>(),
            })),
        })
    }

    fn render(&self, lang: Lang) -> String {
        let mut out = match lang {
            Lang::Zh => format!(
                "{} 份合成公开文件，平均消息 {} 字节，预取 {}，在途窗口 {}\n",
                self.documents, self.mean_bytes, self.prefetch, self.window
            ),
            Lang::En => format!(
                "{} synthetic disclosures, mean message {} bytes, prefetch {}, window {}\n",
                self.documents, self.mean_bytes, self.prefetch, self.window
            ),
        };
        let measured: Vec<(String, &Measurement)> = self
            .pipelines
            .iter()
            .map(|run| (run.host.label(lang), &run.measured))
            .chain([
                (
                    lang.pick("裸 lapin 中继（4 队列）", "bare lapin relay (4 queues)")
                        .to_owned(),
                    &self.relay.measured,
                ),
                (
                    lang.pick("中继 + 认领凭据（4 队列）", "relay, claim check (4 queues)")
                        .to_owned(),
                    &self.claim_check.measured,
                ),
            ])
            .collect();
        let figures: [(&str, Figure); 3] = [
            (
                lang.pick("吞吐（条/秒）", "throughput (/s)"),
                Measurement::throughput,
            ),
            (
                lang.pick("p50 延迟（毫秒）", "p50 latency (ms)"),
                |m| millis(m.percentile(50.0)),
            ),
            (
                lang.pick("p99 延迟（毫秒）", "p99 latency (ms)"),
                |m| millis(m.percentile(99.0)),
            ),
        ];
        out.push_str(&pad("", 18, false));
        for (label, _) in &measured {
            out.push_str(&format!("  {}", pad(label, 30, true)));
        }
        out.push('\n');
        for (label, figure) in figures {
            out.push_str(&pad(label, 18, false));
            for (_, m) in &measured {
                out.push_str(&format!(
                    "  {}",
                    pad(&format!("{:.1}", figure(m)), 30, true)
                ));
            }
            out.push('\n');
        }
        for run in &self.pipelines {
            let ratio = run.ratio(&self.relay.measured);
            let met = ratio >= TARGET;
            let host = run.host.label(lang);
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "{host}达到中继吞吐的 {:.1}%（目标 ≥ {:.0}%）：{}；已发布 {}/{}\n",
                    ratio * 100.0,
                    TARGET * 100.0,
                    if met { "达标" } else { "未达标" },
                    run.published,
                    self.documents
                ),
                Lang::En => format!(
                    "{host} reaches {:.1}% of the relay's throughput (target ≥ {:.0}%): {}; published {}/{}\n",
                    ratio * 100.0,
                    TARGET * 100.0,
                    if met { "met" } else { "not met" },
                    run.published,
                    self.documents
                ),
            });
        }
        for (label, cpu) in self
            .pipelines
            .iter()
            .map(|run| (run.host.label(lang), &run.cpu))
            .chain([
                (
                    lang.pick("裸 lapin 中继", "bare lapin relay").to_owned(),
                    &self.relay.cpu,
                ),
                (
                    lang.pick("中继 + 认领凭据", "relay, claim check")
                        .to_owned(),
                    &self.claim_check.cpu,
                ),
            ])
        {
            out.push_str(&format!(
                "{label}{}",
                lang.pick("每份 CPU 时间（毫秒）：", ": CPU per document (ms): ")
            ));
            let shares: Vec<String> = cpu
                .iter()
                .map(|share| match share.per_document {
                    Some(d) => format!("{} {:.2}", share.process, millis(d)),
                    None => format!("{} —", share.process),
                })
                .collect();
            out.push_str(&shares.join(" · "));
            out.push('\n');
        }
        if let Some(backlog) = &self.backlog {
            let seconds = backlog.drained_in.as_secs_f64();
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "积压 {} 份：{seconds:.1} 秒排空（{:.1} 份/秒）\n",
                    backlog.documents,
                    backlog.documents as f64 / seconds
                ),
                Lang::En => format!(
                    "backlog of {}: drained in {seconds:.1} s ({:.1}/s)\n",
                    backlog.documents,
                    backlog.documents as f64 / seconds
                ),
            });
            for (process, memory) in &backlog.memory {
                out.push_str(&match (memory, lang) {
                    (Some(m), Lang::Zh) => format!(
                        "  {process}：常驻内存 起始 {:.0} MiB，峰值 {:.0} MiB，结束 {:.0} MiB\n",
                        mib(m.start),
                        mib(m.peak),
                        mib(m.end)
                    ),
                    (Some(m), Lang::En) => format!(
                        "  {process}: RSS start {:.0} MiB, peak {:.0} MiB, end {:.0} MiB\n",
                        mib(m.start),
                        mib(m.peak),
                        mib(m.end)
                    ),
                    (None, Lang::Zh) => format!("  {process}：常驻内存无法读取\n"),
                    (None, Lang::En) => format!("  {process}: RSS not readable\n"),
                });
            }
        }
        out
    }
}
