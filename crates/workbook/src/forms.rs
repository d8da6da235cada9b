//! The labelled forms outside the tables — which labels the cover, the overview, the
//! explanation rows, the project sheet and the target blocks use — shared by the writer and
//! the reader so the two agree on every word.

use budgetflow_model::performance::FundSource;
use budgetflow_model::DocumentKind;

/// What is written for a detail that is withheld (完全不予公开), as the text layout prints it.
pub const WITHHELD: &str = "完全不予公开";

/// 公开类型 choices.
pub const KINDS: &[&str] = &["部门预算", "单位预算", "部门决算", "单位决算"];

/// The kind named by a 公开类型 cell.
pub fn kind(label: &str) -> Option<DocumentKind> {
    [
        DocumentKind::DepartmentBudget,
        DocumentKind::UnitBudget,
        DocumentKind::DepartmentFinalAccounts,
        DocumentKind::UnitFinalAccounts,
    ]
    .into_iter()
    .find(|k| k.label() == label.trim())
}

/// A row of 封面.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverField {
    Department,
    Year,
    Kind,
    Title,
    Published,
    Signature,
}

impl CoverField {
    pub const ALL: [CoverField; 6] = [
        CoverField::Department,
        CoverField::Year,
        CoverField::Kind,
        CoverField::Title,
        CoverField::Published,
        CoverField::Signature,
    ];
    pub const LABELS: &'static [&'static str] = &[
        "部门名称",
        "预算年度",
        "公开类型",
        "标题",
        "公开日期",
        "落款",
    ];

    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize]
    }
}

/// 部门概况 labels.
pub const FUNCTIONS: &str = "主要职能";
pub const ORGANISATION: &str = "机构设置及人员情况";

/// What a 情况说明 row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Section,
    Heading,
    Paragraph,
    Project,
    DepartmentTargets,
    ProjectTargets,
}

impl BlockKind {
    pub const ALL: [BlockKind; 6] = [
        BlockKind::Section,
        BlockKind::Heading,
        BlockKind::Paragraph,
        BlockKind::Project,
        BlockKind::DepartmentTargets,
        BlockKind::ProjectTargets,
    ];
    pub const LABELS: &'static [&'static str] = &[
        "节",
        "小标题",
        "段落",
        "项目说明",
        "部门整体绩效目标表",
        "项目绩效目标表",
    ];

    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize]
    }

    pub fn from_label(s: &str) -> Option<BlockKind> {
        Self::ALL.into_iter().find(|k| k.label() == s.trim())
    }
}

/// The columns of 项目说明.
pub const PROJECT_COLUMNS: &[&str] = &[
    "序号",
    "项目名称",
    "设立的政策依据",
    "预算安排规模",
    "金额单位",
    "项目承担单位",
    "资金分配情况",
    "资金执行时间",
];

/// A labelled row of a 部门整体绩效目标 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepartmentField {
    Department,
    YearLabel,
    Contact,
    Phone,
    Goal,
}

impl DepartmentField {
    pub const ALL: [DepartmentField; 5] = [
        DepartmentField::Department,
        DepartmentField::YearLabel,
        DepartmentField::Contact,
        DepartmentField::Phone,
        DepartmentField::Goal,
    ];
    pub const LABELS: &'static [&'static str] =
        &["部门名称", "年度", "部门联系人", "联系电话", "年度绩效目标"];

    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize]
    }
}

/// The row above the funds of a department block.
pub const FUND_HEADER: &[&str] = &["资金类别", "资金来源", "资金总额（万元）"];

/// The funds lines of the department table as the template lists them.
pub fn standard_funds() -> Vec<FundSource> {
    [
        ("财政资金 (万元)", "上级安排"),
        ("财政资金 (万元)", "本级安排"),
        ("其他资金 (万元)", "其他"),
    ]
    .into_iter()
    .map(|(c, s)| FundSource {
        category: c.into(),
        source: s.into(),
        amount: None,
    })
    .collect()
}

/// A labelled row of a 项目绩效目标 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectField {
    Project,
    BudgetUnit,
    Manager,
    YearLabel,
    Total,
    Fiscal,
    Other,
    Goal,
}

impl ProjectField {
    pub const ALL: [ProjectField; 8] = [
        ProjectField::Project,
        ProjectField::BudgetUnit,
        ProjectField::Manager,
        ProjectField::YearLabel,
        ProjectField::Total,
        ProjectField::Fiscal,
        ProjectField::Other,
        ProjectField::Goal,
    ];
    pub const LABELS: &'static [&'static str] = &[
        "项目名称",
        "预算单位",
        "项目负责人",
        "年度",
        "年度预算总额（万元）",
        "其中：财政拨款（万元）",
        "其他资金（万元）",
        "项目总体目标",
    ];

    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize]
    }
}

/// The first cell of an indicator header row.
pub const LEVEL1: &str = "一级指标";
