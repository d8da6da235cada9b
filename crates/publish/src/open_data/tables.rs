//! Tables 1–11 as flat resources: one [`Resource`] per table with typed fields (the printed
//! column labels from the model's `Columns` structs, plus code, 类/款/项 and name columns) and
//! rows of cells exactly as printed. The CSV writer and the data package both read these, so
//! what a CSV holds and what the package declares cannot drift apart.

use budgetflow_model::tables::{
    AppropriationColumns, BasicColumns, CarryOverColumns, CarryOverRowKind, FunctionTable,
    ProjectColumns, ProjectRowKind, TableHeader, ThreePublicColumns,
};
use budgetflow_model::{
    Amount, Columns, Document, EconomicCode, FunctionCode, FunctionLevel, MoneyUnit, TableKind,
};

use crate::html::project_label;

/// Which classification a code column belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// 支出功能分类 (类/款/项).
    Functional,
    /// 支出经济分类 (类/款).
    Economic,
}

/// Whether an amount is money coming in or going out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Revenue,
    Expenditure,
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Text as printed (a name, a label, a row kind).
    Label,
    /// The printed classification code, at whatever level the row is.
    Code(Scheme),
    /// The row's code cut to one level (`类`, `款`, `项`); blank when the row is shallower.
    Level(Scheme, &'static str),
    /// An amount in the table's unit, as printed; blank when the cell is blank.
    Amount(Flow),
}

/// One column: its header (the printed label) and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub role: Role,
}

/// One table as a flat resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// `table-01` … `table-11`.
    pub name: String,
    /// Path inside the publication (`data/table-01.csv`).
    pub path: String,
    /// `表1 部门收支总体情况表`.
    pub title: String,
    pub unit: MoneyUnit,
    /// Whether the document printed this table at all (a missing table is a header-only file).
    pub printed: bool,
    pub fields: Vec<Field>,
    pub rows: Vec<Vec<String>>,
}

/// The eleven resources of `doc`, in table order.
pub fn resources(doc: &Document) -> Vec<Resource> {
    let t = &doc.tables;
    TableKind::ALL
        .into_iter()
        .map(|kind| {
            let mut r = Resource::new(kind, t.header(kind));
            match kind {
                TableKind::Overall => overall(&mut r, doc),
                TableKind::Revenue => function_table(&mut r, t.revenue.as_ref(), Flow::Revenue),
                TableKind::Expenditure => {
                    function_table(&mut r, t.expenditure.as_ref(), Flow::Expenditure)
                }
                TableKind::Appropriation => appropriation(&mut r, doc),
                TableKind::GeneralBudget => {
                    function_table(&mut r, t.general_budget.as_ref(), Flow::Expenditure)
                }
                TableKind::Basic => basic(&mut r, doc),
                TableKind::Projects => projects(&mut r, doc),
                TableKind::GovFund => {
                    function_table(&mut r, t.gov_fund.as_ref(), Flow::Expenditure)
                }
                TableKind::SoeCapital => {
                    function_table(&mut r, t.soe_capital.as_ref(), Flow::Expenditure)
                }
                TableKind::ThreePublic => three_public(&mut r, doc),
                TableKind::CarryOver => carry_over(&mut r, doc),
            }
            r
        })
        .collect()
}

impl Resource {
    fn new(kind: TableKind, header: Option<&TableHeader>) -> Resource {
        let number = kind.standard_number();
        let name = format!("table-{number:02}");
        Resource {
            path: format!("data/{name}.csv"),
            name,
            title: format!(
                "表{number} {}",
                header.map_or(kind.standard_title(), |h| h.title.as_str())
            ),
            unit: header.map_or(MoneyUnit::TenThousandYuan, |h| h.unit),
            printed: header.is_some(),
            fields: Vec::new(),
            rows: Vec::new(),
        }
    }

    fn field(&mut self, name: &str, role: Role) {
        self.fields.push(Field {
            name: name.to_string(),
            role,
        });
    }

    fn amount_fields<A: Columns>(&mut self, flow: Flow) {
        for label in A::standard_labels() {
            self.field(label, Role::Amount(flow));
        }
    }

    /// The amount fields of a table whose template chose its columns (`TableHeader::printed`).
    fn printed_fields<A: Columns>(&mut self, printed: &[usize], flow: Flow) {
        for &i in printed {
            self.field(A::LABELS[i], Role::Amount(flow));
        }
    }

