//! Nothing from a document becomes markup, a link or a formula. Every payload an attacker (or
//! a careless department) might type goes into every text field of the sample — department,
//! title, signature, overview, table titles and rows, project names, paragraphs, statements,
//! project descriptions, target tables, glossary — and the whole publication is rendered:
//! the page and the site index hold it only as escaped text (no element, attribute, comment
//! or link made of it), every CSV text cell and every workbook string that begins like a
//! formula carries a `'` in front, the workbook has no formula, and the JSON holds it as a
//! string. In a real browser the page and the index open, and the department's link is
//! followed, without a dialog.

use std::io::Read;

use budgetflow_model::{Document, Lang};
use budgetflow_publish::bundle::{self, Bundle, DATAPACKAGE, DOCUMENT_JSON, PAGE, WORKBOOK};
use budgetflow_publish::html;
use budgetflow_publish::open_data::{self, datapackage::TEXT_CELLS, Role};
use budgetflow_publish::site::{index_page, IndexEntry};
use budgetflow_workbook::FORMULA_TRIGGERS;
use rust_decimal::Decimal;
use scraper::Html;
use serde_json::Value;

use super::browser::{self, serve_files, WebDriver};
use super::{sample, select};

/// Script, markup and formula payloads.
const PAYLOADS: [&str; 9] = [
    "javascript:alert(document.domain)<!--",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://example.invalid\")",
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(A1)",
    "\tX",
    "\rX",
];

/// The keys of the canonical JSON whose strings (and lists of strings) are text the
/// department typed. `stated` is the stated side of a withholdable detail (a policy basis,
/// or the allocation's and period's `text`).
const TEXT_KEYS: &[&str] = &[
    "department",
    "title",
    "signature",
    "functions_text",
    "organisation_text",
    "functions",
    "offices",
    "name",
    "compiler",
    "notes",
    "label",
    "lines",
    "text",
    "subject",
    "reason",
    "purpose",
    "includes",
    "stated",
    "implementer",
    "year_label",
    "contact",
    "phone",
    "goal",
    "category",
    "source",
    "budget_unit",
    "project",
    "manager",
    "level1",
    "level2",
    "level3",
    "raw",
    "basis",
    "evidence",
    "term",
    "definition",
    "as_of",
];

/// Replaces every string under `value` (in lists, and in objects by their own keys).
fn replace_strings(value: &mut Value, payload: &str, count: &mut usize) {
    match value {
        Value::String(s) => {
            *s = payload.to_string();
            *count += 1;
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_strings(v, payload, count)),
        Value::Object(_) => put_everywhere(value, payload, count),
        _ => {}
    }
}

/// Puts `payload` in every text field under `value`.
fn put_everywhere(value: &mut Value, payload: &str, count: &mut usize) {
    match value {
        Value::Object(fields) => {
            for (key, v) in fields.iter_mut() {
                // a row's amounts are money (表3's `project` column is one), never text
                if key == "amounts" {
                    continue;
                }
                if TEXT_KEYS.contains(&key.as_str()) {
                    replace_strings(v, payload, count);
                } else {
                    put_everywhere(v, payload, count);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| put_everywhere(v, payload, count)),
        _ => {}
    }
}

/// The sample with `payload` as every text it holds.
fn hostile(payload: &str) -> Document {
    let mut json = serde_json::to_value(sample()).expect("the document serialises");
    let mut count = 0;
    put_everywhere(&mut json, payload, &mut count);
    assert!(count > 500, "{count} text fields replaced");
    let doc: Document = serde_json::from_value(json).expect("still a document");
    assert_eq!(doc.identity.department, payload);
    assert_eq!(doc.glossary[0].term, payload);
    assert_eq!(doc.overview.functions_text[0], payload);
    doc
}

fn starts_like_a_formula(s: &str) -> bool {
    s.starts_with(FORMULA_TRIGGERS)
}

/// What a page shows of `payload` once an HTML parser has read it (a carriage return becomes
/// a line feed).
fn as_parsed(payload: &str) -> String {
    payload.replace('\r', "\n")
}

/// The HTML of a page or the index holds `payload` only as text: no element or attribute
/// that could run script, no comment, no link but the page's own anchors and `allowed`.
fn assert_inert_html(what: &str, html: &str, payload: &str, allowed: &[&str]) {
    for raw in ["<script", "<img", "<!--", "<iframe", "<object", "<embed"] {
        assert!(!html.contains(raw), "{what}: `{raw}` in the markup");
    }
    let page = Html::parse_document(html);
    for forbidden in [
        "script",
        "img",
        "iframe",
        "object",
        "embed",
        "form",
        "base",
        "meta[http-equiv]",
    ] {
        assert_eq!(
            page.select(&select(forbidden)).count(),
            0,
            "{what}: a <{forbidden}> element"
        );
    }
    for element in page
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, value) in element.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "{what}: attribute {name}={value:?}"
            );
            assert_ne!(name, "style", "{what}: a style attribute");
            if name == "href" {
                assert!(
                    value.starts_with('#') || allowed.contains(&value),
                    "{what}: a link to {value:?}"
                );
            }
        }
    }
    let text: String = page.root_element().text().collect();
    assert!(
        text.contains(&as_parsed(payload)),
        "{what} shows the payload as text"
    );
}

