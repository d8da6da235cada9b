//! Classification codes: each code exists in the catalog of the document's year (unknown →
//! warning), its printed name matches the catalog, one code carries one name everywhere in the
//! document, and a code's parents are printed.

use std::borrow::Cow;

use budgetflow_model::tables::FunctionTable;
use budgetflow_model::{FunctionCode, FunctionLevel, TableKind};

use crate::catalog::*;
use crate::engine::Checker;
use crate::finding::{Figure, Finding, Place};

/// Whether a character whose UTF-8 encoding starts with byte `b` may be one that printed
/// names are normalised for: ASCII whitespace, brackets or quotes, or a Unicode space or curly
/// quote (their lead bytes are `C2`, `E1`, `E2` and `E3`). Text without such bytes compares as
/// it is, byte by byte.
pub(crate) fn may_need_normalising(b: u8) -> bool {
    NEEDS_NORMALISING[usize::from(b)]
}

/// [`may_need_normalising`] as a table: one load per byte.
const NEEDS_NORMALISING: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(
            b as u8,
            b'\t'..=b'\r' | b' ' | b'"' | b'(' | b')' | 0xC2 | 0xE1 | 0xE2 | 0xE3
        );
        b += 1;
    }
    table
};

/// The index of the first byte of `s` that [`may_need_normalising`].
///
/// Eight bytes are tested at once: a word none of whose bytes is below `0x30` (where the
/// ASCII spaces, quote and brackets are), `0xC2` or in `0xE0..=0xE3` (a superset of the lead
/// bytes in question) holds none, and most words of Chinese text are such words. Only the
/// first other word and the last few bytes are looked at byte by byte.
pub(crate) fn first_to_normalise(s: &str) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // nonzero exactly when a byte of `w` is below `n` (for `n` ≤ 0x80)
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH;
    let bytes = s.as_bytes();
    let mut clean = 0;
    for chunk in bytes.chunks_exact(8) {
        let w = u64::from_ne_bytes(chunk.try_into().expect("chunks of eight bytes"));
        // one branch for the three tests
        if below(w, 0x30) | below(w ^ (ONES * 0xE0), 4) | below(w ^ (ONES * 0xC2), 1) != 0 {
            break;
        }
        clean += 8;
    }
    bytes[clean..]
        .iter()
        .position(|&b| may_need_normalising(b))
        .map(|i| clean + i)
}

/// `s` without the characters `dropped` says, ASCII brackets made full-width. Borrowed when
/// nothing changes. Only a character starting with a byte that [`may_need_normalising`] can
/// change: those alone are decoded, and the text between them is copied as it is.
pub(crate) fn normalised(s: &str, dropped: impl Fn(char) -> bool) -> Cow<'_, str> {
    let mut key: Option<String> = None;
    // `s[..copied]` is in `key` (when there is one); the search goes on from `at`
    let (mut copied, mut at) = (0, 0);
    while let Some(i) = first_to_normalise(&s[at..]).map(|i| at + i) {
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        at = i + c.len_utf8();
        let kept = if dropped(c) {
            None
        } else if matches!(c, '(' | ')') {
            Some(full_width(c))
        } else {
            continue;
        };
        let key = key.get_or_insert_with(|| String::with_capacity(s.len()));
        key.push_str(&s[copied..i]);
        key.extend(kept);
        copied = at;
    }
    match key {
        None => Cow::Borrowed(s),
        Some(mut key) => {
            key.push_str(&s[copied..]);
            Cow::Owned(key)
        }
    }
}

/// An ASCII bracket as its full-width twin; any other character as it is.
pub(crate) fn full_width(c: char) -> char {
    match c {
        '(' => '（',
        ')' => '）',
        c => c,
    }
}

/// A name as [`same_name`] compares it: without spaces, brackets full-width. Names compared
/// with many others are normalised once this way and then compared as strings.
pub(crate) fn name_key(name: &str) -> Cow<'_, str> {
    normalised(name, is_space)
}

/// `char::is_whitespace` without the Unicode table lookup for a Chinese character: every
/// whitespace character is at or below U+3000 (the ideographic space).
pub(crate) fn is_space(c: char) -> bool {
    c <= '\u{3000}' && c.is_whitespace()
}

/// Compares names as printed, ignoring spaces and the width of brackets.
pub fn same_name(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // The names agree up to the character where their bytes first differ. When neither that
    // character of `a` nor that of `b` can be a space or a bracket, they differ after
    // normalising too: decided without decoding a character.
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let common = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let start = (0..=common)
        .rev()
        .find(|i| x.get(*i).is_none_or(|b| (b & 0xC0) != 0x80))
        .unwrap_or(0);
    let plain = |s: &[u8]| s.get(start).is_some_and(|b| !may_need_normalising(*b));
    if plain(x) && plain(y) {
        return false;
    }
    fn norm(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars().filter(|c| !is_space(*c)).map(full_width)
    }
    // `start` is a character boundary of both names (their bytes agree before it, and a lead
    // byte or the end of `a` is at it), and the text before it is the same: only the rest is
    // compared
    norm(&a[start..]).eq(norm(&b[start..]))
}

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
