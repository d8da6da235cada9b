//! A recognised layout into the model, as its profile says.
//!
//! Tables go by their caption to the model table of the same meaning; each printed column goes
//! to the model column its header maps to, and the table records which columns it printed (so a
//! template's own columns are kept, never padded to another template's). Every row keeps its
//! page. Sections go by their titles; their paragraphs become the model's paragraphs, and what
//! they state is derived as for any other source ([`crate::derive`]).

use std::str::FromStr;

use budgetflow_layout::{a1, Block, Layout, Place, Row, Table};
use budgetflow_model::narrative::{Block as NarrativeBlock, Heading, Paragraph, Section};
use budgetflow_model::tables::{
    AppropriationColumns, AppropriationLine, AppropriationTable, BasicColumns, BasicTable,
    CarryOverColumns, CarryOverRow, CarryOverRowKind, CarryOverTable, ClassAmount,
    ClassAppropriation, Columns, EconomicRow, FunctionRow, FunctionTable, FundColumns,
    LabeledAmount, OverallTable, ProjectColumns, ProjectName, ProjectRow, ProjectRowKind,
    ProjectTable, RevenueLine, TableHeader, ThreePublicColumns, ThreePublicLine, ThreePublicRow,
    ThreePublicTable, UnrecognisedTable,
};
use budgetflow_model::{
    Amount, Catalog, Document, DocumentKind, EconomicCode, FiscalYear, FunctionCode, FunctionLevel,
    GlossaryEntry, MoneyUnit, SectionTopic, TableKind,
};
use serde::de::DeserializeOwned;

use super::{is_key, key, normalise, Profile, SectionTarget, TableProfile};
use crate::error::{Expected, ReadError};
use crate::numerals;

/// Reads a document from its layout with the built-in profile that recognises its cover.
pub fn read_layout(layout: &Layout) -> Result<Document, ReadError> {
    let cover = cover(layout);
    let profile = super::recognise(&cover).ok_or_else(|| ReadError::UnknownTemplate {
        cover: budgetflow_model::lang::excerpt(&cover).into_owned(),
    })?;
    let mut doc = document(profile, layout, &cover)?;
    Builder {
        profile,
        doc: &mut doc,
    }
    .build(layout)?;
    Ok(doc)
}

/// Builds the model's tables of `doc` from tables another reader (the text export's, the
/// workbook's) has cut and matched to `profile`'s tables (`None`: a table the profile does not
/// know). The document's year and the budget units its overview names are known already: 表7
/// classifies its rows by the year's catalog and 表11 tells unit rows from project rows by
/// those names, where the source does not state each row's kind.
pub fn read_tables(
    profile: &Profile,
    tables: &[(Table, Option<&TableProfile>)],
    doc: &mut Document,
) -> Result<(), ReadError> {
    let mut builder = Builder { profile, doc };
    for (printed, (t, p)) in (1..).zip(tables) {
        builder.table(t, *p, printed)?;
    }
    builder.codes_of_classes();
    Ok(())
}

/// What the built-in profiles make of a layout, for a person writing or checking a profile:
/// which profile recognises the cover, and for each table the model table its caption goes to
/// and the model column each printed column goes to (`—`: the profile maps none).
pub fn explain(layout: &Layout) -> String {
    let cover = cover(layout);
    let Some(profile) = super::recognise(&cover) else {
        return format!("no profile recognises the cover `{cover}` (crates/formats/profiles/)\n");
    };
    let mut out = format!(
        "profile {} ({}) recognises `{cover}`\n",
        profile.id, profile.name
    );
    for block in &layout.blocks {
        let Block::Table(t) = block else { continue };
        let Some(p) = profile.table(&t.caption) else {
            out.push_str(&format!(
                "p{:<3} {}  → not a table of the profile\n",
                t.page, t.caption
            ));
            continue;
        };
        let kind = serde_json::to_value(p.kind)
            .map(|v| v.to_string())
            .unwrap_or_default();
        out.push_str(&format!("p{:<3} {}  → {kind}\n", t.page, t.caption));
        let grid = Grid::new(t, p);
        for (column, target) in t.columns.iter().zip(&grid.targets) {
            out.push_str(&format!(
                "       {}  → {}\n",
                column.path.join(" / "),
                target.unwrap_or("—")
            ));
        }
    }
    out
}

/// The first text of the document: its title.
fn cover(layout: &Layout) -> String {
    layout
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Heading(h) => Some(h.text.clone()),
            Block::Paragraph(p) => Some(p.text.clone()),
            Block::Table(_) => None,
        })
        .unwrap_or_default()
}

struct Builder<'p, 'd> {
    profile: &'p Profile,
    doc: &'d mut Document,
}

/// The section being filled while walking the blocks.
struct Open {
    target: SectionTarget,
    section: Section,
}

/// The document a cover names: its year, kind, department and title; the template it follows.
fn document(profile: &Profile, layout: &Layout, cover: &str) -> Result<Document, ReadError> {
    let year = fiscal_year(cover).ok_or_else(|| ReadError::NotADisclosure {
        line: 1,
        reason: crate::error::NotADisclosure::NoYear(
            budgetflow_model::lang::excerpt(cover).into_owned(),
        ),
    })?;
    let kind = profile
        .kind
        .or_else(|| DocumentKind::from_title(cover))
        .unwrap_or(DocumentKind::DepartmentBudget);
    let department = department(profile, layout).unwrap_or_default();
    let mut doc = Document::new(department, year, kind);
    doc.identity.title = cover.trim().to_string();
    doc.template = Some(profile.template());
    Ok(doc)
}

impl Builder<'_, '_> {
    fn build(mut self, layout: &Layout) -> Result<(), ReadError> {
        let mut open: Option<Open> = None;
        let mut sections: Vec<Open> = Vec::new();
        let mut printed = 0;
        for block in &layout.blocks {
            match block {
                Block::Table(t) => {
                    printed += 1;
                    self.table(t, self.profile.table(&t.caption), printed)?;
                }
                Block::Heading(h) => {
                    if let Some(target) = self.section_title(&h.text) {
                        sections.extend(open.take());
                        let number = sections.len() as u32 + 1;
                        open = Some(Open {
                            target,
                            section: Section {
                                number,
                                topic: topic(target),
                                title: h.text.trim().to_string(),
                                blocks: Vec::new(),
                            },
                        });
                    } else if let Some(o) = open.as_mut() {
                        o.section.blocks.push(NarrativeBlock::Heading(Heading {
                            number: numerals::leading_number(&h.text).unwrap_or(0),
                            title: h.text.trim().to_string(),
                        }));
                    }
                }
                Block::Paragraph(p) => {
                    if let Some(o) = open.as_mut() {
                        let text = p.text.trim().to_string();
                        o.section.blocks.push(NarrativeBlock::Paragraph(Paragraph {
                            statements: Vec::new(),
                            text,
                            page: Some(p.first_page),
                        }));
                    }
                }
            }
        }
        sections.extend(open);
        for o in sections {
            self.section(o);
        }
        crate::derive::derive(self.doc);
        self.codes_of_classes();
        Ok(())
    }

