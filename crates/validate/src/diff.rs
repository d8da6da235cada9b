//! The version diff of two disclosures: what a resubmission changed since the version a
//! reviewer saw — which cells, which paragraphs, which findings were fixed and which are new.
//!
//! It lives in the validator because a third of it is the validator's findings on both
//! versions, matched by rule and location; the cells and paragraphs are read from the model.
//! A separate crate would only re-export this one.
//!
//! The two documents are compared by meaning, not by bytes: tables by kind, rows by code (else
//! by normalised name, [`budgetflow_model::names`]), cells by the model's column key, amounts as
//! decimals in the old table's unit (a blank cell reads as zero, as in every check), paragraphs
//! by their normalised text. A PDF resubmitted as a workbook therefore compares clean when it
//! says the same things.
//!
//! Not compared (yet): the overview, the project descriptions and target tables, other
//! matters, the glossary and tables whose title the reader did not recognise.

use std::borrow::Cow;

use serde::Serialize;

use budgetflow_model::names::name_key;
use budgetflow_model::tables::{
    AppropriationColumns, AppropriationTable, BasicTable, CarryOverTable, FunctionTable,
    FundColumns, LabeledAmount, OverallTable, ProjectTable, TableHeader, ThreePublicTable,
};
use budgetflow_model::{
    Amount, Columns, Document, MoneyUnit, Section, SectionTopic, Severity, TableKind,
};

use crate::finding::{Finding, Place};
use crate::rule::Lang;

/// What changed from one version of a disclosure to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionDiff {
    /// Cells whose amount changed, in rows present in both versions.
    pub cells: Vec<CellChange>,
    /// Rows only one version prints, and rows paired across versions whose code or name
    /// changed.
    pub rows: Vec<RowChange>,
    /// Explanation paragraphs changed, added or removed.
    pub paragraphs: Vec<ParagraphChange>,
    pub findings: FindingsDiff,
}

impl VersionDiff {
    /// Whether the two versions say the same things.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
            && self.rows.is_empty()
            && self.paragraphs.is_empty()
            && self.findings.resolved.is_empty()
            && self.findings.new.is_empty()
    }
}

/// A table as both versions print it: its kind, printed number and title (the new version's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableRef {
    pub kind: TableKind,
    pub number: u32,
    pub title: String,
}

impl TableRef {
    /// `表6 一般公共预算基本支出情况表` (`Table 6 …`).
    pub fn label(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("表{} {}", self.number, self.title),
            Lang::En => format!("Table {} {}", self.number, self.title),
        }
    }
}

/// Which list of a two-sided table (表1, 表4) a row is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Revenue,
    Expenditure,
}

/// A row as printed: its code and name, and the side of a two-sided table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub name: String,
}

impl RowRef {
    /// `30101 基本工资`, with the side of a two-sided table (`收入 `, `支出 `).
    pub fn label(&self, lang: Lang) -> String {
        let mut label = String::new();
        if let Some(side) = self.side {
            label.push_str(match side {
                Side::Revenue => lang.pick("收入 ", "revenue "),
                Side::Expenditure => lang.pick("支出 ", "expenditure "),
            });
        }
        if let Some(code) = &self.code {
            label.push_str(code);
            label.push(' ');
        }
        label.push_str(&self.name);
        label
    }
}

/// A column: the model's key (`personnel`) and the printed label (`人员经费`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnRef {
    pub key: &'static str,
    pub label: &'static str,
}

/// One cell whose amount changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellChange {
    pub table: TableRef,
    pub row: RowRef,
    pub column: ColumnRef,
    /// `None`: blank.
    pub old: Option<Amount>,
    /// In the old table's unit, when the two print different units.
    pub new: Option<Amount>,
    pub unit: MoneyUnit,
}

/// How a row changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowChangeKind {
    /// Only the new version prints it.
    Added,
    /// Only the old version prints it.
    Removed,
    /// Both print it, under another code or name (its cells are compared as usual).
    Relabelled,
}

