//! Performance-target tables (部门整体绩效目标表, 项目支出绩效目标表).
//!
//! The head of a table is a set of labelled rows (预算单位, 项目名称, 项目负责人, 项目资金, 项目总体目标
//! …); the indicator block starts at the `一级指标` header row, whose cells say which columns
//! exist. Indicator rows carry merged 一级/二级 cells forward, tolerate rows that start one
//! column early and a level-2 label sitting in the level-1 column. A rule that shares its cell
//! with the evidence (`按照完成比例赋分 工作资料`, when the table has no rule column) is split off
//! afterwards, as for every source ([`crate::derive`]).

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::performance::{
    DepartmentTargets, FundSource, Indicator, IndicatorLayout, ProjectFunds, ProjectTargets,
    ScoringRule, Value,
};
use budgetflow_model::Amount;

use std::borrow::Cow;

use super::lines::{same_label, squeeze, Line, Row};
use crate::error::{Expected, ReadError};
use crate::limits::MAX_TABLE_ROWS;

pub(crate) const DEPARTMENT_TITLE: &str = "部门整体绩效目标表";
pub(crate) const PROJECT_TITLE: &str = "项目支出绩效目标表";

/// Level-1 indicator labels (一级指标).
const LEVEL1: [&str; 8] = [
    "产出指标",
    "成本指标",
    "效益指标",
    "满意度指标",
    "履职效能",
    "管理效率",
    "运行成本",
    "社会效应",
];
/// Labels that are level-2 only (二级指标) — when one sits in the level-1 column, the row is shifted.
const LEVEL2_ONLY: [&str; 10] = [
    "数量指标",
    "质量指标",
    "时效指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
    "社会效益指标",
    "经济效益指标",
    "生态效益指标",
    "可持续影响指标",
];

pub(crate) enum TargetTable {
    Department(DepartmentTargets),
    Project(ProjectTargets),
}

