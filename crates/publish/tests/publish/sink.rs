//! The directory sink (the archive): the sample published as a version with its manifest
//! under its department's code, re-published without a file being touched, replaced by a new
//! version that leaves the old one where it was, completed after an interrupted publication,
//! and listed on the site index; departments whose names differ only in characters a path or
//! a URL treats specially kept apart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use budgetflow_model::DepartmentCode;
use budgetflow_model::Document;
use budgetflow_publish::archive::{Archive, SubmissionVersion, CURRENT, SITE_INDEX};
use budgetflow_publish::bundle::{self, DOCUMENT_JSON, PAGE};
use budgetflow_publish::manifest::{Manifest, MANIFEST};
use sha2::{Digest, Sha256};

use crate::sample;

const DEPARTMENT: &str = "乌鲁木齐市工业和信息化局";

/// Every file under `dir` with its modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, SystemTime> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(snapshot(&path));
        } else {
            let modified = entry.metadata().unwrap().modified().unwrap();
            files.insert(path, modified);
        }
    }
    files
}

fn code() -> DepartmentCode {
    DepartmentCode::derived(DEPARTMENT)
}

/// Publishes `doc` as `budgetflow publish` does: under the code derived from its name, newer
/// than whatever is current.
fn publish(archive: &Archive, doc: &Document) -> budgetflow_publish::archive::Published {
    let code = DepartmentCode::derived(&doc.identity.department);
    archive
        .publish(
            doc,
            &bundle::render(doc),
            &code,
            SubmissionVersion::NewerThanCurrent,
        )
        .unwrap()
}

/// Publishes `doc` under [`code`] as submission `version`, as the stage does.
fn publish_as(
    archive: &Archive,
    doc: &Document,
    version: u32,
) -> budgetflow_publish::archive::Published {
    archive
        .publish(
            doc,
            &bundle::render(doc),
            &code(),
            SubmissionVersion::Numbered(version),
        )
        .unwrap()
}

/// `doc` corrected: another title, so another version of the same department and year.
fn amended(doc: &Document) -> Document {
    let mut amended = doc.clone();
    amended.identity.title = "2025 年部门预算公开（更正）".to_owned();
    amended
}

#[test]
fn the_sample_is_published_as_a_version_whose_manifest_lists_every_artifact() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = sample();
    let bundle = bundle::render(&doc);
    let published = archive
        .publish(&doc, &bundle, &code(), SubmissionVersion::Numbered(1))
        .unwrap();
    assert!(published.written && published.made_current && published.current);
    assert_eq!(published.submission_version, 1);

    let year_dir = out.path().join(code().as_str()).join("2025");
    let version_dir = year_dir.join(published.version.as_str());
    assert_eq!(published.page, version_dir.join(PAGE));
    assert_eq!(published.manifest, version_dir.join(MANIFEST));

    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(&published.manifest).unwrap()).unwrap();
    assert_eq!(manifest.version, published.version);
    assert_eq!(manifest.department, DEPARTMENT);
    assert_eq!(manifest.artifacts.len(), bundle.artifacts.len());
    for listed in &manifest.artifacts {
        let bytes = std::fs::read(version_dir.join(&listed.path)).unwrap();
        assert_eq!(bytes.len() as u64, listed.bytes, "{}", listed.path);
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            listed.sha256,
            "{}",
            listed.path
        );
        let artifact = bundle.get(&listed.path).unwrap();
        assert_eq!(artifact.media_type, listed.media_type);
    }
    // Nothing in the version that the manifest does not list.
    let files = snapshot(&version_dir);
    assert_eq!(files.len(), manifest.artifacts.len() + 1);

    let current = archive.current(&code(), 2025).unwrap();
    assert_eq!(current.version, published.version);
    assert_eq!(current.submission_version, 1);
    assert!(year_dir.join(&current.page).is_file());
    assert!(year_dir.join(&current.manifest).is_file());
    assert_eq!(
        current.entry.href,
        format!("{}/2025/{}/index.html", code(), published.version),
        "the link is built from the code, not the name"
    );
    assert_eq!(current.entry.department, DEPARTMENT, "the name is its text");

    let index = std::fs::read_to_string(out.path().join(SITE_INDEX)).unwrap();
    assert!(index.contains(DEPARTMENT));
    assert!(index.contains(&current.entry.href));
}

#[test]
fn publishing_the_same_content_again_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = sample();
    let first = publish(&archive, &doc);
    let before = snapshot(out.path());
    std::thread::sleep(std::time::Duration::from_millis(20));

    let again = publish(&archive, &doc);
    assert_eq!(again.version, first.version);
    assert!(!again.written);
    assert!(!again.made_current);
    assert!(again.current);
    assert_eq!(again.submission_version, first.submission_version);
    assert_eq!(snapshot(out.path()), before, "no file rewritten or added");
}

