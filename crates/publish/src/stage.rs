//! The publish stage: `submission.scored` → `submission.published`.
//!
//! The document is read back from the envelope and refused unless the validator's verdict
//! travels with it and counts no error (a document the validator rejected is never
//! published). Its bundle ([`bundle::render`]) is written to the [`Archive`] under the
//! department's code ([`department_code`]: the envelope's registered code, or one derived
//! from the name without a ledger) as the envelope's submission `version` — the highest
//! version of a department's year is current, whatever order publications finish in (a
//! version that is complete already is not written again) — and, when a portal is
//! configured, pushed to it once per idempotency key ([`Receipts`] remember what the portal
//! accepted). The envelope's `publication` then says where it went:
//!
//! ```json
//! {"artifact": "<version>/index.html", "page": "<version>/index.html",
//!  "manifest": "<version>/manifest.json", "version": "<16 hex>", "current": true,
//!  "portal": {"status": "delivered", "http_status": 201, "attempts": 1}}
//! ```
//!
//! (`artifact` is the page, for the ledger; `current` is false when a newer submission of
//! the department's year was current already — the publication is kept but not shown on the
//! index; the portal's status is `not_configured`, `delivered` or `already_delivered`.)
//! Whether a failure is retried or dead-lettered is decided in one place,
//! [`PublishError::outcome`].
//!
//! The stage holds up to `prefetch` envelopes, but renders only as many at once as the
//! machine has cores: rendering is CPU work, so more at once would not finish sooner, and
//! each render holds several hundred KB of artifacts and a deflate state while it runs. An
//! envelope waiting for its turn holds only its own bytes. Writing a rendered publication is
//! not counted against the cores: it mostly waits for the disk to flush its files, and a core
//! left idle meanwhile would cap the stage's throughput below what the machine can do.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use budgetflow_bus::{Envelope, Event, Outcome, Part, Stage, StageHandler, Transport, WorkQueue};
use budgetflow_model::{Document, Lang, UnknownLang};
use budgetflow_service::{CancellationToken, ServiceError, Settings};
use serde_json::{json, Value};
use thiserror::Error;
use tokio::sync::Semaphore;

use crate::archive::{Archive, ArchiveError, SubmissionVersion};
use crate::bundle::{self, Bundle};
use crate::directory::{remove_orphans, WriteError};
use crate::portal::{self, Portal, PortalConfig, PortalError, Receipts, Secret, Submission};
use budgetflow_model::{DepartmentCode, InvalidCode};

/// The stage's name: metrics label, state subdirectory, connection name.
pub const NAME: &str = "publish";

