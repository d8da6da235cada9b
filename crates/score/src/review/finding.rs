//! A review finding: which rule, how bad, where (table and indicator) and the figures behind
//! it. Messages are rendered from those figures in Chinese or English, so a message can never
//! name a different number than the finding carries; JSON carries both languages.

use rust_decimal::Decimal;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use budgetflow_model::performance::ScoringRule;
use budgetflow_model::Lang;

use super::catalog::{Rule, Severity};

/// The target table a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableRef<'d> {
    /// 部门整体绩效目标表, named by the department.
    Department(&'d str),
    /// 项目支出绩效目标表, named by the project (项目名称).
    Project(&'d str),
}

impl<'d> TableRef<'d> {
    pub fn name(self) -> &'d str {
        match self {
            TableRef::Department(n) | TableRef::Project(n) => n,
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            TableRef::Department(_) => "department",
            TableRef::Project(_) => "project",
        }
    }

    /// `项目「辅助履职人员支出」` / `project 辅助履职人员支出`.
    pub fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (TableRef::Department(n), Lang::Zh) => format!("部门整体「{n}」"),
            (TableRef::Project(n), Lang::Zh) => format!("项目「{n}」"),
            (TableRef::Department(n), Lang::En) => format!("department-wide table of {n}"),
            (TableRef::Project(n), Lang::En) => format!("project {n}"),
        }
    }
}

impl Serialize for TableRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("TableRef", 2)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("name", self.name())?;
        st.end()
    }
}

