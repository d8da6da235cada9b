//! Sheets 表1–表11 (and `其他表N`) back into the typed tables.

use budgetflow_model::tables::{
    AppropriationColumns, AppropriationLine, AppropriationTable, BasicTable, CarryOverRow,
    CarryOverRowKind, CarryOverTable, ClassAmount, ClassAppropriation, Columns, EconomicRow,
    FunctionRow, FunctionTable, LabeledAmount, OverallTable, ProjectName, ProjectRow,
    ProjectRowKind, ProjectTable, RevenueLine, TableHeader, TableKind, Tables, ThreePublicLine,
    ThreePublicRow, ThreePublicTable, UnrecognisedTable,
};
use budgetflow_model::MoneyUnit;

use super::grid::Grid;
use super::Sheets;
use crate::error::{Expected, WorkbookError};
use crate::layout::{self, TableLayout};

/// Every table sheet the workbook has; a standard table without a sheet is missing (`None`).
pub(super) fn read(sheets: &mut Sheets) -> Result<Tables, WorkbookError> {
    let mut t = Tables::default();
    for kind in TableKind::ALL {
        let Some(g) = sheets.optional(&layout::table_sheet(kind))? else {
            continue;
        };
        let l = layout::table(kind);
        match kind {
            TableKind::Overall => t.overall = Some(overall(&g, &l)?),
            TableKind::Revenue => t.revenue = Some(function(&g, &l)?),
            TableKind::Expenditure => t.expenditure = Some(function(&g, &l)?),
            TableKind::Appropriation => t.appropriation = Some(appropriation(&g, &l)?),
            TableKind::GeneralBudget => t.general_budget = Some(function(&g, &l)?),
            TableKind::Basic => t.basic = Some(basic(&g, &l)?),
            TableKind::Projects => t.projects = Some(projects(&g, &l)?),
            TableKind::GovFund => t.gov_fund = Some(function(&g, &l)?),
            TableKind::SoeCapital => t.soe_capital = Some(function(&g, &l)?),
            TableKind::ThreePublic => t.three_public = Some(three_public(&g, &l)?),
            TableKind::CarryOver => t.carry_over = Some(carry_over(&g, &l)?),
        }
    }
    let mut i = 0;
    while let Some(g) = sheets.optional(&layout::other_table_sheet(i))? {
        t.unrecognised.push(other(&g)?);
        i += 1;
    }
    Ok(t)
}

/// The title, `表 N`, 编制部门 and 单位 above a table; the notes are added by [`data`].
fn header(g: &Grid, visible: u32) -> Result<TableHeader, WorkbookError> {
    let (meta, last) = (layout::META_ROW, visible.max(1) - 1);
    let caption = g.trimmed(meta, 0)?;
    let number = caption
        .strip_prefix('表')
        .and_then(|n| n.trim().parse::<u32>().ok())
        .ok_or_else(|| g.err(meta, 0, Expected::TableCaption))?;
    let compiler = g.trimmed(meta, 1)?;
    let compiler = compiler
        .strip_prefix("编制部门")
        .map(|c| c.trim_start_matches(['：', ':']).trim().to_string())
        .unwrap_or(compiler);
    let unit = g.trimmed(meta, last)?;
    let unit = unit
        .strip_prefix("单位")
        .map(|u| u.trim_start_matches(['：', ':']))
        .and_then(MoneyUnit::from_label)
        .ok_or_else(|| g.err(meta, last, Expected::MoneyUnit))?;
    Ok(TableHeader {
        number,
        title: g.text(layout::TITLE_ROW, 0)?,
        compiler: (!compiler.is_empty()).then_some(compiler),
        unit,
        notes: Vec::new(),
        columns: Vec::new(),
        page: None,
    })
}

/// The header, then `row` called for every non-blank data row; `表注` rows become notes.
fn data(
    g: &Grid,
    l: &TableLayout,
    mut row: impl FnMut(u32) -> Result<(), WorkbookError>,
) -> Result<TableHeader, WorkbookError> {
    let mut h = header(g, u32::from(l.visible()))?;
    let width = (l.columns.len() as u32).max(g.cols());
    for r in l.data_row()..g.rows() {
        if g.trimmed(r, 0)? == layout::NOTE_LABEL {
            h.notes.push(g.text(r, 1)?);
        } else if !g.blank_row(r, width) {
            row(r)?;
        }
    }
    Ok(h)
}

