//! The reader: cover, parts, and the checks that turn a cut-off file into a clear error.

use budgetflow_model::lang::excerpt;
use budgetflow_model::{Document, DocumentKind, FiscalYear, GlossaryEntry, Identity, SCHEMA};
use chrono::NaiveDate;

use super::lines::{self, Line};
use super::scan::{self, At, Start};
use super::{overview, sections, tables};
use crate::decode;
use crate::error::{Expected, NotADisclosure, ReadError};
use crate::numerals;

/// Reads a disclosure in the text layout from bytes (UTF-8 or GB18030).
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    read_str(&decode::decode(bytes)?)
}

/// `(\d{4})\s*年`: the year of a title.
fn year(at: At<'_>) -> Option<(At<'_>, &str)> {
    let (end, year) = at.digits(4, 4)?;
    Some((end.spaces().lit("年")?, year))
}

/// `^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$`: a line that is only a date.
fn date_line(text: &str) -> Option<[&str; 3]> {
    let (end, date) = scan::date(At::new(text, 0))?;
    end.rest().is_empty().then_some(date)
}

/// `第二部分 2025 年部门预算公开表` → 2.
pub(crate) fn part_number(text: &str) -> Option<u32> {
    let t = lines::trim(text);
    let rest = t.strip_prefix('第')?;
    let (num, _) = rest.split_once("部分")?;
    numerals::parse(num.trim())
}

/// Reads a disclosure in the text layout.
pub fn read_str(text: &str) -> Result<Document, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let all = lines::split(text)?;
    let mut nonblank = all.iter().filter(|l| !l.is_blank());
    let department_line = nonblank.next().ok_or(ReadError::Empty)?;
    let not_a_disclosure =
        |line: usize, reason: NotADisclosure| ReadError::NotADisclosure { line, reason };
    let title_line = nonblank
        .next()
        .ok_or_else(|| not_a_disclosure(department_line.no, NotADisclosure::NoTitle))?;
    let department = department_line.trimmed().to_string();
    if department.is_row() {
        return Err(not_a_disclosure(
            department_line.no,
            NotADisclosure::RowInsteadOfDepartment,
        ));
    }
    let title = title_line.trimmed().to_string();
    let year = scan::find(&title, Start::Digit, year)
        .and_then(|y| y.parse::<i32>().ok())
        .ok_or_else(|| {
            not_a_disclosure(
                title_line.no,
                NotADisclosure::NoYear(excerpt(&title).into_owned()),
            )
        })?;
    let fiscal_year = FiscalYear::new(year).map_err(|_| {
        not_a_disclosure(
            title_line.no,
            NotADisclosure::ImpossibleYear(year.to_string()),
        )
    })?;
    let kind = DocumentKind::from_title(&title).ok_or_else(|| {
        not_a_disclosure(
            title_line.no,
            NotADisclosure::NoKind(excerpt(&title).into_owned()),
        )
    })?;

    // body: after the table of contents, if there is one
    let mut body_start = title_line.no; // index of the line after the title
    if let Some(toc) = all
        .iter()
        .position(|l| l.text.len() <= 16 && lines::same_label(l.text, "目录"))
    {
        let toc_end = all[toc..]
            .iter()
            .position(|l| part_number(l.text) == Some(4))
            .map(|p| toc + p + 1);
        body_start = toc_end.unwrap_or(all.len());
    }
    let body = &all[body_start.min(all.len())..];
    let mut parts: Vec<(u32, usize)> = body
        .iter()
        .enumerate()
        .filter_map(|(i, l)| part_number(l.text).map(|n| (n, i)))
        .collect();
    parts.dedup_by_key(|(n, _)| *n);
    let part = |n: u32| -> &[Line<'_>] {
        match parts.iter().position(|(p, _)| *p == n) {
            Some(k) => {
                let start = parts[k].1 + 1;
                let end = parts.get(k + 1).map(|p| p.1).unwrap_or(body.len());
                &body[start..end]
            }
            None => &[],
        }
    };

    check_not_cut_off(text, &all)?;

    let mut overview = overview::read(part(1));
    // the tables need the units the overview lists; the narrative is derived once it is read
    crate::derive::overview(&mut overview);
    let (glossary, signature, published) = glossary(part(4));

    let mut doc = Document {
        schema: SCHEMA.to_string(),
        identity: Identity {
            department,
            fiscal_year,
            kind,
            title,
            published,
            signature,
        },
        overview,
        tables: Default::default(),
        narrative: Default::default(),
        other_matters: Default::default(),
        glossary,
        template: None,
    };
    tables::read(part(2), &mut doc)?;
    doc.narrative = sections::read(part(3))?;
    crate::derive::narrative(&mut doc);
    Ok(doc)
}

