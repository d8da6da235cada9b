//! Performance-target tables (绩效目标表): weights sum to 90 (100 with an execution-rate row),
//! output and outcome indicators present, every 指标值 parses, every scoring rule is known, the
//! funds add up and agree with 表7 (plus a documented merged carry-over, N20) and 表1 (N21),
//! and one table per unclassified project (N19).

use rust_decimal::Decimal;

use budgetflow_model::names::{is_space, same_name};
use budgetflow_model::performance::{total_weight, Indicator, ProjectTargets, ScoringRule};
use budgetflow_model::tables::ProjectRow;

use crate::catalog::*;
use crate::engine::{value, Checker, Code};
use crate::finding::{Figure, Finding, Place};

const DEPARTMENT_TABLE: &str = "部门整体绩效目标表";

pub fn check(ck: &mut Checker) {
    let doc = ck.doc;
    for dt in doc.narrative.department_targets() {
        indicators(ck, DEPARTMENT_TABLE, &dt.indicators, false);
        if let Some(t1) = &doc.tables.overall {
            ck.sum(
                &X_T1_P_DEPARTMENT,
                Place::Targets,
                t1.revenue_total,
                || {
                    dt.funds
                        .iter()
                        .map(|f| (Code::None, f.source.as_str(), f.amount))
                },
                |f| {
                    f.name(DEPARTMENT_TABLE).column("资金总额").detail(
                        "表1收入总计应等于各资金来源之和",
                        "the Table 1 revenue total must equal the sum of the fund sources",
                    )
                },
            );
        }
    }
    let by_unit = doc
        .tables
        .projects
        .as_ref()
        .map(|t| t.projects_by_unit())
        .unwrap_or_default();
    let mut tables = 0usize;
    for pt in doc.narrative.project_targets() {
        tables += 1;
        indicators(ck, &pt.project, &pt.indicators, true);
        ck.sum(
            &P_FUNDS,
            Place::Targets,
            pt.funds.total,
            || {
                [
                    (Code::None, "财政拨款", pt.funds.fiscal),
                    (Code::None, "其他资金", pt.funds.other),
                ]
                .into_iter()
            },
            |f| f.name(pt.project.as_str()).column("年度预算总额"),
        );
        against_projects(ck, pt, &by_unit);
    }
    if let Some(t7) = &doc.tables.projects {
        let unclassified = t7
            .projects()
            .filter(|r| !r.project.as_ref().is_some_and(|p| p.is_classified()))
            .count();
        if unclassified != tables {
            ck.push(
                Finding::new(&X_T7_P_COUNT, Place::Targets)
                    .name("项目支出绩效目标表")
                    .figures(
                        Figure::count(unclassified as u64),
                        Figure::count(tables as u64),
                    )
                    .detail("表7非涉密项目数", "unclassified Table 7 projects"),
            );
        }
    }
}

/// Whether `label` contains `word` (which has no spaces), ignoring the spaces some exports put
/// inside words. One pass over the label, without building a copy of it.
fn mentions(label: &str, word: &str) -> bool {
    let mut words = word.chars();
    let Some(first) = words.next() else {
        return true;
    };
    // most labels do not hold the last byte of the word's first character at all: a byte
    // search (memchr) rules them out without decoding the label
    let mut buf = [0u8; 4];
    let last_byte = first.encode_utf8(&mut buf).as_bytes()[first.len_utf8() - 1];
    if !label.as_bytes().contains(&last_byte) {
        return false;
    }
    let mut letters = label.chars().filter(|c| !is_space(*c));
    while let Some(c) = letters.next() {
        if c == first {
            let mut after = letters.clone();
            if words.clone().all(|w| after.next() == Some(w)) {
                return true;
            }
        }
    }
    false
}

