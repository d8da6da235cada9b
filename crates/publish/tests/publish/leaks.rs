//! The publisher's own look for classified details (`leak::check`), independent of the
//! validator: the sample's 特定目标 10100021 carries its real name (its allocation and a
//! full target table, as an upstream system's JSON may); put in each publishable place in
//! turn, the name reaches some artifact of the rendered bundle, and the bundle is refused with
//! the artifact, the offset and the withheld field. Carried and printed nowhere else, it is
//! withheld by the renderers and the bundle passes.

use budgetflow_model::narrative::{Allocation, AllocationItem, Disclosed, Paragraph};
use budgetflow_model::{Block, Document, SectionTopic};
use budgetflow_publish::bundle::{self, Bundle};
use budgetflow_publish::leak::{self, Found, Leak};

use super::sample;

const CLASSIFIED: &str = "特定目标 10100021";
const REAL_NAME: &str = "天山保密专网";
const PUBLIC_PROJECT: &str = "2024年度“小升规”专项奖补资金";

/// The sample, 特定目标 10100021 carrying `real_name` as its allocation's purpose and as its
/// target table's goal (the table copied from a public project's).
fn carrying(real_name: &str) -> Document {
    let mut doc = sample();
    let template = doc
        .narrative
        .project_targets()
        .find(|t| t.project == PUBLIC_PROJECT)
        .cloned()
        .expect("the sample has the public project's targets");
    for section in &mut doc.narrative.sections {
        let mut carried = None;
        for block in &mut section.blocks {
            let Block::Project(p) = block else { continue };
            if p.name.as_str() != CLASSIFIED {
                continue;
            }
            p.allocation = Disclosed::Stated(Allocation {
                text: "全部用于专网建设。".into(),
                items: vec![AllocationItem {
                    purpose: real_name.into(),
                    amount: "1,000.00".parse().unwrap(),
                }],
            });
            let mut t = template.clone();
            t.project = CLASSIFIED.into();
            t.goal = format!("建成{real_name}，覆盖全市。");
            carried = Some(Block::ProjectTargets(t));
        }
        section.blocks.extend(carried);
    }
    doc
}

fn first_paragraph(doc: &mut Document, topic: SectionTopic) -> &mut Paragraph {
    doc.narrative
        .sections
        .iter_mut()
        .find(|s| s.topic == Some(topic))
        .and_then(|s| {
            s.blocks.iter_mut().find_map(|b| match b {
                Block::Paragraph(p) => Some(p),
                _ => None,
            })
        })
        .unwrap_or_else(|| panic!("a paragraph in {topic:?}"))
}

/// The 表7 row of the public project 节能监察工作经费 renamed `name`.
fn rename_public_project(doc: &mut Document, name: &str) {
    let t7 = doc.tables.projects.as_mut().unwrap();
    let row = t7
        .rows
        .iter_mut()
        .find(|r| {
            r.project
                .as_ref()
                .is_some_and(|p| p.as_str() == "节能监察工作经费")
        })
        .unwrap();
    row.project = Some(budgetflow_model::tables::ProjectName::new(name));
}

fn mention(text: &mut String) {
    text.push_str(&format!("其中包括{REAL_NAME}。"));
}

fn public_targets(doc: &mut Document) -> &mut budgetflow_model::performance::ProjectTargets {
    doc.narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .find_map(|b| match b {
            Block::ProjectTargets(t) if t.project == PUBLIC_PROJECT => Some(t),
            _ => None,
        })
        .unwrap()
}

type Plant = fn(&mut Document);

