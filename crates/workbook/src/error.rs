//! What can go wrong with a workbook, and where: every error about content names the sheet,
//! the cell (A1 notation), what was expected and what was found (an excerpt of at most 64
//! characters), in Chinese for the departments who fix their spreadsheets and in English on
//! request. Every limit ([`crate::Limits`]) is refused with its name and value.

use budgetflow_model::Lang;

/// What a cell should have held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// An amount of money (`5,058.98`) or a blank cell.
    Amount,
    /// A decimal number (a weight, an area).
    Number,
    /// A whole number (a count, an ordinal).
    WholeNumber,
    /// A functional classification code (`2150502`).
    FunctionCode,
    /// An economic classification code (`30217`).
    EconomicCode,
    /// A fiscal year (`2025`).
    FiscalYear,
    /// 部门预算 / 单位预算 / 部门决算 / 单位决算.
    DocumentKind,
    /// `单位：万元`, `单位：元` or `单位：亿元`.
    MoneyUnit,
    /// `表 N` above a table.
    TableCaption,
    /// A date (`2025-01-20` or `2025年1月20日`).
    Date,
    /// Some text (the cell must not be blank).
    Text,
    /// One of the listed words.
    OneOf(Vec<&'static str>),
    /// A label in the first column that this sheet knows.
    Label(Vec<&'static str>),
    /// A text cell, not a number, date, formula error or boolean.
    TextCell,
    /// Text on one line: no tab or line break (the disclosure prints it as one line or cell).
    SingleLine,
}

impl Expected {
    fn text(&self, lang: Lang) -> String {
        let list = |l: &[&str]| l.join(lang.pick("、", ", "));
        match self {
            Expected::Amount => lang
                .pick(
                    "金额（如 5,058.98）或空白",
                    "an amount (e.g. 5,058.98) or a blank cell",
                )
                .into(),
            Expected::Number => lang.pick("数字", "a number").into(),
            Expected::WholeNumber => lang.pick("整数", "a whole number").into(),
            Expected::FunctionCode => lang
                .pick(
                    "功能分类科目编码（3、5 或 7 位数字，如 2150502）",
                    "a functional classification code (3, 5 or 7 digits, e.g. 2150502)",
                )
                .into(),
            Expected::EconomicCode => lang
                .pick(
                    "经济分类科目编码（3 或 5 位数字，如 30217）",
                    "an economic classification code (3 or 5 digits, e.g. 30217)",
                )
                .into(),
            Expected::FiscalYear => lang
                .pick("预算年度（如 2025）", "a fiscal year (e.g. 2025)")
                .into(),
            Expected::DocumentKind => lang
                .pick(
                    "公开类型（部门预算、单位预算、部门决算或单位决算）",
                    "a kind of disclosure (部门预算, 单位预算, 部门决算 or 单位决算)",
                )
                .into(),
            Expected::MoneyUnit => lang
                .pick("“单位：万元”（或 元、亿元）", "`单位：万元` (or 元, 亿元)")
                .into(),
            Expected::TableCaption => lang
                .pick("表号（如“表 1”）", "a table caption (e.g. `表 1`)")
                .into(),
            Expected::Date => lang
                .pick(
                    "日期（如 2025-01-20 或 2025年1月20日）",
                    "a date (e.g. 2025-01-20 or 2025年1月20日)",
                )
                .into(),
            Expected::Text => lang
                .pick("文字（不能为空）", "some text (not blank)")
                .into(),
            Expected::OneOf(l) => format!("{}{}", lang.pick("以下之一：", "one of: "), list(l)),
            Expected::Label(l) => format!(
                "{}{}",
                lang.pick("首列为以下标签之一：", "a first-column label among: "),
                list(l)
            ),
            Expected::TextCell => lang.pick("文字单元格", "a text cell").into(),
            Expected::SingleLine => lang
                .pick(
                    "单行文字（不含换行或制表符；每段一行）",
                    "text on one line (no line break or tab; one paragraph per row)",
                )
                .into(),
        }
    }
}

/// A workbook that cannot be read, or a document that cannot be written as one. `Display` is
/// English; [`WorkbookError::message`] renders either language.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the workbook is {size} bytes, larger than the {limit}-byte limit (max_compressed_bytes)"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "the workbook archive has {entries} entries, more than the limit of {limit} (max_entries)"
    )]
    TooManyEntries { entries: u64, limit: u64 },
    #[error("the workbook archive unpacks to more than {limit} bytes (max_decompressed_bytes; entry `{entry}` {how})")]
    TooBig {
        entry: String,
        limit: u64,
        /// Whether the archive declared it or it was found while unpacking.
        how: &'static str,
    },
    #[error("the workbook lists more than {limit} sheets (max_sheets)")]
    TooManySheets { limit: u32 },
    #[error("sheet `{sheet}`: {} {cell} lies outside the template's shape of {rows} rows × {cols} columns, A1:{} (max_rows, max_columns)", if *declared { "the used range declared to end at" } else { "cell" }, a1(rows.saturating_sub(1), cols.saturating_sub(1)))]
    OutsideShape {
        sheet: String,
        cell: String,
        /// Whether the sheet's `<dimension>` declared it (rather than a cell being there).
        declared: bool,
        rows: u32,
        cols: u32,
    },
    #[error("sheet `{sheet}` cell {cell}: more than {limit} cells in the sheet, more than its shape holds (a cell listed twice?)")]
    TooManyCells {
        sheet: String,
        cell: String,
        limit: u64,
    },
    #[error("`{place}`{}: the text is longer than {limit} characters (max_cell_chars)", if cell.is_empty() { String::new() } else { format!(" cell {cell}") })]
    CellTooLong {
        /// The sheet, or the part when the string is in the shared strings table.
        place: String,
        /// A1, or empty when the part does not say.
        cell: String,
        limit: u32,
    },
    #[error("`{place}`: more than {limit} bytes of text (max_text_bytes)")]
    TooMuchText { place: String, limit: u64 },
    #[error("`{part}`: more than {limit} shared strings (max_shared_strings)")]
    TooManyStrings { part: String, limit: u32 },
    #[error("`{part}`: a document type declaration (<!DOCTYPE …>) is refused: entities can expand a small part into gigabytes, and spreadsheet programs never write one")]
    DocumentType { part: String },
    #[error(
        "`{part}` near byte {offset}: XML nested more than {limit} elements deep (max_xml_depth)"
    )]
    TooDeep {
        part: String,
        offset: u64,
        limit: u32,
    },
    #[error(
        "`{part}` at byte {offset}: more than {limit} bytes without markup (max_xml_token_bytes)"
    )]
    TokenTooLong {
        part: String,
        offset: u64,
        limit: u64,
    },
    #[error("not an XLSX workbook: {0}")]
    NotAWorkbook(String),
    #[error("the workbook has no sheet `{sheet}`")]
    MissingSheet { sheet: String },
    #[error("sheet `{sheet}` cell {cell}: expected {}, found `{found}`", expected.text(Lang::En))]
    Cell {
        sheet: String,
        cell: String,
        expected: Expected,
        found: String,
    },
    #[error("sheet `{sheet}` has {found} blocks but sheet `{referrer}` refers to {referenced} (one `{kind}` row per block, in order)")]
    BlockCount {
        sheet: String,
        found: usize,
        referrer: String,
        referenced: usize,
        kind: &'static str,
    },
    #[error("nothing is filled in: the department name (sheet `{sheet}` cell {cell}) is blank — this looks like the empty template")]
    NothingFilled { sheet: String, cell: String },
    #[error("sheet `{sheet}` cell {cell}: this text reads as something else in a disclosure (a paragraph starting with `（一）` reads as a sub-heading, a line break inside a cell as two paragraphs): `{found}`")]
    Reread {
        sheet: String,
        cell: String,
        found: String,
    },
    #[error("cannot write the workbook: {0}")]
    Write(String),
    #[error("the workbook is the 11-table template's; a disclosure of the template `{0}` has tables and columns it has no place for (its page, CSVs and JSON carry them)")]
    OtherTemplate(String),
    /// A table sheet the template's profile cannot build (the cut table is the neutral
    /// layout's, so the error is the profile reader's; it names the sheet and cell at fault).
    #[error(transparent)]
    Table(#[from] budgetflow_formats::ReadError),
}

