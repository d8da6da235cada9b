//! Every submission ends: a stage failure that will not heal becomes `failed` with the stage
//! and the reason — in the ledger, in the API and on the dashboard, which then stops
//! reloading. So does a message its queue dead-letters by itself (no `failed` before it); a
//! dead letter of the ledger's own queue fails nothing.
//!
//! The end-to-end case needs the stage runtime that announces `submission.failed` for what
//! it gives up (branch h/failures); the ledger case applies the event itself.

use budgetflow_bus::transport::{
    DELIVERY_LIMIT_REASON, FIRST_DEATH_QUEUE_HEADER, FIRST_DEATH_REASON_HEADER,
};
use budgetflow_bus::{
    Destination, Envelope, Event, Failure, Headers, OutgoingMessage, Part, WorkQueue,
};
use budgetflow_ingest::api::Limits;
use budgetflow_ingest::submission::submission_id;
use budgetflow_ledger::{DepartmentCode, NewSubmission};
use serde_json::json;

use crate::support::*;

/// Records `content` for `miit` as the API would, without putting it on the bus.
async fn recorded(app: &App, content: &[u8]) -> uuid::Uuid {
    let id = submission_id(content);
    let sha = budgetflow_bus::envelope::content_sha256(content);
    app.ledger
        .record_received(NewSubmission {
            id,
            department: &DepartmentCode::new("miit").unwrap(),
            fiscal_year: 2025,
            content_type: TEXT,
            content,
            content_sha256: &sha,
        })
        .await
        .unwrap();
    id
}

async fn dashboard(app: &App, token: &str) -> String {
    app.client
        .get(format!("{}/dashboard?year=2025", app.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_failed_event_puts_its_stage_and_reason_in_the_api_and_on_the_dashboard() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let id = recorded(&app, b"a disclosure").await;
        let in_flight = dashboard(&app, &token).await;
        assert!(in_flight.contains("http-equiv=\"refresh\""), "{in_flight}");

        let mut envelope = Envelope::new(
            id,
            SAMPLE_DEPARTMENT,
            2025,
            1,
            b"a disclosure",
            Part::of(&json!({})).unwrap(),
        );
        envelope.failure = Some(Failure {
            stage: "publish".into(),
            reason: "writing <out>/miit/2025: Not a directory (os error 20)".into(),
        });
        app.ledger.apply(Event::Failed, &envelope).await.unwrap();

        let (status, detail) = send(app.get(&format!("/api/v1/submissions/{id}"), &token)).await;
        assert_eq!(status, 200);
        assert_eq!(detail["state"], "failed");
        assert_eq!(detail["failure"]["stage"], "publish");
        assert!(detail["failure"]["reason"]
            .as_str()
            .unwrap()
            .contains("Not a directory"));
        let (_, listed) = send(app.get("/api/v1/submissions?state=failed", &token)).await;
        assert_eq!(listed["count"], 1);
        assert_eq!(listed["submissions"][0]["failure"]["stage"], "publish");

        let ended = dashboard(&app, &token).await;
        assert!(
            !ended.contains("http-equiv"),
            "nothing in flight, no reload: {ended}"
        );
        assert!(
            ended.contains(
                "处理失败（publish）：writing &lt;out&gt;&#x2F;miit&#x2F;2025: Not a directory"
            ),
            "{ended}"
        );
        app
    })
    .await;
}

