//! 第二部分: tables 1–11.
//!
//! A table is found by its caption (`表 1` / `表2`) and identified by its title. The header
//! block ends with the column-number row (`※ ※ ※ ※ 1 2 3 …`), which also tells where the
//! amount columns start; header blocks repeated after a page break (and the repeated
//! `编制部门`/`单位` lines) are skipped. Text under a table (an empty-table statement) becomes
//! a note.

use std::collections::HashSet;

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::tables::{
    AppropriationColumns, AppropriationLine, AppropriationTable, BasicColumns, BasicTable,
    CarryOverColumns, CarryOverRow, CarryOverRowKind, CarryOverTable, ClassAmount,
    ClassAppropriation, Columns, EconomicRow, FunctionRow, FunctionTable, LabeledAmount,
    OverallTable, ProjectColumns, ProjectName, ProjectRow, ProjectRowKind, ProjectTable,
    RevenueLine, TableHeader, TableKind, Tables, ThreePublicColumns, ThreePublicLine,
    ThreePublicRow, ThreePublicTable, UnrecognisedTable,
};
use budgetflow_model::{Amount, Catalog, EconomicCode, FiscalYear, FunctionCode, MoneyUnit};

use super::lines::{label_key, label_matches, trim, trim_start, Line, Row};
use crate::error::{Expected, ReadError};
use crate::limits::MAX_TABLE_ROWS;

/// What the tables part needs to know from the rest of the document.
pub(crate) struct Context<'a> {
    pub year: FiscalYear,
    /// Budget units named in the overview: rows of 表11 with these names are unit subtotals.
    pub units: &'a [String],
}

