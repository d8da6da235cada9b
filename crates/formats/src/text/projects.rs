//! Section 七: one description per project — 项目名称, 设立的政策依据, 预算安排规模, 项目承担单位,
//! 资金分配情况, 资金执行时间 — where a classified project's details read `完全不予公开`.

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::narrative::{
    Allocation, AllocationItem, Disclosed, Period, ProjectDescription,
};
use budgetflow_model::tables::ProjectName;
use budgetflow_model::{Amount, MoneyUnit};
use chrono::NaiveDate;

use super::lines::Line;
use super::scan::{self, At, Start};
use crate::error::{Expected, ReadError};
use crate::numerals;

pub(crate) const WITHHELD: &str = "完全不予公开";

/// The field labels of a description, in printed order.
pub(crate) const FIELDS: [&str; 5] = [
    "设立的政策依据",
    "预算安排规模",
    "项目承担单位",
    "资金分配情况",
    "资金执行时间",
];

/// `(\d[\d,]*(?:\.\d+)?)\s*(?:万元|元)`: an amount closing an allocation item, with where
/// it starts.
fn allocation_amount(at: At<'_>) -> Option<(At<'_>, (usize, &str))> {
    let (end, number) = at.number()?;
    let (end, _) = end.spaces().one_of(&["万元", "元"])?;
    Some((end, (at.pos(), number)))
}

/// `（二）项目名称：特定目标 10100021` → (2, name).
pub(crate) fn project_label(text: &str) -> Option<(u32, String)> {
    let t = text.trim();
    if !(t.starts_with('（') || t.starts_with('(')) || !t.contains("项目名称") {
        return None;
    }
    // `[（(] \s* ([一二三四五六七八九十]+) \s* [）)] \s* 项目名称 \s* [：:] \s* (.*)`, read by hand:
    // the pattern is fixed and its captures cost more than the rest of the description
    let rest = t.strip_prefix(['（', '('])?.trim_start();
    let numeral_len = rest
        .char_indices()
        .find(|(_, c)| !"一二三四五六七八九十".contains(*c))
        .map_or(rest.len(), |(i, _)| i);
    if numeral_len == 0 {
        return None;
    }
    let (numeral, rest) = rest.split_at(numeral_len);
    let rest = rest.trim_start().strip_prefix(['）', ')'])?.trim_start();
    let rest = rest.strip_prefix("项目名称")?.trim_start();
    let name = rest.strip_prefix(['：', ':'])?;
    Some((numerals::parse(numeral)?, name.trim().to_string()))
}

/// The value of a `label：value` line if it is one of the description fields.
pub(crate) fn field(text: &str) -> Option<(&'static str, &str)> {
    let t = text.trim();
    FIELDS.iter().find_map(|f| {
        let rest = t.strip_prefix(f)?.trim_start();
        let rest = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))?;
        Some((*f, rest.trim()))
    })
}

/// Whether a field's value is `完全不予公开` (a classified project's details).
pub(crate) fn withheld(value: &str) -> bool {
    value.trim_end_matches(['。', '.']).trim() == WITHHELD
}

