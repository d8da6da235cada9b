//! # budgetflow-workbook
//!
//! The XLSX form of a disclosure, both ways: departments fill a spreadsheet template rather than
//! a text file, and the public downloads the data as a workbook with one sheet per table.
//!
//! - [`template`]`(year)`: the empty workbook a department fills.
//! - [`write()`]`(doc)`: the same workbook filled with a document, every text as typed (the
//!   department's export).
//! - [`write_public`]`(doc)`: the public workbook — the same, with every text cell a
//!   spreadsheet could run as a formula prefixed with `'` ([`neutralised`]).
//! - [`read`]`(bytes, limits)`: a filled workbook back into the model; `read(write(doc)) == doc`.
//!
//! `template` and `write` return a `Result` although the layout is fixed: a cell holds at most
//! 32,767 characters, and a document with a longer paragraph is refused with the sheet and
//! cell rather than cut.
//!
//! The round trip holds for every document the readers produce (the sample, the synthetic
//! corpus): fields derived from words (statements, allocation items, periods, staffing,
//! section 十二's facts) are derived again from the same words (`budgetflow_formats::derive`,
//! the one derivation every source uses), not stored, so a
//! hand-built document whose derived fields disagree with its own text comes back with what
//! its text says.
//!
//! ## Sheet layout, and why
//!
//! | sheet | holds |
//! |---|---|
//! | 填报说明 | how to fill the workbook (first, so it is what opens) |
//! | 封面 | department, year, kind, title, date, signature — one labelled value per row |
//! | 部门概况 | the paragraphs of 主要职能 / 机构设置及人员情况, one per row; the staffing they state beside them, for reading |
//! | 表1 … 表11 | each standard table as printed: the title merged across, `表 N`, `编制部门：`, `单位：万元`, then the printed header (merged where the printed table merges), then rows |
//! | 情况说明 | 第三部分 row by row: `节`, `小标题`, `段落`, and where a project description or a target table sits |
//! | 项目说明 | the project descriptions of section 七, one per row |
//! | 部门整体绩效目标 / 项目绩效目标 | the target tables, one block each (labelled rows, then 一级/二级/三级指标, 指标值, 设置依据, 上年完成值, 分值权重, 赋分规则, 佐证资料), a blank row between blocks |
//! | 名词解释 | the glossary |
//! | 代码表 (hidden) | the year's functional and economic code catalogs |
//!
//! Section 十二's facts (procurement, assets, performance summary, classified projects) have no
//! sheet: as in the text layout they are what section 十二's paragraphs say, derived on reading.
//!
//! Tables keep the printed headers so that a department copies its figures cell for cell and a
//! reader of the public workbook sees the tables of the PDF. Code columns hold the whole code
//! (`2150502`) as text with a drop-down list from 代码表 (an unknown code only warns: it stays
//! representable and the validator reports it). Amount cells are numbers formatted `#,##0.00`;
//! an amount printed with another number of decimals is written as its text so that the scale
//! survives the round trip. Rows the model cannot tell apart by their cells carry what it needs
//! visibly (表7 / 表11 `行类型`) or in a hidden column (`标准行` of 表1, 表4, 表10: the standard
//! line a revenue row is, `-` for none). A table the document lacks has no sheet; the template
//! has every sheet, so a filled-in empty table reads as an empty table (it then needs a
//! `表注` 空表说明 row, which the validator checks).
//!
//! Reading, a table sheet is cut into the neutral layout's table (its header paths from the
//! template's header cells, each row with its sheet and row) and built by the 11-table
//! template's profile, as the text export's tables are (`budgetflow_formats::profile`): the
//! `标准行` and `行类型` columns are columns the profile maps to a row's line and kind, which go
//! before what the labels would say, and a fault the profile finds names the sheet and cell.
//!
//! The narrative is text-first as in the text layout: paragraphs are kept verbatim and the
//! statements, allocations, periods, staffing and the facts of section 十二 are derived from
//! them by `budgetflow_formats::derive`, as for every source, so one set of rules reads all formats. Words that the text reader
//! would read as something else (a paragraph starting like a sub-heading `（一）`, two
//! paragraphs in one cell, a line break inside an indicator) are refused at their cell
//! ([`WorkbookError::Reread`]) rather than silently changing meaning.
//!
//! ## The template reads back as "nothing filled"
//!
//! `read(template(year))` is the error [`WorkbookError::NothingFilled`]: a disclosure without a
//! department name is not a submission, and saying so is clearer than a document of blanks.
//!
//! ## Limits
//!
//! [`Limits`] guards against zip bombs before calamine sees the bytes: file size, the entry
//! count (from the end-of-central-directory record, before the directory is parsed), the sum
//! of declared uncompressed sizes, and what the entries actually unpack to (see
//! [`limits`]). It also bounds what the XML may make the reader build: every XML part is
//! checked before calamine parses it (no `<!DOCTYPE`, nesting, the run between two tags, the
//! number of sheets and shared strings, the length of every string), and each sheet is
//! streamed cell by cell and held to the template's shape — at most `max_rows` rows and
//! `max_columns` columns, whatever its `<dimension>` claims — before its grid is built. A
//! cell at `XFD1048576` is refused with the sheet and the cell, not allocated.

pub mod error;
mod forms;
mod layout;
pub mod limits;
mod read;
mod write;

pub use error::{Expected, WorkbookError};
pub use limits::Limits;
pub use read::{read, read_path};
pub use write::{neutralised, template, write, write_public, FORMULA_TRIGGERS};
