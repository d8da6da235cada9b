//! Secrets of a classified project printed elsewhere: the sample's 特定目标 10100021 carries
//! its real name in its description (as an upstream system's JSON may), which the public form
//! withholds; the same name is then put in each publishable place in turn, and `R.leak` must
//! name that place and the withheld field it came from.

use budgetflow_model::narrative::{Allocation, AllocationItem, Block, Disclosed, Paragraph};
use budgetflow_model::secrets::Secrets;
use budgetflow_model::{Document, SectionTopic, TableKind};
use budgetflow_validate::{validate, Figure, Lang, Place};

use crate::support::{project_targets, sample, t7_project};

const CLASSIFIED: &str = "特定目标 10100021";
const REAL_NAME: &str = "天山保密专网";
const PUBLIC_PROJECT: &str = "2024年度“小升规”专项奖补资金";

/// The sample, its classified project 特定目标 10100021 carrying its real name as the purpose
/// of its allocation (withheld on the page and in the public JSON).
fn carrying() -> Document {
    let mut doc = sample();
    let p = doc
        .narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .find_map(|b| match b {
            Block::Project(p) if p.name.as_str() == CLASSIFIED => Some(p),
            _ => None,
        })
        .expect("the sample describes 特定目标 10100021");
    p.allocation = Disclosed::Stated(Allocation {
        text: "全部用于专网建设。".into(),
        items: vec![AllocationItem {
            purpose: REAL_NAME.into(),
            amount: "1,000.00".parse().unwrap(),
        }],
    });
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

fn mention(text: &mut String) {
    text.push_str(&format!("其中包括{REAL_NAME}。"));
}

type Plant = fn(&mut Document);

/// Each publishable place: how the name is put there, where `R.leak` must say it is.
fn places() -> Vec<(&'static str, Plant, Place, &'static str)> {
    vec![
        (
            "a paragraph",
            |d| mention(&mut first_paragraph(d, SectionTopic::Expenditure).text),
            Place::Section(SectionTopic::Expenditure),
            "第1段 / 正文",
        ),
        (
            "what a sentence states",
            |d| {
                first_paragraph(d, SectionTopic::Overall).statements[0].reason =
                    Some(REAL_NAME.into())
            },
            Place::Section(SectionTopic::Overall),
            "第1段 / 正文",
        ),
        (
            "another project's description",
            |d| {
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
            },
            Place::Section(SectionTopic::Projects),
            "机动车智能服务平台终止资产评估咨询费 / 项目承担单位",
        ),
        (
            "another project's goal",
            |d| mention(&mut project_targets(d, PUBLIC_PROJECT).goal),
            Place::Targets,
            "2024年度“小升规”专项奖补资金 / 项目总体目标",
        ),
        (
            "another project's indicator",
            |d| {
                project_targets(d, PUBLIC_PROJECT).indicators[0].level3 =
                    format!("{REAL_NAME}节点数")
            },
            Place::Targets,
            "2024年度“小升规”专项奖补资金 第1项指标 / 三级指标",
        ),
        (
            "the department-wide targets",
            |d| {
                let t = d
                    .narrative
                    .sections
                    .iter_mut()
                    .flat_map(|s| s.blocks.iter_mut())
                    .find_map(|b| match b {
                        Block::DepartmentTargets(t) => Some(t),
                        _ => None,
                    })
                    .expect("the sample has department-wide targets");
                mention(&mut t.goal);
            },
            Place::Targets,
            "部门整体绩效目标表 / 年度绩效目标",
        ),
        (
            "other matters",
            |d| mention(&mut first_paragraph(d, SectionTopic::OtherMatters).text),
            Place::Section(SectionTopic::OtherMatters),
            "第1段 / 正文",
        ),
        (
            "the glossary",
            |d| mention(&mut d.glossary[0].definition),
            Place::Glossary,
            "/ 解释",
        ),
        (
            "the overview",
            |d| mention(&mut d.overview.functions_text[0]),
            Place::Overview,
            "主要职能 第1段 / 正文",
        ),
        (
            "a project name in 表7",
            |d| {
                t7_project(d, "节能监察工作经费").project = Some(
                    budgetflow_model::tables::ProjectName::new(format!("{REAL_NAME}运维")),
                )
            },
            Place::Table(TableKind::Projects),
            "天山保密专网运维 / 项目名称",
        ),
        (
            "a row name in 表3",
            |d| {
                let row = &mut d.tables.expenditure.as_mut().unwrap().rows[1];
                row.name = format!("{}（{REAL_NAME}）", row.name);
            },
            Place::Table(TableKind::Expenditure),
            "/ 科目名称",
        ),
        (
            "a note under 表8",
            |d| mention(&mut d.tables.gov_fund.as_mut().unwrap().header.notes[0]),
            Place::Table(TableKind::GovFund),
            "表注 / 表注",
        ),
        (
            "the cover",
            |d| mention(&mut d.identity.title),
            Place::Document,
            "封面 / 标题",
        ),
    ]
}

#[test]
fn carrying_a_withheld_detail_is_no_leak() {
    let doc = carrying();
    assert!(!Secrets::of(&doc).is_empty());
    let report = validate(&doc);
    assert_eq!(
        report.errors(),
        0,
        "{}",
        report.render_text("carrying", Lang::Zh)
    );
}

#[test]
fn a_withheld_name_printed_anywhere_public_is_a_leak_with_its_place() {
    for (what, plant, place, at) in places() {
        let mut doc = carrying();
        plant(&mut doc);
        let report = validate(&doc);
        let leaks: Vec<_> = report
            .of_rule("R.leak")
            .filter(|f| f.actual == Some(Figure::text(REAL_NAME)))
            .collect();
        let found = leaks
            .iter()
            .find(|f| f.place == place && f.location.label().contains(at));
        let Some(f) = found else {
            let all: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("{} {:?} [{}]", f.rule.id, f.place, f.location.label()))
                .collect();
            panic!(
                "{what}: no R.leak at {place:?} “{at}”. Findings:\n{}",
                all.join("\n")
            );
        };
        assert_eq!(leaks.len(), 1, "{what}: one place, one finding");
        let zh = f.message(Lang::Zh);
        assert!(
            zh.contains("特定目标 10100021 资金分配情况第1项用途")
                && zh.contains("narrative.projects[特定目标 10100021].allocation.items[0].purpose")
                && zh.contains(REAL_NAME),
            "{what}: {zh}"
        );
        assert!(
            f.message(Lang::En)
                .contains("withheld 特定目标 10100021 allocation item 1 purpose"),
            "{what}"
        );
    }
}

