//! Cross-table agreement: every figure printed in two tables agrees (表1 ↔ 表2 ↔ 表3 ↔ 表4 ↔
//! 表5 ↔ 表6 ↔ 表7 ↔ 表10 ↔ 表11), with inequalities where equality is not required.

use rust_decimal::Decimal;

use budgetflow_model::tables::{
    AppropriationLine, ExpenditureColumns, FunctionTable, FundColumns, ProjectRowKind,
    RevenueColumns, RevenueLine, ThreePublicLine,
};
use budgetflow_model::{Amount, Columns, FunctionCode, FunctionLevel, TableKind};

use crate::catalog::*;
use crate::engine::{value, ByCode, Checker, Code};
use crate::finding::{Finding, Place};
use crate::template::has_line;
use crate::tolerance::half_unit;

pub fn check(ck: &mut Checker) {
    let t = &ck.doc.tables;
    let mut ix = Indexes {
        revenue: t.revenue.as_ref().map(ByCode::new),
        expenditure: t.expenditure.as_ref().map(ByCode::new),
        general_budget: t.general_budget.as_ref().map(ByCode::new),
    };
    overall_revenue(ck);
    classes(ck, &mut ix);
    expenditure_rows(ck, &mut ix);
    general_budget(ck, &mut ix);
    basic_and_projects(ck, &mut ix);
    three_public(ck);
    carry_over(ck);
}

/// The tables other tables' rows are looked up in by code, indexed once for all the checks.
struct Indexes<'d> {
    revenue: Option<ByCode<'d, RevenueColumns>>,
    expenditure: Option<ByCode<'d, ExpenditureColumns>>,
    general_budget: Option<ByCode<'d, ExpenditureColumns>>,
}

fn row_by_code<'t, A>(table: &mut Option<ByCode<'t, A>>, code: &FunctionCode) -> Option<&'t A> {
    table.as_mut().and_then(|t| t.row(code)).map(|r| &r.amounts)
}

fn total_of<A>(table: Option<&FunctionTable<A>>) -> Option<&A> {
    table.and_then(|t| t.total()).map(|r| &r.amounts)
}

