//! The `budgetflow-ingest` service: the HTTP API, the ledger consumer and the inbox.
//!
//! - **API** ([`crate::api`]) on `ingest.listen`: departments submit with their tokens.
//! - **Ledger**: the database of `ingest.database_url` (alias `DATABASE_URL`; empty:
//!   `sqlite://<stage.state_dir>/ledger.db`), migrated at start; every event of the ledger
//!   queue is applied to it ([`budgetflow_ledger::consume`]), idempotently.
//! - **Inbox**: scanned every `ingest.scan_interval_ms`, for files dropped by operators. A
//!   readable disclosure of a registered department is recorded in the ledger like an API
//!   submission, published as `submission.received` and, once the broker confirmed it,
//!   moved to `<inbox>/done/`. While the broker does not confirm within the API's
//!   `queue_timeout`, the file stays where it is, recorded as `received`, and the next scan
//!   puts it on the bus again (same bytes, same submission): nobody waits on an inbox file,
//!   so it is kept rather than refused. Anything else is not published: it moves to
//!   `<inbox>/unreadable/` with a `<name>.reason.txt` beside it, and the reason is logged.
//!   A crash between the confirm and the move submits the file again on restart; its id and
//!   hash are the same, so the ledger and the stages deduplicate it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use budgetflow_bus::envelope::content_sha256;
use budgetflow_bus::{Envelope, Transport};
use budgetflow_ledger::{Ledger, NewSubmission};
use budgetflow_service::{CancellationToken, ServiceError, Settings};
use tracing::{info, warn};

use crate::api::{self, ApiState, Limits};
use crate::submission::{envelope, submission_id, submit, IngestError};

/// The service's name: state subdirectory, connection name.
pub const NAME: &str = "ingest";

/// What became of one inbox file.
#[derive(Debug, PartialEq)]
pub enum Submitted {
    /// Published; the file moved to `done/`.
    Published(Box<Envelope>),
    /// Not a readable disclosure of a registered department; the file moved to
    /// `unreadable/`.
    Unreadable(String),
}

/// The ledger URL the settings name (`DATABASE_URL` is an alias the settings read).
pub fn ledger_url(settings: &Settings) -> String {
    if !settings.ingest.database_url.is_empty() {
        return settings.ingest.database_url.clone();
    }
    format!(
        "sqlite://{}",
        settings.stage.state_dir.join("ledger.db").display()
    )
}

/// The API limits the settings name.
pub fn limits(settings: &Settings) -> Limits {
    Limits {
        max_body_bytes: settings.ingest.max_body_bytes,
        requests_per_minute: settings.ingest.requests_per_minute,
        burst: settings.ingest.burst,
        queue_timeout: std::time::Duration::from_millis(settings.ingest.queue_timeout_ms),
    }
}

/// Runs the API, the ledger consumer and the inbox scanner until `shutdown`.
pub async fn run(
    settings: Settings,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), ServiceError> {
    let ledger = Ledger::connect(&ledger_url(&settings))
        .await
        .map_err(|e| io_error("opening the ledger database", std::io::Error::other(e)))?;
    info!(backend = ?ledger.backend(), "ledger ready");

    let consumer = tokio::spawn(budgetflow_ledger::consume(
        ledger.clone(),
        transport.clone(),
        settings.stage.prefetch,
        shutdown.clone(),
    ));
    let listener = tokio::net::TcpListener::bind(settings.ingest.listen)
        .await
        .map_err(|e| {
            io_error(
                format!("binding the API port {}", settings.ingest.listen),
                e,
            )
        })?;
    info!(address = %settings.ingest.listen, "API listening");
    let mut state = ApiState::new(
        ledger.clone(),
        transport.clone(),
        limits(&settings),
        shutdown.clone(),
    );
    if !settings.ingest.site_url.is_empty() {
        state = state.linking_site(&settings.publish.out_dir, &settings.ingest.site_url);
    }
    let server = tokio::spawn(api::serve(listener, state, shutdown.clone()));

    let interval = Duration::from_millis(settings.ingest.scan_interval_ms.max(10));
    let mut ticks = tokio::time::interval(interval);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            _ = ticks.tick() => {
                let scanned = scan_inbox(
                    &settings.ingest.inbox,
                    &ledger,
                    transport.as_ref(),
                    limits(&settings).queue_timeout,
                );
                if let Err(error) = scanned.await {
                    warn!(%error, "inbox scan failed; retrying at the next tick");
                }
            }
        }
    }
    let served = server
        .await
        .map_err(|e| io_error("the API task", std::io::Error::other(e.to_string())))?;
    served.map_err(|e| io_error("serving the API", e))?;
    let consumed = consumer
        .await
        .map_err(|e| io_error("the ledger task", std::io::Error::other(e.to_string())))?;
    consumed.map_err(|e| io_error("consuming the ledger queue", std::io::Error::other(e)))?;
    ledger.close().await;
    Ok(())
}

