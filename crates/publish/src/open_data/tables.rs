//! The tables as flat resources: one [`Resource`] per table the document's template has, with
//! typed fields (the labels of the columns the table prints, from the model's `Columns`
//! structs, plus code, 类/款/项 and name columns) and rows of cells exactly as printed. The CSV writer and the data package both read these, so
//! what a CSV holds and what the package declares cannot drift apart.

use budgetflow_model::tables::{
    AppropriationColumns, BasicColumns, CarryOverColumns, CarryOverRowKind, FunctionTable,
    FundColumns, ProjectColumns, ProjectRowKind, TableHeader, ThreePublicColumns,
};
use budgetflow_model::{
    Amount, Columns, Document, EconomicCode, FunctionCode, FunctionLevel, Lang, MoneyUnit,
    TableKind,
};

use crate::html::project_label;
use crate::printed;

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

/// The resources of `doc`, one per table in printed order: the eleven of the standard
/// template, or the tables of the document's template, named by their place
/// (`table-01` …) and titled with the number and title the document prints.
pub fn resources(doc: &Document) -> Vec<Resource> {
    let t = &doc.tables;
    let labels = printed::Labels::of(doc);
    printed::tables(doc)
        .into_iter()
        .enumerate()
        .map(|(i, slot)| {
            let kind = slot.kind;
            let mut r = Resource::new(kind, i + 1, slot.number, t.header(kind));
            let mut c = Filling {
                resource: &mut r,
                labels: &labels,
                kind,
            };
            match kind {
                TableKind::Overall => overall(&mut c, doc),
                TableKind::Revenue => function_table(&mut c, t.revenue.as_ref(), Flow::Revenue),
                TableKind::Expenditure => {
                    function_table(&mut c, t.expenditure.as_ref(), Flow::Expenditure)
                }
                TableKind::Appropriation => appropriation(&mut c, doc),
                TableKind::GeneralBudget => {
                    function_table(&mut c, t.general_budget.as_ref(), Flow::Expenditure)
                }
                TableKind::Basic => basic(&mut c, doc),
                TableKind::Projects => projects(&mut c, doc),
                TableKind::GovFund => {
                    function_table(&mut c, t.gov_fund.as_ref(), Flow::Expenditure)
                }
                TableKind::SoeCapital => {
                    function_table(&mut c, t.soe_capital.as_ref(), Flow::Expenditure)
                }
                TableKind::ThreePublic => three_public(&mut c, doc),
                TableKind::CarryOver => carry_over(&mut c, doc),
            }
            r
        })
        .collect()
}

impl Resource {
    /// The resource of the `place`-th table (1-based, its file's name), printed as `number`.
    fn new(kind: TableKind, place: usize, number: u32, header: Option<&TableHeader>) -> Resource {
        let name = format!("table-{place:02}");
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

    fn function_fields(&mut self) {
        self.field("科目编码", Role::Code(Scheme::Functional));
        for level in ["类", "款", "项"] {
            self.field(level, Role::Level(Scheme::Functional, level));
        }
    }
}

/// A resource being filled, with the labels its template prints over its columns.
struct Filling<'a> {
    resource: &'a mut Resource,
    labels: &'a printed::Labels,
    kind: TableKind,
}

impl std::ops::Deref for Filling<'_> {
    type Target = Resource;
    fn deref(&self) -> &Resource {
        self.resource
    }
}

impl std::ops::DerefMut for Filling<'_> {
    fn deref_mut(&mut self) -> &mut Resource {
        self.resource
    }
}

impl Filling<'_> {
    /// The amount fields of the columns a table prints (`TableHeader::printed`), under the
    /// labels its template prints.
    fn printed_fields<A: Columns>(&mut self, printed: &[usize], flow: Flow) {
        for &i in printed {
            let label = self.labels.column::<A>(Some(self.kind), i, Lang::Zh);
            self.resource.field(label, Role::Amount(flow));
        }
    }
}

fn cell(value: Option<Amount>) -> String {
    value.map(|a| a.to_string()).unwrap_or_default()
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

/// The columns a table prints, or the standard template's for a table not printed.
fn printed_columns<A: Columns>(header: Option<&TableHeader>) -> Vec<usize> {
    header.map_or_else(|| (0..A::STANDARD).collect(), |h| h.printed::<A>())
}

/// 表1: the printed two-sided layout, revenue lines beside expenditure by 类 (one amount, or
/// split as the template prints it), totals last.
fn overall(r: &mut Filling<'_>, doc: &Document) {
    let x = doc.tables.overall.as_ref();
    let split = x.and_then(|x| printed::overall_split(&x.header));
    r.field("收入项目", Role::Label);
    r.field("收入预算数", Role::Amount(Flow::Revenue));
    r.field("支出科目编码", Role::Code(Scheme::Functional));
    r.field("支出项目", Role::Label);
    match &split {
        Some(columns) => r.printed_fields::<FundColumns>(columns, Flow::Expenditure),
        None => r.field("支出预算数", Role::Amount(Flow::Expenditure)),
    }
    let Some(x) = x else { return };
    let expenditure = |row: &mut Vec<String>,
                       amounts: Option<&FundColumns>,
                       value: Option<Amount>| {
        match &split {
            Some(columns) => row.extend(
                columns
                    .iter()
                    .map(|&i| cell(printed::split_cell(amounts, value, i))),
            ),
            None => row.push(cell(value)),
        }
    };
    let width = split.as_ref().map_or(1, Vec::len);
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
                expenditure(&mut row, e.split.as_ref(), e.amount);
            }
            None => row.extend(std::iter::repeat_n(String::new(), 2 + width)),
        }
        r.rows.push(row);
    }
    if x.revenue_total.is_some() || x.expenditure_total.is_some() {
        let mut row = vec![
            "收入总计".into(),
            cell(x.revenue_total),
            String::new(),
            "支出总计".into(),
        ];
        expenditure(
            &mut row,
            x.expenditure_total_split.as_ref(),
            x.expenditure_total,
        );
        r.rows.push(row);
    }
}

