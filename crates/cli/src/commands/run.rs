//! `budgetflow run [INPUT…] --out DIR [--amqp URL]`: the whole pipeline in this process.
//!
//! The validate, score and publish stages run as tasks over the in-memory bus (or over
//! RabbitMQ with `--amqp`), the inputs are submitted as `submission.received`, and the command
//! follows the ledger queue and the ledger's copy of the dead letters (a batch tracker) until every submission
//! is accounted for — published, rejected, or failed (given up, or dead-lettered) — then stops the stages and prints one row per disclosure:
//! 部门, 年度, 错误, 警告, 状态, 发布位置. An input that cannot be read is reported and not
//! submitted. The same bytes given twice are one submission.
//!
//! There is no database ledger to number submissions: the inputs of each department and year are
//! numbered in the order given, after the submission version current under DIR (so a run is
//! newer than what an earlier run published there). The newest is current whatever order the
//! stages finish in: the input given last, as a department's correction would be.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use budgetflow_bus::{
    Envelope, MemoryTransport, RabbitConfig, RabbitTransport, Topology, Transport,
};
use budgetflow_ingest::submission::{submission, submit};
use budgetflow_model::DepartmentCode;
use budgetflow_model::Lang;
use budgetflow_pipeline::tracker::{BatchTracker, Entry, LedgerFeed, State};
use budgetflow_pipeline::Stages;
use budgetflow_publish::archive::Archive;
use tokio_util::sync::CancellationToken;

use crate::args::BusArgs;
use crate::exit::{CliError, ErrorKind, Outcome};

/// The bundled sample, processed when no input is given.
const SAMPLE_NAME: &str = "urumqi-miit-2025.txt";
const SAMPLE: &str = include_str!("../../../../samples/urumqi-miit-2025.txt");

/// Ready messages each in-memory work queue holds before publishers wait.
const MEMORY_QUEUE_CAPACITY: usize = 64;
/// Ledger events followed at once.
const LEDGER_PREFETCH: u16 = 64;

/// One input, read.
struct Input {
    name: String,
    read: Result<Envelope, String>,
}

/// What became of the inputs.
struct Summary {
    tracker: BatchTracker,
    unreadable: Vec<(String, String)>,
}

pub async fn run(
    inputs: &[PathBuf],
    out: &Path,
    bus: &BusArgs,
    lang: Lang,
) -> Result<Outcome, CliError> {
    let summary = pipeline(inputs, out, bus, lang).await.map_err(|error| {
        CliError::failed(|lang| {
            format!("{}: {error:#}", lang.pick("流水线失败", "pipeline failed"))
        })
    })?;
    let mut stdout = crate::output::stdout_buffered();
    stdout.text(&render(&summary, lang))?;
    stdout.finish()?;
    result(&summary)
}

/// The transport and what only its concrete type can tell.
enum Backend {
    Memory(MemoryTransport),
    Rabbit(Arc<RabbitTransport>),
}

impl Backend {
    async fn connect(bus: &BusArgs) -> anyhow::Result<Backend> {
        let topology = Topology::new(bus.prefix.clone());
        Ok(match &bus.amqp {
            None => Backend::Memory(MemoryTransport::new(topology, MEMORY_QUEUE_CAPACITY)),
            Some(url) => {
                let mut config = RabbitConfig::new(url.clone(), topology);
                config.connection_name = "budgetflow-run".to_owned();
                let transport = RabbitTransport::connect(config)
                    .await
                    .with_context(|| format!("RabbitMQ {url}"))?;
                Backend::Rabbit(Arc::new(transport))
            }
        })
    }

    fn transport(&self) -> Arc<dyn Transport> {
        match self {
            Backend::Memory(memory) => Arc::new(memory.clone()),
            Backend::Rabbit(rabbit) => rabbit.clone(),
        }
    }

    async fn close(&self) {
        match self {
            Backend::Memory(memory) => memory.close(),
            Backend::Rabbit(rabbit) => rabbit.close().await,
        }
    }
}

async fn pipeline(
    inputs: &[PathBuf],
    out: &Path,
    bus: &BusArgs,
    lang: Lang,
) -> anyhow::Result<Summary> {
    let inputs = read_inputs(inputs)?;
    let backend = Backend::connect(bus).await?;
    let transport = backend.transport();
    let shutdown = CancellationToken::new();
    let stages = tokio::spawn(budgetflow_pipeline::run_until_stopped(
        Stages::new(out, lang).with_prefetch(bus.prefetch),
        transport.clone(),
        shutdown.clone(),
    ));
    let mut feed = LedgerFeed::subscribe(transport.as_ref(), LEDGER_PREFETCH).await?;

    let mut tracker = BatchTracker::new();
    let mut unreadable = Vec::new();
    let mut to_submit = Vec::new();
    for input in inputs {
        match input.read {
            Ok(envelope) => {
                if tracker.expect(&envelope) {
                    to_submit.push(envelope);
                }
            }
            Err(reason) => unreadable.push((input.name, reason)),
        }
    }
    number_versions(&mut to_submit, out);
    let submitter_transport = transport.clone();
    let mut submitter = tokio::spawn(async move {
        for envelope in &to_submit {
            submit(submitter_transport.as_ref(), envelope).await?;
        }
        anyhow::Ok(())
    });
    let mut submitting = true;
    while submitting {
        tokio::select! {
            followed = feed.next() => {
                feed.record(followed.context("the ledger queues")?, &mut tracker).await?;
            }
            submitted = &mut submitter => {
                submitted??;
                submitting = false;
            }
        }
    }
    feed.until_settled(&mut tracker)
        .await
        .context("the ledger queues")?;
    shutdown.cancel();
    feed.cancel().await;
    stages.await??;
    backend.close().await;
    Ok(Summary {
        tracker,
        unreadable,
    })
}