/// 表1 revenue against the 表2 总计 row (C7, C10) and 表4 (C21).
fn overall_revenue(ck: &mut Checker) {
    let t = &ck.doc.tables;
    let (Some(t1), t2, t4) = (
        t.overall.as_ref(),
        t.revenue.as_ref(),
        t.appropriation.as_ref(),
    ) else {
        return;
    };
    if let Some(t2_total) = total_of(t2) {
        let place = Place::Table(TableKind::Revenue);
        ck.equal(
            &X_T1_T2_TOTAL,
            place,
            t1.revenue_total,
            t2_total.total,
            |f| f.name("总计").column(RevenueColumns::LABELS[0]),
        );
        use RevenueLine::*;
        let split_printed = [
            GeneralBudgetOwn,
            GeneralBudgetTransfer,
            GovFundOwn,
            GovFundTransfer,
            SoeCapitalOwn,
            SoeCapitalTransfer,
        ]
        .iter()
        .any(|l| t1.revenue(*l).is_some());
        let printed = |l: RevenueLine| has_line(&t1.revenue, l);
        let mut pairs: Vec<(RevenueLine, usize)> = vec![
            (SpecialAccount, 8),
            (UnitFunds, 9),
            (FiscalCarryOver, 10),
            (NonFiscalCarryOver, 11),
            (FiscalAppropriation, 1),
            (UnitOperationsIncome, 12),
            (UnitBusinessIncome, 13),
            (UnitOtherIncome, 14),
        ];
        if split_printed {
            pairs.extend([
                (GeneralBudgetOwn, 2),
                (GeneralBudgetTransfer, 3),
                (GovFundOwn, 4),
                (GovFundTransfer, 5),
                (SoeCapitalOwn, 6),
                (SoeCapitalTransfer, 7),
            ]);
        } else if !printed(FiscalAppropriation)
            && [GeneralBudget, GovFund, SoeCapital]
                .into_iter()
                .all(printed)
            && ck.prints(TableKind::Revenue, RevenueColumns::KEYS[1])
        {
            let fiscal = || {
                [GeneralBudget, GovFund, SoeCapital]
                    .into_iter()
                    .map(|l| (Code::Text("表1"), l.standard_label(), t1.revenue(l)))
            };
            ck.sum(
                &X_T1_T2_SOURCES,
                place,
                t2_total.fiscal_subtotal,
                fiscal,
                |f| f.name("总计").column(RevenueColumns::LABELS[1]),
            );
        }
        // a line and a column both printed: 单位资金's 其中 lines have no column in the
        // standard 表2, Shanghai's 收入预算总表 has no carry-over columns
        pairs.retain(|&(line, col)| {
            printed(line) && ck.prints_column::<RevenueColumns>(TableKind::Revenue, col)
        });
        for (line, col) in pairs {
            ck.equal(
                &X_T1_T2_SOURCES,
                place,
                t1.revenue(line),
                t2_total.get(col),
                |f| {
                    f.name("总计").column(RevenueColumns::LABELS[col]).detail(
                        format!("表1“{}”", line.standard_label()),
                        format!("Table 1 line “{}”", line.standard_label()),
                    )
                },
            );
        }
    }
    if let Some(t4) = t4 {
        use AppropriationLine as A;
        let place = Place::Table(TableKind::Appropriation);
        let lines = [
            (A::GeneralBudget, RevenueLine::GeneralBudget, "一般公共预算"),
            (A::GovFund, RevenueLine::GovFund, "政府性基金预算"),
            (A::SoeCapital, RevenueLine::SoeCapital, "国有资本经营预算"),
        ];
        let all_printed = lines
            .iter()
            .all(|&(line4, line1, _)| has_line(&t1.revenue, line1) && has_line(&t4.revenue, line4));
        for (line4, line1, label) in lines {
            if !(has_line(&t1.revenue, line1) && has_line(&t4.revenue, line4)) {
                continue;
            }
            ck.equal(
                &X_T1_T4_REVENUE,
                place,
                t1.revenue(line1),
                t4.revenue(line4),
                |f| f.name(label).column("合计"),
            );
        }
        let appropriations = || {
            [
                RevenueLine::GeneralBudget,
                RevenueLine::GovFund,
                RevenueLine::SoeCapital,
            ]
            .into_iter()
            .map(|l| (Code::Text("表1"), l.standard_label(), t1.revenue(l)))
        };
        if !all_printed {
            return;
        }
        ck.sum(
            &X_T1_T4_REVENUE,
            place,
            t4.revenue_total,
            appropriations,
            |f| f.name("收入总计").column("合计"),
        );
    }
}

