//! Classification codes: each code exists in the catalog of the document's year (unknown →
//! warning), its printed name matches the catalog, one code carries one name everywhere in the
//! document, and a code's parents are printed.

use budgetflow_model::names::same_name;
use budgetflow_model::tables::FunctionTable;
use budgetflow_model::{FunctionCode, FunctionLevel, TableKind};

use crate::catalog::*;
use crate::engine::Checker;
use crate::finding::{Figure, Finding, Place};

/// A row name as printed in a subtotal row of 表7 may carry its code (`215 08 支持…`).
fn bare_name(name: &str) -> &str {
    name.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace())
}

/// Appends the (code, name, table) of every coded row of a function table.
fn push_coded<'d, A>(
    printed: &mut Vec<(FunctionCode, &'d str, TableKind)>,
    table: Option<&'d FunctionTable<A>>,
    kind: TableKind,
) {
    if let Some(table) = table {
        printed.extend(table.coded_rows().map(|(c, r)| (*c, r.name.as_str(), kind)));
    }
}

pub fn check(ck: &mut Checker) {
    let t = &ck.doc.tables;
    // Every (code, name, table) the document prints for functional codes, in document order.
    let mut printed: Vec<(FunctionCode, &str, TableKind)> = Vec::with_capacity(128);
    if let Some(t1) = &t.overall {
        printed.extend(t1.expenditure.iter().filter_map(|c| {
            c.code
                .map(|code| (code, c.name.as_str(), TableKind::Overall))
        }));
    }
    // straight into `printed`, without a vector per table
    push_coded(&mut printed, t.revenue.as_ref(), TableKind::Revenue);
    push_coded(&mut printed, t.expenditure.as_ref(), TableKind::Expenditure);
    push_coded(
        &mut printed,
        t.general_budget.as_ref(),
        TableKind::GeneralBudget,
    );
    push_coded(&mut printed, t.gov_fund.as_ref(), TableKind::GovFund);
    push_coded(&mut printed, t.soe_capital.as_ref(), TableKind::SoeCapital);
    if let Some(t4) = &t.appropriation {
        printed.extend(t4.expenditure.iter().filter_map(|c| {
            c.code
                .map(|code| (code, c.name.as_str(), TableKind::Appropriation))
        }));
    }
    if let Some(t7) = &t.projects {
        printed.extend(t7.rows.iter().filter_map(|r| {
            r.code
                .map(|code| (code, bare_name(&r.name), TableKind::Projects))
        }));
    }

    // Where each code is printed first; a code is looked up in the catalog there only.
    let first = first_occurrences(&printed);
    let mut entries = Vec::with_capacity(printed.len());
    // First occurrences printed with a different name somewhere later.
    let mut renamed = vec![false; printed.len()];
    let mut reported_unknown: Vec<FunctionCode> = Vec::new();
    let mut reported_name: Vec<(FunctionCode, &str)> = Vec::new();
    let mut reported_consistency: Vec<(FunctionCode, &str)> = Vec::new();
    for (i, &(code, name, kind)) in printed.iter().enumerate() {
        let place = Place::Table(kind);
        let entry = if first[i] == i {
            ck.catalog.function(&code)
        } else {
            entries[first[i]]
        };
        entries.push(entry);
        match entry {
            None if !reported_unknown.contains(&code) => {
                reported_unknown.push(code);
                ck.push(
                    Finding::new(&CODE_UNKNOWN, place)
                        .code(code.as_str())
                        .name(name)
                        .detail(
                            format!("{}年科目表中无此编码", ck.catalog.year),
                            format!("not in the {} catalog", ck.catalog.year),
                        ),
                );
            }
            Some(entry)
                if !name.trim().is_empty()
                    && !same_name(entry.name, name)
                    && !reported_name.contains(&(code, name)) =>
            {
                reported_name.push((code, name));
                ck.push(
                    Finding::new(&CODE_NAME, place)
                        .code(code.as_str())
                        .figures(Figure::text(entry.name), Figure::text(name)),
                );
            }
            _ => {}
        }
        // The name a code is printed with most often is the reference for the rest.
        if first[i] < i {
            let (_, first_name, _) = printed[first[i]];
            if !same_name(first_name, name) {
                renamed[first[i]] = true;
                let same_code = || printed.iter().filter(|(c, _, _)| *c == code);
                let votes = |n: &str| same_code().filter(|(_, m, _)| same_name(m, n)).count();
                let (reference, reference_kind) = same_code()
                    .map(|(_, n, k)| (*n, *k))
                    .max_by_key(|(n, _)| votes(n))
                    .unwrap_or((first_name, kind));
                if !same_name(reference, name) && !reported_consistency.contains(&(code, name)) {
                    reported_consistency.push((code, name));
                    ck.push(
                        Finding::new(&CODE_CONSISTENT, place)
                            .code(code.as_str())
                            .figures(Figure::text(reference), Figure::text(name))
                            .detail(
                                format!(
                                    "表{}等处该编码名为“{reference}”",
                                    reference_kind.standard_number()
                                ),
                                format!(
                                    "Table {} and others name this code “{reference}”",
                                    reference_kind.standard_number()
                                ),
                            ),
                    );
                }
            }
        }
    }
    // The first occurrence is never compared with itself above; compare it with the reference.
    for (j, &(code, name, kind)) in printed.iter().enumerate() {
        if !renamed[j] {
            continue;
        }
        let votes = |n: &str| {
            printed
                .iter()
                .filter(|(c, m, _)| *c == code && same_name(m, n))
                .count()
        };
        let reference = printed
            .iter()
            .filter(|(c, _, _)| *c == code)
            .map(|(_, n, _)| *n)
            .max_by_key(|n| votes(n))
            .unwrap_or(name);
        if votes(reference) > votes(name) && !reported_consistency.contains(&(code, name)) {
            reported_consistency.push((code, name));
            ck.push(
                Finding::new(&CODE_CONSISTENT, Place::Table(kind))
                    .code(code.as_str())
                    .figures(Figure::text(reference), Figure::text(name)),
            );
        }
    }

    for (kind, codes) in [
        (
            TableKind::Revenue,
            t.revenue
                .as_ref()
                .map(|t| t.coded_rows().map(|(c, _)| *c).collect::<Vec<_>>()),
        ),
        (
            TableKind::Expenditure,
            t.expenditure
                .as_ref()
                .map(|t| t.coded_rows().map(|(c, _)| *c).collect()),
        ),
        (
            TableKind::GeneralBudget,
            t.general_budget
                .as_ref()
                .map(|t| t.coded_rows().map(|(c, _)| *c).collect()),
        ),
        (
            TableKind::GovFund,
            t.gov_fund
                .as_ref()
                .map(|t| t.coded_rows().map(|(c, _)| *c).collect()),
        ),
        (
            TableKind::SoeCapital,
            t.soe_capital
                .as_ref()
                .map(|t| t.coded_rows().map(|(c, _)| *c).collect()),
        ),
    ] {
        let Some(codes) = codes else { continue };
        for (i, code) in codes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.level() != FunctionLevel::Class)
        {
            // a parent is printed shortly before its children: looked for backwards from here
            let printed = |p: &FunctionCode| {
                codes[..i].iter().rev().any(|c| c == p) || codes[i..].contains(p)
            };
            if let Some(parent) = code.parent().filter(|p| !printed(p)) {
                ck.push(
                    Finding::new(&CODE_PARENT, Place::Table(kind))
                        .code(code.as_str())
                        .figures(Figure::text(parent.as_str()), Figure::text("—")),
                );
            }
        }
    }

    economic(ck);
}

