//! The publication archive: the directory sink. Every version of every department's
//! disclosure stays addressable; a `current.json` pointer names the one the public reads.
//!
//! ```text
//! <root>/<code>/<year>/<version>/index.html, data/…   the bundle's artifacts
//! <root>/<code>/<year>/<version>/manifest.json        written last
//! <root>/<code>/<year>/current.json                   the current version
//! <root>/index.html                                   every department's current version
//! ```
//!
//! `<code>` is the department's [`DepartmentCode`] (registered, or derived from its name),
//! never its display name: the name is the index link's text, the code its `href`.
//!
//! A version is named by its content ([`Version`]), so a directory holding a version's
//! `manifest.json` holds all of it, and any file already in a version's directory has the
//! bytes the bundle would write. Publishing writes the missing artifacts (each atomically,
//! never over an existing one), then the manifest, then decides the pointer: a publication
//! interrupted anywhere is completed by the next attempt, and publishing the same content
//! again writes nothing at all.
//!
//! The newest submission wins, whatever order publications finish in: the pointer records
//! the [`SubmissionVersion`] it names, and a publication moves it only if its submission
//! version is at least that one (equal: the same submission again, or its content rendered
//! again). An older submission is still written as a version — it was accepted — but stays
//! out of the pointer and the index. The pointer carries the version's [`IndexEntry`]; after
//! each publication the site index is rebuilt from every pointer under the root
//! ([`site::index_page`], in the archive's language: Chinese unless [`Archive::with_lang`]
//! says otherwise) and written if it changed. Reading the pointer, deciding, and rewriting
//! the pointer happen under an exclusive lock on `<root>/.lock`, and so does each rebuild of
//! the index, so concurrent publishers (tasks, processes or replicas sharing the volume)
//! neither lose each other's update nor let an older submission overtake a newer one.
//!
//! A publication returns once the index lists it, but publications of one archive that
//! finish together share a rebuild ([`IndexRebuilds`]): the index is rebuilt from every
//! pointer, so one rebuild that begins after several pointers were written lists them all.
//! Under load that turns one read of every pointer and one write of the whole index per
//! publication into one per batch.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use budgetflow_model::{Document, Lang};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::bundle::{Bundle, PAGE};
use crate::directory::{replace, write_once, WriteError, Written};
use crate::manifest::{Manifest, Version, MANIFEST};
use crate::site::{self, IndexEntry};
use budgetflow_model::DepartmentCode;

/// The pointer's file name inside a department's year directory.
pub const CURRENT: &str = "current.json";

/// The site index's file name in the root.
pub const SITE_INDEX: &str = "index.html";

/// The lock file serialising pointer and index updates, in the root.
const LOCK: &str = ".lock";

/// Why a publication could not be written (transient for the stage: a full or unmounted
/// disk, a directory in the way).
#[derive(Debug, Error)]
pub enum ArchiveError {
    /// An artifact prints what the document carries about a classified project: nothing of
    /// the publication is written (permanent: the same document leaks again).
    #[error(transparent)]
    Leak(#[from] crate::leak::Leak),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("locking {path}: {source}")]
    Lock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Which submission of its department and year a publication is: the highest is current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmissionVersion {
    /// The ledger's version of the submission (the envelope's `version`).
    Numbered(u32),
    /// Newer than whatever is current, for publishing without a ledger (`budgetflow
    /// publish`): the current pointer's version if it names this very content (nothing
    /// changes), else one more (1 for the first), decided under the lock.
    NewerThanCurrent,
}

/// `current.json`: which version of a department's year is the current one. `page` and
/// `manifest` are relative to the year directory; the entry's `href` to the root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Current {
    /// The submission version of the publication named (0 in a pointer written before
    /// submission versions were recorded: any publication supersedes it).
    #[serde(default)]
    pub submission_version: u32,
    pub version: Version,
    pub page: String,
    pub manifest: String,
    pub entry: IndexEntry,
}

/// Where a publication went and what writing it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub version: Version,
    /// The submission version it was published as (resolved for
    /// [`SubmissionVersion::NewerThanCurrent`]).
    pub submission_version: u32,
    /// The version's public page.
    pub page: PathBuf,
    /// The version's manifest.
    pub manifest: PathBuf,
    /// Some file of the version was written now (false: it was complete already).
    pub written: bool,
    /// The pointer was rewritten to this publication now (false: it named it already, or a
    /// newer submission is current).
    pub made_current: bool,
    /// The pointer names this publication (false: a newer submission is current; this one
    /// is kept as a version but not shown on the index).
    pub current: bool,
    /// The site index.
    pub site_index: PathBuf,
}