/// A row only one version prints, with its printed cells; or a row relabelled, with the code
/// and name the old version printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowChange {
    pub table: TableRef,
    /// As the new version prints it (the old one's for a removed row).
    pub row: RowRef,
    pub change: RowChangeKind,
    /// The old version's code and name of a relabelled row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_row: Option<RowRef>,
    /// The printed cells of an added or removed row.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<Cell>,
    pub unit: MoneyUnit,
}

/// A printed cell of an added or removed row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub column: ColumnRef,
    pub value: Amount,
}

/// An explanation section: its standard topic when recognised, printed number and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<SectionTopic>,
    pub number: u32,
    pub title: String,
}

impl SectionRef {
    /// `说明三 机关运行经费` for a standard section, else its printed number and title.
    pub fn label(&self, lang: Lang) -> String {
        match self.topic {
            Some(topic) => format!("{} {}", Place::Section(topic).label(lang), self.title),
            None => format!("{} {}", self.number, self.title),
        }
    }
}

/// How a paragraph changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParagraphChangeKind {
    Changed,
    Added,
    Removed,
}

/// A paragraph changed, added or removed; positions are 1-based among the section's paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParagraphChange {
    pub section: SectionRef,
    pub change: ParagraphChangeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_position: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_position: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

/// The findings of both versions, matched by rule id and location (never by message text,
/// which carries the figures that changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingsDiff {
    /// In the old version, not in the new: fixed.
    pub resolved: Vec<FindingRef>,
    /// In the new version, not in the old.
    pub new: Vec<FindingRef>,
    /// In both (as the new version reports it).
    pub still_open: Vec<FindingRef>,
}

/// A finding as the diff reports it: rule, severity, place, location and the message in both
/// languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRef {
    pub rule: &'static str,
    pub severity: Severity,
    /// `表6`, `说明三`, `全文`.
    pub place: String,
    /// The standard table, when the finding is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<TableKind>,
    /// The explanation section, when the finding is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<SectionTopic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message_zh: String,
    pub message_en: String,
}

impl FindingRef {
    fn of(f: &Finding) -> FindingRef {
        FindingRef {
            rule: f.rule.id,
            severity: f.severity,
            place: f.place.label(Lang::Zh),
            table: match f.place {
                Place::Table(kind) => Some(kind),
                _ => None,
            },
            section: match f.place {
                Place::Section(topic) => Some(topic),
                _ => None,
            },
            code: f.location.code.clone(),
            name: f.location.name.clone(),
            column: f.location.column.as_ref().map(|c| c.to_string()),
            message_zh: f.message(Lang::Zh),
            message_en: f.message(Lang::En),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.message_zh, &self.message_en)
    }
}

/// Compares `old` with `new` by meaning and validates both.
pub fn diff(old: &Document, new: &Document) -> VersionDiff {
    let mut cells = Vec::new();
    let mut rows = Vec::new();
    for kind in TableKind::ALL {
        let (a, b) = (flat_table(old, kind), flat_table(new, kind));
        if a.is_none() && b.is_none() {
            continue;
        }
        diff_table(kind, a, b, &mut cells, &mut rows);
    }
    VersionDiff {
        cells,
        rows,
        paragraphs: diff_narrative(old, new),
        findings: diff_findings(
            &crate::validate(old).findings,
            &crate::validate(new).findings,
        ),
    }
}

// ── tables ──────────────────────────────────────────────────────────────────────────────────

/// A table flattened to rows of named cells, so that eleven table shapes compare alike.
struct FlatTable<'d> {
    header: &'d TableHeader,
    rows: Vec<FlatRow<'d>>,
}

struct FlatRow<'d> {
    side: Option<Side>,
    code: Option<&'d str>,
    name: &'d str,
    cells: Vec<(ColumnRef, Option<Amount>)>,
}

impl FlatRow<'_> {
    fn key(&self) -> Cow<'_, str> {
        name_key(self.name)
    }

    fn row_ref(&self) -> RowRef {
        RowRef {
            side: self.side,
            code: self.code.map(str::to_owned),
            name: self.name.to_owned(),
        }
    }
}

