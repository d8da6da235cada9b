//! The publish stage: `submission.scored` → `submission.published`.
//!
//! The document is read back from the envelope (one that is not a budget document is poison)
//! and its canonical JSON is written to the output directory with [`write_once`], named by
//! submission id and content hash: a redelivered message finds the file and does not write
//! it again. The envelope's `publication` then says where it went:
//! `{"artifact": "<path>", "bytes": <n>}`. A write that fails (disk full, directory
//! unwritable) is transient: the message is retried with backoff and dead-lettered by the
//! queue after its delivery limit. Issue 6 adds the renderers and the portal sink here.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use budgetflow_bus::{Envelope, Event, Outcome, Stage, StageHandler, Transport, WorkQueue};
use budgetflow_model::Document;
use budgetflow_service::{CancellationToken, ServiceError, Settings};
use serde::Deserialize;
use serde_json::json;

use crate::directory::{artifact_name, remove_orphans, write_once};

/// The stage's name: metrics label, state subdirectory, connection name.
pub const NAME: &str = "publish";

/// Writes each document to `out_dir`.
#[derive(Clone, Debug)]
pub struct PublishHandler {
    out_dir: PathBuf,
}

impl PublishHandler {
    /// A publisher writing to `out_dir`; temporary files left there by a killed writer are
    /// removed.
    pub fn new(out_dir: impl Into<PathBuf>) -> Self {
        let out_dir = out_dir.into();
        remove_orphans(&out_dir);
        PublishHandler { out_dir }
    }

    /// Where the artifact of `envelope` is written.
    pub fn artifact_path(&self, envelope: &Envelope) -> PathBuf {
        self.out_dir.join(artifact_file_name(envelope))
    }
}

/// The artifact's file name for an envelope.
pub fn artifact_file_name(envelope: &Envelope) -> String {
    artifact_name(
        &envelope.submission_id.to_string(),
        &envelope.content_sha256,
        "json",
    )
}

#[async_trait]
impl StageHandler for PublishHandler {
    async fn handle(&self, mut envelope: Envelope) -> Outcome {
        let document = match Document::deserialize(&envelope.document) {
            Ok(document) => document,
            Err(error) => {
                return Outcome::Poison {
                    reason: format!("the envelope's document is not a budget document: {error}"),
                }
            }
        };
        let out_dir = self.out_dir.clone();
        let name = artifact_file_name(&envelope);
        let written = tokio::task::spawn_blocking(move || {
            let json = budgetflow_formats::json::write(&document);
            write_once(&out_dir, &name, json.as_bytes()).map(|written| (written, json.len()))
        })
        .await;
        match written {
            Ok(Ok((written, bytes))) => {
                envelope.publication = json!({
                    "artifact": written.path().display().to_string(),
                    "bytes": bytes,
                });
                Outcome::Done {
                    event: Event::Published,
                    envelope,
                }
            }
            Ok(Err(error)) => Outcome::RetryLater {
                reason: error.to_string(),
            },
            Err(join) => Outcome::RetryLater {
                reason: format!("the writer did not finish: {join}"),
            },
        }
    }
}

/// The stage with an in-memory idempotency store (`budgetflow run`).
pub fn stage(out_dir: impl Into<PathBuf>) -> Stage {
    Stage::new(NAME, WorkQueue::Publish, PublishHandler::new(out_dir))
}

/// The stage as a service, writing to `publish.out_dir`.
pub async fn run(
    settings: Settings,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), ServiceError> {
    let handler = PublishHandler::new(settings.publish.out_dir.clone());
    budgetflow_service::run_stage(
        NAME,
        WorkQueue::Publish,
        handler,
        &settings,
        transport,
        shutdown,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope() -> Envelope {
        let doc = budgetflow_synth::document(7, 0);
        Envelope::new(
            uuid::Uuid::new_v4(),
            doc.identity.department.clone(),
            doc.identity.fiscal_year.get(),
            1,
            b"content",
            serde_json::to_value(&doc).unwrap(),
        )
    }

    #[tokio::test]
    async fn writes_the_canonical_json_once_and_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let handler = PublishHandler::new(dir.path());
        let envelope = envelope();
        let Outcome::Done {
            event,
            envelope: published,
        } = handler.handle(envelope.clone()).await
        else {
            panic!("not published");
        };
        assert_eq!(event, Event::Published);
        let path = handler.artifact_path(&envelope);
        assert_eq!(
            published.publication["artifact"],
            path.display().to_string()
        );
        let written = std::fs::read_to_string(&path).unwrap();
        let doc = budgetflow_formats::json::read_str(&written).unwrap();
        assert_eq!(serde_json::to_value(&doc).unwrap(), envelope.document);
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        let again = handler.handle(envelope.clone()).await;
        assert!(matches!(again, Outcome::Done { .. }));
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            modified
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[tokio::test]
    async fn not_a_document_is_poison_and_a_blocked_path_is_transient() {
        let dir = tempfile::tempdir().unwrap();
        let handler = PublishHandler::new(dir.path());
        let mut broken = envelope();
        broken.document = json!({"tables": 3});
        assert!(matches!(
            handler.handle(broken).await,
            Outcome::Poison { .. }
        ));

        let blocked = envelope();
        std::fs::create_dir_all(handler.artifact_path(&blocked).join("x")).unwrap();
        assert!(matches!(
            handler.handle(blocked).await,
            Outcome::RetryLater { .. }
        ));
    }
}
