//! Scoring one indicator by its rule (指标赋分规则), from the parsed target and the achieved
//! value, keeping the computation so that the score can be shown and checked by hand.
//!
//! | rule | points |
//! |---|---|
//! | 按照完成比例赋分, higher is better (`>=`, `>`, `=`) | `min(1, achieved ÷ target) × weight` |
//! | 按照完成比例赋分, lower is better (`<=`, `<`) | `min(1, target ÷ achieved) × weight` |
//! | 直接赋分 | `weight` if the target's condition holds, else 0 |
//! | 按评判等级赋分 | band share × weight: 达成 80–100 %, 部分达成 60–80 %, 未达成 0–60 % |
//! | 满意度赋分 | `weight` if achieved ≥ target, else `weight × achieved ÷ target` |
//!
//! A zero divisor counts as fully met (a target of 0, or nothing spent against a cap).

use rust_decimal::Decimal;
use serde::Serialize;

use budgetflow_model::performance::{parse_measure, Comparator, Indicator, Measure, ScoringRule};
use budgetflow_model::Lang;

use super::error::{ScoreError, UnitMismatch};
use super::round_points;

/// A band of 按评判等级赋分, chosen in the actuals report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 达成年度指标: 80–100 % of the weight.
    Met,
    /// 部分达成年度指标并具有一定效果: 60 % to under 80 %.
    PartlyMet,
    /// 未达成年度指标且效果较差: 0 to under 60 %.
    NotMet,
}

impl Band {
    /// Longest label first: `未达成` and `部分达成` both end in `达成`.
    const LABELS: [(Band, &'static str); 3] = [
        (Band::PartlyMet, "部分达成"),
        (Band::NotMet, "未达成"),
        (Band::Met, "达成"),
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Band::Met, Lang::Zh) => "达成",
            (Band::PartlyMet, Lang::Zh) => "部分达成",
            (Band::NotMet, Lang::Zh) => "未达成",
            (Band::Met, Lang::En) => "met",
            (Band::PartlyMet, Lang::En) => "partly met",
            (Band::NotMet, Lang::En) => "not met",
        }
    }

    /// The band's percent range: lower bound inclusive; upper bound inclusive only for 达成.
    pub fn range(self) -> (Decimal, Decimal) {
        match self {
            Band::Met => (Decimal::from(80), Decimal::ONE_HUNDRED),
            Band::PartlyMet => (Decimal::from(60), Decimal::from(80)),
            Band::NotMet => (Decimal::ZERO, Decimal::from(60)),
        }
    }

    fn contains(self, percent: Decimal) -> bool {
        let (low, high) = self.range();
        percent >= low && (percent < high || (self == Band::Met && percent == high))
    }

    /// `达成`, `部分达成 70%`, `未达成30%` → band and percent; without a percent, the band's
    /// lower bound (the reviewer must justify more).
    pub fn parse(text: &str) -> Option<(Band, Decimal)> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let (band, rest) = Band::LABELS
            .iter()
            .find_map(|(b, l)| t.strip_prefix(l).map(|r| (*b, r)))?;
        if rest.is_empty() {
            return Some((band, band.range().0));
        }
        let percent: Decimal = rest.strip_suffix('%')?.parse().ok()?;
        band.contains(percent).then_some((band, percent))
    }
}

/// How the points of an indicator were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Computation {
    /// 按照完成比例赋分, higher is better: `min(1, achieved ÷ target) × weight`.
    HigherIsBetter { target: Decimal, achieved: Decimal },
    /// 按照完成比例赋分, lower is better: `min(1, target ÷ achieved) × weight`.
    LowerIsBetter { target: Decimal, achieved: Decimal },
    /// 直接赋分: all or nothing.
    AllOrNothing {
        comparator: Comparator,
        target: Decimal,
        achieved: Decimal,
        met: bool,
    },
    /// 按评判等级赋分: `percent % × weight`.
    Graded { band: Band, percent: Decimal },
    /// 满意度赋分: full at or above target, else `weight × achieved ÷ target`.
    Satisfaction {
        target: Decimal,
        achieved: Decimal,
        met: bool,
    },
}

fn n(d: Decimal) -> String {
    d.normalize().to_string()
}

