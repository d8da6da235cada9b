//! 十二、其他重要事项: the structured facts a reviewer checks in the last section —
//! procurement, state assets, the performance summary and the classified projects.
//!
//! These are derived from the section's sentences by the reader and kept beside the text.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OtherMatters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procurement: Option<Procurement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assets: Option<Assets>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance: Option<PerformanceSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classified: Option<ClassifiedSummary>,
    /// Carry-over merged into a current-year project's target table (N20).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_carry_over: Vec<MergedCarryOver>,
}

/// 政府采购 (万元).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Procurement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// 货物
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods: Option<Amount>,
    /// 工程
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub works: Option<Amount>,
    /// 服务
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Amount>,
    /// 面向中小企业预留
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sme_reserved: Option<Amount>,
    /// 小微企业预留
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub micro_reserved: Option<Amount>,
}

/// 国有资产占用使用情况.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Assets {
    /// 截至 2024 年底
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// 房屋 m²
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub building_area: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_value: Option<Amount>,
    /// 车辆 total count and value
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_value: Option<Amount>,
    /// Vehicles by kind (一般公务用车, 执法执勤用车, 其他车辆 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vehicles: Vec<VehicleKind>,
    /// 办公家具
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub furniture_value: Option<Amount>,
    /// 其他资产
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_value: Option<Amount>,
    /// 价值 50 万元以上大型设备 (台)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment_over_50: Option<u32>,
    /// 价值 100 万元以上大型设备 (台)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment_over_100: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VehicleKind {
    pub kind: String,
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Amount>,
}

/// 预算绩效情况 summary sentence.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PerformanceSummary {
    /// 整体预算绩效目标 N 个
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_targets: Option<u32>,
    /// 涉及预算金额
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_amount: Option<Amount>,
    /// 当年预算安排项目共 N 个
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<u32>,
    /// 财政拨款项目涉及预算金额
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiscal_project_amount: Option<Amount>,
    /// 非财政拨款项目涉及预算金额
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_fiscal_project_amount: Option<Amount>,
}

/// 部门有 N 个涉密项目，涉及预算资金 X 万元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClassifiedSummary {
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// 项目绩效目标表完全不予公开
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub targets_withheld: bool,
}

/// 上年结转结余资金 X 万元与当年财政拨款预算 Y 万元做在同一项目支出绩效目标表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MergedCarryOver {
    pub carry_over: Amount,
    pub current: Amount,
}
