//! The explanation text against the tables (every stated amount, 未安排, the listed classes and
//! kuan, the project descriptions, empty-table statements) and the arithmetic of the text
//! itself: shares at the printed precision, changes consistent with their rates (N7/N8), and a
//! reason for every change (a line that states none needs none).

use rust_decimal::Decimal;

use budgetflow_model::names::{name_key, same_name};
use budgetflow_model::narrative::{Direction, Section, Statement};
use budgetflow_model::{Amount, SectionTopic, TableKind};

use crate::catalog::*;
use crate::engine::{value, ByCode, Checker};
use crate::finding::{Figure, Finding, Place};
use crate::rules::completeness::says_empty;
use crate::rules::subjects::{resolve, subject_key, TableFigure};
use crate::tolerance::{
    compare_ratio, half_unit, ratio_prints_as, round_printed, Agreement, Interval,
};

/// Sections in which every stated amount must be a figure of the section's table.
const TIED: [SectionTopic; 8] = [
    SectionTopic::Overall,
    SectionTopic::Revenue,
    SectionTopic::Expenditure,
    SectionTopic::Appropriation,
    SectionTopic::GeneralBudget,
    SectionTopic::Basic,
    SectionTopic::ThreePublic,
    SectionTopic::CarryOver,
];

pub fn check(ck: &mut Checker) {
    let doc = ck.doc;
    let t5 = doc.tables.general_budget.as_ref().map(ByCode::new);
    for section in &doc.narrative.sections {
        let Some(topic) = section.topic else { continue };
        let place = Place::Section(topic);
        let mut keys = Vec::with_capacity(section.statements().count());
        keys.extend(
            section
                .statements()
                .map(|s| subject_key(&s.subject, &doc.identity.department)),
        );
        let base = section
            .statements()
            .find(|s| s.amount.is_some() && s.share.is_none())
            .and_then(|s| s.amount);
        // the 项 last stated, which `2026年预算安排 X万元` restates (Shanghai)
        let mut item = None;
        for (i, (st, key)) in section.statements().zip(&keys).enumerate() {
            let figure = resolve(doc, t5.as_ref(), topic, &st.subject, key).or_else(|| {
                (topic == SectionTopic::Overall && key.as_ref() == "预算安排")
                    .then(|| item.clone())
                    .flatten()
            });
            if figure.as_ref().is_some_and(|f| f.code.is_some()) {
                item = figure.clone();
            }
            // last year's outturn (`2025年当年预算执行数`) is printed in no table
            let last_year = key.ends_with("预算执行数");
            if TIED.contains(&topic) && !last_year {
                amount(ck, place, st, figure.as_ref());
            }
            if let (Some(share), Some(a), Some(base)) = (st.share, st.amount, base) {
                share_of(ck, place, st, a, share, base);
            }
            if st.change.is_some() || st.rate.is_some() {
                let stated = st.amount.or_else(|| {
                    section
                        .statements()
                        .zip(&keys)
                        .take(i)
                        .filter(|(s, k)| *k == key && s.amount.is_some())
                        .last()
                        .and_then(|(s, _)| s.amount)
                });
                change(
                    ck,
                    place,
                    st,
                    stated.or(figure.as_ref().and_then(|f| f.amount)),
                );
            }
        }
        reasons(ck, place, section);
        match topic {
            SectionTopic::Overall => class_list(ck, section),
            SectionTopic::Basic => basic_items(ck, section),
            SectionTopic::GovFund | SectionTopic::SoeCapital => empty_table(ck, section, topic),
            _ => {}
        }
    }
    projects(ck);
}

fn located<'f>(f: Finding, st: &Statement, figure: Option<&TableFigure<'f>>) -> Finding {
    let f = f.name(st.subject.clone());
    match figure {
        Some(t) => f.detail(
            format!("表{} {}“{}”", t.table.standard_number(), t.row, t.column),
            format!(
                "Table {} {} “{}”",
                t.table.standard_number(),
                t.row,
                t.column
            ),
        ),
        None => f,
    }
}

