//! Sheets 表1–表11 (and any unrecognised table): the title, `表 N`, 编制部门 and 单位 above the
//! printed header, then one row per table row, then the notes (`表注`).

use budgetflow_model::tables::{
    AppropriationLine, AppropriationTable, BasicTable, CarryOverRowKind, CarryOverTable, Columns,
    FunctionTable, OverallTable, ProjectRowKind, ProjectTable, RevenueLine, TableHeader, TableKind,
    Tables, ThreePublicLine, ThreePublicTable,
};
use budgetflow_model::{Amount, MoneyUnit};

use super::{guide, Book, Style};
use crate::error::WorkbookError;
use crate::layout::{self, Col, TableLayout};

/// A cell of a data row.
enum Cell {
    Text(String),
    /// A key of the layout (`标准行`): one of a fixed set of words, never the document's.
    Key(&'static str),
    Amount(Option<Amount>),
    Code(Option<String>),
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn amounts<A: Columns>(a: &A) -> impl Iterator<Item = Cell> {
    a.standard_cells().into_iter().map(Cell::Amount)
}

/// The key written in the hidden 标准行 column: the standard label of a recognised line, `-`
/// for a row that is not one.
fn line_key<L: PartialEq + Copy>(standard: &[(L, &'static str)], line: Option<L>) -> Cell {
    Cell::Key(
        line.and_then(|l| standard.iter().find(|(s, _)| *s == l).map(|(_, k)| *k))
            .unwrap_or(layout::NO_LINE),
    )
}

/// The standard header of `kind`, as the template prints it.
fn standard_header(kind: TableKind) -> TableHeader {
    TableHeader {
        number: kind.standard_number(),
        title: kind.standard_title().to_string(),
        compiler: None,
        unit: MoneyUnit::TenThousandYuan,
        notes: Vec::new(),
        columns: Vec::new(),
        page: None,
    }
}

/// Every standard table, empty but for the standard lines of 表1, 表4 and 表10.
pub(super) fn template(book: &mut Book) -> Result<(), WorkbookError> {
    for kind in TableKind::ALL {
        let rows = match kind {
            TableKind::Overall => {
                let mut rows: Vec<Vec<Cell>> = RevenueLine::STANDARD
                    .iter()
                    .map(|(_, l)| {
                        vec![
                            text(l),
                            Cell::Amount(None),
                            Cell::Code(None),
                            text(""),
                            Cell::Amount(None),
                            Cell::Key(l),
                        ]
                    })
                    .collect();
                rows.push(vec![
                    text("收入总计"),
                    Cell::Amount(None),
                    Cell::Code(None),
                    text("支出总计"),
                    Cell::Amount(None),
                    text(""),
                ]);
                rows
            }
            TableKind::Appropriation => {
                let blank = || (0..4).map(|_| Cell::Amount(None));
                let mut rows: Vec<Vec<Cell>> = AppropriationLine::STANDARD
                    .iter()
                    .map(|(_, l)| {
                        let mut r = vec![text(l), Cell::Amount(None), Cell::Code(None), text("")];
                        r.extend(blank());
                        r.push(Cell::Key(l));
                        r
                    })
                    .collect();
                let mut total = vec![
                    text("收入总计"),
                    Cell::Amount(None),
                    Cell::Code(None),
                    text("支出总计"),
                ];
                total.extend(blank());
                total.push(text(""));
                rows.push(total);
                rows
            }
            TableKind::ThreePublic => ThreePublicLine::STANDARD
                .iter()
                .map(|(_, l)| {
                    let mut r = vec![text(l)];
                    r.extend((0..4).map(|_| Cell::Amount(None)));
                    r.push(Cell::Key(l));
                    r
                })
                .collect(),
            _ => Vec::new(),
        };
        sheet(
            book,
            &layout::table_sheet(kind),
            &layout::table(kind),
            &standard_header(kind),
            &rows,
        )?;
    }
    Ok(())
}

/// The tables `t` has; a missing table has no sheet.
pub(super) fn filled(book: &mut Book, t: &Tables) -> Result<(), WorkbookError> {
    let mut put = |kind: TableKind, header: &TableHeader, rows: Vec<Vec<Cell>>| {
        sheet(
            book,
            &layout::table_sheet(kind),
            &layout::table(kind),
            header,
            &rows,
        )
    };
    if let Some(x) = &t.overall {
        put(TableKind::Overall, &x.header, overall(x))?;
    }
    if let Some(x) = &t.revenue {
        put(TableKind::Revenue, &x.header, function(x))?;
    }
    if let Some(x) = &t.expenditure {
        put(TableKind::Expenditure, &x.header, function(x))?;
    }
    if let Some(x) = &t.appropriation {
        put(TableKind::Appropriation, &x.header, appropriation(x))?;
    }
    if let Some(x) = &t.general_budget {
        put(TableKind::GeneralBudget, &x.header, function(x))?;
    }
    if let Some(x) = &t.basic {
        put(TableKind::Basic, &x.header, basic(x))?;
    }
    if let Some(x) = &t.projects {
        put(TableKind::Projects, &x.header, projects(x))?;
    }
    if let Some(x) = &t.gov_fund {
        put(TableKind::GovFund, &x.header, function(x))?;
    }
    if let Some(x) = &t.soe_capital {
        put(TableKind::SoeCapital, &x.header, function(x))?;
    }
    if let Some(x) = &t.three_public {
        put(TableKind::ThreePublic, &x.header, three_public(x))?;
    }
    if let Some(x) = &t.carry_over {
        put(TableKind::CarryOver, &x.header, carry_over(x))?;
    }
    for (i, x) in t.unrecognised.iter().enumerate() {
        let width = x.lines.iter().map(Vec::len).max().unwrap_or(1).max(5);
        let l = TableLayout {
            header: Vec::new(),
            header_rows: 0,
            columns: vec![Col::Text; width],
        };
        let rows = x
            .lines
            .iter()
            .map(|line| line.iter().map(|c| text(c)).collect())
            .collect::<Vec<_>>();
        sheet(book, &layout::other_table_sheet(i), &l, &x.header, &rows)?;
    }
    Ok(())
}

fn overall(t: &OverallTable) -> Vec<Vec<Cell>> {
    let n = t.revenue.len().max(t.expenditure.len());
    let mut rows: Vec<Vec<Cell>> = (0..n)
        .map(|i| {
            let mut r = match t.revenue.get(i) {
                Some(l) => vec![text(&l.label), Cell::Amount(l.amount)],
                None => vec![text(""), Cell::Amount(None)],
            };
            match t.expenditure.get(i) {
                Some(e) => r.extend([
                    Cell::Code(e.code.as_ref().map(|c| c.to_string())),
                    text(&e.name),
                    Cell::Amount(e.amount),
                ]),
                None => r.extend([Cell::Code(None), text(""), Cell::Amount(None)]),
            }
            r.push(match t.revenue.get(i) {
                Some(l) => line_key(RevenueLine::STANDARD, l.line),
                None => text(""),
            });
            r
        })
        .collect();
    rows.push(vec![
        text("收入总计"),
        Cell::Amount(t.revenue_total),
        Cell::Code(None),
        text("支出总计"),
        Cell::Amount(t.expenditure_total),
        text(""),
    ]);
    rows
}

fn appropriation(t: &AppropriationTable) -> Vec<Vec<Cell>> {
    let n = t.revenue.len().max(t.expenditure.len());
    let mut rows: Vec<Vec<Cell>> = (0..n)
        .map(|i| {
            let mut r = match t.revenue.get(i) {
                Some(l) => vec![text(&l.label), Cell::Amount(l.amount)],
                None => vec![text(""), Cell::Amount(None)],
            };
            match t.expenditure.get(i) {
                Some(e) => {
                    r.extend([
                        Cell::Code(e.code.as_ref().map(|c| c.to_string())),
                        text(&e.name),
                    ]);
                    r.extend(amounts(&e.amounts));
                }
                None => {
                    r.extend([Cell::Code(None), text("")]);
                    r.extend((0..4).map(|_| Cell::Amount(None)));
                }
            }
            r.push(match t.revenue.get(i) {
                Some(l) => line_key(AppropriationLine::STANDARD, l.line),
                None => text(""),
            });
            r
        })
        .collect();
    let mut total = vec![
        text("收入总计"),
        Cell::Amount(t.revenue_total),
        Cell::Code(None),
        text("支出总计"),
    ];
    total.extend(amounts(&t.expenditure_total));
    total.push(text(""));
    rows.push(total);
    rows
}

fn function<A: Columns>(t: &FunctionTable<A>) -> Vec<Vec<Cell>> {
    t.rows
        .iter()
        .map(|r| {
            let mut c = vec![
                Cell::Code(r.code.as_ref().map(|c| c.to_string())),
                text(&r.name),
            ];
            c.extend(amounts(&r.amounts));
            c
        })
        .collect()
}

fn basic(t: &BasicTable) -> Vec<Vec<Cell>> {
    t.rows
        .iter()
        .map(|r| {
            let mut c = vec![
                Cell::Code(r.code.as_ref().map(|c| c.to_string())),
                text(&r.name),
            ];
            c.extend(amounts(&r.amounts));
            c
        })
        .collect()
}

/// The 行类型 word of a 表7 row.
fn project_kind_word(k: ProjectRowKind) -> &'static str {
    let i = match k {
        ProjectRowKind::Total => 0,
        ProjectRowKind::Unit => 1,
        ProjectRowKind::Class => 2,
        ProjectRowKind::Kuan => 3,
        ProjectRowKind::Xiang => 4,
        ProjectRowKind::Project => 5,
    };
    layout::PROJECT_ROW_KINDS[i]
}

/// The 行类型 word of a 表11 row.
fn carry_over_kind_word(k: CarryOverRowKind) -> &'static str {
    let i = match k {
        CarryOverRowKind::Total => 0,
        CarryOverRowKind::Unit => 1,
        CarryOverRowKind::Project => 2,
    };
    layout::CARRY_OVER_ROW_KINDS[i]
}

fn projects(t: &ProjectTable) -> Vec<Vec<Cell>> {
    t.rows
        .iter()
        .map(|r| {
            let mut c = vec![
                text(project_kind_word(r.kind)),
                Cell::Code(r.code.as_ref().map(|c| c.to_string())),
                text(&r.name),
                text(r.project.as_ref().map(|p| p.as_str()).unwrap_or("")),
            ];
            c.extend(amounts(&r.amounts));
            c
        })
        .collect()
}

fn three_public(t: &ThreePublicTable) -> Vec<Vec<Cell>> {
    t.rows
        .iter()
        .map(|r| {
            let mut c = vec![text(&r.label)];
            c.extend(amounts(&r.amounts));
            c.push(line_key(ThreePublicLine::STANDARD, r.line));
            c
        })
        .collect()
}

fn carry_over(t: &CarryOverTable) -> Vec<Vec<Cell>> {
    t.rows
        .iter()
        .map(|r| {
            let mut c = vec![text(carry_over_kind_word(r.kind)), text(&r.name)];
            c.extend(amounts(&r.amounts));
            c
        })
        .collect()
}

/// Writes one table sheet.
fn sheet(
    book: &mut Book,
    name: &str,
    l: &TableLayout,
    header: &TableHeader,
    rows: &[Vec<Cell>],
) -> Result<(), WorkbookError> {
    let year_codes = (
        guide::function_range(book.year),
        guide::economic_range(book.year),
    );
    let mut s = book.sheet(name);
    let last = l.visible().max(1) - 1;
    s.merge(
        (layout::TITLE_ROW, 0),
        (layout::TITLE_ROW, last),
        &header.title,
        Style::Title,
    )?;
    s.height(layout::TITLE_ROW, 28.0);
    s.label(layout::META_ROW, 0, &format!("表 {}", header.number))?;
    s.label(
        layout::META_ROW,
        1,
        &format!("编制部门：{}", header.compiler.as_deref().unwrap_or("")),
    )?;
    s.label(
        layout::META_ROW,
        last,
        &format!("单位：{}", header.unit.label()),
    )?;
    for sp in &l.header {
        let (r0, r1) = (layout::HEADER_ROW + sp.r0, layout::HEADER_ROW + sp.r1);
        if r0 == r1 && sp.c0 == sp.c1 {
            s.header(r0, sp.c0, &sp.text)?;
        } else {
            s.merge((r0, sp.c0), (r1, sp.c1), &sp.text, Style::Header)?;
        }
    }
    let first = l.data_row();
    for (i, row) in rows.iter().enumerate() {
        let r = first + i as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) => s.text(r, c, t)?,
                Cell::Key(k) => s.key(r, c, k)?,
                Cell::Amount(a) => s.amount(r, c, *a)?,
                Cell::Code(code) => s.code(r, c, code.as_deref())?,
            }
        }
    }
    let notes_from = first + rows.len() as u32 + 1;
    for (r, n) in (notes_from..).zip(&header.notes) {
        s.label(r, 0, layout::NOTE_LABEL)?;
        s.text(r, 1, n)?;
    }
    for (c, col) in l.columns.iter().enumerate() {
        let c = c as u16;
        let width = match col {
            Col::Text => 28.0,
            Col::Amount => 14.0,
            Col::FunctionCode | Col::EconomicCode => 12.0,
            Col::RowKind(_) => 8.0,
            Col::LineKey => 20.0,
        };
        match col {
            // rows a department adds get the column's format: amounts #,##0.00, codes as text
            Col::Amount => s.column_style(c, Style::Amount),
            Col::FunctionCode | Col::EconomicCode => s.column_style(c, Style::Code),
            _ => {}
        }
        s.width(c, width);
        match col {
            Col::FunctionCode => s.code_list(first, c, &year_codes.0),
            Col::EconomicCode => s.code_list(first, c, &year_codes.1),
            Col::RowKind(words) => s.list(first, c, words),
            Col::LineKey => s.hide_column(c),
            Col::Text | Col::Amount => {}
        }
    }
    if l.header_rows > 0 {
        s.freeze(first);
    }
    Ok(())
}