/// Submits every file in `inbox` once, giving the broker `queue_timeout` for each; returns
/// what became of each.
pub async fn scan_inbox(
    inbox: &Path,
    ledger: &Ledger,
    transport: &dyn Transport,
    queue_timeout: Duration,
) -> Result<Vec<Submitted>, ServiceError> {
    if !inbox.is_dir() {
        return Ok(Vec::new());
    }
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
        outcomes.push(submit_file(inbox, &file, ledger, transport, queue_timeout).await?);
    }
    Ok(outcomes)
}

async fn submit_file(
    inbox: &Path,
    file: &Path,
    ledger: &Ledger,
    transport: &dyn Transport,
    queue_timeout: Duration,
) -> Result<Submitted, ServiceError> {
    let name = file.file_name().unwrap_or_default().to_owned();
    let read = budgetflow_formats::decode::read_limited(file)
        .map_err(IngestError::from)
        .and_then(|bytes| Ok((budgetflow_formats::read_any(&bytes)?, bytes)));
    let (document, bytes) = match read {
        Ok(read) => read,
        Err(error) => return refuse(inbox, file, &name, error.to_string()),
    };
    let department = ledger
        .department_named(&document.identity.department)
        .await
        .map_err(|e| io_error("reading the ledger", std::io::Error::other(e)))?;
    let Some(department) = department else {
        let reason = format!(
            "department `{}` is not registered (budgetflow departments add)",
            document.identity.department
        );
        return refuse(inbox, file, &name, reason);
    };
    let media_type = if bytes.trim_ascii_start().starts_with(b"{") {
        api::read::JSON
    } else {
        api::read::TEXT
    };
    let received = ledger
        .record_received(NewSubmission {
            id: submission_id(&bytes),
            department: &department.code,
            fiscal_year: document.identity.fiscal_year.get(),
            content_type: media_type,
            content: &bytes,
            content_sha256: &content_sha256(&bytes),
        })
        .await
        .map_err(|e| io_error("recording in the ledger", std::io::Error::other(e)))?;
    let envelope = envelope(
        &bytes,
        &document,
        received.version,
        Some(department.code.as_str()),
    )
    .map_err(|e| {
        io_error(
            "building the envelope",
            std::io::Error::other(e.to_string()),
        )
    })?;
    tokio::time::timeout(queue_timeout, submit(transport, &envelope))
        .await
        .map_err(|_| {
            io_error(
                format!("submitting {}", file.display()),
                std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!(
                        "the broker did not take it within {} ms",
                        queue_timeout.as_millis()
                    ),
                ),
            )
        })?
        .map_err(|e| match e {
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

/// Moves a file that is not submitted to `unreadable/`, with the reason beside it.
fn refuse(
    inbox: &Path,
    file: &Path,
    name: &std::ffi::OsStr,
    reason: String,
) -> Result<Submitted, ServiceError> {
    warn!(file = %file.display(), %reason, "not submitted");
    let moved = move_into(inbox, "unreadable", file, name)?;
    let mut reason_file = moved.into_os_string();
    reason_file.push(".reason.txt");
    std::fs::write(&reason_file, format!("{reason}\n"))
        .map_err(|e| io_error("writing the reason", e))?;
    Ok(Submitted::Unreadable(reason))
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

fn io_error(what: impl Into<String>, source: std::io::Error) -> ServiceError {
    ServiceError::Io {
        what: what.into(),
        source,
    }
}