/// Reads the lines of 第二部分 into the eleven tables.
pub(crate) fn read(lines: &[Line<'_>], ctx: &Context<'_>) -> Result<Tables, ReadError> {
    let mut tables = Tables::default();
    let mut unit_names: HashSet<String> = ctx.units.iter().map(|u| label_key(u)).collect();
    for chunk in chunks(lines) {
        let table = Chunk::parse(chunk)?;
        match table.kind {
            Some(TableKind::Overall) => tables.overall = Some(overall(&table)?),
            Some(TableKind::Revenue) => tables.revenue = Some(function_table(&table, 4)?),
            Some(TableKind::Expenditure) => tables.expenditure = Some(function_table(&table, 4)?),
            Some(TableKind::Appropriation) => tables.appropriation = Some(appropriation(&table)?),
            Some(TableKind::GeneralBudget) => {
                tables.general_budget = Some(function_table(&table, 4)?)
            }
            Some(TableKind::Basic) => tables.basic = Some(basic(&table)?),
            Some(TableKind::Projects) => {
                let t = projects(&table, ctx.year)?;
                unit_names.extend(
                    t.rows
                        .iter()
                        .filter(|r| r.kind == ProjectRowKind::Unit)
                        .map(|r| label_key(&r.name)),
                );
                tables.projects = Some(t);
            }
            Some(TableKind::GovFund) => tables.gov_fund = Some(function_table(&table, 4)?),
            Some(TableKind::SoeCapital) => tables.soe_capital = Some(function_table(&table, 4)?),
            Some(TableKind::ThreePublic) => tables.three_public = Some(three_public(&table)?),
            Some(TableKind::CarryOver) => {
                tables.carry_over = Some(carry_over(&table, &unit_names)?)
            }
            None => tables.unrecognised.push(UnrecognisedTable {
                header: table.header.clone(),
                lines: table
                    .rows
                    .iter()
                    .map(|l| l.cells.iter().map(|c| c.to_string()).collect())
                    .collect(),
            }),
        }
    }
    Ok(tables)
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

/// One table's lines, sorted into header, rows and notes.
struct Chunk<'a> {
    kind: Option<TableKind>,
    header: TableHeader,
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
        let kind = TableKind::from_title(&title);
        let mut header = TableHeader {
            number,
            title,
            compiler: None,
            unit: MoneyUnit::TenThousandYuan,
            notes: Vec::new(),
            columns: Vec::new(),
            page: None,
        };
        let mut unit_seen = false;
        // a row per line at most: sized once rather than grown by doubling
        let mut rows = Vec::with_capacity(lines.len().min(MAX_TABLE_ROWS));
        for l in iter.by_ref() {
            if l.no == title_line {
                continue;
            }
            if l.is_row() {
                if rows.len() == MAX_TABLE_ROWS {
                    return Err(ReadError::layout(
                        l.no,
                        format!("表{number}"),
                        Expected::AtMostRows(MAX_TABLE_ROWS),
                        l.text,
                    ));
                }
                rows.push(l.row()?);
                continue;
            }
            let t = l.trimmed();
            if let Some(c) = t
                .strip_prefix("编制部门：")
                .or_else(|| t.strip_prefix("编制部门:"))
                .or_else(|| t.strip_prefix("编制单位："))
            {
                header.compiler.get_or_insert_with(|| c.trim().to_string());
            } else if let Some(u) = t.strip_prefix("单位：").or_else(|| t.strip_prefix("单位:"))
            {
                let unit = MoneyUnit::from_label(u).ok_or_else(|| {
                    ReadError::layout(l.no, format!("表{number} 单位"), Expected::UnitLine, t)
                })?;
                if unit_seen && unit != header.unit {
                    return Err(ReadError::layout(
                        l.no,
                        format!("表{number} 单位（续页）"),
                        Expected::SameUnit(header.unit.label()),
                        u.trim(),
                    ));
                }
                header.unit = unit;
                unit_seen = true;
            } else {
                header.notes.push(t.to_string());
            }
        }
        Ok(Chunk { kind, header, rows })
    }

    fn name(&self) -> String {
        format!("表{} {}", self.header.number, self.header.title)
    }

    /// Data rows after the header block(s), and the index of the first amount column.
    fn data(&self, default_start: usize) -> (usize, Vec<&Row<'a>>) {
        let has_marker = self.rows.iter().any(|l| l.cells.first() == Some(&"※"));
        let mut start = default_start;
        let mut in_header = has_marker;
        let mut out = Vec::with_capacity(self.rows.len());
        for l in &self.rows {
            let cells = &l.cells;
            if cells.first() == Some(&"※") {
                if let Some(p) = cells.iter().position(|c| *c == "1") {
                    start = p;
                }
                in_header = false;
                continue;
            }
            if in_header {
                continue;
            }
            if is_header_row(cells, self.kind) {
                in_header = has_marker;
                continue;
            }
            out.push(l);
        }
        (start, out)
    }
}

fn is_header_row(cells: &[&str], kind: Option<TableKind>) -> bool {
    let first = cells.iter().find(|c| !c.is_empty()).copied().unwrap_or("");
    // a header label starts with 功, 科, 经 or 三 (after any quote): a data row, which starts
    // with a code, a name or an amount, is ruled out by its first character
    let may_be_header = matches!(
        first.chars().next(),
        Some('功' | '科' | '经' | '三' | '"' | '“' | '”')
    );
    may_be_header
        && [
            "功能分类科目编码",
            "科目编码",
            "科目",
            "经济分类科目编码",
            "三公经费支出内容",
        ]
        .iter()
        .any(|h| label_matches(first, h))
        || (cells.first() == Some(&"类") && cells.get(1) == Some(&"款"))
        || (kind == Some(TableKind::CarryOver) && cells.first() == Some(&"项目"))
}

fn amount_cell(
    l: &Line<'_>,
    table: &str,
    column: &str,
    cell: Option<&&str>,
) -> Result<Option<Amount>, ReadError> {
    match cell.map(|c| trim(c)) {
        None | Some("") => Ok(None),
        Some(c) => parse_printed_decimal(c)
            .map(|d| Some(Amount::new(d)))
            .map_err(|_| {
                ReadError::layout(
                    l.no,
                    format!("{table} · {column}"),
                    Expected::AmountOrBlank,
                    c,
                )
            }),
    }
}

