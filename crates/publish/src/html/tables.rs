//! 第二部分: the tables as printed — in the order, under the numbers and titles and with the
//! columns the document's template prints (`crate::printed`) — caption, `编制部门`, `单位`,
//! column labels with `scope`, code columns, amounts right-aligned with thousands separators,
//! and an empty table shown with its statement. In English a standard table is captioned by its standard
//! title's English, and its column labels are the English of the model's labels.

use std::fmt::{Display, Write};

use budgetflow_model::tables::{
    AppropriationColumns, BasicColumns, CarryOverColumns, CarryOverRowKind, Columns, FunctionTable,
    FundColumns, ProjectColumns, ProjectRowKind, TableHeader, ThreePublicColumns, ThreePublicLine,
};
use budgetflow_model::{Amount, Document, Lang, TableKind};

use super::{escape, project_label};
use crate::chrome::{translate, Text};
use crate::printed;

/// Writes every standard table in order, a notice for a missing one, and any table the
/// reader did not recognise cell by cell.
pub(super) fn all(out: &mut String, doc: &Document, lang: Lang) {
    let _ = writeln!(
        out,
        "<section id=\"tables\">\n<h2>{}</h2>",
        Text::PartTables.get(lang)
    );
    super::charts::figures(out, doc, lang);
    let department = doc.identity.department.as_str();
    let labels = printed::Labels::of(doc);
    let t = &doc.tables;
    for slot in printed::tables(doc) {
        let kind = slot.kind;
        let Some(header) = t.header(kind) else {
            let _ = writeln!(
                out,
                "<section class=\"table\"><h3>{}</h3><p class=\"note\">{}</p></section>",
                Text::TableCaption.fill(
                    lang,
                    &[&slot.number, &translate(kind.standard_title(), lang)]
                ),
                Text::TableNotPrinted.get(lang)
            );
            continue;
        };
        let table = Table {
            header,
            kind: Some(kind),
            labels: &labels,
            department,
            lang,
        };
        match kind {
            TableKind::Overall => overall(out, table, doc),
            TableKind::Revenue => function_table(out, table, t.revenue.as_ref()),
            TableKind::Expenditure => function_table(out, table, t.expenditure.as_ref()),
            TableKind::Appropriation => appropriation(out, table, doc),
            TableKind::GeneralBudget => function_table(out, table, t.general_budget.as_ref()),
            TableKind::Basic => basic(out, table, doc),
            TableKind::Projects => projects(out, table, doc),
            TableKind::GovFund => function_table(out, table, t.gov_fund.as_ref()),
            TableKind::SoeCapital => function_table(out, table, t.soe_capital.as_ref()),
            TableKind::ThreePublic => three_public(out, table, doc),
            TableKind::CarryOver => carry_over(out, table, doc),
        }
    }
    for u in &t.unrecognised {
        let width = u.lines.iter().map(Vec::len).max().unwrap_or(1);
        let table = Table {
            header: &u.header,
            kind: None,
            labels: &labels,
            department,
            lang,
        };
        table.begin(out, "");
        for line in &u.lines {
            out.push_str("<tr>");
            for cell in line {
                let _ = write!(out, "<td>{}</td>", escape(cell));
            }
            out.push_str("</tr>\n");
        }
        table.end(out, width, u.lines.is_empty());
    }
    out.push_str("</section>\n");
}

/// The header of one table, its kind when it is a standard one, the labels its template
/// prints, the department it falls back to for `编制部门` and the language of its chrome.
#[derive(Clone, Copy)]
struct Table<'a> {
    header: &'a TableHeader,
    kind: Option<TableKind>,
    labels: &'a printed::Labels,
    department: &'a str,
    lang: Lang,
}

impl<'a> Table<'a> {
    /// The labels of the columns the table prints: its leading text columns, then the amount
    /// columns `printed` under the labels its template prints.
    fn column_labels<A: Columns>(
        self,
        leading: &[&'static str],
        printed: &[usize],
    ) -> Vec<&'a str> {
        let mut labels: Vec<&'a str> = leading.to_vec();
        labels.extend(
            printed
                .iter()
                .map(|&i| self.labels.column::<A>(self.kind, i, self.lang)),
        );
        labels
    }

