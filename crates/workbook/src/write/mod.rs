//! The writer: a document (or nothing, for the template) to an XLSX workbook laid out as
//! [`crate::layout`] says. One [`Book`] holds the workbook and its cell formats; each part of
//! the document has its own module adding its sheets.

mod guide;
mod parts;
mod tables;

use budgetflow_model::{Amount, Document, FiscalYear};
use chrono::{Datelike, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, Workbook, Worksheet,
};

use crate::error::WorkbookError;
use crate::layout;

/// The empty workbook a department fills for `year`.
pub fn template(year: FiscalYear) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Book::new(year, None);
    guide::notes(&mut book, year)?;
    parts::cover(&mut book, None, year)?;
    parts::overview(&mut book, None)?;
    tables::template(&mut book)?;
    parts::narrative(&mut book, None)?;
    parts::glossary(&mut book, None)?;
    guide::codes(&mut book, year)?;
    book.finish()
}

/// The workbook of `doc`: the template's sheets filled with its content.
pub fn write(doc: &Document) -> Result<Vec<u8>, WorkbookError> {
    let year = doc.identity.fiscal_year;
    let mut book = Book::new(year, doc.identity.published);
    guide::notes(&mut book, year)?;
    parts::cover(&mut book, Some(doc), year)?;
    parts::overview(&mut book, Some(doc))?;
    tables::filled(&mut book, &doc.tables)?;
    parts::narrative(&mut book, Some(doc))?;
    parts::glossary(&mut book, Some(doc))?;
    guide::codes(&mut book, year)?;
    book.finish()
}

/// The cell formats of the workbook.
pub(crate) struct Formats {
    pub title: Format,
    pub header: Format,
    pub label: Format,
    pub text: Format,
    pub amount: Format,
    pub code: Format,
}

/// A workbook being written.
pub(crate) struct Book {
    pub workbook: Workbook,
    /// The fiscal year whose code catalogs back the code columns.
    pub year: FiscalYear,
    pub f: Formats,
}

impl Book {
    /// A book dated `published`, else 1 January of `year`: the same document always gives
    /// the same bytes (Excel would stamp the time of writing), so republishing an unchanged
    /// disclosure changes nothing.
    fn new(year: FiscalYear, published: Option<NaiveDate>) -> Book {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        let (y, m, d) = published
            .map(|date| (date.year(), date.month(), date.day()))
            .unwrap_or((year.get(), 1, 1));
        let mut workbook = Workbook::new();
        // deflate is most of the time of writing: the fastest level makes files ~1.5× larger
        // (a filled workbook stays well under 100 KB) and saves about half the time
        workbook.set_zip_compression_level(1);
        let created = u16::try_from(y)
            .ok()
            .and_then(|y| ExcelDateTime::from_ymd(y, m as u8, d as u8).ok());
        if let Some(created) = created {
            workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
        }
        Book {
            workbook,
            year,
            f: Formats {
                title: Format::new()
                    .set_bold()
                    .set_font_size(16)
                    .set_align(FormatAlign::Center),
                header: border(
                    Format::new()
                        .set_bold()
                        .set_text_wrap()
                        .set_align(FormatAlign::Center)
                        .set_align(FormatAlign::VerticalCenter)
                        .set_background_color(0xDDEBF7),
                ),
                label: Format::new().set_bold(),
                text: border(Format::new().set_text_wrap().set_num_format("@")),
                amount: border(Format::new().set_num_format("#,##0.00")),
                code: border(Format::new().set_num_format("@")),
            },
        }
    }

    /// Adds a sheet named `name`.
    pub fn sheet(&mut self, name: &str) -> Result<Sheet<'_>, WorkbookError> {
        let ws = self.workbook.add_worksheet();
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            f: &self.f,
            name: name.to_string(),
        })
    }

    fn finish(mut self) -> Result<Vec<u8>, WorkbookError> {
        Ok(self.workbook.save_to_buffer()?)
    }
}

/// One sheet being written, with the book's formats.
pub(crate) struct Sheet<'a> {
    pub ws: &'a mut Worksheet,
    pub f: &'a Formats,
    pub name: String,
}