    /// The section a heading opens: an unnumbered heading naming one of the profile's titles
    /// (numbered lines naming them are the table of contents or a sub-heading).
    fn section_title(&self, heading: &str) -> Option<SectionTarget> {
        if numerals::leading_number(heading).is_some() {
            return None;
        }
        let h = normalise(heading);
        self.profile
            .sections
            .iter()
            .find(|s| s.title.iter().any(|t| h.contains(&normalise(t))))
            .map(|s| s.into)
    }

    fn section(&mut self, o: Open) {
        let paragraphs = || {
            o.section.blocks.iter().filter_map(|b| match b {
                NarrativeBlock::Paragraph(p) => Some(p.text.clone()),
                _ => None,
            })
        };
        match o.target {
            SectionTarget::Functions => self.doc.overview.functions_text = paragraphs().collect(),
            SectionTarget::Organisation => {
                self.doc.overview.organisation_text = paragraphs().collect()
            }
            SectionTarget::Glossary => {
                self.doc.glossary = paragraphs().filter_map(|p| glossary_entry(&p)).collect()
            }
            SectionTarget::OtherMatters => {
                // the 三公 explanation is a sub-section here, a section of its own in the model
                let (three_public, rest) = split_three_public(o.section);
                self.doc.narrative.sections.extend(three_public);
                self.doc.narrative.sections.push(rest);
            }
            SectionTarget::Overall | SectionTarget::Projects => {
                self.doc.narrative.sections.push(o.section)
            }
        }
    }

    fn table(
        &mut self,
        t: &Table,
        p: Option<&TableProfile>,
        printed: u32,
    ) -> Result<(), ReadError> {
        let printed_unit = t.unit.as_ref().and_then(|u| unit(&u.value));
        let Some(p) = p else {
            self.doc.tables.unrecognised.push(UnrecognisedTable {
                header: header(
                    t,
                    printed,
                    printed_unit.unwrap_or(MoneyUnit::Yuan),
                    Vec::new(),
                ),
                lines: t.rows.iter().map(|r| r.cells.clone()).collect(),
            });
            return Ok(());
        };
        let grid = Grid::new(t, p);
        let unit = printed_unit.unwrap_or(p.unit);
        let units = (p.kind == TableKind::CarryOver).then(|| self.unit_names());
        let tables = &mut self.doc.tables;
        // a caption repeated over a classification table's next part continues the table; a
        // two-sided or 三公 table printed twice is not something to guess about
        let twice = tables.header(p.kind).is_some();
        if twice
            && matches!(
                p.kind,
                TableKind::Overall
                    | TableKind::Appropriation
                    | TableKind::ThreePublic
                    | TableKind::Projects
                    | TableKind::CarryOver
            )
        {
            return Err(at(
                t.place.as_ref(),
                t.page,
                t.caption.trim(),
                Expected::PrintedOnce,
                t.caption.trim(),
            ));
        }
        match p.kind {
            TableKind::Overall => {
                let header = header(t, printed, unit, Vec::new());
                tables.overall = Some(overall(&grid, header)?)
            }
            TableKind::Revenue => continued(
                &mut tables.revenue,
                function_table(&grid, t, printed, unit)?,
            ),
            TableKind::Expenditure => continued(
                &mut tables.expenditure,
                function_table(&grid, t, printed, unit)?,
            ),
            TableKind::GeneralBudget => continued(
                &mut tables.general_budget,
                function_table(&grid, t, printed, unit)?,
            ),
            TableKind::GovFund => continued(
                &mut tables.gov_fund,
                function_table(&grid, t, printed, unit)?,
            ),
            TableKind::SoeCapital => continued(
                &mut tables.soe_capital,
                function_table(&grid, t, printed, unit)?,
            ),
            TableKind::Appropriation => {
                let header = header(t, printed, unit, Vec::new());
                tables.appropriation = Some(appropriation(&grid, header)?)
            }
            TableKind::Basic => {
                let more = basic(&grid, t, printed, unit)?;
                match tables.basic.as_mut() {
                    Some(first) => first.rows.extend(more.rows),
                    None => tables.basic = Some(more),
                }
            }
            TableKind::ThreePublic => {
                let header = header(t, printed, unit, Vec::new());
                tables.three_public = Some(three_public(&grid, header)?)
            }
            TableKind::Projects => {
                let header = header(t, printed, unit, Vec::new());
                let year = self.doc.identity.fiscal_year;
                tables.projects = Some(projects(&grid, header, year)?)
            }
            TableKind::CarryOver => {
                let header = header(t, printed, unit, Vec::new());
                let units = units.unwrap_or_default();
                tables.carry_over = Some(carry_over(&grid, header, &units)?)
            }
        }
        Ok(())
    }

    /// The budget units the document names: in the overview, and as unit rows of 表7. A row
    /// of 表11 with one of these names is a unit's subtotal.
    fn unit_names(&self) -> Vec<String> {
        let overview = self.doc.overview.units.iter().map(|u| u.name.as_str());
        let projects = self.doc.tables.projects.iter().flat_map(|t| {
            t.rows
                .iter()
                .filter(|r| r.kind == ProjectRowKind::Unit)
                .map(|r| r.name.as_str())
        });
        overview.chain(projects).map(normalise).collect()
    }

    /// 财务收支预算总表 and 财政拨款收支预算总表 name their classes without codes: the codes are
    /// those the function tables print for the same names.
    fn codes_of_classes(&mut self) {
        let mut known: Vec<(String, FunctionCode)> = Vec::new();
        let t = &self.doc.tables;
        let rows = t
            .expenditure
            .iter()
            .flat_map(|x| x.coded_rows().map(|(c, r)| (*c, r.name.clone())))
            .chain(
                t.revenue
                    .iter()
                    .flat_map(|x| x.coded_rows().map(|(c, r)| (*c, r.name.clone()))),
            );
        for (code, name) in rows {
            if code.level() == budgetflow_model::FunctionLevel::Class {
                known.push((normalise(&name), code));
            }
        }
        let code_of = |name: &str| {
            let n = normalise(strip_numbering(name));
            known.iter().find(|(k, _)| *k == n).map(|(_, c)| *c)
        };
        if let Some(o) = self.doc.tables.overall.as_mut() {
            for e in &mut o.expenditure {
                e.code = e.code.or_else(|| code_of(&e.name));
            }
        }
        if let Some(a) = self.doc.tables.appropriation.as_mut() {
            for e in &mut a.expenditure {
                e.code = e.code.or_else(|| code_of(&e.name));
            }
        }
    }
}

