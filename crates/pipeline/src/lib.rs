//! # budgetflow-pipeline
//!
//! The pipeline assembled in one place. Every process that runs the stages in itself —
//! `budgetflow run`, `budgetflow bench`, `budgetflow serve` and the end-to-end tests — starts
//! them with [`run_until_stopped`], so they all run the same validate → score → publish over
//! whichever transport they are given (the in-memory bus or RabbitMQ). The deployed services
//! run the same stages one per process (`budgetflow-validate`, …); only the assembly differs.
//!
//! - [`tracker`] follows what becomes of a batch of submissions on the ledger queue, for the
//!   callers that wait for their batch (`run`, the end-to-end tests);
//! - `system` (feature `system`) is the whole system in one process — `budgetflow serve`:
//!   these stages, the ingestion API and dashboard, and the database ledger's consumer.
//!
//! The crates around it: `budgetflow-bus` carries the messages and runs one stage;
//! `budgetflow-validate`, `-score` and `-publish` are the stages' work; `budgetflow-ingest`
//! turns disclosures into submissions and serves the API and the dashboard.

#[cfg(feature = "system")]
pub mod system;
pub mod tracker;

pub use tracker::{BatchTracker, LedgerFeed, State};

use std::path::PathBuf;
use std::sync::Arc;

