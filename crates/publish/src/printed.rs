//! What a disclosure's template prints, as the page and the open data show it: its tables in
//! printed order under the numbers it prints, the labels its columns are printed under, and
//! the columns where the model's shape and the printed one differ — 表1's split of each class's expenditure (Shanghai's 财务收支预算总表)
//! and a 三公 table printed as one row (its columns, turned by the reader into lines). The
//! page and the CSVs both read these, so that they show the same table the same way.

use budgetflow_model::tables::{FundColumns, TableHeader, ThreePublicLine, ThreePublicRow};
use budgetflow_model::{Amount, Columns, Document, Lang, TableKind};

/// One table as the document numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    pub kind: TableKind,
    /// The number the document prints; for a table the template has but the document does
    /// not print, its place in the template.
    pub number: u32,
}

/// The tables to show, in printed order: the 11 standard tables for a document of the
/// standard template; otherwise the tables of the document's template (then any other table
/// it printed), ordered by the numbers printed.
pub(crate) fn tables(doc: &Document) -> Vec<Slot> {
    let Some(template) = &doc.template else {
        return TableKind::ALL
            .into_iter()
            .map(|kind| Slot {
                kind,
                number: kind.standard_number(),
            })
            .collect();
    };
    let mut kinds: Vec<TableKind> = Vec::with_capacity(TableKind::ALL.len());
    let printed = TableKind::ALL
        .into_iter()
        .filter(|k| doc.tables.header(*k).is_some());
    for kind in template.tables.iter().copied().chain(printed) {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let mut slots: Vec<Slot> = kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| Slot {
            kind,
            number: doc.tables.header(kind).map_or(i as u32 + 1, |h| h.number),
        })
        .collect();
    // stable: tables printed under the same number keep the template's order
    slots.sort_by_key(|s| s.number);
    slots
}

/// The columns of 表1's expenditure side (indexes into [`FundColumns::LABELS`]) where its
/// template prints each class split (合计, 人员经费, 公用经费, 项目支出); `None`: the one
/// 预算数 column (the standard template's, and a template's that prints 合计 alone).
pub(crate) fn overall_split(header: &TableHeader) -> Option<Vec<usize>> {
    let printed = header.printed::<FundColumns>();
    let total_alone = printed.iter().all(|&i| FundColumns::KEYS[i] == "total");
    (!header.columns.is_empty() && !total_alone).then_some(printed)
}

/// Column `i` of a class's split; a class printed without its split has only its amount, in
/// the 合计 column.
pub(crate) fn split_cell(
    split: Option<&FundColumns>,
    amount: Option<Amount>,
    i: usize,
) -> Option<Amount> {
    match split {
        Some(s) => s.get(i),
        None => (FundColumns::KEYS.get(i) == Some(&"total"))
            .then_some(amount)
            .flatten(),
    }
}

/// Whether a 三公 table was printed as one row (its columns are the model's lines, each with
/// its one amount, kept as `total`).
pub(crate) fn one_row(header: &TableHeader) -> bool {
    header.columns.len() == 1 && header.columns[0] == "total"
}

/// 机关运行经费: the 三公 line some templates print beside the three expenses.
pub(crate) const OPERATING_COSTS: &str = "机关运行经费";

/// The name of a line of a 三公 table printed as one row. Its printed labels are pieces of a
/// two-level header (`小计`, `购置费` under `公务用车购置及运行费`) that mean nothing alone, so
/// a recognised line is named by the model's whole label; an unrecognised one as printed.
pub(crate) fn line_label(row: &ThreePublicRow) -> &str {
    match row.line {
        Some(ThreePublicLine::OperatingCosts) => OPERATING_COSTS,
        Some(line) => ThreePublicLine::STANDARD
            .iter()
            .find(|(l, _)| *l == line)
            .map_or(row.label.as_str(), |(_, label)| label),
        None => row.label.as_str(),
    }
}

/// The labels a document's template prints over the model's columns (`财政拨款收入` over
/// `fiscal_subtotal`), from the template's profile: its printed header pattern for each column
/// (`本年支出/预算数/合计` → `合计`). Empty for the standard template and for a template no
/// built-in profile describes: their columns are printed under the model's labels.
#[derive(Debug, Default)]
pub(crate) struct Labels {
    printed: Vec<(TableKind, String, String)>,
}

impl Labels {
    pub(crate) fn of(doc: &Document) -> Labels {
        let Some(template) = &doc.template else {
            return Labels::default();
        };
        let profiles = budgetflow_formats::profile::shipped();
        let Some(profile) = profiles.iter().find(|p| p.id == template.id) else {
            return Labels::default();
        };
        let mut printed: Vec<(TableKind, String, String)> = Vec::new();
        for table in &profile.tables {
            for (pattern, target) in &table.columns {
                // 表1 and 表4 name their right side's columns `expenditure.<key>`
                let key = target.strip_prefix("expenditure.").unwrap_or(target);
                let label = pattern.rsplit('/').next().unwrap_or(pattern);
                let known = printed.iter().any(|(k, c, _)| *k == table.kind && c == key);
                if !known && !label.is_empty() {
                    printed.push((table.kind, key.to_string(), label.to_string()));
                }
            }
        }
        Labels { printed }
    }

    /// The label column `i` of `A` is printed under in a table of `kind`: in Chinese the
    /// template's own, in English the model's (whose English the chrome knows); the model's
    /// when the template's is not known.
    pub(crate) fn column<A: Columns>(&self, kind: Option<TableKind>, i: usize, lang: Lang) -> &str {
        let model = A::LABELS.get(i).copied().unwrap_or("");
        if lang == Lang::En {
            return model;
        }
        let key = A::KEYS.get(i).copied().unwrap_or("");
        self.printed
            .iter()
            .find(|(k, c, _)| Some(*k) == kind && c == key)
            .map_or(model, |(_, _, label)| label.as_str())
    }
}