/// Each publishable place, and how the name is put there.
fn places() -> Vec<(&'static str, Plant)> {
    vec![
        ("a paragraph", |d| {
            mention(&mut first_paragraph(d, SectionTopic::Expenditure).text)
        }),
        ("what a sentence states (the public JSON keeps it)", |d| {
            first_paragraph(d, SectionTopic::Overall).statements[0].reason = Some(REAL_NAME.into())
        }),
        ("another project's description", |d| {
            let p = d
                .narrative
                .sections
                .iter_mut()
                .flat_map(|s| s.blocks.iter_mut())
                .find_map(|b| match b {
                    Block::Project(p) if !p.name.is_classified() => Some(p),
                    _ => None,
                })
                .unwrap();
            p.implementer = Some(format!("{REAL_NAME}建设办公室"));
        }),
        ("another project's goal", |d| {
            mention(&mut public_targets(d).goal)
        }),
        ("another project's indicator", |d| {
            public_targets(d).indicators[0].level3 = format!("{REAL_NAME}节点数")
        }),
        ("the department-wide targets", |d| {
            let t = d
                .narrative
                .sections
                .iter_mut()
                .flat_map(|s| s.blocks.iter_mut())
                .find_map(|b| match b {
                    Block::DepartmentTargets(t) => Some(t),
                    _ => None,
                })
                .unwrap();
            mention(&mut t.goal);
        }),
        ("other matters", |d| {
            mention(&mut first_paragraph(d, SectionTopic::OtherMatters).text)
        }),
        ("the glossary", |d| mention(&mut d.glossary[0].definition)),
        ("the overview", |d| {
            mention(&mut d.overview.functions_text[0])
        }),
        ("a project name in 表7", |d| {
            rename_public_project(d, &format!("{REAL_NAME}运维"));
        }),
        ("a row name in 表3", |d| {
            let row = &mut d.tables.expenditure.as_mut().unwrap().rows[1];
            row.name = format!("{}（{REAL_NAME}）", row.name);
        }),
        ("a note under 表8", |d| {
            mention(&mut d.tables.gov_fund.as_mut().unwrap().header.notes[0])
        }),
        ("the cover", |d| mention(&mut d.identity.title)),
    ]
}

fn refused(doc: &Document, bundle: &Bundle, what: &str) -> Found {
    match leak::check(doc, bundle) {
        Err(Leak::Found(found)) => *found,
        other => panic!("{what}: the bundle is not refused: {other:?}"),
    }
}

/// The artifact's text at the finding (the unzipped part, for the workbook).
fn text_at(bundle: &Bundle, found: &Found) -> String {
    let artifact = bundle
        .get(&found.artifact)
        .expect("the artifact is the bundle's");
    let bytes = match &found.part {
        None => artifact.bytes.clone(),
        Some(part) => {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&artifact.bytes)).unwrap();
            let mut entry = archive.by_name(part).unwrap();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
            content
        }
    };
    String::from_utf8_lossy(&bytes[found.offset..]).into_owned()
}

#[test]
fn the_sample_and_a_document_that_only_carries_its_secrets_pass() {
    let doc = sample();
    assert_eq!(leak::check(&doc, &bundle::render(&doc)), Ok(()));
    let doc = carrying(REAL_NAME);
    let bundle = bundle::render(&doc);
    assert_eq!(leak::check(&doc, &bundle), Ok(()));
    // it did carry them: the unredacted JSON would publish the name
    assert!(budgetflow_formats::json::write(&doc).contains(REAL_NAME));
}

#[test]
fn a_carried_name_printed_in_any_publishable_place_is_refused() {
    for (what, plant) in places() {
        let mut doc = carrying(REAL_NAME);
        plant(&mut doc);
        let bundle = bundle::render(&doc);
        let found = refused(&doc, &bundle, what);
        assert!(
            text_at(&bundle, &found).starts_with(REAL_NAME),
            "{what}: {found}"
        );
        assert_eq!(found.project, CLASSIFIED, "{what}");
        assert!(
            [
                "narrative.projects[特定目标 10100021].allocation.items[0].purpose",
                "narrative.project_targets[特定目标 10100021].goal",
            ]
            .contains(&found.path.as_str()),
            "{what}: {}",
            found.path
        );
        let message = Leak::Found(Box::new(found.clone())).to_string();
        assert!(
            !message.contains(REAL_NAME) && message.chars().count() < 300,
            "{what}: {message}"
        );
        assert!(message.contains(&found.artifact), "{what}: {message}");
    }
}

