//! 第二部分: tables 1–11, read into the neutral layout's tables; the 11-table template's
//! profile (`crates/formats/profiles/standard-eleven.toml`) then builds the model from them,
//! as a PDF's profile does from a PDF's tables ([`crate::profile::read_tables`]).
//!
//! What is peculiar to the text export stays here. A table is found by its caption (`表 1` /
//! `表2`) and named by the title on the next line. Its header block ends with the
//! column-number row (`※ ※ ※ ※ 1 2 3 …`), whose numbers name the amount columns (`#1`, `#2`…);
//! the header labels above name the label columns (a header label can sit a column off in the
//! export, a number cannot). Header blocks repeated after a page break, and the repeated
//! `编制部门`/`单位` lines, are skipped; other text under a table is a note. A row is refused,
//! with its line, when it prints an amount beyond the table's columns or stops before its
//! amount columns.

use budgetflow_layout::{Column, Field, Note, Place, Row as LayoutRow, Table};
use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::{Document, MoneyUnit, TableKind};

use super::lines::{label_matches, trim, Line, Row};
use crate::error::{Expected, ReadError};
use crate::limits::MAX_TABLE_ROWS;
use crate::profile::{self, Profile, TableProfile, STANDARD_ELEVEN};

/// Reads the lines of 第二部分 into the document's tables. The overview is read already: 表11
/// tells unit rows by the units it names.
pub(crate) fn read(lines: &[Line<'_>], doc: &mut Document) -> Result<(), ReadError> {
    let profile = profile::by_id(STANDARD_ELEVEN).ok_or(ReadError::ProfileUnavailable {
        id: STANDARD_ELEVEN,
    })?;
    let tables = chunks(lines)
        .into_iter()
        .map(|chunk| Chunk::parse(chunk)?.into_table(profile))
        .collect::<Result<Vec<_>, _>>()?;
    profile::read_tables(profile, &tables, doc)
}

/// The caption number of a line such as `表 1` or `表2`.
pub(crate) fn caption_number(text: &str) -> Option<u32> {
    let t = trim(text);
    let rest = trim(t.strip_prefix('表')?);
    (!rest.is_empty() && rest.len() <= 3 && rest.bytes().all(|b| b.is_ascii_digit()))
        .then(|| rest.parse().ok())
        .flatten()
}

/// The lines of each table, from its caption to the next caption (borrowed, not copied).
fn chunks<'l, 'a>(lines: &'l [Line<'a>]) -> Vec<&'l [Line<'a>]> {
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| caption_number(l.text).is_some())
        .map(|(i, _)| i)
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &start)| &lines[start..starts.get(k + 1).copied().unwrap_or(lines.len())])
        .collect()
}

/// One table's lines, sorted into caption, title, meta lines, rows and notes.
struct Chunk<'a> {
    number: u32,
    caption_line: usize,
    title: String,
    compiler: Option<String>,
    unit: Option<MoneyUnit>,
    notes: Vec<String>,
    rows: Vec<Row<'a>>,
}

