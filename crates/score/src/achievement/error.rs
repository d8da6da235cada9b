//! What can be wrong with an actuals report against the document: every error names the
//! project and, where there is one, the indicator. English via `Display`, Chinese via
//! [`ScoreError::message`].

use budgetflow_model::Lang;

/// One problem of an actuals report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("project `{project}`: no such project target table in the document")]
    UnknownProject { project: String },
    #[error("project `{project}`: indicator `{indicator}` is not in its target table")]
    UnknownIndicator { project: String, indicator: String },
    #[error("project `{project}`: indicator `{indicator}` is reported twice")]
    DuplicateIndicator { project: String, indicator: String },
    #[error("project `{project}`: no achieved value for indicator `{indicator}`")]
    MissingValue { project: String, indicator: String },
    #[error("project `{}`, indicator `{}`: achieved `{}` is in `{}`, the target `{}` in `{}`",
        .0.project, .0.indicator, .0.achieved, .0.achieved_unit, .0.target, .0.target_unit)]
    UnitMismatch(Box<UnitMismatch>),
    #[error("project `{project}`, indicator `{indicator}`: achieved `{achieved}` is not a number with a unit")]
    UnreadableValue {
        project: String,
        indicator: String,
        achieved: String,
    },
    #[error("project `{project}`, indicator `{indicator}`: achieved `{achieved}` has a comparator; give the value itself")]
    ComparatorInAchieved {
        project: String,
        indicator: String,
        achieved: String,
    },
    #[error("project `{project}`, indicator `{indicator}`: achieved `{achieved}` is negative")]
    NegativeValue {
        project: String,
        indicator: String,
        achieved: String,
    },
    #[error("project `{project}`, indicator `{indicator}`: `{achieved}` is not a band (达成, 部分达成 or 未达成, optionally with a percent inside the band)")]
    BadBand {
        project: String,
        indicator: String,
        achieved: String,
    },
    #[error("project `{project}`, indicator `{indicator}`: cannot be scored: {reason}")]
    Unscorable {
        project: String,
        indicator: String,
        reason: String,
    },
    #[error("project `{project}`: no budget execution (executed, budget)")]
    MissingExecution { project: String },
    #[error("project `{project}`: executed amount {executed} is negative")]
    NegativeExecution { project: String, executed: String },
    #[error("project `{project}`: budget {budget} is not positive")]
    NonPositiveBudget { project: String, budget: String },
}

impl ScoreError {
    pub fn message(&self, lang: Lang) -> String {
        use ScoreError::*;
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => match self {
                UnknownProject { project } => format!("项目「{project}」：文件中没有该项目的绩效目标表"),
                UnknownIndicator { project, indicator } => {
                    format!("项目「{project}」：绩效目标表中没有指标「{indicator}」")
                }
                DuplicateIndicator { project, indicator } => {
                    format!("项目「{project}」：指标「{indicator}」重复填报")
                }
                MissingValue { project, indicator } => {
                    format!("项目「{project}」：指标「{indicator}」缺少完成值")
                }
                UnitMismatch(m) => format!(
                    "项目「{}」指标「{}」：完成值“{}”的单位“{}”与指标值“{}”的单位“{}”不一致",
                    m.project, m.indicator, m.achieved, m.achieved_unit, m.target, m.target_unit
                ),
                UnreadableValue {
                    project,
                    indicator,
                    achieved,
                } => format!("项目「{project}」指标「{indicator}」：完成值“{achieved}”不是带单位的数值"),
                ComparatorInAchieved {
                    project,
                    indicator,
                    achieved,
                } => format!("项目「{project}」指标「{indicator}」：完成值“{achieved}”带比较符，应填实际数值"),
                NegativeValue {
                    project,
                    indicator,
                    achieved,
                } => format!("项目「{project}」指标「{indicator}」：完成值“{achieved}”为负数"),
                BadBand {
                    project,
                    indicator,
                    achieved,
                } => format!(
                    "项目「{project}」指标「{indicator}」：“{achieved}”不是评判等级（达成、部分达成或未达成，可附该档内的百分比）"
                ),
                Unscorable {
                    project,
                    indicator,
                    reason,
                } => format!("项目「{project}」指标「{indicator}」：无法评分：{reason}"),
                MissingExecution { project } => {
                    format!("项目「{project}」：缺少预算执行数据（执行数、预算数）")
                }
                NegativeExecution { project, executed } => {
                    format!("项目「{project}」：执行数 {executed} 为负数")
                }
                NonPositiveBudget { project, budget } => {
                    format!("项目「{project}」：预算数 {budget} 不大于零")
                }
            },
        }
    }
}

/// An achieved value in another unit than its target (万元 vs 元, 家 vs 个).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitMismatch {
    pub project: String,
    pub indicator: String,
    /// 指标值 as printed.
    pub target: String,
    /// 完成值 as reported.
    pub achieved: String,
    pub target_unit: String,
    /// Empty when the achieved value has no unit.
    pub achieved_unit: String,
}

/// Every problem of a report, so that one run shows them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreErrors(pub Vec<ScoreError>);

impl ScoreErrors {
    pub fn render(&self, lang: Lang) -> String {
        self.0
            .iter()
            .map(|e| e.message(lang))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl std::fmt::Display for ScoreErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for ScoreErrors {}
