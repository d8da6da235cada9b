//! The pipeline over RabbitMQ, when `AMQP_URL` is set: in one process, then as the real
//! stage binaries under failures. Each test declares its own topology under a unique prefix
//! (`bfe2e-<uuid>`) and deletes it afterwards, even when it fails; tests that start
//! processes or restart the broker run one at a time.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use budgetflow_bus::{
    list_dead_letters, Envelope, Event, Part, RabbitConfig, RabbitTransport, Topology, Transport,
    WorkQueue,
};
use budgetflow_model::Lang;
use budgetflow_pipeline::{run_until_stopped, Stages, State};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, Mutex};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::support::{
    assert_all_accounted, binaries, corpus, envelopes, faulty_among, page_of, within, Driver,
};

/// Tests that run processes or restart the broker take this first.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// A topology of its own on the broker at `AMQP_URL`, deleted when dropped.
struct Broker {
    config: RabbitConfig,
    transport: Arc<RabbitTransport>,
}

impl Broker {
    /// `None` (and a note) when `AMQP_URL` is not set.
    async fn connect(delivery_limit: u32) -> Option<Broker> {
        let Ok(url) = std::env::var("AMQP_URL") else {
            eprintln!("AMQP_URL is not set: skipping the RabbitMQ end-to-end test");
            return None;
        };
        let prefix = format!("bfe2e-{}", Uuid::new_v4().simple());
        let topology = Topology::new(prefix).with_delivery_limit(delivery_limit);
        let config = RabbitConfig::new(url, topology);
        let transport = RabbitTransport::connect(config.clone())
            .await
            .expect("RabbitMQ at AMQP_URL");
        Some(Broker {
            config,
            transport: Arc::new(transport),
        })
    }

    fn transport(&self) -> Arc<dyn Transport> {
        self.transport.clone()
    }

    fn prefix(&self) -> &str {
        self.config.topology.prefix()
    }

