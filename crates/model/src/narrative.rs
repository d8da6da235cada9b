//! The explanation sections (第三部分 情况说明) and what their sentences state.
//!
//! The text of each paragraph is kept verbatim — it is what the public reads — and every
//! figure a sentence states is captured beside it as a [`Statement`]: the subject it
//! describes, the amount, the share (占 x%), the change against last year (增加/减少 x 万元,
//! 增长/下降 y%) and the stated reason. Statements are derived from the text by the reader;
//! the text is the source of truth when a document is written back.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, MoneyUnit, Percent};
use crate::performance::{DepartmentTargets, ProjectTargets};
use crate::tables::ProjectName;

/// The topic of an explanation section (one per table topic; 12 in the standard layout).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SectionTopic {
    /// 一 收支总体
    Overall,
    /// 二 收入
    Revenue,
    /// 三 支出
    Expenditure,
    /// 四 财政拨款
    Appropriation,
    /// 五 一般公共预算当年拨款
    GeneralBudget,
    /// 六 基本支出
    Basic,
    /// 七 项目支出
    Projects,
    /// 八 政府性基金
    GovFund,
    /// 九 国有资本经营
    SoeCapital,
    /// 十 三公
    ThreePublic,
    /// 十一 上年结转结余
    CarryOver,
    /// 十二 其他重要事项
    OtherMatters,
}

impl SectionTopic {
    pub const ALL: [SectionTopic; 12] = [
        SectionTopic::Overall,
        SectionTopic::Revenue,
        SectionTopic::Expenditure,
        SectionTopic::Appropriation,
        SectionTopic::GeneralBudget,
        SectionTopic::Basic,
        SectionTopic::Projects,
        SectionTopic::GovFund,
        SectionTopic::SoeCapital,
        SectionTopic::ThreePublic,
        SectionTopic::CarryOver,
        SectionTopic::OtherMatters,
    ];

    /// The standard section number (一 = 1 … 十二 = 12).
    pub fn standard_number(self) -> u32 {
        SectionTopic::ALL
            .iter()
            .position(|t| *t == self)
            .map(|p| p as u32 + 1)
            .unwrap_or(0)
    }

    /// Identifies a section by its heading text.
    pub fn from_title(title: &str) -> Option<SectionTopic> {
        let t: Cow<'_, str> = if title.chars().any(char::is_whitespace) {
            Cow::Owned(title.chars().filter(|c| !c.is_whitespace()).collect())
        } else {
            Cow::Borrowed(title)
        };
        let has = |s: &str| t.contains(s);
        Some(if has("其他重要事项") {
            SectionTopic::OtherMatters
        } else if has("三公") {
            SectionTopic::ThreePublic
        } else if has("结转结余") {
            SectionTopic::CarryOver
        } else if has("政府性基金") {
            SectionTopic::GovFund
        } else if has("国有资本经营") {
            SectionTopic::SoeCapital
        } else if has("基本支出") {
            SectionTopic::Basic
        } else if has("项目支出") {
            SectionTopic::Projects
        } else if has("当年拨款") || has("一般公共预算拨款情况") {
            SectionTopic::GeneralBudget
        } else if has("财政拨款收支") {
            SectionTopic::Appropriation
        } else if has("收支预算") {
            SectionTopic::Overall
        } else if has("收入预算") {
            SectionTopic::Revenue
        } else if has("支出预算") {
            SectionTopic::Expenditure
        } else {
            return None;
        })
    }
}

