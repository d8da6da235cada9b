//! What a rule is, for every check budgetflow makes: a stable id, a family, a severity, the
//! basis it rests on, bilingual titles and the reason it exists.
//!
//! The validator (`budgetflow validate`) and the target review (`budgetflow score`) declare
//! their catalogs with the one [`rules!`](crate::rules) macro into the one [`Rule`] type, so a
//! finding of either cites a rule the same way, an id names one rule across both, and
//! `docs/rules.md` is generated from both catalogs by [`rules_markdown`].

use std::fmt;
use std::fmt::Write as _;

pub use crate::lang::{Lang, UnknownLang};
pub use crate::severity::Severity;

/// Which check a rule belongs to: the command that applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// `budgetflow validate`: the disclosure against itself and the classification catalogs.
    Validation,
    /// `budgetflow score`: the performance-target tables reviewed (绩效目标审核).
    TargetReview,
}

impl Check {
    pub const ALL: [Check; 2] = [Check::Validation, Check::TargetReview];

    /// The families of this check, in catalog order.
    pub fn families(self) -> impl Iterator<Item = Family> {
        Family::ALL.into_iter().filter(move |f| f.check() == self)
    }

    /// The heading of this check's part of `docs/rules.md`.
    pub fn heading(self) -> &'static str {
        match self {
            Check::Validation => "Validation (`budgetflow validate`)",
            Check::TargetReview => "Target review (`budgetflow score`)",
        }
    }

    /// What `docs/rules.md` says of this check's rules as a whole.
    fn introduction(self) -> &'static str {
        match self {
            Check::Validation => {
                "Sums compare the interval of the printed parts with the interval of the printed total\n\
                 (each figure printed to 0.01 stands for ±0.005): a sum that is off but within those\n\
                 intervals is reported as `info` (取整差异), never as an error. Identities the budget system\n\
                 computes from the same cells (表1 and 表4 收入总计 = 支出总计) and figures printed in two\n\
                 places must agree exactly.\n"
            }
            Check::TargetReview => {
                "Every 项目支出绩效目标表 is reviewed against all of them; the 部门整体绩效目标表 (another\n\
                 framework, without a rule column) against the weight, measurability and ambition rules.\n\
                 A confirmation is reported as `info`. `docs/scoring.md` gives a worked example of each\n\
                 rule and how its findings make the review score.\n"
            }
        }
    }
}

/// A family of rules: one module of the validator's `rules/`, or one of the four questions a
/// reviewer asks of a target table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Sums inside one table.
    Arithmetic,
    /// The same figure printed in two tables.
    CrossTable,
    /// The explanation text against the tables, and the arithmetic of the text itself.
    Narrative,
    /// Classification codes and their names.
    Classification,
    /// Every standard part present.
    Completeness,
    /// 部门概况 and 其他重要事项: staff, procurement, assets, performance and classified summaries.
    OverviewAndOtherMatters,
    /// Performance-target tables (绩效目标表): their form, and their funds against 表1 and 表7.
    Performance,
    /// Classified (涉密) projects.
    Redaction,
    /// The disclosure against the department's disclosure of the year before.
    YearOverYear,
    /// Target review: are the indicators complete and do the weights add up?
    Structure,
    /// Target review: can the targets be measured at year end?
    Measurability,
    /// Target review: do the targets agree with the money?
    Consistency,
    /// Target review: do the targets ask for at least what was achieved last year?
    Ambition,
}

impl Family {
    /// Every family, the validator's first, each check's in catalog order.
    pub const ALL: [Family; 13] = [
        Family::Arithmetic,
        Family::CrossTable,
        Family::Narrative,
        Family::Classification,
        Family::Completeness,
        Family::OverviewAndOtherMatters,
        Family::Performance,
        Family::Redaction,
        Family::YearOverYear,
        Family::Structure,
        Family::Measurability,
        Family::Consistency,
        Family::Ambition,
    ];