/// 表1 类 = 表2 类 总计 = 表3 类 合计 (C12); 表4 一般公共预算 by 类 = 表5 类 (C22).
fn classes(ck: &mut Checker, ix: &mut Indexes) {
    let t = &ck.doc.tables;
    let (t1, t2, t3, t4, t5) = (
        t.overall.as_ref(),
        t.revenue.as_ref(),
        t.expenditure.as_ref(),
        t.appropriation.as_ref(),
        t.general_budget.as_ref(),
    );
    let mut codes: Vec<FunctionCode> = Vec::with_capacity(32);
    let mut note = |c: &FunctionCode| {
        if c.level() == FunctionLevel::Class && !codes.contains(c) {
            codes.push(*c);
        }
    };
    t1.iter()
        .flat_map(|t| &t.expenditure)
        .filter_map(|c| c.code.as_ref())
        .for_each(&mut note);
    t2.iter()
        .flat_map(|t| t.coded_rows())
        .for_each(|(c, _)| note(c));
    t3.iter()
        .flat_map(|t| t.coded_rows())
        .for_each(|(c, _)| note(c));
    for code in &codes {
        let name = ck.catalog.function(code).map_or("", |e| e.name);
        if let Some(t1) = t1 {
            let t1_amount = t1.expenditure(code);
            if t2.is_some() {
                ck.equal(
                    &X_T1_T2_T3_CLASS,
                    Place::Table(TableKind::Revenue),
                    t1_amount,
                    row_by_code(&mut ix.revenue, code).and_then(|r| r.total),
                    |f| {
                        f.code(code.as_str())
                            .name(name)
                            .column(RevenueColumns::LABELS[0])
                            .detail("应与表1同类支出一致", "must equal the class in Table 1")
                    },
                );
            }
            if t3.is_some() {
                ck.equal(
                    &X_T1_T2_T3_CLASS,
                    Place::Table(TableKind::Expenditure),
                    t1_amount,
                    row_by_code(&mut ix.expenditure, code).and_then(|r| r.total),
                    |f| {
                        f.code(code.as_str())
                            .name(name)
                            .column(ExpenditureColumns::LABELS[0])
                            .detail("应与表1同类支出一致", "must equal the class in Table 1")
                    },
                );
            }
        }
    }
    if let (Some(t4), Some(_)) = (t4, t5) {
        let place = Place::Table(TableKind::Appropriation);
        for row in &t4.expenditure {
            let Some(code) = row.code.as_ref() else {
                continue;
            };
            ck.equal(
                &X_T4_T5_CLASS,
                place,
                row_by_code(&mut ix.general_budget, code).and_then(|r| r.total),
                row.amounts.general_budget,
                |f| {
                    f.code(code.as_str())
                        .name(row.name.as_str())
                        .column("一般公共预算")
                },
            );
        }
        for (code, r5) in t5
            .iter()
            .flat_map(|t| t.coded_rows())
            .filter(|(c, _)| c.level() == FunctionLevel::Class)
        {
            if !t4.expenditure.iter().any(|r| r.code.as_ref() == Some(code)) {
                ck.equal(&X_T4_T5_CLASS, place, r5.amounts.total, None, |f| {
                    f.code(code.as_str())
                        .name(r5.name.as_str())
                        .column("一般公共预算")
                });
            }
        }
    }
}

/// 表3 rows = 表2 rows code by code, and 表3 总计 = 表1 支出总计 (C14).
fn expenditure_rows(ck: &mut Checker, ix: &mut Indexes) {
    let t = &ck.doc.tables;
    let (Some(i2), Some(i3)) = (&mut ix.revenue, &mut ix.expenditure) else {
        return;
    };
    let (t2, t3) = (i2.table(), i3.table());
    let place = Place::Table(TableKind::Expenditure);
    if let Some(t1) = &t.overall {
        ck.equal(
            &X_T2_T3_ROWS,
            place,
            t1.expenditure_total,
            total_of(Some(t3)).and_then(|r| r.total),
            |f| {
                f.name("总计").column("合计").detail(
                    "应等于表1支出总计",
                    "must equal the Table 1 expenditure total",
                )
            },
        );
    }
    for (code, r2) in t2.coded_rows() {
        ck.equal(
            &X_T2_T3_ROWS,
            place,
            r2.amounts.total,
            i3.row(code).and_then(|r| r.amounts.total),
            |f| f.code(code.as_str()).name(r2.name.as_str()).column("合计"),
        );
    }
    for (code, r3) in t3.coded_rows() {
        if i2.row(code).is_none() {
            ck.equal(&X_T2_T3_ROWS, place, None, r3.amounts.total, |f| {
                f.code(code.as_str())
                    .name(r3.name.as_str())
                    .column("合计")
                    .detail("表2无此科目", "Table 2 has no such code")
            });
        }
    }
}