#[test]
fn a_new_version_becomes_current_and_the_old_one_stays_addressable() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = sample();
    let first = publish(&archive, &doc);
    let old_page = std::fs::read(&first.page).unwrap();

    let amended = amended(&doc);
    let second = publish(&archive, &amended);
    assert_ne!(second.version, first.version);
    assert!(second.written && second.made_current);
    assert_eq!(second.submission_version, first.submission_version + 1);

    assert_eq!(std::fs::read(&first.page).unwrap(), old_page);
    assert!(first.manifest.is_file());
    let current = archive.current(&code(), 2025).unwrap();
    assert_eq!(current.version, second.version);

    let entries = archive.entries();
    assert_eq!(entries.len(), 1, "one entry per department and year");
    assert!(entries[0].href.contains(second.version.as_str()));
    assert!(entries[0].title.contains("更正"));
    let index = std::fs::read_to_string(out.path().join(SITE_INDEX)).unwrap();
    assert!(index.contains(second.version.as_str()));
    assert!(!index.contains(first.version.as_str()));

    // Publishing the first content again without a ledger is a newer publication: it is
    // current again, and only the pointer and the index are written.
    let first_dir = out
        .path()
        .join(code().as_str())
        .join("2025")
        .join(first.version.as_str());
    let before = snapshot(&first_dir);
    let back = publish(&archive, &doc);
    assert!(!back.written && back.made_current);
    assert_eq!(back.submission_version, second.submission_version + 1);
    assert_eq!(snapshot(&first_dir), before);
    assert_eq!(
        archive.current(&code(), 2025).unwrap().version,
        first.version
    );
}

#[test]
fn an_interrupted_publication_is_completed_and_what_was_written_is_kept() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = sample();
    let published = publish(&archive, &doc);
    let version_dir = published.page.parent().unwrap().to_owned();
    // As if the writer died after the page: the rest, the manifest and the pointer missing.
    std::fs::remove_file(&published.manifest).unwrap();
    std::fs::remove_file(version_dir.join(DOCUMENT_JSON)).unwrap();
    std::fs::remove_file(out.path().join(code().as_str()).join("2025").join(CURRENT)).unwrap();
    let page_written = std::fs::metadata(&published.page)
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));

    let retried = publish(&archive, &doc);
    assert_eq!(retried.version, published.version);
    assert!(retried.written && retried.made_current);
    assert!(published.manifest.is_file());
    assert_eq!(
        std::fs::read_to_string(version_dir.join(DOCUMENT_JSON)).unwrap(),
        budgetflow_formats::json::write(&budgetflow_publish::open_data::redacted(&doc))
    );
    assert_eq!(
        std::fs::metadata(&published.page)
            .unwrap()
            .modified()
            .unwrap(),
        page_written,
        "the page already there is not rewritten"
    );
}

#[test]
fn departments_published_concurrently_are_each_on_the_site_index_when_their_publication_returns() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let docs: Vec<Document> = (0..8)
        .map(|i| {
            let mut doc = budgetflow_synth::document(5, i);
            doc.identity.department = format!("测试单位{i}");
            doc
        })
        .collect();
    std::thread::scope(|scope| {
        for doc in &docs {
            let archive = archive.clone();
            let index = out.path().join(SITE_INDEX);
            scope.spawn(move || {
                publish(&archive, doc);
                let listed = std::fs::read_to_string(index).unwrap();
                assert!(listed.contains(&doc.identity.department));
            });
        }
    });
    let entries = archive.entries();
    assert_eq!(entries.len(), docs.len());
    let index = std::fs::read_to_string(out.path().join(SITE_INDEX)).unwrap();
    for doc in &docs {
        assert!(index.contains(&doc.identity.department));
    }
    let temporary = snapshot(out.path())
        .into_keys()
        .filter(|path| path.extension().is_some_and(|e| e == "tmp"))
        .count();
    assert_eq!(temporary, 0);
}

#[test]
fn a_department_name_cannot_escape_the_publication_directory() {
    let out = tempfile::tempdir().unwrap();
    let root = out.path().join("site");
    let archive = Archive::new(&root);
    let mut doc = budgetflow_synth::document(5, 1);
    doc.identity.department = "../../etc".to_owned();
    let published = publish(&archive, &doc);
    assert!(
        published.page.starts_with(&root),
        "{}",
        published.page.display()
    );
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
}

/// `doc` under another department name.
fn named(name: &str) -> Document {
    let mut doc = budgetflow_synth::document(5, 1);
    doc.identity.department = name.to_owned();
    doc
}