impl Computation {
    /// The formula with the figures in (`min(1, 45 ÷ 50) × 10`).
    pub fn formula(&self, weight: Decimal, lang: Lang) -> String {
        let w = n(weight);
        match *self {
            Computation::HigherIsBetter { target, achieved } => {
                format!("min(1, {} ÷ {}) × {w}", n(achieved), n(target))
            }
            Computation::LowerIsBetter { target, achieved } => {
                format!("min(1, {} ÷ {}) × {w}", n(target), n(achieved))
            }
            Computation::AllOrNothing {
                comparator,
                target,
                achieved,
                met,
            } => {
                let (holds, points) = if met { ("", w.as_str()) } else { ("not ", "0") };
                let op = comparator_for_direct(comparator).symbol();
                match lang {
                    Lang::Zh => format!(
                        "{} {op} {}{} → {points}",
                        n(achieved),
                        n(target),
                        if met { " 成立" } else { " 不成立" }
                    ),
                    Lang::En => {
                        format!("{} {op} {} {holds}met → {points}", n(achieved), n(target))
                    }
                }
            }
            Computation::Graded { band, percent } => {
                format!("{} {}% × {w}", band.label(lang), n(percent))
            }
            Computation::Satisfaction {
                target,
                achieved,
                met: true,
            } => format!("{} >= {} → {w}", n(achieved), n(target)),
            Computation::Satisfaction {
                target, achieved, ..
            } => format!("{w} × {} ÷ {}", n(achieved), n(target)),
        }
    }
}

/// `=` targets are met at or above the value (`=100%`, `=50家`), like `>=`.
fn comparator_for_direct(c: Comparator) -> Comparator {
    match c {
        Comparator::Equal => Comparator::AtLeast,
        other => other,
    }
}

/// One scored indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorScore<'a> {
    pub level1: &'a str,
    pub level3: &'a str,
    pub rule: &'a str,
    pub weight: Decimal,
    /// 指标值 as printed.
    pub target: &'a str,
    /// 完成值 as reported.
    pub achieved: &'a str,
    /// achieved ÷ target (target ÷ achieved when lower is better; the band percent ÷ 100 for
    /// graded), to 4 places, not capped.
    pub ratio: Decimal,
    pub computation: Computation,
    pub points: Decimal,
}

fn ratio(numerator: Decimal, denominator: Decimal) -> Decimal {
    if denominator.is_zero() {
        Decimal::ONE
    } else {
        numerator / denominator
    }
}

/// Scores `indicator` of `project` with the `achieved` text of the report.
pub fn score<'a>(
    project: &str,
    indicator: &'a Indicator,
    achieved: &'a str,
) -> Result<IndicatorScore<'a>, ScoreError> {
    let unscorable = |reason: &str| ScoreError::Unscorable {
        project: project.to_string(),
        indicator: indicator.level3.clone(),
        reason: reason.to_string(),
    };
    let weight = indicator
        .weight
        .ok_or_else(|| unscorable("no weight / 未填写分值权重"))?;
    let rule = indicator
        .rule
        .as_ref()
        .ok_or_else(|| unscorable("no scoring rule / 未填写赋分规则"))?;
    let target = indicator
        .target
        .parsed
        .as_ref()
        .ok_or_else(|| unscorable("the target does not parse / 指标值无法解析"))?;
    let computation = match (rule, target) {
        (ScoringRule::Graded, _) => {
            let (band, percent) = Band::parse(achieved).ok_or_else(|| ScoreError::BadBand {
                project: project.to_string(),
                indicator: indicator.level3.clone(),
                achieved: achieved.to_string(),
            })?;
            Computation::Graded { band, percent }
        }
        (
            ScoringRule::Proportional | ScoringRule::Direct | ScoringRule::Satisfaction,
            Measure::Quantity {
                comparator,
                value: target,
                unit,
            },
        ) => {
            let comparator = comparator.unwrap_or(Comparator::AtLeast);
            let achieved = achieved_number(project, indicator, achieved, unit.as_deref())?;
            let target = *target;
            match rule {
                ScoringRule::Proportional if comparator.higher_is_better() => {
                    Computation::HigherIsBetter { target, achieved }
                }
                ScoringRule::Proportional => Computation::LowerIsBetter { target, achieved },
                ScoringRule::Direct => Computation::AllOrNothing {
                    comparator,
                    target,
                    achieved,
                    met: holds(comparator, achieved, target),
                },
                _ => Computation::Satisfaction {
                    target,
                    achieved,
                    met: achieved >= target,
                },
            }
        }
        (ScoringRule::Other(label), _) => {
            return Err(unscorable(&format!(
                "unknown rule / 未知赋分规则 “{label}”"
            )))
        }
        (_, Measure::Qualitative { .. }) => {
            return Err(unscorable(
                "a qualitative target needs 按评判等级赋分 / 定性指标应按评判等级赋分",
            ))
        }
    };
    let (ratio, points) = match computation {
        Computation::HigherIsBetter { target, achieved } => {
            let r = ratio(achieved, target);
            (r, r.min(Decimal::ONE) * weight)
        }
        Computation::LowerIsBetter { target, achieved } => {
            let r = ratio(target, achieved);
            (r, r.min(Decimal::ONE) * weight)
        }
        Computation::AllOrNothing {
            target,
            achieved,
            met,
            ..
        } => (
            ratio(achieved, target),
            if met { weight } else { Decimal::ZERO },
        ),
        Computation::Graded { percent, .. } => {
            let r = percent / Decimal::ONE_HUNDRED;
            (r, r * weight)
        }
        Computation::Satisfaction {
            target,
            achieved,
            met,
        } => {
            let r = ratio(achieved, target);
            (
                r,
                if met {
                    weight
                } else {
                    r.min(Decimal::ONE) * weight
                },
            )
        }
    };
    Ok(IndicatorScore {
        level1: &indicator.level1,
        level3: &indicator.level3,
        rule: rule.label(),
        weight,
        target: &indicator.target.raw,
        achieved,
        ratio: ratio
            .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        computation,
        points: round_points(points),
    })
}

