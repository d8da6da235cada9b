//! No artifact of a publication gives away what a classified project (特定目标 XXXXXXXX)
//! withholds. A document may reach the publisher carrying more than the public text (read
//! from JSON an upstream system wrote, with the real policy basis, implementer, allocation,
//! period and performance targets); each such detail is planted here as a marked string and
//! every artifact of the bundle — page, public JSON, CSVs, data package, the workbook
//! unzipped — is scanned for it.

use budgetflow_model::narrative::{Allocation, AllocationItem, Disclosed, Period};
use budgetflow_model::{Block, Document};
use budgetflow_publish::bundle;

use super::sample;

/// Marks every withheld detail of every classified project with a string that must not be
/// published, and adds a full performance-target table for each; returns the strings.
fn plant_withheld_details(doc: &mut Document) -> Vec<String> {
    let template = doc
        .narrative
        .project_targets()
        .next()
        .cloned()
        .expect("the document has a project performance table");
    let mut forbidden = Vec::new();
    for section in &mut doc.narrative.sections {
        let mut targets = Vec::new();
        for block in &mut section.blocks {
            let Block::Project(p) = block else { continue };
            let Some(code) = p.name.classified_code().map(str::to_string) else {
                continue;
            };
            let secret = |what: &str| format!("机密{what}{code}");
            p.policy_basis = Disclosed::Stated(secret("政策依据"));
            p.implementer = Some(secret("承担单位"));
            p.allocation = Disclosed::Stated(Allocation {
                text: secret("分配对象"),
                items: vec![AllocationItem {
                    purpose: secret("分配用途"),
                    amount: "1.00".parse().unwrap(),
                }],
            });
            p.period = Disclosed::Stated(Period {
                text: secret("执行时间"),
                start: None,
                end: None,
            });
            let mut t = template.clone();
            t.project = p.name.as_str().to_string();
            t.budget_unit = secret("预算单位");
            t.manager = Some(secret("负责人"));
            t.goal = secret("绩效目标");
            for (i, indicator) in t.indicators.iter_mut().enumerate() {
                indicator.level3 = secret(&format!("指标{i}"));
            }
            forbidden.extend(
                [
                    "政策依据",
                    "承担单位",
                    "分配对象",
                    "分配用途",
                    "执行时间",
                    "预算单位",
                    "负责人",
                    "绩效目标",
                    "指标0",
                ]
                .map(secret),
            );
            targets.push(Block::ProjectTargets(t));
        }
        section.blocks.extend(targets);
    }
    forbidden
}

/// Synthetic documents with classified projects.
fn synthetic_with_classified_projects() -> Vec<Document> {
    let docs: Vec<Document> = (0..40)
        .map(|i| budgetflow_synth::document(7, i))
        .filter(|d| d.narrative.projects().any(|p| p.name.is_classified()))
        .take(4)
        .collect();
    assert!(docs.len() >= 2, "the synthesizer makes classified projects");
    docs
}

/// What a reader of the artifact could see: the text itself, or every entry of a workbook
/// unzipped (its XML holds the cells' strings as they are).
fn readable(path: &str, bytes: &[u8]) -> String {
    if !path.ends_with(".xlsx") {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the workbook is a zip archive");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).expect("the entry unzips");
        text.push_str(&String::from_utf8_lossy(&content));
    }
    assert!(text.contains("特定目标"), "{path} was unzipped");
    text
}

fn assert_nothing_withheld_is_published(doc: &Document, forbidden: &[String]) {
    assert!(!forbidden.is_empty());
    let bundle = bundle::render(doc);
    assert!(bundle.artifacts.len() >= 14);
    assert!(bundle.get("data/workbook.xlsx").is_some());
    for artifact in &bundle.artifacts {
        let text = readable(&artifact.path, &artifact.bytes);
        for secret in forbidden {
            assert!(
                !text.contains(secret.as_str()),
                "{} of {} publishes the withheld `{secret}`",
                artifact.path,
                doc.identity.department
            );
        }
    }
    // the classified projects are still there by their codes, with their amounts
    let page = String::from_utf8_lossy(&bundle.get("index.html").unwrap().bytes).into_owned();
    let projects_csv =
        String::from_utf8_lossy(&bundle.get("data/table-07.csv").unwrap().bytes).into_owned();
    for p in doc.narrative.projects() {
        if let Some(code) = p.name.classified_code() {
            assert!(page.contains(&format!("特定目标 {code}")), "{code}");
            assert!(projects_csv.contains(code), "{code} in 表7 CSV");
        }
    }
}

#[test]
fn the_sample_publishes_nothing_a_classified_project_withholds() {
    let mut doc = sample();
    let forbidden = plant_withheld_details(&mut doc);
    assert_eq!(forbidden.len(), 3 * 9, "three classified projects in §七");
    // the document as read does carry them: without redaction the JSON would publish them
    let unredacted = budgetflow_formats::json::write(&doc);
    assert!(forbidden.iter().all(|s| unredacted.contains(s.as_str())));
    assert_nothing_withheld_is_published(&doc, &forbidden);
}

#[test]
fn synthetic_documents_publish_nothing_a_classified_project_withholds() {
    for mut doc in synthetic_with_classified_projects() {
        let forbidden = plant_withheld_details(&mut doc);
        assert_nothing_withheld_is_published(&doc, &forbidden);
    }
}

#[test]
fn the_public_json_is_the_document_with_classified_details_withheld() {
    let mut doc = sample();
    plant_withheld_details(&mut doc);
    let bundle = bundle::render(&doc);
    let json = String::from_utf8(bundle.get("data/document.json").unwrap().bytes.clone()).unwrap();
    let public = budgetflow_formats::json::read_str(&json).expect("the public JSON reads back");
    // tables are untouched: every amount of a classified row is still published
    assert_eq!(public.tables, doc.tables);
    for (p, original) in public.narrative.projects().zip(doc.narrative.projects()) {
        assert_eq!(p.amount, original.amount);
        if p.name.is_classified() {
            assert!(p.policy_basis.is_withheld() && p.allocation.is_withheld());
            assert!(p.period.is_withheld() && p.implementer.is_none());
        } else {
            assert_eq!(p, original, "an unclassified project is published whole");
        }
    }
    for t in public.narrative.project_targets() {
        if budgetflow_model::tables::ProjectName::new(t.project.as_str()).is_classified() {
            assert!(t.indicators.is_empty());
            assert_eq!(t.goal, "完全不予公开");
        }
    }
}