/// Amounts of columns `from..` into `A`.
fn amounts<A: Columns>(g: &Grid, r: u32, from: u32) -> Result<A, WorkbookError> {
    let mut a = A::default();
    for i in 0..A::LABELS.len() {
        a.set(i, g.amount(r, from + i as u32)?);
    }
    Ok(a)
}

/// The standard line of a revenue row: from the hidden key, or (a row a department added)
/// from its label.
fn line<L: Copy>(
    g: &Grid,
    r: u32,
    col: u32,
    label: &str,
    standard: &'static [(L, &'static str)],
) -> Result<Option<L>, WorkbookError> {
    let key = g.trimmed(r, col)?;
    let find = |k: &str| standard.iter().find(|(_, s)| *s == k).map(|(l, _)| *l);
    if key == layout::NO_LINE {
        Ok(None)
    } else if key.is_empty() {
        Ok(find(label.trim()))
    } else {
        find(&key).map(Some).ok_or_else(|| {
            g.err(
                r,
                col,
                Expected::OneOf(standard.iter().map(|(_, s)| *s).collect()),
            )
        })
    }
}

/// The left side of 表1 / 表4: a label and an amount; `收入总计` is the total.
fn revenue<L: Copy>(
    g: &Grid,
    r: u32,
    key_col: u32,
    standard: &'static [(L, &'static str)],
    lines: &mut Vec<LabeledAmount<L>>,
    total: &mut Option<budgetflow_model::Amount>,
) -> Result<(), WorkbookError> {
    let label = g.text(r, 0)?;
    let amount = g.amount(r, 1)?;
    if label.trim().is_empty() {
        if amount.is_some() {
            return Err(g.err(r, 0, Expected::Text));
        }
    } else if label.trim() == "收入总计" {
        *total = amount;
    } else {
        lines.push(LabeledAmount {
            line: line(g, r, key_col, &label, standard)?,
            label,
            amount,
            page: None,
        });
    }
    Ok(())
}

fn overall(g: &Grid, l: &TableLayout) -> Result<OverallTable, WorkbookError> {
    let (mut revenue_lines, mut expenditure) = (Vec::new(), Vec::new());
    let (mut revenue_total, mut expenditure_total) = (None, None);
    let header = data(g, l, |r| {
        revenue(
            g,
            r,
            5,
            RevenueLine::STANDARD,
            &mut revenue_lines,
            &mut revenue_total,
        )?;
        let (code, name, amount) = (g.function_code(r, 2)?, g.text(r, 3)?, g.amount(r, 4)?);
        if code.is_none() && name.trim().is_empty() {
            if amount.is_some() {
                return Err(g.err(r, 3, Expected::Text));
            }
        } else if code.is_none() && name.trim() == "支出总计" {
            expenditure_total = amount;
        } else {
            expenditure.push(ClassAmount {
                code,
                name,
                amount,
                page: None,
                split: None,
            });
        }
        Ok(())
    })?;
    Ok(OverallTable {
        header,
        revenue: revenue_lines,
        expenditure,
        revenue_total,
        expenditure_total,
        expenditure_total_split: None,
    })
}

fn appropriation(g: &Grid, l: &TableLayout) -> Result<AppropriationTable, WorkbookError> {
    let (mut revenue_lines, mut expenditure) = (Vec::new(), Vec::new());
    let mut revenue_total = None;
    let mut expenditure_total = AppropriationColumns::default();
    let header = data(g, l, |r| {
        revenue(
            g,
            r,
            8,
            AppropriationLine::STANDARD,
            &mut revenue_lines,
            &mut revenue_total,
        )?;
        let (code, name) = (g.function_code(r, 2)?, g.text(r, 3)?);
        let a: AppropriationColumns = amounts(g, r, 4)?;
        if code.is_none() && name.trim().is_empty() {
            if a != AppropriationColumns::default() {
                return Err(g.err(r, 3, Expected::Text));
            }
        } else if code.is_none() && name.trim() == "支出总计" {
            expenditure_total = a;
        } else {
            expenditure.push(ClassAppropriation {
                code,
                name,
                amounts: a,
                page: None,
            });
        }
        Ok(())
    })?;
    Ok(AppropriationTable {
        header,
        revenue: revenue_lines,
        expenditure,
        revenue_total,
        expenditure_total,
    })
}