    /// The check whose rules this family groups.
    pub fn check(self) -> Check {
        match self {
            Family::Arithmetic
            | Family::CrossTable
            | Family::Narrative
            | Family::Classification
            | Family::Completeness
            | Family::OverviewAndOtherMatters
            | Family::Performance
            | Family::Redaction
            | Family::YearOverYear => Check::Validation,
            Family::Structure | Family::Measurability | Family::Consistency | Family::Ambition => {
                Check::TargetReview
            }
        }
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Family::Arithmetic, Lang::Zh) => "表内运算",
            (Family::CrossTable, Lang::Zh) => "表间勾稽",
            (Family::Narrative, Lang::Zh) => "文字说明与表格",
            (Family::Classification, Lang::Zh) => "科目编码",
            (Family::Completeness, Lang::Zh) => "完整性",
            (Family::OverviewAndOtherMatters, Lang::Zh) => "部门概况与其他重要事项",
            (Family::Performance, Lang::Zh) => "绩效目标表",
            (Family::Redaction, Lang::Zh) => "涉密项目",
            (Family::YearOverYear, Lang::Zh) => "与上年公开数核对",
            (Family::Structure, Lang::Zh) => "完整性",
            (Family::Measurability, Lang::Zh) => "可衡量性",
            (Family::Consistency, Lang::Zh) => "与资金一致",
            (Family::Ambition, Lang::Zh) => "目标挑战性",
            (Family::Arithmetic, Lang::En) => "Arithmetic inside tables",
            (Family::CrossTable, Lang::En) => "Cross-table agreement",
            (Family::Narrative, Lang::En) => "Text against tables",
            (Family::Classification, Lang::En) => "Classification codes",
            (Family::Completeness, Lang::En) => "Completeness",
            (Family::OverviewAndOtherMatters, Lang::En) => "Overview and other matters",
            (Family::Performance, Lang::En) => "Performance targets",
            (Family::Redaction, Lang::En) => "Redaction of classified projects",
            (Family::YearOverYear, Lang::En) => "Against last year's disclosure",
            (Family::Structure, Lang::En) => "Structure",
            (Family::Measurability, Lang::En) => "Measurability",
            (Family::Consistency, Lang::En) => "Consistency",
            (Family::Ambition, Lang::En) => "Ambition",
        }
    }
}

/// One rule of a catalog, declared with [`rules!`](crate::rules).
#[derive(Debug)]
pub struct Rule {
    /// Stable id (`T6.hierarchy`, `X.T5-T6.basic`, `P.weights`), unique across both catalogs;
    /// never reused for another meaning.
    pub id: &'static str,
    pub family: Family,
    /// The severity of a violation beyond rounding (a confirmation is reported as
    /// [`Severity::Info`]).
    pub severity: Severity,
    /// Where the rule comes from: a section of `docs/domain.md` by anchor, with the identity
    /// it states and the ministry document by name where there is one
    /// (`docs/domain.md#classification-hierarchy C27`, `财预〔2016〕143号`, …); read by
    /// [`crate::basis`].
    pub basis: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// Why the rule exists (English).
    pub reason: &'static str,
}

impl Rule {
    pub fn title(&self, lang: Lang) -> &'static str {
        lang.pick(self.title_zh, self.title_en)
    }

    /// The check that applies this rule.
    pub fn check(&self) -> Check {
        self.family.check()
    }
}

/// Rules are their ids: two statics with one id would be one rule declared twice.
impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// Declares a catalog of [`Rule`]s: a `pub static` per rule, documented by its English title,
/// and `pub static ALL: &[&Rule]`, every rule in catalog order.
///
/// Each entry is `NAME = "id", Family, Severity, "basis", "标题", "title", "reason";`.
///
/// ```
/// mod catalog {
///     budgetflow_model::rules! {
///         T1_BALANCE = "T1.balance", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C1",
///             "表1收入总计等于支出总计", "Table 1 revenue total equals expenditure total",
///             "Both totals are computed from the same cells.";
///         P_WEIGHTS = "P.weights", Structure, Error, "docs/domain.md#indicator-levels-and-weights",
///             "指标分值权重合计为90", "Weights sum to 90",
///             "The other 10 points belong to budget execution.";
///     }
/// }
/// use budgetflow_model::rule::{Check, Lang, Severity};
///
/// assert_eq!(catalog::ALL.len(), 2);
/// assert_eq!(catalog::T1_BALANCE.to_string(), "T1.balance");
/// assert_eq!(catalog::T1_BALANCE.severity, Severity::Error);
/// assert_eq!(catalog::P_WEIGHTS.check(), Check::TargetReview);
/// assert_eq!(catalog::P_WEIGHTS.title(Lang::Zh), "指标分值权重合计为90");
/// assert_eq!(catalog::ALL[1], &catalog::P_WEIGHTS);
/// ```
#[macro_export]
macro_rules! rules {
    ($($name:ident = $id:literal, $family:ident, $severity:ident, $basis:literal,
        $zh:literal, $en:literal, $reason:literal;)+) => {
        $(
            #[doc = $en]
            pub static $name: $crate::rule::Rule = $crate::rule::Rule {
                id: $id,
                family: $crate::rule::Family::$family,
                severity: $crate::rule::Severity::$severity,
                basis: $basis,
                title_zh: $zh,
                title_en: $en,
                reason: $reason,
            };
        )+
        /// Every rule, in catalog order.
        pub static ALL: &[&$crate::rule::Rule] = &[$(&$name),+];
    };
}