/// For each printed code, the index of the first entry with the same code.
fn first_occurrences(printed: &[(FunctionCode, &str, TableKind)]) -> Vec<usize> {
    // The distinct codes so far, with their first index: a few dozen, so a list is enough.
    // The tables print their codes in the same order, so the search starts after the code
    // found last and wraps around: a repeated sequence is matched one comparison per entry.
    // The codes in the list are distinct, so where the search starts changes nothing found.
    let mut seen: Vec<(FunctionCode, usize)> = Vec::with_capacity(64);
    let mut next = 0;
    printed
        .iter()
        .enumerate()
        .map(|(i, (code, _, _))| {
            let (wrapped, ahead) = seen.split_at(next.min(seen.len()));
            let found = ahead
                .iter()
                .position(|(c, _)| c == code)
                .map(|k| k + wrapped.len())
                .or_else(|| wrapped.iter().position(|(c, _)| c == code));
            match found {
                Some(k) => {
                    next = k + 1;
                    seen[k].1
                }
                None => {
                    seen.push((*code, i));
                    next = seen.len();
                    i
                }
            }
        })
        .collect()
}

/// 表6 economic codes: known, named as in the catalog, printed once.
fn economic(ck: &mut Checker) {
    let Some(t6) = &ck.doc.tables.basic else {
        return;
    };
    let place = Place::Table(TableKind::Basic);
    for (i, row) in t6.rows.iter().enumerate() {
        let Some(code) = row.code else { continue };
        match ck.catalog.economic(&code) {
            None => ck.push(
                Finding::new(&CODE_UNKNOWN, place)
                    .code(code.as_str())
                    .name(row.name.as_str())
                    .detail(
                        format!("{}年经济分类科目表中无此编码", ck.catalog.year),
                        format!("not in the {} economic catalog", ck.catalog.year),
                    ),
            ),
            // a blank name cell is no name to compare (a template may print codes alone)
            Some(entry) if !row.name.trim().is_empty() && !same_name(entry.name, &row.name) => ck
                .push(
                    Finding::new(&CODE_NAME, place)
                        .code(code.as_str())
                        .figures(Figure::text(entry.name), Figure::text(row.name.as_str())),
                ),
            _ => {}
        }
        if let Some(first) = t6.rows[..i]
            .iter()
            .find(|r| r.code == Some(code))
            .filter(|r| !same_name(&r.name, &row.name))
        {
            ck.push(
                Finding::new(&CODE_CONSISTENT, place)
                    .code(code.as_str())
                    .figures(
                        Figure::text(first.name.as_str()),
                        Figure::text(row.name.as_str()),
                    ),
            );
        }
        if !code.is_class() && !t6.rows.iter().any(|r| r.code == Some(code.class())) {
            ck.push(
                Finding::new(&CODE_PARENT, place)
                    .code(code.as_str())
                    .figures(Figure::text(code.class().as_str()), Figure::text("—")),
            );
        }
    }
}
