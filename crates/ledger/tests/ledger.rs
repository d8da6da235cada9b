//! The ledger against a real database: a temporary SQLite file always, and a fresh
//! PostgreSQL database too when `DATABASE_URL` is set. Every case runs on both.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use budgetflow_bus::envelope::content_sha256;
use budgetflow_bus::transport::{
    FIRST_DEATH_QUEUE_HEADER, FIRST_DEATH_REASON_HEADER, POISON_REASON_HEADER, POISON_STAGE_HEADER,
};
use budgetflow_bus::{
    DeadLetter, Envelope, Event, Headers, MemoryTransport, OutgoingMessage, Part, Topology,
    Transport,
};
use budgetflow_ledger::scratch::Scratch;
use budgetflow_ledger::{
    consume, Applied, DepartmentCode, Failure, Filter, Ledger, LedgerError, NewSubmission, Role,
    SubmissionState, MAX_FAILURE_REASON_CHARS,
};
use serde_json::json;
use sqlx::any::AnyPoolOptions;
use uuid::Uuid;

const DEPARTMENT: &str = "乌鲁木齐市工业和信息化局";

/// Runs `case` on a scratch SQLite ledger, then on a scratch PostgreSQL one if configured.
async fn on_every_backend<F, Fut>(case: F)
where
    F: Fn(Scratch) -> Fut,
    Fut: Future<Output = Scratch>,
{
    let sqlite = Scratch::sqlite().await.expect("a SQLite scratch ledger");
    case(sqlite).await.drop_database().await.unwrap();
    if let Some(postgres) = Scratch::postgres()
        .await
        .expect("a PostgreSQL scratch ledger")
    {
        case(postgres).await.drop_database().await.unwrap();
    }
}

/// A connection of its own to the ledger's database, going around the ledger.
async fn behind_the_ledger(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap()
}

fn code(code: &str) -> DepartmentCode {
    DepartmentCode::new(code).unwrap()
}

fn new_submission<'a>(
    department: &'a DepartmentCode,
    content: &'a [u8],
    sha: &'a str,
) -> NewSubmission<'a> {
    NewSubmission {
        id: id_of(content),
        department,
        fiscal_year: 2025,
        content_type: "text/plain",
        content,
        content_sha256: sha,
    }
}

fn id_of(content: &[u8]) -> Uuid {
    let sha = content_sha256(content);
    Uuid::parse_str(&sha[..32]).unwrap()
}

fn envelope_of(content: &[u8]) -> Envelope {
    Envelope::new(
        id_of(content),
        DEPARTMENT,
        2025,
        1,
        content,
        Part::of(&json!({})).unwrap(),
    )
}

async fn submitted(ledger: &Ledger, content: &[u8]) -> Uuid {
    let miit = code("miit");
    if ledger.department(&miit).await.unwrap().is_none() {
        ledger
            .add_department(&miit, DEPARTMENT, Role::Department)
            .await
            .unwrap();
    }
    let sha = content_sha256(content);
    ledger
        .record_received(new_submission(&miit, content, &sha))
        .await
        .unwrap();
    id_of(content)
}

