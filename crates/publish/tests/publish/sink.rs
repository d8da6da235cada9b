//! The directory sink (the archive): the sample published as a version with its manifest,
//! re-published without a file being touched, replaced by a new version that leaves the old
//! one where it was, completed after an interrupted publication, and listed on the site index.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use budgetflow_model::Document;
use budgetflow_publish::archive::{Archive, CURRENT, SITE_INDEX};
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

fn publish(archive: &Archive, doc: &Document) -> budgetflow_publish::archive::Published {
    archive.publish(doc, &bundle::render(doc)).unwrap()
}

#[test]
fn the_sample_is_published_as_a_version_whose_manifest_lists_every_artifact() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = sample();
    let bundle = bundle::render(&doc);
    let published = archive.publish(&doc, &bundle).unwrap();
    assert!(published.written && published.made_current);

    let year_dir = out.path().join(DEPARTMENT).join("2025");
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

    let current = archive.current(DEPARTMENT, 2025).unwrap();
    assert_eq!(current.version, published.version);
    assert!(year_dir.join(&current.page).is_file());
    assert!(year_dir.join(&current.manifest).is_file());
    assert_eq!(
        current.entry.href,
        format!("{DEPARTMENT}/2025/{}/index.html", published.version)
    );

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
    assert_eq!(snapshot(out.path()), before, "no file rewritten or added");
}

#[test]
fn a_new_version_becomes_current_and_the_old_one_stays_addressable() {
    let out = tempfile::tempdir().unwrap();
    let archive = Archive::new(out.path());
    let doc = sample();
    let first = publish(&archive, &doc);
    let old_page = std::fs::read(&first.page).unwrap();

    let mut amended = doc.clone();
    amended.identity.title = "2025 年部门预算公开（更正）".to_owned();
    let second = publish(&archive, &amended);
    assert_ne!(second.version, first.version);
    assert!(second.written && second.made_current);

    assert_eq!(std::fs::read(&first.page).unwrap(), old_page);
    assert!(first.manifest.is_file());
    let current = archive.current(DEPARTMENT, 2025).unwrap();
    assert_eq!(current.version, second.version);

    let entries = archive.entries();
    assert_eq!(entries.len(), 1, "one entry per department and year");
    assert!(entries[0].href.contains(second.version.as_str()));
    assert!(entries[0].title.contains("更正"));
    let index = std::fs::read_to_string(out.path().join(SITE_INDEX)).unwrap();
    assert!(index.contains(second.version.as_str()));
    assert!(!index.contains(first.version.as_str()));

    // Publishing the first content again makes it current again, writing only the pointer
    // and the index.
    let before = snapshot(
        &out.path()
            .join(DEPARTMENT)
            .join("2025")
            .join(first.version.as_str()),
    );
    let back = publish(&archive, &doc);
    assert!(!back.written && back.made_current);
    assert_eq!(
        snapshot(
            &out.path()
                .join(DEPARTMENT)
                .join("2025")
                .join(first.version.as_str())
        ),
        before
    );
    assert_eq!(
        archive.current(DEPARTMENT, 2025).unwrap().version,
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
    std::fs::remove_file(out.path().join(DEPARTMENT).join("2025").join(CURRENT)).unwrap();
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
fn departments_published_concurrently_are_all_on_the_site_index() {
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
            scope.spawn(move || publish(&archive, doc));
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