fn columns<A: Columns>(amounts: &A) -> Vec<(ColumnRef, Option<Amount>)> {
    A::KEYS
        .iter()
        .zip(A::LABELS)
        .enumerate()
        .map(|(i, (key, label))| (ColumnRef { key, label }, amounts.get(i)))
        .collect()
}

/// The one column of a list that prints a single amount per line (表1, 表4 revenue).
const AMOUNT: ColumnRef = ColumnRef {
    key: "amount",
    label: "金额",
};

fn row<'d>(
    side: Option<Side>,
    code: Option<&'d str>,
    name: &'d str,
    cells: Vec<(ColumnRef, Option<Amount>)>,
) -> FlatRow<'d> {
    FlatRow {
        side,
        code,
        name,
        cells,
    }
}

fn flat_table(doc: &Document, kind: TableKind) -> Option<FlatTable<'_>> {
    let t = &doc.tables;
    match kind {
        TableKind::Overall => t.overall.as_ref().map(flat_overall),
        TableKind::Revenue => t.revenue.as_ref().map(flat_function),
        TableKind::Expenditure => t.expenditure.as_ref().map(flat_function),
        TableKind::Appropriation => t.appropriation.as_ref().map(flat_appropriation),
        TableKind::GeneralBudget => t.general_budget.as_ref().map(flat_function),
        TableKind::Basic => t.basic.as_ref().map(flat_basic),
        TableKind::Projects => t.projects.as_ref().map(flat_projects),
        TableKind::GovFund => t.gov_fund.as_ref().map(flat_function),
        TableKind::SoeCapital => t.soe_capital.as_ref().map(flat_function),
        TableKind::ThreePublic => t.three_public.as_ref().map(flat_three_public),
        TableKind::CarryOver => t.carry_over.as_ref().map(flat_carry_over),
    }
}

/// The totals of a two-sided table are rows of their own, named as the template prints them.
const REVENUE_TOTAL: &str = "收入总计";
const EXPENDITURE_TOTAL: &str = "支出总计";

/// The revenue side of a two-sided table: its lines as printed, then its total.
fn revenue_side<L>(lines: &[LabeledAmount<L>], total: Option<Amount>) -> Vec<FlatRow<'_>> {
    let mut rows: Vec<FlatRow<'_>> = lines
        .iter()
        .map(|l| {
            row(
                Some(Side::Revenue),
                None,
                &l.label,
                vec![(AMOUNT, l.amount)],
            )
        })
        .collect();
    rows.push(row(
        Some(Side::Revenue),
        None,
        REVENUE_TOTAL,
        vec![(AMOUNT, total)],
    ));
    rows
}

fn flat_overall(t: &OverallTable) -> FlatTable<'_> {
    let mut rows = revenue_side(&t.revenue, t.revenue_total);
    let with_split = |amount: Option<Amount>, split: Option<&FundColumns>| {
        let mut cells = vec![(AMOUNT, amount)];
        cells.extend(columns(split.unwrap_or(&FundColumns::default())));
        cells
    };
    rows.extend(t.expenditure.iter().map(|c| {
        row(
            Some(Side::Expenditure),
            c.code.as_ref().map(|c| c.as_str()),
            &c.name,
            with_split(c.amount, c.split.as_ref()),
        )
    }));
    rows.push(row(
        Some(Side::Expenditure),
        None,
        EXPENDITURE_TOTAL,
        with_split(t.expenditure_total, t.expenditure_total_split.as_ref()),
    ));
    FlatTable {
        header: &t.header,
        rows,
    }
}

fn flat_appropriation(t: &AppropriationTable) -> FlatTable<'_> {
    let mut rows = revenue_side(&t.revenue, t.revenue_total);
    rows.extend(t.expenditure.iter().map(|c| {
        row(
            Some(Side::Expenditure),
            c.code.as_ref().map(|c| c.as_str()),
            &c.name,
            columns(&c.amounts),
        )
    }));
    rows.push(row(
        Some(Side::Expenditure),
        None,
        EXPENDITURE_TOTAL,
        columns::<AppropriationColumns>(&t.expenditure_total),
    ));
    FlatTable {
        header: &t.header,
        rows,
    }
}

