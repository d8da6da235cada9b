//! Arithmetic inside each table: row totals against their columns, 总计 = Σ类, 类 = Σ款 = Σ项,
//! both sides of 表1 and 表4, and the unit and code subtotals of 表7 and 表11.

use budgetflow_model::tables::{
    AppropriationLine, AppropriationTable, BasicTable, CarryOverRow, CarryOverRowKind,
    CarryOverTable, EconomicRow, FunctionRow, FunctionTable, OverallTable, ProjectRow,
    ProjectRowKind, ProjectTable, RevenueLine, ThreePublicLine, ThreePublicTable,
};
use budgetflow_model::{Columns, FunctionLevel, TableKind};

use crate::catalog::*;
use crate::engine::{Checker, Code, Part};
use crate::finding::Place;
use crate::rule::Rule;
use crate::template::has_line;

pub fn check(ck: &mut Checker) {
    let t = &ck.doc.tables;
    if let Some(t1) = &t.overall {
        overall(ck, t1);
    }
    if let Some(t2) = &t.revenue {
        function_table(
            ck,
            TableKind::Revenue,
            t2,
            &T2_HIERARCHY,
            // 总计 = 小计 + every other source the template prints: 专户, 单位资金 and the two
            // carry-overs (standard), or 事业收入, 经营收入 and 其他收入 (Shanghai)
            &[
                (&T2_ROW_TOTAL, 0, &[1, 8, 9, 10, 11, 12, 13, 14]),
                (&T2_FISCAL_SUBTOTAL, 1, &[2, 3, 4, 5, 6, 7]),
            ],
        );
    }
    if let Some(t3) = &t.expenditure {
        function_table(
            ck,
            TableKind::Expenditure,
            t3,
            &T3_HIERARCHY,
            &[(&T3_ROW, 0, &[1, 2])],
        );
    }
    if let Some(t4) = &t.appropriation {
        appropriation(ck, t4);
    }
    if let Some(t5) = &t.general_budget {
        function_table(
            ck,
            TableKind::GeneralBudget,
            t5,
            &T5_HIERARCHY,
            &[(&T5_ROW, 0, &[1, 2])],
        );
    }
    if let Some(t6) = &t.basic {
        basic(ck, t6);
    }
    if let Some(t7) = &t.projects {
        projects(ck, t7);
    }
    if let Some(t8) = &t.gov_fund {
        function_table(
            ck,
            TableKind::GovFund,
            t8,
            &T8_HIERARCHY,
            // 基本支出 either split (人员经费, 公用经费) or one column
            &[(&T8_ROW, 0, &[1, 2, 3, 4])],
        );
    }
    if let Some(t9) = &t.soe_capital {
        function_table(
            ck,
            TableKind::SoeCapital,
            t9,
            &T9_HIERARCHY,
            // 基本支出 either split (人员经费, 公用经费) or one column
            &[(&T9_ROW, 0, &[1, 2, 3, 4])],
        );
    }
    if let Some(t10) = &t.three_public {
        three_public(ck, t10);
    }
    if let Some(t11) = &t.carry_over {
        carry_over(ck, t11);
    }
}