/// 表5 against 表1, 表2, 表3 and 表4 (C16–C19).
fn general_budget(ck: &mut Checker, ix: &mut Indexes) {
    let t = &ck.doc.tables;
    let Some(t5) = t.general_budget.as_ref() else {
        return;
    };
    let place = Place::Table(TableKind::GeneralBudget);
    let t5_total = total_of(Some(t5));
    if let Some(t1) = t
        .overall
        .as_ref()
        .filter(|t1| has_line(&t1.revenue, RevenueLine::GeneralBudget))
    {
        ck.equal(
            &X_T1_T4_T5_GENERAL,
            place,
            t1.revenue(RevenueLine::GeneralBudget),
            t5_total.and_then(|r| r.total),
            |f| {
                f.name("总计").column("合计").detail(
                    "应等于表1一般公共预算拨款",
                    "must equal the Table 1 general-budget appropriation",
                )
            },
        );
    }
    if let Some(t4) = &t.appropriation {
        ck.equal(
            &X_T1_T4_T5_GENERAL,
            Place::Table(TableKind::Appropriation),
            t5_total.and_then(|r| r.total),
            t4.expenditure_total.general_budget,
            |f| f.name("支出总计").column("一般公共预算"),
        );
    }
    // 表2 splits its appropriation by budget in the standard template only
    let t2_splits = ck.prints(TableKind::Revenue, RevenueColumns::KEYS[2]);
    if let Some(i2) = ix.revenue.as_mut().filter(|_| t2_splits) {
        for (code, r5) in t5.coded_rows() {
            let r2 = i2.row(code).map(|r| &r.amounts);
            let parts = || {
                [
                    (
                        Code::Text("表2"),
                        RevenueColumns::LABELS[2],
                        r2.and_then(|r| r.general_budget),
                    ),
                    (
                        Code::Text("表2"),
                        RevenueColumns::LABELS[3],
                        r2.and_then(|r| r.general_budget_transfer),
                    ),
                ]
                .into_iter()
            };
            ck.sum(&X_T2_T5_ROWS, place, r5.amounts.total, parts, |f| {
                f.code(code.as_str()).name(r5.name.as_str()).column("合计")
            });
        }
    }
    if let Some(t3) = &t.expenditure {
        let t3_total = total_of(Some(t3));
        let (basic3, basic5) = (
            t3_total.and_then(|r| r.basic),
            t5_total.and_then(|r| r.basic),
        );
        ck.at_least(
            &X_T3_T5_BASIC,
            Place::Table(TableKind::Expenditure),
            basic3,
            basic5,
            |f| f.name("总计").column("基本支出"),
        );
        if value(basic3) == value(basic5) {
            let (total2, total5) = (
                total_of(t.revenue.as_ref()).and_then(|r| r.total),
                t5_total.and_then(|r| r.total),
            );
            let negated = total5.map(|a| Amount::new(-a.value()));
            let parts = || {
                [
                    (
                        Code::Text("表5"),
                        "项目支出",
                        t5_total.and_then(|r| r.project),
                    ),
                    (Code::Text("表2"), "总计", total2),
                    (Code::Text("表5"), "−合计", negated),
                ]
                .into_iter()
            };
            ck.sum(
                &X_T3_T5_PROJECT,
                Place::Table(TableKind::Expenditure),
                t3_total.and_then(|r| r.project),
                parts,
                |f| f.name("总计").column("项目支出"),
            );
        }
    }
}

