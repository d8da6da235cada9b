//! Tables: a caption, an optional `label：value` meta line, header lines, body rows and notes,
//! read into a grid of leaf columns, each with the path of header labels above it.
//!
//! The grid comes from the header. Budget templates centre every header label in its cell,
//! merged cells included, so a label's span is symmetric about its centre: it reaches as far
//! as the nearer of the two obstacles beside it (the nearest label on either side whose lines
//! overlap it, or the table's edge). A label with another label below it inside its span is
//! a parent; the others are leaf columns, and a leaf's path is every label above it whose
//! span holds the leaf's centre, top to bottom. Two labels stacked with no row gap and the same
//! centre are one label that wraps (`事业单位` / `经营收入`). Body cells then go to the leaf
//! whose span they overlap most: right-aligned amounts and left-aligned names both overlap
//! their own column's span far more than a neighbour's, which is why overlap and not a
//! single anchor point decides.

use std::collections::HashSet;
use std::sync::Arc;

use crate::features::{is_note_start, is_value, join_text, split_field};
use crate::{Cell, Line};

/// A stacked label continues the one above it when the gap between them is under this many
/// font sizes (a wrapped line), and not when it is a row apart (0.8 size or more).
const WRAP_GAP: f32 = 0.4;
/// ... and when their centres differ by less than this many font sizes.
const WRAP_ALIGN: f32 = 0.75;
/// A body line tighter than this many font sizes below the previous one continues its row
/// (a wrapped name); rows of a table are spaced by most of a line.
const ROW_WRAP_GAP: f32 = 0.35;
/// A vertical gap of more than this many font sizes ends the header: blank rows follow it.
const HEADER_GAP: f32 = 2.0;
/// Header lines read at most; a header is a handful of lines, and the cap bounds the
/// label-against-label comparisons.
const HEADER_MAX_LINES: usize = 12;
/// Labels in a header at most (the largest template has about twenty).
const HEADER_MAX_LABELS: usize = 256;

/// A `label：value` field of the meta line, kept in both parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    pub value: String,
}

/// A leaf column of the grid: its header labels from the outermost down, `[]` when the table
/// printed no header over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub path: Vec<String>,
}

/// Where a row or a caption is in a source that has no pages (its page is then 0): errors and
/// findings point there instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of a text export.
    Line(u32),
    /// A row of a spreadsheet's sheet: the row's first cell (0-based), the cells of the
    /// layout row following it column by column.
    Cell {
        sheet: Arc<str>,
        row: u32,
        column: u32,
    },
}

impl Place {
    /// The place of the cell `offset` columns right of this one (a line has no columns).
    pub fn right(&self, offset: usize) -> Place {
        match self {
            Place::Line(_) => self.clone(),
            Place::Cell { sheet, row, column } => Place::Cell {
                sheet: Arc::clone(sheet),
                row: *row,
                column: column.saturating_add(u32::try_from(offset).unwrap_or(u32::MAX)),
            },
        }
    }
}

/// A1 notation of a 0-based (row, column) of a sheet: how spreadsheet programs name a cell.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = u64::from(col) + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(char::from(b'A' + r as u8));
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// A body row: one text per column (empty when the cell is blank) and the page it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<String>,
    pub page: u32,
    /// Where the row is in a source without pages (a text export's line, a sheet's row).
    pub place: Option<Place>,
}

/// A note under a table (`注:…`), with its wrapped lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub page: u32,
}

/// A table, joined across pages when it continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub caption: String,
    /// The page of the caption.
    pub page: u32,
    /// Where the caption is, in a source without pages (page is then 0).
    pub place: Option<Place>,
    /// The meta line's left field (`编制单位：…`), when printed.
    pub compiler: Option<Field>,
    /// The meta line's right field (`单位：元`), when printed.
    pub unit: Option<Field>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub notes: Vec<Note>,
}