    fn function_fields(&mut self) {
        self.field("科目编码", Role::Code(Scheme::Functional));
        for level in ["类", "款", "项"] {
            self.field(level, Role::Level(Scheme::Functional, level));
        }
    }
}

fn cell(value: Option<Amount>) -> String {
    value.map(|a| a.to_string()).unwrap_or_default()
}

fn cells<A: Columns>(row: &mut Vec<String>, amounts: &A) {
    row.extend(amounts.standard_cells().into_iter().map(cell));
}

fn printed_cells<A: Columns>(row: &mut Vec<String>, amounts: &A, printed: &[usize]) {
    row.extend(printed.iter().map(|&i| cell(amounts.get(i))));
}

/// The printed code, then the code cut to 类, 款 and 项 (blank below the row's level).
fn function_code(row: &mut Vec<String>, code: Option<&FunctionCode>) {
    let Some(code) = code else {
        row.extend(std::iter::repeat_n(String::new(), 4));
        return;
    };
    let s = code.as_str();
    row.push(s.to_string());
    let depth = match code.level() {
        FunctionLevel::Class => 3,
        FunctionLevel::Kuan => 5,
        FunctionLevel::Xiang => 7,
    };
    for len in [3, 5, 7] {
        row.push(if len <= depth {
            s[..len].to_string()
        } else {
            String::new()
        });
    }
}

fn economic_code(row: &mut Vec<String>, code: Option<&EconomicCode>) {
    match code {
        Some(c) => {
            row.push(c.as_str().to_string());
            row.push(c.class().as_str().to_string());
            row.push(if c.is_class() {
                String::new()
            } else {
                c.as_str().to_string()
            });
        }
        None => row.extend(std::iter::repeat_n(String::new(), 3)),
    }
}

/// 表1: the printed two-sided layout, revenue lines beside expenditure by 类, totals last.
fn overall(r: &mut Resource, doc: &Document) {
    r.field("收入项目", Role::Label);
    r.field("收入预算数", Role::Amount(Flow::Revenue));
    r.field("支出科目编码", Role::Code(Scheme::Functional));
    r.field("支出项目", Role::Label);
    r.field("支出预算数", Role::Amount(Flow::Expenditure));
    let Some(x) = &doc.tables.overall else { return };
    for i in 0..x.revenue.len().max(x.expenditure.len()) {
        let mut row = Vec::with_capacity(5);
        match x.revenue.get(i) {
            Some(l) => row.extend([l.label.clone(), cell(l.amount)]),
            None => row.extend([String::new(), String::new()]),
        }
        match x.expenditure.get(i) {
            Some(e) => row.extend([
                e.code.map(|c| c.to_string()).unwrap_or_default(),
                e.name.clone(),
                cell(e.amount),
            ]),
            None => row.extend([String::new(), String::new(), String::new()]),
        }
        r.rows.push(row);
    }
    if x.revenue_total.is_some() || x.expenditure_total.is_some() {
        r.rows.push(vec![
            "收入总计".into(),
            cell(x.revenue_total),
            String::new(),
            "支出总计".into(),
            cell(x.expenditure_total),
        ]);
    }
}

/// 表2, 表3, 表5, 表8, 表9: one row per printed row, the 总计 row with a blank code.
fn function_table<A: Columns>(r: &mut Resource, x: Option<&FunctionTable<A>>, flow: Flow) {
    r.function_fields();
    r.field("科目名称", Role::Label);
    let printed = x.map_or_else(|| (0..A::STANDARD).collect(), |x| x.header.printed::<A>());
    r.printed_fields::<A>(&printed, flow);
    let Some(x) = x else { return };
    for fr in &x.rows {
        let mut row = Vec::with_capacity(r.fields.len());
        function_code(&mut row, fr.code.as_ref());
        row.push(fr.name.clone());
        printed_cells(&mut row, &fr.amounts, &printed);
        r.rows.push(row);
    }
}