trait IsRow {
    fn is_row(&self) -> bool;
}
impl IsRow for String {
    fn is_row(&self) -> bool {
        self.contains('\t')
    }
}

/// A file that stops in the middle of a table row (no final newline, last line a row) was cut
/// off in transfer; reading on would silently drop the rest.
fn check_not_cut_off(text: &str, all: &[Line<'_>]) -> Result<(), ReadError> {
    if text.ends_with('\n') {
        return Ok(());
    }
    match all.iter().rev().find(|l| !l.is_blank()) {
        Some(last) if last.is_row() => Err(ReadError::layout(
            last.no,
            "文件末尾",
            Expected::RestOfDocument,
            last.text.trim(),
        )),
        _ => Ok(()),
    }
}

fn glossary(lines: &[Line<'_>]) -> (Vec<GlossaryEntry>, Option<String>, Option<NaiveDate>) {
    let mut entries: Vec<GlossaryEntry> = Vec::new();
    let mut trailing: Vec<String> = Vec::new();
    for l in lines.iter().filter(|l| !l.is_blank()) {
        let t = l.trimmed();
        if let Some((number, rest)) = t
            .split_once('、')
            .and_then(|(n, r)| numerals::parse(n.trim()).map(|n| (n, r.trim())))
        {
            for extra in trailing.drain(..) {
                if let Some(last) = entries.last_mut() {
                    last.definition.push('\n');
                    last.definition.push_str(&extra);
                }
            }
            let (term, definition) = if let Some(bold) = rest.strip_prefix("**") {
                match bold.split_once("**") {
                    Some((term, def)) => (term.trim(), def),
                    None => (bold.trim(), ""),
                }
            } else {
                match rest.find(['：', ':']) {
                    Some(i) => (rest[..i].trim(), &rest[i..]),
                    None => (rest, ""),
                }
            };
            let definition = definition
                .trim_start()
                .trim_start_matches(['：', ':'])
                .trim()
                .to_string();
            entries.push(GlossaryEntry {
                number,
                term: term.to_string(),
                definition,
            });
        } else {
            trailing.push(t.to_string());
        }
    }
    let mut published = None;
    if let Some(last) = trailing.last() {
        if let Some([y, m, d]) = date_line(last) {
            published = NaiveDate::from_ymd_opt(
                y.parse().unwrap_or(0),
                m.parse().unwrap_or(0),
                d.parse().unwrap_or(0),
            );
            if published.is_some() {
                trailing.pop();
            }
        }
    }
    let signature = trailing.pop();
    for extra in trailing {
        if let Some(last) = entries.last_mut() {
            last.definition.push('\n');
            last.definition.push_str(&extra);
        }
    }
    (entries, signature, published)
}

#[cfg(test)]
mod tests {
    use super::scan::tests::{phrase_text, regex_captures};
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn years_and_dates_are_found_as_the_patterns_found_them(
            text in phrase_text(&["2025", "20255", "年", "月", "日", "部门预算", "1", "12"])
        ) {
            let years: Vec<Vec<Option<&str>>> = scan::find_iter(&text, Start::Digit, year)
                .map(|y| vec![Some(y)])
                .collect();
            prop_assert_eq!(years, regex_captures(r"(\d{4})\s*年", &text));
            let date: Vec<Vec<Option<&str>>> = date_line(&text)
                .map(|d| d.iter().map(|s| Some(*s)).collect())
                .into_iter()
                .collect();
            prop_assert_eq!(
                date,
                regex_captures(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$", &text)
            );
        }
    }
}