/// One explanation section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Section {
    /// The printed number (一 → 1).
    pub number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<SectionTopic>,
    /// The heading text after the number.
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
    }

    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.paragraphs().flat_map(|p| p.statements.iter())
    }

    /// The blocks under the sub-heading whose label is `label` (e.g. `（二）`), up to the next
    /// sub-heading.
    pub fn subsection(&self, number: u32) -> Vec<&Block> {
        let mut inside = false;
        let mut out = Vec::new();
        for b in &self.blocks {
            match b {
                Block::Heading(h) => inside = h.number == number,
                other if inside => out.push(other),
                _ => {}
            }
        }
        out
    }

    /// The whole text of the section, paragraph by paragraph.
    pub fn text(&self) -> String {
        self.paragraphs()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A piece of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A sub-heading such as `（一）单位运行经费情况`.
    Heading(Heading),
    Paragraph(Paragraph),
    /// A project description in section 七.
    Project(ProjectDescription),
    /// 部门整体绩效目标表.
    DepartmentTargets(DepartmentTargets),
    /// 项目支出绩效目标表.
    ProjectTargets(ProjectTargets),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Heading {
    /// The number inside the label (`（二）` → 2).
    pub number: u32,
    pub title: String,
}

/// A paragraph as printed, with the figures it states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Paragraph {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Statement>,
    /// The page the paragraph starts on, when the source has pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// One figure a sentence states, tied to what it describes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Statement {
    /// What the figure describes, as written (`一般公共预算`, `基本支出`,
    /// `科学技术支出（类）技术与开发（款）其他技术与开发支出（项）`).
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "is_default_unit")]
    pub unit: MoneyUnit,
    /// A count with its unit (`11 辆`, `3,254.00 平方米`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// 占 x%
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Percent>,
    /// 比上年（预算）增加/减少 x 万元
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// 增长/下降 y%
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<RateOfChange>,
    /// What the change and the rate are measured against: last year's budget, or its
    /// outturn (`比2024年预算执行数`).
    #[serde(default, skip_serializing_if = "Baseline::is_budget")]
    pub baseline: Baseline,
    /// 主要原因是 …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 主要用于 …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// 主要包括：a、b、c
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<String>,
    /// The sentence says the item is not arranged (未安排).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_arranged: bool,
    /// The sentence says the details are withheld (完全不予公开).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withheld: bool,
}

fn is_default_unit(u: &MoneyUnit) -> bool {
    *u == MoneyUnit::TenThousandYuan
}

/// Direction of a change in money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 增加 / 增长
    Increase,
    /// 减少 / 下降
    Decrease,
    /// 持平 (与上年持平, 与2024年预算持平): a stated change of zero. Only a [`Change`] is ever
    /// flat, with an amount of zero; a rate is printed only with 增长 or 下降.
    Flat,
}

impl Direction {
    pub fn sign(self) -> rust_decimal::Decimal {
        match self {
            Direction::Increase => rust_decimal::Decimal::ONE,
            Direction::Decrease => rust_decimal::Decimal::NEGATIVE_ONE,
            Direction::Flat => rust_decimal::Decimal::ZERO,
        }
    }
}

/// What a stated change is measured against.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Baseline {
    /// Last year's budget (比上年, 比2024年预算): the figure last year's disclosure printed.
    #[default]
    Budget,
    /// Last year's outturn (比2024年预算执行数): known only after that year, and printed in no
    /// budget disclosure.
    Outturn,
}

impl Baseline {
    pub fn is_budget(&self) -> bool {
        *self == Baseline::Budget
    }

    /// The baseline the words before a change name: `执行数` is the outturn.
    pub fn named_in(lead: &str) -> Baseline {
        if lead.contains("执行数") {
            Baseline::Outturn
        } else {
            Baseline::Budget
        }
    }
}

/// 比上年预算增加/减少 x 万元, or 与上年持平.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Change {
    pub direction: Direction,
    pub amount: Amount,
}

impl Change {
    /// 持平: no change, stated in words rather than as an amount.
    pub fn flat() -> Self {
        Change {
            direction: Direction::Flat,
            amount: Amount::new(rust_decimal::Decimal::ZERO),
        }
    }

    /// Whether the sentence states no change at all: 持平, or 增加 0.00 万元.
    pub fn states_no_change(&self) -> bool {
        self.amount.is_zero()
    }

    /// The change with its sign (+ for 增加, − for 减少).
    pub fn signed(&self) -> rust_decimal::Decimal {
        self.direction.sign() * self.amount.value()
    }
}

/// 增长/下降 y%.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RateOfChange {
    pub direction: Direction,
    pub percent: Percent,
}

/// A count with its unit (`11 辆`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Quantity {
    #[schemars(with = "String")]
    pub value: rust_decimal::Decimal,
    pub unit: String,
}

/// A detail of a project description that may be withheld for a classified project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Disclosed<T> {
    /// 完全不予公开
    Withheld,
    Stated(T),
}