/// A publication directory.
#[derive(Clone, Debug)]
pub struct Archive {
    root: PathBuf,
    lang: Lang,
    /// Shared by the archive's clones: the publications of one process.
    rebuilds: Arc<IndexRebuilds>,
}

/// The site index rebuilds of one process's publications. Each publication takes a ticket
/// once its pointer is written; a rebuild that begins after ticket `t` was taken reads
/// pointer `t`, so it lists that publication and every one before it.
#[derive(Debug, Default)]
struct IndexRebuilds {
    /// Tickets taken so far.
    taken: AtomicU64,
    /// The highest ticket the index lists; held while a rebuild runs.
    listed: Mutex<u64>,
}

impl IndexRebuilds {
    /// A ticket for a pointer written now.
    fn ticket(&self) -> u64 {
        self.taken.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Returns once the index lists `ticket`: at once if a rebuild that began after it was
    /// taken has finished, else after `rebuild` (waiting first for one already running).
    fn list(
        &self,
        ticket: u64,
        rebuild: impl FnOnce() -> Result<(), ArchiveError>,
    ) -> Result<(), ArchiveError> {
        let mut listed = self.listed.lock().unwrap_or_else(PoisonError::into_inner);
        if *listed >= ticket {
            return Ok(());
        }
        let lists = self.taken.load(Ordering::SeqCst);
        rebuild()?;
        *listed = lists;
        Ok(())
    }
}

impl Archive {
    /// The archive in `root`, its site index in Chinese.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Archive {
            root: root.into(),
            lang: Lang::Zh,
            rebuilds: Arc::default(),
        }
    }

    /// The same archive with its site index in `lang` (the pages are rendered by the caller:
    /// render them in the same language, [`crate::bundle::render_in`]).
    pub fn with_lang(self, lang: Lang) -> Self {
        Archive { lang, ..self }
    }

    /// The language of the site index.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/<code>/<year>`.
    pub fn year_dir(&self, code: &DepartmentCode, fiscal_year: i32) -> PathBuf {
        self.root.join(code.as_str()).join(fiscal_year.to_string())
    }

    /// The directory a bundle's version of department `code` is written to.
    pub fn version_dir(&self, code: &DepartmentCode, bundle: &Bundle) -> PathBuf {
        let manifest = Manifest::of(bundle);
        self.year_dir(code, bundle.fiscal_year)
            .join(manifest.version.as_str())
    }

    /// The current version of a department's year, if one was published.
    pub fn current(&self, code: &DepartmentCode, fiscal_year: i32) -> Option<Current> {
        read_pointer(&self.year_dir(code, fiscal_year))
    }

    /// Writes `bundle`, the rendering of `doc` ([`crate::bundle::render`]), as a version of
    /// department `code` (unless it is complete already), makes it current unless a higher
    /// submission version is, and rebuilds the site index. A bundle in which any artifact
    /// prints a classified project's withheld detail ([`crate::leak::check`]) is refused before
    /// anything is written, whatever the validator said: every path to the archive (the
    /// stage, `budgetflow publish`, `serve`) and, after it, the portal go through here.
    pub fn publish(
        &self,
        doc: &Document,
        bundle: &Bundle,
        code: &DepartmentCode,
        submission: SubmissionVersion,
    ) -> Result<Published, ArchiveError> {
        crate::leak::check(doc, bundle)?;
        let manifest = Manifest::of(bundle);
        let year_dir = self.year_dir(code, bundle.fiscal_year);
        let version_dir = year_dir.join(manifest.version.as_str());
        let mut written = false;
        if !version_dir.join(MANIFEST).is_file() {
            for artifact in &bundle.artifacts {
                let created = write_once(&version_dir, &artifact.path, &artifact.bytes)?;
                written |= matches!(created, Written::Created(_));
            }
            let created = write_once(&version_dir, MANIFEST, manifest.to_json().as_bytes())?;
            written |= matches!(created, Written::Created(_));
        }
        let version = manifest.version;
        let href = format!("{code}/{}/{version}/{PAGE}", bundle.fiscal_year);
        let entry = IndexEntry::of(doc, &href);

        let lock = self.lock()?;
        let there = read_pointer(&year_dir);
        let submission_version = match (submission, &there) {
            (SubmissionVersion::Numbered(number), _) => number,
            (SubmissionVersion::NewerThanCurrent, None) => 1,
            (SubmissionVersion::NewerThanCurrent, Some(there)) if there.version == version => {
                there.submission_version
            }
            (SubmissionVersion::NewerThanCurrent, Some(there)) => {
                there.submission_version.saturating_add(1)
            }
        };
        let current = there
            .as_ref()
            .is_none_or(|there| submission_version >= there.submission_version);
        let made_current = current && {
            let pointer = Current {
                submission_version,
                page: format!("{version}/{PAGE}"),
                manifest: format!("{version}/{MANIFEST}"),
                version: version.clone(),
                entry,
            };
            let json = serde_json::to_string_pretty(&pointer).expect("a pointer serialises") + "\n";
            replace(&year_dir, CURRENT, json.as_bytes())?
        };
        drop(lock);
        let ticket = self.rebuilds.ticket();
        self.rebuilds.list(ticket, || {
            let _lock = self.lock()?;
            let index = site::index_page(&self.entries(), self.lang);
            replace(&self.root, SITE_INDEX, index.as_bytes())?;
            Ok(())
        })?;
        Ok(Published {
            site_index: self.root.join(SITE_INDEX),
            page: version_dir.join(PAGE),
            manifest: version_dir.join(MANIFEST),
            version,
            submission_version,
            written,
            made_current,
            current,
        })
    }

    /// The index entry of every department's current version, by department and year. Only
    /// directories named by a department code are read: a tree in the layout before codes
    /// (directories named by department name) is not listed; republish it.
    pub fn entries(&self) -> Vec<IndexEntry> {
        let mut entries: Vec<IndexEntry> = subdirectories(&self.root)
            .filter(|department| {
                department
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| DepartmentCode::new(name).is_ok())
            })
            .flat_map(|department| subdirectories(&department))
            .filter_map(|year| read_pointer(&year))
            .map(|current| current.entry)
            .collect();
        entries.sort_by(|a, b| {
            (a.department.as_str(), a.fiscal_year, a.href.as_str()).cmp(&(
                b.department.as_str(),
                b.fiscal_year,
                b.href.as_str(),
            ))
        });
        entries
    }

    /// Holds the root's lock until dropped.
    fn lock(&self) -> Result<std::fs::File, ArchiveError> {
        let path = self.root.join(LOCK);
        let error = |source| ArchiveError::Lock {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&self.root).map_err(error)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(error)?;
        file.lock().map_err(error)?;
        Ok(file)
    }
}