/// A table of uniform rows, each flattened by `flat`.
fn flat_rows<'d, R>(
    header: &'d TableHeader,
    rows: &'d [R],
    flat: impl FnMut(&'d R) -> FlatRow<'d>,
) -> FlatTable<'d> {
    FlatTable {
        header,
        rows: rows.iter().map(flat).collect(),
    }
}

fn flat_function<A: Columns>(t: &FunctionTable<A>) -> FlatTable<'_> {
    flat_rows(&t.header, &t.rows, |r| {
        row(
            None,
            r.code.as_ref().map(|c| c.as_str()),
            &r.name,
            columns(&r.amounts),
        )
    })
}

fn flat_basic(t: &BasicTable) -> FlatTable<'_> {
    flat_rows(&t.header, &t.rows, |r| {
        row(
            None,
            r.code.as_ref().map(|c| c.as_str()),
            &r.name,
            columns(&r.amounts),
        )
    })
}

fn flat_projects(t: &ProjectTable) -> FlatTable<'_> {
    flat_rows(&t.header, &t.rows, |r| {
        // a project is named by its project name; its code is the function class it is paid
        // from, shared with its neighbours
        let name = r.project.as_ref().map_or(r.name.as_str(), |p| p.as_str());
        row(
            None,
            r.code.as_ref().map(|c| c.as_str()),
            name,
            columns(&r.amounts),
        )
    })
}

fn flat_three_public(t: &ThreePublicTable) -> FlatTable<'_> {
    flat_rows(&t.header, &t.rows, |r| {
        row(None, None, &r.label, columns(&r.amounts))
    })
}

fn flat_carry_over(t: &CarryOverTable) -> FlatTable<'_> {
    flat_rows(&t.header, &t.rows, |r| {
        row(None, None, &r.name, columns(&r.amounts))
    })
}

/// Pairs the rows of two versions of one table (indices into each): first rows with the same
/// code and name, then rows with the same code alone (a row renamed) when the code names one
/// row on each side, then rows with the same name (a code corrected). Rows left over were
/// added or removed. Duplicates pair in printed order.
fn pair_rows(old: &[FlatRow<'_>], new: &[FlatRow<'_>]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut old_free = vec![true; old.len()];
    let mut new_free = vec![true; new.len()];
    let mut pass = |same: &dyn Fn(&FlatRow<'_>, &FlatRow<'_>) -> bool,
                    unique: bool,
                    old_free: &mut [bool],
                    new_free: &mut [bool]| {
        for (i, a) in old.iter().enumerate() {
            if !old_free[i] {
                continue;
            }
            let mut candidates = (0..new.len()).filter(|&j| new_free[j] && same(a, &new[j]));
            let Some(j) = candidates.next() else { continue };
            if unique
                && (candidates.next().is_some()
                    || (0..old.len()).any(|k| k != i && old_free[k] && same(&old[k], &new[j])))
            {
                continue;
            }
            old_free[i] = false;
            new_free[j] = false;
            pairs.push((i, j));
        }
    };
    let same_side = |a: &FlatRow<'_>, b: &FlatRow<'_>| a.side == b.side;
    pass(
        &|a, b| same_side(a, b) && a.code == b.code && a.key() == b.key(),
        false,
        &mut old_free,
        &mut new_free,
    );
    pass(
        &|a, b| same_side(a, b) && a.code.is_some() && a.code == b.code,
        true,
        &mut old_free,
        &mut new_free,
    );
    pass(
        &|a, b| same_side(a, b) && a.key() == b.key(),
        false,
        &mut old_free,
        &mut new_free,
    );
    pairs.sort_unstable();
    pairs
}

fn table_ref(kind: TableKind, header: &TableHeader) -> TableRef {
    TableRef {
        kind,
        number: header.number,
        title: header.title.clone(),
    }
}

