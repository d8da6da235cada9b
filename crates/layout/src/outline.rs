//! The layout as a person reads it while writing a template profile: every block with its page,
//! every table with its caption, meta line, the header path of each column and its rows.
//! `budgetflow layout FILE` prints it.

use std::fmt::{self, Write as _};

use crate::{Block, Layout};

/// A paragraph is shown by its start: enough to tell which section it is in.
const PARAGRAPH_CHARS: usize = 40;

impl Layout {
    /// The outline of the layout, one line per block, table columns and rows indented.
    pub fn outline(&self) -> String {
        let mut out = String::new();
        // writing to a String cannot fail
        let _ = self.write_outline(&mut out);
        out
    }

    fn write_outline(&self, out: &mut String) -> fmt::Result {
        for block in &self.blocks {
            match block {
                Block::Heading(h) => writeln!(out, "p{:<3} heading    {}", h.page, h.text)?,
                Block::Paragraph(p) => {
                    let start: String = p.text.chars().take(PARAGRAPH_CHARS).collect();
                    let more = if p.text.chars().count() > PARAGRAPH_CHARS {
                        "…"
                    } else {
                        ""
                    };
                    let pages = if p.first_page == p.last_page {
                        format!("p{}", p.first_page)
                    } else {
                        format!("p{}–{}", p.first_page, p.last_page)
                    };
                    writeln!(out, "{pages:<4} paragraph  {start}{more}")?
                }
                Block::Table(t) => {
                    write!(out, "p{:<3} table      {}", t.page, t.caption)?;
                    for field in [&t.compiler, &t.unit].into_iter().flatten() {
                        write!(out, "  [{}：{}]", field.label, field.value)?;
                    }
                    writeln!(out)?;
                    for (i, c) in t.columns.iter().enumerate() {
                        writeln!(out, "       column {:>2}  {}", i + 1, c.path.join(" / "))?;
                    }
                    for r in &t.rows {
                        writeln!(out, "       row p{:<3} {}", r.page, r.cells.join(" | "))?;
                    }
                    for n in &t.notes {
                        writeln!(out, "       note p{:<2} {}", n.page, n.text)?;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Block, Column, Field, Heading, Layout, Note, Paragraph, Row, Table};

    #[test]
    fn the_outline_shows_pages_captions_header_paths_and_rows() {
        let layout = Layout {
            blocks: vec![
                Block::Heading(Heading {
                    text: "上海市普陀区2025年区级单位预算".into(),
                    page: 1,
                }),
                Block::Paragraph(Paragraph {
                    text: "9、组织协调本区商品交易市场规划，承担本区重要消费品市场调控和重要生产资料流通管理；负责建立健全生活必需品市场供应应急机制".into(),
                    first_page: 3,
                    last_page: 4,
                }),
                Block::Table(Table {
                    caption: "2025年预算单位政府性基金预算支出功能分类预算表".into(),
                    page: 17,
                    place: None,
                    compiler: Some(Field {
                        label: "编制单位".into(),
                        value: "上海市普陀区商务委员会".into(),
                    }),
                    unit: Some(Field {
                        label: "单位".into(),
                        value: "元".into(),
                    }),
                    columns: vec![
                        Column {
                            path: vec!["项目".into(), "功能分类科目名称".into()],
                        },
                        Column {
                            path: vec!["政府性基金预算支出".into(), "合计".into()],
                        },
                    ],
                    rows: vec![Row {
                        cells: vec!["合计".into(), String::new()],
                        page: 17,
                        place: None,
                    }],
                    notes: vec![Note {
                        text: "注:本单位2025年无政府性基金预算财政拨款安排的预算，故本表为空表。".into(),
                        page: 17,
                    }],
                }),
            ],
            furniture: Vec::new(),
        };
        let outline = layout.outline();
        let lines: Vec<&str> = outline.lines().collect();
        assert_eq!(lines[0], "p1   heading    上海市普陀区2025年区级单位预算");
        assert!(lines[1].starts_with("p3–4 paragraph  9、组织协调") && lines[1].ends_with('…'));
        assert_eq!(
            lines[2],
            "p17  table      2025年预算单位政府性基金预算支出功能分类预算表  [编制单位：上海市普陀区商务委员会]  [单位：元]"
        );
        assert_eq!(lines[3], "       column  1  项目 / 功能分类科目名称");
        assert_eq!(lines[5], "       row p17  合计 | ");
        assert!(lines[6].starts_with("       note p17 注:本单位"));
    }
}