/// A stated amount (or 未安排) against its table figure.
fn amount(ck: &mut Checker, place: Place, st: &Statement, figure: Option<&TableFigure>) {
    let unit = |t: &TableFigure| ck.doc.tables.header(t.table).map(|h| h.unit);
    match (figure, st.amount) {
        (Some(t), Some(a)) if unit(t).is_some_and(|u| u != st.unit) => {
            // a 万元 sentence about a 元 table: the table figure in the sentence's unit,
            // rounded to the precision the sentence prints (`4,614万元` for 46,140,000.00 元)
            let from = unit(t).unwrap_or(st.unit);
            let converted = value(t.amount.map(|x| x.convert(from, st.unit)));
            let expected = round_printed(converted, a.scale());
            if expected != a.value() {
                ck.push(located(
                    Finding::new(&N_AMOUNT, place).amounts(expected, a.value()),
                    st,
                    Some(t),
                ));
            }
        }
        (Some(t), Some(a)) => ck.equal(&N_AMOUNT, place, t.amount, Some(a), |f| {
            located(f, st, Some(t))
        }),
        (Some(t), None) if st.not_arranged && value(t.amount) != Decimal::ZERO => ck.push(located(
            Finding::new(&N_NOT_ARRANGED, place).amounts(value(t.amount), Decimal::ZERO),
            st,
            Some(t),
        )),
        (None, Some(a)) if st.includes.is_empty() => ck.push(
            Finding::new(&N_UNMATCHED, place)
                .name(st.subject.clone())
                .figures(Figure::text("—"), Figure::Amount(a.value())),
        ),
        _ => {}
    }
}

/// 占 x%: the amount ÷ the section's headline total, at the printed precision.
fn share_of(
    ck: &mut Checker,
    place: Place,
    st: &Statement,
    a: Amount,
    share: budgetflow_model::Percent,
    base: Amount,
) {
    // the common case, decided before any interval is built
    if ratio_prints_as(a.value(), base.value(), share) {
        return;
    }
    let Some((agreement, expected)) = compare_ratio(
        Interval::printed(a.value()),
        a.value(),
        Interval::printed(base.value()),
        base.value(),
        share,
    ) else {
        return;
    };
    if agreement == Agreement::Exact {
        return;
    }
    let f = Finding::new(&N_SHARE, place)
        .name(st.subject.clone())
        .column("占比")
        .figures(Figure::Percent(expected), Figure::Percent(share.value()))
        .detail(
            format!(
                "{} ÷ {} × 100",
                Figure::Amount(a.value()),
                Figure::Amount(base.value())
            ),
            format!(
                "{} ÷ {} × 100",
                Figure::Amount(a.value()),
                Figure::Amount(base.value())
            ),
        );
    ck.push(if agreement == Agreement::WithinRounding {
        f.within_rounding()
    } else {
        f
    });
}

