//! One worksheet: the cells, merges, columns and lists the layout modules put on it, and its
//! SpreadsheetML (`xl/worksheets/sheetN.xml`).
//!
//! The workbook has six cell formats and they never change, so a cell carries its [`Style`] —
//! the index of its entry in the fixed `cellXfs` of `styles.xml` — instead of a format to be
//! looked up. Cells may be put in any order (a header is written after the rows beside it);
//! they are sorted once when the sheet is serialised.

use budgetflow_model::Amount;
use rust_decimal::Decimal;

use super::formulas::neutralised;
use super::package::SharedStrings;
use super::Form;
use crate::error::WorkbookError;
use crate::layout;

/// A cell format: the index of its `<xf>` in the `cellXfs` of `styles.xml` ([`super::package`]
/// writes them in this order after the default, 0, which no cell uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Bold.
    Label = 1,
    /// Text (`@`), wrapped, thin border.
    Text = 2,
    /// Bold 16 pt, centred: a table's title.
    Title = 3,
    /// Bold, wrapped, centred both ways, light blue, thin border: printed table headers.
    Header = 4,
    /// `#,##0.00`, thin border.
    Amount = 5,
    /// Text (`@`), thin border: codes keep their leading digits and length.
    Code = 6,
}

/// What a cell holds.
enum Value {
    Blank,
    /// An index into the shared strings.
    Shared(u32),
    /// An index into the sheet's own strings (a sheet without a shared table).
    Inline(u32),
    /// A two-decimal amount, written as a number.
    Number(Decimal),
}

struct Cell {
    row: u32,
    col: u16,
    style: Style,
    value: Value,
}

/// A column's width (in characters, as a spreadsheet program shows it), format for cells a
/// person adds, and whether it is hidden.
#[derive(Clone, Copy, PartialEq)]
struct Column {
    width: Option<f64>,
    style: Option<Style>,
    hidden: bool,
}

/// A sheet's content until it is serialised.
pub(crate) struct SheetData {
    pub name: String,
    pub hidden: bool,
    cells: Vec<Cell>,
    /// Strings of [`Value::Inline`] cells.
    strings: Vec<String>,
    merges: Vec<(u32, u16, u32, u16)>,
    columns: Vec<Column>,
    /// Rows of a custom height (points).
    heights: Vec<(u32, f64)>,
    /// The first row below frozen panes.
    frozen: Option<u32>,
    /// Drop-down lists: the cells (`A5:A505`) and the list's formula.
    validations: Vec<(String, String)>,
}

impl SheetData {
    pub fn new(name: &str) -> SheetData {
        SheetData {
            name: name.to_string(),
            hidden: false,
            cells: Vec::new(),
            strings: Vec::new(),
            merges: Vec::new(),
            columns: Vec::new(),
            heights: Vec::new(),
            frozen: None,
            validations: Vec::new(),
        }
    }
}

/// One sheet being written. Its strings go to the book's shared table, or, with none, into
/// the cells themselves (`inlineStr`) — a sheet that is built once and reused by every
/// workbook of a year cannot depend on the order strings reach a shared table.
///
/// In the [`Form::Public`] workbook every string cell but an amount's digits and a layout key
/// ([`Sheet::key`]) is [`neutralised`]; no cell is ever a formula (`<f>`) in either form.
pub(crate) struct Sheet<'a> {
    pub data: &'a mut SheetData,
    pub strings: Option<&'a mut SharedStrings>,
    pub form: Form,
}

/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;

