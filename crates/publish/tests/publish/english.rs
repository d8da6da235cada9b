//! The page and the site index in English (`Lang::En`): the chrome is English, the
//! disclosure's own text and every number are the same as on the Chinese page, the open data
//! is the same bytes; Chinese stays the default.

use budgetflow_model::tables::RevenueColumns;
use budgetflow_model::DepartmentCode;
use budgetflow_model::{Columns, Lang, TableKind};
use budgetflow_publish::archive::{Archive, SubmissionVersion::NewerThanCurrent, SITE_INDEX};
use budgetflow_publish::bundle::{self, PAGE};
use budgetflow_publish::html;
use budgetflow_publish::site::{index_page, IndexEntry};
use scraper::Html;

use super::{sample, select, text_of};

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The texts of the elements `selector` matches, in document order.
fn texts(page: &Html, selector: &str) -> Vec<String> {
    page.select(&select(selector)).map(text_of).collect()
}

#[test]
fn the_sample_in_english_has_english_chrome_and_lang_en() {
    let doc = sample();
    let page = Html::parse_document(&html::page(&doc, Lang::En));
    assert_eq!(page.root_element().value().attr("lang"), Some("en"));
    assert_eq!(
        texts(&page, "h2"),
        [
            "Part 1 Department overview",
            "Part 2 Budget tables",
            "Part 3 Explanations",
            "Part 4 Glossary"
        ]
    );
    assert_eq!(
        texts(&page, "nav a").len(),
        4,
        "the contents list the four parts"
    );
    assert!(texts(&page, "nav a").iter().all(|t| !has_chinese(t)));
    let captions = texts(&page, "section#tables table caption .title");
    assert_eq!(captions.len(), 11, "{captions:#?}");
    for (n, caption) in captions.iter().enumerate() {
        assert!(
            caption.starts_with(&format!("Table {} ", n + 1)),
            "{caption}"
        );
        assert!(!has_chinese(caption), "{caption}");
    }
    assert_eq!(captions[0], "Table 1 Revenue and expenditure overview");
    // the compiler is the department as printed; the labels around it are English
    for meta in texts(&page, "section#tables caption .meta") {
        assert!(
            meta.starts_with(&format!("Compiled by: {}", doc.identity.department)),
            "{meta}"
        );
        assert!(meta.ends_with("Unit: ten thousand yuan"), "{meta}");
    }
    // every column header of every table, chart title and figure caption is English
    let headers = texts(&page, "section#tables th");
    let zh = Html::parse_document(&html::page(&doc, Lang::Zh));
    assert_eq!(headers.len(), texts(&zh, "section#tables th").len());
    assert!(headers.iter().all(|h| !has_chinese(h)), "{headers:?}");
    let charts = texts(
        &page,
        "figcaption, svg title, #chart-split-desc, #charts h3",
    );
    assert_eq!(charts.len(), 6, "{charts:?}");
    assert!(charts.iter().all(|t| !has_chinese(t)), "{charts:?}");
    // the function chart's bars are labelled with the document's row names, its amounts in English units
    let desc = texts(&page, "#chart-function-desc").concat();
    assert!(
        desc.contains("215 资源勘探工业信息等支出: 5,995.16 ten thousand yuan; "),
        "{desc}"
    );
    assert!(headers
        .iter()
        .any(|h| h == "Fiscal appropriations carried over"));
    assert!(
        !RevenueColumns::LABELS
            .iter()
            .any(|label| headers.iter().any(|h| h == label)),
        "a Chinese column label is left"
    );
    assert!(texts(&page, "section#tables th")
        .iter()
        .all(|t| !has_chinese(t)));
    // a classified project's details
    let withheld = texts(&page, ".withheld");
    assert!(!withheld.is_empty());
    assert!(withheld.iter().all(|t| t == "Withheld in full"));
    assert!(texts(&page, "footer p")
        .iter()
        .any(|t| t == "Published: 21 February 2025"));
}

#[test]
fn the_english_page_shows_the_same_numbers_and_the_same_printed_text() {
    let doc = sample();
    let zh = Html::parse_document(&html::page(&doc, Lang::Zh));
    let en = Html::parse_document(&html::page(&doc, Lang::En));
    let mut printed = 0;
    for kind in TableKind::ALL {
        let section = format!("section#table-{}", kind.standard_number());
        let amounts = |page: &Html| texts(page, &format!("{section} td.amount"));
        let zh_amounts = amounts(&zh);
        printed += zh_amounts.iter().filter(|a| !a.is_empty()).count();
        assert_eq!(amounts(&en), zh_amounts, "{kind:?}");
        // row names and codes as printed: only the totals the page itself labels differ
        let cells = |page: &Html| texts(page, &format!("{section} tr:not(.total) td"));
        assert_eq!(cells(&en), cells(&zh), "{kind:?}");
    }
    assert!(printed > 100, "{printed}");
    for selector in [
        "section#overview p",
        "section#narrative p",
        "dl.glossary dd",
        "section#narrative td",
        "header h1",
        "header .subtitle",
    ] {
        let zh_texts = texts(&zh, selector);
        assert!(!zh_texts.is_empty(), "{selector}");
        assert_eq!(texts(&en, selector), zh_texts, "{selector}");
    }
    let totals = texts(&en, "section#table-1 tr.total td");
    assert_eq!(totals[0], "Total revenue");
    assert_eq!(totals[3], "Total expenditure");
}

