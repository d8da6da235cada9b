//! `budgetflow bench --amqp URL`: the pipeline over RabbitMQ against the machine's ceiling.
//!
//! In one run: N synthetic disclosures (generated before timing starts) go through the
//! validate, score and publish stages over RabbitMQ while the command follows the ledger
//! queue; then the same message bodies go through a bare lapin relay of four quorum queues
//! ([`budgetflow_bus::bench::relay`]). Both are driven by the same closed loop (at most
//! `--window` in flight), so throughput and p50/p99 latency — publish of
//! `submission.received` to the ledger seeing the final event — compare directly. With
//! `--backlog`, a further batch is published before the stages start and the process's
//! resident memory is sampled while they drain it. Every run uses its own prefix and deletes
//! its exchanges and queues afterwards.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use budgetflow_bus::bench::{
    closed_loop, drain, relay, sample_resident, Measurement, RelayConfig, ResidentMemory,
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
    pipeline: Measurement,
    published: usize,
    relay: Measurement,
    backlog: Option<Backlog>,
}

/// The drain of a backlog.
struct Backlog {
    documents: usize,
    drained_in: Duration,
    memory: Option<ResidentMemory>,
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
    let pool = pool(args.documents.clamp(1, POOL))?;
    let messages: Arc<Vec<Message>> = Arc::new(
        (0..args.documents)
            .map(|i| Message::new(&variant(&pool[i % pool.len()])))
            .collect::<anyhow::Result<_>>()?,
    );
    let mean_bytes = messages.iter().map(|m| m.body.len()).sum::<usize>() / messages.len().max(1);