fn indicators(ck: &mut Checker, table: &str, list: &[Indicator], project: bool) {
    let place = Place::Targets;
    // a level-1 or level-2 label repeated from the row before was already looked at
    let execution_row = list.iter().enumerate().any(|(k, i)| {
        let before = k.checked_sub(1).map(|p| &list[p]);
        (before.is_none_or(|b| b.level1 != i.level1) && mentions(&i.level1, "执行率"))
            || (before.is_none_or(|b| b.level2 != i.level2) && mentions(&i.level2, "执行率"))
            || mentions(&i.level3, "执行率")
    });
    let expected = Decimal::from(if execution_row { 100 } else { 90 });
    let sum = total_weight(list);
    let missing = list.iter().filter(|i| i.weight.is_none()).count();
    if sum != expected || missing > 0 {
        let f = Finding::new(&P_WEIGHT_TOTAL, place)
            .name(table)
            .column("分值权重")
            .figures(Figure::Count(expected), Figure::Count(sum));
        ck.push(if missing > 0 {
            f.detail(
                format!("{missing} 个指标未填分值"),
                format!("{missing} indicator(s) without a weight"),
            )
        } else {
            f
        });
    }
    if project {
        for required in ["产出", "效益"] {
            if !list.iter().any(|i| mentions(&i.level1, required)) {
                ck.push(
                    Finding::new(&P_INDICATORS, place)
                        .name(table)
                        .column("一级指标")
                        .figures(Figure::text(format!("{required}指标")), Figure::text("—")),
                );
            }
        }
    }
    for i in list {
        if i.target.parsed.is_none() {
            ck.push(
                Finding::new(&P_TARGET_PARSES, place)
                    .name(format!("{table} / {}", i.level3))
                    .column("指标值")
                    .figures(
                        Figure::text("比较符 + 数值 + 单位，或定性描述"),
                        Figure::text(i.target.raw.as_str()),
                    ),
            );
        }
        if !project {
            continue;
        }
        match &i.rule {
            None => ck.push(
                Finding::new(&P_SCORING_RULE_KNOWN, place)
                    .severity(crate::rule::Severity::Warning)
                    .name(format!("{table} / {}", i.level3))
                    .column("指标赋分规则")
                    .figures(Figure::text("已知赋分规则"), Figure::text("—")),
            ),
            Some(ScoringRule::Other(label)) => {
                let known: Vec<&str> = ScoringRule::KNOWN.iter().map(|(_, l)| *l).collect();
                ck.push(
                    Finding::new(&P_SCORING_RULE_KNOWN, place)
                        .name(format!("{table} / {}", i.level3))
                        .column("指标赋分规则")
                        .figures(Figure::text(known.join("/")), Figure::text(label.as_str())),
                );
            }
            Some(_) => {}
        }
    }
}

/// N20: the target table's funds are the 表7 project's amount, plus a carry-over the text
/// says was merged into it; the table belongs to a 表7 project of the same unit.
fn against_projects(
    ck: &mut Checker,
    pt: &ProjectTargets,
    by_unit: &[(Option<&str>, &ProjectRow)],
) {
    let doc = ck.doc;
    if doc.tables.projects.is_none() {
        return;
    }
    let place = Place::Targets;
    let found = by_unit.iter().find(|(_, r)| {
        r.project
            .as_ref()
            .is_some_and(|p| same_name(p.as_str(), &pt.project))
    });
    let classified = |r: &ProjectRow| r.project.as_ref().is_some_and(|p| p.is_classified());
    let Some((unit, row)) = found.filter(|(_, r)| !classified(r)) else {
        unknown_project(ck, pt, by_unit);
        return;
    };
    let amount = value(row.amounts.total);
    let stated = value(pt.funds.total);
    if stated != amount {
        let merged = doc.other_matters.merged_carry_over.iter().any(|m| {
            m.current.value() == amount && m.current.value() + m.carry_over.value() == stated
        });
        if !merged {
            ck.push(
                Finding::new(&X_T7_P_FUNDS, place)
                    .name(pt.project.as_str())
                    .column("年度预算总额")
                    .amounts(amount, stated)
                    .detail(
                        "表7项目支出合计（未说明合并上年结转）",
                        "the Table 7 amount (no merged carry-over is documented)",
                    ),
            );
        }
    }
    if let Some(unit) = unit.filter(|u| !same_name(u, &pt.budget_unit)) {
        ck.push(
            Finding::new(&X_T7_P_PROJECT, place)
                .name(pt.project.as_str())
                .column("预算单位")
                .figures(
                    Figure::text(unit.to_string()),
                    Figure::text(pt.budget_unit.as_str()),
                ),
        );
    }
}

/// A target table for a project that 表7 does not list: a leak when it is (or has the money of)
/// a classified project, a copy error otherwise.
fn unknown_project(
    ck: &mut Checker,
    pt: &ProjectTargets,
    projects: &[(Option<&str>, &ProjectRow)],
) {
    let classified_amount = |r: &&(Option<&str>, &ProjectRow)| {
        r.1.project.as_ref().is_some_and(|p| p.is_classified())
            && r.1.amounts.total.is_some()
            && r.1.amounts.total == pt.funds.total
    };
    let named_classified =
        budgetflow_model::tables::ProjectName::new(pt.project.as_str()).is_classified();
    if named_classified || projects.iter().any(|r| classified_amount(&r)) {
        let code = projects
            .iter()
            .find(classified_amount)
            .and_then(|r| r.1.project.as_ref())
            .map_or(pt.project.clone(), |p| p.to_string());
        ck.push(
            Finding::new(&R_LEAK, Place::Targets)
                .name(pt.project.as_str())
                .column("项目名称")
                .figures(Figure::text(code), Figure::text(pt.project.as_str()))
                .detail(
                    "涉密项目的绩效目标表应完全不予公开",
                    "the target table of a classified project must be withheld",
                ),
        );
    } else {
        ck.push(
            Finding::new(&X_T7_P_PROJECT, Place::Targets)
                .name(pt.project.as_str())
                .column("项目名称")
                .figures(
                    Figure::text("表7中的项目"),
                    Figure::text(pt.project.as_str()),
                ),
        );
    }
}