fn overall(ck: &mut Checker, t1: &OverallTable) {
    use RevenueLine::*;
    let place = Place::Table(TableKind::Overall);
    // the standard label, or the printed one of a line the standard template does not have
    let label = |l: RevenueLine| match l.standard_label() {
        "" => t1
            .revenue
            .iter()
            .find(|r| r.line == Some(l))
            .map_or("", |r| r.label.as_str()),
        standard => standard,
    };
    let line = |l: RevenueLine| -> Part<'_> { (Code::None, label(l), t1.revenue(l)) };
    let at = |l: RevenueLine| move |f: crate::finding::Finding| f.name(label(l)).column("预算数");

    ck.equal(
        &T1_BALANCE,
        place,
        t1.revenue_total,
        t1.expenditure_total,
        |f| f.name("支出总计").column("预算数"),
    );
    let printed = |l: &RevenueLine| has_line(&t1.revenue, *l);
    // 收入总计 is the sum of the top-level revenue lines: 本年收入 and 上年结转结余 (standard), or
    // 财政拨款收入, 事业收入, 事业单位经营收入 and 其他收入 (Shanghai); the first the table prints
    let blocks: [&[RevenueLine]; 2] = [
        &[CurrentYear, CarryOver],
        &[
            FiscalAppropriation,
            UnitOperationsIncome,
            UnitBusinessIncome,
            UnitOtherIncome,
        ],
    ];
    if let Some(blocks) = blocks.into_iter().find(|b| b.iter().all(printed)) {
        ck.sum(
            &T1_REVENUE_TOTAL,
            place,
            t1.revenue_total,
            || blocks.iter().map(|l| line(*l)),
            |f| f.name("收入总计").column("预算数"),
        );
    }
    let current = [
        GeneralBudget,
        GovFund,
        SoeCapital,
        SpecialAccount,
        UnitFunds,
    ];
    if printed(&CurrentYear) && current.iter().all(printed) {
        ck.sum(
            &T1_CURRENT_REVENUE,
            place,
            t1.revenue(CurrentYear),
            || current.into_iter().map(line),
            at(CurrentYear),
        );
    }
    let splits: [(RevenueLine, &[RevenueLine]); 7] = [
        (GeneralBudget, &[GeneralBudgetOwn, GeneralBudgetTransfer]),
        (GovFund, &[GovFundOwn, GovFundTransfer]),
        (SoeCapital, &[SoeCapitalOwn, SoeCapitalTransfer]),
        (FiscalAppropriation, &[GeneralBudget, GovFund, SoeCapital]),
        (
            UnitFunds,
            &[
                UnitOperationsIncome,
                UnitSuperiorSubsidy,
                UnitAffiliatedRemittance,
                UnitBusinessIncome,
                UnitOtherIncome,
            ],
        ),
        (
            FiscalCarryOver,
            &[
                FiscalCarryOverGeneral,
                FiscalCarryOverGovFund,
                FiscalCarryOverSoe,
            ],
        ),
        (
            NonFiscalCarryOver,
            &[NonFiscalSpecialAccount, NonFiscalUnitFunds],
        ),
    ];
    for (parent, parts) in splits {
        // Templates without a 其中 split print none of the lines; only a printed split must add up.
        if printed(&parent)
            && parts.iter().all(printed)
            && parts.iter().any(|p| t1.revenue(*p).is_some())
        {
            ck.sum(
                &T1_REVENUE_SPLIT,
                place,
                t1.revenue(parent),
                || parts.iter().map(|p| line(*p)),
                at(parent),
            );
        }
    }
    if [CarryOver, FiscalCarryOver, NonFiscalCarryOver]
        .iter()
        .all(printed)
    {
        ck.sum(
            &T1_CARRY_OVER,
            place,
            t1.revenue(CarryOver),
            || [line(FiscalCarryOver), line(NonFiscalCarryOver)].into_iter(),
            at(CarryOver),
        );
    }
    ck.sum(
        &T1_EXPENDITURE_TOTAL,
        place,
        t1.expenditure_total,
        || {
            t1.expenditure
                .iter()
                .map(|c| (c.code.as_ref().into(), c.name.as_str(), c.amount))
        },
        |f| f.name("支出总计").column("预算数"),
    );
    overall_split(ck, t1);
}

/// Where 表1 splits its expenditure (合计, 人员经费, 公用经费, 项目支出): every class and the
/// total add up across, and each column of the total is the sum of the classes.
fn overall_split(ck: &mut Checker, t1: &OverallTable) {
    use budgetflow_model::tables::FundColumns as Cols;
    let kind = TableKind::Overall;
    let place = Place::Table(kind);
    if !ck.prints(kind, Cols::KEYS[0]) {
        return;
    }
    let parts = ck.printed_columns::<Cols>(kind, &[1, 2, 3, 4]);
    if parts.is_empty() {
        return;
    }
    let total_split = t1.expenditure_total_split.as_ref();
    let rows = t1
        .expenditure
        .iter()
        .map(|c| (c.name.as_str(), c.split.as_ref()))
        .chain([("支出总计", total_split)]);
    for (name, split) in rows {
        let Some(split) = split else { continue };
        ck.sum(
            &T1_CLASS_SPLIT,
            place,
            split.total,
            || {
                parts
                    .iter()
                    .map(|&i| (Code::None, Cols::LABELS[i], split.get(i)))
            },
            |f| f.name(name).column(Cols::LABELS[0]),
        );
    }
    let Some(total_split) = total_split else {
        return;
    };
    for &col in &parts {
        ck.sum(
            &T1_EXPENDITURE_TOTAL,
            place,
            total_split.get(col),
            || {
                t1.expenditure.iter().map(move |c| {
                    (
                        c.code.as_ref().into(),
                        c.name.as_str(),
                        c.split.as_ref().and_then(|s| s.get(col)),
                    )
                })
            },
            |f| f.name("支出总计").column(Cols::LABELS[col]),
        );
    }
}

