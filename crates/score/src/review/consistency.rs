//! Consistency with the money: cost caps (`≤ x 万元`) not above the project's money, alone
//! or together; a count × unit-cost pair (`=50家` × `=10万元/家`) equal to the money; and the
//! money itself equal to the project's 表7 amount, plus a carry-over only when 其他重要事项
//! documents the merge.
//!
//! Money is compared in 万元 (the unit of 项目资金), to 2 decimal places.

use rust_decimal::{Decimal, RoundingStrategy};

use budgetflow_model::names::same_name;
use budgetflow_model::performance::{Comparator, Indicator, Measure};
use budgetflow_model::Document;

use super::catalog::{Severity, P_COST_CAP, P_COST_SUM, P_COUNT_COST, P_FUNDS_T7};
use super::finding::{Detail, Finding, TableRef};
use super::{under, Subject};
use crate::unit::Unit;

/// Every consistency check of a project table.
pub fn check<'d>(s: &Subject<'d>, doc: &'d Document, out: &mut Vec<Finding<'d>>) {
    if let Some(funds) = s.funds {
        check_cost_caps(s, funds, out);
        check_count_cost(s, funds, out);
    }
    if let TableRef::Project(name) = s.table {
        check_table7(s, name, doc, out);
    }
}

fn wan(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A cost indicator's target as (comparator, value, unit).
fn cost_target(i: &Indicator) -> Option<(Comparator, Decimal, Unit<'_>)> {
    if !under(i, "成本") {
        return None;
    }
    match &i.target.parsed {
        Some(Measure::Quantity {
            comparator: Some(c),
            value,
            unit: Some(u),
        }) => Some((*c, *value, Unit::parse(u))),
        _ => None,
    }
}

fn check_cost_caps<'d>(s: &Subject<'d>, funds: Decimal, out: &mut Vec<Finding<'d>>) {
    let mut caps = Vec::new();
    for i in s.indicators {
        let Some((c, value, unit)) = cost_target(i) else {
            continue;
        };
        let Some(scale) = unit.money_in_wan().filter(|_| unit.per.is_none()) else {
            continue;
        };
        if !matches!(c, Comparator::AtMost | Comparator::Less | Comparator::Equal) {
            continue;
        }
        let cap = wan(value * scale);
        caps.push(cap);
        if cap > funds {
            out.push(Finding::violation(
                &P_COST_CAP,
                s.table,
                Some(&i.level3),
                Detail::CostAboveFunds {
                    target: &i.target.raw,
                    cap,
                    funds,
                },
            ));
        }
    }
    if caps.len() >= 2 {
        let sum: Decimal = caps.iter().sum();
        let finding =
            Finding::violation(&P_COST_SUM, s.table, None, Detail::CostSum { sum, funds });
        if sum > funds {
            out.push(finding);
        } else if sum == funds {
            out.push(finding.at(Severity::Info));
        }
    }
}

/// `=50家` (a count of 家) × `=10万元/家` (a cost per 家) against the money: equal is
/// confirmed (info), more than the money is an error, less leaves money unexplained (warning).
fn check_count_cost<'d>(s: &Subject<'d>, funds: Decimal, out: &mut Vec<Finding<'d>>) {
    for cost in s.indicators {
        let Some((_, unit_cost, unit)) = cost_target(cost) else {
            continue;
        };
        let (Some(scale), Some(per)) = (unit.money_in_wan(), unit.per) else {
            continue;
        };
        let count = s.indicators.iter().find_map(|i| match &i.target.parsed {
            Some(Measure::Quantity {
                comparator: Some(Comparator::Equal | Comparator::AtLeast | Comparator::Greater),
                value,
                unit: Some(u),
            }) if !under(i, "成本") && u == per => Some((i, *value)),
            _ => None,
        });
        let Some((count, n)) = count else {
            continue;
        };
        let product = wan(n * unit_cost * scale);
        let finding = Finding::violation(
            &P_COUNT_COST,
            s.table,
            Some(&cost.level3),
            Detail::CountCost {
                count: &count.target.raw,
                unit_cost: &cost.target.raw,
                product,
                funds,
            },
        );
        out.push(match product.cmp(&funds) {
            std::cmp::Ordering::Equal => finding.at(Severity::Info),
            std::cmp::Ordering::Greater => finding,
            std::cmp::Ordering::Less => finding.at(Severity::Warning),
        });
    }
}

fn check_table7<'d>(s: &Subject<'d>, name: &str, doc: &'d Document, out: &mut Vec<Finding<'d>>) {
    let Some(t7) = &doc.tables.projects else {
        return;
    };
    let Some(printed) = s.funds else {
        return;
    };
    let row = t7.projects().find(|r| {
        r.project
            .as_ref()
            .is_some_and(|p| same_name(p.as_str(), name))
    });
    let Some(row) = row else {
        out.push(
            Finding::violation(&P_FUNDS_T7, s.table, None, Detail::NotInTable7)
                .at(Severity::Warning),
        );
        return;
    };
    let Some(table7) = row.amounts.total.map(|a| a.value()) else {
        return;
    };
    if printed == table7 {
        return;
    }
    let carry_over = doc
        .other_matters
        .merged_carry_over
        .iter()
        .find(|m| m.current.value() == table7 && m.carry_over.value() + table7 == printed)
        .map(|m| m.carry_over.value());
    let finding = Finding::violation(
        &P_FUNDS_T7,
        s.table,
        None,
        Detail::FundsT7 {
            printed,
            table7,
            carry_over,
        },
    );
    out.push(match carry_over {
        Some(_) => finding.at(Severity::Info),
        None => finding,
    });
}