#[tokio::test]
async fn a_permanent_publish_failure_and_a_poison_message_both_end_failed_with_their_reasons() {
    // the test polls while the publish stage retries up to the delivery limit
    let polling = Limits {
        requests_per_minute: 100_000,
        burst: 10_000,
        ..Limits::default()
    };
    on_every_backend(polling, Pipeline::Embedded, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        // the publish directory is a file: every write under it fails, on every delivery
        let out = app.out_dir().to_owned();
        std::fs::remove_dir_all(&out).unwrap();
        std::fs::write(&out, "not a directory").unwrap();
        let (status, accepted) = send(app.submit(&token, TEXT, SAMPLE)).await;
        assert_eq!(status, 202, "{accepted}");
        let unpublishable = accepted["id"].as_str().unwrap().to_owned();
        let failed = wait_for_state(&app, &token, &unpublishable, "failed", 60).await;
        assert_eq!(failed["failure"]["stage"], "publish", "{failed}");
        assert!(
            !failed["failure"]["reason"].as_str().unwrap().is_empty(),
            "{failed}"
        );

        // a message no stage can read: its document is not a disclosure
        let poison = recorded(&app, b"poison").await;
        let mut envelope = Envelope::new(
            poison,
            SAMPLE_DEPARTMENT,
            2025,
            2,
            b"poison",
            Part::of(&json!({"tables": 3})).unwrap(),
        );
        envelope.department_code = Some("miit".into());
        app.transport
            .publish(OutgoingMessage::event(Event::Received, &envelope).unwrap())
            .await
            .unwrap();
        let failed = wait_for_state(&app, &token, &poison.to_string(), "failed", 60).await;
        assert_eq!(failed["failure"]["stage"], "validate", "{failed}");
        assert!(
            failed["failure"]["reason"]
                .as_str()
                .unwrap()
                .contains("not a budget document"),
            "{failed}"
        );

        let ended = dashboard(&app, &token).await;
        assert!(!ended.contains("http-equiv"), "{ended}");
        assert!(ended.contains("class=\"failure\""), "{ended}");
        std::fs::remove_file(&out).unwrap();
        std::fs::create_dir(&out).unwrap();
        app
    })
    .await;
}

/// A dead letter as the broker makes it: a message its queue gave up after the delivery limit
/// (the stage's process killed during the last delivery), with no `submission.failed` before.
fn dead_lettered_by(queue: &str, id: uuid::Uuid, content: &[u8]) -> OutgoingMessage {
    let mut envelope = Envelope::new(
        id,
        SAMPLE_DEPARTMENT,
        2025,
        1,
        content,
        Part::of(&json!({})).unwrap(),
    );
    envelope.department_code = Some("miit".into());
    let headers: Headers = [
        (FIRST_DEATH_REASON_HEADER, DELIVERY_LIMIT_REASON),
        (FIRST_DEATH_QUEUE_HEADER, queue),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect();
    OutgoingMessage {
        destination: Destination::DeadLetters,
        routing_key: Event::Scored.routing_key().to_owned(),
        body: envelope.to_vec().unwrap(),
        headers,
        message_id: None,
    }
}

#[tokio::test]
async fn a_message_its_queue_dead_letters_ends_failed_and_one_of_the_ledger_queue_does_not() {
    on_every_backend(Limits::default(), Pipeline::Embedded, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let topology = app.transport.topology().clone();
        let publish_queue = topology.queue_name(WorkQueue::Publish);
        let ledger_queue = topology.queue_name(WorkQueue::Ledger);

        // first a dead letter of the ledger queue: the ledger could not record an event of a
        // submission that is fine
        let fine = recorded(&app, b"fine").await;
        app.transport
            .publish(dead_lettered_by(&ledger_queue, fine, b"fine"))
            .await
            .unwrap();
        let abandoned = recorded(&app, b"abandoned").await;
        app.transport
            .publish(dead_lettered_by(&publish_queue, abandoned, b"abandoned"))
            .await
            .unwrap();

        let failed = wait_for_state(&app, &token, &abandoned.to_string(), "failed", 30).await;
        assert_eq!(failed["failure"]["stage"], "publish", "{failed}");
        assert_eq!(
            failed["failure"]["reason"],
            format!(
                "dead-lettered by {publish_queue} after {} deliveries (delivery_limit)",
                topology.delivery_limit() + 1
            ),
            "{failed}"
        );
        // the ledger takes its dead letters in order: the first one was handled already
        let (_, detail) = send(app.get(&format!("/api/v1/submissions/{fine}"), &token)).await;
        assert_eq!(detail["state"], "received", "{detail}");
        assert!(detail["failure"].is_null(), "{detail}");
        app
    })
    .await;
}
