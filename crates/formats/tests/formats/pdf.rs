//! The real Shanghai PDFs (`samples/shanghai/`): every amount of every table is read, on its
//! page and in its row — checked against a second, independent extraction, poppler's
//! `pdftotext -layout`, which shares no code with ours (CI installs poppler-utils).

use std::collections::BTreeMap;
use std::process::Command;

use budgetflow_formats::facts::{facts, Fact};
use budgetflow_model::{Document, TableKind};
use rust_decimal::Decimal;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/shanghai/");
const FILES: [&str; 3] = [
    "putuo-commerce-unit-2025.pdf",
    "putuo-govoffice-dept-2025.pdf",
    "putuo-justice-unit-2026.pdf",
];

fn read(file: &str) -> Document {
    budgetflow_formats::read_path(std::path::Path::new(&format!("{DIR}{file}")))
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The text of each page as poppler lays it out.
fn pdftotext_pages(file: &str) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", &format!("{DIR}{file}"), "-"])
        .output()
        .expect("this test compares with poppler: install poppler-utils (pdftotext)");
    assert!(out.status.success(), "pdftotext failed on {file}");
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\u{c}')
        .map(String::from)
        .collect()
}

/// The amounts of a line of poppler's rendering: the numbers after the row's name (the
/// numbers before it are its 类 / 款 / 项 code parts; a line without a name, like the 三公
/// table's, is all amounts). `1.` numbers a line, it is not an amount.
fn amounts(line: &str) -> Vec<Decimal> {
    let numeric = |t: &str| {
        t.starts_with(|c: char| c.is_ascii_digit())
            && t.ends_with(|c: char| c.is_ascii_digit())
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    };
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let name = tokens.iter().position(|t| !numeric(t));
    let from = match name {
        Some(_) => tokens
            .iter()
            .position(|t| !numeric(t) && !t.ends_with(['.', '．', '、']))
            .unwrap_or(0),
        None => 0,
    };
    tokens[from..]
        .iter()
        .filter(|t| numeric(t))
        .map(|t| t.replace(',', "").parse().unwrap())
        .collect()
}

/// Whether a line of poppler's rendering is a table line rather than a sentence (sentences
/// state 万元 and have Chinese punctuation; titles print no amount).
fn is_table_line(line: &str) -> bool {
    !["万元", "，", "。"].iter().any(|s| line.contains(s))
}

type Counts = BTreeMap<Decimal, usize>;

fn count(values: impl IntoIterator<Item = Decimal>) -> Counts {
    let mut out = Counts::new();
    for v in values {
        *out.entry(v).or_insert(0) += 1;
    }
    out
}

fn value(f: &Fact) -> Decimal {
    f.value.parse().unwrap()
}

#[test]
fn every_table_of_every_given_pdf_is_read() {
    for file in FILES {
        let doc = read(file);
        let missing: Vec<_> = doc
            .required_tables()
            .iter()
            .filter(|k| doc.tables.header(**k).is_none())
            .collect();
        assert!(missing.is_empty(), "{file}: tables not read: {missing:?}");
        assert_eq!(doc.required_tables().len(), 9, "{file}");
        assert!(doc.tables.unrecognised.is_empty(), "{file}");
        assert!(!doc.template_has_targets(), "{file}");
    }
}

/// Page by page, the amounts of our facts are exactly the amounts poppler prints in table
/// lines of that page: nothing missing, nothing invented, nothing moved to another page.
/// The 三公 table is in 万元 and printed with two decimals like every other amount.
#[test]
fn facts_are_the_amounts_poppler_prints_on_each_page() {
    for file in FILES {
        let doc = read(file);
        let facts = facts(&doc);
        let pages = pdftotext_pages(file);
        let mut ours: BTreeMap<u32, Counts> = BTreeMap::new();
        for f in &facts {
            let page = f
                .page
                .unwrap_or_else(|| panic!("{file}: a fact without a page: {f:?}"));
            *ours.entry(page).or_default().entry(value(f)).or_insert(0) += 1;
        }
        for (&page, counts) in &ours {
            let text = &pages[page as usize - 1];
            let theirs = count(text.lines().filter(|l| is_table_line(l)).flat_map(amounts));
            assert_eq!(counts, &theirs, "{file} page {page}");
        }
    }
}