/// Numbers the submissions of each department and year in the order given, after the
/// submission version current in the archive at `out` (the publish stage files a submission
/// without a registered code under the code derived from its department's name).
fn number_versions(envelopes: &mut [Envelope], out: &Path) {
    let archive = Archive::new(out);
    let mut last: HashMap<(String, i32), u32> = HashMap::new();
    for envelope in envelopes {
        let year = envelope.fiscal_year;
        let version = last
            .entry((envelope.department.clone(), year))
            .or_insert_with(|| {
                let code = DepartmentCode::derived(&envelope.department);
                archive
                    .current(&code, year)
                    .map_or(0, |current| current.submission_version)
            });
        *version = version.saturating_add(1);
        envelope.version = *version;
    }
}

/// Reads every input (directories: their files, sorted); the bundled sample without inputs.
fn read_inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<Input>> {
    if paths.is_empty() {
        return Ok(vec![Input {
            name: SAMPLE_NAME.to_owned(),
            read: submission(SAMPLE.as_bytes()).map_err(|e| e.to_string()),
        }]);
    }
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| path.display().to_string())?
                .flatten()
                .map(|entry| entry.path())
                .filter(|p| p.is_file() && !is_hidden(p))
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files
        .into_iter()
        .map(|file| Input {
            name: file.display().to_string(),
            read: budgetflow_formats::decode::read_limited(&file)
                .map_err(|e| e.to_string())
                .and_then(|bytes| submission(&bytes).map_err(|e| e.to_string())),
        })
        .collect())
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with('.'))
}

/// The worst of the inputs' fates, each shown in the summary.
fn result(summary: &Summary) -> Result<Outcome, CliError> {
    let states: Vec<&State> = summary.tracker.entries().map(|e| &e.state).collect();
    if !summary.unreadable.is_empty() {
        Err(CliError::reported(ErrorKind::Unreadable))
    } else if states.iter().any(|s| matches!(s, State::Failed { .. })) {
        Err(CliError::reported(ErrorKind::Failed))
    } else if states.iter().any(|s| matches!(s, State::Rejected)) {
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Clean)
    }
}

/// The summary table, columns aligned by display width (a Chinese character is two
/// columns), then the unreadable inputs and a total line.
fn render(summary: &Summary, lang: Lang) -> String {
    let header = [
        lang.pick("部门", "Department"),
        lang.pick("年度", "Year"),
        lang.pick("错误", "Errors"),
        lang.pick("警告", "Warnings"),
        lang.pick("状态", "State"),
        lang.pick("发布位置", "Published at"),
    ]
    .map(str::to_owned);
    let mut rows = vec![header];
    rows.extend(summary.tracker.entries().map(|entry| row(entry, lang)));
    for (name, _) in &summary.unreadable {
        rows.push([
            name.clone(),
            "-".into(),
            "-".into(),
            "-".into(),
            lang.pick("无法读取", "unreadable").into(),
            "-".into(),
        ]);
    }
    // numbers right-aligned, text left-aligned
    let mut out = crate::terminal_table::render(&rows, &[1, 2, 3]);
    for (name, reason) in &summary.unreadable {
        out.push_str(&format!(
            "{}: {name}: {reason}\n",
            lang.pick("无法读取", "cannot read")
        ));
    }
    for entry in summary.tracker.entries() {
        if let State::Failed { reason } = &entry.state {
            out.push_str(&format!(
                "{}: {} ({}): {reason}\n",
                lang.pick("处理失败", "failed"),
                entry.department,
                entry.submission_id
            ));
        }
    }
    let count = |wanted: fn(&State) -> bool| {
        summary
            .tracker
            .entries()
            .filter(|e| wanted(&e.state))
            .count()
    };
    let published = count(|s| matches!(s, State::Published { .. }));
    let rejected = count(|s| matches!(s, State::Rejected));
    let failed = count(|s| matches!(s, State::Failed { .. }));
    let total = summary.tracker.len() + summary.unreadable.len();
    let unreadable = summary.unreadable.len();
    out.push_str(&match lang {
        Lang::Zh => format!(
            "合计：{total} 份，已发布 {published}，未通过审核 {rejected}，处理失败 {failed}，无法读取 {unreadable}\n"
        ),
        Lang::En => format!(
            "Total: {total}, published {published}, rejected {rejected}, failed {failed}, unreadable {unreadable}\n"
        ),
    });
    out
}

fn row(entry: &Entry, lang: Lang) -> [String; 6] {
    let count = |n: Option<u64>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
    let (state, place) = match &entry.state {
        State::Published { artifact } => (lang.pick("已发布", "published"), artifact.clone()),
        State::Rejected => (lang.pick("未通过审核", "rejected"), "-".to_owned()),
        State::Failed { .. } => (lang.pick("处理失败", "failed"), "-".to_owned()),
        State::InProgress => (lang.pick("处理中", "in progress"), "-".to_owned()),
    };
    [
        entry.department.clone(),
        entry.fiscal_year.to_string(),
        count(entry.errors),
        count(entry.warnings),
        state.to_owned(),
        place,
    ]
}