/// 表6 and 表7 against 表5 (C25, C28, C30); 表8, 表9 against 表4 (C23).
fn basic_and_projects(ck: &mut Checker, ix: &mut Indexes) {
    let t = &ck.doc.tables;
    let t5 = t.general_budget.as_ref();
    let t5_total = total_of(t5);
    if let (Some(t6), Some(_)) = (&t.basic, t5) {
        ck.equal(
            &X_T5_T6_BASIC,
            Place::Table(TableKind::Basic),
            t5_total.and_then(|r| r.basic),
            t6.total().and_then(|r| r.amounts.total),
            |f| f.name("总计").column("合计"),
        );
    }
    overall_split(ck, t5_total);
    if let (Some(t7), Some(t5)) = (&t.projects, t5) {
        let place = Place::Table(TableKind::Projects);
        ck.equal(
            &X_T5_T7_PROJECT,
            place,
            t5_total.and_then(|r| r.project),
            t7.total().and_then(|r| r.amounts.total),
            |f| f.name("总计").column("项目支出合计"),
        );
        // each code's projects summed in one pass over 表7, in the order they are printed
        let mut sums: Vec<(FunctionCode, Decimal)> = Vec::with_capacity(16);
        for r in t7.projects() {
            let Some(c) = r.code else { continue };
            let amount = value(r.amounts.total);
            match sums.iter_mut().find(|(code, _)| *code == c) {
                Some((_, sum)) => *sum += amount,
                // from zero, as `Iterator::sum` adds: the same additions in the same order
                None => sums.push((c, Decimal::ZERO + amount)),
            }
        }
        for (code, sum) in &sums {
            let row5 = ix.general_budget.as_mut().and_then(|i5| i5.row(code));
            ck.equal(&X_T5_T7_PROJECT, place, row5.and_then(|r| r.amounts.project), Some(Amount::new(*sum)), |f| {
                f.code(code.as_str()).name(row5.map_or("", |r| r.name.as_str())).column("项目支出合计").detail("表7该科目项目之和应等于表5项目支出", "the Table 7 projects of this code must add up to Table 5 project expenditure")
            });
        }
        for (code, r5) in t5.coded_rows().filter(|(c, r)| {
            c.level() == FunctionLevel::Xiang && value(r.amounts.project) != Decimal::ZERO
        }) {
            if !sums.iter().any(|(c, _)| c == code)
                && !t7
                    .rows
                    .iter()
                    .any(|r| r.kind != ProjectRowKind::Project && r.code.as_ref() == Some(code))
            {
                ck.equal(&X_T5_T7_PROJECT, place, r5.amounts.project, None, |f| {
                    f.code(code.as_str())
                        .name(r5.name.as_str())
                        .column("项目支出合计")
                        .detail("表7无此科目的项目", "Table 7 has no project of this code")
                });
            }
        }
    }
    if let Some(t4) = &t.appropriation {
        for (kind, table, column) in [
            (
                TableKind::GovFund,
                t.gov_fund.as_ref(),
                t4.expenditure_total.gov_fund,
            ),
            (
                TableKind::SoeCapital,
                t.soe_capital.as_ref(),
                t4.expenditure_total.soe_capital,
            ),
        ] {
            let printed = table.and_then(|t| t.total()).and_then(|r| r.amounts.total);
            let label = if kind == TableKind::GovFund {
                "政府性基金预算"
            } else {
                "国有资本经营预算"
            };
            ck.equal(&X_T4_T8_T9, Place::Table(kind), column, printed, |f| {
                f.name("总计").column("合计").detail(
                    format!("应等于表4“{label}”支出总计"),
                    format!("must equal the Table 4 {label} total"),
                )
            });
        }
    }
}

/// Where 表1 splits its expenditure (the 9-table unit variant): its 人员经费 and 公用经费 are those
/// of 表6, its 项目支出 that of 表5 — equal when all the money is the general budget's (表1
/// 支出总计 = 表5 合计), otherwise 表1, which covers every source, is not less.
fn overall_split(ck: &mut Checker, t5_total: Option<&ExpenditureColumns>) {
    let t = &ck.doc.tables;
    let (Some(t1), Some(t5_total)) = (&t.overall, t5_total) else {
        return;
    };
    let Some(split) = t1.expenditure_total_split.as_ref() else {
        return;
    };
    let t6_total = t
        .basic
        .as_ref()
        .and_then(|t6| t6.total())
        .map(|r| &r.amounts);
    let general_only = value(t1.expenditure_total) == value(t5_total.total);
    let place = Place::Table(TableKind::Overall);
    let pairs = [
        (
            "personnel",
            split.personnel,
            t6_total.and_then(|r| r.personnel),
            "表6",
        ),
        (
            "operating",
            split.operating,
            t6_total.and_then(|r| r.operating),
            "表6",
        ),
        ("project", split.project, t5_total.project, "表5"),
    ];
    for (key, overall, other, table) in pairs {
        if !ck.prints(TableKind::Overall, key) {
            continue;
        }
        let column = FundColumns::LABELS[FundColumns::KEYS
            .iter()
            .position(|k| *k == key)
            .unwrap_or(0)];
        let locate = |f: Finding| {
            f.name("支出总计").column(column).detail(
                format!("{table}总计“{column}”"),
                format!("{table} total “{column}”"),
            )
        };
        if general_only {
            ck.equal(&X_T1_T5_T6_SPLIT, place, other, overall, locate);
        } else {
            ck.at_least(&X_T1_T5_T6_SPLIT, place, overall, other, locate);
        }
    }
}