/// A classification table read under its caption: the table, or the next part of one already
/// read under the same caption repeated (its rows follow, each with its own page).
fn continued<A>(slot: &mut Option<FunctionTable<A>>, part: FunctionTable<A>) {
    match slot {
        Some(first) => first.rows.extend(part.rows),
        None => *slot = Some(part),
    }
}

/// The header of a table: its number is the caption's (`表 6 …`) when the caption prints one,
/// its place among the document's tables otherwise.
fn header(t: &Table, printed: u32, unit: MoneyUnit, columns: Vec<String>) -> TableHeader {
    let caption = t.caption.trim();
    let (number, title) = numbered(caption).unwrap_or((printed, caption));
    let mut h = TableHeader::new(number, title, unit);
    h.compiler = t.compiler.as_ref().map(|f| f.value.trim().to_string());
    h.notes = t.notes.iter().map(|n| n.text.trim().to_string()).collect();
    h.columns = columns;
    h.page = t.place.is_none().then_some(t.page);
    h
}

/// `表 6 一般公共预算基本支出情况表` → (6, `一般公共预算基本支出情况表`).
pub(crate) fn numbered(caption: &str) -> Option<(u32, &str)> {
    let rest = caption.strip_prefix('表')?.trim_start();
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let number = rest[..digits].parse().ok()?;
    let title = rest[digits..].trim();
    (!title.is_empty()).then_some((number, title))
}

/// The page of a row, for a source that has pages.
fn page_of(row: &Row) -> Option<u32> {
    row.place.is_none().then_some(row.page)
}

/// An error at a row, in its cell at `column` where the source has cells (a sheet): its line
/// in a source that has lines, its page otherwise.
fn at_row(
    row: &Row,
    column: Option<usize>,
    context: impl Into<String>,
    expected: Expected,
    found: impl AsRef<str>,
) -> ReadError {
    let place = row.place.as_ref().map(|p| p.right(column.unwrap_or(0)));
    at(place.as_ref(), row.page, context, expected, found)
}

/// An error at a place of a source without pages, else at a page.
fn at(
    place: Option<&Place>,
    page: u32,
    context: impl Into<String>,
    expected: Expected,
    found: impl AsRef<str>,
) -> ReadError {
    match place {
        Some(Place::Line(line)) => ReadError::layout(*line as usize, context, expected, found),
        Some(Place::Cell { sheet, row, column }) => {
            ReadError::in_cell(sheet, a1(*row, *column), context, expected, found)
        }
        None => ReadError::on_page(page, context, expected, found),
    }
}

fn topic(target: SectionTarget) -> Option<SectionTopic> {
    match target {
        SectionTarget::Overall => Some(SectionTopic::Overall),
        SectionTarget::OtherMatters => Some(SectionTopic::OtherMatters),
        _ => None,
    }
}

/// Moves the sub-section on 三公 out of 其他相关情况说明 into a section of its own.
fn split_three_public(section: Section) -> (Option<Section>, Section) {
    let mut three = Vec::new();
    let mut rest = Vec::new();
    let mut inside = false;
    for b in section.blocks {
        if let NarrativeBlock::Heading(h) = &b {
            inside = h.title.contains("三公");
        }
        if inside {
            three.push(b);
        } else {
            rest.push(b);
        }
    }
    let three_public = (!three.is_empty()).then(|| Section {
        number: section.number,
        topic: Some(SectionTopic::ThreePublic),
        title: match three.first() {
            Some(NarrativeBlock::Heading(h)) => h.title.clone(),
            _ => section.title.clone(),
        },
        blocks: three,
    });
    (
        three_public,
        Section {
            blocks: rest,
            ..section
        },
    )
}

/// `（一）财政拨款收入：是……` → entry 1.
fn glossary_entry(p: &str) -> Option<GlossaryEntry> {
    let number = numerals::leading_number(p)?;
    let body = strip_numbering(p);
    let (term, definition) = body.split_once(['：', ':'])?;
    Some(GlossaryEntry {
        number,
        term: term.trim().trim_matches(['“', '”', '"']).to_string(),
        definition: definition.trim().to_string(),
    })
}

fn fiscal_year(cover: &str) -> Option<FiscalYear> {
    let chars: Vec<char> = cover.chars().collect();
    chars.windows(5).find_map(|w| {
        (w[..4].iter().all(char::is_ascii_digit) && w[4] == '年')
            .then(|| w[..4].iter().collect::<String>().parse().ok())
            .flatten()
    })
}

/// The department the cover names after one of the profile's labels (`预算单位：…`).
fn department(profile: &Profile, layout: &Layout) -> Option<String> {
    layout.blocks.iter().take(8).find_map(|b| {
        let text = match b {
            Block::Heading(h) => &h.text,
            Block::Paragraph(p) => &p.text,
            Block::Table(_) => return None,
        };
        profile.department.iter().find_map(|label| {
            let at = text.find(label.as_str())?;
            let name = text[at + label.len()..].trim();
            (!name.is_empty()).then(|| name.to_string())
        })
    })
}

fn unit(printed: &str) -> Option<MoneyUnit> {
    match normalise(printed).as_str() {
        "元" => Some(MoneyUnit::Yuan),
        "万元" => Some(MoneyUnit::TenThousandYuan),
        "亿元" => Some(MoneyUnit::HundredMillionYuan),
        _ => None,
    }
}

/// `一、财政拨款收入` → `财政拨款收入`; `1. 一般公共预算资金` → `一般公共预算资金`; `（二）…` → `…`.
fn strip_numbering(s: &str) -> &str {
    let t = s.trim_start();
    if numerals::leading_number(t).is_none() {
        return t;
    }
    let rest = match t.strip_prefix(['（', '(']) {
        Some(after) => after.find(['）', ')']).map_or(after, |close| {
            let paren = after[close..].chars().next().map_or(0, char::len_utf8);
            &after[close + paren..]
        }),
        None => {
            let number_end = t
                .char_indices()
                .find(|(_, c)| !c.is_ascii_digit() && !numerals::is_digit_char(*c))
                .map_or(t.len(), |(i, _)| i);
            let after = &t[number_end..];
            after.strip_prefix(['、', '.', '．']).unwrap_or(after)
        }
    };
    rest.trim_start()
}

/// A model line or row kind (the serde name of `T`) from a profile's string.
fn line<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(key.to_string())).ok()
}

/// Which model column each printed column is.
struct Grid<'t> {
    table: &'t Table,
    /// Per printed column, its model target (`None`: a column the profile does not map).
    targets: Vec<Option<&'t str>>,
    lines: &'t [(String, String)],
    kinds: &'t [(String, String)],
    context: String,
}