/// A header label or a body cell reduced to what the grid needs.
#[derive(Debug, Clone)]
struct Label {
    text: String,
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    size: f32,
    span: (f32, f32),
}

impl Label {
    fn from_cell(c: &Cell) -> Self {
        Label {
            text: c.text.clone(),
            x0: c.x0,
            x1: c.x1,
            top: c.top,
            bottom: c.bottom,
            size: c.size,
            span: (c.x0, c.x1),
        }
    }

    fn centre_x(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }

    fn centre_y(&self) -> f32 {
        (self.top + self.bottom) / 2.0
    }
}

/// Leaf columns with the span each covers on the page being read.
struct Grid {
    paths: Vec<Vec<String>>,
    spans: Vec<(f32, f32)>,
}

impl Grid {
    /// The grid of one page's header, within the table's left and right edges.
    fn from_header(header: &[Line], edges: (f32, f32)) -> Grid {
        let mut labels: Vec<Label> = Vec::new();
        let mut cells: Vec<&Cell> = header.iter().flat_map(|l| &l.cells).collect();
        cells.sort_by(|a, b| a.top.total_cmp(&b.top));
        for cell in cells {
            let size = cell.size;
            let wrapped = labels.iter_mut().rev().find(|l| {
                let gap = cell.top - l.bottom;
                gap > -WRAP_GAP * size
                    && gap < WRAP_GAP * size
                    && (l.centre_x() - cell.centre_x()).abs() < WRAP_ALIGN * size
            });
            match wrapped {
                Some(label) => {
                    join_text(&mut label.text, &cell.text);
                    label.x0 = label.x0.min(cell.x0);
                    label.x1 = label.x1.max(cell.x1);
                    label.bottom = label.bottom.max(cell.bottom);
                }
                None => labels.push(Label::from_cell(cell)),
            }
        }
        for i in 0..labels.len() {
            let me = &labels[i];
            let (mut left, mut right) = edges;
            for (j, other) in labels.iter().enumerate() {
                let beside = j != i && other.top < me.bottom && other.bottom > me.top;
                if beside && other.x1 <= me.x0 + 0.5 {
                    left = left.max(other.x1);
                }
                if beside && other.x0 >= me.x1 - 0.5 {
                    right = right.min(other.x0);
                }
            }
            let c = me.centre_x();
            let half = (c - left).min(right - c).max((me.x1 - me.x0) / 2.0);
            labels[i].span = (c - half, c + half);
        }
        let below = |upper: &Label, lower: &Label| {
            lower.centre_y() > upper.centre_y() + 0.5 * upper.size
                && lower.centre_x() >= upper.span.0
                && lower.centre_x() <= upper.span.1
        };
        let mut leaves: Vec<&Label> = labels
            .iter()
            .filter(|l| !labels.iter().any(|other| below(l, other)))
            .collect();
        leaves.sort_by(|a, b| a.centre_x().total_cmp(&b.centre_x()));
        // Leaf columns do not overlap: a leaf with nothing beside it on its own line (小计
        // under a parent, its neighbours a line higher) would otherwise reach over them.
        let spans: Vec<(f32, f32)> = (0..leaves.len())
            .map(|i| {
                let leaf = leaves[i];
                let left = i
                    .checked_sub(1)
                    .map_or(leaf.span.0, |j| leaf.span.0.max(leaves[j].x1));
                let right = leaves
                    .get(i + 1)
                    .map_or(leaf.span.1, |next| leaf.span.1.min(next.x0));
                let c = leaf.centre_x();
                let half = (c - left).min(right - c).max((leaf.x1 - leaf.x0) / 2.0);
                (c - half, c + half)
            })
            .collect();
        let paths = leaves
            .iter()
            .map(|leaf| {
                let mut above: Vec<&Label> = labels.iter().filter(|l| below(l, leaf)).collect();
                above.sort_by(|a, b| a.top.total_cmp(&b.top));
                above
                    .iter()
                    .chain(std::iter::once(leaf))
                    .map(|l| l.text.clone())
                    .collect()
            })
            .collect();
        Grid { paths, spans }
    }