/// Every row of a CSV with its header, the byte-order mark removed.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes)
        .expect("UTF-8")
        .trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Every XML part of the workbook, by path.
fn workbook_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).expect("an entry");
            let mut xml = String::new();
            entry.read_to_string(&mut xml).expect("UTF-8 XML");
            (entry.name().expect("an entry's name").to_string(), xml)
        })
        .collect()
}

/// The strings of a workbook part (`<t>` elements), unescaped.
fn workbook_strings(xml: &str) -> Vec<String> {
    xml.split("<t")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</t>")?;
            Some(
                rest[start..end]
                    .replace("_x000D_", "\r")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

fn artifact<'a>(bundle: &'a Bundle, path: &str) -> &'a [u8] {
    &bundle
        .get(path)
        .unwrap_or_else(|| panic!("{path} is published"))
        .bytes
}

/// An index of the hostile document twice: linked as the archive links it now (by code), and
/// as it once was linked (by its name).
fn hostile_index(doc: &Document, payload: &str) -> String {
    let entries = [
        IndexEntry::of(doc, SAFE_HREF),
        IndexEntry::of(doc, &format!("{payload}/2024/0123456789abcdef/index.html")),
    ];
    index_page(&entries, Lang::Zh)
}

/// Where the archive puts a department's page: by its ASCII code.
const SAFE_HREF: &str = "d-0123456789abcdef/2025/0123456789abcdef/index.html";

#[test]
fn no_text_field_becomes_markup_a_link_or_a_formula_in_any_artifact() {
    for payload in PAYLOADS {
        let doc = hostile(payload);
        for lang in [Lang::Zh, Lang::En] {
            let bundle = bundle::render_in(&doc, lang);
            let page = std::str::from_utf8(artifact(&bundle, PAGE)).unwrap();
            assert_inert_html(
                &format!("the page ({lang:?}, {payload:?})"),
                page,
                payload,
                &[],
            );
            let index = index_page(&[IndexEntry::of(&doc, SAFE_HREF)], lang);
            assert_inert_html(
                &format!("the index ({payload:?})"),
                &index,
                payload,
                &[SAFE_HREF],
            );
        }
        let index = hostile_index(&doc, payload);
        assert_inert_html(
            &format!("the index ({payload:?})"),
            &index,
            payload,
            &[SAFE_HREF],
        );
        let parsed = Html::parse_document(&index);
        assert_eq!(
            parsed.select(&select("a[href^=\"d-\"]")).count(),
            parsed.select(&select("div.order")).count(),
            "the entry linked by code is linked once in each order, the other never"
        );
        assert_eq!(
            parsed.select(&select("div.order tbody tr")).count(),
            2 * parsed.select(&select("div.order")).count(),
            "the other is still listed"
        );

        let bundle = bundle::render(&doc);
        check_csvs(&doc, &bundle, payload);
        check_workbook(&bundle, payload);
        for path in [DOCUMENT_JSON, DATAPACKAGE] {
            let json: Value = serde_json::from_slice(artifact(&bundle, path))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            let quoted = serde_json::to_string(payload).unwrap();
            assert!(
                json.to_string().contains(&quoted),
                "{path} holds the payload as a string"
            );
        }
        let package: Value = serde_json::from_slice(artifact(&bundle, DATAPACKAGE)).unwrap();
        assert!(package["description"]
            .as_str()
            .unwrap()
            .contains(TEXT_CELLS));
    }
}

/// Every text cell of every CSV is free of a leading formula character; amounts are numbers.
fn check_csvs(doc: &Document, bundle: &Bundle, payload: &str) {
    let neutralised = format!("'{payload}");
    let mut found = 0;
    for resource in open_data::resources(doc) {
        let rows = csv_rows(artifact(bundle, &resource.path));
        assert_eq!(rows.len(), resource.rows.len() + 1, "{}", resource.path);
        for row in &rows[1..] {
            for (cell, field) in row.iter().zip(&resource.fields) {
                if matches!(field.role, Role::Amount(_)) {
                    assert!(
                        cell.is_empty() || cell.parse::<Decimal>().is_ok(),
                        "{}: amount {cell:?}",
                        resource.path
                    );
                    continue;
                }
                assert!(
                    !starts_like_a_formula(cell),
                    "{} {}: {cell:?}",
                    resource.path,
                    field.name
                );
                found += usize::from(*cell == neutralised || *cell == payload);
            }
        }
    }
    assert!(
        found > 50,
        "{found} CSV cells hold the payload ({payload:?})"
    );
}