/// 表2, 表3, 表5, 表8, 表9: one row per printed row, the 总计 row with a blank code.
fn function_table<A: Columns>(r: &mut Filling<'_>, x: Option<&FunctionTable<A>>, flow: Flow) {
    r.function_fields();
    r.field("科目名称", Role::Label);
    let printed = printed_columns::<A>(x.map(|x| &x.header));
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
fn appropriation(r: &mut Filling<'_>, doc: &Document) {
    r.field("收入项目", Role::Label);
    r.field("收入合计", Role::Amount(Flow::Revenue));
    r.field("支出科目编码", Role::Code(Scheme::Functional));
    r.field("支出项目", Role::Label);
    let x = doc.tables.appropriation.as_ref();
    let sources = printed_columns::<AppropriationColumns>(x.map(|x| &x.header));
    r.printed_fields::<AppropriationColumns>(&sources, Flow::Expenditure);
    let Some(x) = x else { return };
    let blank_sources = || vec![String::new(); sources.len()];
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
                printed_cells(&mut row, &e.amounts, &sources);
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
    printed_cells(&mut total, &x.expenditure_total, &sources);
    r.rows.push(total);
}

/// 表6: basic expenditure by economic classification.
fn basic(r: &mut Filling<'_>, doc: &Document) {
    r.field("经济分类科目编码", Role::Code(Scheme::Economic));
    r.field("类", Role::Level(Scheme::Economic, "类"));
    r.field("款", Role::Level(Scheme::Economic, "款"));
    r.field("科目名称", Role::Label);
    let x = doc.tables.basic.as_ref();
    let printed = printed_columns::<BasicColumns>(x.map(|x| &x.header));
    r.printed_fields::<BasicColumns>(&printed, Flow::Expenditure);
    let Some(x) = x else { return };
    for er in &x.rows {
        let mut row = Vec::with_capacity(r.fields.len());
        economic_code(&mut row, er.code.as_ref());
        row.push(er.name.clone());
        printed_cells(&mut row, &er.amounts, &printed);
        r.rows.push(row);
    }
}

/// 表7: every row with its kind; a classified project by its code only.
fn projects(r: &mut Filling<'_>, doc: &Document) {
    r.field("行类型", Role::Label);
    r.function_fields();
    r.field("科目名称", Role::Label);
    r.field("项目名称", Role::Label);
    let x = doc.tables.projects.as_ref();
    let printed = printed_columns::<ProjectColumns>(x.map(|x| &x.header));
    r.printed_fields::<ProjectColumns>(&printed, Flow::Expenditure);
    let Some(x) = x else { return };
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
        printed_cells(&mut row, &pr.amounts, &printed);
        r.rows.push(row);
    }
}

/// 表10 (Shanghai's 表9): the three public expenses by source; a table printed as one row
/// is its lines with their one amount each, under whole names.
fn three_public(r: &mut Filling<'_>, doc: &Document) {
    let x = doc.tables.three_public.as_ref();
    let one_row = x.is_some_and(|x| printed::one_row(&x.header));
    let printed = printed_columns::<ThreePublicColumns>(x.map(|x| &x.header));
    r.field("项目", Role::Label);
    if one_row {
        r.field("预算数", Role::Amount(Flow::Expenditure));
    } else {
        r.printed_fields::<ThreePublicColumns>(&printed, Flow::Expenditure);
    }
    let Some(x) = x else { return };
    for tr in &x.rows {
        let label = if one_row {
            printed::line_label(tr)
        } else {
            tr.label.as_str()
        };
        let mut row = vec![label.to_string()];
        printed_cells(&mut row, &tr.amounts, &printed);
        r.rows.push(row);
    }
}

/// 表11: carry-over by unit and project; a classified project by its code only.
fn carry_over(r: &mut Filling<'_>, doc: &Document) {
    r.field("行类型", Role::Label);
    r.field("单位名称（项目名称）", Role::Label);
    let x = doc.tables.carry_over.as_ref();
    let printed = printed_columns::<CarryOverColumns>(x.map(|x| &x.header));
    r.printed_fields::<CarryOverColumns>(&printed, Flow::Expenditure);
    let Some(x) = x else { return };
    for cr in &x.rows {
        let kind = match cr.kind {
            CarryOverRowKind::Total => "总计",
            CarryOverRowKind::Unit => "单位",
            CarryOverRowKind::Project => "项目",
        };
        let mut row = vec![kind.to_string(), project_label(&cr.name)];
        printed_cells(&mut row, &cr.amounts, &printed);
        r.rows.push(row);
    }
}