/// 比上年增加/减少 x，增长/下降 y%: last year = amount ∓ x; y = x ÷ last year (N7), with the
/// conventions for a last year of zero (N8).
fn change(ck: &mut Checker, place: Place, st: &Statement, stated: Option<Amount>) {
    let (Some(change), Some(rate)) = (&st.change, &st.rate) else {
        return;
    };
    let here = |f: Finding| f.name(st.subject.clone()).column("增减率");
    if !change.amount.is_zero() && change.direction != rate.direction {
        let words = |d: Direction| {
            if d == Direction::Increase {
                "增长"
            } else {
                "下降"
            }
        };
        ck.push(here(Finding::new(&N_CHANGE, place)).figures(
            Figure::text(words(change.direction)),
            Figure::text(words(rate.direction)),
        ));
        return;
    }
    let Some(now) = stated else { return };
    let last_year = now.value() - change.signed();
    let x = change.amount.value();
    let scale = rate.percent.scale();
    let detail = |f: Finding| {
        f.detail(
            format!(
                "上年数 = {} − ({}) = {}",
                Figure::Amount(now.value()),
                change.signed(),
                Figure::Amount(last_year)
            ),
            format!(
                "last year = {} − ({}) = {}",
                Figure::Amount(now.value()),
                change.signed(),
                Figure::Amount(last_year)
            ),
        )
    };
    if last_year.is_zero() {
        // Growth from zero is published as 100.00%, an unchanged zero as 0.00%.
        let expected = if x.is_zero() {
            Decimal::ZERO
        } else {
            Decimal::ONE_HUNDRED
        };
        if rate.percent.value() != expected {
            ck.push(detail(here(Finding::new(&N_CHANGE, place))).figures(
                Figure::Percent(round_printed(expected, scale)),
                Figure::Percent(rate.percent.value()),
            ));
        }
        return;
    }
    if last_year < Decimal::ZERO {
        ck.push(
            detail(here(Finding::new(&N_CHANGE, place)))
                .figures(Figure::text("上年数 ≥ 0"), Figure::Amount(last_year)),
        );
        return;
    }
    if ratio_prints_as(x, last_year, rate.percent) {
        return;
    }
    let h = half_unit(2);
    let last_interval = Interval {
        lo: last_year - h - h,
        hi: last_year + h + h,
    };
    let Some((agreement, expected)) = compare_ratio(
        Interval::printed(x),
        x,
        last_interval,
        last_year,
        rate.percent,
    ) else {
        return;
    };
    if agreement != Agreement::Exact {
        let f = detail(here(Finding::new(&N_CHANGE, place))).figures(
            Figure::Percent(expected),
            Figure::Percent(rate.percent.value()),
        );
        ck.push(if agreement == Agreement::WithinRounding {
            f.within_rounding()
        } else {
            f
        });
    }
}

/// Every change carries a reason; a total whose items each carry one (`其中：…`) is explained by them.
fn reasons(ck: &mut Checker, place: Place, section: &Section) {
    // changes still without a reason: a paragraph that gives nothing but a reason
    // (`财政拨款收入支出增加的主要原因是…`) explains the changes of the paragraphs before it
    let mut unexplained: Vec<&Statement> = Vec::new();
    for p in section.paragraphs() {
        let only_reason = p.statements.iter().any(|s| s.reason.is_some())
            && p.statements
                .iter()
                .all(|s| s.amount.is_none() && s.change.is_none() && s.rate.is_none());
        if only_reason {
            unexplained.clear();
            continue;
        }
        for (i, st) in p.statements.iter().enumerate() {
            // a line that states no change (持平, 增加 0.00 万元，增长 0.00%) has nothing to explain
            let changed = st.change.as_ref().is_some_and(|c| !c.states_no_change())
                || st
                    .rate
                    .as_ref()
                    .is_some_and(|r| !r.percent.value().is_zero());
            if changed
                && st.reason.is_none()
                && !p.statements[i + 1..].iter().any(|s| s.reason.is_some())
            {
                unexplained.push(st);
            }
        }
    }
    for st in unexplained {
        ck.push(
            Finding::new(&N_REASON, place)
                .name(st.subject.clone())
                .column("主要原因"),
        );
    }
}

/// N1: 支出预算包括 names exactly the classes with money in 表1.
fn class_list(ck: &mut Checker, section: &Section) {
    let Some(t1) = &ck.doc.tables.overall else {
        return;
    };
    let Some(st) = section
        .statements()
        .find(|s| !s.includes.is_empty() && s.subject.contains("支出"))
    else {
        return;
    };
    let expected: Vec<&str> = t1
        .expenditure
        .iter()
        .filter(|c| value(c.amount) != Decimal::ZERO)
        .map(|c| c.name.as_str())
        .collect();
    let matches = expected.len() == st.includes.len()
        && expected
            .iter()
            .all(|e| st.includes.iter().any(|i| same_name(i, e)));
    if !matches {
        ck.push(
            Finding::new(&N_CLASS_LIST, Place::Section(SectionTopic::Overall))
                .name(st.subject.clone())
                .figures(
                    Figure::text(expected.join("、")),
                    Figure::text(st.includes.join("、")),
                ),
        );
    }
}