impl<'a> Chunk<'a> {
    fn parse(lines: &[Line<'a>]) -> Result<Chunk<'a>, ReadError> {
        let caption = lines[0];
        let number = caption_number(caption.text).unwrap_or(0);
        let mut iter = lines[1..].iter().filter(|l| !l.is_blank());
        let title = iter.clone().find(|l| !l.is_row()).copied();
        let (title, title_line) = match title {
            Some(t) => (t.trimmed().to_string(), t.no),
            None => {
                return Err(ReadError::layout(
                    caption.no,
                    format!("表{number}"),
                    Expected::TableTitle,
                    "",
                ))
            }
        };
        let mut chunk = Chunk {
            number,
            caption_line: caption.no,
            title,
            compiler: None,
            unit: None,
            notes: Vec::new(),
            // a row per line at most: sized once rather than grown by doubling
            rows: Vec::with_capacity(lines.len().min(MAX_TABLE_ROWS)),
        };
        for l in iter.by_ref() {
            if l.no == title_line {
                continue;
            }
            if l.is_row() {
                if chunk.rows.len() == MAX_TABLE_ROWS {
                    return Err(ReadError::layout(
                        l.no,
                        format!("表{number}"),
                        Expected::AtMostRows(MAX_TABLE_ROWS),
                        l.text,
                    ));
                }
                chunk.rows.push(l.row()?);
                continue;
            }
            let t = l.trimmed();
            if let Some(c) = t
                .strip_prefix("编制部门：")
                .or_else(|| t.strip_prefix("编制部门:"))
                .or_else(|| t.strip_prefix("编制单位："))
            {
                chunk.compiler.get_or_insert_with(|| c.trim().to_string());
            } else if let Some(u) = t.strip_prefix("单位：").or_else(|| t.strip_prefix("单位:"))
            {
                let unit = MoneyUnit::from_label(u).ok_or_else(|| {
                    ReadError::layout(l.no, format!("表{number} 单位"), Expected::UnitLine, t)
                })?;
                match chunk.unit {
                    Some(first) if first != unit => {
                        return Err(ReadError::layout(
                            l.no,
                            format!("表{number} 单位（续页）"),
                            Expected::SameUnit(first.label()),
                            u.trim(),
                        ))
                    }
                    _ => chunk.unit = Some(unit),
                }
            } else {
                chunk.notes.push(t.to_string());
            }
        }
        Ok(chunk)
    }

    /// The table as the layout has it, with the profile's table it is: a table the profile
    /// knows gets its columns (header labels, and the printed column numbers) and its body
    /// rows; another keeps every row as printed, header rows included.
    fn into_table(self, profile: &Profile) -> Result<(Table, Option<&TableProfile>), ReadError> {
        let caption = format!("表{} {}", self.number, self.title);
        let table = profile.table_titled(&caption);
        let (columns, body) = match table {
            Some(t) => self.grid(t.kind, &caption)?,
            None => (
                Vec::new(),
                self.rows.iter().map(|r| layout_row(r, None)).collect(),
            ),
        };
        let read = Table {
            caption,
            page: 0,
            place: Some(Place::Line(line_number(self.caption_line))),
            compiler: self.compiler.map(|value| Field {
                label: "编制部门".into(),
                value,
            }),
            unit: self.unit.map(|u| Field {
                label: "单位".into(),
                value: u.label().into(),
            }),
            columns,
            rows: body,
            notes: self
                .notes
                .into_iter()
                .map(|text| Note { text, page: 0 })
                .collect(),
        };
        Ok((read, table))
    }

    /// The columns (from the first header block) and the body rows (every later header block
    /// skipped) of a table of `kind`.
    fn grid(
        &self,
        kind: TableKind,
        caption: &str,
    ) -> Result<(Vec<Column>, Vec<LayoutRow>), ReadError> {
        let numbered = needs_numbering(kind);
        let mut header: Vec<&Row<'a>> = Vec::new();
        let mut numbers: Option<&Row<'a>> = None;
        let mut body: Vec<&Row<'a>> = Vec::with_capacity(self.rows.len());
        // in a numbered table, everything above the numbering row is header
        let mut in_header = numbered;
        for r in &self.rows {
            let cells = &r.cells;
            if cells.first() == Some(&"※") {
                numbers.get_or_insert(r);
                in_header = false;
                continue;
            }
            let is_header = in_header || is_header_row(cells, kind, numbered);
            if is_header {
                if body.is_empty() && numbers.is_none() {
                    header.push(r);
                }
                // a header repeated after a page break runs to its numbering row
                in_header = numbered;
                continue;
            }
            body.push(r);
        }
        let at_caption =
            |expected| ReadError::layout(self.caption_line, caption, expected, self.title.as_str());
        if numbered && numbers.is_none() && !self.rows.is_empty() {
            return Err(at_caption(Expected::NumberingRow));
        }
        if header.is_empty() && !body.is_empty() {
            return Err(at_caption(Expected::ColumnHeader));
        }
        let width = header
            .iter()
            .chain(&numbers)
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0);
        let columns = column_paths(&header, numbers, width);
        // where the numbering row says the amounts start: a row that stops before is cut off
        let amounts_from = numbers.and_then(|n| n.cells.iter().position(|c| *c == "1"));
        let amount_columns = numbers.map_or(width, |n| {
            n.cells.iter().filter(|c| c.parse::<u32>().is_ok()).count()
        });
        let mut rows = Vec::with_capacity(body.len());
        for r in body {
            if let Some(start) = amounts_from {
                if r.cells.len() <= start {
                    return Err(ReadError::layout(
                        r.line.no,
                        caption,
                        Expected::AmountsAfterLabels(start),
                        r.line.text.trim(),
                    ));
                }
            }
            if let Some(extra) = r.cells.iter().skip(width).find(|c| !c.is_empty()) {
                return Err(ReadError::layout(
                    r.line.no,
                    caption,
                    Expected::AmountColumns(amount_columns),
                    *extra,
                ));
            }
            rows.push(layout_row(r, Some(width)));
        }
        Ok((columns, rows))
    }
}

/// Whether the export numbers the table's amount columns (all but the two-sided 表1 and 表4).
fn needs_numbering(kind: TableKind) -> bool {
    !matches!(kind, TableKind::Overall | TableKind::Appropriation)
}

/// A header row of the text export: the labels that open a header block (repeated after a
/// page break), or — in a table without a numbering row (表1, 表4) — a row of column labels
/// with no amount beside them.
fn is_header_row(cells: &[&str], kind: TableKind, numbered: bool) -> bool {
    let first = cells.iter().find(|c| !c.is_empty()).copied().unwrap_or("");
    // every header label opens with a word; a body row mostly with its code: ruled out
    // before comparing labels
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    if !numbered {
        let labels = ["收入", "项目", "财政拨款收入"];
        let second = cells.get(1).copied().unwrap_or("");
        return labels
            .iter()
            .any(|l| label_matches(cells.first().copied().unwrap_or(""), l))
            && parse_printed_decimal(second).is_err();
    }
    [
        "功能分类科目编码",
        "科目编码",
        "科目",
        "经济分类科目编码",
        "三公经费支出内容",
    ]
    .iter()
    .any(|h| label_matches(first, h))
        || (cells.first() == Some(&"类") && cells.get(1) == Some(&"款"))
        || (kind == TableKind::CarryOver && cells.first() == Some(&"项目"))
}

/// Each column's header path: its labels from the top header row down — a blank cell belongs
/// to the label on its left when the row above spans both columns (a merged cell, as the
/// export prints it) — then its printed number from the numbering row (`#1`).
fn column_paths(header: &[&Row<'_>], numbers: Option<&Row<'_>>, width: usize) -> Vec<Column> {
    let mut paths: Vec<Vec<String>> = vec![Vec::new(); width];
    // the column whose label each column carries in the row above (None: no label)
    let mut above: Vec<Option<usize>> = vec![None; width];
    for (r, row) in header.iter().enumerate() {
        let mut origin: Vec<Option<usize>> = vec![None; width];
        for j in 0..width {
            let cell = row.cells.get(j).copied().unwrap_or("");
            origin[j] = if !cell.is_empty() {
                Some(j)
            } else if j > 0 && (r == 0 || (above[j].is_some() && above[j] == above[j - 1])) {
                origin[j - 1]
            } else {
                None
            };
            if let Some(o) = origin[j] {
                let label = row.cells[o];
                if paths[j].last().map(String::as_str) != Some(label) {
                    paths[j].push(label.to_string());
                }
            }
        }
        above = origin;
    }
    if let Some(numbers) = numbers {
        for (path, cell) in paths.iter_mut().zip(&numbers.cells) {
            if let Ok(n) = cell.parse::<u32>() {
                path.push(format!("#{n}"));
            }
        }
    }
    paths.into_iter().map(|path| Column { path }).collect()
}

fn layout_row(r: &Row<'_>, width: Option<usize>) -> LayoutRow {
    let mut cells: Vec<String> = r.cells.iter().map(|c| c.to_string()).collect();
    if let Some(width) = width {
        cells.resize(width, String::new());
    }
    LayoutRow {
        cells,
        page: 0,
        place: Some(Place::Line(line_number(r.line.no))),
    }
}

fn line_number(no: usize) -> u32 {
    u32::try_from(no).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::super::lines;
    use super::*;

    /// The table a text export prints from `text` (its caption on the first line).
    fn table_of(text: &str) -> Result<Table, ReadError> {
        let all = lines::split(text).unwrap();
        let profile = profile::by_id(STANDARD_ELEVEN).unwrap();
        Ok(Chunk::parse(&all)?.into_table(profile)?.0)
    }

    const TABLE_3: &str = "表 3\n\n部门支出总体情况表\n\n编制部门：某局\n\n单位：万元\n\n\
        科目\t\t\t支出预算\t\t\t\n\
        功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出\n\
        类\t款\t项\t\t\t\t\n\
        ※\t※\t※\t※\t1\t2\t3\n\
        \t\t\t总计\t10.00\t4.00\t6.00\n\
        201\t\t\t一般公共服务支出\t10.00\t4.00\t6.00\n";

    #[test]
    fn label_columns_take_their_header_and_amount_columns_their_number() {
        let t = table_of(TABLE_3).unwrap();
        let paths: Vec<Vec<&str>> = t
            .columns
            .iter()
            .map(|c| c.path.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            paths,
            [
                vec!["科目", "功能分类科目编码", "类"],
                vec!["科目", "功能分类科目编码", "款"],
                vec!["科目", "功能分类科目编码", "项"],
                // a blank under 功能分类科目名称 is not the 项 on its left
                vec!["支出预算", "功能分类科目名称"],
                vec!["支出预算", "合计", "#1"],
                vec!["支出预算", "基本支出", "#2"],
                vec!["支出预算", "项目支出", "#3"],
            ]
        );
        assert_eq!(t.caption, "表3 部门支出总体情况表");
        assert_eq!(t.place, Some(Place::Line(1)));
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].place, Some(Place::Line(14)));
        assert_eq!(t.unit.as_ref().map(|u| u.value.as_str()), Some("万元"));
    }