/// The figures of a finding, by what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail<'d> {
    /// No level-1 indicator named `level1` (产出 or 效益).
    MissingLevel1 { level1: &'static str },
    /// The project names people it serves (`served`) but has no 满意度 indicator.
    NoSatisfaction { served: &'static str },
    /// The project has money but no 成本 indicator.
    NoCost { funds: Decimal },
    /// Σ weights is not what it should be.
    WeightSum { total: Decimal, expected: Decimal },
    /// The indicator prints no weight.
    MissingWeight,
    /// The indicator prints no scoring rule.
    RuleMissing,
    /// The scoring rule is not one the scorer knows.
    RuleUnknown { label: &'d str },
    /// The rule cannot score this kind of target.
    RuleMismatch {
        rule: &'d ScoringRule,
        target: &'d str,
    },
    /// The target does not parse.
    UnparsedTarget { target: &'d str },
    /// Quantitative indicators carry `share` % of the weight.
    QuantitativeShare { share: Decimal },
    /// A qualitative target with a large weight.
    QualitativeWeight { target: &'d str, weight: Decimal },
    /// A cost cap (in 万元) above the project's money.
    CostAboveFunds {
        target: &'d str,
        cap: Decimal,
        funds: Decimal,
    },
    /// Σ cost caps (万元) against the money: above is an error, equal is confirmed.
    CostSum { sum: Decimal, funds: Decimal },
    /// count × unit cost = `product` 万元 against the money.
    CountCost {
        count: &'d str,
        unit_cost: &'d str,
        product: Decimal,
        funds: Decimal,
    },
    /// The money of the target table against the 表7 amount (and a merged carry-over).
    FundsT7 {
        printed: Decimal,
        table7: Decimal,
        carry_over: Option<Decimal>,
    },
    /// No 表7 project row has this name.
    NotInTable7,
    /// The target asks for less than last year's achieved value.
    BelowLastYear {
        target: &'d str,
        last_year: &'d str,
        higher_is_better: bool,
    },
    /// The target equals last year's achieved value.
    EqualToLastYear { target: &'d str, last_year: &'d str },
}

fn n(d: Decimal) -> String {
    d.normalize().to_string()
}

impl Detail<'_> {
    pub fn message(&self, lang: Lang) -> String {
        use Detail::*;
        match (self, lang) {
            (MissingLevel1 { level1 }, Lang::Zh) => format!("缺少一级指标“{level1}”"),
            (MissingLevel1 { level1 }, Lang::En) => format!("no level-1 indicator “{level1}”"),
            (NoSatisfaction { served }, Lang::Zh) => {
                format!("项目服务对象为“{served}”，但未设满意度指标")
            }
            (NoSatisfaction { served }, Lang::En) => {
                format!("the project serves “{served}” but has no satisfaction indicator")
            }
            (NoCost { funds }, Lang::Zh) => format!("项目资金 {} 万元，但未设成本指标", n(*funds)),
            (NoCost { funds }, Lang::En) => {
                format!("the project has {} 万元 but no cost indicator", n(*funds))
            }
            (WeightSum { total, expected }, Lang::Zh) => {
                format!("分值权重合计 {}，应为 {}", n(*total), n(*expected))
            }
            (WeightSum { total, expected }, Lang::En) => {
                format!("weights sum to {}, expected {}", n(*total), n(*expected))
            }
            (MissingWeight, Lang::Zh) => "未填写分值权重".into(),
            (MissingWeight, Lang::En) => "no weight printed".into(),
            (RuleMissing, Lang::Zh) => "未填写指标赋分规则".into(),
            (RuleMissing, Lang::En) => "no scoring rule printed".into(),
            (RuleUnknown { label }, Lang::Zh) => format!("赋分规则“{label}”无法评分"),
            (RuleUnknown { label }, Lang::En) => format!("scoring rule “{label}” is unknown"),
            (RuleMismatch { rule, target }, Lang::Zh) => {
                format!("赋分规则“{}”不适用于指标值“{target}”", rule.label())
            }
            (RuleMismatch { rule, target }, Lang::En) => {
                format!(
                    "scoring rule “{}” cannot score target “{target}”",
                    rule.label()
                )
            }
            (UnparsedTarget { target }, Lang::Zh) => format!("指标值“{target}”无法解析"),
            (UnparsedTarget { target }, Lang::En) => format!("target “{target}” does not parse"),
            (QuantitativeShare { share }, Lang::Zh) => {
                format!("定量指标权重仅占 {}%", n(*share))
            }
            (QuantitativeShare { share }, Lang::En) => {
                format!(
                    "quantitative indicators carry only {} % of the weight",
                    n(*share)
                )
            }
            (QualitativeWeight { target, weight }, Lang::Zh) => {
                format!("定性指标值“{target}”分值 {}", n(*weight))
            }
            (QualitativeWeight { target, weight }, Lang::En) => {
                format!(
                    "qualitative target “{target}” carries {} points",
                    n(*weight)
                )
            }
            (CostAboveFunds { target, cap, funds }, Lang::Zh) => format!(
                "成本指标“{target}”（{} 万元）超过项目资金 {} 万元",
                n(*cap),
                n(*funds)
            ),
            (CostAboveFunds { target, cap, funds }, Lang::En) => format!(
                "cost target “{target}” ({} 万元) is above the project's {} 万元",
                n(*cap),
                n(*funds)
            ),
            (CostSum { sum, funds }, Lang::Zh) if sum == funds => {
                format!("成本指标上限合计 {} 万元，与项目资金一致", n(*sum))
            }
            (CostSum { sum, funds }, Lang::En) if sum == funds => {
                format!("cost caps add up to {} 万元, the project's money", n(*sum))
            }
            (CostSum { sum, funds }, Lang::Zh) => format!(
                "成本指标上限合计 {} 万元，超过项目资金 {} 万元",
                n(*sum),
                n(*funds)
            ),
            (CostSum { sum, funds }, Lang::En) => format!(
                "cost caps add up to {} 万元, above the project's {} 万元",
                n(*sum),
                n(*funds)
            ),
            (
                CountCost {
                    count,
                    unit_cost,
                    product,
                    funds,
                },
                Lang::Zh,
            ) => {
                let verdict = match product.cmp(funds) {
                    std::cmp::Ordering::Equal => "一致".to_string(),
                    std::cmp::Ordering::Greater => "资金不足".to_string(),
                    std::cmp::Ordering::Less => format!("差额 {} 万元未说明", n(funds - product)),
                };
                format!(
                    "{count} × {unit_cost} = {} 万元，项目资金 {} 万元：{verdict}",
                    n(*product),
                    n(*funds)
                )
            }
            (
                CountCost {
                    count,
                    unit_cost,
                    product,
                    funds,
                },
                Lang::En,
            ) => {
                let verdict = match product.cmp(funds) {
                    std::cmp::Ordering::Equal => "consistent".to_string(),
                    std::cmp::Ordering::Greater => "not enough money".to_string(),
                    std::cmp::Ordering::Less => {
                        format!("{} 万元 unexplained", n(funds - product))
                    }
                };
                format!(
                    "{count} × {unit_cost} = {} 万元 against the project's {} 万元: {verdict}",
                    n(*product),
                    n(*funds)
                )
            }
            (
                FundsT7 {
                    printed,
                    table7,
                    carry_over: Some(c),
                },
                Lang::Zh,
            ) => format!(
                "项目资金 {} 万元 = 表7 {} 万元 + 说明的合并结转 {} 万元",
                n(*printed),
                n(*table7),
                n(*c)
            ),
            (
                FundsT7 {
                    printed,
                    table7,
                    carry_over: Some(c),
                },
                Lang::En,
            ) => format!(
                "project money {} 万元 = Table 7 {} 万元 + documented merged carry-over {} 万元",
                n(*printed),
                n(*table7),
                n(*c)
            ),
            (
                FundsT7 {
                    printed, table7, ..
                },
                Lang::Zh,
            ) => {
                format!("项目资金 {} 万元，表7为 {} 万元", n(*printed), n(*table7))
            }
            (
                FundsT7 {
                    printed, table7, ..
                },
                Lang::En,
            ) => format!(
                "project money {} 万元, Table 7 prints {} 万元",
                n(*printed),
                n(*table7)
            ),
            (NotInTable7, Lang::Zh) => "表7中没有该项目".into(),
            (NotInTable7, Lang::En) => "no Table 7 project has this name".into(),
            (
                BelowLastYear {
                    target,
                    last_year,
                    higher_is_better: true,
                },
                Lang::Zh,
            ) => format!("指标值“{target}”低于上年完成值“{last_year}”"),
            (
                BelowLastYear {
                    target,
                    last_year,
                    higher_is_better: false,
                },
                Lang::Zh,
            ) => format!("指标值“{target}”上限高于上年完成值“{last_year}”"),
            (
                BelowLastYear {
                    target,
                    last_year,
                    higher_is_better: true,
                },
                Lang::En,
            ) => format!("target “{target}” is below last year's achieved “{last_year}”"),
            (
                BelowLastYear {
                    target,
                    last_year,
                    higher_is_better: false,
                },
                Lang::En,
            ) => format!("cap “{target}” is above last year's achieved “{last_year}”"),
            (EqualToLastYear { target, last_year }, Lang::Zh) => {
                format!("指标值“{target}”等于上年完成值“{last_year}”")
            }
            (EqualToLastYear { target, last_year }, Lang::En) => {
                format!("target “{target}” equals last year's achieved “{last_year}”")
            }
        }
    }
}

/// One finding of the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding<'d> {
    pub rule: &'static Rule,
    /// The rule's severity for a violation, [`Severity::Info`] for a confirmation.
    pub severity: Severity,
    pub table: TableRef<'d>,
    /// The indicator (三级指标), when the finding is about one.
    pub indicator: Option<&'d str>,
    pub detail: Detail<'d>,
}

impl<'d> Finding<'d> {
    /// A violation of `rule`, at the rule's severity.
    pub fn violation(
        rule: &'static Rule,
        table: TableRef<'d>,
        indicator: Option<&'d str>,
        detail: Detail<'d>,
    ) -> Finding<'d> {
        Finding {
            rule,
            severity: rule.severity,
            table,
            indicator,
            detail,
        }
    }

    /// The same finding at another severity (a confirmation, or a milder violation).
    pub fn at(self, severity: Severity) -> Finding<'d> {
        Finding { severity, ..self }
    }

    pub fn message(&self, lang: Lang) -> String {
        self.detail.message(lang)
    }
}

impl Serialize for Finding<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Message {
            zh: String,
            en: String,
        }
        let mut st = s.serialize_struct("Finding", 5)?;
        st.serialize_field("rule", self.rule.id)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("table", &self.table)?;
        st.serialize_field("indicator", &self.indicator)?;
        st.serialize_field(
            "message",
            &Message {
                zh: self.message(Lang::Zh),
                en: self.message(Lang::En),
            },
        )?;
        st.end()
    }
}