    let (pipeline, published) = measure_pipeline(args, url, messages.clone()).await?;
    let bodies = Arc::new(messages.iter().map(|m| m.body.clone()).collect());
    drop(messages);
    let relay = relay(
        &RelayConfig {
            url: url.to_owned(),
            prefix: unique_prefix(),
            hops: HOPS,
            prefetch: args.prefetch,
            window: args.window,
            stall: STALL,
        },
        bodies,
    )
    .await
    .context("relay")?;
    let backlog = match args.backlog {
        0 => None,
        n => Some(measure_backlog(args, url, &pool, n).await?),
    };
    Ok(Report {
        documents: args.documents,
        prefetch: args.prefetch,
        window: args.window,
        mean_bytes,
        pipeline,
        published,
        relay,
        backlog,
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
    messages: Arc<Vec<Message>>,
) -> anyhow::Result<(Measurement, usize)> {
    let ids = messages
        .iter()
        .enumerate()
        .map(|(i, m)| (m.submission_id, i))
        .collect();
    let (mut pipeline, mut completed) = Pipeline::open(url, ids).await?;
    pipeline.start_stages(args.prefetch);
    let transport = pipeline.transport.clone();
    let measured = closed_loop(
        messages.len(),
        args.window,
        STALL,
        |i| {
            let (transport, messages) = (transport.clone(), messages.clone());
            async move { transport.publish(messages[i].outgoing()).await }
        },
        &mut completed,
    )
    .await
    .context("pipeline");
    let published = pipeline.published.load(Ordering::Relaxed);
    pipeline.close().await?;
    Ok((measured?, published))
}

async fn measure_backlog(
    args: &BenchArgs,
    url: &str,
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
        pipeline.start_stages(args.prefetch);
        let began = Instant::now();
        let (drained, memory) =
            sample_resident(SAMPLE_EVERY, drain(n, STALL, &mut completed)).await;
        drained?;
        anyhow::Ok(Backlog {
            documents: n,
            drained_in: began.elapsed(),
            memory,
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
    /// Once started.
    stages: Option<JoinHandle<Result<(), PipelineError>>>,
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
            ledger,
            published,
            out,
        };
        Ok((pipeline, completions))
    }

    /// Starts validate, score and publish with `prefetch`, as `budgetflow run` does.
    fn start_stages(&mut self, prefetch: u16) {
        self.stages = Some(tokio::spawn(budgetflow_pipeline::run_until_stopped(
            Stages::new(&self.out, Lang::Zh).with_prefetch(prefetch),
            self.transport.clone(),
            self.shutdown.clone(),
        )));
    }

    /// Stops the stages, closes the connection, deletes the topology and the artifacts.
    async fn close(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        if let Some(stages) = self.stages {
            stages.await??;
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

impl Report {
    fn ratio(&self) -> f64 {
        self.pipeline.throughput() / self.relay.throughput().max(f64::EPSILON)
    }

    fn json(&self) -> serde_json::Value {
        let side = |m: &Measurement| {
            json!({
                "per_second": m.throughput(),
                "p50_ms": millis(m.percentile(50.0)),
                "p99_ms": millis(m.percentile(99.0)),
                "seconds": m.elapsed.as_secs_f64(),
            })
        };
        let mut pipeline = side(&self.pipeline);
        pipeline["published"] = json!(self.published);
        json!({
            "documents": self.documents,
            "prefetch": self.prefetch,
            "window": self.window,
            "mean_message_bytes": self.mean_bytes,
            "pipeline": pipeline,
            "relay": side(&self.relay),
            "ratio": self.ratio(),
            "target": TARGET,
            "backlog": self.backlog.as_ref().map(|b| json!({
                "documents": b.documents,
                "drain_seconds": b.drained_in.as_secs_f64(),
                "rss_bytes": b.memory.map(|m| json!({"start": m.start, "peak": m.peak, "end": m.end})),
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
        let rows = [
            (
                lang.pick("", ""),
                lang.pick("流水线（三阶段+台账）", "pipeline (3 stages + ledger)")
                    .to_owned(),
                lang.pick("裸 lapin 中继（4 队列）", "bare lapin relay (4 queues)")
                    .to_owned(),
            ),
            (
                lang.pick("吞吐（条/秒）", "throughput (/s)"),
                format!("{:.1}", self.pipeline.throughput()),
                format!("{:.1}", self.relay.throughput()),
            ),
            (
                lang.pick("p50 延迟（毫秒）", "p50 latency (ms)"),
                format!("{:.1}", millis(self.pipeline.percentile(50.0))),
                format!("{:.1}", millis(self.relay.percentile(50.0))),
            ),
            (
                lang.pick("p99 延迟（毫秒）", "p99 latency (ms)"),
                format!("{:.1}", millis(self.pipeline.percentile(99.0))),
                format!("{:.1}", millis(self.relay.percentile(99.0))),
            ),
        ];
        for (label, pipeline, relay) in rows {
            out.push_str(&format!(
                "{}  {}  {}\n",
                pad(label, 18, false),
                pad(&pipeline, 28, true),
                pad(&relay, 28, true)
            ));
        }
        let ratio = self.ratio() * 100.0;
        let met = self.ratio() >= TARGET;
        out.push_str(&match lang {
            Lang::Zh => format!(
                "流水线达到中继吞吐的 {ratio:.1}%（目标 ≥ {:.0}%）：{}；已发布 {}/{}\n",
                TARGET * 100.0,
                if met { "达标" } else { "未达标" },
                self.published,
                self.documents
            ),
            Lang::En => format!(
                "the pipeline reaches {ratio:.1}% of the relay's throughput (target ≥ {:.0}%): {}; published {}/{}\n",
                TARGET * 100.0,
                if met { "met" } else { "not met" },
                self.published,
                self.documents
            ),
        });
        if let Some(backlog) = &self.backlog {
            let seconds = backlog.drained_in.as_secs_f64();
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "积压 {} 份：{seconds:.1} 秒排空（{:.1} 份/秒）",
                    backlog.documents,
                    backlog.documents as f64 / seconds
                ),
                Lang::En => format!(
                    "backlog of {}: drained in {seconds:.1} s ({:.1}/s)",
                    backlog.documents,
                    backlog.documents as f64 / seconds
                ),
            });
            out.push_str(&match (backlog.memory, lang) {
                (Some(m), Lang::Zh) => format!(
                    "；进程常驻内存 起始 {:.0} MiB，峰值 {:.0} MiB，结束 {:.0} MiB\n",
                    mib(m.start),
                    mib(m.peak),
                    mib(m.end)
                ),
                (Some(m), Lang::En) => format!(
                    "; process RSS start {:.0} MiB, peak {:.0} MiB, end {:.0} MiB\n",
                    mib(m.start),
                    mib(m.peak),
                    mib(m.end)
                ),
                (None, _) => "\n".to_owned(),
            });
        }
        out
    }
}