impl<'t> Grid<'t> {
    fn new(table: &'t Table, profile: &'t TableProfile) -> Grid<'t> {
        let targets = table
            .columns
            .iter()
            .map(|c| {
                let path: Vec<_> = c.path.iter().map(|l| key(l)).collect();
                profile
                    .keys
                    .columns
                    .iter()
                    .filter(|(p, _)| is_subsequence(p, &path))
                    // the most specific pattern; between equals, the one naming the leaf
                    .max_by_key(|(p, _)| {
                        (
                            p.len(),
                            p.last().map(String::as_str) == path.last().map(|l| l.as_ref()),
                        )
                    })
                    .map(|(_, t)| t.as_str())
            })
            .collect();
        Grid {
            table,
            targets,
            lines: &profile.keys.lines,
            kinds: &profile.kinds,
            context: table.caption.trim().to_string(),
        }
    }

    fn column(&self, target: &str) -> Option<usize> {
        self.targets.iter().position(|t| *t == Some(target))
    }

    fn cell<'r>(&self, row: &'r [String], target: &str) -> &'r str {
        cell_at(row, self.column(target))
    }

    /// The positions of code columns (`code.class`, …), found once per table.
    fn code_columns(&self, parts: &[&str]) -> Vec<Option<usize>> {
        parts.iter().map(|p| self.column(p)).collect()
    }

    /// The model columns of `A` this table prints, in printed order, with their positions.
    fn amount_columns<A: Columns>(&self, prefix: &str) -> Vec<(usize, usize)> {
        self.targets
            .iter()
            .enumerate()
            .filter_map(|(at, t)| {
                let key = (*t)?.strip_prefix(prefix)?;
                A::KEYS.iter().position(|k| *k == key).map(|i| (at, i))
            })
            .collect()
    }

    fn amounts<A: Columns>(
        &self,
        row: &Row,
        columns: &[(usize, usize)],
        name: &str,
    ) -> Result<A, ReadError> {
        let mut a = A::default();
        for &(at, i) in columns {
            let label = A::LABELS[i];
            let cell = row.cells.get(at).map_or("", |s| s.trim());
            a.set(i, self.amount(cell, row, Some(at), name, label)?);
        }
        Ok(a)
    }

    fn amount(
        &self,
        cell: &str,
        row: &Row,
        at: Option<usize>,
        name: &str,
        column: &str,
    ) -> Result<Option<Amount>, ReadError> {
        if is_blank(cell) {
            return Ok(None);
        }
        Amount::from_str(cell).map(Some).map_err(|_| {
            at_row(
                row,
                at,
                format!("{} · {name} · {column}", self.context),
                Expected::AmountOrBlank,
                cell,
            )
        })
    }

    /// The model columns a table prints, by key; none when they are exactly the standard
    /// template's (the model's convention for "the standard columns").
    fn keys<A: Columns>(&self, columns: &[(usize, usize)]) -> Vec<String> {
        let standard =
            columns.len() == A::STANDARD && columns.iter().enumerate().all(|(k, &(_, i))| k == i);
        if standard {
            return Vec::new();
        }
        columns
            .iter()
            .map(|&(_, i)| A::KEYS[i].to_string())
            .collect()
    }
}

/// The text of a row's cell at a column position (blank where the table has no such column).
fn cell_at(row: &[String], at: Option<usize>) -> &str {
    at.and_then(|i| row.get(i)).map_or("", |s| s.trim())
}

/// The code parts at `columns` joined; a `合计` printed across the code columns is the total
/// row's label, not a code, and leaves none.
fn code_at(row: &[String], columns: &[Option<usize>]) -> String {
    let mut code = String::new();
    for &at in columns {
        let part = cell_at(row, at);
        if is_total(part) {
            return String::new();
        }
        code.push_str(part);
    }
    code
}

/// Recognises the line labels of a two-sided table's revenue side: by the profile's labels
/// where it lists them; otherwise as the template's standard lines, in printed order
/// (`其中：一般公共预算拨款` under 财政拨款结转 is another line than `1.一般公共预算拨款`). A
/// line the source states for the row ([`stated_line`]) goes before all of these.
struct LineLabels<'g, L: 'static> {
    grid: &'g Grid<'g>,
    printed: &'static [(L, &'static str)],
    standard: Vec<(L, String)>,
    next: usize,
}

impl<'g, L: Copy + DeserializeOwned> LineLabels<'g, L> {
    fn new(grid: &'g Grid<'g>, standard: &'static [(L, &'static str)]) -> Self {
        LineLabels {
            grid,
            printed: standard,
            standard: standard.iter().map(|(l, s)| (*l, line_core(s))).collect(),
            next: 0,
        }
    }

    fn line(&mut self, row: &Row, label: &str) -> Result<Option<L>, ReadError> {
        if let Some((i, stated)) = stated_line(self.grid, row, self.printed)? {
            // labels after it continue in printed order from the stated line
            if stated.is_some() {
                self.next = i + 1;
            }
            return Ok(stated);
        }
        Ok(self.by_label(label))
    }

    fn by_label(&mut self, label: &str) -> Option<L> {
        if !self.grid.lines.is_empty() {
            let l = normalise(strip_numbering(label));
            return self
                .grid
                .lines
                .iter()
                .find(|(k, _)| *k == l)
                .and_then(|(_, target)| line(target));
        }
        let key = line_core(label);
        if key.is_empty() {
            return None;
        }
        let (i, found) = self
            .standard
            .iter()
            .enumerate()
            .skip(self.next)
            .find(|(_, (_, s))| *s == key)
            .map(|(i, (l, _))| (i, *l))?;
        self.next = i + 1;
        Some(found)
    }
}

/// The comparable core of a line label: no numbering, no `其中：`.
fn line_core(label: &str) -> String {
    let n = key(label);
    let s = n.strip_prefix("其中：").unwrap_or(&n);
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
    s.strip_prefix("其中：").unwrap_or(s).to_string()
}

/// Whether the pattern's labels appear in the path, in order (both normalised).
fn is_subsequence(pattern: &[String], path: &[impl AsRef<str>]) -> bool {
    let mut path = path.iter();
    pattern.iter().all(|p| path.any(|l| l.as_ref() == p))
}

/// Whether a label says 总计 (`收入总计`, `支出 总计`): normalised only when it holds a `计`.
fn says_total(label: &str) -> bool {
    label.contains('计') && normalise(label).contains("总计")
}

/// A cell that prints no number: blank, or a dash or `无` standing for none.
fn is_blank(cell: &str) -> bool {
    matches!(cell, "" | "-" | "—" | "－" | "无" | "/")
}

fn is_total(name: &str) -> bool {
    // asked of every code cell of every row: most end in a digit or a name, not in 计
    name.trim_end().ends_with('计') && (is_key(name, "合计") || is_key(name, "总计"))
}

/// A row that prints nothing but a placeholder (`无` under the header of an empty table).
fn is_placeholder(row: &[String]) -> bool {
    row.iter().all(|c| is_blank(c.trim()))
}

