//! Completeness: every standard table present, an empty table carries its empty-table
//! statement (under the table or in its section), every explanation section, the overview, the
//! glossary and the department-wide performance targets present, and every table compiled by
//! this department.

use budgetflow_model::{SectionTopic, TableKind};

use crate::catalog::*;
use crate::engine::Checker;
use crate::finding::{Figure, Finding, Place};

/// The explanation section about a table.
pub fn section_of(kind: TableKind) -> SectionTopic {
    match kind {
        TableKind::Overall => SectionTopic::Overall,
        TableKind::Revenue => SectionTopic::Revenue,
        TableKind::Expenditure => SectionTopic::Expenditure,
        TableKind::Appropriation => SectionTopic::Appropriation,
        TableKind::GeneralBudget => SectionTopic::GeneralBudget,
        TableKind::Basic => SectionTopic::Basic,
        TableKind::Projects => SectionTopic::Projects,
        TableKind::GovFund => SectionTopic::GovFund,
        TableKind::SoeCapital => SectionTopic::SoeCapital,
        TableKind::ThreePublic => SectionTopic::ThreePublic,
        TableKind::CarryOver => SectionTopic::CarryOver,
    }
}

/// Whether a present table prints no data row.
pub fn is_empty(ck: &Checker, kind: TableKind) -> bool {
    let t = &ck.doc.tables;
    match kind {
        TableKind::Overall => t
            .overall
            .as_ref()
            .is_some_and(|t| t.revenue.is_empty() && t.expenditure.is_empty()),
        TableKind::Revenue => t.revenue.as_ref().is_some_and(|t| t.is_empty()),
        TableKind::Expenditure => t.expenditure.as_ref().is_some_and(|t| t.is_empty()),
        TableKind::Appropriation => t
            .appropriation
            .as_ref()
            .is_some_and(|t| t.revenue.is_empty() && t.expenditure.is_empty()),
        TableKind::GeneralBudget => t.general_budget.as_ref().is_some_and(|t| t.is_empty()),
        TableKind::Basic => t.basic.as_ref().is_some_and(|t| t.rows.is_empty()),
        TableKind::Projects => t.projects.as_ref().is_some_and(|t| t.rows.is_empty()),
        TableKind::GovFund => t.gov_fund.as_ref().is_some_and(|t| t.is_empty()),
        TableKind::SoeCapital => t.soe_capital.as_ref().is_some_and(|t| t.is_empty()),
        TableKind::ThreePublic => t.three_public.as_ref().is_some_and(|t| t.rows.is_empty()),
        TableKind::CarryOver => t.carry_over.as_ref().is_some_and(|t| t.rows.is_empty()),
    }
}

/// Whether text says a table is empty (`…情况表为空表`).
pub fn says_empty(text: &str) -> bool {
    text.contains("空表")
}

pub fn check(ck: &mut Checker) {
    let doc = ck.doc;
    for &kind in doc.required_tables() {
        let Some(header) = doc.tables.header(kind) else {
            ck.push(
                Finding::new(&DOC_TABLES, Place::Table(kind))
                    .figures(Figure::text(kind.standard_title()), Figure::text("—")),
            );
            continue;
        };
        if is_empty(ck, kind) {
            let noted = header.notes.iter().any(|n| says_empty(n))
                || doc
                    .narrative
                    .section(section_of(kind))
                    .is_some_and(|s| s.paragraphs().any(|p| says_empty(&p.text)));
            if !noted {
                ck.push(
                    Finding::new(&DOC_EMPTY_TABLE_NOTE, Place::Table(kind))
                        .name(kind.standard_title()),
                );
            }
        }
        if let Some(compiler) = header
            .compiler
            .as_deref()
            .filter(|c| !budgetflow_model::names::same_name(c, &doc.identity.department))
        {
            ck.push(
                Finding::new(&DOC_COMPILER, Place::Table(kind))
                    .column("编制部门")
                    .figures(
                        Figure::text(doc.identity.department.as_str()),
                        Figure::text(compiler),
                    ),
            );
        }
    }
    // the document's own template says which sections it requires; the standard one all twelve
    let required: &[SectionTopic] = match &doc.template {
        Some(t) => &t.sections,
        None => &SectionTopic::ALL,
    };
    for &topic in required {
        if doc.narrative.section(topic).is_none() {
            ck.push(
                Finding::new(&DOC_SECTIONS, Place::Section(topic))
                    .figures(Figure::count(topic.standard_number()), Figure::text("—")),
            );
        }
    }
    if doc.overview.functions_text.is_empty() && doc.overview.functions.is_empty() {
        ck.push(Finding::new(&DOC_OVERVIEW, Place::Overview).name("主要职能"));
    }
    if doc.overview.organisation_text.is_empty() && doc.overview.units.is_empty() {
        ck.push(Finding::new(&DOC_OVERVIEW, Place::Overview).name("机构设置及人员情况"));
    }
    if doc.glossary.is_empty() {
        ck.push(Finding::new(&DOC_GLOSSARY, Place::Glossary).name("第四部分 名词解释"));
    }
    if doc.template_has_targets() && doc.narrative.department_targets().next().is_none() {
        ck.push(Finding::new(&DOC_TARGETS, Place::Targets).name("部门整体绩效目标表"));
    }
}
