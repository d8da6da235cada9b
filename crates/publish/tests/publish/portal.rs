//! The portal sink through the publish stage, against a real HTTP portal on an ephemeral
//! port that checks the signature with the shared secret, honours the idempotency key and
//! answers as each test scripts it.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use base64::Engine;
use budgetflow_bus::outcome::action_for;
use budgetflow_bus::{Action, Attempt, Envelope, Outcome, Part, RetryPolicy, StageHandler};
use budgetflow_publish::bundle::PAGE;
use budgetflow_publish::portal::{
    verify, Portal, PortalConfig, Secret, IDEMPOTENCY_HEADER, SIGNATURE_HEADER,
};
use budgetflow_publish::stage::PublishHandler;
use serde_json::{json, Value};

const SECRET: &str = "portal-shared-secret";

/// What the portal answers to the next request, before it behaves normally.
enum Reply {
    Status(StatusCode, &'static str),
    /// Take this long, then accept as usual.
    Stall(Duration),
}

/// The portal: accepts a signed publication once per idempotency key.
struct PortalServer {
    secret: Secret,
    script: Mutex<VecDeque<Reply>>,
    requests: AtomicUsize,
    bad_signatures: AtomicUsize,
    /// Accepted bodies by idempotency key.
    accepted: Mutex<HashMap<String, Vec<u8>>>,
}

impl PortalServer {
    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn accepted(&self) -> usize {
        self.accepted.lock().unwrap().len()
    }
}

async fn receive(
    State(server): State<Arc<PortalServer>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    server.requests.fetch_add(1, Ordering::SeqCst);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    if !verify(&server.secret, &body, &header(SIGNATURE_HEADER)) {
        server.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::UNAUTHORIZED, "签名无效".to_owned());
    }
    let scripted = server.script.lock().unwrap().pop_front();
    match scripted {
        Some(Reply::Status(status, text)) => return (status, text.to_owned()),
        Some(Reply::Stall(time)) => tokio::time::sleep(time).await,
        None => {}
    }
    let key = header(IDEMPOTENCY_HEADER);
    let mut accepted = server.accepted.lock().unwrap();
    if accepted.contains_key(&key) {
        return (StatusCode::OK, "already published".to_owned());
    }
    accepted.insert(key, body.to_vec());
    (StatusCode::CREATED, "published".to_owned())
}

/// Starts a portal answering `script` first; returns it and its URL.
async fn portal_server(script: Vec<Reply>) -> (Arc<PortalServer>, String) {
    let server = Arc::new(PortalServer {
        secret: Secret::new(SECRET),
        script: Mutex::new(script.into()),
        requests: AtomicUsize::new(0),
        bad_signatures: AtomicUsize::new(0),
        accepted: Mutex::new(HashMap::new()),
    });
    let app = Router::new()
        .route("/publications", post(receive))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/publications", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (server, url)
}

fn config(endpoint: &str, secret: &str) -> PortalConfig {
    PortalConfig {
        endpoint: endpoint.to_owned(),
        secret: Secret::new(secret),
        timeout: Duration::from_secs(2),
        attempts: 3,
        backoff: Duration::from_millis(10),
    }
}

fn handler(out: &Path, config: PortalConfig) -> PublishHandler {
    PublishHandler::new(out.join("site")).with_portal(
        Portal::new(config).expect("a valid portal"),
        out.join("receipts"),
    )
}

/// The sample as the score stage emits it: validated without errors.
fn envelope() -> Envelope {
    let doc = crate::sample();
    let mut envelope = Envelope::new(
        uuid::Uuid::new_v4(),
        doc.identity.department.clone(),
        doc.identity.fiscal_year.get(),
        1,
        include_bytes!("../../../../samples/urumqi-miit-2025.txt"),
        Part::of(&doc).unwrap(),
    );
    let verdict = json!({"errors": 0, "warnings": 0, "infos": 0, "findings": []});
    envelope.findings = Some(Part::of(&verdict).unwrap());
    envelope
}

/// What the stage said of the publication.
fn publication(envelope: &Envelope) -> serde_json::Value {
    envelope
        .publication
        .as_ref()
        .expect("a publication")
        .read()
        .unwrap()
}

fn published(outcome: Outcome) -> Envelope {
    match outcome {
        Outcome::Done { envelope, .. } => envelope,
        other => panic!("not published: {other:?}"),
    }
}