fn amounts<A: Columns>(
    l: &Line<'_>,
    cells: &[&str],
    start: usize,
    table: &str,
) -> Result<A, ReadError> {
    if cells.len() <= start {
        return Err(ReadError::layout(
            l.no,
            table.to_string(),
            Expected::AmountsAfterLabels(start),
            l.text.trim(),
        ));
    }
    let mut a = A::default();
    // the text export is the standard template's: its columns, in its order
    for (i, label) in A::standard_labels().iter().enumerate() {
        a.set(i, amount_cell(l, table, label, cells.get(start + i))?);
    }
    if let Some(extra) = cells
        .iter()
        .skip(start + A::STANDARD)
        .find(|c| !c.is_empty())
    {
        return Err(ReadError::layout(
            l.no,
            table.to_string(),
            Expected::AmountColumns(A::STANDARD),
            *extra,
        ));
    }
    Ok(a)
}

/// Splits `215 08 支持中小企业…` into (`21508`, `支持中小企业…`).
fn leading_code(name: &str) -> Option<(String, &str)> {
    let mut digits = String::new();
    let mut rest = name;
    loop {
        let t = trim_start(rest);
        let n = t.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            break;
        }
        digits.push_str(&t[..n]);
        rest = &t[n..];
    }
    (!digits.is_empty()).then(|| (digits, trim(rest)))
}

fn function_code(
    l: &Line<'_>,
    table: &str,
    parts: &[&str],
) -> Result<Option<FunctionCode>, ReadError> {
    let (c, k, x) = (
        parts.first().copied().unwrap_or(""),
        parts.get(1).copied().unwrap_or(""),
        parts.get(2).copied().unwrap_or(""),
    );
    if c.is_empty() && k.is_empty() && x.is_empty() {
        return Ok(None);
    }
    FunctionCode::from_parts(c, k, x).map(Some).map_err(|_| {
        ReadError::layout(
            l.no,
            format!("{table} · 功能分类科目编码"),
            Expected::FunctionCodeParts,
            format!("{c}|{k}|{x}"),
        )
    })
}

fn is_total_name(name: &str) -> bool {
    label_matches(name, "总计") || label_matches(name, "合计")
}

fn function_table<A: Columns>(
    t: &Chunk<'_>,
    default_start: usize,
) -> Result<FunctionTable<A>, ReadError> {
    let name = t.name();
    let (start, rows) = t.data(default_start);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (l, cells) = (&row.line, &row.cells);
        let label_cells = &cells[..start.min(cells.len())];
        let (code_cells, row_name) = match label_cells.split_last() {
            Some((n, codes)) => (codes, *n),
            None => (&[][..], ""),
        };
        let mut code = function_code(l, &name, code_cells)?;
        let mut row_name = row_name.to_string();
        if code.is_none() && !is_total_name(&row_name) {
            if let Some((digits, rest)) = leading_code(&row_name) {
                code = Some(digits.parse().map_err(|_| {
                    ReadError::layout(l.no, name.clone(), Expected::CodeBeforeName, &row_name)
                })?);
                row_name = rest.to_string();
            }
        }
        out.push(FunctionRow {
            code,
            name: row_name,
            amounts: amounts::<A>(l, cells, start, &name)?,
            page: None,
        });
    }
    Ok(FunctionTable {
        header: t.header.clone(),
        rows: out,
    })
}

