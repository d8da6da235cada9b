//! 第一部分 部门概况: functions, organisation, budget units and staffing.
//!
//! The paragraphs are kept as printed; the structure they state (the numbered functions, the
//! list of offices and units, the headcounts with their changes) is captured beside them.

use serde::{Deserialize, Serialize};

/// 部门概况.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Overview {
    /// The paragraphs under 一、主要职能, as printed.
    pub functions_text: Vec<String>,
    /// The paragraphs under 二、机构设置及人员情况, as printed.
    pub organisation_text: Vec<String>,
    /// The numbered duties `(一) …`, `（十一）…`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<String>,
    /// Internal offices (内设科室).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offices: Vec<String>,
    /// The office count the text states (`下设12个科室`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_count: Option<u32>,
    /// Budget units covered (纳入部门预算编制范围的预算单位).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<BudgetUnit>,
    /// 下属 N 家预算单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subordinate_unit_count: Option<u32>,
    /// 行政单位 N 家.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administrative_units: Option<u32>,
    /// 事业单位 N 家.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_institutions: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staffing: Option<Staffing>,
}

/// A budget unit covered by the department budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BudgetUnit {
    /// The name without the `（本级）` marker.
    pub name: String,
    /// The department's own level (本级).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_level: bool,
}

/// 编制数 and 实有人数 with the split 在职 / 退休 / 离休.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Staffing {
    /// 编制数 (authorised posts).
    pub authorised: u32,
    /// 实有人数 (headcount).
    pub actual: u32,
    /// 在职
    pub active: Headcount,
    /// 退休
    pub retired: Headcount,
    /// 离休
    pub pre_1949_retired: Headcount,
}

/// A headcount and its change on last year (`在职105人，减少7人`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Headcount {
    pub count: u32,
    /// Signed change: 增加 +, 减少 −.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<i64>,
}
