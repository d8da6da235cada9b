//! The API's own Prometheus metrics, served at the API's `/metrics`: requests by route,
//! method and status, and their latency. They live in a recorder of their own (not the
//! process-wide one the ops port renders), so the API's figures are the same whether it
//! runs in `budgetflow-ingest` or embedded in a test or `budgetflow run`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use metrics::{Key, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

use super::ApiState;

const REQUESTS: &str = "budgetflow_api_requests_total";
const SECONDS: &str = "budgetflow_api_request_seconds";
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];
const METADATA: Metadata<'static> =
    Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// The API's recorder.
pub struct ApiMetrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

impl Default for ApiMetrics {
    fn default() -> ApiMetrics {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(SECONDS.to_owned()), &BUCKETS)
            .map(PrometheusBuilder::build_recorder)
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        ApiMetrics { recorder, handle }
    }
}

impl ApiMetrics {
    fn record(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let labels = vec![
            Label::new("route", route.to_owned()),
            Label::new("method", method.to_owned()),
            Label::new("status", status.to_string()),
        ];
        self.recorder
            .register_counter(&Key::from_parts(REQUESTS, labels), &METADATA)
            .increment(1);
        let labels = vec![
            Label::new("route", route.to_owned()),
            Label::new("method", method.to_owned()),
        ];
        self.recorder
            .register_histogram(&Key::from_parts(SECONDS, labels), &METADATA)
            .record(seconds);
    }

    /// The Prometheus text format.
    pub fn render(&self) -> String {
        self.handle.render()
    }
}

/// Middleware: times and counts every request by its route pattern (never the raw path, so
/// ids do not become labels).
pub async fn track(State(state): State<ApiState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.record(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}