/// Builds a description from its label line and field lines.
pub(crate) fn description(
    number: u32,
    name: String,
    fields: &[(usize, &'static str, String)],
) -> Result<ProjectDescription, ReadError> {
    let get = |f: &str| fields.iter().find(|(_, k, _)| *k == f);
    // as printed: a `完全不予公开` field is found withheld afterwards, with the items and dates
    // (`crate::derive`), as for every source
    let text = |f: &str| get(f).map_or_else(String::new, |(_, _, v)| v.clone());
    let (amount, unit) = match get("预算安排规模") {
        Some((line, _, v)) => {
            let (a, u) = amount_with_unit(v)
                .ok_or_else(|| ReadError::layout(*line, "预算安排规模", Expected::Amount, v))?;
            (Some(a), u)
        }
        None => (None, MoneyUnit::TenThousandYuan),
    };
    let allocation = Disclosed::Stated(Allocation {
        text: text("资金分配情况"),
        items: Vec::new(),
    });
    let period = Disclosed::Stated(Period {
        text: text("资金执行时间"),
        start: None,
        end: None,
    });
    Ok(ProjectDescription {
        number,
        name: ProjectName::new(name),
        policy_basis: Disclosed::Stated(text("设立的政策依据")),
        amount,
        unit,
        implementer: get("项目承担单位").map(|(_, _, v)| v.clone()),
        allocation,
        period,
    })
}

fn amount_with_unit(v: &str) -> Option<(Amount, MoneyUnit)> {
    let t = v.trim().trim_end_matches(['。', '.']).trim();
    let (num, unit) = if let Some(n) = t.strip_suffix("万元") {
        (n, MoneyUnit::TenThousandYuan)
    } else if let Some(n) = t.strip_suffix("亿元") {
        (n, MoneyUnit::HundredMillionYuan)
    } else if let Some(n) = t.strip_suffix('元') {
        (n, MoneyUnit::Yuan)
    } else {
        (t, MoneyUnit::TenThousandYuan)
    };
    parse_printed_decimal(num)
        .ok()
        .map(|d| (Amount::new(d), unit))
}

/// The items of a 资金分配情况. Items are cut at their amounts (`劳务费 8.90 万元、其他交通费 11.60
/// 万元`), so a purpose may itself contain `、` (`辅助履职人员工资、社保 33.81 万元`).
pub(crate) fn allocation_items(text: &str) -> Vec<AllocationItem> {
    let mut items = Vec::new();
    let mut from = 0;
    for (end, (start, number)) in scan::find_iter(text, Start::Digit, |at| {
        let (end, found) = allocation_amount(at)?;
        Some((end, (end.pos(), found)))
    }) {
        let purpose = text[from..start]
            .trim_start_matches(['、', '，', ',', '；', ';', ' '])
            .trim();
        from = end;
        if let Ok(amount) = parse_printed_decimal(number) {
            items.push(AllocationItem {
                purpose: purpose.to_string(),
                amount: Amount::new(amount),
            });
        }
    }
    items
}

/// The first and last day of a 资金执行时间 (`2025年1月1日-2025年12月31日`), as far as it states
/// them.
pub(crate) fn period_dates(text: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let dates: Vec<NaiveDate> = scan::find_iter(text, Start::Digit, scan::date)
        .filter_map(|[y, m, d]| {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        })
        .collect();
    (dates.first().copied(), dates.get(1).copied())
}

/// Reads the project descriptions of section 七 out of its lines; other lines are returned
/// as paragraphs in place.
pub(crate) enum Piece {
    Project(ProjectDescription),
    Other(usize),
}

/// A description being read: its number, name and the (line, field, value) lines so far.
type PendingProject = (u32, String, Vec<(usize, &'static str, String)>);

pub(crate) fn read(lines: &[Line<'_>]) -> Result<Vec<Piece>, ReadError> {
    let mut out = Vec::new();
    let mut current: Option<PendingProject> = None;
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() {
            continue;
        }
        if let Some((n, name)) = project_label(l.text) {
            if let Some((n, name, fields)) = current.take() {
                out.push(Piece::Project(description(n, name, &fields)?));
            }
            current = Some((n, name, Vec::new()));
            continue;
        }
        if let (Some((_, _, fields)), Some((f, v))) = (current.as_mut(), field(l.text)) {
            fields.push((l.no, f, v.to_string()));
            continue;
        }
        if let Some((n, name, fields)) = current.take() {
            out.push(Piece::Project(description(n, name, &fields)?));
        }
        out.push(Piece::Other(i));
    }
    if let Some((n, name, fields)) = current.take() {
        out.push(Piece::Project(description(n, name, &fields)?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::scan::tests::phrase_text;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn allocation_amounts_are_found_as_the_pattern_found_them(
            text in phrase_text(&["劳务费", "万元", "元", "、", "1,234.56", "8.90", "12.34.56"])
        ) {
            let ours: Vec<(usize, &str)> =
                scan::find_iter(&text, Start::Digit, allocation_amount).collect();
            let expected: Vec<(usize, &str)> = regex::Regex::new(r"(\d[\d,]*(?:\.\d+)?)\s*(?:万元|元)")
                .unwrap()
                .captures_iter(&text)
                .map(|c| (c.get(1).unwrap().start(), c.get(1).unwrap().as_str()))
                .collect();
            prop_assert_eq!(ours, expected);
        }
    }

    #[test]
    fn project_labels_as_printed() {
        let label = project_label;
        assert_eq!(
            label("（二）项目名称：特定目标 10100021"),
            Some((2, "特定目标 10100021".to_string()))
        );
        assert_eq!(
            label(" ( 一十一 ) 项目名称 : 工业互联网平台建设 "),
            Some((11, "工业互联网平台建设".to_string()))
        );
        assert_eq!(label("（二）项目名称："), Some((2, String::new())));
        assert_eq!(label("（二）项目名称特定目标"), None);
        assert_eq!(label("（）项目名称：X"), None);
        assert_eq!(label("（2）项目名称：X"), None);
        assert_eq!(label("二、项目名称：X"), None);
    }
}