fn function<A: Columns>(g: &Grid, l: &TableLayout) -> Result<FunctionTable<A>, WorkbookError> {
    let mut rows = Vec::new();
    let header = data(g, l, |r| {
        rows.push(FunctionRow {
            code: g.function_code(r, 0)?,
            name: g.text(r, 1)?,
            amounts: amounts(g, r, 2)?,
            page: None,
        });
        Ok(())
    })?;
    Ok(FunctionTable { header, rows })
}

fn basic(g: &Grid, l: &TableLayout) -> Result<BasicTable, WorkbookError> {
    let mut rows = Vec::new();
    let header = data(g, l, |r| {
        rows.push(EconomicRow {
            code: g.economic_code(r, 0)?,
            name: g.text(r, 1)?,
            amounts: amounts(g, r, 2)?,
            page: None,
        });
        Ok(())
    })?;
    Ok(BasicTable { header, rows })
}

/// The index of a 行类型 word among `words`.
fn row_kind(g: &Grid, r: u32, words: &'static [&'static str]) -> Result<usize, WorkbookError> {
    let w = g.trimmed(r, 0)?;
    words
        .iter()
        .position(|k| *k == w)
        .ok_or_else(|| g.err(r, 0, Expected::OneOf(words.to_vec())))
}

fn projects(g: &Grid, l: &TableLayout) -> Result<ProjectTable, WorkbookError> {
    let mut rows = Vec::new();
    let header = data(g, l, |r| {
        let kind = [
            ProjectRowKind::Total,
            ProjectRowKind::Unit,
            ProjectRowKind::Class,
            ProjectRowKind::Kuan,
            ProjectRowKind::Xiang,
            ProjectRowKind::Project,
        ][row_kind(g, r, layout::PROJECT_ROW_KINDS)?];
        rows.push(ProjectRow {
            kind,
            code: g.function_code(r, 1)?,
            name: g.text(r, 2)?,
            project: g.optional(r, 3)?.map(ProjectName),
            amounts: amounts(g, r, 4)?,
        });
        Ok(())
    })?;
    Ok(ProjectTable { header, rows })
}

fn three_public(g: &Grid, l: &TableLayout) -> Result<ThreePublicTable, WorkbookError> {
    let mut rows = Vec::new();
    let header = data(g, l, |r| {
        let label = g.text(r, 0)?;
        rows.push(ThreePublicRow {
            line: line(g, r, 5, &label, ThreePublicLine::STANDARD)?,
            label,
            amounts: amounts(g, r, 1)?,
            page: None,
        });
        Ok(())
    })?;
    Ok(ThreePublicTable { header, rows })
}

fn carry_over(g: &Grid, l: &TableLayout) -> Result<CarryOverTable, WorkbookError> {
    let mut rows = Vec::new();
    let header = data(g, l, |r| {
        let kind = [
            CarryOverRowKind::Total,
            CarryOverRowKind::Unit,
            CarryOverRowKind::Project,
        ][row_kind(g, r, layout::CARRY_OVER_ROW_KINDS)?];
        rows.push(CarryOverRow {
            kind,
            name: g.text(r, 1)?,
            amounts: amounts(g, r, 2)?,
        });
        Ok(())
    })?;
    Ok(CarryOverTable { header, rows })
}

/// A table the text reader did not recognise: its lines, cell by cell, up to the last
/// non-blank cell of each row.
fn other(g: &Grid) -> Result<UnrecognisedTable, WorkbookError> {
    let l = TableLayout {
        header: Vec::new(),
        header_rows: 0,
        columns: vec![layout::Col::Text; g.cols().max(5) as usize],
    };
    let mut lines = Vec::new();
    let header = data(g, &l, |r| {
        let cells = (0..g.cols())
            .map(|c| g.text(r, c))
            .collect::<Result<Vec<_>, _>>()?;
        let end = cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |p| p + 1);
        lines.push(cells[..end].to_vec());
        Ok(())
    })?;
    Ok(UnrecognisedTable { header, lines })
}