/// Whether `achieved` meets the target's condition (`=` meets at or above).
fn holds(c: Comparator, achieved: Decimal, target: Decimal) -> bool {
    match comparator_for_direct(c) {
        Comparator::AtLeast | Comparator::Equal => achieved >= target,
        Comparator::Greater => achieved > target,
        Comparator::AtMost => achieved <= target,
        Comparator::Less => achieved < target,
    }
}

/// The achieved number, in exactly the target's unit.
fn achieved_number(
    project: &str,
    indicator: &Indicator,
    achieved: &str,
    target_unit: Option<&str>,
) -> Result<Decimal, ScoreError> {
    let owned = |s: &str| s.to_string();
    let measure = parse_measure(achieved).map_err(|_| ScoreError::UnreadableValue {
        project: owned(project),
        indicator: indicator.level3.clone(),
        achieved: owned(achieved),
    })?;
    let Measure::Quantity {
        comparator,
        value,
        unit,
    } = measure
    else {
        return Err(ScoreError::UnreadableValue {
            project: owned(project),
            indicator: indicator.level3.clone(),
            achieved: owned(achieved),
        });
    };
    if comparator.is_some() {
        return Err(ScoreError::ComparatorInAchieved {
            project: owned(project),
            indicator: indicator.level3.clone(),
            achieved: owned(achieved),
        });
    }
    if unit.as_deref() != target_unit {
        return Err(ScoreError::UnitMismatch(Box::new(UnitMismatch {
            project: owned(project),
            indicator: indicator.level3.clone(),
            target: indicator.target.raw.clone(),
            achieved: owned(achieved),
            target_unit: target_unit.unwrap_or("").to_string(),
            achieved_unit: unit.unwrap_or_default(),
        })));
    }
    if value < Decimal::ZERO {
        return Err(ScoreError::NegativeValue {
            project: owned(project),
            indicator: indicator.level3.clone(),
            achieved: owned(achieved),
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_parse_with_and_without_a_percent() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(Band::parse("达成"), Some((Band::Met, d("80"))));
        assert_eq!(Band::parse("达成 100%"), Some((Band::Met, d("100"))));
        assert_eq!(
            Band::parse("部分达成 70%"),
            Some((Band::PartlyMet, d("70")))
        );
        assert_eq!(Band::parse("未达成"), Some((Band::NotMet, d("0"))));
        assert_eq!(Band::parse("部分达成 80%"), None, "80 % belongs to 达成");
        assert_eq!(Band::parse("达成 79%"), None);
        assert_eq!(Band::parse("很好"), None);
    }
}