/// The parent row of each row of a functional table: the 款 of a 项, the 类 of a 款, the 总计 of a 类.
pub fn parent_rows<A>(table: &FunctionTable<A>) -> Vec<Option<usize>> {
    let total = table.rows.iter().position(|r| r.code.is_none());
    table
        .rows
        .iter()
        .map(|r| match r.code.as_ref() {
            None => None,
            Some(c) if c.level() == FunctionLevel::Class => total,
            Some(c) => {
                let parent = c.parent();
                table.rows.iter().position(|p| p.code == parent)
            }
        })
        .collect()
}

type RowRule = (&'static Rule, usize, &'static [usize]);

fn function_table<A: Columns>(
    ck: &mut Checker,
    kind: TableKind,
    table: &FunctionTable<A>,
    hierarchy: &'static Rule,
    row_rules: &[RowRule],
) {
    let place = Place::Table(kind);
    // a rule runs on the columns the template prints, and not at all without its total or
    // without any of its parts
    let row_rules: Vec<(&Rule, usize, Vec<usize>)> = row_rules
        .iter()
        .filter(|(_, total, _)| ck.prints_column::<A>(kind, *total))
        .map(|&(rule, total, parts)| (rule, total, ck.printed_columns::<A>(kind, parts)))
        .filter(|(_, _, parts)| !parts.is_empty())
        .collect();
    let columns = ck.printed_columns::<A>(kind, &(0..A::LABELS.len()).collect::<Vec<_>>());
    for row in &table.rows {
        for (rule, total, parts) in &row_rules {
            let total = *total;
            ck.sum(
                rule,
                place,
                row.amounts.get(total),
                || {
                    parts
                        .iter()
                        .map(|&i| (Code::None, A::LABELS[i], row.amounts.get(i)))
                },
                |f| {
                    f.code(code_str(row.code.as_ref()))
                        .name(row.name.as_str())
                        .column(A::LABELS[total])
                },
            );
        }
    }
    // (parent, child) pairs in row order of parents, then of children: every parent's
    // children gathered in one pass instead of a scan of the table per row
    let mut pairs: Vec<(usize, usize)> = parent_rows(table)
        .iter()
        .enumerate()
        .filter_map(|(c, p)| p.map(|p| (p, c)))
        .collect();
    pairs.sort_unstable();
    let mut children: Vec<&FunctionRow<A>> = Vec::new();
    for family in pairs.chunk_by(|a, b| a.0 == b.0) {
        let parent = &table.rows[family[0].0];
        children.clear();
        children.extend(family.iter().map(|&(_, c)| &table.rows[c]));
        for &col in &columns {
            let parts = || {
                children
                    .iter()
                    .map(move |c| (c.code.as_ref().into(), c.name.as_str(), c.amounts.get(col)))
            };
            ck.sum(hierarchy, place, parent.amounts.get(col), parts, |f| {
                f.code(code_str(parent.code.as_ref()))
                    .name(parent.name.as_str())
                    .column(A::LABELS[col])
            });
        }
    }
}

/// A row code as printed in a finding (`""` for a total row).
fn code_str<'a>(code: impl Into<Code<'a>>) -> &'a str {
    code.into().as_str()
}

