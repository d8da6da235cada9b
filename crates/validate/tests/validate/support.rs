//! The parsed sample, small editors that change one thing in it, and an assertion that the
//! right rule fires with the right location and figures.

use std::sync::OnceLock;

use budgetflow_model::narrative::{Block, Statement};
use budgetflow_model::performance::ProjectTargets;
use budgetflow_model::tables::{EconomicRow, FunctionRow, ProjectRow};
use budgetflow_model::{Amount, Document, FunctionCode, SectionTopic};
use budgetflow_validate::{validate, Finding, Lang, Severity};

pub fn sample() -> Document {
    static SAMPLE: OnceLock<Document> = OnceLock::new();
    SAMPLE
        .get_or_init(|| {
            let bytes = std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../samples/urumqi-miit-2025.txt"
            ))
            .expect("sample present");
            budgetflow_formats::text::read(&bytes).expect("sample parses")
        })
        .clone()
}

pub fn amount(s: &str) -> Amount {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

pub fn code(s: &str) -> FunctionCode {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

pub fn function_row<'d, A>(rows: &'d mut [FunctionRow<A>], c: &str) -> &'d mut FunctionRow<A> {
    let c = code(c);
    rows.iter_mut()
        .find(|r| r.code == Some(c))
        .unwrap_or_else(|| panic!("no row {c}"))
}

pub fn t6_row<'d>(doc: &'d mut Document, c: &str) -> &'d mut EconomicRow {
    let t6 = doc.tables.basic.as_mut().expect("表6");
    t6.rows
        .iter_mut()
        .find(|r| r.code.is_some_and(|x| x.as_str() == c))
        .unwrap_or_else(|| panic!("no 表6 row {c}"))
}

pub fn t7_project<'d>(doc: &'d mut Document, name: &str) -> &'d mut ProjectRow {
    let t7 = doc.tables.projects.as_mut().expect("表7");
    t7.rows
        .iter_mut()
        .find(|r| r.project.as_ref().is_some_and(|p| p.as_str() == name) || r.name == name)
        .unwrap_or_else(|| panic!("no 表7 row {name}"))
}

/// The `n`-th statement (0-based) of section `topic` whose subject contains `subject`.
pub fn statement<'d>(
    doc: &'d mut Document,
    topic: SectionTopic,
    subject: &str,
    n: usize,
) -> &'d mut Statement {
    let section = doc
        .narrative
        .sections
        .iter_mut()
        .find(|s| s.topic == Some(topic))
        .expect("section");
    section
        .blocks
        .iter_mut()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.statements.iter_mut()),
            _ => None,
        })
        .flatten()
        .filter(|s| s.subject.contains(subject))
        .nth(n)
        .unwrap_or_else(|| panic!("no statement {subject} in {topic:?}"))
}

pub fn project_targets<'d>(doc: &'d mut Document, project: &str) -> &'d mut ProjectTargets {
    doc.narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .find_map(|b| match b {
            Block::ProjectTargets(t) if t.project == project => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no target table {project}"))
}

/// Asserts that `rule` fires on `doc` with its own severity at a location containing `at`,
/// expecting `expected` and finding `actual` (as the report prints them), and that the
/// message names both figures. Returns the finding.
#[track_caller]
/// A finding as a failing test prints it: `rule [location] message`.
pub fn described(f: &Finding) -> String {
    format!(
        "{} [{}] {}",
        f.rule.id,
        f.location.label(),
        f.message(Lang::Zh)
    )
}

pub fn fires(doc: &Document, rule: &str, at: &str, expected: &str, actual: &str) -> Finding {
    let report = validate(doc);
    let candidates: Vec<&Finding> = report.of_rule(rule).collect();
    let found = candidates.iter().find(|f| {
        f.location.label().contains(at)
            && f.expected.as_ref().map(ToString::to_string).as_deref() == Some(expected)
            && f.actual.as_ref().map(ToString::to_string).as_deref() == Some(actual)
    });
    let Some(f) = found else {
        let all: Vec<String> = report.findings.iter().map(described).collect();
        panic!(
            "{rule} at “{at}” expecting {expected}, finding {actual}: not reported. Findings:\n{}",
            all.join("\n")
        );
    };
    assert_eq!(
        f.severity, f.rule.severity,
        "{rule} should fire with its own severity"
    );
    assert_ne!(
        f.severity,
        Severity::Info,
        "{rule}: a fault is not a rounding drift"
    );
    for lang in [Lang::Zh, Lang::En] {
        let m = f.message(lang);
        assert!(
            m.contains(expected) && m.contains(actual),
            "message does not name {expected} and {actual}: {m}"
        );
    }
    (*f).clone()
}