#[tokio::test]
async fn tokens_identify_their_department_until_rotated() {
    on_every_backend(|scratch| async move {
        let ledger = &scratch.ledger;
        let token = ledger
            .add_department(&code("miit"), DEPARTMENT, Role::Department)
            .await
            .unwrap();
        let bureau = ledger
            .add_department(&code("bureau"), "乌鲁木齐市财政局", Role::Bureau)
            .await
            .unwrap();
        let who = ledger.authenticate(token.expose()).await.unwrap().unwrap();
        assert_eq!((who.code.as_str(), who.name.as_str()), ("miit", DEPARTMENT));
        assert_eq!(who.role, Role::Department);
        assert_eq!(
            ledger
                .authenticate(bureau.expose())
                .await
                .unwrap()
                .unwrap()
                .role,
            Role::Bureau
        );
        assert!(ledger.authenticate("bft_guess").await.unwrap().is_none());

        let rotated = ledger.rotate_token(&code("miit")).await.unwrap();
        assert!(ledger.authenticate(token.expose()).await.unwrap().is_none());
        let who = ledger
            .authenticate(rotated.expose())
            .await
            .unwrap()
            .unwrap();
        assert!(who.rotated_at.is_some());

        let listed = ledger.departments().await.unwrap();
        let codes: Vec<_> = listed.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["bureau", "miit"]);

        assert!(matches!(
            ledger
                .add_department(&code("miit"), "另一个名字", Role::Department)
                .await,
            Err(LedgerError::DuplicateDepartment(_))
        ));
        assert!(matches!(
            ledger
                .add_department(&code("other"), DEPARTMENT, Role::Department)
                .await,
            Err(LedgerError::DuplicateDepartment(_))
        ));
        assert!(matches!(
            ledger
                .add_department(&code("blank"), "  ", Role::Department)
                .await,
            Err(LedgerError::InvalidName(_))
        ));
        assert!(matches!(
            ledger.rotate_token(&code("nobody")).await,
            Err(LedgerError::UnknownDepartment(_))
        ));
        scratch
    })
    .await;
}

#[tokio::test]
async fn a_submission_is_stored_once_with_its_bytes_and_versions_count_up() {
    on_every_backend(|scratch| async move {
        let ledger = &scratch.ledger;
        let first = "第一版".as_bytes();
        let id = submitted(ledger, first).await;
        assert_eq!(ledger.content(id).await.unwrap().unwrap(), first);
        assert_eq!(ledger.row_counts().await.unwrap(), [1, 1, 1, 1]);

        let miit = code("miit");
        let sha = content_sha256(first);
        let again = ledger
            .record_received(new_submission(&miit, first, &sha))
            .await
            .unwrap();
        assert!(!again.created);
        assert_eq!(again.version, 1);
        assert_eq!(ledger.row_counts().await.unwrap(), [1, 1, 1, 1]);

        let second = "第二版".as_bytes();
        let sha = content_sha256(second);
        let received = ledger
            .record_received(new_submission(&miit, second, &sha))
            .await
            .unwrap();
        assert!(received.created);
        assert_eq!(received.version, 2);

        let detail = ledger.submission(id).await.unwrap().unwrap();
        assert_eq!(detail.summary.state, SubmissionState::Received);
        assert_eq!(detail.summary.version, 1);
        assert_eq!(detail.department_name, DEPARTMENT);
        assert_eq!(detail.bytes, first.len() as u64);
        assert_eq!(detail.content_sha256, content_sha256(first));
        assert_eq!(detail.history.len(), 1);
        assert!(ledger.submission(Uuid::new_v4()).await.unwrap().is_none());
        scratch
    })
    .await;
}

#[tokio::test]
async fn concurrent_submissions_of_one_year_get_distinct_versions() {
    on_every_backend(|scratch| async move {
        let ledger = scratch.ledger.clone();
        submitted(&ledger, b"seed").await;
        let tasks: Vec<_> = (0..12)
            .map(|i| {
                let ledger = ledger.clone();
                tokio::spawn(async move {
                    let content = format!("版本 {i}").into_bytes();
                    let sha = content_sha256(&content);
                    let miit = code("miit");
                    ledger
                        .record_received(new_submission(&miit, &content, &sha))
                        .await
                        .unwrap()
                        .version
                })
            })
            .collect();
        let mut versions = Vec::new();
        for task in tasks {
            versions.push(task.await.unwrap());
        }
        versions.sort_unstable();
        assert_eq!(versions, (2..=13).collect::<Vec<u32>>());
        scratch
    })
    .await;
}