use budgetflow_bus::{BusError, Stage, Transport};
use budgetflow_model::Lang;
use budgetflow_validate::previous::{PreviousYear, PublishedDirectory};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// A stage that could not run.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("stage: {0}")]
    Bus(#[from] BusError),
    /// A stage's task panicked or was cancelled.
    #[error("stage task: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// What the stages are started with.
#[derive(Clone, Debug)]
pub struct Stages {
    /// Where publish writes the site.
    pub out_dir: PathBuf,
    /// The language of the published pages.
    pub lang: Lang,
    /// Messages each stage handles at once; `None`: the stages' default.
    pub prefetch: Option<u16>,
    /// Where validate finds a department's disclosure of the year before: the ledger when
    /// there is one ([`Stages::with_previous_year`]), else what publish wrote into `out_dir`.
    pub previous_year: Arc<dyn PreviousYear>,
}

impl Stages {
    /// Publishing into `out_dir`, pages in `lang`, each stage at its default prefetch,
    /// last year's disclosures read back from `out_dir`.
    pub fn new(out_dir: impl Into<PathBuf>, lang: Lang) -> Self {
        let out_dir = out_dir.into();
        Stages {
            previous_year: Arc::new(PublishedDirectory::new(&out_dir)),
            out_dir,
            lang,
            prefetch: None,
        }
    }

    /// Last year's disclosures from `previous` (the ledger's [`LedgerLookup`]) rather than
    /// the published directory.
    ///
    /// [`LedgerLookup`]: budgetflow_validate::previous::LedgerLookup
    pub fn with_previous_year(mut self, previous: Arc<dyn PreviousYear>) -> Self {
        self.previous_year = previous;
        self
    }

    pub fn with_prefetch(mut self, prefetch: u16) -> Self {
        self.prefetch = Some(prefetch);
        self
    }

    /// validate, score and publish, in pipeline order.
    fn stages(&self) -> [Stage; 3] {
        let stages = [
            budgetflow_validate::stage::stage(self.previous_year.clone()),
            budgetflow_score::stage::stage(),
            budgetflow_publish::stage::stage(&self.out_dir, self.lang),
        ];
        match self.prefetch {
            Some(prefetch) => stages.map(|stage| stage.with_prefetch(prefetch)),
            None => stages,
        }
    }
}

/// Runs validate, score and publish on `transport`, each as a task of its own, until
/// `shutdown` is cancelled (or the transport closes): then each stops consuming, lets its
/// messages in flight settle, and this returns. A stage that cannot run stops the others
/// (a pipeline missing a stage would hold every submission), and its error is returned.
pub async fn run_until_stopped(
    stages: Stages,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), PipelineError> {
    let stop = shutdown.child_token();
    let mut running = JoinSet::new();
    for stage in stages.stages() {
        running.spawn(budgetflow_bus::run_until_stopped(
            stage,
            transport.clone(),
            stop.clone(),
        ));
    }
    let mut first_failure = None;
    while let Some(stopped) = running.join_next().await {
        let failure = match stopped {
            Ok(Ok(())) => continue,
            Ok(Err(error)) => PipelineError::from(error),
            Err(join) => PipelineError::from(join),
        };
        stop.cancel();
        first_failure.get_or_insert(failure);
    }
    first_failure.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use budgetflow_bus::{ConsumeOptions, Event, MemoryTransport, Topology, WorkQueue};

    const SAMPLE: &str = include_str!("../../../samples/urumqi-miit-2025.txt");

    /// The stages running over an in-memory bus of their own, with the ledger queue followed.
    struct Running {
        transport: Arc<dyn Transport>,
        ledger: Box<dyn budgetflow_bus::Subscription>,
        shutdown: CancellationToken,
        stages: tokio::task::JoinHandle<Result<(), PipelineError>>,
    }

    impl Running {
        async fn start(name: &str, stages: Stages) -> Running {
            let transport: Arc<dyn Transport> =
                Arc::new(MemoryTransport::new(Topology::new(name), 8));
            let ledger = transport
                .subscribe(WorkQueue::Ledger, ConsumeOptions::default())
                .await
                .unwrap();
            let shutdown = CancellationToken::new();
            let stages = tokio::spawn(run_until_stopped(
                stages,
                transport.clone(),
                shutdown.clone(),
            ));
            Running {
                transport,
                ledger,
                shutdown,
                stages,
            }
        }

        async fn stop(self) {
            self.shutdown.cancel();
            self.stages.await.unwrap().unwrap();
        }
    }

    #[tokio::test]
    async fn the_sample_goes_through_every_stage_and_the_stages_stop_when_told() {
        let out = tempfile::tempdir().unwrap();
        let mut running = Running::start(
            "pipeline-test",
            Stages::new(out.path(), Lang::Zh).with_prefetch(2),
        )
        .await;
        let (transport, ledger) = (running.transport.clone(), &mut running.ledger);
        let envelope = budgetflow_ingest::submission(SAMPLE.as_bytes()).unwrap();
        budgetflow_ingest::submission::submit(transport.as_ref(), &envelope)
            .await
            .unwrap();
        let mut seen = Vec::new();
        while seen.last() != Some(&Event::Published) {
            let delivery = ledger.next().await.expect("the ledger queue is open");
            seen.push(Event::from_routing_key(&delivery.routing_key).unwrap());
            delivery.ack().await.unwrap();
        }
        assert_eq!(seen, [Event::Validated, Event::Scored, Event::Published]);
        running.stop().await;
    }

    /// The event that settled submission `id` (published, rejected or failed) on the ledger
    /// queue, and the findings its envelope carried.
    async fn settled(
        ledger: &mut Box<dyn budgetflow_bus::Subscription>,
        id: uuid::Uuid,
    ) -> (Event, serde_json::Value) {
        loop {
            let delivery = ledger.next().await.expect("the ledger queue is open");
            let event = Event::from_routing_key(&delivery.routing_key).unwrap();
            let envelope: serde_json::Value = serde_json::from_slice(&delivery.body).unwrap();
            delivery.ack().await.unwrap();
            let settles = event.is_terminal();
            if settles && envelope["submission_id"] == id.to_string() {
                return (event, envelope["findings"].clone());
            }
        }
    }

    /// The `Y.*` findings of an envelope's `findings`.
    fn year_over_year(findings: &serde_json::Value) -> Vec<serde_json::Value> {
        findings["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("Y.")))
            .cloned()
            .collect()
    }

    #[tokio::test]
    async fn validate_checks_stated_changes_against_what_publish_wrote_for_last_year() {
        let out = tempfile::tempdir().unwrap();
        let mut running = Running::start("pipeline-yoy", Stages::new(out.path(), Lang::Zh)).await;
        let (transport, ledger) = (running.transport.clone(), &mut running.ledger);
        // last year's disclosure: the sample as filed for 2024, every figure as in 2025
        let this_year = budgetflow_ingest::submission(SAMPLE.as_bytes()).unwrap();
        let mut document: serde_json::Value = this_year.read_document().unwrap();
        document["identity"]["fiscal_year"] = 2024.into();
        let last_year = budgetflow_ingest::submission(document.to_string().as_bytes()).unwrap();
        budgetflow_ingest::submission::submit(transport.as_ref(), &last_year)
            .await
            .unwrap();
        let (event, findings) = settled(ledger, last_year.submission_id).await;
        assert_eq!(event, Event::Published, "{findings}");
        let none = year_over_year(&findings);
        assert_eq!(none.len(), 1, "{none:?}");
        assert_eq!(none[0]["rule"], "Y.no-previous");
        assert_eq!(none[0]["severity"], "info");

        // this year's 2,794.98 is 比上年减少1,754.77万元, so last year's would be 4,549.75;
        // the disclosure published for 2024 printed 2,794.98
        budgetflow_ingest::submission::submit(transport.as_ref(), &this_year)
            .await
            .unwrap();
        let (event, findings) = settled(ledger, this_year.submission_id).await;
        assert_eq!(event, Event::Rejected, "{findings}");
        let found = year_over_year(&findings);
        assert!(
            found.iter().any(|f| f["rule"] == "Y.stated-change"
                && f["row_name"] == "一般公共预算"
                && f["expected"] == "2794.98"
                && f["actual"] == "4549.75"),
            "{found:#?}"
        );
        assert!(found.iter().all(|f| f["rule"] != "Y.no-previous"));
        running.stop().await;
    }

    #[tokio::test]
    async fn stages_that_cannot_subscribe_return_the_error_without_being_stopped() {
        let memory = MemoryTransport::new(Topology::new("pipeline-closed"), 8);
        memory.close();
        let out = tempfile::tempdir().unwrap();
        let stopped = run_until_stopped(
            Stages::new(out.path(), Lang::Zh),
            Arc::new(memory),
            CancellationToken::new(),
        )
        .await;
        assert!(
            matches!(stopped, Err(PipelineError::Bus(BusError::Closed))),
            "{stopped:?}"
        );
    }
}
