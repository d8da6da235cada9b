//! Structure: the level-1 indicators a project needs (产出 and 效益; 满意度 where it serves
//! people; 成本 where it has money), weights that add up to 90 (100 with an execution-rate
//! row), and a scoring rule that fits each target.

use rust_decimal::Decimal;

use budgetflow_model::performance::{Measure, ScoringRule};

use super::catalog::{P_COST, P_OUTPUT_OUTCOME, P_SATISFACTION, P_SCORING_RULE, P_WEIGHTS};
use super::finding::{Detail, Finding};
use super::{under, Subject};

/// Words that name the people a project serves: when the goal or an indicator names one, the
/// project is expected to ask them how satisfied they are.
pub const SERVED: [&str; 10] = [
    "企业",
    "居民",
    "群众",
    "用户",
    "服务对象",
    "老干部",
    "家属",
    "市民",
    "学生",
    "患者",
];

/// The first character of each word of [`SERVED`], as its three UTF-8 bytes in a `u32`.
const SERVED_HEADS: [u32; SERVED.len()] = {
    let mut heads = [0; SERVED.len()];
    let mut i = 0;
    while i < SERVED.len() {
        heads[i] = head(SERVED[i].as_bytes(), 0);
        i += 1;
    }
    heads
};

const fn head(bytes: &[u8], at: usize) -> u32 {
    (bytes[at] as u32) << 16 | (bytes[at + 1] as u32) << 8 | bytes[at + 2] as u32
}

/// The first word of [`SERVED`] in `text`, in one pass over its characters, each compared
/// with the words' first characters as integers. (Substring search is slow on CJK text:
/// almost every position starts with the same lead byte, and this check reads whole
/// 项目总体目标 paragraphs.)
fn first_served(text: &str) -> Option<&'static str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at + 3 <= bytes.len() {
        if bytes[at] & 0xF0 != 0xE0 {
            at += 1;
            continue;
        }
        let h = head(bytes, at);
        if let Some(i) = SERVED_HEADS.iter().position(|x| *x == h) {
            if bytes[at..].starts_with(SERVED[i].as_bytes()) {
                return Some(SERVED[i]);
            }
        }
        at += 3;
    }
    None
}

/// The row that makes a table's weights sum to 100 instead of 90.
pub const EXECUTION_RATE: &str = "预算执行率";

/// Every structure check of a project table.
pub fn check<'d>(s: &Subject<'d>, out: &mut Vec<Finding<'d>>) {
    for (word, level1) in [("产出", "产出指标"), ("效益", "效益指标")] {
        if !s.indicators.iter().any(|i| under(i, word)) {
            out.push(Finding::violation(
                &P_OUTPUT_OUTCOME,
                s.table,
                None,
                Detail::MissingLevel1 { level1 },
            ));
        }
    }
    if !s.indicators.iter().any(|i| under(i, "满意度")) {
        let served = first_served(s.goal)
            .or_else(|| s.indicators.iter().find_map(|i| first_served(&i.level3)));
        if let Some(served) = served {
            out.push(Finding::violation(
                &P_SATISFACTION,
                s.table,
                None,
                Detail::NoSatisfaction { served },
            ));
        }
    }
    if let Some(funds) = s.funds.filter(|f| *f > Decimal::ZERO) {
        if !s.indicators.iter().any(|i| under(i, "成本")) {
            out.push(Finding::violation(
                &P_COST,
                s.table,
                None,
                Detail::NoCost { funds },
            ));
        }
    }
    check_weights(s, out);
    check_rules(s, out);
}

/// Σ weights = 90, or 100 when the table has its own 预算执行率 row; every row weighted.
pub fn check_weights<'d>(s: &Subject<'d>, out: &mut Vec<Finding<'d>>) {
    for i in s.indicators.iter().filter(|i| i.weight.is_none()) {
        out.push(Finding::violation(
            &P_WEIGHTS,
            s.table,
            Some(&i.level3),
            Detail::MissingWeight,
        ));
    }
    let total: Decimal = s.indicators.iter().filter_map(|i| i.weight).sum();
    let expected = if s
        .indicators
        .iter()
        .any(|i| i.level3.contains(EXECUTION_RATE))
    {
        Decimal::ONE_HUNDRED
    } else {
        Decimal::from(90)
    };
    if total != expected {
        out.push(Finding::violation(
            &P_WEIGHTS,
            s.table,
            None,
            Detail::WeightSum { total, expected },
        ));
    }
}

/// Each row has a rule the scorer knows, and the rule fits the target: 按评判等级赋分 for
/// qualitative targets, the other three for numbers.
fn check_rules<'d>(s: &Subject<'d>, out: &mut Vec<Finding<'d>>) {
    for i in s.indicators {
        let detail = match (&i.rule, &i.target.parsed) {
            (None, _) => Detail::RuleMissing,
            (Some(ScoringRule::Other(label)), _) => Detail::RuleUnknown { label },
            (Some(rule @ ScoringRule::Graded), Some(Measure::Quantity { .. }))
            | (
                Some(
                    rule @ (ScoringRule::Proportional
                    | ScoringRule::Direct
                    | ScoringRule::Satisfaction),
                ),
                Some(Measure::Qualitative { .. }),
            ) => Detail::RuleMismatch {
                rule,
                target: &i.target.raw,
            },
            _ => continue,
        };
        out.push(Finding::violation(
            &P_SCORING_RULE,
            s.table,
            Some(&i.level3),
            detail,
        ));
    }
}
