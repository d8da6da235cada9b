//! The writer: a document (or nothing, for the template) to an XLSX workbook laid out as
//! [`crate::layout`] says. A [`Book`] collects the sheets ([`package`]); each part of the
//! document has its own module adding its sheets through [`Sheet`] ([`sheet`]).

mod guide;
mod package;
mod parts;
mod sheet;
mod tables;

use budgetflow_model::{Document, FiscalYear};

use crate::error::WorkbookError;
use package::Book;
use sheet::{Sheet, Style};

/// The empty workbook a department fills for `year`.
pub fn template(year: FiscalYear) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Book::new(year, None);
    guide::notes(&mut book)?;
    parts::cover(&mut book, None, year)?;
    parts::overview(&mut book, None)?;
    tables::template(&mut book)?;
    parts::narrative(&mut book, None)?;
    parts::glossary(&mut book, None)?;
    guide::codes(&mut book)?;
    book.finish()
}

/// The workbook of `doc`: the template's sheets filled with its content.
pub fn write(doc: &Document) -> Result<Vec<u8>, WorkbookError> {
    let year = doc.identity.fiscal_year;
    let mut book = Book::new(year, doc.identity.published);
    guide::notes(&mut book)?;
    parts::cover(&mut book, Some(doc), year)?;
    parts::overview(&mut book, Some(doc))?;
    tables::filled(&mut book, &doc.tables)?;
    parts::narrative(&mut book, Some(doc))?;
    parts::glossary(&mut book, Some(doc))?;
    guide::codes(&mut book)?;
    book.finish()
}