/// Parses a target table from its title line onwards. `lines` holds the title, the year line
/// and the rows (blank lines allowed).
pub(crate) fn read(title: &str, lines: &[Line<'_>]) -> Result<TargetTable, ReadError> {
    let year_label = lines
        .iter()
        .skip(1)
        .find(|l| !l.is_blank() && !l.is_row())
        .map(|l| l.trimmed().to_string())
        .unwrap_or_default();
    let mut rows: Vec<Row<'_>> = Vec::with_capacity(lines.len().min(MAX_TABLE_ROWS));
    for l in lines.iter().filter(|l| l.is_row()) {
        if rows.len() == MAX_TABLE_ROWS {
            return Err(ReadError::layout(
                l.no,
                title,
                Expected::AtMostRows(MAX_TABLE_ROWS),
                l.text,
            ));
        }
        rows.push(l.row()?);
    }
    let header_at = rows.iter().position(|r| {
        r.cells
            .first()
            .is_some_and(|c| is_label_text(c, "一级指标"))
    });
    let (head, body) = match header_at {
        Some(i) => (&rows[..i], &rows[i..]),
        None => (&rows[..], &rows[rows.len()..]),
    };
    let layout = IndicatorLayout {
        columns: body
            .first()
            .map(|r| {
                // sized once: a filtered iterator would grow the vector from four
                let mut columns = Vec::with_capacity(r.cells.len());
                columns.extend(
                    r.cells
                        .iter()
                        .map(|c| squeeze(c))
                        .filter(|c| !c.is_empty())
                        .map(Cow::into_owned),
                );
                columns
            })
            .unwrap_or_default(),
    };
    let indicators = indicators(&layout, body.get(1..).unwrap_or(&[]))?;
    if is_label_text(title, DEPARTMENT_TITLE) {
        let mut t = DepartmentTargets {
            year_label,
            department: String::new(),
            contact: None,
            phone: None,
            goal: String::new(),
            funds: Vec::new(),
            layout,
            indicators,
        };
        let mut in_funds = false;
        let mut category = String::new();
        for r in head {
            let (l, cells) = (&r.line, &r.cells);
            let first = squeeze(cells.first().copied().unwrap_or(""));
            if first.starts_with("部门名称") {
                t.department = next_value(cells, 0).unwrap_or_default();
            } else if first.starts_with("部门联系人") {
                t.contact = next_value(cells, 0);
                if let Some(i) = cells.iter().position(|c| is_label_text(c, "联系电话")) {
                    t.phone = next_value(cells, i);
                }
            } else if first.starts_with("年度绩效目标") {
                t.goal = next_value(cells, 0).unwrap_or_default();
            } else if first.starts_with("年度预算") {
                in_funds = true;
            } else if in_funds {
                // the amount is the last filled cell; the labels are the filled cells before it
                let Some(amount_at) = cells.iter().rposition(|c| !c.is_empty()) else {
                    continue;
                };
                let amount_text = cells[amount_at];
                let amount = parse_printed_decimal(amount_text)
                    .map(Amount::new)
                    .map_err(|_| {
                        ReadError::layout(
                            l.no,
                            "部门整体绩效目标表 · 资金",
                            Expected::Amount,
                            amount_text,
                        )
                    })?;
                let mut labels = cells[..amount_at].iter().filter(|c| !c.is_empty());
                let first_label = labels.next();
                let source = match labels.next_back() {
                    // two labels or more: the first is the category
                    Some(last) => {
                        category = first_label.copied().unwrap_or_default().to_string();
                        last.to_string()
                    }
                    None => first_label.map(|s| s.to_string()).unwrap_or_default(),
                };
                t.funds.push(FundSource {
                    category: category.clone(),
                    source,
                    amount: Some(amount),
                });
            }
        }
        Ok(TargetTable::Department(t))
    } else {
        let mut t = ProjectTargets {
            year_label,
            budget_unit: String::new(),
            project: String::new(),
            manager: None,
            funds: ProjectFunds::default(),
            goal: String::new(),
            layout,
            indicators,
        };
        for r in head {
            let (l, cells) = (&r.line, &r.cells);
            let first = squeeze(cells.first().copied().unwrap_or(""));
            if first.starts_with("预算单位") {
                t.budget_unit = next_value(cells, 0).unwrap_or_default();
            } else if first.starts_with("项目名称") {
                t.project = next_value(cells, 0).unwrap_or_default();
                if let Some(i) = cells.iter().position(|c| is_label_text(c, "项目负责人")) {
                    t.manager = next_value(cells, i);
                }
            } else if first.starts_with("项目资金") {
                // where each label sits, in one pass over the cells (the first of equal
                // labels wins)
                const LABELS: [&str; 3] = ["年度预算总额", "财政拨款", "其他资金"];
                let mut at: [Option<usize>; 3] = [None; 3];
                for (i, c) in cells.iter().enumerate() {
                    let c = c
                        .strip_prefix("其中：")
                        .or_else(|| c.strip_prefix("其中:"))
                        .unwrap_or(c);
                    for (slot, label) in at.iter_mut().zip(LABELS) {
                        if slot.is_none() && is_label_text(c, label) {
                            *slot = Some(i);
                        }
                    }
                }
                let money = |k: usize| -> Result<Option<Amount>, ReadError> {
                    let Some(v) = at[k].and_then(|i| next_cell(cells, i)) else {
                        return Ok(None);
                    };
                    parse_printed_decimal(v)
                        .map(|d| Some(Amount::new(d)))
                        .map_err(|_| {
                            ReadError::layout(
                                l.no,
                                format!("项目支出绩效目标表 · {}", LABELS[k]),
                                Expected::Amount,
                                v,
                            )
                        })
                };
                t.funds = ProjectFunds {
                    total: money(0)?,
                    fiscal: money(1)?,
                    other: money(2)?,
                };
            } else if first.starts_with("项目总体目标") {
                t.goal = next_value(cells, 0).unwrap_or_default();
            }
        }
        Ok(TargetTable::Project(t))
    }
}

/// The first non-empty cell after position `i`.
fn next_cell<'a>(cells: &[&'a str], i: usize) -> Option<&'a str> {
    cells.iter().skip(i + 1).find(|c| !c.is_empty()).copied()
}

/// [`next_cell`], owned.
fn next_value(cells: &[&str], i: usize) -> Option<String> {
    next_cell(cells, i).map(str::to_string)
}

/// Whether an already squeezed cell is an indicator label (一级 or 二级).
fn is_label(squeezed: &str) -> bool {
    LEVEL1.contains(&squeezed) || LEVEL2_ONLY.contains(&squeezed) || squeezed.ends_with("指标")
}

/// [`same_label`] for a `label` without whitespace: a cell with whitespace in it is longer
/// than the label it squeezes to, and a cell without any equals the label or does not match.
fn is_label_text(cell: &str, label: &str) -> bool {
    cell == label || (cell.len() > label.len() && same_label(cell, label))
}

/// A value as printed (its cell is trimmed already); what it states is parsed afterwards
/// (`crate::derive`), as for every source.
fn unparsed(cell: &str) -> Value {
    Value {
        raw: cell.to_string(),
        parsed: None,
    }
}

