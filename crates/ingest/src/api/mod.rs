//! The ingestion HTTP API (axum): departments submit disclosures and follow what became of
//! them; the bureau follows everyone's. `docs/api.md` describes it for its users, and
//! `/openapi.json` ([`openapi`]) for their tools.
//!
//! - [`submissions`]: `POST /api/v1/submissions` and the reads;
//! - [`auth`]: bearer tokens looked up in the ledger, then the per-token rate limit;
//! - [`read`]: the body to a document by media type, with errors that say where;
//! - [`limits`], [`error`], [`metrics`]: body and rate limits, the one JSON error shape,
//!   the API's Prometheus metrics.
//!
//! [`serve`] runs it on a listener until a cancellation token fires; `budgetflow-ingest`
//! runs it beside the ledger consumer, and the tests on `127.0.0.1:0`.

pub mod auth;
pub mod error;
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
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::services::ServeDir;

pub use error::ApiError;
pub use limits::Limits;

use self::limits::RateLimiter;
use self::metrics::ApiMetrics;
use crate::dashboard::Site;

/// Every route: method and path as in `/openapi.json` (a test holds the two together).
pub const ROUTES: [(&str, &str); 8] = [
    ("post", "/api/v1/submissions"),
    ("get", "/api/v1/submissions"),
    ("get", "/api/v1/submissions/{id}"),
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
        router = router.nest_service(SITE_PATH, ServeDir::new(&site.dir));
    }
    router
        .route(
            "/api/v1/submissions",
            get(submissions::list).post(submissions::create),
        )
        .route("/api/v1/submissions/{id}", get(submissions::show))
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
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move { stop.cancelled().await })
        .await
}
