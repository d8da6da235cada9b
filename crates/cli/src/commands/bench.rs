//! `budgetflow bench --amqp URL`: the pipeline over RabbitMQ against the machine's ceiling.
//!
//! In one run: N synthetic disclosures, each a document of its own (generated before timing
//! starts), go through the pipeline over RabbitMQ; then the same `submission.received`
//! bodies go through a bare lapin relay of four quorum queues
//! ([`budgetflow_bus::bench::relay`]). Both are driven by the same closed loop (at most
//! `--window` in flight), so throughput and p50/p99 latency — submission to the final event
//! — compare directly.
//!
//! Without `--services`, validate, score and publish run in this process as `budgetflow run`
//! runs them, the command publishes `submission.received` as the API does and follows the
//! ledger queue. With `--services`, the four service binaries run as deployed, each its own
//! process (`--replicas 1,2`: that many of each stage, sharing their queues; one
//! `budgetflow-ingest`). The command registers the corpus's departments in a ledger
//! database of the run's own (on the PostgreSQL server of `--database`, or a SQLite file),
//! submits each disclosure to the ingestion API with its department's token, and learns of
//! settlements from a queue of its own bound to the settling events, since ingest consumes
//! the ledger queue. CPU time is reported per process (and for the broker and PostgreSQL
//! when they run on this machine).
//!
//! With `--backlog`, a further batch is submitted before the stages start and resident
//! memory is sampled while they drain it: this process's, or each service process's. Every
//! run uses its own prefix and deletes its exchanges, queues and ledger database afterwards.
//!
//! Every disclosure of the corpus is valid, so every one should be published. A run in which
//! some were rejected or failed measured fewer stages than it claims: the command says how
//! each settled and exits 1.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use budgetflow_bus::bench::{
    closed_loop, cpu_spent, drain, process_named, relay, sample_processes, BenchError, Measurement,
    Process, RelayConfig, ResidentMemory, Tap,
};
use budgetflow_bus::{
    ConsumeOptions, Destination, Event, Headers, OutgoingMessage, RabbitConfig, RabbitTransport,
    Subscription, Topology, Transport, WorkQueue,
};
use budgetflow_ingest::submission::submission;
use budgetflow_ledger::scratch::Scratch;
use budgetflow_ledger::{Backend, DepartmentCode, Ledger, Role};
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
/// The one fiscal year of the synthetic corpus (see [`budgetflow_synth::document_of_year`]).
const YEAR: i32 = 2025;
/// Hops of the relay: as many queues as a document passes (validate, score, publish, ledger).
const HOPS: usize = 4;
/// A run that sees no completion for this long has failed.
const STALL: Duration = Duration::from_secs(120);
/// How often resident memory is sampled under the backlog.
const SAMPLE_EVERY: Duration = Duration::from_millis(50);
/// Backlog submissions awaiting their answer (the broker's confirm, or the API's) at once.
const BACKLOG_SUBMITS: usize = 64;
/// The pipeline should reach this share of the relay's throughput.
const TARGET: f64 = 0.6;
/// The ingestion service, by the name of its binary's suffix.
const INGEST: &str = "ingest";
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
/// The processes of a PostgreSQL server (the server and each backend), when it runs on this
/// machine.
const DATABASE_PROCESS: &str = "postgres";

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
    let unpublished = report.unpublished();
    if unpublished.is_empty() {
        return Ok(Outcome::Clean);
    }
    for run in unpublished {
        let PipelineRun {
            published,
            rejected,
            failed,
            ..
        } = *run;
        let (host, documents) = (run.host.label(lang), report.documents);
        let unsettled = documents.saturating_sub(published + rejected + failed);
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "{host}：{documents} 份中只发布了 {published} 份（拒绝 {rejected}，失败 {failed}，未结束 {unsettled}）；吞吐不是完整流水线的数字"
                ),
                Lang::En => format!(
                    "{host}: only {published} of {documents} were published ({rejected} rejected, {failed} failed, {unsettled} unsettled); its throughput is not the whole pipeline's"
                ),
            }
        );
    }
    Ok(Outcome::Findings)
}