/// A name with `"` and `&` is printed escaped differently in each artifact; each artifact alone
/// is refused.
#[test]
fn every_artifact_is_searched_in_its_own_escaping() {
    let real_name = "天山\"保密\"专网&北区";
    let mut doc = carrying(real_name);
    rename_public_project(&mut doc, real_name);
    let whole = bundle::render(&doc);
    let mut refused_artifacts = Vec::new();
    for artifact in &whole.artifacts {
        let alone = Bundle {
            artifacts: vec![artifact.clone()],
            ..whole.clone()
        };
        if let Err(Leak::Found(found)) = leak::check(&doc, &alone) {
            refused_artifacts.push((found.artifact.clone(), found.part.clone()));
        }
    }
    for expected in [
        bundle::PAGE,
        bundle::DOCUMENT_JSON,
        "data/table-07.csv",
        bundle::WORKBOOK,
    ] {
        assert!(
            refused_artifacts.iter().any(|(a, _)| a == expected),
            "{expected} not refused: {refused_artifacts:?}"
        );
    }
    // the page and the JSON print it escaped
    let page = String::from_utf8_lossy(&whole.get(bundle::PAGE).unwrap().bytes).into_owned();
    assert!(!page.contains(real_name) && page.contains("天山&quot;保密&quot;专网&amp;北区"));
    let json =
        String::from_utf8_lossy(&whole.get(bundle::DOCUMENT_JSON).unwrap().bytes).into_owned();
    assert!(!json.contains(real_name) && json.contains("天山\\\"保密\\\"专网&北区"));
}

/// Synthetic documents of other shapes: each classified project carries a policy basis and an
/// implementer of its own; the bundle passes, until one of them is printed in the glossary.
#[test]
fn synthetic_documents_pass_until_a_carried_detail_is_printed() {
    let docs: Vec<Document> = (0..40)
        .map(|i| budgetflow_synth::document(7, i))
        .filter(|d| d.narrative.projects().any(|p| p.name.is_classified()))
        .take(3)
        .collect();
    assert!(docs.len() >= 2, "the synthesizer makes classified projects");
    for mut doc in docs {
        let mut carried = Vec::new();
        for block in doc
            .narrative
            .sections
            .iter_mut()
            .flat_map(|s| s.blocks.iter_mut())
        {
            let Block::Project(p) = block else { continue };
            let Some(code) = p.name.classified_code().map(str::to_string) else {
                continue;
            };
            p.policy_basis = Disclosed::Stated(format!("《关于{code}号专项工作的通知》"));
            p.implementer = Some(format!("第{code}研究所"));
            carried.push(format!("第{code}研究所"));
        }
        assert_eq!(leak::check(&doc, &bundle::render(&doc)), Ok(()));
        doc.glossary[0].definition.push_str(&carried[0]);
        let bundle = bundle::render(&doc);
        let found = refused(&doc, &bundle, &doc.identity.department);
        assert!(found.path.ends_with("].implementer"), "{found}");
    }
}

/// Defence in depth: were the redaction of the public JSON to fail (its unredacted form in the
/// bundle), the check would still refuse it, whatever the validator said.
#[test]
fn a_renderer_that_forgets_to_redact_is_caught() {
    let doc = carrying(REAL_NAME);
    let mut bundle = bundle::render(&doc);
    let json = bundle
        .artifacts
        .iter_mut()
        .find(|a| a.path == bundle::DOCUMENT_JSON)
        .unwrap();
    json.bytes = budgetflow_formats::json::write(&doc).into_bytes();
    let found = refused(&doc, &bundle, "the unredacted JSON");
    assert_eq!(found.artifact, bundle::DOCUMENT_JSON);
    // the first secret the JSON prints: the allocation's text
    assert_eq!(
        found.path,
        "narrative.projects[特定目标 10100021].allocation.text"
    );
    assert!(
        text_at(&bundle, &found).starts_with("全部用于专网建设"),
        "{found}"
    );
}
