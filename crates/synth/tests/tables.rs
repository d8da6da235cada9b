//! Every cross-table identity of `docs/domain.md#cross-table-identities` (C1–C38), checked
//! exactly on generated drafts of many seeds and shapes. Each check names its formula; a
//! failure names the document and the figures.

use budgetflow_model::tables::{
    CarryOverRowKind, Columns, FunctionTable, ProjectRowKind, RevenueLine as L,
    ThreePublicLine as T,
};
use budgetflow_model::{Amount, Catalog, Document, FunctionCode, FunctionLevel, Tables};
use budgetflow_synth::{draft, draft_with, shape, Shape};
use rust_decimal::Decimal;

fn v(a: Option<Amount>) -> Decimal {
    a.map(Amount::value).unwrap_or_default()
}

fn eq(what: &str, left: Decimal, right: Decimal) -> Result<(), String> {
    if left == right {
        Ok(())
    } else {
        Err(format!("{what}: {left} ≠ {right}"))
    }
}

type Check = (&'static str, fn(&Tables) -> Result<(), String>);

fn t1(t: &Tables, line: L) -> Decimal {
    v(t.overall.as_ref().unwrap().revenue(line))
}

fn col<A: Columns>(table: &FunctionTable<A>, code: Option<&FunctionCode>, i: usize) -> Decimal {
    table
        .rows
        .iter()
        .find(|r| r.code.as_ref() == code)
        .map(|r| v(r.amounts.get(i)))
        .unwrap_or_default()
}

/// 总计 = Σ 类, 类 = Σ 款, 款 = Σ 项, in every column.
fn hierarchy<A: Columns>(name: &str, table: &FunctionTable<A>) -> Result<(), String> {
    for i in 0..A::LABELS.len() {
        let children = |parent: Option<&FunctionCode>| -> Decimal {
            table
                .coded_rows()
                .filter(|(c, _)| match parent {
                    None => c.level() == FunctionLevel::Class,
                    Some(p) => c.parent() == Some(*p),
                })
                .map(|(_, r)| v(r.amounts.get(i)))
                .sum()
        };
        eq(
            &format!("{name} 总计 col {}", i + 1),
            col(table, None, i),
            children(None),
        )?;
        for (code, row) in table
            .coded_rows()
            .filter(|(c, _)| c.level() != FunctionLevel::Xiang)
        {
            eq(
                &format!("{name} {code} col {}", i + 1),
                v(row.amounts.get(i)),
                children(Some(code)),
            )?;
        }
    }
    Ok(())
}

const CHECKS: &[Check] = &[
    ("C1 收入总计 = 支出总计", |t| {
        let o = t.overall.as_ref().unwrap();
        eq("T1", v(o.revenue_total), v(o.expenditure_total))
    }),
    ("C2 收入总计 = 本年收入 + 上年结转结余", |t| {
        eq(
            "T1",
            v(t.overall.as_ref().unwrap().revenue_total),
            t1(t, L::CurrentYear) + t1(t, L::CarryOver),
        )
    }),
    ("C3 本年收入 = Σ sources", |t| {
        let s = [
            L::GeneralBudget,
            L::GovFund,
            L::SoeCapital,
            L::SpecialAccount,
            L::UnitFunds,
        ]
        .map(|l| t1(t, l));
        eq("T1", t1(t, L::CurrentYear), s.iter().sum())
    }),
    (
        "C4 一般公共预算拨款 = 一般财力 + 上级转移支付",
        |t| {
            eq(
                "T1",
                t1(t, L::GeneralBudget),
                t1(t, L::GeneralBudgetOwn) + t1(t, L::GeneralBudgetTransfer),
            )
        },
    ),
    (
        "C5 上年结转结余 = 财政拨款结转 + 非财政",
        |t| {
            eq(
                "T1",
                t1(t, L::CarryOver),
                t1(t, L::FiscalCarryOver) + t1(t, L::NonFiscalCarryOver),
            )
        },
    ),
    ("C6 支出总计 = Σ 类", |t| {
        let o = t.overall.as_ref().unwrap();
        eq(
            "T1",
            v(o.expenditure_total),
            o.expenditure.iter().map(|c| v(c.amount)).sum(),
        )
    }),
    ("C7 T2 总计 = T1 收入总计", |t| {
        eq(
            "T2",
            col(t.revenue.as_ref().unwrap(), None, 0),
            v(t.overall.as_ref().unwrap().revenue_total),
        )
    }),
    ("C8/C9 T2 col1 = col2 + col9..12; col2 = col3..8", |t| {
        for r in &t.revenue.as_ref().unwrap().rows {
            let c = |i: usize| v(r.amounts.get(i));
            eq(
                &format!("T2 {} col1", r.name),
                c(0),
                c(1) + c(8) + c(9) + c(10) + c(11),
            )?;
            eq(&format!("T2 {} col2", r.name), c(1), (2..8).map(c).sum())?;
        }
        Ok(())
    }),
    ("C10 T2 总计 cols 3/4/11/12 = T1 lines", |t| {
        let r = t.revenue.as_ref().unwrap();
        eq("col3", col(r, None, 2), t1(t, L::GeneralBudgetOwn))?;
        eq("col4", col(r, None, 3), t1(t, L::GeneralBudgetTransfer))?;
        eq("col11", col(r, None, 10), t1(t, L::FiscalCarryOver))?;
        eq("col12", col(r, None, 11), t1(t, L::NonFiscalCarryOver))
    }),
    ("C11 hierarchy of T2, T3, T5", |t| {
        hierarchy("T2", t.revenue.as_ref().unwrap())?;
        hierarchy("T3", t.expenditure.as_ref().unwrap())?;
        hierarchy("T5", t.general_budget.as_ref().unwrap())
    }),
    ("C12 T1 类 = T2 类 col1 = T3 类 合计", |t| {
        for c in &t.overall.as_ref().unwrap().expenditure {
            let code = c.code.as_ref();
            eq(
                &format!("T2 {}", c.name),
                v(c.amount),
                col(t.revenue.as_ref().unwrap(), code, 0),
            )?;
            eq(
                &format!("T3 {}", c.name),
                v(c.amount),
                col(t.expenditure.as_ref().unwrap(), code, 0),
            )?;
        }
        Ok(())
    }),
    ("C13 T3 合计 = 基本 + 项目", |t| {
        for r in &t.expenditure.as_ref().unwrap().rows {
            eq(
                &r.name,
                v(r.amounts.total),
                v(r.amounts.basic) + v(r.amounts.project),
            )?;
        }
        Ok(())
    }),
    ("C14 T3 = T2 row by row, same codes", |t| {
        let (t2, t3) = (t.revenue.as_ref().unwrap(), t.expenditure.as_ref().unwrap());
        let codes = |rows: Vec<Option<FunctionCode>>| rows;
        if codes(t2.rows.iter().map(|r| r.code).collect())
            != codes(t3.rows.iter().map(|r| r.code).collect())
        {
            return Err("T2 and T3 list different codes".into());
        }
        for r in &t3.rows {
            eq(&r.name, v(r.amounts.total), col(t2, r.code.as_ref(), 0))?;
        }
        Ok(())
    }),
    ("C15 T5 合计 = 基本 + 项目", |t| {
        for r in &t.general_budget.as_ref().unwrap().rows {
            eq(
                &r.name,
                v(r.amounts.total),
                v(r.amounts.basic) + v(r.amounts.project),
            )?;
        }
        Ok(())
    }),
    (
        "C16 T5 总计 = T1 一般公共预算拨款 = T4 一般公共预算",
        |t| {
            let t5 = col(t.general_budget.as_ref().unwrap(), None, 0);
            eq("T1", t5, t1(t, L::GeneralBudget))?;
            eq(
                "T4",
                t5,
                v(t.appropriation
                    .as_ref()
                    .unwrap()
                    .expenditure_total
                    .general_budget),
            )
        },
    ),
    ("C17 T5 row = T2 col3 + col4", |t| {
        let t2 = t.revenue.as_ref().unwrap();
        let t5 = t.general_budget.as_ref().unwrap();
        for r in &t2.rows {
            let general = v(r.amounts.general_budget) + v(r.amounts.general_budget_transfer);
            eq(&r.name, general, col(t5, r.code.as_ref(), 0))?;
        }
        Ok(())
    }),
    ("C18 T5 基本 = T3 基本", |t| {
        eq(
            "基本",
            col(t.general_budget.as_ref().unwrap(), None, 1),
            col(t.expenditure.as_ref().unwrap(), None, 1),
        )
    }),
    ("C19 T3 项目 = T5 项目 + T2 col11 + col12", |t| {
        let t2 = t.revenue.as_ref().unwrap();
        let rhs = col(t.general_budget.as_ref().unwrap(), None, 2)
            + col(t2, None, 10)
            + col(t2, None, 11);
        eq("项目", col(t.expenditure.as_ref().unwrap(), None, 2), rhs)
    }),
    ("C20/C21 T4 收入 = 支出 = T1 拨款", |t| {
        use budgetflow_model::tables::AppropriationLine as A;
        let t4 = t.appropriation.as_ref().unwrap();
        eq(
            "T4 收支",
            v(t4.revenue_total),
            v(t4.expenditure_total.total),
        )?;
        let sources = [A::GeneralBudget, A::GovFund, A::SoeCapital].map(|l| v(t4.revenue(l)));
        eq(
            "T4 拨款",
            v(t4.revenue(A::Appropriation)),
            sources.iter().sum(),
        )?;
        eq(
            "T4 = T1",
            v(t4.revenue_total),
            t1(t, L::GeneralBudget) + t1(t, L::GovFund) + t1(t, L::SoeCapital),
        )
    }),
    ("C22 T4 类 = T5 类", |t| {
        let t5 = t.general_budget.as_ref().unwrap();
        for r in &t.appropriation.as_ref().unwrap().expenditure {
            let a = &r.amounts;
            eq(
                &r.name,
                v(a.total),
                v(a.general_budget) + v(a.gov_fund) + v(a.soe_capital),
            )?;
            eq(&r.name, v(a.general_budget), col(t5, r.code.as_ref(), 0))?;
        }
        Ok(())
    }),
    ("C23 T8/T9 empty with a note, T4 columns 0", |t| {
        let t4 = t.appropriation.as_ref().unwrap();
        for (name, table, total) in [
            ("T8", &t.gov_fund, t4.expenditure_total.gov_fund),
            ("T9", &t.soe_capital, t4.expenditure_total.soe_capital),
        ] {
            let table = table.as_ref().unwrap();
            if !table.is_empty() || table.header.notes.is_empty() || total.is_some() {
                return Err(format!("{name} must be empty with its 空表说明"));
            }
        }
        Ok(())
    }),
    ("C24 T6 合计 = 人员 + 公用", |t| {
        for r in &t.basic.as_ref().unwrap().rows {
            eq(
                &r.name,
                v(r.amounts.total),
                v(r.amounts.personnel) + v(r.amounts.operating),
            )?;
        }
        Ok(())
    }),
    ("C25 T6 总计 = T5 基本", |t| {
        eq(
            "T6",
            v(t.basic.as_ref().unwrap().total().unwrap().amounts.total),
            col(t.general_budget.as_ref().unwrap(), None, 1),
        )
    }),
    (
        "C26/C27 T6 人员 = 301 + 303, 公用 = 302, 类 = Σ 款",
        |t| {
            let t6 = t.basic.as_ref().unwrap();
            let class = |c: &str| {
                t6.row(&c.parse().unwrap())
                    .map(|r| v(r.amounts.total))
                    .unwrap_or_default()
            };
            let total = &t6.total().unwrap().amounts;
            eq("人员", v(total.personnel), class("301") + class("303"))?;
            eq("公用", v(total.operating), class("302"))?;
            for c in ["301", "302", "303"] {
                let kuan: Decimal = t6
                    .rows
                    .iter()
                    .filter(|r| r.code.is_some_and(|k| !k.is_class() && k.class_part() == c))
                    .map(|r| v(r.amounts.total))
                    .sum();
                eq(c, class(c), kuan)?;
            }
            Ok(())
        },
    ),
    ("C28 T7 总计 = Σ projects = T5 项目", |t| {
        let t7 = t.projects.as_ref().unwrap();
        let total = v(t7.total().unwrap().amounts.total);
        eq("Σ", total, t7.projects().map(|p| v(p.amounts.total)).sum())?;
        eq(
            "T5",
            total,
            col(t.general_budget.as_ref().unwrap(), None, 2),
        )
    }),
    ("C29 T7 合计 = Σ economic columns", |t| {
        for r in &t.projects.as_ref().unwrap().rows {
            eq(
                &r.name,
                v(r.amounts.total),
                (1..11).map(|i| v(r.amounts.get(i))).sum(),
            )?;
        }
        Ok(())
    }),
    ("C30 T7 per 项 = T5 项目 of the 项", |t| {
        let t5 = t.general_budget.as_ref().unwrap();
        for (code, row) in t5
            .coded_rows()
            .filter(|(c, _)| c.level() == FunctionLevel::Xiang)
        {
            let sum: Decimal = t
                .projects
                .as_ref()
                .unwrap()
                .projects()
                .filter(|p| p.code.as_ref() == Some(code))
                .map(|p| v(p.amounts.total))
                .sum();
            eq(code.as_str(), v(row.amounts.project), sum)?;
        }
        Ok(())
    }),
    (
        "C31 T7 unit, 类 and 款 subtotals = Σ their projects",
        |t| {
            let rows = &t.projects.as_ref().unwrap().rows;
            for (i, r) in rows.iter().enumerate() {
                if !matches!(
                    r.kind,
                    ProjectRowKind::Unit | ProjectRowKind::Class | ProjectRowKind::Kuan
                ) {
                    continue;
                }
                let mut sum = Decimal::ZERO;
                for next in &rows[i + 1..] {
                    match next.kind {
                        ProjectRowKind::Unit | ProjectRowKind::Total => break,
                        ProjectRowKind::Project
                            if r.code
                                .is_none_or(|c| next.code.is_some_and(|n| n.is_within(&c))) =>
                        {
                            sum += v(next.amounts.total)
                        }
                        _ => {}
                    }
                }
                eq(&r.name, v(r.amounts.total), sum)?;
            }
            Ok(())
        },
    ),
    ("C32–C34 T10 sums and sources", |t| {
        let t10 = t.three_public.as_ref().unwrap();
        let line = |l: T| v(t10.line(l).unwrap().amounts.total);
        eq(
            "合计",
            line(T::Total),
            line(T::OverseasTravel) + line(T::Reception) + line(T::VehicleSubtotal),
        )?;
        eq(
            "小计",
            line(T::VehicleSubtotal),
            line(T::VehiclePurchase) + line(T::VehicleOperation),
        )?;
        for r in &t10.rows {
            let a = &r.amounts;
            eq(
                &r.label,
                v(a.total),
                v(a.general_budget) + v(a.gov_fund) + v(a.soe_capital),
            )?;
        }
        Ok(())
    }),
    ("C35 T10 接待/运行 = T6 30217/30231", |t| {
        let t10 = t.three_public.as_ref().unwrap();
        let t6 = t.basic.as_ref().unwrap();
        let econ = |c: &str| {
            t6.row(&c.parse().unwrap())
                .map(|r| v(r.amounts.total))
                .unwrap_or_default()
        };
        eq(
            "接待",
            v(t10.line(T::Reception).unwrap().amounts.total),
            econ("30217"),
        )?;
        eq(
            "运行",
            v(t10.line(T::VehicleOperation).unwrap().amounts.total),
            econ("30231"),
        )
    }),
    (
        "C36 T11 合计 = 财政 + 非财政; 小计 = 人员 + 公用 + 项目",
        |t| {
            for r in &t.carry_over.as_ref().unwrap().rows {
                let c = |i: usize| v(r.amounts.get(i));
                eq(&r.name, c(0), c(1) + c(5))?;
                eq(&r.name, c(1), c(2) + c(3) + c(4))?;
                eq(&r.name, c(5), c(6) + c(7) + c(8))?;
            }
            Ok(())
        },
    ),
    (
        "C37 T11 总计 = T1 上年结转结余 = T2 col11 + col12",
        |t| {
            let t11 = t.carry_over.as_ref().unwrap();
            let (total, fiscal, non_fiscal) = t11
                .total()
                .map(|r| {
                    (
                        v(r.amounts.total),
                        v(r.amounts.fiscal_subtotal),
                        v(r.amounts.non_fiscal_subtotal),
                    )
                })
                .unwrap_or_default();
            eq("总计", total, t1(t, L::CarryOver))?;
            eq("财政", fiscal, t1(t, L::FiscalCarryOver))?;
            eq(
                "财政 T2",
                fiscal,
                col(t.revenue.as_ref().unwrap(), None, 10),
            )?;
            eq("非财政", non_fiscal, t1(t, L::NonFiscalCarryOver))?;
            eq(
                "非财政 T2",
                non_fiscal,
                col(t.revenue.as_ref().unwrap(), None, 11),
            )
        },
    ),
    ("C38 T11 Σ units = 总计; unit = Σ its items", |t| {
        let rows = &t.carry_over.as_ref().unwrap().rows;
        let Some(total) = rows.iter().find(|r| r.kind == CarryOverRowKind::Total) else {
            return if rows.is_empty() {
                Ok(())
            } else {
                Err("rows without 总计".into())
            };
        };
        let units = rows.iter().filter(|r| r.kind == CarryOverRowKind::Unit);
        eq(
            "Σ units",
            v(total.amounts.total),
            units.map(|r| v(r.amounts.total)).sum(),
        )?;
        for (i, r) in rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == CarryOverRowKind::Unit)
        {
            let items = rows[i + 1..]
                .iter()
                .take_while(|n| n.kind == CarryOverRowKind::Project);
            eq(
                &r.name,
                v(r.amounts.total),
                items.map(|n| v(n.amounts.total)).sum(),
            )?;
        }
        Ok(())
    }),
    ("codes are in the catalog with their names", |t| {
        let catalog = Catalog::for_year(budgetflow_model::FiscalYear::new(2025).unwrap());
        for (code, row) in t.revenue.as_ref().unwrap().coded_rows() {
            let entry = catalog
                .function(code)
                .ok_or(format!("{code} not in the catalog"))?;
            if entry.name != row.name {
                return Err(format!(
                    "{code} named {} instead of {}",
                    row.name, entry.name
                ));
            }
        }
        for r in &t.basic.as_ref().unwrap().rows {
            if let Some(code) = r.code {
                catalog
                    .economic(&code)
                    .ok_or(format!("{code} not in the catalog"))?;
            }
        }
        Ok(())
    }),
    ("amounts have 2 decimals", |t| {
        let t2 = t.revenue.as_ref().unwrap();
        let t7 = t.projects.as_ref().unwrap();
        let cells = t2
            .rows
            .iter()
            .flat_map(|r| r.amounts.cells())
            .chain(t7.rows.iter().flat_map(|r| r.amounts.cells()));
        match cells.flatten().find(|a| a.scale() != 2) {
            Some(a) => Err(format!("{a} is not printed with 2 decimals")),
            None => Ok(()),
        }
    }),
];