#[tokio::test]
async fn events_move_the_state_forward_once_and_keep_the_history() {
    on_every_backend(|scratch| async move {
        let ledger = &scratch.ledger;
        let content = "披露".as_bytes();
        let id = submitted(ledger, content).await;
        let mut envelope = envelope_of(content);

        assert_eq!(
            ledger.apply(Event::Received, &envelope).await.unwrap(),
            Applied::Duplicate
        );
        envelope.findings =
            Some(Part::of(&json!({"errors": 0, "warnings": 2, "findings": []})).unwrap());
        assert_eq!(
            ledger.apply(Event::Validated, &envelope).await.unwrap(),
            Applied::Recorded { advanced: true }
        );
        assert_eq!(
            ledger.apply(Event::Validated, &envelope).await.unwrap(),
            Applied::Duplicate
        );
        envelope.scores = Some(Part::of(&json!({"review": {"targets": 3}})).unwrap());
        ledger.apply(Event::Scored, &envelope).await.unwrap();
        envelope.publication = Some(Part::of(&json!({"artifact": "published/a.json"})).unwrap());
        ledger.apply(Event::Published, &envelope).await.unwrap();
        // A late failure after publication is recorded but does not undo it.
        assert_eq!(
            ledger.apply(Event::Failed, &envelope).await.unwrap(),
            Applied::Recorded { advanced: false }
        );

        let detail = ledger.submission(id).await.unwrap().unwrap();
        assert_eq!(detail.summary.state, SubmissionState::Published);
        assert_eq!(detail.findings["warnings"], 2);
        assert_eq!(detail.scores["review"]["targets"], 3);
        assert_eq!(detail.publication["artifact"], "published/a.json");
        let states: Vec<_> = detail.history.iter().map(|h| h.state).collect();
        use SubmissionState::*;
        assert_eq!(states, [Received, Validated, Scored, Published, Failed]);
        assert!(detail.history.windows(2).all(|w| w[0].at <= w[1].at));

        let stranger = envelope_of(b"never submitted");
        let before = ledger.row_counts().await.unwrap();
        assert_eq!(
            ledger.apply(Event::Published, &stranger).await.unwrap(),
            Applied::Unknown
        );
        assert_eq!(ledger.row_counts().await.unwrap(), before);
        scratch
    })
    .await;
}

#[tokio::test]
async fn a_failed_submission_keeps_the_stage_that_gave_up_and_its_reason() {
    on_every_backend(|scratch| async move {
        let ledger = &scratch.ledger;
        let id = submitted(ledger, b"too long a name").await;
        let mut envelope = envelope_of(b"too long a name");
        ledger.apply(Event::Validated, &envelope).await.unwrap();
        ledger.apply(Event::Scored, &envelope).await.unwrap();
        let reason = format!("writing {}: File name too long", "部".repeat(2_000));
        envelope.failure = Some(Failure {
            stage: "publish".into(),
            reason: reason.clone(),
        });
        assert_eq!(
            ledger.apply(Event::Failed, &envelope).await.unwrap(),
            Applied::Recorded { advanced: true }
        );

        let detail = ledger.submission(id).await.unwrap().unwrap();
        assert_eq!(detail.summary.state, SubmissionState::Failed);
        let failure = detail.summary.failure.clone().expect("the failure is kept");
        assert_eq!(failure.stage, "publish");
        assert_eq!(failure.reason.chars().count(), MAX_FAILURE_REASON_CHARS);
        assert!(failure.reason.starts_with("writing 部部"));
        assert!(failure.reason.ends_with('…'));
        let shown = serde_json::to_value(&detail).unwrap();
        assert_eq!(shown["state"], "failed");
        assert_eq!(shown["failure"]["stage"], "publish");

        let listed = ledger
            .submissions(&Filter {
                state: Some(SubmissionState::Failed),
                ..Filter::default()
            })
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].failure.as_ref(), Some(&failure));

        // a 1.0 envelope names its reason in the publication only
        let old = submitted(ledger, b"schema 1.0").await;
        let mut envelope = envelope_of(b"schema 1.0");
        envelope.publication = Some(Part::of(&json!({"reason": "delivery_limit"})).unwrap());
        ledger.apply(Event::Failed, &envelope).await.unwrap();
        let detail = ledger.submission(old).await.unwrap().unwrap();
        assert_eq!(
            detail.summary.failure.map(|f| f.reason).as_deref(),
            Some("delivery_limit")
        );
        // every other state has no failure
        let fine = submitted(ledger, b"fine").await;
        ledger
            .apply(Event::Published, &envelope_of(b"fine"))
            .await
            .unwrap();
        let detail = ledger.submission(fine).await.unwrap().unwrap();
        assert_eq!(detail.summary.failure, None);
        assert!(serde_json::to_value(&detail)
            .unwrap()
            .get("failure")
            .is_none());
        scratch
    })
    .await;
}

