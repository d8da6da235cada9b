//! What can go wrong when reading a disclosure, with where and why — in Chinese for the
//! departments who fix their files, in English on request.

use std::fmt;

use budgetflow_model::lang::excerpt;
use budgetflow_model::Lang;

/// A reading failure. Every variant says what was expected and what was found; those about
/// the text layout carry the 1-based line number. `Display` is English;
/// [`ReadError::message`] renders either language.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("input is {size} bytes, larger than the {limit}-byte limit for one disclosure")]
    TooLarge { size: u64, limit: u64 },
    #[error("input is empty: expected a budget disclosure")]
    Empty,
    #[error(
        "input is binary, not text (byte {offset} is {byte:#04x}): expected a text export or JSON"
    )]
    Binary { offset: usize, byte: u8 },
    #[error(
        "input is neither UTF-8 nor GB18030 text (first undecodable byte near offset {offset})"
    )]
    Encoding { offset: usize },
    #[error("line {line}: {problem}")]
    Layout { line: usize, problem: Problem },
    #[error("not a budget disclosure: line {line}: {reason}")]
    NotADisclosure { line: usize, reason: NotADisclosure },
    #[error("JSON document: {0}")]
    Json(String),
    #[error("PDF: {0}")]
    Pdf(#[from] budgetflow_pdf::PdfError),
    #[error("PDF layout: {0}")]
    PdfLayout(#[from] budgetflow_layout::LayoutError),
    #[error("page {page}: {problem}")]
    OnPage { page: u32, problem: Problem },
    /// A problem at a cell of a spreadsheet, told as the workbook tells its own: the sheet and
    /// the cell say where, so the context is not repeated.
    #[error("sheet `{sheet}` cell {cell}: expected {}, found `{}`", problem.expected.text(Lang::En), problem.found)]
    InCell {
        sheet: String,
        /// A1 notation.
        cell: String,
        problem: Problem,
    },
    #[error("no template profile recognises this document: its cover reads `{cover}` (the profiles are in crates/formats/profiles/)")]
    UnknownTemplate { cover: String },
    #[error("the built-in template profile {id} cannot be read (crates/formats/profiles/)")]
    ProfileUnavailable { id: &'static str },
}

/// Why the cover of a file does not look like a disclosure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotADisclosure {
    /// Only one line of text: no title after the department.
    NoTitle,
    /// The department line is a table row.
    RowInsteadOfDepartment,
    /// The title has no year (`2025 年`).
    NoYear(String),
    /// The year is outside 2000–2100.
    ImpossibleYear(String),
    /// The title names no kind (部门预算, 单位预算, 部门决算, 单位决算).
    NoKind(String),
}

impl NotADisclosure {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (NotADisclosure::NoTitle, Lang::Zh) => {
                "部门名称之后应有标题（如“2025 年部门预算公开”）".into()
            }
            (NotADisclosure::NoTitle, Lang::En) => {
                "expected a title such as `2025 年部门预算公开` after the department name".into()
            }
            (NotADisclosure::RowInsteadOfDepartment, Lang::Zh) => {
                "首行应为部门名称，实为表格行".into()
            }
            (NotADisclosure::RowInsteadOfDepartment, Lang::En) => {
                "expected the department name, found a table row".into()
            }
            (NotADisclosure::NoYear(t), Lang::Zh) => {
                format!("标题应含预算年度（如“2025 年部门预算公开”），实为「{t}」")
            }
            (NotADisclosure::NoYear(t), Lang::En) => format!(
                "expected a title with the fiscal year (`2025 年部门预算公开`), found `{t}`"
            ),
            (NotADisclosure::ImpossibleYear(t), Lang::Zh) => {
                format!("预算年度应在 2000–2100 之间，实为「{t}」")
            }
            (NotADisclosure::ImpossibleYear(t), Lang::En) => {
                format!("expected a fiscal year between 2000 and 2100, found `{t}`")
            }
            (NotADisclosure::NoKind(t), Lang::Zh) => {
                format!("标题应含部门预算、单位预算、部门决算或单位决算，实为「{t}」")
            }
            (NotADisclosure::NoKind(t), Lang::En) => format!(
                "expected 部门预算, 单位预算, 部门决算 or 单位决算 in the title, found `{t}`"
            ),
        }
    }
}