#[test]
fn chinese_stays_the_default_and_the_open_data_is_the_same_in_either_language() {
    let doc = sample();
    let zh = bundle::render(&doc);
    assert_eq!(zh, bundle::render_in(&doc, Lang::Zh));
    let page = String::from_utf8(zh.get(PAGE).unwrap().bytes.clone()).unwrap();
    assert_eq!(page, html::page(&doc, Lang::default()));
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("<h2>第二部分 部门预算表</h2>"));
    assert!(page.contains("<span>编制部门：乌鲁木齐市工业和信息化局</span><span>单位：万元</span>"));

    let en = bundle::render_in(&doc, Lang::En);
    assert_eq!(en.artifacts.len(), zh.artifacts.len());
    for (a, b) in zh.artifacts.iter().zip(&en.artifacts) {
        assert_eq!(a.path, b.path);
        if a.path == PAGE {
            assert_ne!(a.bytes, b.bytes, "the page is translated");
        } else {
            assert_eq!(a.bytes, b.bytes, "{} is data: the same bytes", a.path);
        }
    }
}

#[test]
fn the_site_index_in_english_has_english_headers_and_the_same_figures() {
    let doc = sample();
    let mut other = sample();
    other.identity.department = "某某局".to_string();
    other.tables.three_public = None;
    let entries = [
        IndexEntry::of(&doc, "a/2025/v/index.html"),
        IndexEntry::of(&other, "b/2025/v/index.html"),
    ];
    let zh = Html::parse_document(&index_page(&entries, Lang::Zh));
    let en_text = index_page(&entries, Lang::En);
    let en = Html::parse_document(&en_text);
    assert!(en_text.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_eq!(texts(&en, "h1"), ["Department budget disclosures"]);
    assert_eq!(texts(&en, "h2"), ["Roll-up", "Disclosures by department"]);
    let headers = texts(&en, "th[scope=\"col\"]");
    assert_eq!(headers.len(), texts(&zh, "th[scope=\"col\"]").len());
    assert!(headers.iter().all(|h| !has_chinese(h)), "{headers:?}");
    assert!(headers.iter().any(|h| h == "“Three public” expenses"));
    assert_eq!(
        texts(&en, "td.count, td a"),
        texts(&zh, "td.count, td a"),
        "departments, years and counts as in Chinese"
    );
    // the roll-up's sums are the same; its note on the department that did not print one is English
    let amounts = |page: &Html| -> Vec<String> {
        texts(page, "section#rollup td.amount")
            .into_iter()
            .map(|t| {
                t.split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(amounts(&en), amounts(&zh));
    assert_eq!(
        texts(&en, "section#rollup td.amount .note"),
        ["1 department(s) did not print it"]
    );
    assert!(texts(&en, "caption .meta span")
        .iter()
        .any(|t| t == "Sorted by: Total revenue"));
    assert!(index_page(&[], Lang::En).contains("Nothing has been published yet."));
}

#[test]
fn an_archive_in_english_writes_the_index_in_english_and_a_page_in_english_is_its_own_version() {
    let out = tempfile::tempdir().unwrap();
    let doc = sample();
    let code = DepartmentCode::derived(&doc.identity.department);
    let zh = Archive::new(out.path())
        .publish(&doc, &bundle::render(&doc), &code, NewerThanCurrent)
        .unwrap();
    let index = std::fs::read_to_string(out.path().join(SITE_INDEX)).unwrap();
    assert!(index.contains("<html lang=\"zh-CN\">"));

    let archive = Archive::new(out.path()).with_lang(Lang::En);
    assert_eq!(archive.lang(), Lang::En);
    let en = archive
        .publish(
            &doc,
            &bundle::render_in(&doc, Lang::En),
            &code,
            NewerThanCurrent,
        )
        .unwrap();
    assert_ne!(en.version, zh.version);
    assert!(en.written && en.made_current);
    let page = std::fs::read_to_string(&en.page).unwrap();
    assert!(page.contains("<html lang=\"en\">"));
    assert!(zh.page.is_file(), "the Chinese version stays where it was");
    let index = std::fs::read_to_string(out.path().join(SITE_INDEX)).unwrap();
    assert!(index.contains("<html lang=\"en\">"));
    assert!(index.contains(&format!("/{}/{PAGE}", en.version)));
}