fn basic(t: &Chunk<'_>) -> Result<BasicTable, ReadError> {
    let name = t.name();
    let (start, rows) = t.data(3);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (l, cells) = (&row.line, &row.cells);
        let label_cells = &cells[..start.min(cells.len())];
        let (c, k, row_name) = match label_cells {
            [c, k, n] => (*c, *k, *n),
            [c, n] => (*c, "", *n),
            [n] => ("", "", *n),
            _ => ("", "", ""),
        };
        let code = if c.is_empty() && k.is_empty() {
            None
        } else {
            Some(EconomicCode::from_parts(c, k).map_err(|_| {
                ReadError::layout(
                    l.no,
                    format!("{name} · 经济分类科目编码"),
                    Expected::EconomicCodeParts,
                    format!("{c}|{k}"),
                )
            })?)
        };
        out.push(EconomicRow {
            code,
            name: row_name.to_string(),
            amounts: amounts::<BasicColumns>(l, cells, start, &name)?,
            page: None,
        });
    }
    Ok(BasicTable {
        header: t.header.clone(),
        rows: out,
    })
}

fn projects(t: &Chunk<'_>, year: FiscalYear) -> Result<ProjectTable, ReadError> {
    let name = t.name();
    let catalog = Catalog::for_year(year);
    let (start, rows) = t.data(5);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (l, cells) = (&row.line, &row.cells);
        let label = |i: usize| cells.get(i).copied().filter(|_| i < start).unwrap_or("");
        let function_name = label(3).to_string();
        let project = label(4);
        let mut code = function_code(l, &name, &[label(0), label(1), label(2)])?;
        let amounts = amounts::<ProjectColumns>(l, cells, start, &name)?;
        if !project.is_empty() {
            out.push(ProjectRow {
                kind: ProjectRowKind::Project,
                code,
                name: function_name,
                project: Some(ProjectName::new(project)),
                amounts,
            });
            continue;
        }
        let mut row_name = function_name;
        if code.is_none() && is_total_name(&row_name) {
            out.push(ProjectRow {
                kind: ProjectRowKind::Total,
                code: None,
                name: row_name,
                project: None,
                amounts,
            });
            continue;
        }
        if code.is_none() {
            if let Some((digits, rest)) = leading_code(&row_name) {
                let printed: FunctionCode = digits.parse().map_err(|_| {
                    ReadError::layout(l.no, name.clone(), Expected::CodeBeforeName, &row_name)
                })?;
                row_name = rest.to_string();
                // `215 工业和信息产业`: only the 类 is printed, the name is a 款 of it
                code = Some(match catalog.kuan_named(&printed, &row_name) {
                    Some(kuan) if printed.level() == budgetflow_model::FunctionLevel::Class => kuan,
                    _ => printed,
                });
            } else if let Some(class) = catalog.function_class_named(&row_name) {
                code = Some(class);
            }
        }
        let kind = match code.map(|c| c.level()) {
            Some(budgetflow_model::FunctionLevel::Class) => ProjectRowKind::Class,
            Some(budgetflow_model::FunctionLevel::Kuan) => ProjectRowKind::Kuan,
            Some(budgetflow_model::FunctionLevel::Xiang) => ProjectRowKind::Xiang,
            None => ProjectRowKind::Unit,
        };
        out.push(ProjectRow {
            kind,
            code,
            name: row_name,
            project: None,
            amounts,
        });
    }
    Ok(ProjectTable {
        header: t.header.clone(),
        rows: out,
    })
}

fn three_public(t: &Chunk<'_>) -> Result<ThreePublicTable, ReadError> {
    let name = t.name();
    let (start, rows) = t.data(1);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (l, cells) = (&row.line, &row.cells);
        let label = cells.first().copied().unwrap_or("").to_string();
        let key = line_core(&label);
        let line = ThreePublicLine::STANDARD
            .iter()
            .find(|(_, s)| line_core(s) == key)
            .map(|(l, _)| *l);
        out.push(ThreePublicRow {
            line,
            label,
            amounts: amounts::<ThreePublicColumns>(l, cells, start, &name)?,
            page: None,
        });
    }
    Ok(ThreePublicTable {
        header: t.header.clone(),
        rows: out,
    })
}