fn appropriation(ck: &mut Checker, t4: &AppropriationTable) {
    use budgetflow_model::tables::AppropriationColumns as Cols;
    let place = Place::Table(TableKind::Appropriation);
    let label = |l: AppropriationLine| {
        AppropriationLine::STANDARD
            .iter()
            .find(|(x, _)| *x == l)
            .map_or("", |(_, s)| *s)
    };
    let line = |l: AppropriationLine| -> Part<'static> { (Code::None, label(l), t4.revenue(l)) };
    ck.equal(
        &T4_BALANCE,
        place,
        t4.revenue_total,
        t4.expenditure_total.total,
        |f| f.name("支出总计").column("合计"),
    );
    use AppropriationLine::*;
    let budgets = || [line(GeneralBudget), line(GovFund), line(SoeCapital)].into_iter();
    // the standard template totals the three budgets in a 财政拨款（补助） line, the Shanghai
    // one lists them alone under 收入总计
    if has_line(&t4.revenue, Appropriation) {
        ck.sum(
            &T4_REVENUE,
            place,
            t4.revenue(Appropriation),
            budgets,
            |f| f.name(label(Appropriation)).column("合计"),
        );
        ck.sum(
            &T4_REVENUE,
            place,
            t4.revenue_total,
            || [line(Appropriation)].into_iter(),
            |f| f.name("收入总计").column("合计"),
        );
    } else if [GeneralBudget, GovFund, SoeCapital]
        .into_iter()
        .all(|l| has_line(&t4.revenue, l))
    {
        ck.sum(&T4_REVENUE, place, t4.revenue_total, budgets, |f| {
            f.name("收入总计").column("合计")
        });
    }
    let rows = t4
        .expenditure
        .iter()
        .map(|r| (r.code.as_ref(), r.name.as_str(), &r.amounts));
    let kind = TableKind::Appropriation;
    let budgets = ck.printed_columns::<Cols>(kind, &[1, 2, 3]);
    if ck.prints(kind, Cols::KEYS[0]) && !budgets.is_empty() {
        for (code, name, amounts) in rows.chain([(None, "支出总计", &t4.expenditure_total)]) {
            ck.sum(
                &T4_ROW,
                place,
                amounts.total,
                || {
                    budgets
                        .iter()
                        .map(|&i| (Code::None, Cols::LABELS[i], amounts.get(i)))
                },
                |f| f.code(code_str(code)).name(name).column("合计"),
            );
        }
    }
    for col in ck.printed_columns::<Cols>(kind, &[0, 1, 2, 3]) {
        ck.sum(
            &T4_EXPENDITURE_TOTAL,
            place,
            t4.expenditure_total.get(col),
            || {
                t4.expenditure
                    .iter()
                    .map(move |r| (r.code.as_ref().into(), r.name.as_str(), r.amounts.get(col)))
            },
            |f| f.name("支出总计").column(Cols::LABELS[col]),
        );
    }
}

fn basic(ck: &mut Checker, t6: &BasicTable) {
    use budgetflow_model::tables::BasicColumns as Cols;
    let place = Place::Table(TableKind::Basic);
    for row in &t6.rows {
        ck.sum(
            &T6_ROW,
            place,
            row.amounts.total,
            || {
                [
                    (Code::None, Cols::LABELS[1], row.amounts.personnel),
                    (Code::None, Cols::LABELS[2], row.amounts.operating),
                ]
                .into_iter()
            },
            |f| {
                f.code(code_str(row.code.as_ref()))
                    .name(row.name.as_str())
                    .column(Cols::LABELS[0])
            },
        );
        if let Some(c) = row.code.as_ref().filter(|c| c.is_class()) {
            let misplaced = match c.as_str() {
                "301" => row
                    .amounts
                    .operating
                    .filter(|a| !a.is_zero())
                    .map(|a| (a, Cols::LABELS[2])),
                "302" => row
                    .amounts
                    .personnel
                    .filter(|a| !a.is_zero())
                    .map(|a| (a, Cols::LABELS[1])),
                _ => None,
            };
            if let Some((amount, column)) = misplaced {
                ck.push(
                    crate::finding::Finding::new(&T6_ECONOMIC_SPLIT, place)
                        .code(c.as_str())
                        .name(row.name.as_str())
                        .column(column)
                        .amounts(rust_decimal::Decimal::ZERO, amount.value()),
                );
            }
        }
    }
    // 总计 = Σ 类; 类 = Σ 款.
    let mut children: Vec<&EconomicRow> = Vec::new();
    for parent in &t6.rows {
        let is_child = |r: &&EconomicRow| match (&parent.code, &r.code) {
            (None, Some(c)) => c.is_class(),
            (Some(p), Some(c)) => p.is_class() && !c.is_class() && c.class() == *p,
            _ => false,
        };
        children.clear();
        children.extend(t6.rows.iter().filter(is_child));
        if children.is_empty() {
            continue;
        }
        for col in 0..3 {
            ck.sum(
                &T6_HIERARCHY,
                place,
                parent.amounts.get(col),
                || {
                    children
                        .iter()
                        .map(move |r| (r.code.as_ref().into(), r.name.as_str(), r.amounts.get(col)))
                },
                |f| {
                    f.code(code_str(parent.code.as_ref()))
                        .name(parent.name.as_str())
                        .column(Cols::LABELS[col])
                },
            );
        }
    }
}

