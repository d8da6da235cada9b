//! What a rule is: a stable id, a family, a severity, bilingual titles and the reason it exists.
//!
//! Rules are declared once, in [`crate::catalog`]; the checks, the finding messages and
//! `docs/rules.md` all read the same [`Rule`] values.

use std::fmt;

pub use budgetflow_model::{Lang, Severity, UnknownLang};

/// The rule families of the catalog, one module of `rules/` each.
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
    /// Performance-target tables (绩效目标表).
    Performance,
    /// Classified (涉密) projects.
    Redaction,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::Arithmetic,
        Family::CrossTable,
        Family::Narrative,
        Family::Classification,
        Family::Completeness,
        Family::OverviewAndOtherMatters,
        Family::Performance,
        Family::Redaction,
    ];

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
            (Family::Arithmetic, Lang::En) => "Arithmetic inside tables",
            (Family::CrossTable, Lang::En) => "Cross-table agreement",
            (Family::Narrative, Lang::En) => "Text against tables",
            (Family::Classification, Lang::En) => "Classification codes",
            (Family::Completeness, Lang::En) => "Completeness",
            (Family::OverviewAndOtherMatters, Lang::En) => "Overview and other matters",
            (Family::Performance, Lang::En) => "Performance targets",
            (Family::Redaction, Lang::En) => "Redaction of classified projects",
        }
    }
}

/// One rule of the catalog.
#[derive(Debug)]
pub struct Rule {
    /// Stable id (`T6.hierarchy`, `X.T5-T6.basic`, `N.share`); never reused for another meaning.
    pub id: &'static str,
    pub family: Family,
    /// The severity of a violation beyond rounding.
    pub severity: Severity,
    /// Where the check comes from: a section of `docs/domain.md` by anchor, with the identity
    /// it states and the ministry document by name where there is one
    /// (`docs/domain.md#classification-hierarchy C27`, `财预〔2016〕143号`, …).
    pub basis: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// Why the rule exists (English).
    pub reason: &'static str,
}

impl Rule {
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.title_zh,
            Lang::En => self.title_en,
        }
    }
}

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
