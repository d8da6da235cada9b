//! Where everything sits in the workbook — sheet names, the rows above every table, each
//! table's header cells (merged as the printed tables merge them) and its columns. The writer
//! and the reader both take positions from here, so they cannot drift apart.

use budgetflow_model::tables::{
    BasicColumns, CarryOverColumns, Columns, ExpenditureColumns, FundColumns, ProjectColumns,
    RevenueColumns, TableKind, ThreePublicColumns,
};

/// 填报说明: how to fill the workbook.
pub const NOTES: &str = "填报说明";
/// 封面: department, year, kind, title, date, signature.
pub const COVER: &str = "封面";
/// 部门概况: the paragraphs of 第一部分.
pub const OVERVIEW: &str = "部门概况";
/// 情况说明: sections, sub-headings, paragraphs of 第三部分, and where projects and target
/// tables sit among them.
pub const NARRATIVE: &str = "情况说明";
/// 项目说明: the project descriptions of section 七.
pub const PROJECTS: &str = "项目说明";
/// 部门整体绩效目标表.
pub const DEPARTMENT_TARGETS: &str = "部门整体绩效目标";
/// 项目支出绩效目标表, one block per project.
pub const PROJECT_TARGETS: &str = "项目绩效目标";
/// 名词解释.
pub const GLOSSARY: &str = "名词解释";
/// The hidden code lists behind the data validation of code columns.
pub const CODES: &str = "代码表";

/// The sheet of a standard table (`表7`).
pub fn table_sheet(kind: TableKind) -> String {
    format!("表{}", kind.standard_number())
}

/// The sheet of the `i`-th (0-based) table whose title the reader did not recognise.
pub fn other_table_sheet(i: usize) -> String {
    format!("其他表{}", i + 1)
}

/// Row of the merged table title.
pub const TITLE_ROW: u32 = 0;
/// Row of `表 N` (column A), `编制部门：…` (column B) and `单位：万元` (last visible column).
pub const META_ROW: u32 = 1;
/// First header row.
pub const HEADER_ROW: u32 = 2;
/// Label in column A of a row under a table that holds a note (column B).
pub const NOTE_LABEL: &str = "表注";
/// Rows below the header that data validation covers in the template.
pub const VALIDATED_ROWS: u32 = 500;

/// A header cell spanning rows `r0..=r1` (relative to [`HEADER_ROW`]) and columns `c0..=c1`.
#[derive(Debug, Clone)]
pub struct Span {
    pub r0: u32,
    pub c0: u16,
    pub r1: u32,
    pub c1: u16,
    pub text: String,
}

fn span(r0: u32, c0: u16, r1: u32, c1: u16, text: &str) -> Span {
    Span {
        r0,
        c0,
        r1,
        c1,
        text: text.to_string(),
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Text,
    Amount,
    FunctionCode,
    EconomicCode,
    /// 行类型 of 表7 / 表11: one of the listed words.
    RowKind(&'static [&'static str]),
    /// The hidden standard-line key of 表1, 表4 and 表10.
    LineKey,
}

/// The header and columns of one table sheet.
#[derive(Debug, Clone)]
pub struct TableLayout {
    pub header: Vec<Span>,
    pub header_rows: u32,
    pub columns: Vec<Col>,
}

impl TableLayout {
    /// The first data row.
    pub fn data_row(&self) -> u32 {
        HEADER_ROW + self.header_rows
    }
    /// Columns shown to people (the hidden line key is last when present).
    pub fn visible(&self) -> u16 {
        self.columns.iter().filter(|c| **c != Col::LineKey).count() as u16
    }
}

/// 表7 row kinds as the 行类型 column names them.
pub const PROJECT_ROW_KINDS: &[&str] = &["合计", "单位", "类", "款", "项", "项目"];
/// 表11 row kinds.
pub const CARRY_OVER_ROW_KINDS: &[&str] = &["合计", "单位", "项目"];
/// What the line key cell holds for a row that is not a standard line.
pub const NO_LINE: &str = "-";

/// A two-row header: code and name cells spanning both rows, then `group` over `labels`.
fn coded(code: &str, name: &str, group: &str, labels: &[&str]) -> Vec<Span> {
    let mut h = vec![span(0, 0, 1, 0, code), span(0, 1, 1, 1, name)];
    let n = labels.len() as u16;
    h.push(span(0, 2, 0, 1 + n, group));
    h.extend(
        labels
            .iter()
            .enumerate()
            .map(|(i, l)| span(1, 2 + i as u16, 1, 2 + i as u16, l)),
    );
    h
}

