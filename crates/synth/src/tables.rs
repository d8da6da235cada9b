//! Tables 1–11 (第二部分), each a view of the [`Budget`]: nothing here invents money, it only
//! rolls the per-项 ledger up and places it in the printed columns.

use budgetflow_model::tables::{
    AppropriationColumns, AppropriationLine, AppropriationTable, BasicColumns, BasicTable,
    CarryOverColumns, CarryOverRow, CarryOverRowKind, CarryOverTable, ClassAmount,
    ClassAppropriation, EconomicRow, ExpenditureColumns, FunctionRow, FunctionTable, LabeledAmount,
    OverallTable, ProjectColumns, ProjectName, ProjectRow, ProjectRowKind, ProjectTable,
    RevenueColumns, RevenueLine, TableHeader, TableKind, ThreePublicColumns, ThreePublicLine,
    ThreePublicRow, ThreePublicTable,
};
use budgetflow_model::{Catalog, FiscalYear, FunctionCode, MoneyUnit, Tables};

use crate::budget::{Budget, Ledger, Project};
use crate::department::Department;
use crate::money::{amount, cell, Cents};

/// The catalog name of a functional code.
pub fn function_name(catalog: &Catalog, code: &FunctionCode) -> &'static str {
    catalog
        .function(code)
        .map(|e| e.name)
        .unwrap_or_else(|| panic!("functional code {code} is not in the catalog"))
}

fn header(kind: TableKind, dept: &Department, notes: Vec<String>) -> TableHeader {
    TableHeader {
        number: kind.standard_number(),
        title: kind.standard_title().to_string(),
        compiler: Some(dept.name.clone()),
        unit: MoneyUnit::TenThousandYuan,
        notes,
        columns: Vec::new(),
        page: None,
    }
}

/// The sentence printed under an empty 表8/表9 and in §八/§九.
pub fn empty_fund_note(dept: &Department, kind: TableKind) -> String {
    let source = match kind {
        TableKind::GovFund => "政府性基金预算",
        _ => "国有资本经营预算",
    };
    format!(
        "{} {} 年没有使用{source}拨款安排的支出，{}为空表。",
        dept.name,
        dept.year,
        kind.standard_title()
    )
}

/// The sentence printed under an empty 表11 and in §十一.
pub fn empty_carry_over_note(dept: &Department) -> String {
    format!(
        "{} {} 年没有上年结转结余，{}为空表。",
        dept.name,
        dept.year,
        TableKind::CarryOver.standard_title()
    )
}

pub fn build(dept: &Department, budget: &Budget) -> Tables {
    let catalog = Catalog::for_year(FiscalYear::new(dept.year).unwrap_or_else(|e| panic!("{e}")));
    Tables {
        overall: Some(overall(dept, budget, catalog)),
        revenue: Some(function_table(
            TableKind::Revenue,
            dept,
            budget,
            catalog,
            |_| true,
            revenue_columns,
        )),
        expenditure: Some(function_table(
            TableKind::Expenditure,
            dept,
            budget,
            catalog,
            |_| true,
            |l| ExpenditureColumns {
                total: cell(l.total()),
                basic: cell(l.basic),
                project: cell(l.all_projects()),
            },
        )),
        appropriation: Some(appropriation(dept, budget, catalog)),
        general_budget: Some(function_table(
            TableKind::GeneralBudget,
            dept,
            budget,
            catalog,
            |l| l.general() > 0,
            |l| ExpenditureColumns {
                total: cell(l.general()),
                basic: cell(l.basic),
                project: cell(l.project()),
            },
        )),
        basic: Some(basic(dept, budget, catalog)),
        projects: Some(projects(dept, budget, catalog)),
        gov_fund: Some(FunctionTable {
            header: header(
                TableKind::GovFund,
                dept,
                vec![empty_fund_note(dept, TableKind::GovFund)],
            ),
            rows: Vec::new(),
        }),
        soe_capital: Some(FunctionTable {
            header: header(
                TableKind::SoeCapital,
                dept,
                vec![empty_fund_note(dept, TableKind::SoeCapital)],
            ),
            rows: Vec::new(),
        }),
        three_public: Some(three_public(dept, budget)),
        carry_over: Some(carry_over(dept, budget)),
        unrecognised: Vec::new(),
    }
}

