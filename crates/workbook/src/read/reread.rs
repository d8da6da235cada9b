//! The words of the workbook must come back from the text reader as the same words: a paragraph
//! that starts like a sub-heading (`（一）…`) or a cell with a line break would otherwise be
//! silently read as something else. These checks compare what the sheets said with what was
//! derived and name the first cell that changed meaning.

use budgetflow_model::lang::excerpt;
use budgetflow_model::narrative::Block;
use budgetflow_model::performance::{normalise, Indicator};
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

/// The paragraphs of one part of 部门概况 came back one for one.
pub(super) fn overview(written: &Paragraphs, derived: &[String]) -> Result<(), WorkbookError> {
    for (i, (row, text)) in written.iter().enumerate() {
        if derived.get(i).map(|d| d.trim()) != Some(text.trim()) {
            return Err(changed(layout::OVERVIEW, *row, 1, text));
        }
    }
    match (derived.len() > written.len(), written.last()) {
        (true, Some((row, text))) => Err(changed(layout::OVERVIEW, *row, 1, text)),
        _ => Ok(()),
    }
}

/// The same block, as far as the sheet states it: kind, heading number and title, paragraph
/// text, project number and name, target table and its indicators.
fn same(a: &Block, b: &Block) -> bool {
    match (a, b) {
        (Block::Heading(x), Block::Heading(y)) => {
            x.number == y.number && x.title.trim() == y.title.trim()
        }
        (Block::Paragraph(x), Block::Paragraph(y)) => x.text.trim() == y.text.trim(),
        (Block::Project(x), Block::Project(y)) => x.number == y.number && x.name == y.name,
        (Block::DepartmentTargets(x), Block::DepartmentTargets(y)) => {
            x.department.trim() == y.department.trim()
                && same_indicators(&x.indicators, &y.indicators)
        }
        (Block::ProjectTargets(x), Block::ProjectTargets(y)) => {
            x.project.trim() == y.project.trim() && same_indicators(&x.indicators, &y.indicators)
        }
        _ => false,
    }
}

/// As many indicators, each with the same 三级指标 and 指标值 (a tab or line break inside a cell
/// would shift or split a row).
fn same_indicators(a: &[Indicator], b: &[Indicator]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.level3.trim() == y.level3.trim()
                && normalise(&x.target.raw) == normalise(&y.target.raw)
        })
}

fn block_text(b: &Block) -> &str {
    match b {
        Block::Heading(h) => &h.title,
        Block::Paragraph(p) => &p.text,
        Block::Project(p) => p.name.as_str(),
        Block::DepartmentTargets(t) => &t.department,
        Block::ProjectTargets(t) => &t.project,
    }
}

/// Sections and blocks of 情况说明 came back one for one.
pub(super) fn narrative(
    written: &Narrative,
    rows: &SectionRows,
    derived: &Narrative,
) -> Result<(), WorkbookError> {
    let sheet = layout::NARRATIVE;
    for (i, (s, (row, block_rows))) in written.sections.iter().zip(rows).enumerate() {
        let Some(d) = derived.sections.get(i) else {
            return Err(changed(sheet, *row, 2, &s.title));
        };
        if d.number != s.number || d.title.trim() != s.title.trim() {
            return Err(changed(sheet, *row, 2, &s.title));
        }
        for (j, (b, r)) in s.blocks.iter().zip(block_rows).enumerate() {
            if !d.blocks.get(j).is_some_and(|x| same(b, x)) {
                return Err(changed(sheet, *r, 2, block_text(b)));
            }
        }
        if d.blocks.len() > s.blocks.len() {
            let r = block_rows.last().unwrap_or(row);
            let text = s.blocks.last().map(block_text).unwrap_or(&s.title);
            return Err(changed(sheet, *r, 2, text));
        }
    }
    if derived.sections.len() > written.sections.len() {
        if let (Some(s), Some((row, block_rows))) = (written.sections.last(), rows.last()) {
            let r = block_rows.last().unwrap_or(row);
            let text = s.blocks.last().map(block_text).unwrap_or(&s.title);
            return Err(changed(sheet, *r, 2, text));
        }
    }
    Ok(())
}