    /// Columns for a table that printed no header: the x extents of its body cells, merged
    /// where they overlap.
    fn from_body(body: &[Line]) -> Grid {
        let mut extents: Vec<(f32, f32)> = body
            .iter()
            .flat_map(|l| &l.cells)
            .map(|c| (c.x0, c.x1))
            .collect();
        extents.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut spans: Vec<(f32, f32)> = Vec::new();
        for (x0, x1) in extents {
            match spans.last_mut() {
                Some(last) if x0 < last.1 => last.1 = last.1.max(x1),
                _ => spans.push((x0, x1)),
            }
        }
        Grid {
            paths: vec![Vec::new(); spans.len()],
            spans,
        }
    }

    /// The column a cell belongs to: the one whose span it overlaps most, else the nearest.
    fn column_of(&self, cell: &Cell) -> Option<usize> {
        let overlap = |s: &(f32, f32)| cell.x1.min(s.1) - cell.x0.max(s.0);
        // From the cell's centre to the span's centre: the tie-break between equal overlaps.
        let off_centre = |s: &(f32, f32)| (cell.centre_x() - (s.0 + s.1) / 2.0).abs();
        let distance = |s: &(f32, f32)| {
            let c = cell.centre_x();
            if c < s.0 {
                s.0 - c
            } else {
                (c - s.1).max(0.0)
            }
        };
        let best = self.spans.iter().enumerate().max_by(|(_, a), (_, b)| {
            overlap(a)
                .total_cmp(&overlap(b))
                .then(off_centre(b).total_cmp(&off_centre(a)))
        })?;
        if overlap(best.1) > 0.0 {
            return Some(best.0);
        }
        self.spans
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| distance(a).total_cmp(&distance(b)))
            .map(|(i, _)| i)
    }
}

/// A table being read, possibly across pages.
pub(crate) struct TableReader {
    table: Table,
    grid: Grid,
    header_texts: HashSet<String>,
    /// Still reading body rows: the table may continue on the next page.
    open: bool,
}

/// What the top of the next page did to a table left open at the end of a page.
pub(crate) enum Resumed {
    Continues(Read),
    Ended(Table),
}

/// A table read up to the end of its part on one page.
pub(crate) struct Read {
    pub(crate) reader: TableReader,
    /// The first line after the table.
    pub(crate) next: usize,
}