impl WorkbookError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            WorkbookError::Io { path, source } => format!("无法读取 {path}：{source}"),
            WorkbookError::TooLarge { size, limit } => {
                format!("工作簿有 {size} 字节，超过 {limit} 字节的上限（max_compressed_bytes）")
            }
            WorkbookError::TooManyEntries { entries, limit } => {
                format!("工作簿压缩包有 {entries} 个条目，超过 {limit} 个的上限（max_entries）")
            }
            WorkbookError::TooBig { entry, limit, how } => format!(
                "工作簿解压后超过 {limit} 字节的上限（max_decompressed_bytes；条目“{entry}”{}）",
                if *how == DECLARED { "声明的大小" } else { "实际解压时" }
            ),
            WorkbookError::TooManySheets { limit } => {
                format!("工作簿的工作表超过 {limit} 个的上限（max_sheets）")
            }
            WorkbookError::OutsideShape {
                sheet,
                cell,
                declared,
                rows,
                cols,
            } => format!(
                "工作表“{sheet}”：{}{cell}超出模板范围（至多 {rows} 行 × {cols} 列，即 A1:{}；max_rows、max_columns）",
                if *declared { "声明的使用区域止于 " } else { "单元格 " },
                a1(rows.saturating_sub(1), cols.saturating_sub(1))
            ),
            WorkbookError::TooManyCells { sheet, cell, limit } => format!(
                "工作表“{sheet}”单元格 {cell}：单元格超过 {limit} 个，多于模板范围所能容纳（是否有单元格重复出现？）"
            ),
            WorkbookError::CellTooLong { place, cell, limit } => format!(
                "“{place}”{}：文字超过 {limit} 个字符（max_cell_chars）",
                if cell.is_empty() { String::new() } else { format!("单元格 {cell}") }
            ),
            WorkbookError::TooMuchText { place, limit } => {
                format!("“{place}”：文字超过 {limit} 字节（max_text_bytes）")
            }
            WorkbookError::TooManyStrings { part, limit } => {
                format!("“{part}”：共享字符串超过 {limit} 个（max_shared_strings）")
            }
            WorkbookError::DocumentType { part } => format!(
                "“{part}”：含文档类型声明（<!DOCTYPE …>），予以拒绝：实体可将很小的部件展开为数 GB，电子表格软件从不写入"
            ),
            WorkbookError::TooDeep {
                part,
                offset,
                limit,
            } => format!("“{part}”约第 {offset} 字节：XML 嵌套超过 {limit} 层（max_xml_depth）"),
            WorkbookError::TokenTooLong {
                part,
                offset,
                limit,
            } => format!("“{part}”第 {offset} 字节：超过 {limit} 字节没有标记（max_xml_token_bytes）"),
            WorkbookError::NotAWorkbook(m) => format!("不是 XLSX 工作簿：{m}"),
            WorkbookError::MissingSheet { sheet } => format!("工作簿缺少工作表“{sheet}”"),
            WorkbookError::Cell {
                sheet,
                cell,
                expected,
                found,
            } => format!(
                "工作表“{sheet}”单元格 {cell}：应为{}，实为“{found}”",
                expected.text(Lang::Zh)
            ),
            WorkbookError::BlockCount {
                sheet,
                found,
                referrer,
                referenced,
                kind,
            } => format!(
                "工作表“{sheet}”有 {found} 个，而工作表“{referrer}”引用了 {referenced} 个（每个对应一行“{kind}”，按顺序）"
            ),
            WorkbookError::NothingFilled { sheet, cell } => format!(
                "工作簿未填写：工作表“{sheet}”单元格 {cell} 的部门名称为空（这是空白模板）"
            ),
            WorkbookError::Reread { sheet, cell, found } => format!(
                "工作表“{sheet}”单元格 {cell}：这段文字在公开文件中会被读作其他内容（以“（一）”开头的段落会被读作小标题，单元格内换行会被读作两段）：“{found}”"
            ),
            WorkbookError::Write(m) => format!("无法写出工作簿：{m}"),
            WorkbookError::Table(e) => e.message(lang),
            WorkbookError::OtherTemplate(t) => format!(
                "工作簿是 11 张表模板的格式；模板“{t}”的公开文件有它容纳不下的表和栏目（其网页、CSV 和 JSON 载有全部数据）"
            ),
        }
    }
}