fn indicators<'a>(layout: &IndicatorLayout, rows: &[Row<'a>]) -> Result<Vec<Indicator>, ReadError> {
    let mut out = Vec::with_capacity(rows.len());
    // carried forward from merged cells, borrowed from the rows until an indicator copies them
    let (mut level1, mut level2): (Cow<'a, str>, Cow<'a, str>) = Default::default();
    // where each value column sits among the cells after the 三级指标 cell, found once per
    // table in one pass over the header (the first of equal headers wins)
    let (mut target_at, mut weight_at, mut basis_at) = (None, [None, None], [None, None]);
    let (mut rule_at, mut evidence_at, mut last_year_at) = (None, None, None);
    for (i, c) in layout.columns.iter().skip(3).enumerate() {
        let slot = match c.as_str() {
            "指标值" => &mut target_at,
            "指标分值权重" => &mut weight_at[0],
            "分值权重" => &mut weight_at[1],
            "指标值设置依据" => &mut basis_at[0],
            "指标设定依据" => &mut basis_at[1],
            "指标赋分规则" => &mut rule_at,
            "佐证资料" => &mut evidence_at,
            "上年完成值" => &mut last_year_at,
            _ => continue,
        };
        slot.get_or_insert(i);
    }
    for r in rows {
        let (l, cells) = (&r.line, &r.cells);
        // the first two cells squeezed once: they decide the shift and carry the labels
        let first = cells.first().copied().unwrap_or("");
        let (a, b) = (squeeze(first), cells.get(1).map(|c| squeeze(c)));
        // where the 三级指标 cell is: normally index 2; one earlier when the row starts early
        let shifted = !first.is_empty()
            && b.as_ref()
                .is_some_and(|b| !cells[1].is_empty() && !is_label(b))
            && !LEVEL1.contains(&a.as_ref());
        let l3_at = if shifted { 1 } else { 2 };
        match (l3_at.min(cells.len()), b) {
            (1, _) => level2 = a,
            (2, Some(b)) => {
                if b.is_empty() && !a.is_empty() && LEVEL2_ONLY.contains(&a.as_ref()) {
                    level2 = a;
                } else {
                    if !a.is_empty() {
                        level1 = a;
                        level2 = Cow::Borrowed("");
                    }
                    if !b.is_empty() {
                        level2 = b;
                    }
                }
            }
            _ => {}
        }
        let level3 = cells.get(l3_at).map(|c| squeeze(c)).unwrap_or_default();
        if level3.is_empty() {
            return Err(ReadError::layout(
                l.no,
                "绩效目标表 · 指标行",
                Expected::IndicatorName,
                l.text.trim(),
            ));
        }
        let rest = &cells[(l3_at + 1).min(cells.len())..];
        // cells are trimmed when split
        let cell = |at: Option<usize>| -> Option<&str> {
            at.and_then(|i| rest.get(i))
                .copied()
                .filter(|c| !c.is_empty())
        };
        let either = |[a, b]: [Option<usize>; 2]| cell(a).or_else(|| cell(b));
        let target = cell(target_at).ok_or_else(|| {
            ReadError::layout(
                l.no,
                format!("绩效目标表 · {level3}"),
                Expected::TargetValue,
                "",
            )
        })?;
        let weight = match either(weight_at) {
            None => None,
            Some(w) => Some(parse_printed_decimal(w).map_err(|_| {
                ReadError::layout(
                    l.no,
                    format!("绩效目标表 · {level3} · 分值权重"),
                    Expected::Weight,
                    w,
                )
            })?),
        };
        // without a rule column the rule shares the evidence's cell: it is split off afterwards
        // (`crate::derive`), as for every source
        let (rule, evidence) = (
            cell(rule_at).map(ScoringRule::from_label),
            cell(evidence_at),
        );
        out.push(Indicator {
            level1: String::from(&*level1),
            level2: String::from(&*level2),
            level3: level3.into_owned(),
            target: unparsed(target),
            basis: either(basis_at).map(str::to_string),
            last_year: cell(last_year_at).map(unparsed),
            weight,
            rule,
            evidence: evidence.map(str::to_string),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10000))]
        #[test]
        fn label_text_is_same_label(s in "[ \u{3000}\u{a0}一二级指标项目负责人]{0,8}") {
            for label in ["一级指标", "项目负责人", "指标"] {
                prop_assert_eq!(is_label_text(&s, label), same_label(&s, label));
            }
        }
    }
}
