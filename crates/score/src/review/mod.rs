//! Target review (绩效目标审核), at budget time, from the document alone.
//!
//! Every 项目支出绩效目标表 and the 部门整体绩效目标表 is checked for [`structure`],
//! [`measurability`], [`consistency`] with the money and [`ambition`] against last year;
//! each finding cites a rule of the [`catalog`]. Each table then gets a review score
//! ([`score`]) with the reasons, and the project tables are ranked.
//!
//! The department-wide table follows another framework (一级 履职效能 …, no rule column), so
//! only the weight, measurability and ambition checks apply to it.

pub mod ambition;
pub mod catalog;
pub mod consistency;
pub mod finding;
pub mod measurability;
pub mod score;
pub mod structure;

use rust_decimal::Decimal;
use serde::Serialize;

use budgetflow_model::names::same_name;
use budgetflow_model::performance::Indicator;
use budgetflow_model::Document;

pub use catalog::{Family, Rule, Severity};
pub use finding::{Detail, Finding, TableRef};
pub use score::{Deduction, Ranked, ReviewScore};

/// What a check sees of one target table.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'d> {
    pub table: TableRef<'d>,
    pub indicators: &'d [Indicator],
    /// 项目总体目标 / 年度绩效目标.
    pub goal: &'d str,
    /// 年度预算总额 (万元).
    pub funds: Option<Decimal>,
}

/// The review of one target table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableReview<'d> {
    pub table: TableRef<'d>,
    /// 年度预算总额 (万元), as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub funds: Option<Decimal>,
    /// Share of the weight on quantitative targets, in %, to 2 places.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantitative_share: Option<Decimal>,
    pub findings: Vec<Finding<'d>>,
    pub score: ReviewScore,
}

impl<'d> TableReview<'d> {
    /// The findings of rule `id` (`P.ambition`).
    pub fn findings_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Finding<'d>> + 'a {
        self.findings.iter().filter(move |f| f.rule.id == id)
    }
}

/// The review of a whole document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review<'d> {
    /// The department-wide table first, then the project tables in document order.
    pub tables: Vec<TableReview<'d>>,
    /// The project tables, best review score first.
    pub ranking: Vec<Ranked<'d>>,
    /// The document's template, when it prints no target tables (Shanghai's districts publish
    /// them elsewhere): nothing was reviewed, and the review says so rather than passing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_without_targets: Option<&'d str>,
}

impl<'d> Review<'d> {
    /// The review of the project named `name` (compared by [`same_name`]: spaces ignored).
    pub fn project(&self, name: &str) -> Option<&TableReview<'d>> {
        self.tables
            .iter()
            .find(|t| matches!(t.table, TableRef::Project(p) if same_name(p, name)))
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding<'d>> {
        self.tables.iter().flat_map(|t| t.findings.iter())
    }

    pub fn has_errors(&self) -> bool {
        self.findings().any(|f| f.severity == Severity::Error)
    }
}

/// Reviews every target table of `doc`.
pub fn review(doc: &Document) -> Review<'_> {
    let mut tables = Vec::new();
    for t in doc.narrative.department_targets() {
        let subject = Subject {
            table: TableRef::Department(&t.department),
            indicators: &t.indicators,
            goal: &t.goal,
            funds: Some(t.funds_total().value()),
        };
        let mut findings = Vec::new();
        structure::check_weights(&subject, &mut findings);
        let share = measurability::check(&subject, &mut findings);
        ambition::check(&subject, &mut findings);
        tables.push(table_review(subject, share, findings));
    }
    for t in doc.narrative.project_targets() {
        let subject = Subject {
            table: TableRef::Project(&t.project),
            indicators: &t.indicators,
            goal: &t.goal,
            funds: t.funds.total.map(|a| a.value()),
        };
        let mut findings = Vec::new();
        structure::check(&subject, &mut findings);
        let share = measurability::check(&subject, &mut findings);
        consistency::check(&subject, doc, &mut findings);
        ambition::check(&subject, &mut findings);
        tables.push(table_review(subject, share, findings));
    }
    let ranking = score::rank(&tables);
    let template_without_targets = doc
        .template
        .as_ref()
        .filter(|t| !t.targets)
        .map(|t| t.name.as_str());
    Review {
        tables,
        ranking,
        template_without_targets,
    }
}

fn table_review<'d>(
    subject: Subject<'d>,
    quantitative_share: Option<Decimal>,
    findings: Vec<Finding<'d>>,
) -> TableReview<'d> {
    TableReview {
        table: subject.table,
        funds: subject.funds,
        quantitative_share,
        score: ReviewScore::of(&findings),
        findings,
    }
}

/// Whether an indicator sits under the level-1 indicator `word` (产出, 效益, 成本, 满意度):
/// level-1 names are read without spaces and begin with their dimension (`产出指标`,
/// `满意度指标`), so a prefix test is enough (and much cheaper than a search).
pub(crate) fn under(indicator: &Indicator, word: &str) -> bool {
    indicator.level1.starts_with(word)
}
