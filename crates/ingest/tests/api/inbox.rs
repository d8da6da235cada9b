//! The operators' inbox of `budgetflow-ingest`: a disclosure of a registered department is
//! recorded in the ledger and submitted like an API submission; anything else is set aside
//! with its reason, and nothing of it is stored.

use std::sync::Arc;

use budgetflow_bus::{MemoryTransport, Topology, Transport, WorkQueue};
use budgetflow_ingest::service::{scan_inbox, Submitted};
use budgetflow_ledger::scratch::Scratch;
use budgetflow_ledger::{DepartmentCode, Role};

use crate::support::{SAMPLE, SAMPLE_DEPARTMENT};

#[tokio::test]
async fn the_inbox_submits_registered_departments_and_sets_the_rest_aside() {
    let scratch = Scratch::sqlite().await.unwrap();
    let ledger = &scratch.ledger;
    ledger
        .add_department(
            &DepartmentCode::new("miit").unwrap(),
            SAMPLE_DEPARTMENT,
            Role::Department,
        )
        .await
        .unwrap();
    let memory = Arc::new(MemoryTransport::new(Topology::new("inboxtest"), 64));
    let transport: Arc<dyn Transport> = memory.clone();
    let inbox = tempfile::tempdir().unwrap();
    std::fs::write(inbox.path().join("a-miit.txt"), SAMPLE).unwrap();
    std::fs::write(inbox.path().join("b-garbage.txt"), b"\x00\x01 not text").unwrap();
    let stranger = budgetflow_synth::document(7, 0);
    assert_ne!(stranger.identity.department, SAMPLE_DEPARTMENT);
    std::fs::write(
        inbox.path().join("c-stranger.txt"),
        budgetflow_formats::text::write(&stranger),
    )
    .unwrap();

    let queue_timeout = budgetflow_ingest::api::Limits::default().queue_timeout;
    let outcomes = scan_inbox(inbox.path(), ledger, transport.as_ref(), queue_timeout)
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 3);
    let Submitted::Published(envelope) = &outcomes[0] else {
        panic!("the sample was not submitted: {:?}", outcomes[0]);
    };
    assert_eq!(envelope.version, 1);
    assert_eq!(envelope.department_code.as_deref(), Some("miit"));
    assert!(matches!(&outcomes[1], Submitted::Unreadable(_)));
    assert!(
        matches!(&outcomes[2], Submitted::Unreadable(reason) if reason.contains("not registered")),
        "{:?}",
        outcomes[2]
    );
    assert!(inbox.path().join("done/a-miit.txt").exists());
    assert!(inbox
        .path()
        .join("unreadable/c-stranger.txt.reason.txt")
        .exists());
    assert_eq!(memory.depth(WorkQueue::Validate).ready, 1);

    let stored = ledger
        .submission(envelope.submission_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.content_type, "text/plain");
    assert_eq!(
        ledger.row_counts().await.unwrap(),
        [1, 1, 1, 1],
        "only the sample is stored"
    );
    scratch.drop_database().await.unwrap();
}