impl<T> Disclosed<T> {
    pub fn stated(&self) -> Option<&T> {
        match self {
            Disclosed::Stated(t) => Some(t),
            Disclosed::Withheld => None,
        }
    }
    pub fn is_withheld(&self) -> bool {
        matches!(self, Disclosed::Withheld)
    }
}

/// 资金分配情况: the text and each amount it allocates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Allocation {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<AllocationItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AllocationItem {
    pub purpose: String,
    pub amount: Amount,
}

/// 资金执行时间 (`2025年1月1日-2025年12月31日`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Period {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
}

/// A project description in section 七.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProjectDescription {
    /// The printed ordinal (（一十一） → 11).
    pub number: u32,
    pub name: ProjectName,
    /// 设立的政策依据
    pub policy_basis: Disclosed<String>,
    /// 预算安排规模
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "is_default_unit")]
    pub unit: MoneyUnit,
    /// 项目承担单位
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementer: Option<String>,
    /// 资金分配情况
    pub allocation: Disclosed<Allocation>,
    /// 资金执行时间
    pub period: Disclosed<Period>,
}

/// The whole of 第三部分.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Narrative {
    pub sections: Vec<Section>,
}

impl Narrative {
    pub fn section(&self, topic: SectionTopic) -> Option<&Section> {
        self.sections.iter().find(|s| s.topic == Some(topic))
    }

    pub fn projects(&self) -> impl Iterator<Item = &ProjectDescription> {
        self.sections
            .iter()
            .flat_map(|s| s.blocks.iter())
            .filter_map(|b| match b {
                Block::Project(p) => Some(p),
                _ => None,
            })
    }

    pub fn department_targets(&self) -> impl Iterator<Item = &DepartmentTargets> {
        self.sections
            .iter()
            .flat_map(|s| s.blocks.iter())
            .filter_map(|b| match b {
                Block::DepartmentTargets(t) => Some(t),
                _ => None,
            })
    }

    pub fn project_targets(&self) -> impl Iterator<Item = &ProjectTargets> {
        self.sections
            .iter()
            .flat_map(|s| s.blocks.iter())
            .filter_map(|b| match b {
                Block::ProjectTargets(t) => Some(t),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_titles_identify_topics() {
        let cases = [
            (
                "关于乌鲁木齐市工业和信息化局 2025 年收支预算情况总体说明",
                SectionTopic::Overall,
            ),
            (
                "关于乌鲁木齐市工业和信息化局 2025 年收入预算情况说明",
                SectionTopic::Revenue,
            ),
            (
                "关于乌鲁木齐市工业和信息化局 2025 年支出预算情况说明",
                SectionTopic::Expenditure,
            ),
            (
                "关于乌鲁木齐市工业和信息化局 2025 年财政拨款收支预算情况的总体说明",
                SectionTopic::Appropriation,
            ),
            (
                "关于乌鲁木齐市工业和信息化局 2025 年一般公共预算当年拨款情况说明",
                SectionTopic::GeneralBudget,
            ),
            (
                "关于乌鲁木齐市工业和信息化局2025年一般公共预算基本支出情况说明",
                SectionTopic::Basic,
            ),
            (
                "关于乌鲁木齐市工业和信息化局2025年一般公共预算项目支出情况说明",
                SectionTopic::Projects,
            ),
            (
                "关于乌鲁木齐市工业和信息化局 2025 年政府性基金预算拨款情况说明",
                SectionTopic::GovFund,
            ),
            (
                "关于乌鲁木齐市工业和信息化局 2025 年国有资本经营预算拨款情况说明",
                SectionTopic::SoeCapital,
            ),
            (
                "关于乌鲁木齐市工业和信息化局 2025 年财政拨款“三公”经费预算情况说明",
                SectionTopic::ThreePublic,
            ),
            (
                "关于乌鲁木齐市工业和信息化局 2025 年上年结转结余预算情况说明",
                SectionTopic::CarryOver,
            ),
            ("其他重要事项的情况说明", SectionTopic::OtherMatters),
        ];
        for (title, topic) in cases {
            assert_eq!(SectionTopic::from_title(title), Some(topic), "{title}");
        }
    }

    #[test]
    fn signed_changes() {
        let c = Change {
            direction: Direction::Decrease,
            amount: "4.68".parse().unwrap(),
        };
        assert_eq!(c.signed().to_string(), "-4.68");
    }
}