fn check_all(doc: &Document) {
    for (name, check) in CHECKS {
        if let Err(e) = check(&doc.tables) {
            panic!(
                "{} ({}): {name}: {e}",
                doc.identity.department, doc.identity.fiscal_year
            );
        }
    }
}

#[test]
fn every_formula_holds_on_many_drafts() {
    for seed in [1, 2, 2025] {
        for index in 0..60 {
            check_all(&draft(seed, index));
        }
    }
}

#[test]
fn every_formula_holds_on_forced_shapes() {
    let shapes = [
        Shape {
            year: 2025,
            institutions: 0,
            classified_projects: 0,
            carry_over: false,
            separate_insurance: false,
        },
        Shape {
            year: 2025,
            institutions: 3,
            classified_projects: 3,
            carry_over: true,
            separate_insurance: true,
        },
        Shape {
            year: 2024,
            institutions: 1,
            classified_projects: 1,
            carry_over: true,
            separate_insurance: false,
        },
    ];
    for s in &shapes {
        for index in 0..10 {
            let doc = draft_with(9, index, s);
            check_all(&doc);
            let t7 = doc.tables.projects.as_ref().unwrap();
            let classified = t7
                .projects()
                .filter(|p| p.project.as_ref().is_some_and(|n| n.is_classified()))
                .count();
            assert_eq!(
                classified, s.classified_projects,
                "classified projects of {index}"
            );
            let t11 = doc.tables.carry_over.as_ref().unwrap();
            assert_eq!(!t11.rows.is_empty(), s.carry_over, "carry-over of {index}");
            assert_eq!(
                t11.rows.is_empty(),
                !t11.header.notes.is_empty(),
                "空表说明 of 表11 in {index}"
            );
            let institutions = doc.overview.units.len() - 1;
            assert!(
                institutions <= s.institutions
                    && (institutions == s.institutions || institutions >= 2),
                "institutions of {index}"
            );
            assert_eq!(doc.identity.fiscal_year.get(), s.year);
        }
    }
}