/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;

impl Sheet<'_> {
    /// A text cell (blank text writes nothing).
    pub fn text(&mut self, row: u32, col: u16, s: &str) -> Result<(), WorkbookError> {
        if s.is_empty() {
            return Ok(());
        }
        let chars = s.chars().count();
        if chars > MAX_CELL_CHARS {
            return Err(WorkbookError::Write(format!(
                "sheet `{}` cell {}: {chars} characters, more than a cell holds ({MAX_CELL_CHARS})",
                self.name,
                crate::error::a1(row, u32::from(col))
            )));
        }
        self.ws
            .write_string_with_format(row, col, s, &self.f.text)?;
        Ok(())
    }

    /// A bold label.
    pub fn label(&mut self, row: u32, col: u16, s: &str) -> Result<(), WorkbookError> {
        self.ws
            .write_string_with_format(row, col, s, &self.f.label)?;
        Ok(())
    }

    /// A code cell, kept as text so that leading digits and length survive.
    pub fn code(&mut self, row: u32, col: u16, s: Option<&str>) -> Result<(), WorkbookError> {
        match s {
            Some(s) => self
                .ws
                .write_string_with_format(row, col, s, &self.f.code)?,
            None => self.ws.write_blank(row, col, &self.f.code)?,
        };
        Ok(())
    }

    /// An amount: a number formatted `#,##0.00` when it is printed with two decimals (as every
    /// table prints), otherwise the printed digits as text, so that the scale survives.
    pub fn amount(&mut self, row: u32, col: u16, a: Option<Amount>) -> Result<(), WorkbookError> {
        match a {
            None => {
                self.ws.write_blank(row, col, &self.f.amount)?;
            }
            Some(a) => match exact_number(a) {
                Some(n) => {
                    self.ws
                        .write_number_with_format(row, col, n, &self.f.amount)?;
                }
                None => {
                    self.ws
                        .write_string_with_format(row, col, a.to_string(), &self.f.amount)?;
                }
            },
        }
        Ok(())
    }

    /// A list validation on `col` from `row` down, from fixed words.
    pub fn list(&mut self, row: u32, col: u16, words: &[&str]) -> Result<(), WorkbookError> {
        let v = DataValidation::new()
            .allow_list_strings(words)?
            .set_error_style(DataValidationErrorStyle::Warning);
        self.ws
            .add_data_validation(row, col, row + layout::VALIDATED_ROWS, col, &v)?;
        Ok(())
    }

    /// A list validation on `col` from `row` down, from a range of the hidden code sheet.
    /// A code missing from the catalog warns but is allowed: an unknown code stays
    /// representable and the validator reports it.
    pub fn code_list(&mut self, row: u32, col: u16, range: &str) -> Result<(), WorkbookError> {
        let v = DataValidation::new()
            .allow_list_formula(Formula::new(format!("='{}'!{range}", layout::CODES)))
            .set_error_style(DataValidationErrorStyle::Warning);
        self.ws
            .add_data_validation(row, col, row + layout::VALIDATED_ROWS, col, &v)?;
        Ok(())
    }

    pub fn widths(&mut self, widths: &[f64]) -> Result<(), WorkbookError> {
        for (i, w) in widths.iter().enumerate() {
            self.ws.set_column_width(i as u16, *w)?;
        }
        Ok(())
    }
}

/// The number a 2-decimal amount is, when a spreadsheet number holds it exactly (shortest
/// printing of the `f64` gives the same digits back).
fn exact_number(a: Amount) -> Option<f64> {
    let v = a.value();
    if v.scale() != 2 || v.abs() >= rust_decimal::Decimal::from(1_000_000_000_000i64) {
        return None;
    }
    v.to_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_two_decimal_amounts_become_numbers() {
        let n = |s: &str| exact_number(s.parse().unwrap());
        assert_eq!(n("5058.98"), Some(5058.98));
        assert_eq!(n("0.10"), Some(0.1));
        assert_eq!(n("500"), None, "scale 0 is kept as text");
        assert_eq!(n("1.5"), None);
        assert_eq!(n("12.345"), None);
    }
}
