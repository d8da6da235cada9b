//! 第三部分 情况说明: numbered sections, their sub-headings, paragraphs, the project
//! descriptions of section 七 and the target tables of section 十二 — as printed: what they
//! state is derived afterwards ([`crate::derive`]).

use budgetflow_model::narrative::{Block, Heading, Narrative, Paragraph, Section, SectionTopic};

use super::lines::{same_label, squeeze, trim, Line};
use super::projects;
use super::targets::{self, TargetTable};
use crate::error::ReadError;
use crate::numerals;

/// `十一、关于…` → (11, `关于…`).
pub(crate) fn section_heading(text: &str) -> Option<(u32, &str)> {
    let t = trim(text);
    // a heading starts with a Chinese numeral: most lines are ruled out by their first character
    if !t.starts_with(numerals::is_digit_char) {
        return None;
    }
    let (num, rest) = t.split_once('、')?;
    let n = numerals::parse(trim(num))?;
    Some((n, trim(rest)))
}

/// `（二）政府采购情况` → (2, `政府采购情况`).
pub(crate) fn sub_heading(text: &str) -> Option<(u32, String)> {
    let t = trim(text);
    let rest = t.strip_prefix('（').or_else(|| t.strip_prefix('('))?;
    let close = rest.find(['）', ')'])?;
    let n = numerals::parse(trim(&rest[..close]))?;
    let title = trim(rest[close..].trim_start_matches(['）', ')']));
    (!title.is_empty()).then(|| (n, title.to_string()))
}

/// A paragraph as printed; its statements are derived afterwards (`crate::derive`), as for
/// every source.
fn paragraph(text: &str) -> Block {
    Block::Paragraph(Paragraph {
        text: text.to_string(),
        statements: Vec::new(),
        page: None,
    })
}

/// Reads the lines after `第三部分 …情况说明`.
pub(crate) fn read(lines: &[Line<'_>]) -> Result<Narrative, ReadError> {
    let starts: Vec<(usize, u32, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| section_heading(l.text).map(|(n, t)| (i, n, t)))
        .collect();
    let mut sections = Vec::with_capacity(starts.len());
    for (k, (i, number, title)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map(|s| s.0).unwrap_or(lines.len());
        let body = &lines[i + 1..end];
        let topic = SectionTopic::from_title(title);
        let blocks = if topic == Some(SectionTopic::Projects) {
            project_blocks(body)?
        } else {
            blocks(body)?
        };
        sections.push(Section {
            number: *number,
            topic,
            title: title.to_string(),
            blocks,
        });
    }
    Ok(Narrative { sections })
}

fn project_blocks(body: &[Line<'_>]) -> Result<Vec<Block>, ReadError> {
    let mut out = Vec::new();
    for piece in projects::read(body)? {
        match piece {
            projects::Piece::Project(p) => out.push(Block::Project(p)),
            projects::Piece::Other(i) => out.extend(blocks(&body[i..=i])?),
        }
    }
    Ok(out)
}

fn blocks(body: &[Line<'_>]) -> Result<Vec<Block>, ReadError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let l = body[i];
        i += 1;
        if l.is_blank() {
            continue;
        }
        let is_title = l.text.len() <= 40
            && (same_label(l.text, targets::DEPARTMENT_TITLE)
                || same_label(l.text, targets::PROJECT_TITLE));
        if is_title {
            let key = squeeze(l.text);
            let start = i - 1;
            // the year line, then the rows; the table ends at the first text line after its rows
            let mut seen_row = false;
            let mut seen_year = false;
            while i < body.len() {
                let n = body[i];
                if n.is_row() {
                    seen_row = true;
                } else if !n.is_blank() {
                    if seen_row || seen_year {
                        break;
                    }
                    seen_year = true;
                }
                i += 1;
            }
            match targets::read(&key, &body[start..i])? {
                TargetTable::Department(t) => out.push(Block::DepartmentTargets(t)),
                TargetTable::Project(t) => out.push(Block::ProjectTargets(t)),
            }
            continue;
        }
        if let Some((number, title)) = sub_heading(l.text) {
            out.push(Block::Heading(Heading { number, title }));
            continue;
        }
        out.push(paragraph(l.trimmed()));
    }
    Ok(out)
}
