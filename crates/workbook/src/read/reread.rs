//! The words of the workbook must read back as the same words from the text export of the
//! document: a paragraph that starts like a sub-heading (`（一）…`) would be written as a line
//! the text reader takes for a sub-heading, and the export would silently say something else.
//! These checks ask the text layout's own tests ([`budgetflow_formats::text::reads_back`])
//! of every paragraph and heading, and name the first cell that would change meaning.

use budgetflow_formats::text::reads_back;
use budgetflow_model::lang::excerpt;
use budgetflow_model::narrative::Block;
use budgetflow_model::Narrative;

use super::parts::{Paragraphs, SectionRows};
use crate::error::{a1, WorkbookError};
use crate::layout;

fn changed(sheet: &str, row: u32, col: u32, found: &str) -> WorkbookError {
    WorkbookError::Reread {
        sheet: sheet.to_string(),
        cell: a1(row, col),
        found: excerpt(found).into_owned(),
    }
}

/// Every paragraph of one part of 部门概况 reads back as itself, one for one.
pub(super) fn overview(written: &Paragraphs) -> Result<(), WorkbookError> {
    let mut previous: Option<&str> = None;
    for (row, text) in written {
        if !reads_back::overview_paragraph(previous, text) {
            return Err(changed(layout::OVERVIEW, *row, 1, text));
        }
        previous = Some(text);
    }
    Ok(())
}

/// Every section heading, sub-heading and paragraph of 情况说明 reads back as itself.
pub(super) fn narrative(written: &Narrative, rows: &SectionRows) -> Result<(), WorkbookError> {
    let sheet = layout::NARRATIVE;
    for (s, (row, block_rows)) in written.sections.iter().zip(rows) {
        if !reads_back::section_heading_reads_back(s.number, &s.title) {
            return Err(changed(sheet, *row, 2, &s.title));
        }
        let mut after: Option<&Block> = None;
        for (b, r) in s.blocks.iter().zip(block_rows) {
            let (fine, text) = match b {
                Block::Heading(h) => (
                    reads_back::sub_heading_reads_back(h.number, &h.title),
                    &h.title,
                ),
                Block::Paragraph(p) => (reads_back::section_paragraph(after, &p.text), &p.text),
                Block::Project(_) | Block::DepartmentTargets(_) | Block::ProjectTargets(_) => {
                    (true, &s.title)
                }
            };
            if !fine {
                return Err(changed(sheet, *r, 2, text));
            }
            after = Some(b);
        }
    }
    Ok(())
}