/// Blank reads as zero: a `-` printed where the other version prints `0.00` is no change.
fn same_amount(a: Option<Amount>, b: Option<Amount>) -> bool {
    a.unwrap_or(Amount::ZERO) == b.unwrap_or(Amount::ZERO)
}

fn printed_cells(r: &FlatRow<'_>, from: MoneyUnit, to: MoneyUnit) -> Vec<Cell> {
    r.cells
        .iter()
        .filter_map(|(column, value)| {
            value.map(|v| Cell {
                column: column.clone(),
                value: v.convert(from, to),
            })
        })
        .collect()
}

fn diff_table(
    kind: TableKind,
    old: Option<FlatTable<'_>>,
    new: Option<FlatTable<'_>>,
    cells: &mut Vec<CellChange>,
    rows: &mut Vec<RowChange>,
) {
    let unit = old.as_ref().or(new.as_ref()).map(|t| t.header.unit);
    let unit = unit.unwrap_or_default();
    let table = match (&old, &new) {
        (_, Some(t)) | (Some(t), None) => table_ref(kind, t.header),
        (None, None) => return,
    };
    let old_rows = old.as_ref().map_or(&[][..], |t| &t.rows[..]);
    let new_rows = new.as_ref().map_or(&[][..], |t| &t.rows[..]);
    let new_unit = new.as_ref().map_or(unit, |t| t.header.unit);
    let pairs = pair_rows(old_rows, new_rows);
    for &(i, j) in &pairs {
        let (a, b) = (&old_rows[i], &new_rows[j]);
        if a.code != b.code || a.key() != b.key() {
            rows.push(RowChange {
                table: table.clone(),
                row: b.row_ref(),
                change: RowChangeKind::Relabelled,
                old_row: Some(a.row_ref()),
                cells: Vec::new(),
                unit,
            });
        }
        for ((column, before), (_, after)) in a.cells.iter().zip(&b.cells) {
            let after = after.map(|v| v.convert(new_unit, unit));
            if !same_amount(*before, after) {
                cells.push(CellChange {
                    table: table.clone(),
                    row: b.row_ref(),
                    column: column.clone(),
                    old: *before,
                    new: after,
                    unit,
                });
            }
        }
    }
    let removed = (0..old_rows.len()).filter(|i| !pairs.iter().any(|p| p.0 == *i));
    for i in removed {
        rows.push(RowChange {
            table: table.clone(),
            row: old_rows[i].row_ref(),
            change: RowChangeKind::Removed,
            old_row: None,
            cells: printed_cells(&old_rows[i], unit, unit),
            unit,
        });
    }
    let added = (0..new_rows.len()).filter(|j| !pairs.iter().any(|p| p.1 == *j));
    for j in added {
        rows.push(RowChange {
            table: table.clone(),
            row: new_rows[j].row_ref(),
            change: RowChangeKind::Added,
            old_row: None,
            cells: printed_cells(&new_rows[j], new_unit, unit),
            unit,
        });
    }
}

// ── paragraphs ──────────────────────────────────────────────────────────────────────────────

fn section_ref(s: &Section) -> SectionRef {
    SectionRef {
        topic: s.topic,
        number: s.number,
        title: s.title.clone(),
    }
}

/// Sections pair by topic, else (unrecognised headings) by printed number and title.
fn same_section(a: &Section, b: &Section) -> bool {
    match (a.topic, b.topic) {
        (Some(x), Some(y)) => x == y,
        _ => a.number == b.number && name_key(&a.title) == name_key(&b.title),
    }
}

fn diff_narrative(old: &Document, new: &Document) -> Vec<ParagraphChange> {
    let mut out = Vec::new();
    let mut new_paired = vec![false; new.narrative.sections.len()];
    for a in &old.narrative.sections {
        let b = new
            .narrative
            .sections
            .iter()
            .enumerate()
            .find(|(j, b)| !new_paired[*j] && same_section(a, b));
        if let Some((j, _)) = b {
            new_paired[j] = true;
        }
        diff_section(a, b.map(|(_, b)| b), &mut out);
    }
    for (b, _) in new
        .narrative
        .sections
        .iter()
        .zip(new_paired)
        .filter(|(_, paired)| !paired)
    {
        diff_paragraphs(section_ref(b), &[], &texts(b), &mut out);
    }
    out
}