/// `215 08 支持中小企业…` → (`21508`, `支持中小企业…`): a code printed before the name, in
/// one cell, rather than in code columns.
fn leading_code(name: &str) -> Option<(String, &str)> {
    let mut digits = String::new();
    let mut rest = name;
    loop {
        let t = rest.trim_start();
        let n = t.chars().take_while(char::is_ascii_digit).count();
        if n == 0 {
            break;
        }
        digits.push_str(&t[..n]);
        rest = &t[n..];
    }
    (!digits.is_empty()).then(|| (digits, rest.trim()))
}

/// A class named on the right of a two-sided table. Where the table has a code column
/// (`expenditure.code`), the code is there and the name is as printed. Otherwise
/// `201 一般公共服务支出` carries its code; `一、一般公共服务支出` is numbered, and its code is
/// found from the function tables.
fn class_label<'n>(
    grid: &Grid<'_>,
    row: &Row,
    name: &'n str,
) -> Result<(Option<FunctionCode>, &'n str), ReadError> {
    if let Some(at) = grid.column("expenditure.code") {
        let digits = cell_at(&row.cells, Some(at));
        if digits.is_empty() {
            return Ok((None, name));
        }
        let code = digits.parse().map_err(|_| {
            at_row(
                row,
                Some(at),
                grid.context.clone(),
                Expected::FunctionCodeParts,
                digits,
            )
        })?;
        return Ok((Some(code), name));
    }
    let Some((digits, rest)) = leading_code(name).filter(|(_, rest)| {
        // `1.一般公共预算` is numbering, not a code
        !rest.starts_with(['.', '．', '、'])
    }) else {
        return Ok((None, strip_numbering(name)));
    };
    let code = digits.parse().map_err(|_| {
        at_row(
            row,
            grid.column("expenditure.name"),
            grid.context.clone(),
            Expected::ClassCodeBeforeName,
            name,
        )
    })?;
    Ok((Some(code), rest))
}

/// A row of a classification table, read: its code (none for the total), name, amounts, page.
struct ClassifiedRow<C, A> {
    code: Option<C>,
    name: String,
    amounts: A,
    page: Option<u32>,
}

/// The rows of a table classified by `parts` code columns (类/款/项 or 类/款): coded rows, the
/// total, and rows that name a class without a code (the validator reports them); a
/// placeholder (`无`) or a line without a name is not the template's.
fn classified_rows<C: FromStr, A: Columns>(
    grid: &Grid<'_>,
    parts: &[&str],
    expected: Expected,
) -> Result<Vec<ClassifiedRow<C, A>>, ReadError> {
    let columns = grid.amount_columns::<A>("");
    let (code_columns, name_at) = (grid.code_columns(parts), grid.column("name"));
    let first_code_at = code_columns.iter().flatten().next().copied();
    let mut rows = Vec::with_capacity(grid.table.rows.len());
    for row in &grid.table.rows {
        if is_placeholder(&row.cells) {
            continue;
        }
        let mut digits = code_at(&row.cells, &code_columns);
        let mut name = cell_at(&row.cells, name_at);
        let total = digits.is_empty() && row.cells.iter().any(|c| is_total(c));
        let (mut expected, mut code_at_column) = (expected.clone(), first_code_at);
        if digits.is_empty() && !total {
            match leading_code(name) {
                Some((d, rest)) => {
                    (digits, name) = (d, rest);
                    (expected, code_at_column) = (Expected::CodeBeforeName, name_at);
                }
                None if name.is_empty() => continue,
                None => {}
            }
        }
        let code = if digits.is_empty() {
            None
        } else {
            Some(C::from_str(&digits).map_err(|_| {
                at_row(
                    row,
                    code_at_column,
                    format!("{} · {name}", grid.context),
                    expected,
                    &digits,
                )
            })?)
        };
        let printed_total = || {
            row.cells
                .iter()
                .map(|c| c.trim())
                .find(|c| is_total(c))
                .unwrap_or("合计")
        };
        rows.push(ClassifiedRow {
            code,
            name: if total { printed_total() } else { name }.to_string(),
            amounts: grid.amounts::<A>(row, &columns, name)?,
            page: page_of(row),
        });
    }
    Ok(rows)
}

fn function_table<A: Columns>(
    grid: &Grid<'_>,
    t: &Table,
    printed: u32,
    unit: MoneyUnit,
) -> Result<FunctionTable<A>, ReadError> {
    let parts = ["code", "code.class", "code.kuan", "code.xiang"];
    let rows = classified_rows::<FunctionCode, A>(grid, &parts, Expected::FunctionCodeParts)?;
    let columns = grid.amount_columns::<A>("");
    Ok(FunctionTable {
        header: header(t, printed, unit, grid.keys::<A>(&columns)),
        rows: rows
            .into_iter()
            .map(|r| FunctionRow {
                code: r.code,
                name: r.name,
                amounts: r.amounts,
                page: r.page,
            })
            .collect(),
    })
}

fn basic(
    grid: &Grid<'_>,
    t: &Table,
    printed: u32,
    unit: MoneyUnit,
) -> Result<BasicTable, ReadError> {
    let parts = ["code", "code.class", "code.kuan"];
    let rows =
        classified_rows::<EconomicCode, BasicColumns>(grid, &parts, Expected::EconomicCodeParts)?;
    let columns = grid.amount_columns::<BasicColumns>("");
    Ok(BasicTable {
        header: header(t, printed, unit, grid.keys::<BasicColumns>(&columns)),
        rows: rows
            .into_iter()
            .map(|r| EconomicRow {
                code: r.code,
                name: r.name,
                amounts: r.amounts,
                page: r.page,
            })
            .collect(),
    })
}