/// `docs/rules.md`: every rule of `rules` (both catalogs), by check, then by family.
pub fn rules_markdown(rules: &[&Rule]) -> String {
    let mut out = String::new();
    out.push_str("# Rules\n\n");
    out.push_str(
        "<!-- Generated from crates/validate/src/catalog.rs and crates/score/src/review/catalog.rs \
         by `budgetflow_model::rule::rules_markdown`; do not edit. -->\n\n",
    );
    out.push_str(
        "Every rule budgetflow applies, with its stable id (unique across both checks), default\n\
         severity, basis and reason.\n\n",
    );
    let _ = writeln!(out, "{} rules.\n", rules.len());
    for check in Check::ALL {
        let of_check = rules.iter().filter(|r| r.check() == check).count();
        let _ = writeln!(out, "## {}\n", check.heading());
        out.push_str(check.introduction());
        let _ = writeln!(out, "\n{of_check} rules.\n");
        for family in check.families() {
            let _ = writeln!(
                out,
                "### {} ({})\n",
                family.title(Lang::En),
                family.title(Lang::Zh)
            );
            out.push_str(
                "| id | severity | title | 标题 | basis | why |\n|---|---|---|---|---|---|\n",
            );
            for r in rules.iter().filter(|r| r.family == family) {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} | {} |",
                    r.id,
                    r.severity.as_str(),
                    cell(r.title_en),
                    cell(r.title_zh),
                    crate::basis::markdown(r.basis),
                    cell(r.reason)
                );
            }
            out.push('\n');
        }
    }
    out
}

/// Text in a Markdown table cell: a `|` would end the cell.
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('|') {
        std::borrow::Cow::Owned(text.replace('|', "\\|"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::rules! {
        A_ONE = "A.one", Arithmetic, Error, "docs/domain.md#classification-hierarchy C11",
            "一", "One", "Because | of a pipe.";
        A_TWO = "A.two", Arithmetic, Warning, "docs/domain.md#classified-projects; 财预〔2016〕143号",
            "二", "Two", "Second.";
        P_ONE = "P.one", Ambition, Info, "docs/domain.md#review-of-targets",
            "三", "Three", "Third.";
    }

    #[test]
    fn every_family_belongs_to_one_check_and_is_listed_once() {
        for check in Check::ALL {
            assert!(check.families().next().is_some(), "{check:?}");
        }
        assert_eq!(Check::Validation.families().count(), 9);
        assert_eq!(
            Check::TargetReview.families().collect::<Vec<_>>(),
            [
                Family::Structure,
                Family::Measurability,
                Family::Consistency,
                Family::Ambition
            ]
        );
        let mut sorted = Family::ALL;
        sorted.sort();
        assert_eq!(
            sorted,
            Family::ALL,
            "ALL is in declaration order, without repeats"
        );
        for f in Family::ALL {
            assert!(!f.title(Lang::Zh).is_empty() && !f.title(Lang::En).is_empty());
        }
    }

    #[test]
    fn a_rule_is_its_id() {
        assert_eq!(A_ONE, A_ONE);
        assert_ne!(A_ONE, A_TWO);
        assert_eq!(format!("{A_TWO}"), "A.two");
        assert_eq!(A_TWO.title(Lang::En), "Two");
        assert_eq!(A_TWO.title(Lang::Zh), "二");
        assert_eq!(P_ONE.check(), Check::TargetReview);
        assert_eq!(
            ALL.iter().map(|r| r.id).collect::<Vec<_>>(),
            ["A.one", "A.two", "P.one"]
        );
    }

    #[test]
    fn the_markdown_lists_each_rule_under_its_check_and_family() {
        let md = rules_markdown(ALL);
        let at = |needle: &str| {
            md.find(needle)
                .unwrap_or_else(|| panic!("no {needle:?} in\n{md}"))
        };
        assert!(md.contains("\n3 rules.\n"));
        assert!(
            at("## Validation (`budgetflow validate`)")
                < at("### Arithmetic inside tables (表内运算)")
        );
        assert!(at("### Arithmetic inside tables") < at("| `A.one` | error | One | 一 |"));
        assert!(at("| `A.two` | warning |") < at("## Target review (`budgetflow score`)"));
        assert!(at("## Target review") < at("### Ambition (目标挑战性)"));
        assert!(at("### Ambition") < at("| `P.one` | info | Three | 三 |"));
        // every family has its heading, with or without rules
        assert!(md.contains("### Structure (完整性)"));
        assert!(md.contains("Because \\| of a pipe."));
        assert!(
            md.contains("[classified-projects](domain.md#classified-projects); 财预〔2016〕143号")
        );
        assert!(md.contains("[classification-hierarchy](domain.md#classification-hierarchy) C11"));
    }
}