fn revenue_columns(l: &Ledger) -> RevenueColumns {
    RevenueColumns {
        total: cell(l.total()),
        fiscal_subtotal: cell(l.general()),
        general_budget: cell(l.own()),
        general_budget_transfer: cell(l.transfer_project),
        fiscal_carry_over: cell(l.fiscal_carry),
        non_fiscal_carry_over: cell(l.non_fiscal_carry),
        ..RevenueColumns::default()
    }
}

fn function_table<A>(
    kind: TableKind,
    dept: &Department,
    budget: &Budget,
    catalog: &Catalog,
    keep: impl Fn(&Ledger) -> bool,
    columns: impl Fn(&Ledger) -> A,
) -> FunctionTable<A> {
    let rows = budget
        .rollup(keep)
        .into_iter()
        .map(|(code, l)| FunctionRow {
            code,
            name: code
                .map(|c| function_name(catalog, &c))
                .unwrap_or("总计")
                .to_string(),
            amounts: columns(&l),
            page: None,
        })
        .collect();
    FunctionTable {
        header: header(kind, dept, Vec::new()),
        rows,
    }
}

fn overall(dept: &Department, budget: &Budget, catalog: &Catalog) -> OverallTable {
    let t = budget.totals();
    let carry = t.fiscal_carry + t.non_fiscal_carry;
    let revenue = RevenueLine::STANDARD
        .iter()
        .map(|(line, label)| {
            let cents: Cents = match line {
                RevenueLine::CurrentYear | RevenueLine::GeneralBudget => t.general(),
                RevenueLine::GeneralBudgetOwn => t.own(),
                RevenueLine::GeneralBudgetTransfer => t.transfer_project,
                RevenueLine::CarryOver => carry,
                RevenueLine::FiscalCarryOver | RevenueLine::FiscalCarryOverGeneral => {
                    t.fiscal_carry
                }
                RevenueLine::NonFiscalCarryOver | RevenueLine::NonFiscalUnitFunds => {
                    t.non_fiscal_carry
                }
                _ => 0,
            };
            LabeledAmount {
                line: Some(*line),
                label: label.to_string(),
                amount: cell(cents),
                page: None,
            }
        })
        .collect();
    let classes = budget.classes(|_| true);
    let expenditure = catalog
        .function_classes()
        .map(|e| ClassAmount {
            code: Some(e.code),
            name: e.name.to_string(),
            amount: classes
                .iter()
                .find(|(c, _)| *c == e.code)
                .and_then(|(_, l)| cell(l.total())),
            page: None,
            split: None,
        })
        .collect();
    OverallTable {
        header: header(TableKind::Overall, dept, Vec::new()),
        revenue,
        expenditure,
        revenue_total: Some(amount(t.total())),
        expenditure_total: Some(amount(t.total())),
        expenditure_total_split: None,
    }
}

fn appropriation(dept: &Department, budget: &Budget, catalog: &Catalog) -> AppropriationTable {
    let general = budget.totals().general();
    let revenue = AppropriationLine::STANDARD
        .iter()
        .map(|(line, label)| {
            let cents = match line {
                AppropriationLine::Appropriation | AppropriationLine::GeneralBudget => general,
                _ => 0,
            };
            LabeledAmount {
                line: Some(*line),
                label: label.to_string(),
                amount: cell(cents),
                page: None,
            }
        })
        .collect();
    let classes = budget.classes(|l| l.general() > 0);
    let expenditure = catalog
        .function_classes()
        .map(|e| {
            let cents = classes
                .iter()
                .find(|(c, _)| *c == e.code)
                .map(|(_, l)| l.general())
                .unwrap_or(0);
            ClassAppropriation {
                code: Some(e.code),
                name: e.name.to_string(),
                amounts: AppropriationColumns {
                    total: cell(cents),
                    general_budget: cell(cents),
                    ..Default::default()
                },
                page: None,
            }
        })
        .collect();
    AppropriationTable {
        header: header(TableKind::Appropriation, dept, Vec::new()),
        revenue,
        expenditure,
        revenue_total: Some(amount(general)),
        expenditure_total: AppropriationColumns {
            total: cell(general),
            general_budget: cell(general),
            ..Default::default()
        },
    }
}