/// 表7: rows by function class, each project under its 项 with its name, unit subtotals and
/// the total. A 类 printed with the name of one of its 款 (`215 工业和信息产业`) is that 款.
/// A row whose kind the source states ([`stated_kind`]) is that kind, as printed.
fn projects(
    grid: &Grid<'_>,
    header: TableHeader,
    year: FiscalYear,
) -> Result<ProjectTable, ReadError> {
    let catalog = Catalog::for_year(year);
    let columns = grid.amount_columns::<ProjectColumns>("");
    let code_columns = grid.code_columns(&["code", "code.class", "code.kuan", "code.xiang"]);
    let first_code_at = code_columns.iter().flatten().next().copied();
    let (name_at, project_at) = (grid.column("name"), grid.column("project"));
    let mut out = Vec::with_capacity(grid.table.rows.len());
    for row in &grid.table.rows {
        if is_placeholder(&row.cells) {
            continue;
        }
        let digits = code_at(&row.cells, &code_columns);
        let function_name = cell_at(&row.cells, name_at);
        let project = cell_at(&row.cells, project_at);
        let code_of = |digits: &str| {
            FunctionCode::from_str(digits).map_err(|_| {
                at_row(
                    row,
                    first_code_at,
                    format!("{} · {function_name}", grid.context),
                    Expected::FunctionCodeParts,
                    digits,
                )
            })
        };
        let mut code = if digits.is_empty() {
            None
        } else {
            Some(code_of(&digits)?)
        };
        let amounts = grid.amounts::<ProjectColumns>(row, &columns, function_name)?;
        if let Some(kind) = stated_kind(grid, row)? {
            out.push(ProjectRow {
                kind,
                code,
                name: function_name.to_string(),
                project: (!project.is_empty()).then(|| ProjectName::new(project)),
                amounts,
            });
            continue;
        }
        if !project.is_empty() {
            out.push(ProjectRow {
                kind: ProjectRowKind::Project,
                code,
                name: function_name.to_string(),
                project: Some(ProjectName::new(project)),
                amounts,
            });
            continue;
        }
        let mut name = function_name;
        if code.is_none() && is_total(name) {
            out.push(ProjectRow {
                kind: ProjectRowKind::Total,
                code: None,
                name: name.to_string(),
                project: None,
                amounts,
            });
            continue;
        }
        if code.is_none() {
            if let Some((digits, rest)) = leading_code(name) {
                let printed = FunctionCode::from_str(&digits).map_err(|_| {
                    at_row(
                        row,
                        name_at,
                        grid.context.clone(),
                        Expected::CodeBeforeName,
                        function_name,
                    )
                })?;
                name = rest;
                code = Some(match catalog.kuan_named(&printed, name) {
                    Some(kuan) if printed.level() == FunctionLevel::Class => kuan,
                    _ => printed,
                });
            } else if let Some(class) = catalog.function_class_named(name) {
                code = Some(class);
            }
        }
        let kind = match code.map(|c| c.level()) {
            Some(FunctionLevel::Class) => ProjectRowKind::Class,
            Some(FunctionLevel::Kuan) => ProjectRowKind::Kuan,
            Some(FunctionLevel::Xiang) => ProjectRowKind::Xiang,
            None => ProjectRowKind::Unit,
        };
        out.push(ProjectRow {
            kind,
            code,
            name: name.to_string(),
            project: None,
            amounts,
        });
    }
    Ok(ProjectTable {
        header: TableHeader {
            columns: grid.keys::<ProjectColumns>(&columns),
            ..header
        },
        rows: out,
    })
}

/// 表11: the total, then per unit its subtotal and its projects. A row is a unit's when its
/// name is a unit the document names (`units`, normalised), or — when it names none — when the
/// name is shaped like an organisation; a row whose kind the source states is that kind.
fn carry_over(
    grid: &Grid<'_>,
    header: TableHeader,
    units: &[String],
) -> Result<CarryOverTable, ReadError> {
    let columns = grid.amount_columns::<CarryOverColumns>("");
    let mut out = Vec::new();
    for row in &grid.table.rows {
        if is_placeholder(&row.cells) {
            continue;
        }
        let name = grid.cell(&row.cells, "name");
        let kind = if let Some(kind) = stated_kind(grid, row)? {
            kind
        } else if is_total(name) {
            CarryOverRowKind::Total
        } else if looks_like_unit(name, units) {
            CarryOverRowKind::Unit
        } else {
            CarryOverRowKind::Project
        };
        out.push(CarryOverRow {
            kind,
            name: name.to_string(),
            amounts: grid.amounts::<CarryOverColumns>(row, &columns, name)?,
        });
    }
    Ok(CarryOverTable {
        header: TableHeader {
            columns: grid.keys::<CarryOverColumns>(&columns),
            ..header
        },
        rows: out,
    })
}