#[tokio::test]
async fn a_submission_the_bus_never_took_is_withdrawn_whole_and_one_it_took_is_not() {
    on_every_backend(|scratch| async move {
        let ledger = &scratch.ledger;
        let id = submitted(ledger, b"never queued").await;
        assert_eq!(ledger.row_counts().await.unwrap(), [1, 1, 1, 1]);
        assert!(ledger.withdraw(id).await.unwrap());
        assert_eq!(ledger.row_counts().await.unwrap(), [1, 0, 0, 0]);
        assert_eq!(ledger.content(id).await.unwrap(), None);
        assert!(
            !ledger.withdraw(id).await.unwrap(),
            "nothing left to withdraw"
        );

        // the same bytes again are version 1 again
        let miit = code("miit");
        let sha = content_sha256(b"never queued");
        let again = ledger
            .record_received(new_submission(&miit, b"never queued", &sha))
            .await
            .unwrap();
        assert_eq!((again.version, again.created), (1, true));

        // once a stage reported on it, it reached the bus: it stays
        ledger
            .apply(Event::Validated, &envelope_of(b"never queued"))
            .await
            .unwrap();
        assert!(!ledger.withdraw(id).await.unwrap());
        assert_eq!(ledger.row_counts().await.unwrap(), [1, 1, 1, 2]);
        scratch
    })
    .await;
}

#[tokio::test]
async fn a_late_event_does_not_move_the_state_back() {
    on_every_backend(|scratch| async move {
        let ledger = &scratch.ledger;
        let id = submitted(ledger, b"out of order").await;
        let envelope = envelope_of(b"out of order");
        ledger.apply(Event::Scored, &envelope).await.unwrap();
        assert_eq!(
            ledger.apply(Event::Validated, &envelope).await.unwrap(),
            Applied::Recorded { advanced: false }
        );
        let detail = ledger.submission(id).await.unwrap().unwrap();
        assert_eq!(detail.summary.state, SubmissionState::Scored);

        let rejected = submitted(ledger, b"rejected").await;
        ledger
            .apply(Event::Rejected, &envelope_of(b"rejected"))
            .await
            .unwrap();
        ledger
            .apply(Event::Scored, &envelope_of(b"rejected"))
            .await
            .unwrap();
        let detail = ledger.submission(rejected).await.unwrap().unwrap();
        assert_eq!(detail.summary.state, SubmissionState::Rejected);
        scratch
    })
    .await;
}