/// 表4: appropriation revenue beside expenditure by 类 and source, totals last.
fn appropriation(r: &mut Resource, doc: &Document) {
    r.field("收入项目", Role::Label);
    r.field("收入合计", Role::Amount(Flow::Revenue));
    r.field("支出科目编码", Role::Code(Scheme::Functional));
    r.field("支出项目", Role::Label);
    r.amount_fields::<AppropriationColumns>(Flow::Expenditure);
    let Some(x) = &doc.tables.appropriation else {
        return;
    };
    let blank_sources = || vec![String::new(); AppropriationColumns::LABELS.len()];
    for i in 0..x.revenue.len().max(x.expenditure.len()) {
        let mut row = Vec::with_capacity(r.fields.len());
        match x.revenue.get(i) {
            Some(l) => row.extend([l.label.clone(), cell(l.amount)]),
            None => row.extend([String::new(), String::new()]),
        }
        match x.expenditure.get(i) {
            Some(e) => {
                row.push(e.code.map(|c| c.to_string()).unwrap_or_default());
                row.push(e.name.clone());
                cells(&mut row, &e.amounts);
            }
            None => {
                row.extend([String::new(), String::new()]);
                row.extend(blank_sources());
            }
        }
        r.rows.push(row);
    }
    let mut total = vec![
        "收入总计".to_string(),
        cell(x.revenue_total),
        String::new(),
        "支出总计".to_string(),
    ];
    cells(&mut total, &x.expenditure_total);
    r.rows.push(total);
}

/// 表6: basic expenditure by economic classification.
fn basic(r: &mut Resource, doc: &Document) {
    r.field("经济分类科目编码", Role::Code(Scheme::Economic));
    r.field("类", Role::Level(Scheme::Economic, "类"));
    r.field("款", Role::Level(Scheme::Economic, "款"));
    r.field("科目名称", Role::Label);
    r.amount_fields::<BasicColumns>(Flow::Expenditure);
    let Some(x) = &doc.tables.basic else { return };
    for er in &x.rows {
        let mut row = Vec::with_capacity(r.fields.len());
        economic_code(&mut row, er.code.as_ref());
        row.push(er.name.clone());
        cells(&mut row, &er.amounts);
        r.rows.push(row);
    }
}

/// 表7: every row with its kind; a classified project by its code only.
fn projects(r: &mut Resource, doc: &Document) {
    r.field("行类型", Role::Label);
    r.function_fields();
    r.field("科目名称", Role::Label);
    r.field("项目名称", Role::Label);
    r.amount_fields::<ProjectColumns>(Flow::Expenditure);
    let Some(x) = &doc.tables.projects else {
        return;
    };
    for pr in &x.rows {
        let mut row = Vec::with_capacity(r.fields.len());
        row.push(
            match pr.kind {
                ProjectRowKind::Total => "总计",
                ProjectRowKind::Unit => "单位",
                ProjectRowKind::Class => "类",
                ProjectRowKind::Kuan => "款",
                ProjectRowKind::Xiang => "项",
                ProjectRowKind::Project => "项目",
            }
            .to_string(),
        );
        function_code(&mut row, pr.code.as_ref());
        row.push(project_label(&pr.name));
        row.push(
            pr.project
                .as_ref()
                .map(|p| project_label(p.as_str()))
                .unwrap_or_default(),
        );
        cells(&mut row, &pr.amounts);
        r.rows.push(row);
    }
}

/// 表10: the three public expenses by source.
fn three_public(r: &mut Resource, doc: &Document) {
    r.field("项目", Role::Label);
    r.amount_fields::<ThreePublicColumns>(Flow::Expenditure);
    let Some(x) = &doc.tables.three_public else {
        return;
    };
    for tr in &x.rows {
        let mut row = vec![tr.label.clone()];
        cells(&mut row, &tr.amounts);
        r.rows.push(row);
    }
}

/// 表11: carry-over by unit and project; a classified project by its code only.
fn carry_over(r: &mut Resource, doc: &Document) {
    r.field("行类型", Role::Label);
    r.field("单位名称（项目名称）", Role::Label);
    r.amount_fields::<CarryOverColumns>(Flow::Expenditure);
    let Some(x) = &doc.tables.carry_over else {
        return;
    };
    for cr in &x.rows {
        let kind = match cr.kind {
            CarryOverRowKind::Total => "总计",
            CarryOverRowKind::Unit => "单位",
            CarryOverRowKind::Project => "项目",
        };
        let mut row = vec![kind.to_string(), project_label(&cr.name)];
        cells(&mut row, &cr.amounts);
        r.rows.push(row);
    }
}
