//! The whole disclosure and its identity.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::FiscalYear;
use crate::narrative::Narrative;
use crate::narrative::SectionTopic;
use crate::other_matters::OtherMatters;
use crate::overview::Overview;
use crate::tables::TableKind;
use crate::tables::Tables;

/// The version of the canonical JSON form. Bump the major part on any incompatible change.
pub const SCHEMA: &str = "budgetflow.document/1";

/// What kind of disclosure this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 部门预算
    DepartmentBudget,
    /// 单位预算
    UnitBudget,
    /// 部门决算
    DepartmentFinalAccounts,
    /// 单位决算
    UnitFinalAccounts,
}

impl DocumentKind {
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::DepartmentBudget => "部门预算",
            DocumentKind::UnitBudget => "单位预算",
            DocumentKind::DepartmentFinalAccounts => "部门决算",
            DocumentKind::UnitFinalAccounts => "单位决算",
        }
    }

    pub fn from_title(title: &str) -> Option<DocumentKind> {
        let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
        [
            DocumentKind::DepartmentBudget,
            DocumentKind::UnitBudget,
            DocumentKind::DepartmentFinalAccounts,
            DocumentKind::UnitFinalAccounts,
        ]
        .into_iter()
        .find(|k| t.contains(k.label()))
    }
}

/// Who published what, for which year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Identity {
    /// The department's name (`乌鲁木齐市工业和信息化局`).
    pub department: String,
    pub fiscal_year: FiscalYear,
    pub kind: DocumentKind,
    /// The cover title (`2025 年部门预算公开`).
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// The closing signature line, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// A glossary entry (第四部分 名词解释).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GlossaryEntry {
    /// The printed ordinal (一 → 1).
    pub number: u32,
    pub term: String,
    pub definition: String,
}

/// The printed template a document follows, as its reader's template profile describes it:
/// what the template requires, so that completeness is judged against the document's own
/// template (a Shanghai document is not told that the 11-table template's tables are missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Template {
    /// The profile's id (`shanghai-district-unit`).
    pub id: String,
    /// The profile's name, for people (`上海市区级单位预算`).
    pub name: String,
    /// The tables the template requires.
    pub tables: Vec<TableKind>,
    /// The explanation sections the template requires.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionTopic>,
    /// Whether the template prints performance-target tables (绩效目标表).
    pub targets: bool,
}

/// A budget disclosure, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Document {
    pub schema: String,
    pub identity: Identity,
    pub overview: Overview,
    pub tables: Tables,
    pub narrative: Narrative,
    pub other_matters: OtherMatters,
    pub glossary: Vec<GlossaryEntry>,
    /// The template the reader recognised; absent: the standard 11-table template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Template>,
}

impl Document {
    /// The tables the document's template requires.
    pub fn required_tables(&self) -> &[TableKind] {
        match &self.template {
            Some(t) => &t.tables,
            None => &TableKind::ALL,
        }
    }

    /// Whether the document's template prints performance-target tables.
    pub fn template_has_targets(&self) -> bool {
        self.template.as_ref().is_none_or(|t| t.targets)
    }

    /// An empty document for `department` and `year`, to be filled in.
    pub fn new(
        department: impl Into<String>,
        fiscal_year: FiscalYear,
        kind: DocumentKind,
    ) -> Document {
        Document {
            schema: SCHEMA.to_string(),
            identity: Identity {
                department: department.into(),
                fiscal_year,
                kind,
                title: format!("{} 年{}公开", fiscal_year, kind.label()),
                published: None,
                signature: None,
            },
            overview: Overview::default(),
            tables: Tables::default(),
            narrative: Narrative::default(),
            other_matters: OtherMatters::default(),
            glossary: Vec::new(),
            template: None,
        }
    }
}
