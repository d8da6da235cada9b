//! The reader: a filled workbook back into a [`Document`].
//!
//! The bytes pass the zip-bomb guard ([`crate::limits`]) and the XML checks ([`markup`])
//! before calamine sees them; each sheet is streamed and held to the template's shape
//! ([`shape`]) before its grid is built. Identity is read cell by cell; tables 1–11 are cut
//! into layout tables and built by the 11-table template's profile, as the text export's are
//! ([`tables`]). The explanation parts (overview paragraphs, sections,
//! projects, target tables, glossary) are read into the model's text fields, and what those
//! words state — the statements of each paragraph, allocations and periods of projects, parsed
//! target values, staffing, section 十二's facts — is derived as for every other source
//! ([`budgetflow_formats::derive`]), so a workbook and a text export of the same disclosure give
//! the same document. Words the text layout would read back as something else are refused at
//! their cell ([`reread`]), so that the text export of what a workbook says reads back as it.

mod grid;
mod markup;
mod parts;
mod reread;
mod shape;
mod tables;

use std::io::Cursor;

use budgetflow_model::other_matters::OtherMatters;
use budgetflow_model::overview::Overview;
use budgetflow_model::tables::Tables;
use budgetflow_model::{Document, Narrative, SCHEMA};
use calamine::{Reader, Xlsx};

use crate::error::WorkbookError;
use crate::layout;
use crate::limits::{self, Limits};
use grid::Grid;

/// The sheets of an opened workbook.
pub(crate) struct Sheets<'a> {
    book: Xlsx<Cursor<&'a [u8]>>,
    names: Vec<String>,
    limits: &'a Limits,
}

impl<'a> Sheets<'a> {
    fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<Sheets<'a>, WorkbookError> {
        let book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e: calamine::XlsxError| WorkbookError::not_a_workbook(e))?;
        let names = book.sheet_names();
        Ok(Sheets {
            book,
            names,
            limits,
        })
    }

    /// The sheet `name`, if the workbook has it.
    pub fn optional(&mut self, name: &str) -> Result<Option<Grid>, WorkbookError> {
        if !self.names.iter().any(|n| n == name) {
            return Ok(None);
        }
        let range = shape::range(&mut self.book, name, self.limits)?;
        Ok(Some(Grid::new(name, range)))
    }

    /// The sheet `name`; its absence is an error.
    pub fn required(&mut self, name: &str) -> Result<Grid, WorkbookError> {
        self.optional(name)?
            .ok_or_else(|| WorkbookError::MissingSheet {
                sheet: name.to_string(),
            })
    }
}

/// Reads a filled workbook. The empty template is refused with
/// [`WorkbookError::NothingFilled`].
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, WorkbookError> {
    limits::check(bytes, limits)?;
    markup::check(bytes, limits)?;
    let mut sheets = Sheets::open(bytes, limits)?;
    let identity = parts::cover(&sheets.required(layout::COVER)?)?;
    let mut doc = Document {
        schema: SCHEMA.to_string(),
        identity,
        overview: Overview::default(),
        tables: Tables::default(),
        narrative: Narrative::default(),
        other_matters: OtherMatters::default(),
        glossary: Vec::new(),
        template: None,
    };
    tables::read(&mut sheets, &mut doc)?;
    let (functions_text, organisation_text) = parts::overview(&sheets.required(layout::OVERVIEW)?)?;
    let (sections, section_rows) = parts::narrative(&mut sheets)?;
    let glossary = parts::glossary(&sheets.required(layout::GLOSSARY)?)?;
    reread::overview(&functions_text)?;
    reread::overview(&organisation_text)?;
    let narrative = Narrative { sections };
    reread::narrative(&narrative, &section_rows)?;
    doc.overview = Overview {
        functions_text: functions_text.into_iter().map(|(_, p)| p).collect(),
        organisation_text: organisation_text.into_iter().map(|(_, p)| p).collect(),
        ..Overview::default()
    };
    doc.narrative = narrative;
    doc.glossary = glossary;
    budgetflow_formats::derive::derive(&mut doc);
    Ok(doc)
}

/// Reads a workbook file (its size is checked before it is loaded).
pub fn read_path(path: &std::path::Path, limits: &Limits) -> Result<Document, WorkbookError> {
    let io = |source| WorkbookError::Io {
        path: path.display().to_string(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > limits.max_compressed_bytes {
        return Err(WorkbookError::TooLarge {
            size,
            limit: limits.max_compressed_bytes,
        });
    }
    read(&std::fs::read(path).map_err(io)?, limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(doc: &Document) -> usize {
        doc.narrative
            .sections
            .iter()
            .flat_map(|s| s.statements())
            .count()
    }

    /// A workbook of the sample holds the words only; read back, it states what the text
    /// reader derives from the sample's text: the same statements, allocations, periods,
    /// target values, overview structure and other matters.
    #[test]
    fn a_workbook_of_the_sample_derives_what_its_text_export_states() {
        let text = budgetflow_formats::text::read_str(include_str!(
            "../../../../samples/urumqi-miit-2025.txt"
        ))
        .expect("the sample reads");
        let workbook = read(&crate::write(&text).expect("written"), &Limits::default())
            .expect("the workbook reads");
        assert!(statements(&workbook) > 80, "{}", statements(&workbook));
        assert_eq!(workbook.narrative, text.narrative);
        assert_eq!(workbook.overview, text.overview);
        assert_eq!(workbook.other_matters, text.other_matters);
    }

    /// The same for synthetic departments, whose derived fields synth fills by the same
    /// derivation.
    #[test]
    fn a_workbook_of_a_synthetic_department_derives_what_synth_derived() {
        for index in 0..6 {
            let doc = budgetflow_synth::document(31, index);
            let workbook = read(&crate::write(&doc).expect("written"), &Limits::default())
                .expect("the workbook reads");
            assert_eq!(workbook.narrative, doc.narrative, "department {index}");
            assert_eq!(workbook.overview, doc.overview, "department {index}");
            assert_eq!(
                workbook.other_matters, doc.other_matters,
                "department {index}"
            );
        }
    }
}