fn projects(ck: &mut Checker, t7: &ProjectTable) {
    use budgetflow_model::tables::ProjectColumns as Cols;
    let place = Place::Table(TableKind::Projects);
    for row in &t7.rows {
        ck.sum(
            &T7_ROW,
            place,
            row.amounts.total,
            || (1..Cols::LABELS.len()).map(|i| (Code::None, Cols::LABELS[i], row.amounts.get(i))),
            |f| {
                f.code(code_str(row.code.as_ref()))
                    .name(project_name(row))
                    .column(Cols::LABELS[0])
            },
        );
    }
    // The unit each row sits under (None before the first unit row).
    let mut unit_of = Vec::with_capacity(t7.rows.len());
    let mut unit = None;
    for (i, r) in t7.rows.iter().enumerate() {
        if r.kind == ProjectRowKind::Unit {
            unit = Some(i);
        }
        unit_of.push(unit);
    }
    let units: Vec<&ProjectRow> = t7
        .rows
        .iter()
        .filter(|r| r.kind == ProjectRowKind::Unit)
        .collect();
    // Every project row once, with its unit and its code as printed: each subtotal looks
    // through these instead of every row of the table, and compares codes as text without
    // formatting them again for every subtotal.
    let projects: Vec<(Option<usize>, &str, &ProjectRow)> = t7
        .rows
        .iter()
        .zip(&unit_of)
        .filter(|(r, _)| r.kind == ProjectRowKind::Project)
        .map(|(r, u)| (*u, r.code.as_ref().map_or("", |c| c.as_str()), r))
        .collect();
    let mut members: Vec<&ProjectRow> = Vec::new();
    for (i, sub) in t7.rows.iter().enumerate() {
        let coded = matches!(
            sub.kind,
            ProjectRowKind::Class | ProjectRowKind::Kuan | ProjectRowKind::Xiang
        );
        let code = coded
            .then(|| {
                sub.code
                    .or_else(|| ck.catalog.function_class_named(sub.name.trim()))
            })
            .flatten();
        let scope = match (sub.kind, &code) {
            (ProjectRowKind::Total, _) => Scope::All,
            (ProjectRowKind::Unit, _) => Scope::Unit(i),
            (_, Some(c)) if coded => Scope::Code(unit_of[i], c.as_str()),
            _ => continue,
        };
        members.clear();
        members.extend(
            projects
                .iter()
                .filter(|(u, code, _)| scope.contains(*u, code))
                .map(|(_, _, r)| *r),
        );
        for col in 0..Cols::LABELS.len() {
            let parts = || {
                members
                    .iter()
                    .map(move |r| (r.code.as_ref().into(), project_name(r), r.amounts.get(col)))
            };
            ck.sum(&T7_SUBTOTALS, place, sub.amounts.get(col), parts, |f| {
                f.code(code_str(sub.code.as_ref()))
                    .name(sub.name.as_str())
                    .column(Cols::LABELS[col])
            });
        }
        if sub.kind == ProjectRowKind::Total && !units.is_empty() {
            for col in 0..Cols::LABELS.len() {
                let units = || {
                    units
                        .iter()
                        .map(move |r| (Code::None, r.name.as_str(), r.amounts.get(col)))
                };
                ck.sum(&T7_SUBTOTALS, place, sub.amounts.get(col), units, |f| {
                    f.name(sub.name.as_str()).column(Cols::LABELS[col]).detail(
                        "总计应等于各单位小计之和",
                        "the total must equal the sum of the unit subtotals",
                    )
                });
            }
        }
    }
}

/// Which project rows of 表7 a subtotal row covers.
enum Scope<'c> {
    /// 总计: every project.
    All,
    /// A unit row (by index): the projects under it.
    Unit(usize),
    /// A 类/款/项 subtotal: the projects of the same unit within the code (as printed).
    Code(Option<usize>, &'c str),
}

impl Scope<'_> {
    /// Whether a project row under `unit`, printing `code` (`""` for none), is covered.
    fn contains(&self, unit: Option<usize>, code: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Unit(u) => unit == Some(*u),
            // a code lies within another when its digits start with the other's
            Scope::Code(u, scope) => unit == *u && !code.is_empty() && code.starts_with(scope),
        }
    }
}

fn project_name(r: &ProjectRow) -> &str {
    r.project.as_ref().map_or(r.name.as_str(), |p| p.as_str())
}