impl TableReader {
    /// Reads the table whose caption is `lines[caption]`.
    pub(crate) fn begin(
        lines: &[Line],
        caption: usize,
        is_caption: &dyn Fn(usize) -> bool,
    ) -> Read {
        let cap = &lines[caption];
        let mut at = caption + 1;
        let (mut compiler, mut unit) = (None, None);
        if let Some(meta) = lines.get(at).filter(|l| is_meta(l)) {
            // Left of the caption's centre is who compiled the table, right of it the unit.
            let middle = (cap.x0() + cap.x1()) / 2.0;
            for cell in &meta.cells {
                let Some((label, value)) = split_field(&cell.text) else {
                    continue;
                };
                let field = Some(Field {
                    label: label.to_string(),
                    value: value.to_string(),
                });
                if cell.centre_x() < middle {
                    compiler = compiler.or(field);
                } else {
                    unit = field;
                }
            }
            at += 1;
        }
        let mut header_end = header_end(lines, at, is_caption);
        // A name wrapped around the amounts of the first row, vertically centred in a tall
        // row, begins above them: a line that tight above the first row, and clear of its
        // values' columns (a header label is not), is the name's start.
        while header_end > at && header_end < lines.len() {
            let (above, first) = (&lines[header_end - 1], &lines[header_end]);
            let tight = first.top - above.bottom < ROW_WRAP_GAP * first.size;
            let clear = above.cells.iter().all(|a| {
                first
                    .cells
                    .iter()
                    .filter(|v| is_value(&v.text))
                    .all(|v| a.x1 <= v.x0 || a.x0 >= v.x1)
            });
            if !(tight && clear) {
                break;
            }
            header_end -= 1;
        }
        let labels: usize = lines[at..header_end].iter().map(|l| l.cells.len()).sum();
        if labels > HEADER_MAX_LABELS {
            // Not a header anyone prints: read those lines as rows rather than compare
            // every label with every other.
            header_end = at;
        }
        let body_end = body_end(lines, header_end, is_caption);
        let segment = &lines[caption + 1..body_end];
        let header = &lines[at..header_end];
        let body = &lines[header_end..body_end];
        let grid = if header.is_empty() {
            Grid::from_body(body)
        } else {
            Grid::from_header(header, edges(segment))
        };
        let mut reader = TableReader {
            table: Table {
                caption: cap.text(),
                page: cap.page,
                place: None,
                compiler,
                unit,
                columns: grid
                    .paths
                    .iter()
                    .map(|p| Column { path: p.clone() })
                    .collect(),
                rows: Vec::new(),
                notes: Vec::new(),
            },
            grid,
            header_texts: header
                .iter()
                .flat_map(|l| &l.cells)
                .map(|c| c.text.clone())
                .collect(),
            open: true,
        };
        let next = reader.read_body(lines, header_end, is_caption);
        Read { reader, next }
    }

    /// Continues the table at the top of the next page, when that page carries on with body
    /// rows, after repeating the header or not; ends it when the page starts something else.
    pub(crate) fn resume(mut self, lines: &[Line], is_caption: &dyn Fn(usize) -> bool) -> Resumed {
        if !self.open || lines.is_empty() || is_caption(0) {
            return Resumed::Ended(self.table);
        }
        let first_body = lines
            .iter()
            .take(HEADER_MAX_LINES + 1)
            .position(Line::has_value);
        let Some(first_body) = first_body else {
            return Resumed::Ended(self.table);
        };
        let repeated = &lines[..first_body];
        let all_header = repeated
            .iter()
            .flat_map(|l| &l.cells)
            .all(|c| self.header_texts.contains(&c.text));
        if !all_header {
            return Resumed::Ended(self.table);
        }
        if !repeated.is_empty() {
            let end = body_end(lines, first_body, is_caption);
            let grid = Grid::from_header(repeated, edges(&lines[..end]));
            if let Some(spans) = self.matching_spans(&grid) {
                self.grid.spans = spans;
            }
        }
        let next = self.read_body(lines, first_body, is_caption);
        Resumed::Continues(Read { reader: self, next })
    }

    /// The spans of a repeated header's leaves in this table's column order, when the repeated
    /// header has exactly this table's columns.
    fn matching_spans(&self, grid: &Grid) -> Option<Vec<(f32, f32)>> {
        if grid.paths.len() != self.grid.paths.len() {
            return None;
        }
        let mut used = vec![false; grid.paths.len()];
        let mut spans = Vec::with_capacity(grid.paths.len());
        for path in &self.grid.paths {
            let i = (0..grid.paths.len()).find(|&i| !used[i] && &grid.paths[i] == path)?;
            used[i] = true;
            spans.push(grid.spans[i]);
        }
        Some(spans)
    }

    pub(crate) fn is_open(&self) -> bool {
        self.open
    }

    pub(crate) fn finish(self) -> Table {
        self.table
    }

