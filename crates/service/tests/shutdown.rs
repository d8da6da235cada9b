//! Stopping a stage service, as an operator sees it: the process's own JSON log lines and
//! its exit status. A clean SIGTERM logs nothing at error level and exits 0; a stage that
//! misses the shutdown deadline logs one structured error event and exits with
//! `DEADLINE_MISSED_EXIT_CODE`, without a panic or a backtrace (even with
//! `RUST_BACKTRACE=1`).
//!
//! Each case runs the service in a child process — this test binary again, running the
//! ignored `service_child` test — over RabbitMQ at `AMQP_URL` (skipped when it is not set),
//! under a topology of its own (`bftest-<uuid>`) that is deleted afterwards.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use budgetflow_bus::{
    Envelope, Event, Outcome, OutgoingMessage, Part, RabbitConfig, RabbitTransport, StageHandler,
    Topology, WorkQueue,
};
use budgetflow_service::shutdown::DEADLINE_MISSED_EXIT_CODE;
use budgetflow_service::{logging, run_stage, serve, ServiceError, Settings};
use serde_json::{json, Value};
use uuid::Uuid;

/// Names what the child process runs: `clean` or `stuck`.
const CHILD_MODE: &str = "BUDGETFLOW_TEST_SHUTDOWN_CHILD";
/// Logged by the child once its stage is handling messages: the parent then sends SIGTERM.
const HANDLING: &str = "probe handling";
/// A safety net only: each child stops long before.
const SAFETY_TIMEOUT: Duration = Duration::from_secs(90);

/// Passes every envelope on, slowly enough that some are in flight when SIGTERM arrives.
struct SlowHandler;

#[async_trait]
impl StageHandler for SlowHandler {
    async fn handle(&self, envelope: Envelope) -> Outcome {
        tracing::info!(HANDLING);
        tokio::time::sleep(Duration::from_millis(100)).await;
        Outcome::Done {
            event: Event::Validated,
            envelope,
        }
    }
}

#[test]
#[ignore = "the child process of the tests below"]
fn service_child() {
    let mode = std::env::var(CHILD_MODE).expect("run by the shutdown tests");
    let settings = Settings::load().unwrap();
    logging::init(&settings.log);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let served = runtime.block_on(serve(
        settings,
        "probe",
        move |settings, transport, shutdown| async move {
            if mode == "stuck" {
                tracing::info!(HANDLING);
                return std::future::pending::<Result<(), ServiceError>>().await;
            }
            for i in 0..40 {
                let envelope = Envelope::new(
                    Uuid::new_v4(),
                    format!("dept-{i}"),
                    2025,
                    1,
                    format!("content {i}").as_bytes(),
                    Part::of(&json!(null)).unwrap(),
                );
                let message = OutgoingMessage::event(Event::Received, &envelope)?;
                transport.publish(message).await?;
            }
            run_stage(
                "probe",
                WorkQueue::Validate,
                SlowHandler,
                &settings,
                transport,
                shutdown,
            )
            .await
        },
    ));
    served.unwrap();
}

/// What a child process left behind.
struct Stopped {
    exit_code: Option<i32>,
    /// Every stderr line (the log), in order.
    log: Vec<String>,
    stdout: String,
}

impl Stopped {
    /// The log lines as JSON objects; panics on a line that is not one.
    fn events(&self) -> Vec<Value> {
        self.log
            .iter()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"))
            })
            .collect()
    }

    fn at_level(&self, level: &str) -> Vec<Value> {
        self.events()
            .into_iter()
            .filter(|event| event["level"] == level)
            .collect()
    }
}

/// Runs the service in a child process under a topology of its own, sends it SIGTERM once it
/// handles messages, and waits for it to end. `None` without `AMQP_URL`.
fn run_and_terminate(mode: &str, deadline_secs: u32) -> Option<Stopped> {
    let Ok(url) = std::env::var("AMQP_URL") else {
        eprintln!("AMQP_URL is not set: skipping");
        return None;
    };
    let prefix = format!("bftest-{}", Uuid::new_v4().simple());
    let state = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "service_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_MODE, mode)
        .env_remove("RUST_LOG")
        .env_remove("BUDGETFLOW_CONFIG")
        .env("RUST_BACKTRACE", "1")
        .env("BUDGETFLOW__AMQP__URL", &url)
        .env("BUDGETFLOW__AMQP__PREFIX", &prefix)
        .env("BUDGETFLOW__OPS__LISTEN", "127.0.0.1:0")
        .env("BUDGETFLOW__LOG__FORMAT", "json")
        .env("BUDGETFLOW__LOG__FILTER", "info")
        .env("BUDGETFLOW__STAGE__STATE_DIR", state.path())
        .env("BUDGETFLOW__STAGE__PREFETCH", "8")
        .env(
            "BUDGETFLOW__SHUTDOWN__DEADLINE_SECS",
            deadline_secs.to_string(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let (lines_tx, lines) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if lines_tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let mut stdout = child.stdout.take().unwrap();
    let stdout_reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).unwrap();
        text
    });

    let started = Instant::now();
    let mut log: Vec<String> = Vec::new();
    while !log.iter().any(|line| line.contains(HANDLING)) {
        let remaining = SAFETY_TIMEOUT.saturating_sub(started.elapsed());
        match lines.recv_timeout(remaining) {
            Ok(line) => log.push(line),
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the child never handled a message; its log:\n{}",
                    log.join("\n")
                );
            }
        }
    }
    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());

    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > SAFETY_TIMEOUT {
            let _ = child.kill();
            panic!("the child did not stop; its log:\n{}", log.join("\n"));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    reader.join().unwrap();
    log.extend(lines.try_iter());
    let stdout = stdout_reader.join().unwrap();

    let config = RabbitConfig::new(url, Topology::new(prefix));
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(RabbitTransport::delete_topology(&config))
        .unwrap();
    Some(Stopped {
        exit_code: status.code(),
        log,
        stdout,
    })
}

#[test]
fn a_clean_sigterm_logs_nothing_at_error_level_and_exits_zero() {
    let Some(stopped) = run_and_terminate("clean", 30) else {
        return;
    };
    let errors = stopped.at_level("ERROR");
    assert!(
        errors.is_empty(),
        "error events on a clean stop: {errors:#?}"
    );
    let closing: Vec<&String> = stopped
        .log
        .iter()
        .filter(|line| line.contains("invalid channel state"))
        .collect();
    assert!(
        closing.is_empty(),
        "a close taken for a failure: {closing:#?}"
    );
    assert_eq!(
        stopped.exit_code,
        Some(0),
        "log:\n{}",
        stopped.log.join("\n")
    );
    assert!(
        stopped
            .events()
            .iter()
            .any(|event| event["message"] == "stopped"),
        "the service says it stopped"
    );
}

#[test]
fn a_missed_deadline_is_one_structured_error_event_and_an_exit_status() {
    let Some(stopped) = run_and_terminate("stuck", 1) else {
        return;
    };
    assert_eq!(
        stopped.exit_code,
        Some(DEADLINE_MISSED_EXIT_CODE),
        "log:\n{}",
        stopped.log.join("\n")
    );
    let errors = stopped.at_level("ERROR");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["stage"], "probe");
    assert_eq!(errors[0]["deadline_secs"], 1);
    assert_eq!(errors[0]["exit_code"], DEADLINE_MISSED_EXIT_CODE);
    for output in stopped.log.iter().chain([&stopped.stdout]) {
        for plain in ["panicked", "backtrace", "Error:"] {
            assert!(!output.contains(plain), "`{plain}` in the output: {output}");
        }
    }
}