#[test]
fn names_differing_only_in_path_or_url_characters_get_their_own_directories() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let names = [
        "测试局a_b",
        "测试局a/b",
        "测试局a\\b",
        "测试局a#b",
        "测试局a?b",
        "测试局a%b",
        ".测试局ab",
        "_测试局ab",
    ];
    let pages: Vec<PathBuf> = names
        .iter()
        .map(|name| publish(&archive, &named(name)).page)
        .collect();
    let directories = std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .count();
    assert_eq!(directories, names.len());
    for page in &pages {
        assert!(page.is_file(), "{}", page.display());
    }
    let entries = archive.entries();
    let mut listed: Vec<&str> = entries.iter().map(|e| e.department.as_str()).collect();
    listed.sort_unstable();
    let mut expected = names.to_vec();
    expected.sort_unstable();
    assert_eq!(listed, expected, "every department stays on the index");
    for entry in &entries {
        let code = entry.href.split('/').next().unwrap();
        assert!(DepartmentCode::new(code).is_ok(), "{}", entry.href);
        assert!(entry.href.is_ascii(), "{}", entry.href);
    }
}

#[test]
fn a_registered_code_names_the_directory_and_the_link_whatever_the_name() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = named("javascript:alert(document.domain)<!--");
    let code = DepartmentCode::new("miit").unwrap();
    let published = archive
        .publish(
            &doc,
            &bundle::render(&doc),
            &code,
            SubmissionVersion::Numbered(3),
        )
        .unwrap();
    let year = doc.identity.fiscal_year.get();
    assert!(published
        .page
        .starts_with(out.path().join("miit").join(year.to_string())));
    let entries = archive.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].href,
        format!("miit/{year}/{}/index.html", published.version)
    );
    assert_eq!(entries[0].department, doc.identity.department);
}

#[test]
fn an_older_submission_redelivered_after_a_newer_one_changes_nothing_shown() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = sample();
    let amended = amended(&doc);
    publish_as(&archive, &doc, 1);
    let second = publish_as(&archive, &amended, 2);
    assert!(second.current);
    let pointer = out.path().join(code().as_str()).join("2025").join(CURRENT);
    let pointer_before = std::fs::read(&pointer).unwrap();
    let index_before = std::fs::read(out.path().join(SITE_INDEX)).unwrap();

    let late = publish_as(&archive, &doc, 1);
    assert!(!late.written, "version 1 is complete already");
    assert!(!late.made_current && !late.current);
    assert_eq!(std::fs::read(&pointer).unwrap(), pointer_before);
    assert_eq!(
        std::fs::read(out.path().join(SITE_INDEX)).unwrap(),
        index_before
    );

    // The same submission again (a redelivery) is idempotent and stays current.
    let again = publish_as(&archive, &amended, 2);
    assert!(again.current && !again.made_current && !again.written);
    assert_eq!(std::fs::read(&pointer).unwrap(), pointer_before);
}

#[test]
fn an_older_submission_finishing_first_is_written_but_not_shown() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = sample();
    let amended = amended(&doc);
    let newer = publish_as(&archive, &amended, 2);
    let older = publish_as(&archive, &doc, 1);
    assert!(older.written, "an accepted submission is kept as a version");
    assert!(older.manifest.is_file());
    assert!(!older.current && !older.made_current);
    let current = archive.current(&code(), 2025).unwrap();
    assert_eq!(
        (&current.version, current.submission_version),
        (&newer.version, 2)
    );
    let index = std::fs::read_to_string(out.path().join(SITE_INDEX)).unwrap();
    assert!(index.contains(newer.version.as_str()));
    assert!(!index.contains(older.version.as_str()));
}

#[test]
fn a_pointer_from_before_submission_versions_is_superseded_and_old_layouts_are_not_listed() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = sample();
    let first = publish_as(&archive, &doc, 1);
    // A pointer as written before submission versions were recorded, and a department
    // directory named by the department's name, as the layout before codes had it.
    let year_dir = out.path().join(code().as_str()).join("2025");
    let mut pointer: serde_json::Value =
        serde_json::from_slice(&std::fs::read(year_dir.join(CURRENT)).unwrap()).unwrap();
    pointer
        .as_object_mut()
        .unwrap()
        .remove("submission_version");
    std::fs::write(year_dir.join(CURRENT), pointer.to_string()).unwrap();
    assert_eq!(
        archive.current(&code(), 2025).unwrap().submission_version,
        0
    );
    let old_layout = out.path().join(DEPARTMENT).join("2025");
    std::fs::create_dir_all(&old_layout).unwrap();
    std::fs::write(old_layout.join(CURRENT), pointer.to_string()).unwrap();

    let amended = amended(&doc);
    let lowest = publish_as(&archive, &amended, 0);
    assert!(lowest.current, "equal to an unversioned pointer: current");
    assert_ne!(lowest.version, first.version);
    let entries = archive.entries();
    assert_eq!(entries.len(), 1, "the old layout's pointer is not listed");
    assert!(entries[0].href.contains(lowest.version.as_str()));
}