fn texts(s: &Section) -> Vec<&str> {
    s.paragraphs().map(|p| p.text.as_str()).collect()
}

fn diff_section(old: &Section, new: Option<&Section>, out: &mut Vec<ParagraphChange>) {
    let section = section_ref(new.unwrap_or(old));
    let new_texts = new.map(texts).unwrap_or_default();
    diff_paragraphs(section, &texts(old), &new_texts, out);
}

/// Aligns two sections' paragraphs on their longest common run of equal texts (compared by
/// key: spaces and bracket widths do not count); between two aligned paragraphs, the old and
/// new ones left pair by position as changed, and the rest were added or removed.
fn diff_paragraphs(
    section: SectionRef,
    old: &[&str],
    new: &[&str],
    out: &mut Vec<ParagraphChange>,
) {
    let a: Vec<Cow<'_, str>> = old.iter().map(|t| name_key(t)).collect();
    let b: Vec<Cow<'_, str>> = new.iter().map(|t| name_key(t)).collect();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..]
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut gap_old, mut gap_new) = (Vec::new(), Vec::new());
    let mut flush = |gap_old: &mut Vec<usize>, gap_new: &mut Vec<usize>| {
        let n = gap_old.len().max(gap_new.len());
        for k in 0..n {
            let (o, w) = (gap_old.get(k).copied(), gap_new.get(k).copied());
            out.push(ParagraphChange {
                section: section.clone(),
                change: match (o, w) {
                    (Some(_), Some(_)) => ParagraphChangeKind::Changed,
                    (Some(_), None) => ParagraphChangeKind::Removed,
                    _ => ParagraphChangeKind::Added,
                },
                old_position: o.map(|o| o + 1),
                new_position: w.map(|w| w + 1),
                old: o.map(|o| old[o].to_owned()),
                new: w.map(|w| new[w].to_owned()),
            });
        }
        gap_old.clear();
        gap_new.clear();
    };
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            flush(&mut gap_old, &mut gap_new);
            i += 1;
            j += 1;
        } else if j == b.len() || (i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1]) {
            gap_old.push(i);
            i += 1;
        } else {
            gap_new.push(j);
            j += 1;
        }
    }
    flush(&mut gap_old, &mut gap_new);
}

// ── findings ────────────────────────────────────────────────────────────────────────────────

/// What identifies a finding across versions: its rule and where it is, the row name by key.
fn finding_key(
    f: &Finding,
) -> (
    &'static str,
    Place,
    Option<&str>,
    Option<Cow<'_, str>>,
    Option<&str>,
) {
    (
        f.rule.id,
        f.place,
        f.location.code.as_deref(),
        f.location.name.as_deref().map(name_key),
        f.location.column.as_deref(),
    )
}

fn diff_findings(old: &[Finding], new: &[Finding]) -> FindingsDiff {
    let mut old_free = vec![true; old.len()];
    let mut diff = FindingsDiff {
        resolved: Vec::new(),
        new: Vec::new(),
        still_open: Vec::new(),
    };
    for f in new {
        let key = finding_key(f);
        let earlier = (0..old.len()).find(|&i| old_free[i] && finding_key(&old[i]) == key);
        match earlier {
            Some(i) => {
                old_free[i] = false;
                diff.still_open.push(FindingRef::of(f));
            }
            None => diff.new.push(FindingRef::of(f)),
        }
    }
    diff.resolved = old
        .iter()
        .zip(old_free)
        .filter(|(_, free)| *free)
        .map(|(f, _)| FindingRef::of(f))
        .collect();
    diff
}

#[cfg(test)]
mod tests {
    use budgetflow_model::tables::{BasicColumns, BasicTable, EconomicRow};
    use budgetflow_model::{DocumentKind, EconomicCode};