/// 表10 against 表6 (C35).
fn three_public(ck: &mut Checker) {
    let t = &ck.doc.tables;
    let (Some(t6), Some(t10)) = (&t.basic, &t.three_public) else {
        return;
    };
    let place = Place::Table(TableKind::ThreePublic);
    for (line, code, label) in [
        (ThreePublicLine::Reception, "30217", "公务接待费"),
        (ThreePublicLine::VehicleOperation, "30231", "公务用车运行费"),
    ] {
        let Ok(code) = code.parse() else { continue };
        let basic = t6.row(&code).and_then(|r| r.amounts.total);
        let three_public = t10.line(line).and_then(|r| r.amounts.total);
        let (from, to) = (t6.header.unit, t10.header.unit);
        // 表6 in 元 against a 三公 table in 万元: the 万元 figure stands for everything that
        // prints as it, so only a 表6 amount at or above its upper end contradicts it
        let smaller = basic.map(|a| a.convert(from, to));
        if from != to {
            let upper = value(three_public) + half_unit(three_public.map_or(0, Amount::scale));
            if value(smaller) < upper {
                continue;
            }
        }
        ck.at_least(&X_T6_T10, place, three_public, smaller, |f| {
            f.name(label).column("合计").detail(
                format!("表6 {code} 为 {} {}", value(basic), from.label()),
                format!("Table 6 {code} is {} {}", value(basic), from.label()),
            )
        });
    }
}

/// 表11 against 表1 and 表2 (C37).
fn carry_over(ck: &mut Checker) {
    let t = &ck.doc.tables;
    let Some(t11) = &t.carry_over else { return };
    let place = Place::Table(TableKind::CarryOver);
    let total = t11.total().map(|r| &r.amounts);
    let t2_total = total_of(t.revenue.as_ref());
    if let Some(t1) = &t.overall {
        ck.equal(
            &X_T1_T2_T11,
            place,
            t1.revenue(RevenueLine::CarryOver),
            total.and_then(|r| r.total),
            |f| {
                f.name("总计")
                    .column("合计")
                    .detail("应等于表1上年结转结余", "must equal Table 1 carry-over")
            },
        );
        ck.equal(
            &X_T1_T2_T11,
            place,
            t1.revenue(RevenueLine::FiscalCarryOver),
            total.and_then(|r| r.fiscal_subtotal),
            |f| {
                f.name("总计").column("财政拨款小计").detail(
                    "应等于表1财政拨款结转",
                    "must equal Table 1 fiscal carry-over",
                )
            },
        );
        ck.equal(
            &X_T1_T2_T11,
            place,
            t1.revenue(RevenueLine::NonFiscalCarryOver),
            total.and_then(|r| r.non_fiscal_subtotal),
            |f| {
                f.name("总计").column("非财政拨款小计").detail(
                    "应等于表1非财政拨款结转结余",
                    "must equal Table 1 non-fiscal carry-over",
                )
            },
        );
    }
    if let Some(t2_total) = t2_total {
        ck.equal(
            &X_T1_T2_T11,
            place,
            t2_total.fiscal_carry_over,
            total.and_then(|r| r.fiscal_subtotal),
            |f| {
                f.name("总计").column("财政拨款小计").detail(
                    "应等于表2财政拨款结转",
                    "must equal Table 2 fiscal carry-over",
                )
            },
        );
        ck.equal(
            &X_T1_T2_T11,
            place,
            t2_total.non_fiscal_carry_over,
            total.and_then(|r| r.non_fiscal_subtotal),
            |f| {
                f.name("总计").column("非财政拨款小计").detail(
                    "应等于表2非财政拨款结转结余",
                    "must equal Table 2 non-fiscal carry-over",
                )
            },
        );
    }
}
