//! A sheet's cells, streamed and held to the template's shape before any grid is built.
//!
//! calamine's `worksheet_range` allocates rows × columns cells from the first to the last cell
//! it finds: one cell at `XFD1048576` asks for 17 billion. Here the sheet is streamed cell by
//! cell (`worksheet_cells_reader`) and refused — naming the sheet and the cell — when
//!
//! - its `<dimension ref=…>` declares a used range beyond the shape, or
//! - a cell lies beyond the shape, wherever the dimension said (a lying or missing dimension
//!   does not help), or
//! - it lists more cells than the shape holds (the same cell repeated), or
//! - a cell's text is longer than `max_cell_chars`, or all its text more than
//!   `max_text_bytes` (a shared string is stored once but copied into every cell naming it).
//!
//! The shape is `max_rows` rows by `max_columns` columns ([`Limits`]); only then is the grid
//! built, from the cells kept.

use std::io::Cursor;

use calamine::{Cell, Data, DataRef, Range, Xlsx};

use crate::error::{a1, WorkbookError};
use crate::limits::Limits;

/// Reads sheet `name` of `book` into a grid bounded by `limits`.
pub(crate) fn range(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Range<Data>, WorkbookError> {
    let (rows, cols) = (limits.max_rows, limits.max_columns);
    let outside = |(row, col): (u32, u32), declared: bool| WorkbookError::OutsideShape {
        sheet: name.to_string(),
        cell: a1(row, col),
        declared,
        rows,
        cols,
    };
    let mut cells = match book.worksheet_cells_reader(name) {
        Ok(cells) => cells,
        // a chart sheet, as calamine reads one: no cells
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
        Err(e) => {
            return Err(WorkbookError::not_a_workbook(format!(
                "sheet `{name}`: {e}"
            )))
        }
    };
    let declared = cells.dimensions();
    if declared.end.0 >= rows || declared.end.1 >= cols {
        return Err(outside(declared.end, true));
    }
    let max_cells = u64::from(rows) * u64::from(cols);
    let (mut seen, mut text) = (0u64, 0u64);
    let mut kept: Vec<Cell<Data>> = Vec::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| WorkbookError::not_a_workbook(format!("sheet `{name}`: {e}")))?
    {
        let pos = cell.get_position();
        if pos.0 >= rows || pos.1 >= cols {
            return Err(outside(pos, false));
        }
        seen += 1;
        if seen > max_cells {
            return Err(WorkbookError::TooManyCells {
                sheet: name.to_string(),
                cell: a1(pos.0, pos.1),
                limit: max_cells,
            });
        }
        let value = cell.get_value();
        let text_of = match value {
            DataRef::String(s) => Some(s.as_str()),
            DataRef::SharedString(s) => Some(*s),
            _ => None,
        };
        if let Some(s) = text_of {
            if s.chars().count() > limits.max_cell_chars as usize {
                return Err(WorkbookError::CellTooLong {
                    place: name.to_string(),
                    cell: a1(pos.0, pos.1),
                    limit: limits.max_cell_chars,
                });
            }
            text += s.len() as u64;
            if text > limits.max_text_bytes {
                return Err(WorkbookError::TooMuchText {
                    place: name.to_string(),
                    limit: limits.max_text_bytes,
                });
            }
        }
        if !matches!(value, DataRef::Empty) {
            kept.push(Cell::new(pos, Data::from(value.clone())));
        }
    }
    Ok(Range::from_sparse(kept))
}