impl fmt::Display for NotADisclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// What the reader expected at a place in the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    TableTitle,
    UnitLine,
    /// The unit printed on the table's first page.
    SameUnit(&'static str),
    AmountOrBlank,
    Amount,
    /// So many label cells, then the amounts (a shorter row was cut off).
    AmountsAfterLabels(usize),
    /// No more than so many amount columns.
    AmountColumns(usize),
    FunctionCodeParts,
    EconomicCodeParts,
    CodeBeforeName,
    ClassCodeBeforeName,
    RevenueLabelBeforeAmount,
    /// The name of a class on the right of a two-sided table, where it prints amounts.
    ClassNameBeforeAmount,
    /// The column labels over a table's rows.
    ColumnHeader,
    /// The row that numbers the amount columns (`※ ※ 1 2 3 …`).
    NumberingRow,
    /// More document after a table row: the file ends inside a table.
    RestOfDocument,
    IndicatorName,
    TargetValue,
    Weight,
    /// No more lines than this ([`crate::limits::MAX_LINES`]).
    AtMostLines(usize),
    /// A line of at most this many bytes ([`crate::limits::MAX_LINE_BYTES`]).
    AtMostLineBytes(usize),
    /// A row of at most this many cells ([`crate::limits::MAX_CELLS`]).
    AtMostCells(usize),
    /// A table of at most this many rows ([`crate::limits::MAX_TABLE_ROWS`]).
    AtMostRows(usize),
    /// A table the template prints once (a two-sided table, the 三公 table).
    PrintedOnce,
    /// One of the listed words (a row kind, a standard line's label).
    OneOf(Vec<String>),
}

impl Expected {
    fn text(&self, lang: Lang) -> String {
        use Expected::*;
        match lang {
            Lang::Zh => match self {
                TableTitle => "下一行为表名".into(),
                UnitLine => "“单位：万元”“单位：元”或“单位：亿元”".into(),
                SameUnit(u) => format!("与首页相同的单位“{u}”"),
                AmountOrBlank => "金额（如 1,234.56）或空白".into(),
                Amount => "金额（如 38.00 万元）".into(),
                AmountsAfterLabels(n) => format!("{n} 个栏目之后为金额（此行像是被截断）"),
                AmountColumns(n) => format!("不超过 {n} 个金额栏"),
                FunctionCodeParts => "类（3 位）、款（2 位）、项（2 位）编码".into(),
                EconomicCodeParts => "类（3 位）、款（2 位）编码".into(),
                CodeBeforeName => "名称前的功能分类编码".into(),
                ClassCodeBeforeName => "名称前的类级编码（如 201）".into(),
                RevenueLabelBeforeAmount => "金额前的收入项目名称".into(),
                ClassNameBeforeAmount => "金额前的支出功能分类名称".into(),
                ColumnHeader => "表头（各栏名称）".into(),
                NumberingRow => "栏目编号行（※ ※ 1 2 3 …）".into(),
                RestOfDocument => "此表格行之后的其余内容（文件在表格中结束且无换行，像是传输中被截断）".into(),
                IndicatorName => "三级指标名称".into(),
                TargetValue => "指标值".into(),
                Weight => "数值".into(),
                AtMostLines(n) => format!("全文至多 {n} 行"),
                AtMostLineBytes(n) => format!("每行至多 {n} 字节"),
                AtMostCells(n) => format!("每行至多 {n} 个单元格"),
                AtMostRows(n) => format!("每张表至多 {n} 行"),
                PrintedOnce => "此表只出现一次（同一表名再次出现）".into(),
                OneOf(words) => format!("以下之一：{}", words.join("、")),
            },
            Lang::En => match self {
                TableTitle => "the table title on the next line".into(),
                UnitLine => "单位：万元, 单位：元 or 单位：亿元".into(),
                SameUnit(u) => format!("the unit of the first page, {u}"),
                AmountOrBlank => "an amount such as 1,234.56 or a blank cell".into(),
                Amount => "an amount such as 38.00 万元".into(),
                AmountsAfterLabels(n) => format!("{n} label cells followed by amounts (the row looks cut off)"),
                AmountColumns(n) => format!("at most {n} amount columns"),
                FunctionCodeParts => "类 (3 digits), 款 (2) and 项 (2) codes".into(),
                EconomicCodeParts => "类 (3 digits) and 款 (2 digits)".into(),
                CodeBeforeName => "a functional code before the name".into(),
                ClassCodeBeforeName => "a 类 code such as 201 before the name".into(),
                RevenueLabelBeforeAmount => "a revenue label before the amount".into(),
                ClassNameBeforeAmount => "the name of the class before its amounts".into(),
                ColumnHeader => "the column labels over the rows".into(),
                NumberingRow => "the row numbering the columns (※ ※ 1 2 3 …)".into(),
                RestOfDocument => "the rest of the document after this table row (the file ends without a final newline inside a table: it looks truncated)".into(),
                IndicatorName => "a 三级指标 name".into(),
                TargetValue => "a 指标值".into(),
                Weight => "a number".into(),
                AtMostLines(n) => format!("at most {n} lines in all"),
                AtMostLineBytes(n) => format!("a line of at most {n} bytes"),
                AtMostCells(n) => format!("at most {n} cells in a row"),
                AtMostRows(n) => format!("at most {n} rows in a table"),
                PrintedOnce => "this table once (its caption appears again)".into(),
                OneOf(words) => format!("one of: {}", words.join(", ")),
            },
        }
    }
}

/// A layout problem at a line. `found` is at most an [`excerpt`] of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: the table or section and column, named as printed (`表6 … · 合计`).
    pub context: String,
    pub expected: Expected,
    pub found: String,
}