    /// Waits until the dead-letter queue holds `count` messages (the broker has no push
    /// notification for a queue's depth: it is polled).
    async fn dead_letters_reach(&self, count: u32) {
        within("dead letters", async {
            while self.transport.dead_letter_count().await.unwrap_or(0) < count {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let config = self.config.clone();
        // A runtime of its own: this may run while the test's runtime unwinds.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            if let Err(error) = runtime.block_on(RabbitTransport::delete_topology(&config)) {
                eprintln!("deleting the test topology: {error}");
            }
        })
        .join();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_and_200_synthetic_disclosures_over_rabbitmq_in_one_process() {
    let Some(broker) = Broker::connect(5).await else {
        return;
    };
    let _serial = ONE_AT_A_TIME.lock().await;
    let out = tempfile::tempdir().unwrap();
    let transport = broker.transport();
    let shutdown = CancellationToken::new();
    let stages = tokio::spawn(run_until_stopped(
        Stages::new(out.path(), Lang::Zh),
        transport.clone(),
        shutdown.clone(),
    ));
    let mut driver = Driver::new(transport.clone()).await;
    let expected = envelopes(&corpus(200));
    let submitter = driver.submit_all(expected.clone());
    driver.until_all_settled().await;
    submitter.await.unwrap();

    assert_all_accounted(&driver.tracker, &expected, out.path());
    let rejected = driver
        .tracker
        .entries()
        .filter(|e| e.state == State::Rejected)
        .count();
    assert_eq!(rejected, faulty_among(200));
    for envelope in &expected {
        let id = envelope.submission_id;
        let settling = driver.seen(id, Event::Published) + driver.seen(id, Event::Rejected);
        assert_eq!(settling, 1, "{}", envelope.department);
    }
    assert_eq!(broker.transport.dead_letter_count().await.unwrap(), 0);
    shutdown.cancel();
    driver.close().await;
    within("the stages to stop", stages).await.unwrap().unwrap();
    broker.transport.close().await;
}

/// Follows the ledger queue until submission `id` settles (published, rejected, failed):
/// the event and the `Y.*` findings its envelope carried.
async fn year_over_year_of(
    ledger: &mut Box<dyn budgetflow_bus::Subscription>,
    id: Uuid,
) -> (Event, Vec<serde_json::Value>) {
    within("the submission to settle", async {
        loop {
            let delivery = ledger.next().await.expect("the ledger queue is open");
            let event = Event::from_routing_key(&delivery.routing_key).unwrap();
            let envelope: serde_json::Value = serde_json::from_slice(&delivery.body).unwrap();
            delivery.ack().await.unwrap();
            let settles = event.is_terminal();
            if settles && envelope["submission_id"] == id.to_string() {
                let findings = envelope["findings"]["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("Y.")))
                    .cloned()
                    .collect();
                return (event, findings);
            }
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_years_published_disclosure_is_found_by_reference_over_rabbitmq() {
    let Some(broker) = Broker::connect(5).await else {
        return;
    };
    // not while another test restarts the broker
    let _serial = ONE_AT_A_TIME.lock().await;
    let out = tempfile::tempdir().unwrap();
    let transport = broker.transport();
    let mut ledger = transport
        .subscribe(WorkQueue::Ledger, Default::default())
        .await
        .unwrap();
    let shutdown = CancellationToken::new();
    let stages = tokio::spawn(run_until_stopped(
        Stages::new(out.path(), Lang::Zh),
        transport.clone(),
        shutdown.clone(),
    ));
    let sample = corpus(0).remove(0);
    let this_year = budgetflow_ingest::submission(&sample).unwrap();
    let mut document: serde_json::Value = this_year.read_document().unwrap();
    document["identity"]["fiscal_year"] = 2024.into();
    let last_year = budgetflow_ingest::submission(document.to_string().as_bytes()).unwrap();

    budgetflow_ingest::submission::submit(transport.as_ref(), &last_year)
        .await
        .unwrap();
    let (event, found) = year_over_year_of(&mut ledger, last_year.submission_id).await;
    assert_eq!(event, Event::Published);
    let rules: Vec<_> = found.iter().map(|f| f["rule"].clone()).collect();
    assert_eq!(rules, [json!("Y.no-previous")]);
    assert_eq!(found[0]["severity"], "info");

    // 2025 states 一般公共预算 2,794.98 比上年减少1,754.77; published for 2024: 2,794.98
    budgetflow_ingest::submission::submit(transport.as_ref(), &this_year)
        .await
        .unwrap();
    let (event, found) = year_over_year_of(&mut ledger, this_year.submission_id).await;
    assert_eq!(event, Event::Rejected);
    assert!(
        found.iter().any(|f| f["rule"] == "Y.stated-change"
            && f["row_name"] == "一般公共预算"
            && f["expected"] == "2794.98"
            && f["actual"] == "4549.75"),
        "{found:#?}"
    );
    shutdown.cancel();
    within("the stages to stop", stages).await.unwrap().unwrap();
    drop(ledger);
    broker.transport.close().await;
}

/// The real stage binaries, configured through the environment.
struct Cluster {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

/// One stage process; its JSON log lines arrive on `logs`.
struct StageProcess {
    child: Child,
    logs: mpsc::UnboundedReceiver<String>,
}

impl Cluster {
    fn new(broker: &Broker, retry_initial_ms: u64, retry_max_ms: u64) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let env = [
            ("AMQP__URL", broker.config.url.clone()),
            ("AMQP__PREFIX", broker.prefix().to_owned()),
            (
                "AMQP__DELIVERY_LIMIT",
                broker.config.topology.delivery_limit().to_string(),
            ),
            (
                "STAGE__STATE_DIR",
                dir.path().join("state").display().to_string(),
            ),
            ("STAGE__PREFETCH", "4".to_owned()),
            ("STAGE__RETRY_INITIAL_MS", retry_initial_ms.to_string()),
            ("STAGE__RETRY_MAX_MS", retry_max_ms.to_string()),
            (
                "PUBLISH__OUT_DIR",
                dir.path().join("out").display().to_string(),
            ),
            ("OPS__LISTEN", "127.0.0.1:0".to_owned()),
            ("LOG__FORMAT", "json".to_owned()),
            ("SHUTDOWN__DEADLINE_SECS", "20".to_owned()),
        ]
        .into_iter()
        .map(|(key, value)| (format!("BUDGETFLOW__{key}"), value))
        .collect();
        Cluster { dir, env }
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn start(&self, stage: &str) -> StageProcess {
        self.start_with(stage, &[])
    }

    /// Replica `replica` of `stage`, as deployed beside others: its idempotency records its
    /// own (`emptyDir`), the archive shared; it logs every output it emits, with the
    /// submission it belongs to.
    fn start_replica(&self, stage: &str, replica: usize) -> StageProcess {
        let state = self.dir.path().join(format!("state-{stage}-{replica}"));
        self.start_with(
            stage,
            &[
                ("BUDGETFLOW__STAGE__STATE_DIR", state.display().to_string()),
                (
                    "BUDGETFLOW__LOG__FILTER",
                    "info,budgetflow_bus::stage=debug".to_owned(),
                ),
            ],
        )
    }

    fn start_with(&self, stage: &str, overrides: &[(&str, String)]) -> StageProcess {
        let mut child = Command::new(binaries().join(format!("budgetflow-{stage}")))
            .envs(self.env.iter().cloned())
            .envs(overrides.iter().map(|(key, value)| (*key, value.as_str())))
            .env_remove("BUDGETFLOW_CONFIG")
            .env_remove("RUST_LOG")
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("starting budgetflow-{stage}: {e}"));
        let stderr = child.stderr.take().unwrap();
        let (lines, logs) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                if lines.send(line).is_err() {
                    // Nobody listens any more; keep draining so the process never blocks.
                    continue;
                }
            }
        });
        StageProcess { child, logs }
    }

    fn start_all(&self) -> Vec<StageProcess> {
        ["validate", "score", "publish"]
            .into_iter()
            .map(|stage| self.start(stage))
            .collect()
    }
}

impl StageProcess {
    /// The log lines received so far, without waiting.
    fn logged(&mut self) -> Vec<String> {
        std::iter::from_fn(|| self.logs.try_recv().ok()).collect()
    }

    /// Waits for a log line containing every one of `needles`.
    async fn log_line(&mut self, needles: &[&str]) -> String {
        within("a log line", async {
            loop {
                let line = self.logs.recv().await.expect("the process is running");
                if needles.iter().all(|needle| line.contains(needle)) {
                    return line;
                }
            }
        })
        .await
    }

    fn kill_9(&mut self) {
        self.child.start_kill().expect("SIGKILL");
    }

    fn sigterm(&self) {
        let pid = self.child.id().expect("running").to_string();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(status.success());
    }

    async fn exit_status(&mut self) -> std::process::ExitStatus {
        within("the process to exit", self.child.wait())
            .await
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_of_stage_processes_mid_batch_then_restart_loses_and_repeats_nothing() {
    let Some(broker) = Broker::connect(5).await else {
        return;
    };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::new(&broker, 50, 400);
    let mut processes = cluster.start_all();
    let mut driver = Driver::new(broker.transport()).await;
    let expected = envelopes(&corpus(60));
    let submitter = driver.submit_all(expected.clone());
    driver.until_settled(15).await;

    for index in [0, 2] {
        processes[index].kill_9();
        processes[index].exit_status().await;
    }
    processes[0] = cluster.start("validate");
    processes[2] = cluster.start("publish");
    driver.until_all_settled().await;
    submitter.await.unwrap();

    assert_all_accounted(&driver.tracker, &expected, &cluster.out());
    assert_eq!(broker.transport.dead_letter_count().await.unwrap(), 0);
    driver.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_restart_mid_batch_loses_and_repeats_nothing() {
    let Some(broker) = Broker::connect(5).await else {
        return;
    };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::new(&broker, 50, 400);
    let _processes = cluster.start_all();
    let mut driver = Driver::new(broker.transport()).await;
    let expected = envelopes(&corpus(60));
    let submitter = driver.submit_all(expected.clone());
    driver.until_settled(15).await;

    rabbitmqctl(&["stop_app"]);
    rabbitmqctl(&["start_app"]);
    rabbitmqctl(&["await_startup"]);
    driver.until_all_settled().await;
    within("the submitter", submitter).await.unwrap();

    assert_all_accounted(&driver.tracker, &expected, &cluster.out());
    driver.close().await;
}

fn rabbitmqctl(args: &[&str]) {
    let status = std::process::Command::new("rabbitmqctl")
        .arg("-q")
        .args(args)
        .status()
        .expect("rabbitmqctl");
    assert!(status.success(), "rabbitmqctl {args:?}");
}

/// An envelope whose document is not a budget document: no stage can ever handle it.
fn poison() -> Envelope {
    Envelope::new(
        Uuid::new_v4(),
        "不存在的部门",
        2025,
        1,
        b"poison",
        Part::of(&json!({"identity": "nobody"})).unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poison_and_a_message_over_the_delivery_limit_are_dead_lettered_and_end_failed_while_the_rest_flows(
) {
    let Some(broker) = Broker::connect(2).await else {
        return;
    };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::new(&broker, 20, 50);
    // A directory where one document's artifact must go: publishing it fails every time.
    let mut expected = envelopes(&corpus(20));
    let blocked = expected[5].clone();
    let blocked_path = page_of(&cluster.out(), &blocked);
    std::fs::create_dir_all(blocked_path.join("in-the-way")).unwrap();
    let poison = poison();
    expected.push(poison.clone());

    let _processes = cluster.start_all();
    let mut driver = Driver::new(broker.transport()).await;
    let submitter = driver.submit_all(expected.clone());
    driver.until_all_settled().await;
    submitter.await.unwrap();
    broker.dead_letters_reach(2).await;

    let dead = list_dead_letters(broker.transport.as_ref(), 10)
        .await
        .unwrap();
    assert_eq!(dead.len(), 2, "{dead:?}");
    let poisoned = dead
        .iter()
        .find(|d| d.submission_id == Some(poison.submission_id))
        .expect("the poison message is dead-lettered");
    assert_eq!(poisoned.stage.as_deref(), Some("validate"));
    assert!(
        poisoned.reason.contains("not a budget document"),
        "{}",
        poisoned.reason
    );
    let over_limit = dead
        .iter()
        .find(|d| d.submission_id == Some(blocked.submission_id))
        .expect("the unpublishable message is dead-lettered");
    // given up by the stage itself on the last delivery the queue allows, with its reason
    assert_eq!(over_limit.stage.as_deref(), Some("publish"));
    assert!(
        over_limit
            .reason
            .contains("(still failing after 3 deliveries)"),
        "{}",
        over_limit.reason
    );

    // Everything else went through, once.
    for envelope in &expected {
        let entry = driver.tracker.get(envelope.submission_id).unwrap();
        if envelope.submission_id == poison.submission_id {
            assert!(
                matches!(&entry.state, State::Failed { reason } if reason.starts_with("validate: ") && reason.contains("not a budget document")),
                "{:?}",
                entry.state
            );
        } else if envelope.submission_id == blocked.submission_id {
            assert!(
                matches!(&entry.state, State::Failed { reason } if reason.starts_with("publish: ") && reason.contains("still failing after")),
                "{:?}",
                entry.state
            );
        } else {
            assert!(entry.state.is_settled(), "{}", entry.department);
            assert_eq!(entry.settling_events, 1);
        }
    }
    driver.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transient_publish_failure_recovers_once_the_cause_is_gone() {
    let Some(broker) = Broker::connect(30).await else {
        return;
    };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::new(&broker, 100, 300);
    let expected = envelopes(&corpus(10));
    let blocked = expected[2].clone();
    let blocked_path = page_of(&cluster.out(), &blocked);
    std::fs::create_dir_all(blocked_path.join("in-the-way")).unwrap();

    let mut processes = cluster.start_all();
    let mut driver = Driver::new(broker.transport()).await;
    let submitter = driver.submit_all(expected.clone());
    let submission = blocked.submission_id.to_string();
    processes[2]
        .log_line(&["retry_later", submission.as_str()])
        .await;
    std::fs::remove_dir_all(&blocked_path).unwrap();
    driver.until_all_settled().await;
    submitter.await.unwrap();

    assert_all_accounted(&driver.tracker, &expected, &cluster.out());
    assert!(matches!(
        driver.tracker.get(blocked.submission_id).unwrap().state,
        State::Published { .. }
    ));
    assert_eq!(broker.transport.dead_letter_count().await.unwrap(), 0);
    driver.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_batch_finishes_in_flight_work_and_leaves_nothing_unacked() {
    let Some(broker) = Broker::connect(5).await else {
        return;
    };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::new(&broker, 50, 400);
    let mut processes = cluster.start_all();
    let mut driver = Driver::new(broker.transport()).await;
    let expected = envelopes(&corpus(60));
    let submitter = driver.submit_all(expected.clone());
    driver.until_settled(10).await;

    processes[0].sigterm();
    let status = processes[0].exit_status().await;
    assert!(status.success(), "a graceful stop exits 0: {status}");
    processes[0] = cluster.start("validate");
    driver.until_all_settled().await;
    submitter.await.unwrap();

    assert_all_accounted(&driver.tracker, &expected, &cluster.out());
    // A message handled but left unacked would be redelivered after the restart and its
    // recorded output emitted a second time.
    for envelope in &expected {
        let id = envelope.submission_id;
        let validated = driver.seen(id, Event::Validated) + driver.seen(id, Event::Rejected);
        assert_eq!(validated, 1, "{}", envelope.department);
    }
    driver.close().await;
}

/// Waits until `queue` holds `count` ready messages (polled, as the dead letters are).
async fn ready_in(broker: &Broker, queue: WorkQueue, count: u32) {
    within("the queue's depth", async {
        while broker
            .transport
            .ready_messages(queue)
            .await
            .unwrap_or(u32::MAX)
            != count
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_process_killed_during_the_last_delivery_leaves_a_dead_letter_that_ends_failed() {
    let Some(broker) = Broker::connect(1).await else {
        return;
    };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::new(&broker, 50, 400);
    // While the test holds the archive's lock, publishing waits for it: the publish process
    // holds its delivery, unsettled, until it is killed.
    std::fs::create_dir_all(cluster.out()).unwrap();
    let archive_lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(cluster.out().join(".lock"))
        .unwrap();
    archive_lock.lock().unwrap();
    let _validate = cluster.start("validate");
    let _score = cluster.start("score");
    let mut driver = Driver::new(broker.transport()).await;
    let held = envelopes(&corpus(0)).remove(0);
    driver.submit_all(vec![held.clone()]).await.unwrap();
    ready_in(&broker, WorkQueue::Publish, 1).await;

    // delivery limit 1: the second delivery is the last; both end with a kill -9
    for delivery in 1..=2 {
        let mut publish = cluster.start("publish");
        ready_in(&broker, WorkQueue::Publish, 0).await;
        publish.kill_9();
        publish.exit_status().await;
        if delivery == 1 {
            ready_in(&broker, WorkQueue::Publish, 1).await;
        }
    }
    broker.dead_letters_reach(1).await;
    driver.until_all_settled().await;

    let entry = driver.tracker.get(held.submission_id).unwrap();
    assert_eq!(
        entry.state,
        State::Failed {
            reason: format!(
                "publish: dead-lettered by {}.publish after 2 deliveries (delivery_limit)",
                broker.prefix()
            )
        }
    );
    assert_eq!(
        driver.seen(held.submission_id, Event::Failed),
        0,
        "no stage announced it: the queue dead-lettered it"
    );
    let dead = list_dead_letters(broker.transport.as_ref(), 10)
        .await
        .unwrap();
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0].submission_id, Some(held.submission_id));
    assert_eq!(dead[0].reason, "delivery_limit");
    assert_eq!(
        broker.transport.ledger_dead_letter_count().await.unwrap(),
        0
    );
    archive_lock.unlock().unwrap();
    driver.close().await;
}

/// Waits until `queue` has `count` consumers (the broker pushes no notice of a new consumer:
/// it is polled).
async fn consumers_reach(broker: &Broker, queue: WorkQueue, count: u32) {
    within("consumers", async {
        while broker.transport.consumers(queue).await.unwrap_or(0) < count {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}

/// The submissions whose output each of two replicas logged as emitted, with how often,
/// once the replicas together have logged every one of `handled` (a line may reach us a
/// moment after the event it reports).
async fn emitted_by_replicas(
    replicas: &mut [StageProcess; 2],
    handled: &HashSet<Uuid>,
) -> [HashMap<Uuid, u32>; 2] {
    let mut emitted: [HashMap<Uuid, u32>; 2] = Default::default();
    within("the replicas' log lines", async {
        while !handled
            .iter()
            .all(|id| emitted.iter().any(|e| e.contains_key(id)))
        {
            let [first, second] = &mut *replicas;
            let (replica, line) = tokio::select! {
                line = first.logs.recv() => (0, line),
                line = second.logs.recv() => (1, line),
            };
            let line = line.expect("the replica is running");
            if let Some(id) = emitted_submission(&line) {
                *emitted[replica].entry(id).or_default() += 1;
            }
        }
    })
    .await;
    // whatever else is logged already (an output emitted twice would be here)
    for (replica, process) in replicas.iter_mut().enumerate() {
        for line in process.logged() {
            if let Some(id) = emitted_submission(&line) {
                *emitted[replica].entry(id).or_default() += 1;
            }
        }
    }
    emitted
}

/// The submission of a JSON log line that says an output was emitted.
fn emitted_submission(line: &str) -> Option<Uuid> {
    let entry = serde_json::from_str::<serde_json::Value>(line).ok()?;
    if entry.get("message").and_then(|m| m.as_str()) != Some("emitted") {
        return None;
    }
    let id = entry
        .pointer("/span/submission_id")
        .and_then(|id| id.as_str())
        .and_then(|id| id.parse().ok());
    Some(id.unwrap_or_else(|| panic!("an emitted output names its submission: {line}")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_of_a_stage_share_its_queue_and_handle_every_document_once() {
    let Some(broker) = Broker::connect(5).await else {
        return;
    };
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::new(&broker, 50, 400);
    let mut validators = [
        cluster.start_replica("validate", 0),
        cluster.start_replica("validate", 1),
    ];
    let mut publishers = [
        cluster.start_replica("publish", 0),
        cluster.start_replica("publish", 1),
    ];
    let _score = cluster.start("score");
    // both replicas take work before any arrives, so that the broker has two to share it with
    consumers_reach(&broker, WorkQueue::Validate, 2).await;
    consumers_reach(&broker, WorkQueue::Publish, 2).await;

    let mut driver = Driver::new(broker.transport()).await;
    let expected = envelopes(&corpus(40));
    let submitter = driver.submit_all(expected.clone());
    driver.until_all_settled().await;
    submitter.await.unwrap();
    assert_all_accounted(&driver.tracker, &expected, &cluster.out());

    for envelope in &expected {
        let entry = driver
            .tracker
            .get(envelope.submission_id)
            .expect("expected");
        assert_eq!(
            entry.settling_events, 1,
            "{} settled once",
            entry.department
        );
    }
    let published: HashSet<Uuid> = expected
        .iter()
        .map(|envelope| envelope.submission_id)
        .filter(|id| {
            matches!(
                driver.tracker.get(*id).map(|entry| &entry.state),
                Some(State::Published { .. })
            )
        })
        .collect();
    let all: HashSet<Uuid> = expected.iter().map(|e| e.submission_id).collect();
    for (stage, replicas, handled) in [
        ("validate", &mut validators, &all),
        ("publish", &mut publishers, &published),
    ] {
        let per_replica = emitted_by_replicas(replicas, handled).await;
        for id in handled {
            let times: u32 = per_replica.iter().filter_map(|e| e.get(id)).sum();
            assert_eq!(times, 1, "{stage}: submission {id} handled {times} times");
        }
        for (replica, emitted) in per_replica.iter().enumerate() {
            assert!(
                !emitted.is_empty(),
                "{stage} replica {replica} took no share of {} documents",
                handled.len()
            );
            assert!(emitted.keys().all(|id| handled.contains(id)), "{stage}");
        }
    }
    assert_eq!(broker.transport.dead_letter_count().await.unwrap(), 0);
    driver.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bench_runs_the_four_service_binaries_with_one_and_two_replicas_and_samples_each_process(
) {
    let Ok(url) = std::env::var("AMQP_URL") else {
        eprintln!("AMQP_URL is not set: skipping the services bench");
        return;
    };
    let _serial = ONE_AT_A_TIME.lock().await;
    let out = Command::new(binaries().join("budgetflow"))
        .args(["bench", "--amqp", &url, "--json", "--services"])
        .args(["--replicas", "1,2", "--documents", "8", "--window", "4"])
        .args(["--prefetch", "2", "--backlog", "8"])
        .env_remove("BUDGETFLOW_CONFIG")
        .output()
        .await
        .expect("budgetflow runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hosts: Vec<&serde_json::Value> = report["pipelines"]
        .as_array()
        .expect("one run per replica count")
        .iter()
        .map(|run| &run["host"]["services"]["replicas"])
        .collect();
    assert_eq!(hosts, [&json!(1), &json!(2)], "{report}");
    for run in report["pipelines"].as_array().unwrap() {
        assert_eq!(run["published"], 8, "{report}");
        assert!(run["p99_ms"].as_f64().is_some_and(|p| p > 0.0), "{report}");
    }
    // ingest ran as its own service, on a ledger database of the run's own
    let ledger = match std::env::var("DATABASE_URL") {
        Ok(_) => "PostgreSQL",
        Err(_) => "SQLite",
    };
    assert_eq!(report["ledger"], ledger, "{report}");
    for run in report["pipelines"].as_array().unwrap() {
        let spent = &run["cpu_ms_per_document"];
        assert!(spent["ingest-1"].as_f64().is_some(), "{report}");
    }
    // the backlog ran with one replica of each stage: each process sampled on its own
    let processes: Vec<&str> = report["backlog"]["rss_bytes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert!(m["peak"].as_u64().is_some_and(|p| p > 0), "{report}");
            m["process"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        processes,
        ["ingest-1", "validate-1", "score-1", "publish-1"],
        "{report}"
    );
}