/// N9: the kuan listed under 人员经费 and 公用经费 are the 表6 kuan with money in that column.
fn basic_items(ck: &mut Checker, section: &Section) {
    let Some(t6) = &ck.doc.tables.basic else {
        return;
    };
    for st in section.statements().filter(|s| !s.includes.is_empty()) {
        let column = match st.subject.trim() {
            "人员经费" => 1,
            "公用经费" => 2,
            _ => continue,
        };
        let expected: Vec<&str> = t6
            .rows
            .iter()
            .filter(|r| {
                r.code.is_some_and(|c| !c.is_class())
                    && value(budgetflow_model::Columns::get(&r.amounts, column)) != Decimal::ZERO
            })
            .map(|r| r.name.as_str())
            .collect();
        let matches = expected.len() == st.includes.len()
            && expected
                .iter()
                .zip(&st.includes)
                .all(|(e, i)| same_name(e, i));
        if !matches {
            ck.push(
                Finding::new(&N_BASIC_ITEMS, Place::Section(SectionTopic::Basic))
                    .name(st.subject.clone())
                    .figures(
                        Figure::text(expected.join("、")),
                        Figure::text(st.includes.join("、")),
                    ),
            );
        }
    }
}

/// N11: a section that calls its table empty, about a table with rows.
fn empty_table(ck: &mut Checker, section: &Section, topic: SectionTopic) {
    let kind = if topic == SectionTopic::GovFund {
        TableKind::GovFund
    } else {
        TableKind::SoeCapital
    };
    let table = if kind == TableKind::GovFund {
        ck.doc.tables.gov_fund.as_ref()
    } else {
        ck.doc.tables.soe_capital.as_ref()
    };
    let Some(total) = table
        .filter(|t| !t.is_empty())
        .map(|t| t.total().and_then(|r| r.amounts.total))
    else {
        return;
    };
    if section.paragraphs().any(|p| says_empty(&p.text)) {
        ck.push(
            Finding::new(&N_EMPTY_TABLE, Place::Section(topic))
                .name(kind.standard_title())
                .figures(Figure::Amount(value(total)), Figure::text("空表")),
        );
    }
}

/// N10: §七 describes every 表7 project, with its amount.
fn projects(ck: &mut Checker) {
    let doc = ck.doc;
    let Some(t7) = &doc.tables.projects else {
        return;
    };
    let place = Place::Section(SectionTopic::Projects);
    let described: Vec<_> = doc.narrative.projects().collect();
    if doc.narrative.section(SectionTopic::Projects).is_none() {
        return;
    }
    // Each side's names normalised once ([`same_name`] as string equality): the two lists
    // are compared with each other in both directions.
    let described_keys: Vec<_> = described
        .iter()
        .map(|d| name_key(d.name.as_str()))
        .collect();
    let rows: Vec<_> = t7
        .projects()
        .map(|r| (r, r.project.as_ref().map(|p| name_key(p.as_str()))))
        .collect();
    for (d, key) in described.iter().zip(&described_keys) {
        match rows
            .iter()
            .find(|(_, p)| p.as_ref() == Some(key))
            .map(|(r, _)| r)
        {
            Some(row) => ck.equal(&N_PROJECTS, place, row.amounts.total, d.amount, |f| {
                f.name(d.name.as_str()).column("预算安排规模")
            }),
            None if !d.name.is_classified() => {
                ck.push(
                    Finding::new(&N_PROJECTS, place)
                        .name(d.name.as_str())
                        .column("项目名称")
                        .figures(Figure::text("表7中的项目"), Figure::text(d.name.as_str())),
                );
            }
            None => {}
        }
    }
    for (row, key) in &rows {
        let (Some(name), Some(key)) = (row.project.as_ref().filter(|p| !p.is_classified()), key)
        else {
            continue;
        };
        if !described_keys.contains(key) {
            ck.push(
                Finding::new(&N_PROJECTS, place)
                    .name(name.as_str())
                    .column("项目说明")
                    .figures(Figure::text(name.as_str()), Figure::text("—")),
            );
        }
    }
    let count = rows.len();
    if count != described.len() {
        ck.push(Finding::new(&N_PROJECTS, place).name("项目个数").figures(
            Figure::count(count as u64),
            Figure::count(described.len() as u64),
        ));
    }
}