impl Problem {
    fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "{}：应为{}，实为「{}」",
                self.context,
                self.expected.text(lang),
                self.found
            ),
            Lang::En => format!(
                "{}: expected {}, found `{}`",
                self.context,
                self.expected.text(lang),
                self.found
            ),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl ReadError {
    /// A problem on page `page` of a paged source; `found` is shown as an [`excerpt`].
    pub(crate) fn on_page(
        page: u32,
        context: impl Into<String>,
        expected: Expected,
        found: impl AsRef<str>,
    ) -> ReadError {
        ReadError::OnPage {
            page,
            problem: Problem {
                context: context.into(),
                expected,
                found: excerpt(found.as_ref()).into_owned(),
            },
        }
    }

    /// A problem at a cell (A1) of a sheet; `found` is shown as an [`excerpt`].
    pub(crate) fn in_cell(
        sheet: &str,
        cell: String,
        context: impl Into<String>,
        expected: Expected,
        found: impl AsRef<str>,
    ) -> ReadError {
        ReadError::InCell {
            sheet: sheet.to_string(),
            cell,
            problem: Problem {
                context: context.into(),
                expected,
                found: excerpt(found.as_ref()).into_owned(),
            },
        }
    }

    /// A layout problem at `line`; `found` is shown as an [`excerpt`].
    pub(crate) fn layout(
        line: usize,
        context: impl Into<String>,
        expected: Expected,
        found: impl AsRef<str>,
    ) -> ReadError {
        ReadError::Layout {
            line,
            problem: Problem {
                context: context.into(),
                expected,
                found: excerpt(found.as_ref()).into_owned(),
            },
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            ReadError::Io { path, source } => format!("无法读取 {path}：{source}"),
            ReadError::TooLarge { size, limit } => {
                format!("输入有 {size} 字节，超过单份公开文件 {limit} 字节的上限")
            }
            ReadError::Empty => "输入为空：应为一份部门预算公开文件".into(),
            ReadError::Binary { offset, byte } => format!(
                "输入是二进制数据而非文本（第 {offset} 字节为 {byte:#04x}）：应为文本导出件或 JSON"
            ),
            ReadError::Encoding { offset } => {
                format!("输入既不是 UTF-8 也不是 GB18030 文本（约第 {offset} 字节起无法解码）")
            }
            ReadError::Layout { line, problem } => format!("第 {line} 行：{}", problem.text(lang)),
            ReadError::NotADisclosure { line, reason } => {
                format!("不是部门预算公开文件：第 {line} 行：{}", reason.text(lang))
            }
            ReadError::Json(m) => format!("JSON 文档：{m}"),
            ReadError::Pdf(e) => format!("无法读取此 PDF：{e}"),
            ReadError::PdfLayout(e) => format!("无法排出此 PDF 的版面：{e}"),
            ReadError::OnPage { page, problem } => format!("第 {page} 页：{}", problem.text(lang)),
            ReadError::InCell {
                sheet,
                cell,
                problem,
            } => format!(
                "工作表“{sheet}”单元格 {cell}：应为{}，实为“{}”",
                problem.expected.text(lang),
                problem.found
            ),
            ReadError::UnknownTemplate { cover } => format!(
                "没有模板配置能识别此文件：封面为「{cover}」（模板配置在 crates/formats/profiles/）"
            ),
            ReadError::ProfileUnavailable { id } => {
                format!("内置模板配置 {id} 无法读取（crates/formats/profiles/）")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_in_both_languages() {
        let e = ReadError::layout(
            304,
            "表6 一般公共预算基本支出情况表 · 合计",
            Expected::AmountOrBlank,
            "0.3O",
        );
        assert_eq!(e.message(Lang::Zh), "第 304 行：表6 一般公共预算基本支出情况表 · 合计：应为金额（如 1,234.56）或空白，实为「0.3O」");
        assert_eq!(e.message(Lang::En), "line 304: 表6 一般公共预算基本支出情况表 · 合计: expected an amount such as 1,234.56 or a blank cell, found `0.3O`");
        assert_eq!(
            ReadError::Empty.message(Lang::Zh),
            "输入为空：应为一份部门预算公开文件"
        );
        let n = ReadError::NotADisclosure {
            line: 2,
            reason: NotADisclosure::NoYear("world".into()),
        };
        assert!(n.message(Lang::Zh).contains("预算年度") && n.to_string().contains("fiscal year"));
    }

    #[test]
    fn a_cell_is_named_as_the_workbook_names_it() {
        let e = ReadError::in_cell(
            "表7",
            "A5".into(),
            "表7 一般公共预算项目支出情况表",
            Expected::OneOf(vec!["合计".into(), "单位".into()]),
            "小计",
        );
        assert_eq!(
            e.message(Lang::Zh),
            "工作表“表7”单元格 A5：应为以下之一：合计、单位，实为“小计”"
        );
        assert_eq!(
            e.message(Lang::En),
            "sheet `表7` cell A5: expected one of: 合计, 单位, found `小计`"
        );
    }
}
