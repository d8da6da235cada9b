//! The pipeline over the in-memory bus: the sample plus 200 synthetic disclosures; a
//! department's quick corrections published several at once, the newest current.

use std::sync::Arc;

use budgetflow_bus::{Event, MemoryTransport, Topology, Transport};
use budgetflow_model::Lang;
use budgetflow_pipeline::{run_until_stopped, Stages};
use tokio_util::sync::CancellationToken;

use crate::support::{
    assert_all_accounted, corpus, envelopes, faulty_among, sample_versions, within, Driver,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_and_200_synthetic_disclosures_are_each_accounted_for_once() {
    let out = tempfile::tempdir().unwrap();
    let memory = MemoryTransport::new(Topology::new("e2e-memory"), 16);
    let transport: Arc<dyn Transport> = Arc::new(memory.clone());
    let shutdown = CancellationToken::new();
    let stages = tokio::spawn(run_until_stopped(
        Stages::new(out.path(), Lang::Zh),
        transport.clone(),
        shutdown.clone(),
    ));
    let mut driver = Driver::new(transport.clone()).await;
    let expected = envelopes(&corpus(200));
    let submitter = driver.submit_all(expected.clone());
    driver.until_all_settled().await;
    submitter.await.unwrap();

    assert_all_accounted(&driver.tracker, &expected, out.path());
    let rejected = driver
        .tracker
        .entries()
        .filter(|e| e.state == budgetflow_pipeline::State::Rejected)
        .count();
    assert_eq!(rejected, faulty_among(200));
    for envelope in &expected {
        let id = envelope.submission_id;
        let settling = driver.seen(id, Event::Published) + driver.seen(id, Event::Rejected);
        assert_eq!(settling, 1, "{}", envelope.department);
        // validate answered once; `received` never reaches the ledger queue (it is recorded
        // at intake)
        let answered = driver.seen(id, Event::Validated) + driver.seen(id, Event::Rejected);
        assert_eq!(answered, 1, "{}", envelope.department);
        assert_eq!(driver.seen(id, Event::Received), 0);
    }
    assert_eq!(memory.dead_letter_depth().ready, 0);

    shutdown.cancel();
    driver.close().await;
    within("the stages to stop", stages).await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_corrections_published_eight_at_once_leave_the_newest_current() {
    const PREFETCH: u16 = 8;
    for round in 0..3 {
        let out = tempfile::tempdir().unwrap();
        let memory = MemoryTransport::new(Topology::new(format!("e2e-newest-{round}")), 16);
        let transport: Arc<dyn Transport> = Arc::new(memory.clone());
        let shutdown = CancellationToken::new();
        let stages = tokio::spawn(run_until_stopped(
            Stages::new(out.path(), Lang::Zh).with_prefetch(PREFETCH),
            transport.clone(),
            shutdown.clone(),
        ));
        let mut driver = Driver::new(transport.clone()).await;
        let expected = sample_versions(12);
        let submitter = driver.submit_all(expected.clone());
        driver.until_all_settled().await;
        submitter.await.unwrap();

        // The pointer is of version 12, whichever publication finished last.
        assert_all_accounted(&driver.tracker, &expected, out.path());
        shutdown.cancel();
        driver.close().await;
        within("the stages to stop", stages).await.unwrap().unwrap();
    }
}
