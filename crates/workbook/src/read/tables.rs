//! Sheets 表1–表11 (and `其他表N`) cut into the neutral layout's tables; the 11-table
//! template's profile then builds the model from them, as it does from the text export's
//! tables ([`budgetflow_formats::profile::read_tables`]).
//!
//! What is peculiar to the workbook stays here. The caption, 编制部门, 单位 and title sit where
//! [`crate::layout`] puts them. Each column's header path comes from the layout's header cells,
//! not from what the sheet holds, so that a header a department retyped still reads; amount
//! columns are numbered `#1`, `#2`… in sheet order, as the template's numbering row numbers
//! them. Cells are typed: an amount typed as a number reads with at least two decimals, a code
//! typed as a number as its digits, and a cell of the wrong type is refused at its cell, as on
//! every other sheet. Each cell then goes into the layout row as text, and the row carries its
//! place (sheet, row), so that the profile builder's errors name the cell too. The hidden
//! `标准行` key and the `行类型` column are columns like the printed ones: the profile maps them
//! to a row's `line` and `kind`.

use std::sync::Arc;

use budgetflow_formats::profile::{self, STANDARD_ELEVEN};
use budgetflow_formats::ReadError;
use budgetflow_layout::{Column, Field, Note, Place, Row, Table};
use budgetflow_model::tables::TableKind;
use budgetflow_model::{Document, MoneyUnit};

use super::grid::Grid;
use super::Sheets;
use crate::error::{Expected, WorkbookError};
use crate::layout::{self, Col, TableLayout};

/// Every table sheet the workbook has, into `doc`'s tables; a standard table without a sheet
/// is missing (`None`). `doc`'s year is known: 表7 is read under its catalog.
pub(super) fn read(sheets: &mut Sheets, doc: &mut Document) -> Result<(), WorkbookError> {
    let profile = profile::by_id(STANDARD_ELEVEN).ok_or(ReadError::ProfileUnavailable {
        id: STANDARD_ELEVEN,
    })?;
    let mut tables = Vec::new();
    for kind in TableKind::ALL {
        let Some(g) = sheets.optional(&layout::table_sheet(kind))? else {
            continue;
        };
        // the sheet says which table it is, whatever its title reads
        let p = profile.tables.iter().find(|t| t.kind == kind);
        tables.push((cut(&g, &layout::table(kind))?, p));
    }
    let mut i = 0;
    while let Some(g) = sheets.optional(&layout::other_table_sheet(i))? {
        tables.push((other(&g)?, None));
        i += 1;
    }
    profile::read_tables(profile, &tables, doc)?;
    Ok(())
}

/// A table sheet as a layout table: caption, 编制部门, 单位, header paths, rows, notes.
fn cut(g: &Grid, l: &TableLayout) -> Result<Table, WorkbookError> {
    let sheet: Arc<str> = Arc::from(g.name.as_str());
    let (meta, last) = (layout::META_ROW, u32::from(l.visible()).max(1) - 1);
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
    let mut table = Table {
        caption: format!("表{number} {}", g.text(layout::TITLE_ROW, 0)?),
        page: 0,
        place: Some(Place::Cell {
            sheet: Arc::clone(&sheet),
            row: meta,
            column: 0,
        }),
        compiler: (!compiler.is_empty()).then(|| Field {
            label: "编制部门".into(),
            value: compiler,
        }),
        unit: Some(Field {
            label: "单位".into(),
            value: unit.label().into(),
        }),
        columns: columns(l),
        rows: Vec::new(),
        notes: Vec::new(),
    };
    let width = (l.columns.len() as u32).max(g.cols());
    for r in l.data_row()..g.rows() {
        if g.trimmed(r, 0)? == layout::NOTE_LABEL {
            table.notes.push(Note {
                text: g.text(r, 1)?,
                page: 0,
            });
        } else if !g.blank_row(r, width) {
            let cells = (0..l.columns.len() as u32)
                .zip(&l.columns)
                .map(|(c, col)| cell(g, r, c, *col))
                .collect::<Result<_, _>>()?;
            table.rows.push(Row {
                cells,
                page: 0,
                place: Some(Place::Cell {
                    sheet: Arc::clone(&sheet),
                    row: r,
                    column: 0,
                }),
            });
        }
    }
    Ok(table)
}

/// Each column's header path: the labels of the header cells over it, top down; an amount
/// column's number last.
fn columns(l: &TableLayout) -> Vec<Column> {
    let mut amounts = 0;
    (0u16..)
        .zip(&l.columns)
        .map(|(c, col)| {
            let mut over: Vec<_> = l
                .header
                .iter()
                .filter(|s| (s.c0..=s.c1).contains(&c))
                .collect();
            over.sort_by_key(|s| s.r0);
            let mut path: Vec<String> = over.iter().map(|s| s.text.clone()).collect();
            if *col == Col::Amount {
                amounts += 1;
                path.push(format!("#{amounts}"));
            }
            Column { path }
        })
        .collect()
}

/// A cell as text, read by what its column holds.
fn cell(g: &Grid, r: u32, c: u32, col: Col) -> Result<String, WorkbookError> {
    Ok(match col {
        Col::Text | Col::RowKind(_) | Col::LineKey => g.text(r, c)?,
        Col::Amount => g.amount(r, c)?.map(|a| a.to_string()).unwrap_or_default(),
        Col::FunctionCode => g
            .function_code(r, c)?
            .map(|code| code.as_str().to_string())
            .unwrap_or_default(),
        Col::EconomicCode => g
            .economic_code(r, c)?
            .map(|code| code.as_str().to_string())
            .unwrap_or_default(),
    })
}

/// A table the text reader did not recognise: its rows cell by cell, up to the last non-blank
/// cell of each, under no header.
fn other(g: &Grid) -> Result<Table, WorkbookError> {
    let l = TableLayout {
        header: Vec::new(),
        header_rows: 0,
        columns: vec![Col::Text; g.cols().max(5) as usize],
    };
    let mut table = cut(g, &l)?;
    table.columns.clear();
    for row in &mut table.rows {
        let end = row
            .cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |p| p + 1);
        row.cells.truncate(end);
    }
    Ok(table)
}