fn three_public(ck: &mut Checker, t10: &ThreePublicTable) {
    use budgetflow_model::tables::ThreePublicColumns as Cols;
    use ThreePublicLine::*;
    let place = Place::Table(TableKind::ThreePublic);
    let label = |l: ThreePublicLine| {
        ThreePublicLine::STANDARD
            .iter()
            .find(|(x, _)| *x == l)
            .map_or("", |(_, s)| *s)
    };
    let cell = |l: ThreePublicLine, col: usize| t10.line(l).and_then(|r| r.amounts.get(col));
    let printed = |l: &ThreePublicLine| t10.line(*l).is_some();
    let kind = TableKind::ThreePublic;
    let columns = ck.printed_columns::<Cols>(kind, &[0, 1, 2, 3]);
    for &col in &columns {
        let items = [OverseasTravel, Reception, VehicleSubtotal];
        if printed(&Total) && items.iter().all(printed) {
            ck.sum(
                &T10_TOTAL,
                place,
                cell(Total, col),
                || {
                    items
                        .into_iter()
                        .map(|l| (Code::None, label(l), cell(l, col)))
                },
                |f| f.name(label(Total)).column(Cols::LABELS[col]),
            );
        }
        let vehicles = [VehiclePurchase, VehicleOperation];
        if printed(&VehicleSubtotal) && vehicles.iter().all(printed) {
            ck.sum(
                &T10_VEHICLES,
                place,
                cell(VehicleSubtotal, col),
                || {
                    vehicles
                        .into_iter()
                        .map(|l| (Code::None, label(l), cell(l, col)))
                },
                |f| f.name(label(VehicleSubtotal)).column(Cols::LABELS[col]),
            );
        }
    }
    // 合计 by funding source, where the template prints the sources
    let sources: Vec<usize> = columns.iter().copied().filter(|&c| c > 0).collect();
    if !columns.contains(&0) || sources.is_empty() {
        return;
    }
    for row in &t10.rows {
        ck.sum(
            &T10_ROW,
            place,
            row.amounts.total,
            || {
                sources
                    .iter()
                    .map(|&i| (Code::None, Cols::LABELS[i], row.amounts.get(i)))
            },
            |f| f.name(row.label.as_str()).column(Cols::LABELS[0]),
        );
    }
}

fn carry_over(ck: &mut Checker, t11: &CarryOverTable) {
    use budgetflow_model::tables::CarryOverColumns as Cols;
    let place = Place::Table(TableKind::CarryOver);
    let row_sums: [(usize, &[usize]); 3] = [(0, &[1, 5]), (1, &[2, 3, 4]), (5, &[6, 7, 8])];
    for row in &t11.rows {
        for (total, parts) in row_sums {
            ck.sum(
                &T11_ROW,
                place,
                row.amounts.get(total),
                || {
                    parts
                        .iter()
                        .map(|&i| (Code::None, Cols::LABELS[i], row.amounts.get(i)))
                },
                |f| f.name(row.name.as_str()).column(Cols::LABELS[total]),
            );
        }
    }
    let has_units = t11.rows.iter().any(|r| r.kind == CarryOverRowKind::Unit);
    let mut unit = None;
    let unit_of: Vec<Option<usize>> = t11
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if r.kind == CarryOverRowKind::Unit {
                unit = Some(i);
            }
            unit
        })
        .collect();
    let mut members: Vec<&CarryOverRow> = Vec::new();
    for (i, sub) in t11.rows.iter().enumerate() {
        let within = |j: usize, r: &CarryOverRow| match sub.kind {
            CarryOverRowKind::Total if has_units => r.kind == CarryOverRowKind::Unit,
            CarryOverRowKind::Total => r.kind == CarryOverRowKind::Project,
            CarryOverRowKind::Unit => r.kind == CarryOverRowKind::Project && unit_of[j] == Some(i),
            CarryOverRowKind::Project => false,
        };
        if sub.kind == CarryOverRowKind::Project {
            continue;
        }
        members.clear();
        members.extend(
            t11.rows
                .iter()
                .enumerate()
                .filter(|(j, r)| within(*j, r))
                .map(|(_, r)| r),
        );
        for col in 0..Cols::LABELS.len() {
            let parts = || {
                members
                    .iter()
                    .map(move |r| (Code::None, r.name.as_str(), r.amounts.get(col)))
            };
            ck.sum(&T11_SUBTOTALS, place, sub.amounts.get(col), parts, |f| {
                f.name(sub.name.as_str()).column(Cols::LABELS[col])
            });
        }
    }
}
