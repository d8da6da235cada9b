//! The writer: a document (or nothing, for the template) to an XLSX workbook laid out as
//! [`crate::layout`] says. A [`Book`] collects the sheets ([`package`]); each part of the
//! document has its own module adding its sheets through [`Sheet`] ([`sheet`]).
//!
//! A filled workbook comes in two [`Form`]s. The department's own ([`write`], what `budgetflow
//! export` gives back) holds every text exactly as typed, so that `read(write(doc)) == doc`.
//! The public one ([`write_public`], published beside the page) has every text cell that a
//! spreadsheet could take for a formula neutralised ([`formulas`]) and says so on its
//! instructions sheet; its amounts and codes are the same.

pub(crate) mod formulas;
mod guide;
mod package;
mod parts;
mod sheet;
mod tables;

use budgetflow_model::{Document, FiscalYear};

use crate::error::WorkbookError;
use package::Book;
use sheet::{Sheet, Style};

pub use formulas::{neutralised, FORMULA_TRIGGERS};

/// Who a filled workbook is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// The department's template or export: every text as typed.
    Department,
    /// The public download: text cells beginning like a formula get a `'` in front.
    Public,
}

/// The empty workbook a department fills for `year`.
pub fn template(year: FiscalYear) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Book::new(year, None, Form::Department);
    guide::notes(&mut book)?;
    parts::cover(&mut book, None, year)?;
    parts::overview(&mut book, None)?;
    tables::template(&mut book)?;
    parts::narrative(&mut book, None)?;
    parts::glossary(&mut book, None)?;
    guide::codes(&mut book)?;
    book.finish()
}

/// The department's workbook of `doc`: the template's sheets filled with its content, every
/// text as typed (`read(write(doc)) == doc`).
pub fn write(doc: &Document) -> Result<Vec<u8>, WorkbookError> {
    filled(doc, Form::Department)
}

/// The public workbook of `doc` (pass the public form of the document): the same sheets,
/// with every text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
/// prefixed with `'` so that no spreadsheet runs it ([`neutralised`]); amounts stay numbers.
pub fn write_public(doc: &Document) -> Result<Vec<u8>, WorkbookError> {
    filled(doc, Form::Public)
}

fn filled(doc: &Document, form: Form) -> Result<Vec<u8>, WorkbookError> {
    // the sheets are the standard template's: another template's columns, lines and pages
    // would be dropped, and `read(write(doc)) == doc` broken, without a word
    if let Some(template) = &doc.template {
        return Err(WorkbookError::OtherTemplate(template.name.clone()));
    }
    let year = doc.identity.fiscal_year;
    let mut book = Book::new(year, doc.identity.published, form);
    guide::notes(&mut book)?;
    parts::cover(&mut book, Some(doc), year)?;
    parts::overview(&mut book, Some(doc))?;
    tables::filled(&mut book, &doc.tables)?;
    parts::narrative(&mut book, Some(doc))?;
    parts::glossary(&mut book, Some(doc))?;
    guide::codes(&mut book)?;
    book.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::{read, Limits};

    fn sample() -> Document {
        budgetflow_formats::text::read_str(include_str!("../../../../samples/urumqi-miit-2025.txt"))
            .expect("the sample reads")
    }

    /// Every XML part of a workbook, by path.
    fn parts(bytes: &[u8]) -> Vec<(String, String)> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
        (0..zip.len())
            .map(|i| {
                let mut entry = zip.by_index(i).expect("an entry");
                let mut xml = String::new();
                entry.read_to_string(&mut xml).expect("UTF-8 XML");
                (entry.name().expect("a name").to_string(), xml)
            })
            .collect()
    }

    /// The sample with formula-like words in a glossary term and a paragraph, and a negative
    /// two-decimal amount in 表3.
    fn with_formulas() -> Document {
        let mut doc = sample();
        doc.glossary[0].term = "=HYPERLINK(\"http://example.invalid\")".into();
        doc.overview.functions_text[0] = "-1+1".into();
        let total = &mut doc.tables.expenditure.as_mut().unwrap().rows[0]
            .amounts
            .total;
        *total = Some("-12.50".parse().unwrap());
        doc
    }

    #[test]
    fn the_public_workbook_quotes_formula_like_text_and_keeps_amounts_numbers() {
        let doc = with_formulas();
        let parts = parts(&write_public(&doc).unwrap());
        let strings = &parts
            .iter()
            .find(|(path, _)| path == "xl/sharedStrings.xml")
            .unwrap()
            .1;
        assert!(
            strings.contains("<t>'=HYPERLINK(\"http://example.invalid\")</t>"),
            "{strings}"
        );
        assert!(strings.contains("<t>'-1+1</t>"));
        assert!(!strings.contains("<t>=") && !strings.contains("<t>-1+1"));
        assert!(
            parts.iter().any(|(_, xml)| xml.contains("<v>-12.5</v>")),
            "the negative amount is a number"
        );
        for (path, xml) in &parts {
            assert!(!xml.contains("<f>") && !xml.contains("<f "), "{path}");
        }
        let notes = &parts
            .iter()
            .find(|(path, _)| path == "xl/worksheets/sheet1.xml")
            .unwrap()
            .1;
        assert!(
            notes.contains("本工作簿为公开版"),
            "the instructions say so"
        );
        // the public workbook still reads: its tables are the document's
        let back = read(&write_public(&doc).unwrap(), &Limits::default()).unwrap();
        assert_eq!(back.tables, doc.tables);
        assert_eq!(back.glossary[0].term, format!("'{}", doc.glossary[0].term));
    }

    #[test]
    fn the_departments_workbook_keeps_every_text_as_typed() {
        let doc = with_formulas();
        let bytes = write(&doc).unwrap();
        let parts = parts(&bytes);
        let strings = &parts
            .iter()
            .find(|(path, _)| path == "xl/sharedStrings.xml")
            .unwrap()
            .1;
        assert!(strings.contains("<t>=HYPERLINK(\"http://example.invalid\")</t>"));
        assert!(!parts[0].1.contains("本工作簿为公开版") && !strings.contains("公开版"));
        for (path, xml) in &parts {
            assert!(!xml.contains("<f>") && !xml.contains("<f "), "{path}");
        }
        // what the department typed comes back as typed (the overview's derived lists follow
        // the changed paragraph, so the round trip is compared field by field)
        let back = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(back.glossary, doc.glossary);
        assert_eq!(back.overview.functions_text, doc.overview.functions_text);
        assert_eq!(back.tables, doc.tables);
        assert!(read(&write(&sample()).unwrap(), &Limits::default()).unwrap() == sample());
    }
}