#[tokio::test]
async fn lists_filter_by_department_year_and_state() {
    on_every_backend(|scratch| async move {
        let ledger = &scratch.ledger;
        let a = submitted(ledger, b"a").await;
        let b = submitted(ledger, b"b").await;
        ledger
            .add_department(&code("edu"), "乌鲁木齐市教育局", Role::Department)
            .await
            .unwrap();
        let edu = code("edu");
        let sha = content_sha256(b"c");
        let mut c = new_submission(&edu, b"c", &sha);
        c.fiscal_year = 2026;
        ledger.record_received(c).await.unwrap();
        ledger
            .apply(Event::Rejected, &envelope_of(b"b"))
            .await
            .unwrap();

        let ids = |list: Vec<budgetflow_ledger::SubmissionSummary>| {
            list.into_iter().map(|s| s.id).collect::<Vec<_>>()
        };
        let all = ledger.submissions(&Filter::default()).await.unwrap();
        assert_eq!(all.len(), 3);
        let miit = Filter {
            department: Some(code("miit")),
            ..Filter::default()
        };
        assert_eq!(ids(ledger.submissions(&miit).await.unwrap()), [a, b]);
        let rejected = Filter {
            state: Some(SubmissionState::Rejected),
            ..miit.clone()
        };
        assert_eq!(ids(ledger.submissions(&rejected).await.unwrap()), [b]);
        let year = Filter {
            fiscal_year: Some(2026),
            ..Filter::default()
        };
        let listed = ledger.submissions(&year).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].department.as_str(), "edu");
        assert_eq!(listed[0].fiscal_year, 2026);
        let none = Filter {
            fiscal_year: Some(2024),
            ..miit
        };
        assert!(ledger.submissions(&none).await.unwrap().is_empty());
        scratch
    })
    .await;
}

#[tokio::test]
async fn the_history_is_append_only_in_the_database_itself() {
    on_every_backend(|scratch| async move {
        submitted(&scratch.ledger, b"x").await;
        scratch
            .ledger
            .apply(Event::Validated, &envelope_of(b"x"))
            .await
            .unwrap();
        let pool = behind_the_ledger(&scratch.url).await;
        let update = sqlx::query("UPDATE events SET kind = 'published'")
            .execute(&pool)
            .await;
        assert!(update.is_err(), "an event was rewritten");
        let delete = sqlx::query("DELETE FROM events").execute(&pool).await;
        assert!(delete.is_err(), "an event was deleted");
        let received = sqlx::query("DELETE FROM events WHERE kind = 'received'")
            .execute(&pool)
            .await;
        assert!(
            received.is_err(),
            "the `received` of a validated submission was deleted"
        );
        pool.close().await;
        assert_eq!(scratch.ledger.row_counts().await.unwrap()[3], 2);
        scratch
    })
    .await;
}