    /// Reads body rows and notes from `lines[start..]`; returns the first line after them.
    fn read_body(
        &mut self,
        lines: &[Line],
        start: usize,
        is_caption: &dyn Fn(usize) -> bool,
    ) -> usize {
        let end = body_end(lines, start, is_caption);
        let mut row_lines: Vec<&Line> = Vec::new();
        let mut i = start;
        while i < end && !is_note_start(&lines[i].text()) {
            let line = &lines[i];
            let continues = row_lines.last().is_some_and(|prev| {
                line.top - prev.bottom < ROW_WRAP_GAP * line.size
                    && !(line.has_number() && row_lines.iter().any(|l| l.has_number()))
            });
            if !continues && !row_lines.is_empty() {
                self.push_row(&row_lines);
                row_lines.clear();
            }
            row_lines.push(line);
            i += 1;
        }
        if !row_lines.is_empty() {
            self.push_row(&row_lines);
        }
        while i < end {
            let line = &lines[i];
            let text = line.text();
            match self.table.notes.last_mut() {
                Some(note) if !is_note_start(&text) => join_text(&mut note.text, &text),
                _ => self.table.notes.push(Note {
                    text,
                    page: line.page,
                }),
            }
            i += 1;
        }
        self.open = end == lines.len() && self.table.notes.is_empty();
        end
    }

    fn push_row(&mut self, lines: &[&Line]) {
        let mut cells = vec![String::new(); self.grid.spans.len()];
        for line in lines {
            for cell in &line.cells {
                if let Some(col) = self.grid.column_of(cell) {
                    join_text(&mut cells[col], &cell.text);
                }
            }
        }
        if cells.iter().any(|c| !c.is_empty()) {
            self.table.rows.push(Row {
                cells,
                page: lines[0].page,
                place: None,
            });
        }
    }
}

/// A meta line: one to three `label：value` fields.
fn is_meta(line: &Line) -> bool {
    (1..=3).contains(&line.cells.len()) && line.cells.iter().all(|c| split_field(&c.text).is_some())
}

/// The left and right edges of a table: its widest line, the meta line included (it is
/// printed flush with the table's outer border).
fn edges(lines: &[Line]) -> (f32, f32) {
    lines
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(l, r), line| {
            (l.min(line.x0()), r.max(line.x1()))
        })
}

/// The end of the header that starts at `start`: the first line with a value (an amount, a
/// code, a `无`), a
/// note, a caption, or a line after a gap of blank rows.
fn header_end(lines: &[Line], start: usize, is_caption: &dyn Fn(usize) -> bool) -> usize {
    let mut i = start;
    while i < lines.len() && i - start < HEADER_MAX_LINES {
        let line = &lines[i];
        let after_gap = i > start && line.top - lines[i - 1].bottom > HEADER_GAP * line.size;
        if line.has_value() || is_note_start(&line.text()) || is_caption(i) || after_gap {
            break;
        }
        i += 1;
    }
    i
}

/// The end of the body and notes that start at `start`: the next caption, a line after the
/// notes that is not a note's continuation, or a line of prose (one cell as wide as most of
/// the page's table lines).
fn body_end(lines: &[Line], start: usize, is_caption: &dyn Fn(usize) -> bool) -> usize {
    let (left, right) = edges(&lines[start..]);
    let table_width = right - left;
    let mut in_notes = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        if is_caption(i) {
            return i;
        }
        let text = line.text();
        if is_note_start(&text) {
            in_notes = true;
            continue;
        }
        if in_notes && line.cells.len() > 1 {
            return i;
        }
        let prose = !in_notes
            && line.cells.len() == 1
            && !line.has_number()
            && line.x1() - line.x0() > 0.6 * table_width
            && text.chars().count() > 30;
        if prose {
            return i;
        }
    }
    lines.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_named_in_a1_notation_and_its_row_counts_columns_from_its_place() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1, 27), "AB2");
        assert_eq!(a1(u32::MAX, u32::MAX), "MWLQKWV4294967296");
        let row = Place::Cell {
            sheet: Arc::from("表7"),
            row: 5,
            column: 1,
        };
        assert_eq!(
            row.right(3),
            Place::Cell {
                sheet: Arc::from("表7"),
                row: 5,
                column: 4
            }
        );
        assert_eq!(Place::Line(12).right(3), Place::Line(12));
    }
}