    #[test]
    fn a_header_repeated_after_a_page_break_is_not_a_row() {
        let repeated = format!(
            "{TABLE_3}功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出\n\
             类\t款\t项\t\t\t\t\n※\t※\t※\t※\t1\t2\t3\n\
             202\t\t\t外交支出\t1.00\t1.00\t\n"
        );
        let t = table_of(&repeated).unwrap();
        let names: Vec<&str> = t.rows.iter().map(|r| r.cells[3].as_str()).collect();
        assert_eq!(names, ["总计", "一般公共服务支出", "外交支出"]);
    }

    #[test]
    fn rows_that_do_not_fit_the_columns_are_refused_with_their_line() {
        let cases = [
            // an amount beyond column 3
            (
                TABLE_3.replace("4.00\t6.00\n2", "4.00\t6.00\t9.00\n2"),
                13,
                "9.00",
            ),
            // the row stops before its amounts
            (TABLE_3.replace("\t10.00\t4.00\t6.00\n2", "\n2"), 13, "总计"),
        ];
        for (text, line, found) in cases {
            match table_of(&text) {
                Err(ReadError::Layout { line: at, problem }) => {
                    assert_eq!(at, line, "{problem:?}");
                    assert!(problem.found.contains(found), "{problem:?}");
                }
                other => panic!("expected a layout error, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_numbered_table_without_its_numbering_row_is_refused() {
        let text = TABLE_3.replace("※\t※\t※\t※\t1\t2\t3\n", "");
        let err = table_of(&text).unwrap_err();
        assert!(
            matches!(
                &err,
                ReadError::Layout { line: 1, problem } if problem.expected == Expected::NumberingRow
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_table_the_profile_does_not_know_keeps_every_row() {
        let t = table_of("表 12\n\n人员名单\n\n姓名\t职务\n张三\t局长\n").unwrap();
        assert!(t.columns.is_empty());
        assert_eq!(t.rows.len(), 2);
    }
}