/// The three header rows of 表8 / 表9: 合计, 基本支出 (人员经费, 公用经费), 项目支出.
fn fund(group: &str) -> Vec<Span> {
    vec![
        span(0, 0, 2, 0, "功能分类科目编码"),
        span(0, 1, 2, 1, "功能分类科目名称"),
        span(0, 2, 0, 5, group),
        span(1, 2, 2, 2, "合计"),
        span(1, 3, 1, 4, "基本支出"),
        span(2, 3, 2, 3, "人员经费"),
        span(2, 4, 2, 4, "公用经费"),
        span(1, 5, 2, 5, "项目支出"),
    ]
}

fn function_columns<A: Columns>() -> Vec<Col> {
    let mut c = vec![Col::FunctionCode, Col::Text];
    c.extend(std::iter::repeat_n(Col::Amount, A::STANDARD));
    c
}

/// The layout of standard table `kind`.
pub fn table(kind: TableKind) -> TableLayout {
    match kind {
        TableKind::Overall => TableLayout {
            header: vec![
                span(0, 0, 0, 1, "收入"),
                span(0, 2, 0, 4, "支出"),
                span(1, 0, 1, 0, "项目"),
                span(1, 1, 1, 1, "预算数"),
                span(1, 2, 1, 2, "功能分类科目编码"),
                span(1, 3, 1, 3, "项目"),
                span(1, 4, 1, 4, "预算数"),
                span(0, 5, 1, 5, "标准行"),
            ],
            header_rows: 2,
            columns: vec![
                Col::Text,
                Col::Amount,
                Col::FunctionCode,
                Col::Text,
                Col::Amount,
                Col::LineKey,
            ],
        },
        TableKind::Revenue => {
            let l = RevenueColumns::standard_labels();
            let mut header = vec![
                span(0, 0, 1, 0, "功能分类科目编码"),
                span(0, 1, 1, 1, "功能分类科目名称"),
                span(0, 2, 1, 2, l[0]),
                span(0, 3, 0, 9, "财政拨款（补助）"),
            ];
            header.extend((1..8).map(|i| span(1, 2 + i as u16, 1, 2 + i as u16, l[i])));
            header.extend((8..12).map(|i| span(0, 2 + i as u16, 1, 2 + i as u16, l[i])));
            TableLayout {
                header,
                header_rows: 2,
                columns: function_columns::<RevenueColumns>(),
            }
        }
        TableKind::Expenditure | TableKind::GeneralBudget => TableLayout {
            header: coded(
                "功能分类科目编码",
                "功能分类科目名称",
                if kind == TableKind::Expenditure {
                    "支出预算"
                } else {
                    "一般公共预算支出"
                },
                ExpenditureColumns::LABELS,
            ),
            header_rows: 2,
            columns: function_columns::<ExpenditureColumns>(),
        },
        TableKind::Appropriation => TableLayout {
            header: vec![
                span(0, 0, 0, 1, "收入"),
                span(0, 2, 0, 7, "支出"),
                span(1, 0, 1, 0, "项目"),
                span(1, 1, 1, 1, "预算数"),
                span(1, 2, 1, 2, "功能分类科目编码"),
                span(1, 3, 1, 3, "项目"),
                span(1, 4, 1, 4, "合计"),
                span(1, 5, 1, 5, "一般公共预算"),
                span(1, 6, 1, 6, "政府性基金预算"),
                span(1, 7, 1, 7, "国有资本经营预算"),
                span(0, 8, 1, 8, "标准行"),
            ],
            header_rows: 2,
            columns: vec![
                Col::Text,
                Col::Amount,
                Col::FunctionCode,
                Col::Text,
                Col::Amount,
                Col::Amount,
                Col::Amount,
                Col::Amount,
                Col::LineKey,
            ],
        },
        TableKind::Basic => TableLayout {
            header: coded(
                "经济分类科目编码",
                "经济分类科目名称",
                "一般公共预算基本支出",
                BasicColumns::LABELS,
            ),
            header_rows: 2,
            columns: {
                let mut c = vec![Col::EconomicCode, Col::Text];
                c.extend(std::iter::repeat_n(Col::Amount, BasicColumns::LABELS.len()));
                c
            },
        },
        TableKind::Projects => {
            let l = ProjectColumns::LABELS;
            let mut header = vec![
                span(0, 0, 1, 0, "行类型"),
                span(0, 1, 1, 1, "功能分类科目编码"),
                span(0, 2, 1, 2, "功能分类科目名称（单位名称）"),
                span(0, 3, 1, 3, "项目名称"),
                span(0, 4, 1, 4, l[0]),
                span(0, 5, 0, 3 + l.len() as u16, "按支出经济分类"),
            ];
            header.extend((1..l.len()).map(|i| span(1, 4 + i as u16, 1, 4 + i as u16, l[i])));
            let mut columns = vec![
                Col::RowKind(PROJECT_ROW_KINDS),
                Col::FunctionCode,
                Col::Text,
                Col::Text,
            ];
            columns.extend(std::iter::repeat_n(Col::Amount, l.len()));
            TableLayout {
                header,
                header_rows: 2,
                columns,
            }
        }
        TableKind::GovFund | TableKind::SoeCapital => TableLayout {
            header: fund(if kind == TableKind::GovFund {
                "政府性基金预算支出"
            } else {
                "国有资本经营预算支出"
            }),
            header_rows: 3,
            columns: function_columns::<FundColumns>(),
        },
        TableKind::ThreePublic => {
            let l = ThreePublicColumns::LABELS;
            let mut header = vec![
                span(0, 0, 1, 0, "项目"),
                span(0, 1, 1, 1, l[0]),
                span(0, 2, 0, 4, "其中"),
            ];
            header.extend((1..4).map(|i| span(1, 1 + i as u16, 1, 1 + i as u16, l[i])));
            header.push(span(0, 5, 1, 5, "标准行"));
            TableLayout {
                header,
                header_rows: 2,
                columns: vec![
                    Col::Text,
                    Col::Amount,
                    Col::Amount,
                    Col::Amount,
                    Col::Amount,
                    Col::LineKey,
                ],
            }
        }
        TableKind::CarryOver => {
            let mut header = vec![
                span(0, 0, 2, 0, "行类型"),
                // no `/` in a label: a profile's header pattern separates labels with it
                span(0, 1, 2, 1, "单位或项目名称"),
                span(0, 2, 2, 2, "合计"),
            ];
            for (c, group) in [(3u16, "财政拨款"), (7, "非财政拨款")] {
                header.extend([
                    span(0, c, 0, c + 3, group),
                    span(1, c, 2, c, "小计"),
                    span(1, c + 1, 1, c + 2, "基本支出"),
                    span(2, c + 1, 2, c + 1, "人员经费"),
                    span(2, c + 2, 2, c + 2, "公用经费"),
                    span(1, c + 3, 2, c + 3, "项目支出"),
                ]);
            }
            let mut columns = vec![Col::RowKind(CARRY_OVER_ROW_KINDS), Col::Text];
            columns.extend(std::iter::repeat_n(
                Col::Amount,
                CarryOverColumns::LABELS.len(),
            ));
            TableLayout {
                header,
                header_rows: 3,
                columns,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 行类型 words the template offers are the words the 11-table profile reads.
    #[test]
    fn row_kind_words_are_the_profiles() {
        let profile =
            budgetflow_formats::profile::by_id(budgetflow_formats::profile::STANDARD_ELEVEN)
                .expect("the 11-table profile ships");
        for (kind, words) in [
            (TableKind::Projects, PROJECT_ROW_KINDS),
            (TableKind::CarryOver, CARRY_OVER_ROW_KINDS),
        ] {
            let t = profile.tables.iter().find(|t| t.kind == kind).unwrap();
            let read: Vec<&str> = t.kinds.iter().map(|(w, _)| w.as_str()).collect();
            assert_eq!(read, words, "{kind:?}");
        }
    }

    #[test]
    fn every_header_cell_lies_inside_the_table_and_no_two_overlap() {
        for kind in TableKind::ALL {
            let t = table(kind);
            let mut seen = std::collections::HashSet::new();
            for s in &t.header {
                assert!(
                    s.r1 < t.header_rows && usize::from(s.c1) < t.columns.len(),
                    "{kind:?} {s:?}"
                );
                for r in s.r0..=s.r1 {
                    for c in s.c0..=s.c1 {
                        assert!(seen.insert((r, c)), "{kind:?}: cell {r},{c} covered twice");
                    }
                }
            }
            assert_eq!(
                seen.len(),
                t.header_rows as usize * t.columns.len(),
                "{kind:?}: a header cell is missing"
            );
        }
    }
}
