//! Performance-target tables (部门整体绩效目标表, 项目支出绩效目标表).
//!
//! The head of a table is a set of labelled rows (预算单位, 项目名称, 项目负责人, 项目资金, 项目总体目标
//! …); the indicator block starts at the `一级指标` header row, whose cells say which columns
//! exist. Indicator rows carry merged 一级/二级 cells forward, tolerate rows that start one
//! column early and a level-2 label sitting in the level-1 column, and split a rule that shares
//! its cell with the evidence (`按照完成比例赋分 工作资料`) when the table has no rule column.

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::performance::{
    DepartmentTargets, FundSource, Indicator, IndicatorLayout, ProjectFunds, ProjectTargets,
    ScoringRule, Value,
};
use budgetflow_model::Amount;

use super::lines::{same_label, squeeze, Line, Row};
use crate::error::{Expected, ReadError};

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
    let rows: Vec<Row<'_>> = lines.iter().filter(|l| l.is_row()).map(Line::row).collect();
    let header_at = rows
        .iter()
        .position(|r| r.cells.first().is_some_and(|c| same_label(c, "一级指标")));
    let (head, body) = match header_at {
        Some(i) => (&rows[..i], &rows[i..]),
        None => (&rows[..], &rows[rows.len()..]),
    };
    let layout = IndicatorLayout {
        columns: body
            .first()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| squeeze(c))
                    .filter(|c| !c.is_empty())
                    .map(|c| c.into_owned())
                    .collect()
            })
            .unwrap_or_default(),
    };
    let indicators = indicators(&layout, body.get(1..).unwrap_or(&[]))?;
    if squeeze(title) == DEPARTMENT_TITLE {
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
                if let Some(i) = cells.iter().position(|c| same_label(c, "联系电话")) {
                    t.phone = next_value(cells, i);
                }
            } else if first.starts_with("年度绩效目标") {
                t.goal = next_value(cells, 0).unwrap_or_default();
            } else if first.starts_with("年度预算") {
                in_funds = true;
            } else if in_funds {
                let filled: Vec<(usize, &str)> = cells
                    .iter()
                    .copied()
                    .enumerate()
                    .filter(|(_, c)| !c.is_empty())
                    .collect();
                let Some(&(amount_at, amount_text)) = filled.last() else {
                    continue;
                };
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
                let labels: Vec<&str> = filled
                    .iter()
                    .filter(|(i, _)| *i < amount_at)
                    .map(|(_, c)| *c)
                    .collect();
                let source = labels.last().map(|s| s.to_string()).unwrap_or_default();
                if labels.len() >= 2 {
                    category = labels[0].to_string();
                }
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
                if let Some(i) = cells.iter().position(|c| same_label(c, "项目负责人")) {
                    t.manager = next_value(cells, i);
                }
            } else if first.starts_with("项目资金") {
                let money = |label: &str| -> Result<Option<Amount>, ReadError> {
                    let Some(i) = cells.iter().position(|c| {
                        let c = c
                            .strip_prefix("其中：")
                            .or_else(|| c.strip_prefix("其中:"))
                            .unwrap_or(c);
                        same_label(c, label)
                    }) else {
                        return Ok(None);
                    };
                    match next_value(cells, i) {
                        None => Ok(None),
                        Some(v) => parse_printed_decimal(&v)
                            .map(|d| Some(Amount::new(d)))
                            .map_err(|_| {
                                ReadError::layout(
                                    l.no,
                                    format!("项目支出绩效目标表 · {label}"),
                                    Expected::Amount,
                                    v,
                                )
                            }),
                    }
                };
                t.funds = ProjectFunds {
                    total: money("年度预算总额")?,
                    fiscal: money("财政拨款")?,
                    other: money("其他资金")?,
                };
            } else if first.starts_with("项目总体目标") {
                t.goal = next_value(cells, 0).unwrap_or_default();
            }
        }
        Ok(TargetTable::Project(t))
    }
}

/// The first non-empty cell after position `i`.
fn next_value(cells: &[&str], i: usize) -> Option<String> {
    cells
        .iter()
        .skip(i + 1)
        .find(|c| !c.is_empty())
        .map(|c| c.to_string())
}

fn is_label(cell: &str) -> bool {
    let c = squeeze(cell);
    LEVEL1.contains(&c.as_ref()) || LEVEL2_ONLY.contains(&c.as_ref()) || c.ends_with("指标")
}

fn indicators(layout: &IndicatorLayout, rows: &[Row<'_>]) -> Result<Vec<Indicator>, ReadError> {
    let mut out = Vec::with_capacity(rows.len());
    let (mut level1, mut level2) = (String::new(), String::new());
    // where each value column sits among the cells after the 三级指标 cell, found once per table
    let at = |name: &str| layout.columns.iter().skip(3).position(|c| c == name);
    let target_at = at("指标值");
    let weight_at = [at("指标分值权重"), at("分值权重")];
    let basis_at = [at("指标值设置依据"), at("指标设定依据")];
    let (rule_at, evidence_at, last_year_at) =
        (at("指标赋分规则"), at("佐证资料"), at("上年完成值"));
    let has_rule_column = layout.has_rule_column();
    for r in rows {
        let (l, cells) = (&r.line, &r.cells);
        // where the 三级指标 cell is: normally index 2; one earlier when the row starts early
        let shifted = !cells.first().copied().unwrap_or("").is_empty()
            && cells.get(1).is_some_and(|c| !c.is_empty() && !is_label(c))
            && !LEVEL1.contains(&squeeze(cells[0]).as_ref());
        let l3_at = if shifted { 1 } else { 2 };
        match &cells[..l3_at.min(cells.len())] {
            [a] => level2 = squeeze(a).into_owned(),
            [a, b] => {
                let (a, b) = (squeeze(a), squeeze(b));
                if LEVEL2_ONLY.contains(&a.as_ref()) && b.is_empty() {
                    level2 = a.into_owned();
                } else {
                    if !a.is_empty() {
                        level1 = a.into_owned();
                        level2.clear();
                    }
                    if !b.is_empty() {
                        level2 = b.into_owned();
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
        let (mut rule, mut evidence) = (
            cell(rule_at).map(ScoringRule::from_label),
            cell(evidence_at),
        );
        if !has_rule_column {
            if let Some(e) = evidence {
                if let Some((known, label)) = ScoringRule::KNOWN
                    .iter()
                    .find(|(_, label)| e.starts_with(label))
                {
                    rule = Some(known.clone());
                    let rest = e[label.len()..].trim();
                    evidence = (!rest.is_empty()).then_some(rest);
                }
            }
        }
        out.push(Indicator {
            level1: level1.clone(),
            level2: level2.clone(),
            level3: level3.into_owned(),
            target: Value::new(target),
            basis: either(basis_at).map(str::to_string),
            last_year: cell(last_year_at).map(Value::new),
            weight,
            rule,
            evidence: evidence.map(str::to_string),
        });
    }
    Ok(out)
}
