//! Ambition: each quantitative target against last year's achieved value (上年完成值) in the
//! same unit. Asking for less than was achieved (a looser cap, for lower-is-better targets) is
//! a warning; asking for exactly the same is noted (info); more is what is expected.

use std::cmp::Ordering;

use budgetflow_model::performance::Measure;

use super::catalog::{Severity, P_AMBITION};
use super::finding::{Detail, Finding};
use super::Subject;

pub fn check<'d>(s: &Subject<'d>, out: &mut Vec<Finding<'d>>) {
    for i in s.indicators {
        let Some(Measure::Quantity {
            comparator: Some(c),
            value: target,
            unit,
        }) = &i.target.parsed
        else {
            continue;
        };
        let Some(Measure::Quantity {
            value: last,
            unit: last_unit,
            ..
        }) = i.last_year.as_ref().and_then(|v| v.parsed.as_ref())
        else {
            continue;
        };
        if unit != last_unit {
            continue;
        }
        let higher_is_better = c.higher_is_better();
        let last_year = i.last_year.as_ref().map_or("", |v| v.raw.as_str());
        let detail = match (target.cmp(last), higher_is_better) {
            (Ordering::Equal, _) => Detail::EqualToLastYear {
                target: &i.target.raw,
                last_year,
            },
            (Ordering::Less, true) | (Ordering::Greater, false) => Detail::BelowLastYear {
                target: &i.target.raw,
                last_year,
                higher_is_better,
            },
            _ => continue,
        };
        let finding = Finding::violation(&P_AMBITION, s.table, Some(&i.level3), detail);
        out.push(match finding.detail {
            Detail::EqualToLastYear { .. } => finding.at(Severity::Info),
            _ => finding,
        });
    }
}