/// No formula in any part of the workbook; every string that begins like one is quoted
/// (but for the hidden `标准行` key `-`, a fixed word of the layout the reader needs).
fn check_workbook(bundle: &Bundle, payload: &str) {
    let parts = workbook_parts(artifact(bundle, WORKBOOK));
    let mut found = 0;
    for (path, xml) in &parts {
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "{path}: a formula"
        );
        for s in workbook_strings(xml) {
            assert!(
                !starts_like_a_formula(&s) || s == "-",
                "{path}: {s:?} begins like a formula"
            );
            found += usize::from(s == format!("'{payload}") || s == payload);
        }
    }
    assert!(found > 0, "the workbook holds the payload ({payload:?})");
    assert!(
        parts
            .iter()
            .any(|(_, xml)| xml.contains("本工作簿为公开版")),
        "the instructions say how text is quoted"
    );
}

/// Opens `url` and gives back the dialog it opened, if any.
fn open(driver: &WebDriver, url: &str) -> Option<String> {
    let loaded = driver.goto(url);
    driver.dialog(loaded)
}

#[test]
fn in_a_browser_no_payload_opens_a_dialog_and_the_department_link_runs_nothing() {
    if browser::chromedriver().is_none() {
        return;
    }
    let driver = WebDriver::start();
    // the check sees a dialog when there is one
    let canary = "<!DOCTYPE html><title>canary</title><script>alert('canary')</script>";
    let site = serve_files(vec![("/".into(), canary.into())], None);
    assert_eq!(
        open(&driver, &format!("http://{site}/")).as_deref(),
        Some("canary")
    );

    for payload in PAYLOADS {
        let doc = hostile(payload);
        let page = format!("/{SAFE_HREF}");
        let site = serve_files(
            vec![
                ("/index.html".into(), hostile_index(&doc, payload)),
                (page.clone(), html::page(&doc, Lang::Zh)),
            ],
            None,
        );
        let index = format!("http://{site}/index.html");
        assert_eq!(open(&driver, &index), None, "the index ({payload:?})");
        let links = driver.eval(
            "return Array.from(document.querySelectorAll('a[href]'))\
             .map(a => a.getAttribute('href')).filter(h => !h.startsWith('#'))",
        );
        for link in links.as_array().unwrap() {
            assert_eq!(
                link, SAFE_HREF,
                "the index links only by code ({payload:?})"
            );
        }
        let shown =
            driver.eval("return document.querySelector('#by-year tbody tr td').textContent");
        assert_eq!(
            shown,
            Value::from(as_parsed(payload)),
            "the name is shown as text"
        );

        let clicked = driver.click(&format!("#by-year a[href=\"{SAFE_HREF}\"]"));
        assert_eq!(
            driver.dialog(clicked),
            None,
            "following the link ({payload:?})"
        );
        assert_eq!(driver.eval("return location.pathname"), Value::from(page));
        assert_eq!(
            driver.eval("return document.querySelector('h1').textContent"),
            Value::from(as_parsed(payload)),
            "the page opened and shows the department as text ({payload:?})"
        );
        assert_eq!(
            driver.eval("return document.querySelectorAll('script, img, iframe').length"),
            Value::from(0)
        );
    }
}

#[test]
fn in_a_browser_the_pages_work_under_the_content_security_policy_and_it_stops_inline_script() {
    if browser::chromedriver().is_none() {
        return;
    }
    let driver = WebDriver::start();
    let doc = hostile(PAYLOADS[1]);
    let canary = "<!DOCTYPE html><title>canary</title><script>alert('canary')</script>";
    let site = serve_files(
        vec![
            ("/index.html".into(), hostile_index(&doc, PAYLOADS[1])),
            (format!("/{SAFE_HREF}"), html::page(&sample(), Lang::Zh)),
            ("/canary.html".into(), canary.into()),
        ],
        Some(html::CONTENT_SECURITY_POLICY),
    );
    let _ = driver.console();
    for path in ["index.html", SAFE_HREF] {
        assert_eq!(
            open(&driver, &format!("http://{site}/{path}")),
            None,
            "{path}"
        );
        // the inline stylesheet applies: headings are centred, a chart's width is capped
        assert_eq!(
            driver.eval("return getComputedStyle(document.querySelector('h1')).textAlign"),
            Value::from("center"),
            "{path}"
        );
        let refused: Vec<String> = driver
            .console()
            .into_iter()
            .filter(|m| m.contains("Content Security Policy"))
            .collect();
        assert!(refused.is_empty(), "{path}: {refused:#?}");
    }
    assert_eq!(
        driver.eval("return getComputedStyle(document.querySelector('figure svg')).maxWidth"),
        Value::from("720px")
    );
    assert_eq!(
        open(&driver, &format!("http://{site}/canary.html")),
        None,
        "the policy stops an inline script"
    );
    assert!(
        driver
            .console()
            .iter()
            .any(|m| m.contains("Content Security Policy")),
        "and the browser says so"
    );
}
