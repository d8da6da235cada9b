//! The disclosure against the department's disclosure of the year before (`Y.*`).
//!
//! A sentence such as `一般公共预算拨款2,794.98万元，比上年减少1,754.77万元，下降38.57%` names
//! last year's figure without printing it: this year's figure ∓ the change. The narrative rules
//! (N7) check that the change and the rate agree with each other; these check them against the
//! figure last year's disclosure actually printed for the same subject — its table figure where
//! the sentence names one (resolved in last year's tables as N1 resolves it in this year's),
//! else last year's sentence on the same subject. Printed figures are intervals; 元 and 万元 are
//! converted. A 持平 is a stated change of zero. The headcounts of 部门概况 (`在职105人，减少7人`)
//! are checked against last year's the same way, exactly.
//!
//! Continuity (warnings): a project whose period runs into this year gone without a word (Y5),
//! and a large function class appearing or vanishing (Y6). This year's 上年结转结余 is not
//! compared with last year's disclosure: a budget disclosure prints what was planned, and what
//! a year leaves over is known only from its outturn (决算), which no budget disclosure prints.

use std::borrow::Cow;

use rust_decimal::Decimal;

use chrono::Datelike;

use budgetflow_model::names::{name_key, same_name};
use budgetflow_model::narrative::{Baseline, Block, Direction, Section, Statement};
use budgetflow_model::tables::{ClassAmount, ExpenditureColumns};
use budgetflow_model::{Amount, Document, MoneyUnit, SectionTopic, TableKind};

use crate::catalog::{
    Y_CLASS_APPEARS, Y_NOT_PREVIOUS, Y_NO_PREVIOUS, Y_PROJECT_DROPPED, Y_STAFFING, Y_STATED_CHANGE,
    Y_STATED_RATE,
};
use crate::engine::{ByCode, Checker, Previous};
use crate::finding::{Figure, Finding, Place};
use crate::rules::subjects::{resolve, subject_key};
use crate::tolerance::{compare_ratio, half_unit, Agreement, Interval};