/// Whether a 表11 row names a budget unit rather than a project: a unit the overview or 表7
/// lists, or (failing that) a name shaped like an organisation.
fn looks_like_unit(name: &str, units: &HashSet<String>) -> bool {
    let key = label_key(name);
    if units.contains(&key) || units.contains(key.trim_end_matches("（本级）")) {
        return true;
    }
    if !units.is_empty() {
        return false;
    }
    const ORG_ENDINGS: [&str; 10] = [
        "局",
        "中心",
        "委员会",
        "办公室",
        "院",
        "站",
        "队",
        "馆",
        "厅",
        "所",
    ];
    const PROJECT_WORDS: [&str; 6] = ["经费", "费", "资金", "项目", "方案", "特定目标"];
    ORG_ENDINGS.iter().any(|e| key.ends_with(e)) && !PROJECT_WORDS.iter().any(|w| key.contains(w))
}

fn carry_over(t: &Chunk<'_>, units: &HashSet<String>) -> Result<CarryOverTable, ReadError> {
    let name = t.name();
    let (start, rows) = t.data(1);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (l, cells) = (&row.line, &row.cells);
        let row_name = cells.first().copied().unwrap_or("").to_string();
        let kind = if is_total_name(&row_name) {
            CarryOverRowKind::Total
        } else if looks_like_unit(&row_name, units) {
            CarryOverRowKind::Unit
        } else {
            CarryOverRowKind::Project
        };
        out.push(CarryOverRow {
            kind,
            name: row_name,
            amounts: amounts::<CarryOverColumns>(l, cells, start, &name)?,
        });
    }
    Ok(CarryOverTable {
        header: t.header.clone(),
        rows: out,
    })
}

/// The comparable core of a line label: no numbering, no `其中：`.
fn line_core(s: &str) -> String {
    let s = trim(s);
    let s = s
        .strip_prefix("其中：")
        .or_else(|| s.strip_prefix("其中:"))
        .unwrap_or(s);
    let s = s.trim_start_matches(|c: char| {
        c.is_ascii_digit()
            || matches!(
                c,
                '一' | '二'
                    | '三'
                    | '四'
                    | '五'
                    | '六'
                    | '七'
                    | '八'
                    | '九'
                    | '十'
                    | '、'
                    | '.'
                    | '．'
            )
    });
    let s = s.strip_prefix("其中：").unwrap_or(s);
    if !s.contains([' ', '(', ')', ':', '"', '“', '”', '\u{3000}']) {
        return s.to_string();
    }
    label_key(s)
}

/// Matches printed labels to the standard lines in order (`其中：一般公共预算拨款` under
/// 财政拨款结转 is a different line from `1.一般公共预算拨款`).
struct LineMatcher<L: 'static> {
    standard: Vec<(L, String)>,
    next: usize,
}

impl<L: Copy> LineMatcher<L> {
    fn new(standard: &'static [(L, &'static str)]) -> Self {
        LineMatcher {
            standard: standard.iter().map(|(l, s)| (*l, line_core(s))).collect(),
            next: 0,
        }
    }

    fn find(&mut self, label: &str) -> Option<L> {
        let key = line_core(label);
        if key.is_empty() {
            return None;
        }
        let (i, line) = self
            .standard
            .iter()
            .enumerate()
            .skip(self.next)
            .find(|(_, (_, s))| *s == key)
            .map(|(i, (l, _))| (i, *l))?;
        self.next = i + 1;
        Some(line)
    }
}

fn class_label(
    l: &Line<'_>,
    table: &str,
    label: &str,
) -> Result<(Option<FunctionCode>, String), ReadError> {
    match leading_code(label) {
        Some((digits, rest)) => {
            let code = digits.parse().map_err(|_| {
                ReadError::layout(
                    l.no,
                    table.to_string(),
                    Expected::ClassCodeBeforeName,
                    label,
                )
            })?;
            Ok((Some(code), rest.to_string()))
        }
        None => Ok((None, label.to_string())),
    }
}