#[test]
fn the_checks_can_fail() {
    let mut doc = draft(1, 0);
    let row = doc
        .tables
        .revenue
        .as_mut()
        .unwrap()
        .rows
        .iter_mut()
        .find(|r| r.code.is_some())
        .unwrap();
    row.amounts.total = Some(
        v(row.amounts.total)
            .checked_add(Decimal::new(1, 2))
            .map(Amount::new)
            .unwrap(),
    );
    let failing: Vec<&str> = CHECKS
        .iter()
        .filter(|(_, c)| c(&doc.tables).is_err())
        .map(|(n, _)| *n)
        .collect();
    assert!(failing.iter().any(|n| n.starts_with("C8")), "{failing:?}");
    assert!(failing.iter().any(|n| n.starts_with("C11")), "{failing:?}");
}

#[test]
fn shapes_vary_across_a_corpus() {
    let shapes: Vec<Shape> = (0..200).map(|i| shape(5, i)).collect();
    assert!(
        shapes.iter().any(|s| s.classified_projects > 0)
            && shapes.iter().any(|s| s.classified_projects == 0)
    );
    assert!(shapes.iter().any(|s| s.carry_over) && shapes.iter().any(|s| !s.carry_over));
    assert!((0..=3).all(|n| shapes.iter().any(|s| s.institutions == n)));
    let names: std::collections::BTreeSet<String> =
        (0..100).map(|i| draft(5, i).identity.department).collect();
    assert_eq!(
        names.len(),
        100,
        "the first 100 departments have distinct names"
    );
}
