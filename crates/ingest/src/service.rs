//! The `budgetflow-ingest` service (until the HTTP API of issue 7): it submits every file
//! dropped into the inbox directory and keeps the ledger.
//!
//! - **Inbox**: scanned every `ingest.scan_interval_ms`. A readable disclosure is published
//!   as `submission.received` and, once the broker confirmed it, moved to `<inbox>/done/`.
//!   An unreadable one is not published: it moves to `<inbox>/unreadable/` with a
//!   `<name>.reason.txt` beside it, and the reason is logged. A crash between the confirm
//!   and the move submits the file again on restart; its id and hash are the same, so the
//!   stages deduplicate it.
//! - **Ledger**: every event on the ledger queue is appended as one JSON line to
//!   `<stage.state_dir>/ledger.jsonl` and logged (at least once: a line can repeat).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use budgetflow_bus::{ConsumeOptions, Envelope, Transport, WorkQueue};
use budgetflow_service::{CancellationToken, ServiceError, Settings};
use serde_json::json;
use tracing::{info, warn};

use crate::submission::{submission, submit, IngestError};

/// The service's name: state subdirectory, connection name.
pub const NAME: &str = "ingest";

/// What became of one inbox file.
#[derive(Debug, PartialEq)]
pub enum Submitted {
    /// Published; the file moved to `done/`.
    Published(Box<Envelope>),
    /// Not a readable disclosure; the file moved to `unreadable/`.
    Unreadable(String),
}

/// Runs the inbox scanner and the ledger recorder until `shutdown`.
pub async fn run(
    settings: Settings,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), ServiceError> {
    let ledger = tokio::spawn(record_ledger(
        settings.stage.state_dir.join("ledger.jsonl"),
        settings.stage.prefetch,
        transport.clone(),
        shutdown.clone(),
    ));
    let interval = Duration::from_millis(settings.ingest.scan_interval_ms.max(10));
    let mut ticks = tokio::time::interval(interval);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            _ = ticks.tick() => {
                if let Err(error) = scan_inbox(&settings.ingest.inbox, transport.as_ref()).await {
                    warn!(%error, "inbox scan failed; retrying at the next tick");
                }
            }
        }
    }
    ledger
        .await
        .map_err(|e| io_error("the ledger task", std::io::Error::other(e.to_string())))?
}

/// Submits every file in `inbox` once; returns what became of each.
pub async fn scan_inbox(
    inbox: &Path,
    transport: &dyn Transport,
) -> Result<Vec<Submitted>, ServiceError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(inbox)
        .map_err(|e| io_error(format!("reading {}", inbox.display()), e))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && !path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    let mut outcomes = Vec::with_capacity(files.len());
    for file in files {
        outcomes.push(submit_file(inbox, &file, transport).await?);
    }
    Ok(outcomes)
}

async fn submit_file(
    inbox: &Path,
    file: &Path,
    transport: &dyn Transport,
) -> Result<Submitted, ServiceError> {
    let name = file.file_name().unwrap_or_default().to_owned();
    let read = budgetflow_formats::decode::read_limited(file)
        .map_err(IngestError::from)
        .and_then(|bytes| submission(&bytes));
    match read {
        Ok(envelope) => {
            submit(transport, &envelope).await.map_err(|e| match e {
                IngestError::Bus(bus) => ServiceError::Bus(bus),
                other => io_error("submitting", std::io::Error::other(other.to_string())),
            })?;
            move_into(inbox, "done", file, &name)?;
            info!(
                file = %file.display(),
                submission_id = %envelope.submission_id,
                trace_id = %envelope.trace_id,
                department = %envelope.department,
                "submitted"
            );
            Ok(Submitted::Published(Box::new(envelope)))
        }
        Err(error) => {
            let reason = error.to_string();
            warn!(file = %file.display(), %reason, "unreadable disclosure: not submitted");
            let moved = move_into(inbox, "unreadable", file, &name)?;
            let mut reason_file = moved.into_os_string();
            reason_file.push(".reason.txt");
            std::fs::write(&reason_file, format!("{reason}\n"))
                .map_err(|e| io_error("writing the reason", e))?;
            Ok(Submitted::Unreadable(reason))
        }
    }
}

fn move_into(
    inbox: &Path,
    subdir: &str,
    file: &Path,
    name: &std::ffi::OsStr,
) -> Result<PathBuf, ServiceError> {
    let dir = inbox.join(subdir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| io_error(format!("creating {}", dir.display()), e))?;
    let target = dir.join(name);
    std::fs::rename(file, &target)
        .map_err(|e| io_error(format!("moving {}", file.display()), e))?;
    Ok(target)
}

async fn record_ledger(
    path: PathBuf,
    prefetch: u16,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), ServiceError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| io_error(format!("creating {}", dir.display()), e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| io_error(format!("opening {}", path.display()), e))?;
    let mut subscription = transport
        .subscribe(WorkQueue::Ledger, ConsumeOptions { prefetch })
        .await?;
    loop {
        let delivery = tokio::select! {
            () = shutdown.cancelled() => break,
            delivery = subscription.next() => match delivery {
                Some(delivery) => delivery,
                None => break,
            },
        };
        if let Ok(envelope) = Envelope::from_slice(&delivery.body) {
            let line = json!({
                "event": delivery.routing_key,
                "submission_id": envelope.submission_id,
                "department": envelope.department,
                "fiscal_year": envelope.fiscal_year,
                "trace_id": envelope.trace_id,
                "errors": envelope.findings.get("errors"),
                "warnings": envelope.findings.get("warnings"),
                "artifact": envelope.publication.get("artifact"),
            });
            writeln!(file, "{line}")
                .and_then(|()| file.sync_data())
                .map_err(|e| io_error(format!("appending to {}", path.display()), e))?;
            info!(event = %delivery.routing_key, submission_id = %envelope.submission_id, trace_id = %envelope.trace_id, "ledger");
        }
        if let Err(error) = delivery.ack().await {
            warn!(%error, "ledger ack failed; the event will come again");
        }
    }
    subscription.cancel().await;
    Ok(())
}

fn io_error(what: impl Into<String>, source: std::io::Error) -> ServiceError {
    ServiceError::Io {
        what: what.into(),
        source,
    }
}