/// Why an envelope was not published.
#[derive(Debug, Error)]
pub enum PublishError {
    #[error("the envelope's document is not a budget document: {0}")]
    NotADocument(#[source] serde_json::Error),
    #[error("the envelope carries no validation verdict (findings.errors); an unvalidated document is never published")]
    NoVerdict,
    #[error("the validator found {errors} error(s) in this document; it is never published")]
    RejectedByValidator { errors: u64 },
    #[error("the envelope's {0}")]
    DepartmentCode(#[from] InvalidCode),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error("the writer did not finish: {0}")]
    Writer(#[from] tokio::task::JoinError),
    #[error(transparent)]
    Portal(#[from] PortalError),
    #[error("recording the portal's receipt: {0}")]
    Receipt(#[from] WriteError),
}

impl PublishError {
    /// The one place deciding what a failure does to the message: what can never succeed is
    /// dead-lettered with the reason, the rest is retried later.
    pub fn outcome(self) -> Outcome {
        let permanent = match &self {
            PublishError::NotADocument(_)
            | PublishError::NoVerdict
            | PublishError::RejectedByValidator { .. }
            | PublishError::DepartmentCode(_)
            | PublishError::Archive(ArchiveError::Leak(_)) => true,
            PublishError::Portal(error) => error.is_permanent(),
            PublishError::Archive(_) | PublishError::Writer(_) | PublishError::Receipt(_) => false,
        };
        let reason = self.to_string();
        if permanent {
            Outcome::Poison { reason }
        } else {
            Outcome::RetryLater { reason }
        }
    }
}

/// Why the settings do not describe a publisher (the service stops before it connects).
#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("publish.lang: {0}")]
    Lang(#[from] UnknownLang),
    #[error(transparent)]
    Portal(#[from] PortalError),
}

/// The portal and the record of what it accepted.
#[derive(Clone, Debug)]
struct PortalSink {
    portal: Portal,
    receipts: Receipts,
}

/// Publishes each document to the archive, and to the portal when one is configured.
#[derive(Clone, Debug)]
pub struct PublishHandler {
    archive: Archive,
    portal: Option<PortalSink>,
    /// One permit per core: the renders that may run at once.
    renders: Arc<Semaphore>,
}

impl PublishHandler {
    /// A publisher writing to `out_dir`; temporary files left there by a killed writer are
    /// removed.
    pub fn new(out_dir: impl Into<PathBuf>) -> Self {
        let out_dir = out_dir.into();
        remove_orphans(&out_dir);
        PublishHandler {
            archive: Archive::new(out_dir),
            portal: None,
            renders: Arc::new(Semaphore::new(budgetflow_service::runtime::cores())),
        }
    }

    /// Also pushes every publication to `portal`, recording what it accepted in
    /// `receipts_dir`.
    pub fn with_portal(mut self, portal: Portal, receipts_dir: impl Into<PathBuf>) -> Self {
        self.portal = Some(PortalSink {
            portal,
            receipts: Receipts::new(receipts_dir),
        });
        self
    }

    /// Renders pages and the site index in `lang` (Chinese unless told).
    pub fn with_lang(mut self, lang: Lang) -> Self {
        self.archive = self.archive.with_lang(lang);
        self
    }

    /// The handler the settings describe: the archive in `publish.out_dir`, pages and index in
    /// `publish.lang`, the portal of `publish.portal` if it has an endpoint (receipts under
    /// `<stage.state_dir>/publish-portal`).
    pub fn from_settings(settings: &Settings) -> Result<Self, SettingsError> {
        let lang: Lang = settings.publish.lang.parse()?;
        let handler = PublishHandler::new(settings.publish.out_dir.clone()).with_lang(lang);
        let portal = &settings.publish.portal;
        if portal.endpoint.trim().is_empty() {
            return Ok(handler);
        }
        let config = PortalConfig {
            endpoint: portal.endpoint.trim().to_owned(),
            secret: Secret::new(portal.secret.expose()),
            timeout: Duration::from_millis(portal.timeout_ms),
            attempts: portal.attempts,
            backoff: Duration::from_millis(portal.backoff_initial_ms),
        };
        let receipts = settings.stage.state_dir.join(format!("{NAME}-portal"));
        Ok(handler.with_portal(Portal::new(config)?, receipts))
    }

    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    async fn publish(&self, envelope: &Envelope) -> Result<Value, PublishError> {
        let rendering = self
            .renders
            .acquire()
            .await
            .expect("the render semaphore is never closed");
        let document: Document = envelope
            .read_document()
            .map_err(PublishError::NotADocument)?;
        match envelope.finding_counts().and_then(|counts| counts.errors) {
            None => return Err(PublishError::NoVerdict),
            Some(0) => {}
            Some(errors) => return Err(PublishError::RejectedByValidator { errors }),
        }
        let code = department_code(envelope, &document)?;
        let submission = SubmissionVersion::Numbered(envelope.version);
        let lang = self.archive.lang();
        let (document, bundle) = tokio::task::spawn_blocking(move || {
            let bundle = bundle::render_in(&document, lang);
            (document, bundle)
        })
        .await?;
        // Writing waits on the disk more than it computes: it gives its core back for the
        // next render.
        drop(rendering);
        let archive = self.archive.clone();
        let (bundle, published) = tokio::task::spawn_blocking(move || {
            archive
                .publish(&document, &bundle, &code, submission)
                .map(|published| (bundle, published))
        })
        .await??;
        let portal = match &self.portal {
            None => json!({"status": "not_configured"}),
            Some(sink) => sink.deliver(envelope, &bundle).await?,
        };
        let page = published.page.display().to_string();
        Ok(json!({
            "artifact": page,
            "page": page,
            "manifest": published.manifest.display().to_string(),
            "version": published.version.as_str(),
            "current": published.current,
            "portal": portal,
        }))
    }
}

/// The code `envelope`'s publication is filed under: the registered code it carries (refused
/// unless it is a [`DepartmentCode`]), or without one the code derived from the document's
/// department name — as `budgetflow publish` files the same document.
pub fn department_code(
    envelope: &Envelope,
    document: &Document,
) -> Result<DepartmentCode, InvalidCode> {
    DepartmentCode::registered_or_derived(
        envelope.department_code.as_deref(),
        &document.identity.department,
    )
}

impl PortalSink {
    /// Pushes `bundle` unless the portal already accepted this submission's content.
    async fn deliver(&self, envelope: &Envelope, bundle: &Bundle) -> Result<Value, PublishError> {
        let key = envelope.idempotency_key();
        if let Some(receipt) = self.receipts.get(key.as_str()) {
            return Ok(json!({
                "status": "already_delivered",
                "http_status": receipt.status,
                "attempts": receipt.attempts,
            }));
        }
        let submission_id = envelope.submission_id.to_string();
        let body = portal::body(
            Submission {
                submission_id: &submission_id,
                content_sha256: &envelope.content_sha256,
            },
            bundle,
        );
        let delivered = self.portal.push(key.as_str(), body).await?;
        self.receipts.record(key.as_str(), delivered)?;
        Ok(json!({
            "status": "delivered",
            "http_status": delivered.status,
            "attempts": delivered.attempts,
        }))
    }
}

#[async_trait]
impl StageHandler for PublishHandler {
    async fn handle(&self, mut envelope: Envelope) -> Outcome {
        match self.publish(&envelope).await {
            Ok(publication) => {
                envelope.publication =
                    Some(Part::of(&publication).expect("a JSON value is always written"));
                Outcome::Done {
                    event: Event::Published,
                    envelope,
                }
            }
            Err(error) => error.outcome(),
        }
    }
}

/// The stage with an in-memory idempotency store and no portal (`budgetflow run`, `budgetflow
/// serve`), publishing pages in `lang`.
pub fn stage(out_dir: impl Into<PathBuf>, lang: Lang) -> Stage {
    Stage::new(
        NAME,
        WorkQueue::Publish,
        PublishHandler::new(out_dir).with_lang(lang),
    )
}

/// The stage as a service, with `handler` (see [`PublishHandler::from_settings`]).
pub async fn run(
    handler: PublishHandler,
    settings: Settings,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) -> Result<(), ServiceError> {
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
    use crate::bundle::{DOCUMENT_JSON, PAGE};

    fn part(value: &impl serde::Serialize) -> Option<Part> {
        Some(Part::of(value).unwrap())
    }

    /// What the stage said of the publication.
    fn publication(envelope: &Envelope) -> Value {
        envelope
            .publication
            .as_ref()
            .expect("a publication")
            .read()
            .unwrap()
    }

    fn document(envelope: &Envelope) -> Document {
        envelope.read_document().unwrap()
    }

    fn envelope() -> Envelope {
        let doc = budgetflow_synth::document(7, 0);
        let mut envelope = Envelope::new(
            uuid::Uuid::new_v4(),
            doc.identity.department.clone(),
            doc.identity.fiscal_year.get(),
            1,
            b"content",
            Part::of(&doc).unwrap(),
        );
        envelope.findings = part(&json!({"errors": 0, "warnings": 0, "infos": 0, "findings": []}));
        envelope
    }

    #[tokio::test]
    async fn writes_the_publication_once_and_says_where() {
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
        let publication = &publication(&published);
        let page = PathBuf::from(publication["page"].as_str().unwrap());
        assert_eq!(publication["artifact"], publication["page"]);
        assert!(page.ends_with(PAGE));
        let version_dir = page.parent().unwrap();
        assert_eq!(
            version_dir.file_name().unwrap().to_str(),
            publication["version"].as_str()
        );
        assert_eq!(publication["portal"]["status"], "not_configured");
        assert_eq!(publication["current"], true);
        let code = DepartmentCode::derived(&envelope.department);
        assert!(
            page.starts_with(dir.path().join(code.as_str())),
            "no registered code: derived"
        );
        let written = std::fs::read_to_string(version_dir.join(DOCUMENT_JSON)).unwrap();
        let doc = document(&envelope);
        assert_eq!(
            written,
            budgetflow_formats::json::write(&crate::open_data::redacted(&doc))
        );
        assert!(dir.path().join(crate::archive::SITE_INDEX).is_file());

        let modified = std::fs::metadata(&page).unwrap().modified().unwrap();
        let Outcome::Done {
            envelope: again, ..
        } = handler.handle(envelope.clone()).await
        else {
            panic!("not published again");
        };
        assert_eq!(again.publication, published.publication);
        assert_eq!(
            std::fs::metadata(&page).unwrap().modified().unwrap(),
            modified
        );
    }

    #[tokio::test]
    async fn a_registered_code_files_the_publication_and_an_older_version_is_not_current() {
        let dir = tempfile::tempdir().unwrap();
        let handler = PublishHandler::new(dir.path());
        let mut newer = envelope();
        newer.department_code = Some("miit".to_owned());
        newer.version = 2;
        let mut older = newer.clone();
        older.version = 1;
        let mut doc = document(&older);
        doc.identity.title.push_str("（初版）");
        older.document = part(&doc);

        let Outcome::Done {
            envelope: newer, ..
        } = handler.handle(newer).await
        else {
            panic!("version 2 not published");
        };
        let page = PathBuf::from(publication(&newer)["page"].as_str().unwrap());
        assert!(
            page.starts_with(dir.path().join("miit")),
            "{}",
            page.display()
        );
        assert_eq!(publication(&newer)["current"], true);
        let Outcome::Done {
            envelope: older, ..
        } = handler.handle(older).await
        else {
            panic!("version 1 not published");
        };
        assert_eq!(publication(&older)["current"], false);
        assert!(PathBuf::from(publication(&older)["page"].as_str().unwrap()).is_file());
        let code = DepartmentCode::new("miit").unwrap();
        let current = handler.archive().current(&code, newer.fiscal_year).unwrap();
        assert_eq!(current.submission_version, 2);
        assert_eq!(current.version.as_str(), publication(&newer)["version"]);
    }

    #[tokio::test]
    async fn publish_lang_renders_the_page_and_the_index_in_english_and_an_unknown_one_is_refused()
    {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = Settings::default();
        settings.publish.out_dir = dir.path().to_owned();
        let handler = PublishHandler::from_settings(&settings).unwrap();
        assert_eq!(handler.archive().lang(), Lang::Zh, "Chinese by default");

        settings.publish.lang = "en".to_owned();
        let handler = PublishHandler::from_settings(&settings).unwrap();
        let Outcome::Done { envelope, .. } = handler.handle(envelope()).await else {
            panic!("not published");
        };
        let page =
            std::fs::read_to_string(publication(&envelope)["page"].as_str().unwrap()).unwrap();
        assert!(page.contains("<html lang=\"en\">"));
        assert!(page.contains("<h2>Part 2 Budget tables</h2>"));
        let index = std::fs::read_to_string(dir.path().join(crate::archive::SITE_INDEX)).unwrap();
        assert!(index.contains("<h1>Department budget disclosures</h1>"));

        settings.publish.lang = "fr".to_owned();
        let refused = PublishHandler::from_settings(&settings).unwrap_err();
        assert!(matches!(refused, SettingsError::Lang(_)), "{refused}");
        assert!(
            refused.to_string().starts_with("publish.lang: "),
            "{refused}"
        );
    }

    /// Defence in depth: a document whose classified project carries its implementer, and
    /// whose glossary prints it, reaches the stage with a clean verdict (as if the validator had
    /// missed it); the publication is refused for good, says where, and nothing is written.
    #[tokio::test]
    async fn a_publication_that_prints_a_classified_detail_is_poison_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let handler = PublishHandler::new(dir.path());
        let text = include_str!("../../../samples/urumqi-miit-2025.txt");
        let mut doc = budgetflow_formats::text::read_str(text).unwrap();
        let secret = "乌鲁木齐市天山保密专网建设中心";
        let classified = doc
            .narrative
            .sections
            .iter_mut()
            .flat_map(|s| s.blocks.iter_mut())
            .find_map(|block| match block {
                budgetflow_model::Block::Project(p) if p.name.is_classified() => Some(p),
                _ => None,
            })
            .unwrap();
        classified.implementer = Some(secret.to_owned());
        doc.glossary[0].definition.push_str(secret);
        let mut leaking = envelope();
        leaking.document = part(&doc);
        let Outcome::Poison { reason } = handler.handle(leaking).await else {
            panic!("a leaking publication is not poison");
        };
        assert!(reason.contains("publishes at byte"), "{reason}");
        assert!(reason.contains("特定目标"), "{reason}");
        assert!(
            !reason.contains(secret),
            "the reason repeats the secret: {reason}"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn what_cannot_be_published_is_poison_and_a_blocked_path_is_transient() {
        let dir = tempfile::tempdir().unwrap();
        let handler = PublishHandler::new(dir.path());
        let mut broken = envelope();
        broken.document = part(&json!({"tables": 3}));
        let Outcome::Poison { reason } = handler.handle(broken).await else {
            panic!("not poison");
        };
        assert!(reason.contains("not a budget document"), "{reason}");

        let mut unvalidated = envelope();
        unvalidated.findings = None;
        let Outcome::Poison { reason } = handler.handle(unvalidated).await else {
            panic!("not poison");
        };
        assert!(reason.contains("no validation verdict"), "{reason}");

        let mut rejected = envelope();
        rejected.findings = part(&json!({"errors": 2, "warnings": 0, "infos": 0, "findings": []}));
        let Outcome::Poison { reason } = handler.handle(rejected).await else {
            panic!("not poison");
        };
        assert!(reason.contains("2 error(s)"), "{reason}");

        let mut unregistrable = envelope();
        unregistrable.department_code = Some("javascript:alert(1)".to_owned());
        let Outcome::Poison { reason } = handler.handle(unregistrable).await else {
            panic!("not poison");
        };
        assert!(
            reason.contains("department code `javascript:alert(1)`"),
            "{reason}"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        let blocked = envelope();
        let doc = document(&blocked);
        let code = department_code(&blocked, &doc).unwrap();
        let version_dir = handler.archive().version_dir(&code, &bundle::render(&doc));
        std::fs::create_dir_all(version_dir.join(PAGE).join("in-the-way")).unwrap();
        assert!(matches!(
            handler.handle(blocked).await,
            Outcome::RetryLater { .. }
        ));
    }
}
