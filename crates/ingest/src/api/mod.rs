//! The ingestion HTTP API (axum): departments submit disclosures and follow what became of
//! them; the bureau follows everyone's. `docs/api.md` describes it for its users, and
//! `/openapi.json` ([`openapi`]) for their tools.
//!
//! - [`submissions`]: `POST /api/v1/submissions` and the reads;
//! - [`auth`]: bearer tokens looked up in the ledger, then the per-token rate limit;
//! - [`read`]: the body to a document by media type, with errors that say where;
//! - [`limits`], [`error`], [`metrics`]: body and rate limits, the one JSON error shape,
//!   the API's Prometheus metrics;
//! - [`headers`]: header-section limits (JSON 431), JSON 405, `nosniff` everywhere and the
//!   served site's Content-Security-Policy.
//!
//! [`serve`] runs it on a listener until a cancellation token fires, with hyper's own header
//! limits set far above the API's (so over-limit requests get the JSON 431) and a 30 s
//! deadline for a request's headers; `budgetflow-ingest` runs it beside the ledger consumer,
//! and the tests on `127.0.0.1:0`.

pub mod auth;
pub mod error;
pub mod headers;
pub mod limits;
pub mod metrics;
pub mod openapi;
pub mod read;
pub mod submissions;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use budgetflow_bus::Transport;
use budgetflow_ledger::Ledger;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower_http::services::ServeDir;

pub use error::ApiError;
pub use limits::Limits;

use self::limits::RateLimiter;
use self::metrics::ApiMetrics;
use crate::dashboard::Site;

/// Every route: method and path as in `/openapi.json` (a test holds the two together).
pub const ROUTES: [(&str, &str); 9] = [
    ("post", "/api/v1/submissions"),
    ("get", "/api/v1/submissions"),
    ("get", "/api/v1/submissions/{id}"),
    ("get", "/api/v1/submissions/{id}/diff"),
    ("get", "/api/v1/departments/{code}/submissions"),
    ("get", "/openapi.json"),
    ("get", "/health/live"),
    ("get", "/health/ready"),
    ("get", "/metrics"),
];

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct ApiState {
    pub ledger: Ledger,
    pub transport: Arc<dyn Transport>,
    pub limits: Limits,
    rate: Arc<RateLimiter>,
    metrics: Arc<ApiMetrics>,
    /// Cancelled when the service starts stopping: not ready any more.
    shutdown: CancellationToken,
    /// The published site this process serves under `/site` (one-process mode), which the
    /// dashboard links into.
    site: Option<Site>,
}

impl ApiState {
    pub fn new(
        ledger: Ledger,
        transport: Arc<dyn Transport>,
        limits: Limits,
        shutdown: CancellationToken,
    ) -> ApiState {
        ApiState {
            ledger,
            transport,
            rate: Arc::new(RateLimiter::new(&limits)),
            limits,
            metrics: Arc::new(ApiMetrics::default()),
            shutdown,
            site: None,
        }
    }

    /// Also serves the publish stage's output directory `dir` under `/site` (read-only), and
    /// has the dashboard link published pages there.
    pub fn serving_site(mut self, dir: impl Into<PathBuf>) -> ApiState {
        self.site = Some(Site {
            dir: dir.into(),
            url: SITE_PATH.to_owned(),
            served: true,
        });
        self
    }

    /// Has the dashboard link published pages under `url`, where a web server publishes the
    /// publish stage's output directory `dir` (nothing is served here).
    pub fn linking_site(mut self, dir: impl Into<PathBuf>, url: impl Into<String>) -> ApiState {
        self.site = Some(Site {
            dir: dir.into(),
            url: url.into(),
            served: false,
        });
        self
    }
}

/// Where the published site is served in one-process mode.
pub const SITE_PATH: &str = "/site";

/// The API's routes.
pub fn router(state: ApiState) -> Router {
    let mut router = Router::new();
    if let Some(site) = state.site.as_ref().filter(|site| site.served) {
        router = router.merge(
            Router::new()
                .nest_service(SITE_PATH, ServeDir::new(&site.dir))
                .layer(middleware::map_response(headers::site_answer)),
        );
    }
    router
        .route(
            "/api/v1/submissions",
            get(submissions::list).post(submissions::create),
        )
        .route("/api/v1/submissions/{id}", get(submissions::show))
        .route("/api/v1/submissions/{id}/diff", get(submissions::diff))
        .route(
            "/api/v1/departments/{code}/submissions",
            get(submissions::of_department),
        )
        .route("/openapi.json", get(openapi::document))
        .route("/health/live", get(|| async { "live" }))
        .route("/health/ready", get(ready))
        .route("/metrics", get(render_metrics))
        .merge(crate::dashboard::routes(
            state.ledger.clone(),
            state.site.clone(),
        ))
        .fallback(|| async { ApiError::not_found("该地址", "route") })
        // The submission handler enforces `limits.max_body_bytes` itself, with a JSON 413.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn(headers::limit_headers))
        .layer(middleware::map_response(headers::every_answer))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// Ready while the bus is connected, the ledger answers and the service is not stopping.
async fn ready(State(state): State<ApiState>) -> impl IntoResponse {
    let bus = *state.transport.readiness().borrow();
    let ledger = state.ledger.ping().await.is_ok();
    if bus && ledger && !state.shutdown.is_cancelled() {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}

async fn render_metrics(State(state): State<ApiState>) -> String {
    state.metrics.render()
}

/// Serves the API on `listener` until `stop` is cancelled (requests in flight finish).
pub async fn serve(
    listener: TcpListener,
    state: ApiState,
    stop: CancellationToken,
) -> std::io::Result<()> {
    let app = router(state);
    let mut connections = JoinSet::new();
    loop {
        let stream = tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // out of file descriptors, a connection reset before it was accepted:
                    // keep serving the others
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            },
        };
        let service = TowerToHyperService::new(app.clone());
        let stop = stop.clone();
        connections.spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .max_headers(headers::SERVER_MAX_HEADER_FIELDS)
                .max_header_size(headers::SERVER_MAX_HEADER_BYTES);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                () = stop.cancelled() => connection.as_mut().graceful_shutdown(),
            }
            // the request in flight finishes; an idle keep-alive connection closes at once
            let _ = connection.await;
        });
        while connections.try_join_next().is_some() {}
    }
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// How long accepting pauses after it failed.
const ACCEPT_RETRY: std::time::Duration = std::time::Duration::from_millis(100);
