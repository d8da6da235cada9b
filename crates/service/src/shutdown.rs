//! Turning SIGTERM and SIGINT into a cancellation token, and ending a process that did not
//! stop in time as quietly as one that did: one structured log event, an exit status, no
//! panic and no backtrace (operators' alerts read the JSON log, not stderr text).

use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};
use tokio_util::sync::CancellationToken;
use tracing::{error, info};

use crate::error::ServiceError;

/// The exit status of a service that missed its shutdown deadline: `EX_TEMPFAIL` (75) from
/// `sysexits.h`, because the work it dropped is not lost — the broker delivers its
/// unacknowledged messages again.
pub const DEADLINE_MISSED_EXIT_CODE: i32 = 75;

/// A token cancelled on the first SIGTERM or SIGINT.
pub fn on_signal() -> Result<CancellationToken, ServiceError> {
    let token = CancellationToken::new();
    let mut terminate = signal(SignalKind::terminate())
        .map_err(|e| ServiceError::io("installing the SIGTERM handler", e))?;
    let mut interrupt = signal(SignalKind::interrupt())
        .map_err(|e| ServiceError::io("installing the SIGINT handler", e))?;
    let cancel = token.clone();
    tokio::spawn(async move {
        let name = tokio::select! {
            _ = terminate.recv() => "SIGTERM",
            _ = interrupt.recv() => "SIGINT",
            () = cancel.cancelled() => return,
        };
        info!(signal = name, "shutting down");
        cancel.cancel();
    });
    Ok(token)
}

/// Logs that `stage` did not stop within `deadline` as one error event and ends the process
/// with [`DEADLINE_MISSED_EXIT_CODE`]. The caller has already released what it could (the
/// broker connection); the messages still unacknowledged are redelivered.
pub fn exit_after_missed_deadline(stage: &str, deadline: Duration) -> ! {
    error!(
        stage,
        deadline_secs = deadline.as_secs(),
        exit_code = DEADLINE_MISSED_EXIT_CODE,
        "the stage did not stop within the shutdown deadline; exiting, its unacknowledged messages will be delivered again"
    );
    std::process::exit(DEADLINE_MISSED_EXIT_CODE)
}
