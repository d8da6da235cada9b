//! `spawn_app`: the API on an ephemeral port over a scratch ledger and the in-memory bus.

use std::future::Future;
use std::sync::Arc;

use budgetflow_bus::{MemoryTransport, Topology, Transport};
use budgetflow_ingest::api::{self, ApiState, Limits};
use budgetflow_ledger::scratch::Scratch;
use budgetflow_ledger::{DepartmentCode, Ledger, Role};
use budgetflow_pipeline::system::System;
use reqwest::{RequestBuilder, Response};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

pub const SAMPLE: &str = include_str!("../../../../samples/urumqi-miit-2025.txt");
pub const SAMPLE_DEPARTMENT: &str = "乌鲁木齐市工业和信息化局";
pub const TEXT: &str = "text/plain; charset=utf-8";
pub const JSON: &str = "application/json";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PDF: &str = "application/pdf";

/// A running API.
pub struct App {
    pub url: String,
    pub ledger: Ledger,
    pub client: reqwest::Client,
    /// The bus the API publishes on (and the stages consume, with [`Pipeline::Embedded`]).
    pub transport: Arc<dyn Transport>,
    scratch: Scratch,
    running: Running,
    _published: tempfile::TempDir,
}

/// With or without the stages behind the bus.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Pipeline {
    /// Only the API: submissions stay `received`.
    ApiOnly,
    /// validate → score → publish and the ledger consumer, in process.
    Embedded,
}

/// Runs `test` against an app on a SQLite ledger, then on a PostgreSQL one when
/// `DATABASE_URL` is set.
pub async fn on_every_backend<F, Fut>(limits: Limits, pipeline: Pipeline, test: F)
where
    F: Fn(App) -> Fut,
    Fut: Future<Output = App>,
{
    let sqlite = Scratch::sqlite().await.expect("a SQLite scratch ledger");
    test(spawn_app(sqlite, limits, pipeline).await)
        .await
        .stop()
        .await;
    if let Some(postgres) = Scratch::postgres()
        .await
        .expect("a PostgreSQL scratch ledger")
    {
        test(spawn_app(postgres, limits, pipeline).await)
            .await
            .stop()
            .await;
    }
}

pub async fn spawn_app(scratch: Scratch, limits: Limits, pipeline: Pipeline) -> App {
    let transport: Arc<dyn Transport> =
        Arc::new(MemoryTransport::new(Topology::new("apitest"), 4096));
    spawn_app_on(scratch, limits, pipeline, transport).await
}

/// [`spawn_app`] over `transport`.
pub async fn spawn_app_on(
    scratch: Scratch,
    limits: Limits,
    pipeline: Pipeline,
    transport: Arc<dyn Transport>,
) -> App {
    let published = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let running = match pipeline {
        Pipeline::Embedded => Running::System(
            System::start(
                listener,
                scratch.ledger.clone(),
                transport.clone(),
                published.path(),
                limits,
                budgetflow_model::Lang::Zh,
            )
            .unwrap(),
        ),
        Pipeline::ApiOnly => {
            let stop = CancellationToken::new();
            let state = ApiState::new(
                scratch.ledger.clone(),
                transport.clone(),
                limits,
                stop.clone(),
            );
            let server = tokio::spawn(api::serve(listener, state, stop.clone()));
            Running::Api { stop, server }
        }
    };
    App {
        url,
        ledger: scratch.ledger.clone(),
        client: reqwest::Client::new(),
        transport,
        scratch,
        running,
        _published: published,
    }
}

/// What serves the app.
enum Running {
    /// The API, the stages and the ledger consumer.
    System(System),
    /// The API alone.
    Api {
        stop: CancellationToken,
        server: tokio::task::JoinHandle<std::io::Result<()>>,
    },
}

impl App {
    /// Registers a department and returns its token.
    pub async fn department(&self, code: &str, name: &str) -> String {
        self.register(code, name, Role::Department).await
    }

    pub async fn bureau(&self) -> String {
        self.register("bureau", "乌鲁木齐市财政局", Role::Bureau)
            .await
    }

    async fn register(&self, code: &str, name: &str, role: Role) -> String {
        self.ledger
            .add_department(&DepartmentCode::new(code).unwrap(), name, role)
            .await
            .unwrap()
            .expose()
            .to_owned()
    }

    pub fn get(&self, path: &str, token: &str) -> RequestBuilder {
        self.client
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
    }

    pub fn submit(
        &self,
        token: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> RequestBuilder {
        self.client
            .post(format!("{}/api/v1/submissions", self.url))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
    }

    /// The publish stage's output directory.
    pub fn out_dir(&self) -> &std::path::Path {
        self._published.path()
    }

    /// Rows in departments, submissions, versions, events.
    pub async fn rows(&self) -> [i64; 4] {
        self.ledger.row_counts().await.unwrap()
    }

    pub async fn stop(self) {
        match self.running {
            Running::System(system) => system.stop().await.unwrap(),
            Running::Api { stop, server } => {
                stop.cancel();
                server.await.unwrap().unwrap();
            }
        }
        self.scratch.drop_database().await.unwrap();
    }
}

/// The status and JSON body of a response.
pub async fn json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    let value =
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON ({status}): {body}"));
    (status, value)
}

/// Sends and reads the JSON answer.
pub async fn send(request: RequestBuilder) -> (u16, Value) {
    json(request.send().await.unwrap()).await
}

/// Asserts the error shape: code, both messages present.
pub fn assert_error(body: &Value, code: &str) {
    assert_eq!(body["error"], code, "{body}");
    assert!(
        !body["message"].as_str().unwrap_or_default().is_empty(),
        "{body}"
    );
    assert!(
        !body["message_en"].as_str().unwrap_or_default().is_empty(),
        "{body}"
    );
}

/// Polls the submission until it reaches `state` (`seconds` at most).
pub async fn wait_for_state(app: &App, token: &str, id: &str, state: &str, seconds: u64) -> Value {
    let mut last = Value::Null;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        let (status, detail) = send(app.get(&format!("/api/v1/submissions/{id}"), token)).await;
        assert_eq!(status, 200, "{detail}");
        if detail["state"] == state {
            return detail;
        }
        last = detail;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("never reached `{state}` in {seconds} s: {last}");
}