impl Sheet<'_> {
    fn put(&mut self, row: u32, col: u16, style: Style, value: Value) {
        self.data.cells.push(Cell {
            row,
            col,
            style,
            value,
        });
    }

    /// A string cell; an empty string is a blank cell of the same style. A text of the public
    /// workbook that a spreadsheet could run is neutralised; an amount's digits are not text.
    fn string(&mut self, row: u32, col: u16, s: &str, style: Style) -> Result<(), WorkbookError> {
        if self.form == Form::Public && style != Style::Amount {
            let shown = neutralised(s);
            return self.verbatim(row, col, &shown, style);
        }
        self.verbatim(row, col, s, style)
    }

    /// A string cell holding `s` as it is.
    fn verbatim(&mut self, row: u32, col: u16, s: &str, style: Style) -> Result<(), WorkbookError> {
        if s.is_empty() {
            self.put(row, col, style, Value::Blank);
            return Ok(());
        }
        // a cell holds 32,767 UTF-16 units; only a string this long in bytes can exceed it
        if s.len() > MAX_CELL_CHARS {
            let chars = s.chars().count();
            let units = s.encode_utf16().count();
            if units > MAX_CELL_CHARS {
                let size = if units == chars {
                    format!("{chars} characters")
                } else {
                    format!("{chars} characters ({units} UTF-16 units)")
                };
                return Err(WorkbookError::Write(format!(
                    "sheet `{}` cell {}: {size}, more than a cell holds ({MAX_CELL_CHARS})",
                    self.data.name,
                    crate::error::a1(row, u32::from(col))
                )));
            }
        }
        let value = match self.strings.as_deref_mut() {
            Some(shared) => Value::Shared(shared.index(s)),
            None => {
                self.data.strings.push(s.to_string());
                Value::Inline(self.data.strings.len() as u32 - 1)
            }
        };
        self.put(row, col, style, value);
        Ok(())
    }

    /// A text cell (blank text writes nothing).
    pub fn text(&mut self, row: u32, col: u16, s: &str) -> Result<(), WorkbookError> {
        if s.is_empty() {
            return Ok(());
        }
        self.string(row, col, s, Style::Text)
    }

    /// A key of the layout in a text cell (the hidden `标准行` column), written as it is in
    /// either form: the reader recognises it, and it is one of a fixed set of words.
    pub fn key(&mut self, row: u32, col: u16, key: &'static str) -> Result<(), WorkbookError> {
        self.verbatim(row, col, key, Style::Text)
    }

    /// A bold label.
    pub fn label(&mut self, row: u32, col: u16, s: &str) -> Result<(), WorkbookError> {
        self.string(row, col, s, Style::Label)
    }

    /// A cell of a printed header (bold, bordered, centred, shaded).
    pub fn header(&mut self, row: u32, col: u16, s: &str) -> Result<(), WorkbookError> {
        self.string(row, col, s, Style::Header)
    }

    /// A blank cell with `style`, so that what a person types there takes it.
    pub fn blank(&mut self, row: u32, col: u16, style: Style) {
        self.put(row, col, style, Value::Blank);
    }

    /// A code cell, kept as text so that leading digits and length survive.
    pub fn code(&mut self, row: u32, col: u16, s: Option<&str>) -> Result<(), WorkbookError> {
        self.string(row, col, s.unwrap_or(""), Style::Code)
    }

    /// An amount: a number formatted `#,##0.00` when it is printed with two decimals (as every
    /// table prints), otherwise the printed digits as text, so that the scale survives.
    pub fn amount(&mut self, row: u32, col: u16, a: Option<Amount>) -> Result<(), WorkbookError> {
        match a {
            None => self.blank(row, col, Style::Amount),
            Some(a) if is_number(a) => self.put(row, col, Style::Amount, Value::Number(a.value())),
            Some(a) => self.string(row, col, &a.to_string(), Style::Amount)?,
        }
        Ok(())
    }

    /// `s` across rows `r0..=r1` and columns `c0..=c1`, merged; every covered cell has `style`.
    pub fn merge(
        &mut self,
        (r0, c0): (u32, u16),
        (r1, c1): (u32, u16),
        s: &str,
        style: Style,
    ) -> Result<(), WorkbookError> {
        self.string(r0, c0, s, style)?;
        for r in r0..=r1 {
            for c in c0..=c1 {
                if (r, c) != (r0, c0) {
                    self.blank(r, c, style);
                }
            }
        }
        if (r0, c0) != (r1, c1) {
            self.data.merges.push((r0, c0, r1, c1));
        }
        Ok(())
    }

    /// A drop-down list of fixed words on one cell.
    pub fn cell_list(&mut self, row: u32, col: u16, words: &[&str]) {
        let cell = crate::error::a1(row, u32::from(col));
        self.data.validations.push((cell, words_formula(words)));
    }

    /// A drop-down list of fixed words on `col` from `row` down.
    pub fn list(&mut self, row: u32, col: u16, words: &[&str]) {
        let cells = column_range(row, col);
        self.data.validations.push((cells, words_formula(words)));
    }

    /// A drop-down list on `col` from `row` down, from a range of the hidden code sheet. A
    /// code missing from the catalog warns but is allowed: an unknown code stays
    /// representable and the validator reports it.
    pub fn code_list(&mut self, row: u32, col: u16, range: &str) {
        let cells = column_range(row, col);
        self.data
            .validations
            .push((cells, format!("'{}'!{range}", layout::CODES)));
    }

    fn column(&mut self, col: u16) -> &mut Column {
        let i = usize::from(col);
        if self.data.columns.len() <= i {
            self.data.columns.resize(
                i + 1,
                Column {
                    width: None,
                    style: None,
                    hidden: false,
                },
            );
        }
        &mut self.data.columns[i]
    }

    /// The widths of the first columns, in characters.
    pub fn widths(&mut self, widths: &[f64]) {
        for (i, w) in widths.iter().enumerate() {
            self.column(i as u16).width = Some(*w);
        }
    }

    /// The width of `col`.
    pub fn width(&mut self, col: u16, width: f64) {
        self.column(col).width = Some(width);
    }

    /// The format of cells a person adds to `col`.
    pub fn column_style(&mut self, col: u16, style: Style) {
        self.column(col).style = Some(style);
    }

    /// Hides `col`.
    pub fn hide_column(&mut self, col: u16) {
        self.column(col).hidden = true;
    }

    /// The height of `row` in points, stored as a spreadsheet program stores it: in whole
    /// pixels (¾ point each), so 28 points is kept as 27.75.
    pub fn height(&mut self, row: u32, points: f64) {
        self.data
            .heights
            .push((row, (points / 0.75).round() * 0.75));
    }

    /// Freezes the rows above `row`.
    pub fn freeze(&mut self, row: u32) {
        self.data.frozen = Some(row);
    }

    /// Hides the sheet.
    pub fn hide(&mut self) {
        self.data.hidden = true;
    }
}