/// Whether a 表11 row names a budget unit rather than a project: a unit the document names,
/// or (when it names none) a name shaped like an organisation.
fn looks_like_unit(name: &str, units: &[String]) -> bool {
    let key = normalise(name);
    let unit = key.trim_end_matches("（本级）");
    if units.iter().any(|u| *u == key || u == unit) {
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

/// The kind a source states for a row in a column of its own (`kind`: a form's 行类型), by the
/// profile's words for the table's kinds; `None` where the table has no such column or the
/// cell is blank, and the row's labels decide. A word the profile does not list is refused at
/// its cell, with the words it lists.
fn stated_kind<K: DeserializeOwned>(grid: &Grid<'_>, row: &Row) -> Result<Option<K>, ReadError> {
    let Some(at) = grid.column("kind") else {
        return Ok(None);
    };
    let word = cell_at(&row.cells, Some(at));
    if word.is_empty() {
        return Ok(None);
    }
    grid.kinds
        .iter()
        .find(|(w, _)| w == word)
        .and_then(|(_, kind)| line::<K>(kind))
        .map(Some)
        .ok_or_else(|| {
            at_row(
                row,
                Some(at),
                grid.context.clone(),
                Expected::OneOf(grid.kinds.iter().map(|(w, _)| w.clone()).collect()),
                word,
            )
        })
}

/// The standard line a source states for a row in a column of its own (`line`: a workbook's
/// hidden 标准行 key, which holds the line's standard label): `Some(None)` when it says the row
/// is no standard line (`-`), `None` where the table has no such column or the cell is blank,
/// and the label decides. A key that is no standard label is refused at its cell.
fn stated_line<L: Copy>(
    grid: &Grid<'_>,
    row: &Row,
    standard: &[(L, &'static str)],
) -> Result<Option<(usize, Option<L>)>, ReadError> {
    let Some(at) = grid.column("line") else {
        return Ok(None);
    };
    let key = cell_at(&row.cells, Some(at));
    if key.is_empty() {
        return Ok(None);
    }
    if is_blank(key) {
        return Ok(Some((0, None)));
    }
    match standard.iter().position(|(_, s)| *s == key) {
        Some(i) => Ok(Some((i, Some(standard[i].0)))),
        None => Err(at_row(
            row,
            Some(at),
            grid.context.clone(),
            Expected::OneOf(standard.iter().map(|(_, s)| s.to_string()).collect()),
            key,
        )),
    }
}

/// The left side of a two-sided table's row: a revenue line, or the 收入总计. An amount
/// without a label is refused: it cannot be told which line it is.
fn revenue_side<L: Copy + DeserializeOwned>(
    grid: &Grid<'_>,
    row: &Row,
    labels: &mut LineLabels<'_, L>,
    lines: &mut Vec<LabeledAmount<L>>,
    total: &mut Option<Amount>,
) -> Result<(), ReadError> {
    let label = grid.cell(&row.cells, "revenue.label");
    let printed = grid.cell(&row.cells, "revenue.amount");
    if label.is_empty() {
        if !is_blank(printed) {
            return Err(at_row(
                row,
                grid.column("revenue.label"),
                grid.context.clone(),
                Expected::RevenueLabelBeforeAmount,
                printed,
            ));
        }
        return Ok(());
    }
    let amount = grid.amount(printed, row, grid.column("revenue.amount"), label, "预算数")?;
    if says_total(label) {
        *total = amount;
    } else {
        lines.push(LabeledAmount {
            line: labels.line(row, label)?,
            label: label.to_string(),
            amount,
            page: page_of(row),
        });
    }
    Ok(())
}

/// The right side of a two-sided table's row that names no class: refused when it prints an
/// amount (at `columns`), which cannot be told which class it is.
fn unnamed_class(grid: &Grid<'_>, row: &Row, columns: &[(usize, usize)]) -> Result<(), ReadError> {
    let printed = columns
        .iter()
        .map(|&(at, _)| cell_at(&row.cells, Some(at)))
        .find(|c| !is_blank(c));
    match printed {
        Some(amount) => Err(at_row(
            row,
            grid.column("expenditure.name"),
            grid.context.clone(),
            Expected::ClassNameBeforeAmount,
            amount,
        )),
        None => Ok(()),
    }
}

/// 财务收支预算总表 (表1): revenue lines on the left, classes on the right, on shared rows.
fn overall(grid: &Grid<'_>, header: TableHeader) -> Result<OverallTable, ReadError> {
    let split = grid.amount_columns::<FundColumns>("expenditure.");
    let splits = split.iter().any(|&(_, i)| FundColumns::KEYS[i] != "total");
    let mut table = OverallTable {
        header,
        revenue: Vec::new(),
        expenditure: Vec::new(),
        revenue_total: None,
        expenditure_total: None,
        expenditure_total_split: None,
    };
    let mut labels = LineLabels::new(grid, RevenueLine::STANDARD);
    for row in &grid.table.rows {
        revenue_side(
            grid,
            row,
            &mut labels,
            &mut table.revenue,
            &mut table.revenue_total,
        )?;
        let name = grid.cell(&row.cells, "expenditure.name");
        if name.is_empty() {
            unnamed_class(grid, row, &split)?;
        } else {
            let columns: FundColumns = grid.amounts(row, &split, name)?;
            if says_total(name) {
                table.expenditure_total = columns.total;
                table.expenditure_total_split = splits.then_some(columns);
            } else {
                let (code, name) = class_label(grid, row, name)?;
                table.expenditure.push(ClassAmount {
                    code,
                    name: name.to_string(),
                    amount: columns.total,
                    split: splits.then_some(columns),
                    page: page_of(row),
                });
            }
        }
    }
    table.header.columns = if splits {
        split
            .iter()
            .map(|&(_, i)| FundColumns::KEYS[i].to_string())
            .collect()
    } else {
        Vec::new()
    };
    Ok(table)
}

/// 财政拨款收支预算总表 (表4): the three budgets on the left, classes by budget on the right.
fn appropriation(grid: &Grid<'_>, header: TableHeader) -> Result<AppropriationTable, ReadError> {
    let columns = grid.amount_columns::<AppropriationColumns>("expenditure.");
    let mut table = AppropriationTable {
        header: TableHeader {
            columns: grid.keys::<AppropriationColumns>(&columns),
            ..header
        },
        revenue: Vec::new(),
        expenditure: Vec::new(),
        revenue_total: None,
        expenditure_total: AppropriationColumns::default(),
    };
    let mut labels = LineLabels::new(grid, AppropriationLine::STANDARD);
    for row in &grid.table.rows {
        revenue_side(
            grid,
            row,
            &mut labels,
            &mut table.revenue,
            &mut table.revenue_total,
        )?;
        let name = grid.cell(&row.cells, "expenditure.name");
        if name.is_empty() {
            unnamed_class(grid, row, &columns)?;
        } else {
            let amounts: AppropriationColumns = grid.amounts(row, &columns, name)?;
            if says_total(name) {
                table.expenditure_total = amounts;
            } else {
                let (code, name) = class_label(grid, row, name)?;
                table.expenditure.push(ClassAppropriation {
                    code,
                    name: name.to_string(),
                    amounts,
                    page: page_of(row),
                });
            }
        }
    }
    Ok(table)
}

/// The 三公 table, printed either as one row of columns, each column a line of the model's
/// table (the profile maps columns to `line.…`), or as rows of lines with a column per source.
fn three_public(grid: &Grid<'_>, header: TableHeader) -> Result<ThreePublicTable, ReadError> {
    if grid
        .targets
        .iter()
        .any(|t| t.is_some_and(|t| t.starts_with("line.")))
    {
        return three_public_columns(grid, header);
    }
    let columns = grid.amount_columns::<ThreePublicColumns>("");
    let standard: Vec<(ThreePublicLine, String)> = ThreePublicLine::STANDARD
        .iter()
        .map(|(l, s)| (*l, line_core(s)))
        .collect();
    let mut rows = Vec::new();
    for row in &grid.table.rows {
        if is_placeholder(&row.cells) {
            continue;
        }
        let label = grid.cell(&row.cells, "label");
        let line = match stated_line(grid, row, ThreePublicLine::STANDARD)? {
            Some((_, stated)) => stated,
            None => {
                let key = line_core(label);
                standard.iter().find(|(_, s)| *s == key).map(|(l, _)| *l)
            }
        };
        rows.push(ThreePublicRow {
            line,
            label: label.to_string(),
            amounts: grid.amounts(row, &columns, label)?,
            page: page_of(row),
        });
    }
    let header = TableHeader {
        columns: grid.keys::<ThreePublicColumns>(&columns),
        ..header
    };
    Ok(ThreePublicTable { header, rows })
}

fn three_public_columns(
    grid: &Grid<'_>,
    header: TableHeader,
) -> Result<ThreePublicTable, ReadError> {
    let mut rows = Vec::new();
    let body = grid
        .table
        .rows
        .iter()
        .find(|r| r.cells.iter().any(|c| Amount::from_str(c.trim()).is_ok()));
    for (at, target) in grid.targets.iter().enumerate() {
        let Some(line_key) = target.and_then(|t| t.strip_prefix("line.")) else {
            continue;
        };
        let label = grid.table.columns[at]
            .path
            .last()
            .cloned()
            .unwrap_or_default();
        let (value, page) = match body {
            Some(r) => (
                grid.amount(
                    r.cells.get(at).map_or("", |s| s.trim()),
                    r,
                    Some(at),
                    "",
                    &label,
                )?,
                page_of(r),
            ),
            None => (None, grid.table.place.is_none().then_some(grid.table.page)),
        };
        rows.push(ThreePublicRow {
            line: line::<ThreePublicLine>(line_key),
            label,
            amounts: ThreePublicColumns {
                total: value,
                ..Default::default()
            },
            page,
        });
    }
    // one amount per line, no funding-source columns
    let header = TableHeader {
        columns: vec!["total".to_string()],
        ..header
    };
    Ok(ThreePublicTable { header, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_is_stripped_from_labels() {
        let cases = [
            ("一、财政拨款收入", "财政拨款收入"),
            ("1. 一般公共预算资金", "一般公共预算资金"),
            ("  2、政府性基金", "政府性基金"),
            ("三公经费", "三公经费"),
            ("一般公共服务支出", "一般公共服务支出"),
            ("1、一般公共预算资金", "一般公共预算资金"),
            ("（七）“三公”经费", "“三公”经费"),
            ("十一、其他", "其他"),
        ];
        for (printed, label) in cases {
            assert_eq!(strip_numbering(printed), label, "{printed}");
        }
    }

    #[test]
    fn header_patterns_match_in_order() {
        let path = |s: &str| s.split('/').map(String::from).collect::<Vec<_>>();
        assert!(is_subsequence(
            &path("本年支出/合计"),
            &path("本年支出/预算数/合计")
        ));
        assert!(!is_subsequence(
            &path("本年收入/合计"),
            &path("本年支出/预算数/合计")
        ));
        assert!(!is_subsequence(
            &path("合计/本年支出"),
            &path("本年支出/预算数/合计")
        ));
    }

    #[test]
    fn a_total_printed_in_the_code_columns_is_the_total_row() {
        let table = Table {
            caption: "2025年预算单位支出预算总表".into(),
            page: 3,
            place: None,
            compiler: None,
            unit: None,
            columns: ["类", "款", "项", "功能分类科目名称", "合计"]
                .map(|l| budgetflow_layout::Column {
                    path: vec![l.to_string()],
                })
                .to_vec(),
            rows: [
                ["201", "", "", "一般公共服务支出", "10.00"],
                ["合计", "", "", "", "10.00"],
            ]
            .map(|cells| budgetflow_layout::Row {
                cells: cells.map(String::from).to_vec(),
                page: 3,
                place: None,
            })
            .to_vec(),
            notes: Vec::new(),
        };
        let profile = crate::profile::recognise("上海市普陀区2025年区级单位预算").unwrap();
        let grid = Grid::new(&table, profile.table(&table.caption).unwrap());
        let read: FunctionTable<budgetflow_model::tables::ExpenditureColumns> =
            function_table(&grid, &table, 3, MoneyUnit::Yuan).unwrap();
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.total().map(|r| r.name.as_str()), Some("合计"));
        assert_eq!(read.header.columns, ["total"]);
    }

    #[test]
    fn explain_names_the_profile_and_where_each_column_goes() {
        let table = Table {
            caption: "2025年预算单位支出预算总表".into(),
            page: 12,
            place: None,
            compiler: None,
            unit: None,
            columns: [
                vec!["项目", "功能分类科目编码", "类"],
                vec!["支出预算", "合计"],
                vec!["备注"],
            ]
            .map(|path| budgetflow_layout::Column {
                path: path.into_iter().map(String::from).collect(),
            })
            .to_vec(),
            rows: Vec::new(),
            notes: Vec::new(),
        };
        let layout = Layout {
            blocks: vec![
                Block::Heading(budgetflow_layout::Heading {
                    text: "上海市普陀区2025年区级单位预算".into(),
                    page: 1,
                }),
                Block::Table(table),
            ],
            furniture: Vec::new(),
        };
        let text = explain(&layout);
        assert!(text.starts_with("profile shanghai-district-unit"), "{text}");
        assert!(
            text.contains("2025年预算单位支出预算总表  → \"expenditure\""),
            "{text}"
        );
        assert!(
            text.contains("项目 / 功能分类科目编码 / 类  → code.class"),
            "{text}"
        );
        assert!(text.contains("支出预算 / 合计  → total"), "{text}");
        assert!(text.contains("备注  → —"), "{text}");
        let unknown = Layout {
            blocks: vec![Block::Heading(budgetflow_layout::Heading {
                text: "会议纪要".into(),
                page: 1,
            })],
            furniture: Vec::new(),
        };
        assert!(explain(&unknown).starts_with("no profile recognises the cover `会议纪要`"));
    }

    /// A table of `caption` with one column per header path and the given rows, on `page`.
    fn table(caption: &str, page: u32, paths: &[&[&str]], rows: &[&[&str]]) -> Block {
        Block::Table(Table {
            caption: caption.into(),
            page,
            place: None,
            compiler: None,
            unit: None,
            columns: paths
                .iter()
                .map(|p| budgetflow_layout::Column {
                    path: p.iter().map(|l| l.to_string()).collect(),
                })
                .collect(),
            rows: rows
                .iter()
                .map(|cells| budgetflow_layout::Row {
                    cells: cells.iter().map(|c| c.to_string()).collect(),
                    page,
                    place: None,
                })
                .collect(),
            notes: Vec::new(),
        })
    }

    fn with_cover(blocks: Vec<Block>) -> Layout {
        let mut all = vec![Block::Heading(budgetflow_layout::Heading {
            text: "上海市普陀区2025年区级单位预算".into(),
            page: 1,
        })];
        all.extend(blocks);
        Layout {
            blocks: all,
            furniture: Vec::new(),
        }
    }

    #[test]
    fn a_caption_repeated_over_the_next_part_continues_the_table() {
        let paths: &[&[&str]] = &[&["类"], &["款"], &["项"], &["功能分类科目名称"], &["合计"]];
        let caption = "2025年预算单位支出预算总表";
        let layout = with_cover(vec![
            table(
                caption,
                11,
                paths,
                &[&["201", "", "", "一般公共服务支出", "10.00"]],
            ),
            table(caption, 12, paths, &[&["", "", "", "合计", "10.00"]]),
        ]);
        let doc = read_layout(&layout).unwrap();
        let t = doc.tables.expenditure.unwrap();
        let pages: Vec<_> = t.rows.iter().map(|r| (r.name.as_str(), r.page)).collect();
        assert_eq!(pages, [("一般公共服务支出", Some(11)), ("合计", Some(12))]);
        assert_eq!(t.header.page, Some(11));
    }

    #[test]
    fn a_two_sided_table_printed_twice_is_refused_with_its_page() {
        let paths: &[&[&str]] = &[&["本年收入", "项目"], &["本年收入", "预算数"]];
        let caption = "2025年预算单位财务收支预算总表";
        let layout = with_cover(vec![
            table(caption, 9, paths, &[&["收入总计", "1.00"]]),
            table(caption, 10, paths, &[&["收入总计", "2.00"]]),
        ]);
        let e = read_layout(&layout).unwrap_err();
        assert!(matches!(e, ReadError::OnPage { page: 10, .. }), "{e}");
        assert!(e.message(budgetflow_model::Lang::Zh).contains("只出现一次"));
    }

    #[test]
    fn glossary_entries_split_at_the_colon() {
        let e =
            glossary_entry("（二）事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。")
                .unwrap();
        assert_eq!((e.number, e.term.as_str()), (2, "事业收入"));
        assert!(e.definition.starts_with("指事业单位"));
        assert!(glossary_entry("没有编号：的段落").is_none());
    }

    #[test]
    fn the_cover_states_the_year() {
        assert_eq!(
            fiscal_year("上海市普陀区2025年区级单位预算").map(|y| y.to_string()),
            Some("2025".into())
        );
        assert!(fiscal_year("区级单位预算").is_none());
    }
}