impl WorkbookError {
    /// [`WorkbookError::NotAWorkbook`] with `problem` (a zip or XML library's message, which
    /// may quote the input) cut to [`NOT_A_WORKBOOK_CHARS`] characters.
    pub(crate) fn not_a_workbook(problem: impl std::fmt::Display) -> WorkbookError {
        let problem = problem.to_string();
        WorkbookError::NotAWorkbook(match problem.char_indices().nth(NOT_A_WORKBOOK_CHARS) {
            None => problem,
            Some((at, _)) => format!("{}…", &problem[..at]),
        })
    }
}

/// Characters of a library's message a [`WorkbookError::NotAWorkbook`] keeps.
const NOT_A_WORKBOOK_CHARS: usize = 256;

/// `how` of [`WorkbookError::TooBig`] when the central directory declared the size.
pub(crate) const DECLARED: &str = "as declared";
/// `how` of [`WorkbookError::TooBig`] when unpacking found it.
pub(crate) const UNPACKED: &str = "when unpacked";

/// A1 notation of a 0-based (row, column): the layout's, which the profile reader's errors
/// about a sheet's cells use too.
pub use budgetflow_layout::a1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_sheet_and_cell_in_both_languages() {
        let e = WorkbookError::Cell {
            sheet: "表2".into(),
            cell: "C5".into(),
            expected: Expected::Amount,
            found: "一百".into(),
        };
        assert!(e.message(Lang::Zh).contains("工作表“表2”单元格 C5"));
        assert!(e
            .message(Lang::En)
            .contains("sheet `表2` cell C5: expected an amount"));
    }
}