/// Whether `a` is written as a number: printed with two decimals and small enough that a
/// spreadsheet's `f64` holds its digits exactly (shortest printing gives them back).
fn is_number(a: Amount) -> bool {
    let v = a.value();
    v.scale() == 2 && v.abs() < Decimal::from(1_000_000_000_000i64)
}

/// `A5:A505`: `col` from `row` over the rows the template validates.
fn column_range(row: u32, col: u16) -> String {
    format!(
        "{}:{}",
        crate::error::a1(row, u32::from(col)),
        crate::error::a1(row + layout::VALIDATED_ROWS, u32::from(col))
    )
}

/// The formula of a list of fixed words: `"a,b,c"`.
fn words_formula(words: &[&str]) -> String {
    format!("\"{}\"", words.join(","))
}

/// Appends the decimal digits of `n`.
pub(crate) fn push_u32(out: &mut Vec<u8>, n: u32) {
    // digit by digit from the highest: the numbers are short (rows, indices), and a copy of a
    // variable-length buffer would cost a call
    let mut unit = 1;
    while unit <= n / 10 {
        unit *= 10;
    }
    loop {
        out.push(b'0' + (n / unit % 10) as u8);
        if unit == 1 {
            break;
        }
        unit /= 10;
    }
}

/// Appends the column letters of 0-based `col`.
fn push_column(out: &mut Vec<u8>, col: u16) {
    let mut buf = [0u8; 4];
    let mut i = buf.len();
    let mut c = u32::from(col) + 1;
    while c > 0 {
        i -= 1;
        buf[i] = b'A' + ((c - 1) % 26) as u8;
        c = (c - 1) / 26;
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends the A1 reference of a 0-based cell.
fn push_ref(out: &mut Vec<u8>, row: u32, col: u16) {
    push_column(out, col);
    push_u32(out, row + 1);
}

/// Appends the digits of a two-decimal amount as a spreadsheet stores the number: what the
/// shortest printing of its `f64` gives (`5058.98`, `0.1`, `500`), without the conversion.
fn push_number(out: &mut Vec<u8>, v: Decimal) {
    if v.is_sign_negative() {
        out.push(b'-');
    }
    let cents = v.mantissa().unsigned_abs();
    let whole = cents / 100;
    let fraction = (cents % 100) as u8;
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    let mut n = whole;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
    if fraction != 0 {
        out.push(b'.');
        out.push(b'0' + fraction / 10);
        if !fraction.is_multiple_of(10) {
            out.push(b'0' + fraction % 10);
        }
    }
}

/// Appends `s` as XML character data (`attribute`: inside double quotes). Control characters,
/// which XML cannot carry, are written as Excel writes them (`_x0001_`), and text that already
/// looks like such an escape has its underscore escaped (`_x005F_x0001_`), so that a reader
/// gives back exactly `s`.
pub(crate) fn push_escaped(out: &mut Vec<u8>, s: &str, attribute: bool) {
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' if attribute => b"&quot;",
            b'\n' if attribute => b"&#xA;",
            b'\t' | b'\n' => continue,
            0..=0x1f => {
                out.extend_from_slice(&bytes[from..i]);
                out.extend_from_slice(b"_x00");
                out.extend_from_slice(&[hex(b >> 4), hex(b & 0xf), b'_']);
                from = i + 1;
                continue;
            }
            b'_' if looks_like_escape(&bytes[i..]) => b"_x005F_",
            // U+FFFE and U+FFFF are not XML characters
            0xef if bytes.get(i + 1) == Some(&0xbf)
                && matches!(bytes.get(i + 2), Some(0xbe | 0xbf)) =>
            {
                out.extend_from_slice(&bytes[from..i]);
                out.extend_from_slice(if bytes[i + 2] == 0xbe {
                    b"_xFFFE_"
                } else {
                    b"_xFFFF_"
                });
                from = i + 3;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[from..i]);
        out.extend_from_slice(escape);
        from = i + 1;
    }
    out.extend_from_slice(&bytes[from..]);
}

fn hex(n: u8) -> u8 {
    if n < 10 {
        b'0' + n
    } else {
        b'A' + n - 10
    }
}

/// Whether `s` starts with `_xHHHH_`.
fn looks_like_escape(s: &[u8]) -> bool {
    s.len() >= 7 && s[1] == b'x' && s[2..6].iter().all(u8::is_ascii_hexdigit) && s[6] == b'_'
}

/// Whether a string needs `xml:space="preserve"` to keep its edge whitespace.
pub(crate) fn edge_space(s: &str) -> bool {
    let ws = |b: Option<&u8>| matches!(b, Some(b' ' | b'\t' | b'\n'));
    ws(s.as_bytes().first()) || ws(s.as_bytes().last())
}

/// Appends `<t>s</t>` (keeping edge whitespace).
pub(crate) fn push_t(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(if edge_space(s) {
        b"<t xml:space=\"preserve\">"
    } else {
        b"<t>"
    });
    push_escaped(out, s, false);
    out.extend_from_slice(b"</t>");
}

/// The stored width of a column `chars` wide: what Excel stores for a width typed in its
/// dialog (the characters' pixels plus padding, in 1/256 of a character).
fn stored_width(chars: f64) -> f64 {
    let pixels = if chars < 1.0 {
        (chars * 12.0 + 0.5) as u32
    } else {
        (chars * 7.0 + 0.5) as u32 + 5
    };
    f64::from(pixels * 256 / 7) / 256.0
}

const WORKSHEET: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">";

impl SheetData {
    /// The sheet's XML, appended to `out`. `selected`: the sheet a spreadsheet opens on.
    pub fn xml(&mut self, selected: bool, out: &mut Vec<u8>) {
        // sorted by position; a cell written twice keeps what was written last
        self.cells.sort_by_key(|c| (c.row, c.col));
        let cells = &self.cells;
        let keep = |i: usize| {
            cells
                .get(i + 1)
                .is_none_or(|n| (n.row, n.col) != (cells[i].row, cells[i].col))
        };
        out.extend_from_slice(WORKSHEET);
        out.extend_from_slice(b"<dimension ref=\"");
        match (cells.first(), cells.last()) {
            (Some(first), Some(last)) => {
                let min = cells.iter().map(|c| c.col).min().unwrap_or(0);
                let max = cells.iter().map(|c| c.col).max().unwrap_or(0);
                push_ref(out, first.row, min);
                if (first.row, min) != (last.row, max) {
                    out.push(b':');
                    push_ref(out, last.row, max);
                }
            }
            _ => out.extend_from_slice(b"A1"),
        }
        out.extend_from_slice(b"\"/><sheetViews><sheetView ");
        if selected {
            out.extend_from_slice(b"tabSelected=\"1\" ");
        }
        out.extend_from_slice(b"workbookViewId=\"0\"");
        match self.frozen {
            Some(row) => {
                out.extend_from_slice(b"><pane ySplit=\"");
                push_u32(out, row);
                out.extend_from_slice(b"\" topLeftCell=\"");
                push_ref(out, row, 0);
                out.extend_from_slice(b"\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView>");
            }
            None => out.extend_from_slice(b"/>"),
        }
        out.extend_from_slice(b"</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
        self.columns_xml(out);
        out.extend_from_slice(b"<sheetData>");
        let mut row = None;
        for (i, c) in cells.iter().enumerate() {
            if !keep(i) {
                continue;
            }
            if row != Some(c.row) {
                if row.is_some() {
                    out.extend_from_slice(b"</row>");
                }
                row = Some(c.row);
                out.extend_from_slice(b"<row r=\"");
                push_u32(out, c.row + 1);
                out.push(b'"');
                if let Some((_, h)) = self.heights.iter().rev().find(|(r, _)| *r == c.row) {
                    out.extend_from_slice(format!(" ht=\"{h}\" customHeight=\"1\"").as_bytes());
                }
                out.push(b'>');
            }
            out.extend_from_slice(b"<c r=\"");
            push_ref(out, c.row, c.col);
            out.push(b'"');
            out.extend_from_slice(b" s=\"");
            push_u32(out, c.style as u32);
            out.push(b'"');
            match &c.value {
                Value::Blank => out.extend_from_slice(b"/>"),
                Value::Shared(i) => {
                    out.extend_from_slice(b" t=\"s\"><v>");
                    push_u32(out, *i);
                    out.extend_from_slice(b"</v></c>");
                }
                Value::Inline(i) => {
                    out.extend_from_slice(b" t=\"inlineStr\"><is>");
                    push_t(out, &self.strings[*i as usize]);
                    out.extend_from_slice(b"</is></c>");
                }
                Value::Number(v) => {
                    out.extend_from_slice(b"><v>");
                    push_number(out, *v);
                    out.extend_from_slice(b"</v></c>");
                }
            }
        }
        if row.is_some() {
            out.extend_from_slice(b"</row>");
        }
        out.extend_from_slice(b"</sheetData>");
        if !self.merges.is_empty() {
            out.extend_from_slice(b"<mergeCells count=\"");
            push_u32(out, self.merges.len() as u32);
            out.extend_from_slice(b"\">");
            for &(r0, c0, r1, c1) in &self.merges {
                out.extend_from_slice(b"<mergeCell ref=\"");
                push_ref(out, r0, c0);
                out.push(b':');
                push_ref(out, r1, c1);
                out.extend_from_slice(b"\"/>");
            }
            out.extend_from_slice(b"</mergeCells>");
        }
        if !self.validations.is_empty() {
            out.extend_from_slice(b"<dataValidations count=\"");
            push_u32(out, self.validations.len() as u32);
            out.extend_from_slice(b"\">");
            for (cells, formula) in &self.validations {
                out.extend_from_slice(b"<dataValidation type=\"list\" errorStyle=\"warning\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" sqref=\"");
                out.extend_from_slice(cells.as_bytes());
                out.extend_from_slice(b"\"><formula1>");
                push_escaped(out, formula, false);
                out.extend_from_slice(b"</formula1></dataValidation>");
            }
            out.extend_from_slice(b"</dataValidations>");
        }
        out.extend_from_slice(b"<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>");
    }

    /// `<cols>`: adjacent columns alike are one `<col>`.
    fn columns_xml(&self, out: &mut Vec<u8>) {
        let set = |c: &Column| c.width.is_some() || c.style.is_some() || c.hidden;
        if !self.columns.iter().any(set) {
            return;
        }
        out.extend_from_slice(b"<cols>");
        let mut i = 0;
        while i < self.columns.len() {
            let c = self.columns[i];
            let mut j = i;
            while self.columns.get(j + 1) == Some(&c) {
                j += 1;
            }
            if set(&c) {
                out.extend_from_slice(b"<col min=\"");
                push_u32(out, i as u32 + 1);
                out.extend_from_slice(b"\" max=\"");
                push_u32(out, j as u32 + 1);
                out.extend_from_slice(b"\" width=\"");
                out.extend_from_slice(
                    format!("{}", stored_width(c.width.unwrap_or(8.43))).as_bytes(),
                );
                out.push(b'"');
                if let Some(s) = c.style {
                    out.extend_from_slice(b" style=\"");
                    push_u32(out, s as u32);
                    out.push(b'"');
                }
                if c.hidden {
                    out.extend_from_slice(b" hidden=\"1\"");
                }
                if c.width.is_some() {
                    out.extend_from_slice(b" customWidth=\"1\"");
                }
                out.extend_from_slice(b"/>");
            }
            i = j + 1;
        }
        out.extend_from_slice(b"</cols>");
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::prelude::ToPrimitive;

    use super::*;

    fn number(s: &str) -> Option<String> {
        let a: Amount = s.parse().unwrap();
        is_number(a).then(|| {
            let mut out = Vec::new();
            push_number(&mut out, a.value());
            String::from_utf8(out).unwrap()
        })
    }

    #[test]
    fn only_two_decimal_amounts_become_numbers() {
        assert_eq!(number("5058.98").as_deref(), Some("5058.98"));
        assert_eq!(number("0.10").as_deref(), Some("0.1"));
        assert_eq!(number("500.00").as_deref(), Some("500"));
        assert_eq!(number("-12.05").as_deref(), Some("-12.05"));
        assert_eq!(number("500"), None, "scale 0 is kept as text");
        assert_eq!(number("1.5"), None);
        assert_eq!(number("12.345"), None);
        assert_eq!(
            number("1000000000000.00"),
            None,
            "beyond what an f64 holds exactly"
        );
    }

    #[test]
    fn numbers_are_the_shortest_printing_of_their_f64() {
        // what a spreadsheet reads back is the f64 of the digits; they must be the digits an
        // f64 prints as, so that reading gives the amount again
        for m in [
            0i64,
            1,
            7,
            10,
            99,
            100,
            12345,
            505898,
            -505898,
            99_999_999_999_999,
            -99_999_999_999_999,
            123_456_789_012,
        ] {
            let v = Decimal::new(m, 2);
            let mut out = Vec::new();
            push_number(&mut out, v);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                v.to_f64().unwrap().to_string(),
                "{v}"
            );
        }
    }

    #[test]
    fn text_is_escaped_for_xml_and_as_excel_escapes_control_characters() {
        let esc = |s: &str, attribute: bool| {
            let mut out = Vec::new();
            push_escaped(&mut out, s, attribute);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(esc("a<b>&c\"d", false), "a&lt;b&gt;&amp;c\"d");
        assert_eq!(esc("a\"b\nc", true), "a&quot;b&#xA;c");
        assert_eq!(esc("x\u{1}y\tz\r", false), "x_x0001_y\tz_x000D_");
        assert_eq!(esc("_x0041_ and _xyz_", false), "_x005F_x0041_ and _xyz_");
        assert_eq!(esc("中文（一）", false), "中文（一）");
        assert_eq!(esc("a\u{FFFE}b\u{FFFF}", false), "a_xFFFE_b_xFFFF_");
    }

    #[test]
    fn numbers_and_cells_are_spelled_out() {
        let mut out = Vec::new();
        for n in [0, 7, 10, 99, 100, 505, 4_294_967_295] {
            push_u32(&mut out, n);
            out.push(b' ');
        }
        push_ref(&mut out, 0, 0);
        out.push(b' ');
        push_ref(&mut out, 504, 27);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "0 7 10 99 100 505 4294967295 A1 AB505"
        );
    }

    #[test]
    fn widths_are_stored_as_excel_stores_them() {
        assert_eq!(stored_width(28.0), 28.7109375);
        assert_eq!(stored_width(14.0), 14.7109375);
    }
}