#[test]
fn a_goal_of_a_classified_target_table_printed_in_the_glossary() {
    let mut doc = sample();
    let mut carried = project_targets(&mut doc, PUBLIC_PROJECT).clone();
    carried.project = CLASSIFIED.into();
    carried.goal = format!("建成“{REAL_NAME}”，覆盖全市。");
    doc.narrative
        .sections
        .last_mut()
        .unwrap()
        .blocks
        .push(Block::ProjectTargets(carried));
    mention(&mut doc.glossary[2].definition);
    let report = validate(&doc);
    let f = report
        .of_rule("R.leak")
        .find(|f| f.place == Place::Glossary)
        .expect("R.leak in the glossary");
    assert_eq!(f.actual, Some(Figure::text(REAL_NAME)));
    assert!(
        f.message(Lang::Zh)
            .contains("特定目标 10100021 项目总体目标"),
        "{}",
        f.message(Lang::Zh)
    );
    // the table itself is the leak the performance rules already report
    assert!(report
        .of_rule("R.leak")
        .any(|f| f.place == Place::Targets && f.location.label().contains(CLASSIFIED)));
}

#[test]
fn a_long_secret_is_shown_cut() {
    let mut doc = carrying();
    let long = "保密".repeat(100);
    if let Some(Block::Project(p)) = doc
        .narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .find(|b| matches!(b, Block::Project(p) if p.name.as_str() == CLASSIFIED))
    {
        p.policy_basis = Disclosed::Stated(long.clone());
    }
    doc.glossary[0].definition.push_str(&long);
    let report = validate(&doc);
    let f = report
        .of_rule("R.leak")
        .find(|f| f.place == Place::Glossary)
        .expect("R.leak in the glossary");
    let shown = f.actual.as_ref().unwrap().to_string();
    assert_eq!(shown.chars().count(), 65, "{shown}");
    assert!(shown.ends_with('…'));
    assert!(f.message(Lang::Zh).chars().count() < 300);
}