fn basic_columns(class: &str, cents: Cents) -> BasicColumns {
    let personnel = if class == "302" { 0 } else { cents };
    BasicColumns {
        total: cell(cents),
        personnel: cell(personnel),
        operating: cell(cents - personnel),
    }
}

fn basic(dept: &Department, budget: &Budget, catalog: &Catalog) -> BasicTable {
    let personnel = budget.personnel();
    let operating = budget.operating();
    let mut rows = vec![EconomicRow {
        code: None,
        name: "总计".to_string(),
        amounts: BasicColumns {
            total: cell(personnel + operating),
            personnel: cell(personnel),
            operating: cell(operating),
        },
        page: None,
    }];
    for class in ["301", "302", "303"] {
        let total = budget.economic_class(class);
        if total == 0 {
            continue;
        }
        let class_code = crate::budget::economic_code(class);
        rows.push(EconomicRow {
            code: Some(class_code),
            name: economic_name(catalog, &class_code),
            amounts: basic_columns(class, total),
            page: None,
        });
        for (code, cents) in budget
            .economic
            .iter()
            .filter(|(c, _)| c.class_part() == class)
        {
            rows.push(EconomicRow {
                code: Some(*code),
                name: economic_name(catalog, code),
                amounts: basic_columns(class, *cents),
                page: None,
            });
        }
    }
    BasicTable {
        header: header(TableKind::Basic, dept, Vec::new()),
        rows,
    }
}

fn economic_name(catalog: &Catalog, code: &budgetflow_model::EconomicCode) -> String {
    catalog
        .economic(code)
        .map(|e| e.name.to_string())
        .unwrap_or_else(|| panic!("economic code {code} is not in the catalog"))
}

/// A 表7 amount split into its economic column.
fn project_columns(goods_services: Cents, enterprise: Cents) -> ProjectColumns {
    ProjectColumns {
        total: cell(goods_services + enterprise),
        goods_services: cell(goods_services),
        enterprise: cell(enterprise),
        ..ProjectColumns::default()
    }
}

fn split_by_economics<'a>(projects: impl Iterator<Item = &'a Project>) -> (Cents, Cents) {
    projects.fold((0, 0), |(g, e), p| {
        if p.subsidy {
            (g, e + p.cents)
        } else {
            (g + p.cents, e)
        }
    })
}

fn projects(dept: &Department, budget: &Budget, catalog: &Catalog) -> ProjectTable {
    let (g, e) = split_by_economics(budget.projects.iter());
    let mut rows = vec![ProjectRow {
        kind: ProjectRowKind::Total,
        code: None,
        name: "总计".to_string(),
        project: None,
        amounts: project_columns(g, e),
    }];
    for (u, unit) in dept.units.iter().enumerate() {
        let unit_projects: Vec<&Project> = budget.projects.iter().filter(|p| p.unit == u).collect();
        if unit_projects.is_empty() {
            continue;
        }
        let (g, e) = split_by_economics(unit_projects.iter().copied());
        rows.push(ProjectRow {
            kind: ProjectRowKind::Unit,
            code: None,
            name: unit.name.clone(),
            project: None,
            amounts: project_columns(g, e),
        });
        let mut last_class = None;
        let mut last_kuan = None;
        for p in &unit_projects {
            let class = p.code.class();
            let kuan = p.code.parent().unwrap_or(p.code);
            for (level, code, seen) in [
                (ProjectRowKind::Class, class, &mut last_class),
                (ProjectRowKind::Kuan, kuan, &mut last_kuan),
            ] {
                if *seen != Some(code) {
                    *seen = Some(code);
                    let within = unit_projects
                        .iter()
                        .copied()
                        .filter(|q| q.code.is_within(&code));
                    let (g, e) = split_by_economics(within);
                    rows.push(ProjectRow {
                        kind: level,
                        code: Some(code),
                        name: function_name(catalog, &code).to_string(),
                        project: None,
                        amounts: project_columns(g, e),
                    });
                }
            }
            let (g, e) = if p.subsidy {
                (0, p.cents)
            } else {
                (p.cents, 0)
            };
            rows.push(ProjectRow {
                kind: ProjectRowKind::Project,
                code: Some(p.code),
                name: function_name(catalog, &p.code).to_string(),
                project: Some(ProjectName::new(p.name.clone())),
                amounts: project_columns(g, e),
            });
        }
    }
    ProjectTable {
        header: header(TableKind::Projects, dept, Vec::new()),
        rows,
    }
}