#[tokio::test]
async fn the_portal_receives_the_whole_publication_signed_with_the_shared_secret() {
    let (server, url) = portal_server(vec![]).await;
    let out = tempfile::tempdir().unwrap();
    let envelope = envelope();
    let done = published(
        handler(out.path(), config(&url, SECRET))
            .handle(envelope.clone())
            .await,
    );
    let publication = &publication(&done);
    assert_eq!(publication["portal"]["status"], "delivered");
    assert_eq!(publication["portal"]["http_status"], 201);
    assert_eq!(publication["portal"]["attempts"], 1);
    assert_eq!(server.bad_signatures.load(Ordering::SeqCst), 0);

    let accepted = server.accepted.lock().unwrap();
    let key = format!("{}:{}", envelope.submission_id, envelope.content_sha256);
    let body: Value = serde_json::from_slice(&accepted[&key]).unwrap();
    assert_eq!(body["schema"], "budgetflow.portal/1");
    assert_eq!(body["manifest"]["version"], publication["version"]);
    let artifacts = body["artifacts"].as_array().unwrap();
    assert_eq!(
        artifacts.len(),
        body["manifest"]["artifacts"].as_array().unwrap().len()
    );
    let page = artifacts.iter().find(|a| a["path"] == PAGE).unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(page["content_base64"].as_str().unwrap())
        .unwrap();
    let on_disk = std::fs::read(publication["page"].as_str().unwrap()).unwrap();
    assert_eq!(bytes, on_disk, "the portal gets what the directory has");
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_portal_and_dead_lettered() {
    let (server, url) = portal_server(vec![]).await;
    let out = tempfile::tempdir().unwrap();
    let outcome = handler(out.path(), config(&url, "not-the-secret"))
        .handle(envelope())
        .await;
    let Outcome::Poison { reason } = outcome else {
        panic!("not dead-lettered: {outcome:?}");
    };
    assert!(reason.contains("HTTP 401"), "{reason}");
    assert!(reason.contains("签名无效"), "{reason}");
    assert!(
        !reason.contains("not-the-secret"),
        "the secret is never shown"
    );
    assert_eq!(server.bad_signatures.load(Ordering::SeqCst), 1);
    assert_eq!(server.accepted(), 0);
}

#[tokio::test]
async fn a_500_then_200_publishes_exactly_once() {
    let (server, url) = portal_server(vec![Reply::Status(
        StatusCode::INTERNAL_SERVER_ERROR,
        "database restarting",
    )])
    .await;
    let out = tempfile::tempdir().unwrap();
    let done = published(
        handler(out.path(), config(&url, SECRET))
            .handle(envelope())
            .await,
    );
    assert_eq!(publication(&done)["portal"]["status"], "delivered");
    assert_eq!(publication(&done)["portal"]["attempts"], 2);
    assert_eq!(server.requests(), 2);
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn a_400_is_dead_lettered_with_the_portals_reason_and_not_retried() {
    let (server, url) = portal_server(vec![Reply::Status(
        StatusCode::BAD_REQUEST,
        "缺少表3：一般公共预算支出表",
    )])
    .await;
    let out = tempfile::tempdir().unwrap();
    let outcome = handler(out.path(), config(&url, SECRET))
        .handle(envelope())
        .await;
    let Outcome::Poison { reason } = outcome.clone() else {
        panic!("not dead-lettered: {outcome:?}");
    };
    assert!(reason.contains("HTTP 400"), "{reason}");
    assert!(reason.contains("缺少表3"), "{reason}");
    assert_eq!(server.requests(), 1, "a 4xx is not retried");
    assert_eq!(
        action_for(
            outcome,
            Attempt {
                number: 1,
                delivery_limit: 5,
            },
            &RetryPolicy::default(),
        ),
        Action::DeadLetter { reason }
    );
    assert_eq!(
        std::fs::read_dir(out.path().join("receipts"))
            .ok()
            .map(|d| d.count()),
        None
    );
}

#[tokio::test]
async fn a_redelivered_message_publishes_nothing_twice() {
    let (server, url) = portal_server(vec![]).await;
    let out = tempfile::tempdir().unwrap();
    let handler = handler(out.path(), config(&url, SECRET));
    let envelope = envelope();
    let first = published(handler.handle(envelope.clone()).await);
    let again = published(handler.handle(envelope.clone()).await);
    assert_eq!(publication(&again)["portal"]["status"], "already_delivered");
    assert_eq!(
        publication(&again)["version"],
        publication(&first)["version"]
    );
    assert_eq!(server.requests(), 1, "the receipt stops a second POST");

    // Receipts lost (a new volume): the stage sends again, the portal keeps one.
    std::fs::remove_dir_all(out.path().join("receipts")).unwrap();
    let resent = published(handler.handle(envelope).await);
    assert_eq!(publication(&resent)["portal"]["status"], "delivered");
    assert_eq!(publication(&resent)["portal"]["http_status"], 200);
    assert_eq!(server.requests(), 2);
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn a_timed_out_request_the_portal_finished_anyway_is_published_once() {
    let (server, url) = portal_server(vec![Reply::Stall(Duration::from_millis(2500))]).await;
    let out = tempfile::tempdir().unwrap();
    let done = published(
        handler(out.path(), config(&url, SECRET))
            .handle(envelope())
            .await,
    );
    let attempts = publication(&done)["portal"]["attempts"].as_u64().unwrap();
    assert!(attempts >= 2, "the first request timed out");
    // The stalled request completes at the portal after the client gave up on it.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    assert_eq!(server.requests() as u64, attempts);
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn an_unreachable_portal_is_retried_later_after_the_configured_attempts() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/publications", listener.local_addr().unwrap());
    drop(listener);
    let out = tempfile::tempdir().unwrap();
    let handler = handler(out.path(), config(&url, SECRET));
    let outcome = handler.handle(envelope()).await;
    let Outcome::RetryLater { reason } = outcome.clone() else {
        panic!("not retried: {outcome:?}");
    };
    assert!(reason.contains("after 3 attempts"), "{reason}");
    assert!(matches!(
        action_for(
            outcome,
            Attempt {
                number: 1,
                delivery_limit: 5,
            },
            &RetryPolicy::default(),
        ),
        Action::RequeueAfter { .. }
    ));
    // The directory publication stands; the retry finds it complete.
    assert_eq!(handler.archive().entries().len(), 1);
}
