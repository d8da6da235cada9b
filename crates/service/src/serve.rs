//! Running one stage as a service: connect, serve ops, run, stop within the deadline.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use budgetflow_bus::{
    run_until_stopped, RabbitTransport, Stage, StageHandler, Transport, WorkQueue,
};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::error::ServiceError;
use crate::ops::{self, Health};
use crate::settings::Settings;
use crate::shutdown;
use crate::store::DirectoryStore;

/// How long a service that missed its shutdown deadline still waits for the broker to
/// acknowledge closing the connection before it exits.
const CLOSE_AFTER_DEADLINE: Duration = Duration::from_secs(2);

/// Runs the service named `name` (`validate`, `score`, …): installs the metrics recorder,
/// starts the ops server (ready only while the broker is connected and the service is not
/// stopping), connects to RabbitMQ (retrying until it answers or a signal arrives), then
/// runs `run(settings, transport, shutdown)`. SIGTERM / SIGINT cancel `shutdown`; the stage
/// then has `shutdown.deadline_secs` to finish its in-flight messages. A stage that misses the
/// deadline is dropped (its unacked messages are redelivered by the broker) and the process
/// ends with one error event and [`shutdown::DEADLINE_MISSED_EXIT_CODE`]: this function
/// does not return then, so that no caller prints the error as plain text.
pub async fn serve<F, Fut>(settings: Settings, name: &str, run: F) -> Result<(), ServiceError>
where
    F: FnOnce(Settings, Arc<dyn Transport>, CancellationToken) -> Fut,
    Fut: Future<Output = Result<(), ServiceError>> + Send + 'static,
{
    let metrics = ops::install_metrics()?;
    let shutdown = shutdown::on_signal()?;
    let (ready, transport_ready) = watch::channel(false);
    let ops_stop = CancellationToken::new();
    let health = Health {
        transport_ready,
        shutdown: shutdown.clone(),
    };
    let (_, ops_server) = ops::start(
        settings.ops.listen,
        ops::router(health, metrics),
        ops_stop.clone(),
    )
    .await?;

    let Some(transport) = connect(&settings, name, &shutdown).await else {
        ops_stop.cancel();
        let _ = ops_server.await;
        return Ok(());
    };
    let mut readiness = transport.readiness();
    let forward_stop = shutdown.clone();
    tokio::spawn(async move {
        loop {
            ready.send_replace(*readiness.borrow_and_update());
            tokio::select! {
                changed = readiness.changed() => if changed.is_err() { break },
                () = forward_stop.cancelled() => break,
            }
        }
    });

    info!(stage = name, "running");
    let dyn_transport: Arc<dyn Transport> = transport.clone();
    let mut stage = tokio::spawn(run(settings.clone(), dyn_transport, shutdown.clone()));
    let result = tokio::select! {
        finished = &mut stage => finished,
        () = shutdown.cancelled() => {
            let deadline = settings.shutdown_deadline();
            match tokio::time::timeout(deadline, &mut stage).await {
                Ok(finished) => finished,
                Err(_) => {
                    stage.abort();
                    // A broker that let the stage miss its deadline may not answer the close
                    // either; the process's exit closes the socket anyway.
                    let _ = tokio::time::timeout(CLOSE_AFTER_DEADLINE, transport.close()).await;
                    ops_stop.cancel();
                    shutdown::exit_after_missed_deadline(name, deadline);
                }
            }
        }
    };
    transport.close().await;
    ops_stop.cancel();
    let _ = ops_server.await;
    info!(stage = name, "stopped");
    match result {
        Ok(outcome) => outcome,
        Err(join) => Err(ServiceError::io(
            "the stage task",
            std::io::Error::other(join.to_string()),
        )),
    }
}

/// Connects to the broker, retrying with backoff; `None` if shutdown came first.
async fn connect(
    settings: &Settings,
    name: &str,
    shutdown: &CancellationToken,
) -> Option<Arc<RabbitTransport>> {
    let config = settings.rabbit(name);
    let backoff = config.reconnect;
    let mut attempt = 1;
    loop {
        match RabbitTransport::connect(config.clone()).await {
            Ok(transport) => return Some(Arc::new(transport)),
            Err(error) => warn!(%error, attempt, "cannot reach RabbitMQ yet"),
        }
        tokio::select! {
            () = tokio::time::sleep(backoff.delay(attempt)) => {}
            () = shutdown.cancelled() => return None,
        }
        attempt += 1;
    }
}

/// Runs a consuming stage with the durable idempotency store in
/// `<stage.state_dir>/<name>`, the configured prefetch and retry policy.
pub async fn run_stage(
    name: &str,
    queue: WorkQueue,
    handler: impl StageHandler,
    settings: &Settings,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), ServiceError> {
    let store = DirectoryStore::open(settings.stage.state_dir.join(name))?;
    let stage = Stage::new(name, queue, handler)
        .with_store(store)
        .with_prefetch(settings.stage.prefetch)
        .with_retry(settings.retry());
    run_until_stopped(stage, transport, shutdown).await?;
    Ok(())
}
