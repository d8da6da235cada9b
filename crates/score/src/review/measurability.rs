//! Measurability: every target parses; quantitative targets carry most of the weight; no
//! single qualitative target (不断提高, 稳步增长, 有效 …) carries a large weight.

use rust_decimal::{Decimal, RoundingStrategy};

use budgetflow_model::performance::Measure;

use super::catalog::{P_QUALITATIVE_WEIGHT, P_QUANTITATIVE_SHARE, P_TARGET_VALUE};
use super::finding::{Detail, Finding};
use super::Subject;

/// Below this share (%) of the weight on quantitative targets, the table is flagged.
pub const MIN_QUANTITATIVE_SHARE: Decimal = Decimal::from_parts(60, 0, 0, false, 0);
/// A qualitative target with this weight or more is flagged.
pub const LARGE_QUALITATIVE_WEIGHT: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

/// Checks the table and returns the quantitative share of its weight (%, 2 places), or
/// `None` when it has no weight at all.
pub fn check<'d>(s: &Subject<'d>, out: &mut Vec<Finding<'d>>) -> Option<Decimal> {
    let (mut quantitative, mut total) = (Decimal::ZERO, Decimal::ZERO);
    for i in s.indicators {
        let weight = i.weight.unwrap_or_default();
        total += weight;
        match &i.target.parsed {
            None => out.push(Finding::violation(
                &P_TARGET_VALUE,
                s.table,
                Some(&i.level3),
                Detail::UnparsedTarget {
                    target: &i.target.raw,
                },
            )),
            Some(Measure::Quantity { .. }) => quantitative += weight,
            Some(Measure::Qualitative { .. }) => {
                if weight >= LARGE_QUALITATIVE_WEIGHT {
                    out.push(Finding::violation(
                        &P_QUALITATIVE_WEIGHT,
                        s.table,
                        Some(&i.level3),
                        Detail::QualitativeWeight {
                            target: &i.target.raw,
                            weight,
                        },
                    ));
                }
            }
        }
    }
    if total.is_zero() {
        return None;
    }
    let share = (quantitative * Decimal::ONE_HUNDRED / total)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if share < MIN_QUANTITATIVE_SHARE {
        out.push(Finding::violation(
            &P_QUANTITATIVE_SHARE,
            s.table,
            None,
            Detail::QuantitativeShare { share },
        ));
    }
    Some(share)
}
