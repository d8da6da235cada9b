//! The ops HTTP server of a stage service.
//!
//! - `GET /health/live`: 200 while the process runs;
//! - `GET /health/ready`: 200 while the transport is connected and the service is not
//!   shutting down, 503 otherwise (load balancers and KEDA stop sending work);
//! - `GET /metrics`: Prometheus text format (the stage metrics of the bus crate, and the
//!   process's own).

use std::net::SocketAddr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use budgetflow_bus::telemetry::{describe_stage_metrics, StageMetric};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::info;

use crate::error::ServiceError;

/// Buckets of the processing-time histogram, in seconds.
const PROCESSING_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// What the health endpoints look at.
#[derive(Clone)]
pub struct Health {
    /// The transport's readiness.
    pub transport_ready: watch::Receiver<bool>,
    /// Cancelled when the service starts shutting down.
    pub shutdown: CancellationToken,
}

impl Health {
    pub fn is_ready(&self) -> bool {
        *self.transport_ready.borrow() && !self.shutdown.is_cancelled()
    }
}

#[derive(Clone)]
struct OpsState {
    health: Health,
    metrics: PrometheusHandle,
}

/// Installs the global Prometheus recorder and registers the stage metrics' help texts.
pub fn install_metrics() -> Result<PrometheusHandle, ServiceError> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Full(
                StageMetric::ProcessingSeconds.name().to_owned(),
            ),
            &PROCESSING_BUCKETS,
        )
        .map_err(|e| ServiceError::Metrics(e.to_string()))?
        .install_recorder()
        .map_err(|e| ServiceError::Metrics(e.to_string()))?;
    describe_stage_metrics();
    Ok(handle)
}

/// The routes of the ops server.
pub fn router(health: Health, metrics: PrometheusHandle) -> Router {
    Router::new()
        .route("/health/live", get(|| async { "live" }))
        .route("/health/ready", get(ready))
        .route("/metrics", get(render_metrics))
        .with_state(OpsState { health, metrics })
}

async fn ready(State(state): State<OpsState>) -> (StatusCode, &'static str) {
    if state.health.is_ready() {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}

async fn render_metrics(State(state): State<OpsState>) -> String {
    state.metrics.render()
}

/// Binds `listen` and serves the ops routes until `stop` is cancelled. Returns the bound
/// address (useful with port 0) and the server task.
pub async fn start(
    listen: SocketAddr,
    router: Router,
    stop: CancellationToken,
) -> Result<(SocketAddr, tokio::task::JoinHandle<()>), ServiceError> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| ServiceError::io(format!("binding the ops port {listen}"), e))?;
    let bound = listener
        .local_addr()
        .map_err(|e| ServiceError::io("reading the ops address", e))?;
    info!(address = %bound, "ops server listening");
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await;
        if let Err(error) = served {
            tracing::error!(%error, "ops server failed");
        }
    });
    Ok((bound, task))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn readiness_follows_the_transport_and_the_shutdown() {
        let (transport, transport_ready) = watch::channel(true);
        let shutdown = CancellationToken::new();
        let health = Health {
            transport_ready,
            shutdown: shutdown.clone(),
        };
        let metrics = PrometheusBuilder::new().build_recorder().handle();
        let stop = CancellationToken::new();
        let (address, server) = start(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            router(health, metrics),
            stop.clone(),
        )
        .await
        .unwrap();
        let status = |path: &'static str| async move {
            let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            stream
                .write_all(
                    format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .as_bytes(),
                )
                .await
                .unwrap();
            let mut response = String::new();
            stream.read_to_string(&mut response).await.unwrap();
            response.split_whitespace().nth(1).unwrap().to_owned()
        };
        assert_eq!(status("/health/live").await, "200");
        assert_eq!(status("/health/ready").await, "200");
        assert_eq!(status("/metrics").await, "200");
        transport.send_replace(false);
        assert_eq!(status("/health/ready").await, "503");
        transport.send_replace(true);
        assert_eq!(status("/health/ready").await, "200");
        shutdown.cancel();
        assert_eq!(status("/health/ready").await, "503");
        assert_eq!(status("/health/live").await, "200");
        stop.cancel();
        server.await.unwrap();
    }
}