/// The left, revenue side of a two-sided table (表1, 表4): a labelled amount per row, the
/// standard lines recognised in order, `收入总计` as the total. An amount without a label is an
/// error on both tables.
fn revenue_side<L: Copy>(
    l: &Line<'_>,
    table: &str,
    cells: &[&str],
    column: &str,
    lines: &mut LineMatcher<L>,
    revenue: &mut Vec<LabeledAmount<L>>,
    total: &mut Option<Amount>,
) -> Result<(), ReadError> {
    let (label, printed) = (
        cells.first().copied().unwrap_or(""),
        cells.get(1).copied().unwrap_or(""),
    );
    if label.is_empty() {
        if !printed.is_empty() {
            return Err(ReadError::layout(
                l.no,
                table,
                Expected::RevenueLabelBeforeAmount,
                printed,
            ));
        }
        return Ok(());
    }
    let amount = amount_cell(l, table, column, cells.get(1))?;
    if label_matches(label, "收入总计") {
        *total = amount;
    } else {
        revenue.push(LabeledAmount {
            line: lines.find(label),
            label: label.to_string(),
            amount,
            page: None,
        });
    }
    Ok(())
}

fn overall(t: &Chunk<'_>) -> Result<OverallTable, ReadError> {
    let name = t.name();
    let mut table = OverallTable {
        header: t.header.clone(),
        revenue: Vec::new(),
        expenditure: Vec::new(),
        revenue_total: None,
        expenditure_total: None,
        expenditure_total_split: None,
    };
    let mut lines = LineMatcher::new(RevenueLine::STANDARD);
    for row in &t.rows {
        let (l, cells) = (&row.line, &row.cells);
        let cell = |i: usize| cells.get(i).copied().unwrap_or("");
        if matches!(cell(0), "收入" | "项目") && parse_printed_decimal(cell(1)).is_err() {
            continue;
        }
        let right = cell(2);
        revenue_side(
            l,
            &name,
            cells,
            "收入预算数",
            &mut lines,
            &mut table.revenue,
            &mut table.revenue_total,
        )?;
        if !right.is_empty() {
            let amount = amount_cell(l, &name, "支出预算数", cells.get(3))?;
            if label_matches(right, "支出总计") {
                table.expenditure_total = amount;
            } else {
                let (code, class_name) = class_label(l, &name, right)?;
                table.expenditure.push(ClassAmount {
                    code,
                    name: class_name,
                    amount,
                    split: None,
                    page: None,
                });
            }
        }
    }
    Ok(table)
}

fn appropriation(t: &Chunk<'_>) -> Result<AppropriationTable, ReadError> {
    let name = t.name();
    let mut table = AppropriationTable {
        header: t.header.clone(),
        revenue: Vec::new(),
        expenditure: Vec::new(),
        revenue_total: None,
        expenditure_total: AppropriationColumns::default(),
    };
    let mut lines = LineMatcher::new(AppropriationLine::STANDARD);
    for row in &t.rows {
        let (l, cells) = (&row.line, &row.cells);
        let cell = |i: usize| cells.get(i).copied().unwrap_or("");
        if (label_matches(cell(0), "财政拨款收入") || label_matches(cell(0), "项目"))
            && parse_printed_decimal(cell(1)).is_err()
        {
            continue;
        }
        let right = cell(2);
        revenue_side(
            l,
            &name,
            cells,
            "收入合计",
            &mut lines,
            &mut table.revenue,
            &mut table.revenue_total,
        )?;
        if !right.is_empty() {
            let a = amounts::<AppropriationColumns>(l, cells, 3, &name)?;
            if label_matches(right, "支出总计") {
                table.expenditure_total = a;
            } else {
                let (code, class_name) = class_label(l, &name, right)?;
                table.expenditure.push(ClassAppropriation {
                    code,
                    name: class_name,
                    amounts: a,
                    page: None,
                });
            }
        }
    }
    Ok(table)
}