/// The pointer in `year_dir`, if there is a readable one (an unreadable one is replaced by
/// the next publication).
fn read_pointer(year_dir: &Path) -> Option<Current> {
    serde_json::from_slice(&std::fs::read(year_dir.join(CURRENT)).ok()?).ok()
}

fn subdirectories(dir: &Path) -> impl Iterator<Item = PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .map(|entry| entry.path())
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn publications_whose_pointers_were_written_before_a_rebuild_began_share_it() {
        let rebuilds = IndexRebuilds::default();
        let count = Cell::new(0);
        let rebuild = || {
            count.set(count.get() + 1);
            Ok(())
        };
        let together: Vec<u64> = (0..3).map(|_| rebuilds.ticket()).collect();
        for ticket in together {
            rebuilds.list(ticket, rebuild).unwrap();
        }
        assert_eq!(count.get(), 1, "three pointers, one rebuild");
        let later = rebuilds.ticket();
        rebuilds.list(later, rebuild).unwrap();
        assert_eq!(
            count.get(),
            2,
            "a pointer written after it needs one of its own"
        );
    }

    #[test]
    fn a_failed_rebuild_lists_nothing_and_the_next_publication_rebuilds() {
        let rebuilds = IndexRebuilds::default();
        let ticket = rebuilds.ticket();
        let failed = rebuilds.list(ticket, || {
            Err(ArchiveError::Lock {
                path: PathBuf::from(".lock"),
                source: std::io::Error::other("disk gone"),
            })
        });
        assert!(failed.is_err());
        let count = Cell::new(0);
        rebuilds
            .list(ticket, || {
                count.set(count.get() + 1);
                Ok(())
            })
            .unwrap();
        assert_eq!(count.get(), 1);
    }
}
