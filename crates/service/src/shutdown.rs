//! Turning SIGTERM and SIGINT into a cancellation token.

use tokio::signal::unix::{signal, SignalKind};
use tokio_util::sync::CancellationToken;
use tracing::info;

use crate::error::ServiceError;

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