#[tokio::test]
async fn migrations_run_once_and_reconnecting_keeps_the_data() {
    on_every_backend(|scratch| async move {
        submitted(&scratch.ledger, b"kept").await;
        let again = Ledger::connect(&scratch.url).await.unwrap();
        assert_eq!(again.row_counts().await.unwrap(), [1, 1, 1, 1]);
        again.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn postgres_stores_submission_bytes_and_event_payloads_compressed_with_lz4_where_the_server_has_it(
) {
    let Some(scratch) = Scratch::postgres()
        .await
        .expect("a PostgreSQL scratch ledger")
    else {
        eprintln!("DATABASE_URL is not set: skipping");
        return;
    };
    // large and compressible, as a disclosure's text is
    let content = "部门预算公开 2025 一般公共预算财政拨款支出 ".repeat(2_000);
    submitted(&scratch.ledger, content.as_bytes()).await;
    // findings as long as a disclosure with many warnings has
    let finding =
        json!({"rule": "C12", "severity": "warning", "message": "表3 与表5 的基本支出合计不一致"});
    let mut envelope = envelope_of(content.as_bytes());
    envelope.findings = Some(
        Part::of(&json!({"errors": 0, "warnings": 200, "findings": vec![finding; 200]})).unwrap(),
    );
    scratch
        .ledger
        .apply(Event::Validated, &envelope)
        .await
        .unwrap();
    let pool = behind_the_ledger(&scratch.url).await;
    let lz4 = sqlx::query("SET default_toast_compression = 'lz4'")
        .execute(&pool)
        .await
        .is_ok();
    let expected = if lz4 { "lz4" } else { "pglz" };
    for (what, query) in [
        (
            "the submission's bytes",
            "SELECT pg_column_compression(content) FROM submissions",
        ),
        (
            "the validated event's payload",
            "SELECT pg_column_compression(payload) FROM events WHERE kind = 'validated'",
        ),
    ] {
        let (method,): (String,) = sqlx::query_as(query).fetch_one(&pool).await.unwrap();
        assert_eq!(method, expected, "{what}");
    }
    pool.close().await;
    scratch.drop_database().await.unwrap();
}

#[tokio::test]
async fn the_consumer_records_every_event_of_the_ledger_queue_once() {
    on_every_backend(|scratch| async move {
        let ledger = scratch.ledger.clone();
        let id = submitted(&ledger, b"over the bus").await;
        let memory = Arc::new(MemoryTransport::new(Topology::new("ledgertest"), 64));
        let transport: Arc<dyn Transport> = memory.clone();
        let shutdown = tokio_util::sync::CancellationToken::new();
        let consumer = tokio::spawn(consume(
            ledger.clone(),
            transport.clone(),
            8,
            shutdown.clone(),
        ));
        let mut envelope = envelope_of(b"over the bus");
        envelope.findings = Some(Part::of(&json!({"errors": 1})).unwrap());
        for event in [Event::Received, Event::Rejected, Event::Rejected] {
            transport
                .publish(OutgoingMessage::event(event, &envelope).unwrap())
                .await
                .unwrap();
        }
        let mut state = SubmissionState::Received;
        for _ in 0..200 {
            state = ledger.submission(id).await.unwrap().unwrap().summary.state;
            if state == SubmissionState::Rejected
                && memory.depth(budgetflow_bus::WorkQueue::Ledger).ready == 0
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(state, SubmissionState::Rejected);
        tokio::time::sleep(Duration::from_millis(50)).await;
        shutdown.cancel();
        consumer.await.unwrap().unwrap();
        let detail = ledger.submission(id).await.unwrap().unwrap();
        assert_eq!(detail.history.len(), 2, "{:?}", detail.history);
        assert_eq!(detail.findings["errors"], 1);
        scratch
    })
    .await;
}

#[tokio::test]
async fn while_the_database_fails_the_consumer_holds_the_event_instead_of_dead_lettering_it() {
    let scratch = Scratch::sqlite().await.unwrap();
    let ledger = scratch.ledger.clone();
    submitted(&ledger, b"outage").await;
    ledger.close().await; // every later operation fails, as in an outage
    let memory = Arc::new(MemoryTransport::new(Topology::new("outage"), 16));
    let transport: Arc<dyn Transport> = memory.clone();
    let envelope = envelope_of(b"outage");
    transport
        .publish(OutgoingMessage::event(Event::Validated, &envelope).unwrap())
        .await
        .unwrap();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let consumer = tokio::spawn(consume(ledger, transport, 8, shutdown.clone()));
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let depth = memory.depth(budgetflow_bus::WorkQueue::Ledger);
    assert_eq!((depth.ready, depth.unacked), (0, 1), "held while retrying");
    assert_eq!(memory.dead_letter_depth().ready, 0);
    shutdown.cancel();
    consumer.await.unwrap().unwrap();
    let depth = memory.depth(budgetflow_bus::WorkQueue::Ledger);
    assert_eq!(depth.ready, 1, "requeued at shutdown, to come again");
    assert_eq!(memory.dead_letter_depth().ready, 0);
    scratch.drop_database().await.unwrap();
}

/// A dead letter as the ledger's copy of the dead-letter queue delivers it.
fn dead_letter(content: &[u8], headers: &[(&str, &str)]) -> DeadLetter {
    let headers: Headers = headers
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    DeadLetter {
        routing_key: Event::Scored.routing_key().to_owned(),
        reason: headers
            .get(POISON_REASON_HEADER)
            .or_else(|| headers.get(FIRST_DEATH_REASON_HEADER))
            .cloned()
            .unwrap_or_default(),
        queue: headers.get(FIRST_DEATH_QUEUE_HEADER).cloned(),
        stage: headers.get(POISON_STAGE_HEADER).cloned(),
        submission_id: Some(id_of(content)),
        headers,
        body: envelope_of(content).to_vec().unwrap(),
    }
}

#[tokio::test]
async fn a_dead_letter_fails_a_submission_in_flight_but_no_settled_one_and_not_for_the_ledger() {
    on_every_backend(|scratch| async move {
        let ledger = scratch.ledger.clone();
        let topology = Topology::new("bf").with_delivery_limit(5);
        let by_the_queue = |queue: &'static str| {
            [
                (FIRST_DEATH_REASON_HEADER, "delivery_limit"),
                (FIRST_DEATH_QUEUE_HEADER, queue),
            ]
        };

        // killed during its last delivery of the publish queue: no `failed` came before
        let abandoned = submitted(&ledger, b"abandoned").await;
        ledger
            .apply(Event::Scored, &envelope_of(b"abandoned"))
            .await
            .unwrap();
        let applied = ledger
            .apply_dead_letter(
                &dead_letter(b"abandoned", &by_the_queue("bf.publish")),
                &topology,
            )
            .await
            .unwrap();
        assert_eq!(applied, Applied::Recorded { advanced: true });
        let summary = ledger.submission(abandoned).await.unwrap().unwrap().summary;
        assert_eq!(summary.state, SubmissionState::Failed);
        assert_eq!(
            summary.failure,
            Some(Failure {
                stage: "publish".into(),
                reason: "dead-lettered by bf.publish after 6 deliveries (delivery_limit)".into(),
            })
        );

        // the stage announced `failed` itself before giving up: the dead letter changes nothing
        let given_up = submitted(&ledger, b"given up").await;
        let mut failed = envelope_of(b"given up");
        failed.failure = Some(Failure {
            stage: "validate".into(),
            reason: "not a budget document".into(),
        });
        ledger.apply(Event::Failed, &failed).await.unwrap();
        let poison = [
            (POISON_REASON_HEADER, "not a budget document"),
            (POISON_STAGE_HEADER, "validate"),
        ];
        // a published one, whose publish message the queue dead-lettered after the event
        let published = submitted(&ledger, b"published").await;
        ledger
            .apply(Event::Published, &envelope_of(b"published"))
            .await
            .unwrap();
        for (id, content, headers) in [
            (given_up, &b"given up"[..], &poison[..]),
            (published, b"published", &by_the_queue("bf.publish")[..]),
        ] {
            let before = ledger.submission(id).await.unwrap().unwrap();
            let applied = ledger
                .apply_dead_letter(&dead_letter(content, headers), &topology)
                .await
                .unwrap();
            assert_eq!(applied, Applied::Settled);
            let after = ledger.submission(id).await.unwrap().unwrap();
            assert_eq!(after.summary.state, before.summary.state);
            assert_eq!(after.summary.failure, before.summary.failure);
            assert_eq!(after.history.len(), before.history.len());
        }

        // the ledger could not record one of its events: the submission is fine
        let fine = submitted(&ledger, b"fine").await;
        let applied = ledger
            .apply_dead_letter(&dead_letter(b"fine", &by_the_queue("bf.ledger")), &topology)
            .await
            .unwrap();
        assert_eq!(applied, Applied::Ignored);
        let summary = ledger.submission(fine).await.unwrap().unwrap().summary;
        assert_eq!(summary.state, SubmissionState::Received);
        assert_eq!(summary.failure, None);

        let mut unreadable = dead_letter(b"fine", &by_the_queue("bf.validate"));
        unreadable.body = b"not json".to_vec();
        assert_eq!(
            ledger
                .apply_dead_letter(&unreadable, &topology)
                .await
                .unwrap(),
            Applied::Ignored
        );
        scratch
    })
    .await;
}