    use super::*;

    fn amount(s: &str) -> Amount {
        s.parse().expect("an amount")
    }

    /// A document whose 表6 prints `rows` as (code, name, total) in `unit`.
    fn with_basic(unit: MoneyUnit, rows: &[(&str, &str, &str)]) -> Document {
        let mut doc = Document::new(
            "某局",
            "2025".parse().expect("a year"),
            DocumentKind::DepartmentBudget,
        );
        doc.tables.basic = Some(BasicTable {
            header: TableHeader::new(6, TableKind::Basic.standard_title(), unit),
            rows: rows
                .iter()
                .map(|(code, name, total)| EconomicRow {
                    code: Some(code.parse::<EconomicCode>().expect("a code")),
                    name: (*name).into(),
                    amounts: BasicColumns {
                        total: Some(amount(total)),
                        ..BasicColumns::default()
                    },
                    page: None,
                })
                .collect(),
        });
        doc
    }

    #[test]
    fn a_renamed_row_pairs_by_code_and_is_reported_relabelled() {
        let old = with_basic(MoneyUnit::TenThousandYuan, &[("30101", "基本工资", "1.00")]);
        let new = with_basic(
            MoneyUnit::TenThousandYuan,
            &[("30101", "基本 工资（在职）", "2.00")],
        );
        let d = diff(&old, &new);
        assert_eq!(d.cells.len(), 1, "the cell still compares: {:#?}", d.cells);
        assert_eq!(
            (d.cells[0].old, d.cells[0].new),
            (Some(amount("1.00")), Some(amount("2.00")))
        );
        assert_eq!(d.rows.len(), 1, "{:#?}", d.rows);
        assert_eq!(d.rows[0].change, RowChangeKind::Relabelled);
        assert_eq!(
            d.rows[0].old_row.as_ref().map(|r| r.name.as_str()),
            Some("基本工资")
        );
    }

    #[test]
    fn names_that_differ_only_in_spaces_and_bracket_widths_are_the_same_row() {
        let old = with_basic(
            MoneyUnit::TenThousandYuan,
            &[("30101", "基本工资(在职)", "1.00")],
        );
        let new = with_basic(
            MoneyUnit::TenThousandYuan,
            &[("30101", "基本 工资（在职）", "1.00")],
        );
        assert!(diff(&old, &new).is_empty());
    }

    #[test]
    fn amounts_compare_in_one_unit_and_blank_reads_as_zero() {
        let old = with_basic(
            MoneyUnit::TenThousandYuan,
            &[("30101", "基本工资", "463.50")],
        );
        let new = with_basic(MoneyUnit::Yuan, &[("30101", "基本工资", "4,635,000.00")]);
        assert!(diff(&old, &new).cells.is_empty());
        let new = with_basic(MoneyUnit::Yuan, &[("30101", "基本工资", "4,635,100.00")]);
        let d = diff(&old, &new);
        assert_eq!(d.cells.len(), 1);
        assert_eq!(
            d.cells[0].new.map(Amount::value),
            Some(amount("463.51").value())
        );
        assert_eq!(d.cells[0].unit, MoneyUnit::TenThousandYuan);
        assert!(same_amount(None, Some(amount("0.00"))));
        assert!(!same_amount(None, Some(amount("0.01"))));
    }

    #[test]
    fn paragraphs_align_on_equal_texts_around_a_change() {
        let section = || SectionRef {
            topic: None,
            number: 1,
            title: String::new(),
        };
        let mut out = Vec::new();
        diff_paragraphs(
            section(),
            &["甲", "乙", "丙"],
            &["甲", "乙二", "新", "丙"],
            &mut out,
        );
        let seen: Vec<_> = out
            .iter()
            .map(|p| (p.change, p.old_position, p.new_position))
            .collect();
        assert_eq!(
            seen,
            [
                (ParagraphChangeKind::Changed, Some(2), Some(2)),
                (ParagraphChangeKind::Added, None, Some(3)),
            ]
        );
    }
}