pub fn check(ck: &mut Checker) {
    let previous = match ck.previous {
        Previous::NotSought => return,
        Previous::Missing => {
            ck.push(Finding::new(&Y_NO_PREVIOUS, Place::Document));
            return;
        }
        Previous::Found(previous) => previous,
    };
    let doc = ck.doc;
    let last_year = doc.identity.fiscal_year.previous();
    if !same_name(&previous.identity.department, &doc.identity.department)
        || previous.identity.fiscal_year != last_year
    {
        let who = |d: &Document| format!("{} {}", d.identity.department, d.identity.fiscal_year);
        ck.push(Finding::new(&Y_NOT_PREVIOUS, Place::Document).figures(
            Figure::text(format!("{} {last_year}", doc.identity.department)),
            Figure::text(who(previous)),
        ));
        return;
    }
    let t5 = doc.tables.general_budget.as_ref().map(ByCode::new);
    for section in &doc.narrative.sections {
        let Some(topic) = section.topic else { continue };
        // this year's amounts stated so far in the section, by subject: `因公出国（境）费增加
        // 0.00 万元` states its change apart from the amount stated before it
        let mut stated: Vec<(Cow<'_, str>, Amount, MoneyUnit)> = Vec::new();
        for st in section.statements() {
            let key = subject_key(&st.subject, &doc.identity.department);
            if let (Some(a), None) = (st.amount, st.share) {
                stated.push((key.clone(), a, st.unit));
            }
            if st.change.is_none() && st.rate.is_none() {
                continue;
            }
            // a change on last year's outturn (`比2024年预算执行数`) names a figure last year's
            // budget disclosure does not print: nothing here to hold it to
            if st.baseline == Baseline::Outturn {
                continue;
            }
            let Some(now) = this_years_figure(doc, t5.as_ref(), topic, st, &key, &stated) else {
                continue;
            };
            let Some(printed) = last_years_figure(previous, topic, st) else {
                continue;
            };
            // a rate is judged on its own only when the change agrees: one wrong figure of
            // last year is one finding
            if stated_change(ck, topic, st, now, &printed) {
                stated_rate(ck, topic, st, now, &printed);
            }
        }
    }
    staffing(ck, previous);
    projects_dropped(ck, previous);
    classes_appearing(ck, previous);
}

/// Y5: a project last year described with a period (资金执行时间) that started before this
/// fiscal year and runs into it or beyond, which this year's disclosure neither lists (表7,
/// 说明七) nor mentions in any paragraph. It may have ended early — but then the disclosure
/// should say so; a warning asks.
fn projects_dropped(ck: &mut Checker, previous: &Document) {
    let doc = ck.doc;
    let year = doc.identity.fiscal_year.get();
    let mut listed: Vec<Cow<'_, str>> = doc
        .narrative
        .projects()
        .map(|p| name_key(p.name.as_str()))
        .collect();
    if let Some(t7) = &doc.tables.projects {
        listed.extend(
            t7.projects()
                .filter_map(|r| r.project.as_ref().map(|p| name_key(p.as_str()))),
        );
    }
    let paragraphs: Vec<Cow<'_, str>> = doc
        .narrative
        .sections
        .iter()
        .flat_map(|s| s.paragraphs())
        .map(|p| name_key(&p.text))
        .collect();
    for (section, p) in previous.narrative.sections.iter().flat_map(|s| {
        s.blocks.iter().filter_map(move |b| match b {
            Block::Project(p) => Some((s, p)),
            _ => None,
        })
    }) {
        let Some(period) = p.period.stated() else {
            continue;
        };
        let (Some(start), Some(end)) = (period.start, period.end) else {
            continue;
        };
        if start.year() >= year || end.year() < year {
            continue;
        }
        let key = name_key(p.name.as_str());
        if key.is_empty()
            || listed.contains(&key)
            || paragraphs.iter().any(|t| t.contains(key.as_ref()))
        {
            continue;
        }
        let amount = p.amount.map_or_else(
            || Figure::text("—"),
            |a| Figure::Amount(a.convert(p.unit, MoneyUnit::TenThousandYuan).value()),
        );
        ck.push(
            Finding::new(&Y_PROJECT_DROPPED, Place::Section(SectionTopic::Projects))
                .name(p.name.as_str())
                .column("资金执行时间")
                .figures(amount, Figure::text("—"))
                .detail(
                    format!(
                        "上年文件“{}”项目（{}）资金执行时间 {}；本年文件未列示、未说明",
                        section.title, p.number, period.text
                    ),
                    format!(
                        "last year's “{}” project ({}) runs {}; this year's neither lists nor mentions it",
                        section.title, p.number, period.text
                    ),
                ),
        );
    }
}

/// A class that is new or gone is "large" at this share of the 支出总计 of the year it has
/// money in: 10%. A class of a tenth of a department's spending does not come or go unnoticed
/// in practice, while small classes (a few 万元 of 科学技术支出 for one project) come and go
/// with single projects every year; warning on those would bury the ones that matter.
const LARGE_CLASS_SHARE: Decimal = Decimal::from_parts(10, 0, 0, false, 2);

/// Y6: a function class (类) of 表1 with money in one year and none in the other, of at least
/// [`LARGE_CLASS_SHARE`] of that year's expenditure.
fn classes_appearing(ck: &mut Checker, previous: &Document) {
    let (Some(now), Some(then)) = (&ck.doc.tables.overall, &previous.tables.overall) else {
        return;
    };
    let unit_now = now.header.unit;
    let unit_then = then.header.unit;
    // every amount in 万元, the unit the warning is printed in
    let in_wan = |a: Option<Amount>, unit: MoneyUnit| {
        a.map_or(Decimal::ZERO, |a| {
            a.convert(unit, MoneyUnit::TenThousandYuan).value()
        })
    };
    let same_class = |a: &ClassAmount, b: &ClassAmount| match (a.code, b.code) {
        (Some(x), Some(y)) => x == y,
        _ => same_name(&a.name, &b.name),
    };
    let page = |p: Option<u32>| p.map(|p| format!(" 第{p}页")).unwrap_or_default();
    let page_en = |p: Option<u32>| p.map(|p| format!(" p. {p}")).unwrap_or_default();
    let mut found = Vec::new();
    // (the class with money, its table, the other table, whether it is this year's)
    for (side, other, this_year) in [(now, then, true), (then, now, false)] {
        let (unit, other_unit) = if this_year {
            (unit_now, unit_then)
        } else {
            (unit_then, unit_now)
        };
        let total = in_wan(side.expenditure_total, unit);
        for class in &side.expenditure {
            let amount = in_wan(class.amount, unit);
            if amount.is_zero() || amount < total * LARGE_CLASS_SHARE {
                continue;
            }
            let counterpart = other.expenditure.iter().find(|c| same_class(c, class));
            if counterpart.is_some_and(|c| !in_wan(c.amount, other_unit).is_zero()) {
                continue;
            }
            // the missing side printed as nothing: zero at the other's precision
            let none = Decimal::new(0, amount.scale());
            let (last, current) = if this_year {
                (none, amount)
            } else {
                (amount, none)
            };
            let (now_page, then_page) = if this_year {
                (class.page, counterpart.and_then(|c| c.page))
            } else {
                (counterpart.and_then(|c| c.page), class.page)
            };
            found.push(
                Finding::new(&Y_CLASS_APPEARS, Place::Table(TableKind::Overall))
                    .name(class.name.clone())
                    .column("预算数")
                    .figures(Figure::Amount(last), Figure::Amount(current))
                    .detail(
                        format!(
                            "上年文件 表1“{}”{}；本年 表1{}",
                            class.name,
                            page(then_page),
                            page(now_page)
                        ),
                        format!(
                            "last year's Table 1 “{}”{}; this year's Table 1{}",
                            class.name,
                            page_en(then_page),
                            page_en(now_page)
                        ),
                    ),
            );
        }
    }
    for f in found {
        ck.push(f);
    }
}

/// Y4: 在职 105 人，减少 7 人 — this year's headcount less the stated change is the headcount
/// last year's 部门概况 printed, exactly: people are counted, not rounded.
fn staffing(ck: &mut Checker, previous: &Document) {
    let (Some(now), Some(then)) = (&ck.doc.overview.staffing, &previous.overview.staffing) else {
        return;
    };
    let lines = [
        ("在职", "active", now.active, then.active),
        ("退休", "retired", now.retired, then.retired),
        (
            "离休",
            "pre-1949 retired",
            now.pre_1949_retired,
            then.pre_1949_retired,
        ),
    ];
    for (zh, en, now, then) in lines {
        let Some(change) = now.change else { continue };
        let implied = i64::from(now.count) - change;
        if implied == i64::from(then.count) {
            continue;
        }
        ck.push(
            Finding::new(&Y_STAFFING, Place::Overview)
                .name(format!("{zh}人数"))
                .column("上年数")
                .figures(Figure::count(then.count), Figure::count(implied))
                .detail(
                    format!(
                        "本年 {zh} {} 人，增减 {change:+} 人；上年文件 部门概况 {zh} {} 人",
                        now.count, then.count
                    ),
                    format!(
                        "this year {en} {}, change {change:+}; last year's overview: {en} {}",
                        now.count, then.count
                    ),
                ),
        );
    }
}

/// This year's figure a change is stated on, in the sentence's unit: the sentence's own
/// amount, else the amount stated last for the same subject in the section, else the table
/// figure the subject names (`2025 年财政拨款“三公”经费预算比上年预算减少 4.68 万元`).
fn this_years_figure(
    doc: &Document,
    t5: Option<&ByCode<'_, ExpenditureColumns>>,
    topic: SectionTopic,
    st: &Statement,
    key: &str,
    stated: &[(Cow<'_, str>, Amount, MoneyUnit)],
) -> Option<Amount> {
    if let Some(a) = st.amount {
        return Some(a);
    }
    if let Some((_, a, unit)) = stated.iter().rev().find(|(k, ..)| k == key) {
        return Some(a.convert(*unit, st.unit));
    }
    let figure = resolve(doc, t5, topic, &st.subject, key)?;
    let unit = doc
        .tables
        .header(figure.table)
        .map_or(MoneyUnit::TenThousandYuan, |h| h.unit);
    Some(figure.amount.unwrap_or_else(blank).convert(unit, st.unit))
}

/// A blank table cell: the tables print nothing for zero (`因公出国（境）费` with no figure),
/// at the two decimals every amount of a table is printed with.
fn blank() -> Amount {
    Amount::new(Decimal::new(0, 2))
}

/// A figure last year's disclosure printed, in the unit of this year's sentence.
struct Printed {
    /// The value in the sentence's unit.
    value: Decimal,
    /// What it may have been before it was printed, in the sentence's unit.
    interval: Interval,
    /// Where last year's document prints it.
    place_zh: String,
    place_en: String,
}

/// Last year's figure for the subject of `st`: the table figure the same sentence would name
/// in last year's document, else last year's sentence on the same subject in the same section.
fn last_years_figure(previous: &Document, topic: SectionTopic, st: &Statement) -> Option<Printed> {
    let key = subject_key(&st.subject, &previous.identity.department);
    let t5 = previous.tables.general_budget.as_ref().map(ByCode::new);
    let page = |p: Option<u32>| p.map(|p| format!(" 第{p}页")).unwrap_or_default();
    let page_en = |p: Option<u32>| p.map(|p| format!(" p. {p}")).unwrap_or_default();
    if let Some(figure) = resolve(previous, t5.as_ref(), topic, &st.subject, &key) {
        let amount = figure.amount.unwrap_or_else(blank);
        let header = previous.tables.header(figure.table);
        let unit = header.map_or(MoneyUnit::TenThousandYuan, |h| h.unit);
        let at = header.and_then(|h| h.page);
        return Some(Printed {
            value: in_unit(amount, unit, st.unit),
            interval: converted(amount, unit, st.unit),
            place_zh: format!(
                "上年文件 表{} {}“{}”{}",
                figure.table.standard_number(),
                figure.row,
                figure.column,
                page(at)
            ),
            place_en: format!(
                "last year's Table {} {} “{}”{}",
                figure.table.standard_number(),
                figure.row,
                figure.column,
                page_en(at)
            ),
        });
    }
    let section: &Section = previous.narrative.section(topic)?;
    let (amount, unit, at) = section.paragraphs().find_map(|p| {
        p.statements
            .iter()
            .find(|s| {
                s.share.is_none() && subject_key(&s.subject, &previous.identity.department) == key
            })
            .and_then(|s| s.amount.map(|a| (a, s.unit, p.page)))
    })?;
    Some(Printed {
        value: in_unit(amount, unit, st.unit),
        interval: converted(amount, unit, st.unit),
        place_zh: format!("上年文件“{}”：{}{}", section.title, st.subject, page(at)),
        place_en: format!(
            "last year's “{}”: {}{}",
            section.title,
            st.subject,
            page_en(at)
        ),
    })
}

/// A printed amount in another unit, as printed when the unit is the same (a zero keeps its
/// decimals, which arithmetic on it would drop).
fn in_unit(amount: Amount, from: MoneyUnit, to: MoneyUnit) -> Decimal {
    if from == to {
        amount.value()
    } else {
        amount.convert(from, to).value()
    }
}

/// The interval a printed amount stands for, in another unit.
fn converted(amount: Amount, from: MoneyUnit, to: MoneyUnit) -> Interval {
    let i = Interval::printed(amount.value());
    let factor = from.yuan() / to.yuan();
    Interval {
        lo: i.lo * factor,
        hi: i.hi * factor,
    }
}

fn located(f: Finding, st: &Statement, printed: &Printed) -> Finding {
    f.name(st.subject.clone())
        .detail(printed.place_zh.clone(), printed.place_en.clone())
}

/// Y2: this year's figure ∓ the stated change is last year's published figure. Whether it
/// agrees, within rounding (or states no change).
fn stated_change(
    ck: &mut Checker,
    topic: SectionTopic,
    st: &Statement,
    now: Amount,
    printed: &Printed,
) -> bool {
    let Some(change) = &st.change else {
        return true;
    };
    let implied = now.value() - change.signed();
    if implied == printed.value {
        return true;
    }
    // 持平 states exactly no change: only this year's figure was rounded
    let change_slack = if change.direction == Direction::Flat {
        Decimal::ZERO
    } else {
        half_unit(change.amount.value().scale())
    };
    let slack = half_unit(now.value().scale()) + change_slack;
    let implied_interval = Interval {
        lo: implied - slack,
        hi: implied + slack,
    };
    let f = located(
        Finding::new(&Y_STATED_CHANGE, Place::Section(topic))
            .column("上年数")
            .amounts(printed.value, implied),
        st,
        printed,
    );
    let within = implied_interval.overlaps(printed.interval);
    ck.push(if within { f.within_rounding() } else { f });
    within
}

/// Y3: the stated rate is the change over last year's published figure.
fn stated_rate(
    ck: &mut Checker,
    topic: SectionTopic,
    st: &Statement,
    now: Amount,
    printed: &Printed,
) {
    let Some(rate) = &st.rate else { return };
    let difference = (now.value() - printed.value) * rate.direction.sign();
    let numerator = Interval {
        lo: Interval::printed(now.value()).lo - printed.interval.hi,
        hi: Interval::printed(now.value()).hi - printed.interval.lo,
    };
    let numerator = if rate.direction.sign() < Decimal::ZERO {
        Interval {
            lo: -numerator.hi,
            hi: -numerator.lo,
        }
    } else {
        numerator
    };
    let Some((agreement, expected)) = compare_ratio(
        numerator,
        difference,
        printed.interval,
        printed.value,
        rate.percent,
    ) else {
        return;
    };
    if agreement == Agreement::Exact {
        return;
    }
    let f = located(
        Finding::new(&Y_STATED_RATE, Place::Section(topic))
            .column("增减率")
            .figures(
                Figure::Percent(expected),
                Figure::Percent(rate.percent.value()),
            ),
        st,
        printed,
    );
    ck.push(if agreement == Agreement::WithinRounding {
        f.within_rounding()
    } else {
        f
    });
}