    /// Opens the table: caption with title, compiler and unit, then `thead` and `tbody`.
    fn begin(self, out: &mut String, thead: &str) {
        let (h, lang) = (self.header, self.lang);
        let title = match (lang, self.kind) {
            (Lang::En, Some(kind)) => translate(kind.standard_title(), lang).to_string(),
            _ => escape(&h.title),
        };
        let compiler = escape(h.compiler.as_deref().unwrap_or(self.department));
        let _ = write!(
            out,
            "<section class=\"table\" id=\"table-{n}\">\n<div class=\"scroll\">\n<table>\n\
             <caption><span class=\"title\">{caption}</span>\
             <span class=\"meta\"><span>{compiler}</span><span>{unit}</span></span></caption>\n\
             {thead}<tbody>\n",
            n = h.number,
            caption = Text::TableCaption.fill(lang, &[&h.number, &title]),
            compiler = Text::CompiledBy.fill(lang, &[&compiler]),
            unit = Text::Unit.fill(lang, &[&translate(h.unit.label(), lang)]),
        );
    }

    /// Closes the table; an empty one shows its statement in its body, other notes follow it.
    fn end(self, out: &mut String, columns: usize, empty: bool) {
        let notes = &self.header.notes;
        if empty {
            let statement = if notes.is_empty() {
                Text::NoData.get(self.lang).to_string()
            } else {
                notes
                    .iter()
                    .map(|n| escape(n))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"empty\" colspan=\"{columns}\">{statement}</td></tr>"
            );
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
        if !empty {
            for note in notes {
                let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
            }
        }
        out.push_str("</section>\n");
    }
}

/// A one-row `thead` of column labels (the model's Chinese labels, in `lang`).
fn head(labels: &[&str], lang: Lang) -> String {
    let mut s = String::from("<thead><tr>");
    for label in labels {
        let _ = write!(
            s,
            "<th scope=\"col\">{}</th>",
            escape(translate(label, lang))
        );
    }
    s.push_str("</tr></thead>\n");
    s
}

fn open_row(out: &mut String, total: bool) {
    out.push_str(if total {
        "<tr class=\"total\">"
    } else {
        "<tr>"
    });
}

fn amount(out: &mut String, value: Option<Amount>) {
    match value {
        Some(v) => {
            let _ = write!(out, "<td class=\"amount\">{}</td>", v.grouped());
        }
        None => out.push_str("<td class=\"amount\"></td>"),
    }
}

/// The cells of the columns a table's template prints (`TableHeader::printed`).
fn printed_amounts<A: Columns>(out: &mut String, row: &A, printed: &[usize]) {
    for &i in printed {
        amount(out, row.get(i));
    }
}

fn code(out: &mut String, code: Option<impl Display>) {
    match code {
        Some(c) => {
            let _ = write!(out, "<td class=\"code\">{c}</td>");
        }
        None => out.push_str("<td class=\"code\"></td>"),
    }
}

fn text(out: &mut String, text: &str) {
    let _ = write!(out, "<td>{}</td>", escape(text));
}

/// The cells of a `label | amount` pair, or two blank cells past the end of a side.
fn pair(out: &mut String, entry: Option<(&str, Option<Amount>)>) {
    match entry {
        Some((label, value)) => {
            text(out, label);
            amount(out, value);
        }
        None => out.push_str("<td></td><td class=\"amount\"></td>"),
    }
}

/// 表1: revenue lines on the left, expenditure by 类 on the right (one amount each, or split
/// as its template prints it), totals at the bottom.
fn overall(out: &mut String, table: Table<'_>, doc: &Document) {
    let Some(x) = &doc.tables.overall else { return };
    let lang = table.lang;
    let split = printed::overall_split(&x.header);
    let mut expenditure_columns = String::new();
    match &split {
        Some(split) => {
            for &i in split {
                let _ = write!(
                    expenditure_columns,
                    "<th scope=\"col\">{}</th>",
                    escape(translate(
                        table.labels.column::<FundColumns>(table.kind, i, lang),
                        lang
                    ))
                );
            }
        }
        None => {
            let _ = write!(
                expenditure_columns,
                "<th scope=\"col\">{}</th>",
                Text::Budgeted.get(lang)
            );
        }
    }
    let amounts_width = split.as_ref().map_or(1, Vec::len);
    table.begin(
        out,
        &format!(
            "<thead><tr><th scope=\"colgroup\" colspan=\"2\">{revenue}</th><th scope=\"colgroup\" colspan=\"{span}\">{expenditure}</th></tr>\n\
             <tr><th scope=\"col\">{item}</th><th scope=\"col\">{budgeted}</th><th scope=\"col\">{code}</th><th scope=\"col\">{item}</th>{expenditure_columns}</tr></thead>\n",
            span = 2 + amounts_width,
            revenue = Text::Revenue.get(lang),
            expenditure = Text::Expenditure.get(lang),
            item = Text::Item.get(lang),
            budgeted = Text::Budgeted.get(lang),
            code = Text::FunctionCode.get(lang),
        ),
    );
    let expenditure = |out: &mut String,
                       split_amounts: Option<&FundColumns>,
                       value: Option<Amount>| match &split {
        Some(columns) => {
            for &i in columns {
                amount(out, printed::split_cell(split_amounts, value, i));
            }
        }
        None => amount(out, value),
    };
    let rows = x.revenue.len().max(x.expenditure.len());
    for i in 0..rows {
        out.push_str("<tr>");
        pair(out, x.revenue.get(i).map(|r| (r.label.as_str(), r.amount)));
        match x.expenditure.get(i) {
            Some(e) => {
                code(out, e.code.as_ref());
                text(out, &e.name);
                expenditure(out, e.split.as_ref(), e.amount);
            }
            None => {
                out.push_str("<td class=\"code\"></td><td></td>");
                for _ in 0..amounts_width {
                    out.push_str("<td class=\"amount\"></td>");
                }
            }
        }
        out.push_str("</tr>\n");
    }
    if x.revenue_total.is_some() || x.expenditure_total.is_some() {
        open_row(out, true);
        pair(out, Some((Text::RevenueTotal.get(lang), x.revenue_total)));
        code(out, None::<&str>);
        text(out, Text::ExpenditureTotal.get(lang));
        expenditure(out, x.expenditure_total_split.as_ref(), x.expenditure_total);
        out.push_str("</tr>\n");
    }
    table.end(out, 4 + amounts_width, rows == 0);
}

/// 表2, 表3, 表5, 表8, 表9: rows by functional classification.
fn function_table<A: Columns>(out: &mut String, table: Table<'_>, x: Option<&FunctionTable<A>>) {
    let Some(x) = x else { return };
    let printed = x.header.printed::<A>();
    let labels = table.column_labels::<A>(
        &[Text::FunctionCode.zh(), Text::FunctionName.zh()],
        &printed,
    );
    table.begin(out, &head(&labels, table.lang));
    for r in &x.rows {
        open_row(out, r.code.is_none());
        code(out, r.code.as_ref());
        text(out, &r.name);
        printed_amounts(out, &r.amounts, &printed);
        out.push_str("</tr>\n");
    }
    table.end(out, labels.len(), x.is_empty());
}

/// 表4: appropriation revenue on the left, expenditure by 类 and source on the right.
fn appropriation(out: &mut String, table: Table<'_>, doc: &Document) {
    let Some(x) = &doc.tables.appropriation else {
        return;
    };
    let lang = table.lang;
    let sources = x.header.printed::<AppropriationColumns>();
    let mut thead = format!(
        "<thead><tr><th scope=\"colgroup\" colspan=\"2\">{revenue}</th><th scope=\"colgroup\" colspan=\"{}\">{expenditure}</th></tr>\n<tr>\
         <th scope=\"col\">{item}</th><th scope=\"col\">{budgeted}</th><th scope=\"col\">{code}</th><th scope=\"col\">{item}</th>",
        sources.len() + 2,
        revenue = Text::Revenue.get(lang),
        expenditure = Text::Expenditure.get(lang),
        item = Text::Item.get(lang),
        budgeted = Text::Budgeted.get(lang),
        code = Text::FunctionCode.get(lang),
    );
    for &i in &sources {
        let _ = write!(
            thead,
            "<th scope=\"col\">{}</th>",
            escape(translate(
                table
                    .labels
                    .column::<AppropriationColumns>(table.kind, i, lang),
                lang
            ))
        );
    }
    thead.push_str("</tr></thead>\n");
    table.begin(out, &thead);
    let columns = 4 + sources.len();
    let rows = x.revenue.len().max(x.expenditure.len());
    for i in 0..rows {
        out.push_str("<tr>");
        pair(out, x.revenue.get(i).map(|r| (r.label.as_str(), r.amount)));
        match x.expenditure.get(i) {
            Some(e) => {
                code(out, e.code.as_ref());
                text(out, &e.name);
                printed_amounts(out, &e.amounts, &sources);
            }
            None => {
                out.push_str("<td class=\"code\"></td><td></td>");
                for _ in &sources {
                    out.push_str("<td class=\"amount\"></td>");
                }
            }
        }
        out.push_str("</tr>\n");
    }
    open_row(out, true);
    pair(out, Some((Text::RevenueTotal.get(lang), x.revenue_total)));
    code(out, None::<&str>);
    text(out, Text::ExpenditureTotal.get(lang));
    printed_amounts(out, &x.expenditure_total, &sources);
    out.push_str("</tr>\n");
    table.end(out, columns, false);
}

/// 表6 (Shanghai's 表8): basic expenditure by economic classification.
fn basic(out: &mut String, table: Table<'_>, doc: &Document) {
    let Some(x) = &doc.tables.basic else { return };
    let printed = x.header.printed::<BasicColumns>();
    let labels = table.column_labels::<BasicColumns>(
        &[Text::EconomicCode.zh(), Text::FunctionName.zh()],
        &printed,
    );
    table.begin(out, &head(&labels, table.lang));
    for r in &x.rows {
        open_row(out, r.code.is_none());
        code(out, r.code.as_ref());
        text(out, &r.name);
        printed_amounts(out, &r.amounts, &printed);
        out.push_str("</tr>\n");
    }
    table.end(out, labels.len(), x.rows.is_empty());
}

/// 表7: projects under their unit and class subtotals; classified projects by code only.
fn projects(out: &mut String, table: Table<'_>, doc: &Document) {
    let Some(x) = &doc.tables.projects else {
        return;
    };
    let printed = x.header.printed::<ProjectColumns>();
    let labels = table.column_labels::<ProjectColumns>(
        &[
            Text::FunctionCode.zh(),
            Text::FunctionName.zh(),
            Text::ProjectName.zh(),
        ],
        &printed,
    );
    table.begin(out, &head(&labels, table.lang));
    for r in &x.rows {
        out.push_str(match r.kind {
            ProjectRowKind::Total => "<tr class=\"total\">",
            ProjectRowKind::Project => "<tr>",
            _ => "<tr class=\"subtotal\">",
        });
        code(out, r.code.as_ref());
        text(out, &project_label(&r.name));
        text(
            out,
            &r.project
                .as_ref()
                .map(|p| project_label(p.as_str()))
                .unwrap_or_default(),
        );
        printed_amounts(out, &r.amounts, &printed);
        out.push_str("</tr>\n");
    }
    table.end(out, labels.len(), x.rows.is_empty());
}

/// 表10 (Shanghai's 表9): the three public expenses by source; a table printed as one row
/// shows its lines with their one amount each, under whole names.
fn three_public(out: &mut String, table: Table<'_>, doc: &Document) {
    let Some(x) = &doc.tables.three_public else {
        return;
    };
    let one_row = printed::one_row(&x.header);
    let printed = x.header.printed::<ThreePublicColumns>();
    let labels = if one_row {
        vec![Text::Item.zh(), Text::Budgeted.zh()]
    } else {
        table.column_labels::<ThreePublicColumns>(&[Text::Item.zh()], &printed)
    };
    table.begin(out, &head(&labels, table.lang));
    for r in &x.rows {
        open_row(out, r.line == Some(ThreePublicLine::Total));
        if one_row {
            text(out, translate(printed::line_label(r), table.lang));
        } else {
            text(out, &r.label);
        }
        printed_amounts(out, &r.amounts, &printed);
        out.push_str("</tr>\n");
    }
    table.end(out, labels.len(), x.rows.is_empty());
}

/// 表11: carry-over by unit and project; classified projects by code only.
fn carry_over(out: &mut String, table: Table<'_>, doc: &Document) {
    let Some(x) = &doc.tables.carry_over else {
        return;
    };
    let printed = x.header.printed::<CarryOverColumns>();
    let labels = table.column_labels::<CarryOverColumns>(&[Text::UnitOrProject.zh()], &printed);
    table.begin(out, &head(&labels, table.lang));
    for r in &x.rows {
        out.push_str(match r.kind {
            CarryOverRowKind::Total => "<tr class=\"total\">",
            CarryOverRowKind::Unit => "<tr class=\"subtotal\">",
            CarryOverRowKind::Project => "<tr>",
        });
        text(out, &project_label(&r.name));
        printed_amounts(out, &r.amounts, &printed);
        out.push_str("</tr>\n");
    }
    table.end(out, labels.len(), x.rows.is_empty());
}