/// Row by row: each coded row of the classification tables has, on poppler's line that
/// prints its code parts and name, exactly the amounts we read for it.
#[test]
fn every_coded_row_matches_its_printed_line() {
    for file in FILES {
        let doc = read(file);
        let pages = pdftotext_pages(file);
        let mut rows: BTreeMap<(String, String, String, u32), Vec<Decimal>> = BTreeMap::new();
        for f in facts(&doc).iter().filter(|f| !f.code.is_empty()) {
            rows.entry((
                f.table.clone(),
                f.code.clone(),
                f.name.clone(),
                f.page.unwrap(),
            ))
            .or_default()
            .push(value(f));
        }
        let coded = [
            TableKind::Revenue,
            TableKind::Expenditure,
            TableKind::GeneralBudget,
            TableKind::Basic,
        ]
        .iter()
        .filter_map(|k| doc.tables.header(*k))
        .map(|h| h.number.to_string())
        .collect::<Vec<_>>();
        let mut checked = 0;
        for ((table, code, name, page), mut values) in rows {
            if !coded.contains(&table) {
                continue;
            }
            // poppler prints the code in its 类 / 款 / 项 parts: `201   13   01   行政运行`
            let parts: Vec<&str> = [
                &code[..3],
                code.get(3..5).unwrap_or(""),
                code.get(5..7).unwrap_or(""),
            ]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
            let line = pages[page as usize - 1]
                .lines()
                .find(|l| {
                    let tokens: Vec<&str> = l.split_whitespace().collect();
                    tokens.len() > parts.len()
                        && tokens[..parts.len()] == parts[..]
                        && tokens[parts.len()] == name
                })
                .unwrap_or_else(|| {
                    panic!("{file} table {table} page {page}: no line for {code} {name}")
                });
            let mut printed = amounts(line);
            values.sort();
            printed.sort();
            assert_eq!(
                values, printed,
                "{file} table {table} {code} {name}: {line}"
            );
            checked += 1;
        }
        assert!(checked > 60, "{file}: only {checked} coded rows checked");
    }
}

#[test]
fn rows_and_paragraphs_keep_their_pages() {
    let doc = read("putuo-commerce-unit-2025.pdf");
    let general = doc.tables.general_budget.as_ref().unwrap();
    // the table continues onto the next page, which repeats its header
    let pages: Vec<u32> = general.rows.iter().filter_map(|r| r.page).collect();
    assert_eq!(general.header.page, Some(15));
    assert_eq!((pages.first(), pages.last()), (Some(&15), Some(&16)));
    assert_eq!(general.rows.len(), 31);
    let facts = facts(&doc);
    assert_eq!(
        (facts[0].table.as_str(), facts[0].title.as_str()),
        ("1", "2025年预算单位财务收支预算总表"),
        "a fact names its table as the document prints it"
    );
    let three = doc.tables.three_public.as_ref().unwrap();
    assert_eq!(
        three.header.unit,
        budgetflow_model::MoneyUnit::TenThousandYuan
    );
    assert!(doc
        .narrative
        .sections
        .iter()
        .flat_map(|s| s.paragraphs())
        .all(|p| p.page.is_some()));
}

/// A page break inside a sentence does not split it: item 9 of the commerce unit's functions
/// runs from page 3 to page 4 (`…生活必需品市场供应` / `应急机制…`).
#[test]
fn a_paragraph_runs_across_a_page_break() {
    let doc = read("putuo-commerce-unit-2025.pdf");
    let item = doc
        .overview
        .functions_text
        .iter()
        .find(|p| p.starts_with("9、"))
        .expect("item 9");
    assert!(item.contains("生活必需品市场供应应急机制"), "{item}");
    let twelve = doc
        .overview
        .functions_text
        .iter()
        .filter(|p| p.starts_with("12、"))
        .count();
    assert_eq!(
        twelve, 1,
        "the clipped copy of items 7–12 is not read twice"
    );
}