/// The figures of one run.
struct Report {
    documents: usize,
    prefetch: u16,
    window: usize,
    mean_bytes: usize,
    /// The ledger database of `budgetflow-ingest`, with the services.
    ledger: Option<Backend>,
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
    /// Documents published, rejected and failed (every one published, unless something is
    /// wrong).
    published: usize,
    rejected: usize,
    failed: usize,
    ledger: Option<Backend>,
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
                format!("服务进程（接收 + 各阶段 {replicas} 副本）")
            }
            (Host::Services { replicas }, Lang::En) => {
                format!("services (ingest + {replicas} of each stage)")
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

/// One disclosure of the synthetic corpus, generated before the clock starts: its text as
/// its department submits it, and the `submission.received` envelope made of it (what the
/// in-process stages are given and the relay relays).
struct Message {
    submission_id: Uuid,
    key: String,
    body: Vec<u8>,
    text: Vec<u8>,
    department: String,
}

impl Message {
    /// Disclosure `index` of the corpus: every index is a document of its own, so every
    /// submission is new to the ledger and to every stage.
    fn synthetic(index: usize) -> anyhow::Result<Self> {
        let document = budgetflow_synth::document_of_year(SEED, index, YEAR);
        let text = budgetflow_formats::text::write(&document).into_bytes();
        let envelope = submission(&text).context("a synthetic disclosure")?;
        Ok(Message {
            submission_id: envelope.submission_id,
            key: envelope.idempotency_key().to_string(),
            body: envelope.to_vec()?,
            text,
            department: document.identity.department,
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

/// Disclosures `range` of the corpus, generated on every core.
fn synthetic(range: std::ops::Range<usize>) -> anyhow::Result<Vec<Message>> {
    let threads = budgetflow_service::runtime::cores();
    let chunk = range.len().div_ceil(threads).max(1);
    let starts: Vec<usize> = range.clone().step_by(chunk).collect();
    std::thread::scope(|scope| {
        let generating: Vec<_> = starts
            .into_iter()
            .map(|start| {
                let end = (start + chunk).min(range.end);
                scope.spawn(move || (start..end).map(Message::synthetic).collect::<Vec<_>>())
            })
            .collect();
        let mut messages = Vec::with_capacity(range.len());
        for generated in generating {
            let generated = generated
                .join()
                .map_err(|_| anyhow::anyhow!("generating the corpus panicked"))?;
            messages.extend(generated);
        }
        messages.into_iter().collect()
    })
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
    let messages = tokio::task::spawn_blocking({
        let n = args.documents.max(1);
        move || synthetic(0..n)
    })
    .await??;
    let messages: Arc<Vec<Message>> = Arc::new(messages);
    let mean_bytes = messages.iter().map(|m| m.body.len()).sum::<usize>() / messages.len();

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
        n => Some(measure_backlog(args, url, hosts[0], n).await?),
    };
    Ok(Report {
        documents: args.documents,
        prefetch: args.prefetch,
        window: args.window,
        mean_bytes,
        ledger: pipelines.iter().find_map(|run| run.ledger),
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

/// A port of this machine free now, for a service to bind (nothing else binds it in
/// between: the bench starts the service next).
fn free_local_address() -> anyhow::Result<std::net::SocketAddr> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?)
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
    let (mut pipeline, mut completed) = Pipeline::open(args, url, host).await?;
    let run = async {
        for (i, message) in messages.iter().enumerate() {
            pipeline.expect(message, i).await?;
        }
        pipeline.start_stages(host, args.prefetch).await?;
        let intake = pipeline.intake.clone();
        let processes = pipeline.cpu_processes();
        let pids: Vec<Process> = processes.iter().map(|(_, p)| *p).collect();
        let (measured, spent) = cpu_spent(
            &pids,
            closed_loop(
                messages.len(),
                args.window,
                STALL,
                |i| {
                    let (intake, messages) = (intake.clone(), messages.clone());
                    async move { intake.submit(&messages[i]).await }
                },
                &mut completed,
            ),
        )
        .await;
        anyhow::Ok(PipelineRun {
            host,
            measured: measured.context("pipeline")?,
            published: pipeline.settlements.published.load(Ordering::Relaxed),
            rejected: pipeline.settlements.rejected.load(Ordering::Relaxed),
            failed: pipeline.settlements.failed.load(Ordering::Relaxed),
            ledger: pipeline.ledger_backend(),
            cpu: CpuShare::of(processes, spent, messages.len()),
        })
    }
    .await;
    pipeline.close().await?;
    run
}

/// Submits `n` disclosures (each generated just before it is submitted) with the stages
/// stopped, then starts them and samples every process's memory while they drain it.
async fn measure_backlog(
    args: &BenchArgs,
    url: &str,
    host: Host,
    n: usize,
) -> anyhow::Result<Backlog> {
    let (mut pipeline, mut completed) = Pipeline::open(args, url, host).await?;
    let drained = async {
        let mut submits = JoinSet::new();
        for index in 0..n {
            let message = tokio::task::spawn_blocking(move || Message::synthetic(index)).await??;
            pipeline.expect(&message, index).await?;
            if submits.len() >= BACKLOG_SUBMITS {
                if let Some(joined) = submits.join_next().await {
                    joined??;
                }
            }
            let intake = pipeline.intake.clone();
            submits.spawn(async move { intake.submit(&message).await });
        }
        while let Some(joined) = submits.join_next().await {
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

/// Which submission of this run each id is: filled before each submission goes out, read
/// as its settling event comes back.
type Expected = Arc<Mutex<HashMap<Uuid, usize>>>;

/// How a submission enters the pipeline measured.
#[derive(Clone)]
enum Intake {
    /// Published as `submission.received`, as the ingestion API does once it recorded a
    /// submission: the bench plays ingest for the stages in this process.
    Bus(Arc<RabbitTransport>),
    /// `POST /api/v1/submissions` to `budgetflow-ingest`, with the department's token.
    Api(Arc<Api>),
}

/// The ingestion API of a started `budgetflow-ingest`, and the departments registered in
/// its ledger with their tokens.
struct Api {
    client: reqwest::Client,
    /// Where it listens.
    address: std::net::SocketAddr,
    ledger: Ledger,
    tokens: Mutex<HashMap<String, String>>,
}

impl Intake {
    async fn submit(self, message: &Message) -> Result<(), BenchError> {
        match self {
            Intake::Bus(transport) => Ok(transport.publish(message.outgoing()).await?),
            Intake::Api(api) => api.submit(message).await,
        }
    }
}

impl Api {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Registers `department` in the ledger unless it is already.
    async fn register(&self, department: &str) -> anyhow::Result<()> {
        if self.token(department).is_some() {
            return Ok(());
        }
        let code = DepartmentCode::derived(department);
        let token = self
            .ledger
            .add_department(&code, department, Role::Department)
            .await
            .with_context(|| format!("registering {department}"))?;
        self.tokens
            .lock()
            .expect("the token map is never poisoned: nothing panics holding it")
            .insert(department.to_owned(), token.expose().to_owned());
        Ok(())
    }

    fn token(&self, department: &str) -> Option<String> {
        self.tokens
            .lock()
            .expect("the token map is never poisoned: nothing panics holding it")
            .get(department)
            .cloned()
    }

    /// Submits `message` as its department does; anything but 202 Accepted is a refusal.
    async fn submit(&self, message: &Message) -> Result<(), BenchError> {
        let token = self.token(&message.department).ok_or_else(|| {
            BenchError::Refused(format!("{} is not registered", message.department))
        })?;
        let refused = |e: reqwest::Error| BenchError::Refused(e.to_string());
        let response = self
            .client
            .post(self.url("/api/v1/submissions"))
            .bearer_auth(token)
            .header(
                reqwest::header::CONTENT_TYPE,
                budgetflow_ingest::api::read::TEXT,
            )
            .body(message.text.clone())
            .send()
            .await
            .map_err(refused)?;
        let status = response.status();
        if status == reqwest::StatusCode::ACCEPTED {
            return Ok(());
        }
        let answer = response.text().await.map_err(refused)?;
        Err(BenchError::Refused(format!("{status}: {answer}")))
    }
}

/// The stages (in this process, or as processes with `budgetflow-ingest`) on a topology of
/// their own, and what follows their settling events.
struct Pipeline {
    config: RabbitConfig,
    transport: Arc<RabbitTransport>,
    intake: Intake,
    expected: Expected,
    shutdown: CancellationToken,
    /// Once started in this process.
    stages: Option<JoinHandle<Result<(), PipelineError>>>,
    /// The processes started: `budgetflow-ingest` at once with the services, the stages
    /// once started; each with its name (`validate-1`).
    processes: Vec<(String, Child)>,
    /// What follows the settling events with the services, where `budgetflow-ingest`
    /// consumes the ledger queue; without them `settling` follows the ledger queue itself.
    tap: Option<Tap>,
    settling: JoinHandle<anyhow::Result<()>>,
    /// The ledger database of `budgetflow-ingest`.
    scratch: Option<Scratch>,
    settlements: Arc<Settlements>,
    out: PathBuf,
}

impl Pipeline {
    /// Connects and declares the topology; with the services, creates a ledger database and
    /// starts `budgetflow-ingest` on it. The index of each expected submission that reaches
    /// its final event is sent on the returned channel.
    async fn open(
        args: &BenchArgs,
        url: &str,
        host: Host,
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
        let expected: Expected = Arc::default();
        let settlements = Arc::<Settlements>::default();
        let (completed, completions) = mpsc::unbounded_channel();
        let settled = Settling {
            expected: expected.clone(),
            settlements: settlements.clone(),
            completed,
        };
        let (intake, tap, settling, scratch) = match host {
            Host::InProcess => {
                let ledger = transport
                    .subscribe(WorkQueue::Ledger, ConsumeOptions { prefetch: 64 })
                    .await?;
                let settling = tokio::spawn(settled.follow_ledger_queue(ledger));
                (Intake::Bus(transport.clone()), None, settling, None)
            }
            Host::Services { .. } => {
                let settling_keys: Vec<&str> = Event::ALL
                    .into_iter()
                    .filter(|event| event.is_terminal())
                    .map(Event::routing_key)
                    .collect();
                let (tap, events) =
                    Tap::open(url, config.topology.exchange(), &settling_keys).await?;
                let scratch = match &args.database {
                    Some(server) => Scratch::postgres_on(server)
                        .await
                        .with_context(|| format!("a ledger database on {server}"))?,
                    None => Scratch::sqlite().await.context("a SQLite ledger")?,
                };
                let api = Api {
                    client: reqwest::Client::new(),
                    address: free_local_address()?,
                    ledger: scratch.ledger.clone(),
                    tokens: Mutex::default(),
                };
                let settling = tokio::spawn(settled.follow(events));
                (
                    Intake::Api(Arc::new(api)),
                    Some(tap),
                    settling,
                    Some(scratch),
                )
            }
        };
        let mut pipeline = Pipeline {
            config,
            transport,
            intake,
            expected,
            shutdown: CancellationToken::new(),
            stages: None,
            processes: Vec::new(),
            tap,
            settling,
            scratch,
            settlements,
            out,
        };
        if let Intake::Api(api) = &pipeline.intake {
            let api = api.clone();
            if let Err(error) = pipeline.start_ingest(&api, args.prefetch).await {
                // the topology, the database and the directory go with it
                return Err(match pipeline.close().await {
                    Ok(()) => error,
                    Err(closing) => error.context(format!("and cleaning up failed: {closing:#}")),
                });
            }
        }
        Ok((pipeline, completions))
    }

    /// Expects `message` as submission `index`: its department may submit, and its
    /// settling event counts.
    async fn expect(&self, message: &Message, index: usize) -> anyhow::Result<()> {
        if let Intake::Api(api) = &self.intake {
            api.register(&message.department).await?;
        }
        self.expected
            .lock()
            .expect("the expected map is never poisoned: nothing panics holding it")
            .insert(message.submission_id, index);
        Ok(())
    }

    /// Starts `budgetflow-ingest` on the scratch ledger, serving `api`; returns once its API
    /// answers ready and it consumes the ledger queue.
    async fn start_ingest(&mut self, api: &Api, prefetch: u16) -> anyhow::Result<()> {
        let scratch = self.scratch.as_ref().context("no ledger database")?;
        let inbox = self.out.join("inbox");
        let extra = [
            ("INGEST__DATABASE_URL", scratch.url.clone()),
            ("INGEST__LISTEN", api.address.to_string()),
            ("INGEST__INBOX", inbox.display().to_string()),
            // one client submits for every department, as fast as the pipeline settles
            ("INGEST__REQUESTS_PER_MINUTE", u32::MAX.to_string()),
            ("INGEST__BURST", u32::MAX.to_string()),
        ];
        let child = self.spawn_service(INGEST, 1, prefetch, &extra)?;
        self.processes.push((format!("{INGEST}-1"), child));
        let ready = async {
            loop {
                let answer = api.client.get(api.url("/health/ready")).send().await;
                if answer.is_ok_and(|a| a.status().is_success())
                    && self.transport.consumers(WorkQueue::Ledger).await? >= 1
                {
                    return anyhow::Ok(());
                }
                // the service gives no notice of being ready
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        tokio::time::timeout(STARTUP, ready)
            .await
            .context("budgetflow-ingest did not answer ready in time")?
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
                        let child = self.spawn_service(stage, replica, prefetch, &[])?;
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

    /// Replica `replica` of service `name` as its binary, configured through the environment
    /// as a deployment configures it (plus `extra` settings), logging to a file beside the
    /// artifacts.
    fn spawn_service(
        &self,
        name: &str,
        replica: u16,
        prefetch: u16,
        extra: &[(&str, String)],
    ) -> anyhow::Result<Child> {
        let here = std::env::current_exe().context("the bench's own executable")?;
        let binary = here.with_file_name(format!("budgetflow-{name}"));
        let work = self.out.join(format!("{name}-{replica}"));
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
            .envs(
                env.into_iter()
                    .chain(extra.iter().map(|(key, value)| (*key, value.clone())))
                    .map(|(key, value)| (format!("BUDGETFLOW__{key}"), value)),
            )
            .env_remove("BUDGETFLOW_CONFIG")
            .current_dir(&work)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (build the service binaries beside budgetflow: cargo build --release --workspace --bins --features budgetflow-ingest/stage)",
                    binary.display()
                )
            })
    }

    /// The processes whose memory is sampled, with their names: the service processes, or
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

    /// The processes whose CPU time is measured: every service process (none when the
    /// stages run in this one), this one, the broker, and the ledger's PostgreSQL server
    /// when it runs on this machine.
    fn cpu_processes(&self) -> Vec<(String, Process)> {
        let mut named: Vec<(String, Process)> = self
            .processes
            .iter()
            .filter_map(|(name, child)| Some((name.clone(), Process::Pid(child.id()?))))
            .collect();
        let this = if self.processes.is_empty() {
            "budgetflow bench (stages)"
        } else {
            "budgetflow bench (client)"
        };
        named.extend(bench_and_broker(this));
        if self.ledger_backend() == Some(Backend::Postgres)
            && process_named(DATABASE_PROCESS).is_some()
        {
            named.push(("PostgreSQL".to_owned(), Process::Named(DATABASE_PROCESS)));
        }
        named
    }

    fn ledger_backend(&self) -> Option<Backend> {
        self.scratch
            .as_ref()
            .map(|scratch| scratch.ledger.backend())
    }

    /// Stops the processes and the stages, closes the connections, deletes the topology,
    /// the ledger database and the artifacts.
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
        if let Some(tap) = self.tap {
            tap.close().await;
        }
        self.settling.abort();
        self.transport.close().await;
        RabbitTransport::delete_topology(&self.config).await?;
        if let Some(scratch) = self.scratch {
            scratch.drop_database().await?;
        }
        std::fs::remove_dir_all(&self.out).with_context(|| self.out.display().to_string())?;
        Ok(())
    }
}

/// The part of an envelope the bench reads of a settling event.
#[derive(Deserialize)]
struct Settled {
    submission_id: Uuid,
}

/// Turns settling events into the indices of the submissions they settle.
struct Settling {
    expected: Expected,
    settlements: Arc<Settlements>,
    completed: mpsc::UnboundedSender<usize>,
}

/// How the expected submissions of a run settled, by final event.
#[derive(Debug, Default)]
struct Settlements {
    published: AtomicUsize,
    rejected: AtomicUsize,
    failed: AtomicUsize,
}

impl Settlements {
    /// Counts a final event (`failed`, or any final event other than published and rejected).
    fn count(&self, event: Event) {
        let counter = match event {
            Event::Published => &self.published,
            Event::Rejected => &self.rejected,
            _ => &self.failed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

impl Settling {
    /// Event `routing_key` with `body` came: when it settles an expected submission, its
    /// index goes out (and how it settled is counted).
    fn saw(&self, routing_key: &str, body: &[u8]) {
        let Some(event) = Event::from_routing_key(routing_key).filter(|e| e.is_terminal()) else {
            return;
        };
        let Ok(settled) = serde_json::from_slice::<Settled>(body) else {
            return;
        };
        let index = self
            .expected
            .lock()
            .expect("the expected map is never poisoned: nothing panics holding it")
            .get(&settled.submission_id)
            .copied();
        if let Some(index) = index {
            self.settlements.count(event);
            // The receiver is gone only once the measurement is over.
            let _ = self.completed.send(index);
        }
    }

    /// Consumes the ledger queue as the ledger would.
    async fn follow_ledger_queue(self, mut ledger: Box<dyn Subscription>) -> anyhow::Result<()> {
        while let Some(delivery) = ledger.next().await {
            self.saw(&delivery.routing_key, &delivery.body);
            delivery.ack().await?;
        }
        Ok(())
    }

    /// Reads what a tap receives.
    async fn follow(
        self,
        mut events: mpsc::UnboundedReceiver<(String, Vec<u8>)>,
    ) -> anyhow::Result<()> {
        while let Some((routing_key, body)) = events.recv().await {
            self.saw(&routing_key, &body);
        }
        Ok(())
    }
}

fn ledger_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
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
    /// The pipeline runs that did not publish every document, with how many they did.
    fn unpublished(&self) -> Vec<&PipelineRun> {
        self.pipelines
            .iter()
            .filter(|run| run.published < self.documents)
            .collect()
    }

    fn json(&self) -> serde_json::Value {
        let pipelines: Vec<serde_json::Value> = self
            .pipelines
            .iter()
            .map(|run| {
                let mut measured = side(&run.measured);
                measured["host"] = run.host.json();
                measured["published"] = json!(run.published);
                measured["rejected"] = json!(run.rejected);
                measured["failed"] = json!(run.failed);
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
            "ledger": self.ledger.map(ledger_name),
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
        if let Some(ledger) = self.ledger {
            out.push_str(&match lang {
                Lang::Zh => format!("接收服务的台账数据库：{}\n", ledger_name(ledger)),
                Lang::En => format!("ingest's ledger database: {}\n", ledger_name(ledger)),
            });
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A settling event's body: what the bench reads of it.
    fn event(id: Uuid) -> Vec<u8> {
        json!({ "submission_id": id }).to_string().into_bytes()
    }

    #[test]
    fn each_expected_submission_is_counted_by_how_it_settled() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
        let expected: Expected = Arc::new(Mutex::new(
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect(),
        ));
        let (completed, mut completions) = mpsc::unbounded_channel();
        let settling = Settling {
            expected,
            settlements: Arc::default(),
            completed,
        };
        settling.saw("submission.validated", &event(ids[0]));
        settling.saw("submission.published", &event(Uuid::new_v4()));
        settling.saw("submission.published", &event(ids[0]));
        settling.saw("submission.rejected", &event(ids[1]));
        settling.saw("submission.failed", &event(ids[2]));
        let settled: Vec<usize> = std::iter::from_fn(|| completions.try_recv().ok()).collect();
        assert_eq!(settled, [0, 1, 2]);
        let counts = &settling.settlements;
        let count = |counter: &AtomicUsize| counter.load(Ordering::Relaxed);
        assert_eq!(
            [
                count(&counts.published),
                count(&counts.rejected),
                count(&counts.failed)
            ],
            [1, 1, 1]
        );
    }
}
