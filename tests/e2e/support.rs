//! What the end-to-end tests share: the corpus, a pipeline driver that submits and follows
//! the ledger, and the stage binaries built once.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use budgetflow_bus::{Envelope, Event, Part, Transport};
use budgetflow_ingest::submission::{submission, submit};
use budgetflow_model::DepartmentCode;
use budgetflow_pipeline::tracker::{BatchTracker, LedgerFeed, State};
use budgetflow_publish::archive::{Archive, SITE_INDEX};
use budgetflow_publish::bundle::DOCUMENT_JSON;
use budgetflow_publish::manifest::{Manifest, Version, MANIFEST};
use budgetflow_publish::open_data::redacted;
use budgetflow_publish::stage::department_code;
use uuid::Uuid;

/// A safety net only: every wait ends on a signal long before.
pub const SAFETY_TIMEOUT: Duration = Duration::from_secs(180);

pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(SAFETY_TIMEOUT, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

const SAMPLE: &str = include_str!("../../samples/urumqi-miit-2025.txt");

/// The seed of the synthetic corpus.
const SEED: u64 = 2025;

/// Every tenth synthetic disclosure has a wrong table-1 total, so validation rejects it.
pub fn is_faulty(position: usize) -> bool {
    position % 10 == 3
}

/// The sample plus `synthetic` synthetic disclosures, as the bytes a department submits
/// (text exports). Built once per test binary for the largest request. `is_faulty(i)` says
/// whether the `i`-th synthetic one is faulty.
///
/// Each department files for one fiscal year only: the generator draws departments and years
/// independently, and two years of one department would be checked against each other (the
/// year-over-year rules, `Y.*`) with figures that were never meant to agree — rejected or not
/// depending on which was published first. Such a draw is skipped for the next one.
pub fn corpus(synthetic: usize) -> Vec<Vec<u8>> {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    let all = CORPUS.get_or_init(|| {
        let mut all = vec![SAMPLE.as_bytes().to_vec()];
        let mut year_of: HashMap<String, i32> =
            HashMap::from([("乌鲁木齐市工业和信息化局".to_owned(), 2025)]);
        for index in 0.. {
            if all.len() > 200 {
                break;
            }
            let mut doc = budgetflow_synth::document(SEED, index);
            let year = doc.identity.fiscal_year.get();
            if *year_of
                .entry(doc.identity.department.clone())
                .or_insert(year)
                != year
            {
                continue;
            }
            if is_faulty(all.len() - 1) {
                doc.tables.overall.as_mut().expect("table 1").revenue_total =
                    Some("999999.99".parse().expect("an amount"));
            }
            all.push(budgetflow_formats::text::write(&doc).into_bytes());
        }
        all
    });
    assert!(synthetic <= 200);
    all[..=synthetic].to_vec()
}

/// The envelopes of a corpus.
pub fn envelopes(corpus: &[Vec<u8>]) -> Vec<Envelope> {
    corpus
        .iter()
        .map(|bytes| submission(bytes).expect("the corpus is readable"))
        .collect()
}

/// Versions 1..=`count` of the sample, as a department correcting its title again and again
/// submits them (the ledger numbers them; here they are numbered as it would).
pub fn sample_versions(count: u32) -> Vec<Envelope> {
    (1..=count)
        .map(|version| {
            let text = SAMPLE.replacen(
                "\n2025 年部门预算公开\n",
                &format!("\n2025 年部门预算公开（第 {version} 版）\n"),
                1,
            );
            let mut envelope = submission(text.as_bytes()).expect("the sample is readable");
            envelope.version = version;
            envelope
        })
        .collect()
}

/// Submits envelopes and follows the ledger queue and the ledger's copy of the dead letters
/// (a submission its queue dead-lettered ends too).
pub struct Driver {
    pub transport: Arc<dyn Transport>,
    pub tracker: BatchTracker,
    /// Every (submission, event) seen on the ledger, with how often.
    pub events: HashMap<(Uuid, Event), u32>,
    feed: LedgerFeed,
}

impl Driver {
    /// Subscribes to the ledger queue and the ledger's dead letters (before anything is
    /// submitted, so nothing is missed).
    pub async fn new(transport: Arc<dyn Transport>) -> Driver {
        let feed = LedgerFeed::subscribe(transport.as_ref(), 64)
            .await
            .expect("subscribe to the ledger and its dead letters");
        Driver {
            transport,
            tracker: BatchTracker::new(),
            events: HashMap::new(),
            feed,
        }
    }

    /// Expects every envelope, then publishes them from a task while the ledger is followed
    /// (the in-memory queues are bounded: the ledger must drain while submitting).
    pub fn submit_all(&mut self, envelopes: Vec<Envelope>) -> tokio::task::JoinHandle<()> {
        for envelope in &envelopes {
            self.tracker.expect(envelope);
        }
        let transport = self.transport.clone();
        tokio::spawn(async move {
            for envelope in &envelopes {
                submit(transport.as_ref(), envelope)
                    .await
                    .expect("submitted");
            }
        })
    }

    /// Follows the ledger until at least `settled` submissions are settled.
    pub async fn until_settled(&mut self, settled: usize) {
        while self.tracker.len() - self.tracker.pending() < settled {
            let followed = within("ledger events", self.feed.next())
                .await
                .expect("the ledger queues are open");
            let seen = self
                .feed
                .record(followed, &mut self.tracker)
                .await
                .expect("ledger ack");
            if let Some(seen) = seen {
                *self.events.entry(seen).or_default() += 1;
            }
        }
    }

    /// Follows the ledger until every expected submission is settled.
    pub async fn until_all_settled(&mut self) {
        let all = self.tracker.len();
        self.until_settled(all).await;
    }

    /// How often `event` was seen for `submission`.
    pub fn seen(&self, submission: Uuid, event: Event) -> u32 {
        self.events.get(&(submission, event)).copied().unwrap_or(0)
    }

    pub async fn close(self) {
        self.feed.cancel().await;
    }
}

/// The department code a publication of `envelope` is filed under.
fn code_of(envelope: &Envelope) -> DepartmentCode {
    let doc =
        budgetflow_formats::json::read_str(envelope.document.as_ref().map_or("null", Part::json))
            .expect("the envelope carries a document");
    department_code(envelope, &doc).expect("a valid department code")
}

/// The page a publication of `envelope` is written to:
/// `<out>/<code>/<year>/<version>/index.html`.
pub fn page_of(out: &Path, envelope: &Envelope) -> PathBuf {
    let doc =
        budgetflow_formats::json::read_str(envelope.document.as_ref().map_or("null", Part::json))
            .expect("the envelope carries a document");
    let bundle = budgetflow_publish::bundle::render(&doc);
    Archive::new(out)
        .version_dir(&code_of(envelope), &bundle)
        .join(budgetflow_publish::bundle::PAGE)
}

/// Checks that every submission is published or rejected as its content says; that each
/// publication is complete in the archive (every artifact of its manifest, with its size;
/// the public form of its document); that the current one of each department and year is
/// of its highest submission version; that the site index lists every current publication;
/// and that nothing else is there (one version per publication, no temporary file).
pub fn assert_all_accounted(tracker: &BatchTracker, expected: &[Envelope], out: &Path) {
    assert_eq!(tracker.len(), expected.len());
    assert_eq!(tracker.pending(), 0);
    let archive = Archive::new(out);
    let mut pages = HashSet::new();
    // The highest submission version published for each department and year, with the
    // content versions published as it: one of them is current.
    let mut current: HashMap<(DepartmentCode, i32), (u32, HashSet<Version>)> = HashMap::new();
    let mut names: HashSet<String> = HashSet::new();
    for envelope in expected {
        let entry = tracker.get(envelope.submission_id).expect("expected");
        match &entry.state {
            State::Published { artifact } => {
                assert_eq!(entry.errors, Some(0), "{}", entry.department);
                let page = PathBuf::from(artifact);
                assert_eq!(page, page_of(out, envelope));
                let version_dir = page.parent().expect("a version directory");
                let manifest: Manifest = serde_json::from_slice(
                    &std::fs::read(version_dir.join(MANIFEST)).expect("the manifest"),
                )
                .expect("a manifest");
                for listed in &manifest.artifacts {
                    let bytes = std::fs::read(version_dir.join(&listed.path)).expect("artifact");
                    assert_eq!(bytes.len() as u64, listed.bytes, "{}", listed.path);
                }
                let doc = budgetflow_formats::json::read_str(
                    envelope.document.as_ref().map_or("null", Part::json),
                )
                .expect("a document");
                assert_eq!(
                    std::fs::read_to_string(version_dir.join(DOCUMENT_JSON)).expect("JSON"),
                    budgetflow_formats::json::write(&redacted(&doc))
                );
                let (highest, versions) = current
                    .entry((code_of(envelope), envelope.fiscal_year))
                    .or_default();
                if envelope.version > *highest {
                    *highest = envelope.version;
                    versions.clear();
                }
                if envelope.version == *highest {
                    versions.insert(manifest.version);
                }
                names.insert(doc.identity.department.clone());
                pages.insert(page);
            }
            State::Rejected => assert!(entry.errors.unwrap() > 0, "{}", entry.department),
            other => panic!("{}: {other:?}", entry.department),
        }
    }
    let versions = walk(out)
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|name| name == MANIFEST))
        .count();
    assert_eq!(versions, pages.len(), "one version per publication");
    let temporary: Vec<PathBuf> = walk(out)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert!(temporary.is_empty(), "{temporary:?}");
    for ((code, year), (highest, versions)) in &current {
        let pointer = archive.current(code, *year).expect("a current version");
        assert_eq!(pointer.submission_version, *highest, "{code} {year}");
        assert!(versions.contains(&pointer.version), "{code} {year}");
    }
    assert_eq!(archive.entries().len(), current.len());
    if !pages.is_empty() {
        let index = std::fs::read_to_string(out.join(SITE_INDEX)).expect("the site index");
        for department in &names {
            assert!(index.contains(department.as_str()), "{department}");
        }
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// How many of the corpus's synthetic disclosures are faulty.
pub fn faulty_among(synthetic: usize) -> usize {
    (0..synthetic).filter(|&i| is_faulty(i)).count()
}

/// The directory of the built binaries (`target/debug`), after building the stage binaries
/// and `budgetflow` once per test run.
pub fn binaries() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let exe = std::env::current_exe().expect("test executable");
        let debug = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/debug/deps")
            .to_owned();
        let target = debug.parent().expect("target").to_owned();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = std::process::Command::new(cargo)
            .args(["build", "--bins", "--manifest-path"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .args([
                "-p",
                "budgetflow-cli",
                "-p",
                "budgetflow-ingest",
                "-p",
                "budgetflow-validate",
                "-p",
                "budgetflow-score",
                "-p",
                "budgetflow-publish",
                "--features",
                "budgetflow-ingest/stage,budgetflow-validate/stage,budgetflow-score/stage,budgetflow-publish/stage",
            ])
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("cargo build");
        assert!(status.success(), "building the binaries failed");
        debug
    })
}