fn three_public(dept: &Department, budget: &Budget) -> ThreePublicTable {
    let reception = budget.economic_line("30217");
    let operation = budget.economic_line("30231");
    let rows = ThreePublicLine::STANDARD
        .iter()
        .map(|(line, label)| {
            let cents = match line {
                ThreePublicLine::Total => reception + operation,
                ThreePublicLine::Reception => reception,
                ThreePublicLine::VehicleSubtotal | ThreePublicLine::VehicleOperation => operation,
                ThreePublicLine::OverseasTravel | ThreePublicLine::VehiclePurchase => 0,
                // not a line of the standard table
                ThreePublicLine::OperatingCosts => 0,
            };
            ThreePublicRow {
                line: Some(*line),
                label: label.to_string(),
                amounts: ThreePublicColumns {
                    total: cell(cents),
                    general_budget: cell(cents),
                    ..Default::default()
                },
                page: None,
            }
        })
        .collect();
    ThreePublicTable {
        header: header(TableKind::ThreePublic, dept, Vec::new()),
        rows,
    }
}

fn carry_over_columns(fiscal: Cents, non_fiscal: Cents) -> CarryOverColumns {
    CarryOverColumns {
        total: cell(fiscal + non_fiscal),
        fiscal_subtotal: cell(fiscal),
        fiscal_project: cell(fiscal),
        non_fiscal_subtotal: cell(non_fiscal),
        non_fiscal_project: cell(non_fiscal),
        ..CarryOverColumns::default()
    }
}

fn carry_over(dept: &Department, budget: &Budget) -> CarryOverTable {
    if budget.carry_over.is_empty() {
        return CarryOverTable {
            header: header(
                TableKind::CarryOver,
                dept,
                vec![empty_carry_over_note(dept)],
            ),
            rows: Vec::new(),
        };
    }
    let split = |fiscal: bool, cents: Cents| if fiscal { (cents, 0) } else { (0, cents) };
    let t = budget.totals();
    let mut rows = vec![CarryOverRow {
        kind: CarryOverRowKind::Total,
        name: "总计".to_string(),
        amounts: carry_over_columns(t.fiscal_carry, t.non_fiscal_carry),
    }];
    for (u, unit) in dept.units.iter().enumerate() {
        let items: Vec<_> = budget.carry_over.iter().filter(|c| c.unit == u).collect();
        if items.is_empty() {
            continue;
        }
        let (f, n) = items.iter().fold((0, 0), |(f, n), c| {
            let (df, dn) = split(c.fiscal, c.cents);
            (f + df, n + dn)
        });
        rows.push(CarryOverRow {
            kind: CarryOverRowKind::Unit,
            name: unit.name.clone(),
            amounts: carry_over_columns(f, n),
        });
        for c in items {
            let (f, n) = split(c.fiscal, c.cents);
            rows.push(CarryOverRow {
                kind: CarryOverRowKind::Project,
                name: c.name.clone(),
                amounts: carry_over_columns(f, n),
            });
        }
    }
    CarryOverTable {
        header: header(TableKind::CarryOver, dept, Vec::new()),
        rows,
    }
}
