//! The public page of the sample disclosure, parsed as HTML and checked against the model:
//! every table is there, every printed amount is in a table cell, and classified projects
//! show nothing but their code.

use std::collections::HashMap;

use budgetflow_model::tables::ProjectName;
use budgetflow_model::{Columns, Document, Lang};
use budgetflow_publish::html;
use scraper::{Html, Selector};

mod browser;
mod english;
mod hostile_fields;
mod leaks;
mod newest;
mod open_data;
#[cfg(feature = "stage")]
mod portal;
mod redaction;
mod sink;
mod site;
mod template;

fn sample() -> Document {
    let text = include_str!("../../../../samples/urumqi-miit-2025.txt");
    budgetflow_formats::text::read_str(text).expect("the sample reads")
}

fn select(s: &str) -> Selector {
    Selector::parse(s).expect("a valid selector")
}

fn text_of(element: scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

#[test]
fn the_page_has_all_eleven_tables_with_their_headers() {
    let doc = sample();
    let page = Html::parse_document(&html::page(&doc, Lang::Zh));
    let captions: Vec<String> = page
        .select(&select("section#tables table caption .title"))
        .map(text_of)
        .collect();
    assert_eq!(captions.len(), 11, "{captions:#?}");
    for (n, caption) in captions.iter().enumerate() {
        assert!(caption.starts_with(&format!("表{} ", n + 1)), "{caption}");
    }
    let metas: Vec<String> = page
        .select(&select("section#tables caption .meta"))
        .map(text_of)
        .collect();
    assert!(metas
        .iter()
        .all(|m| m.contains("编制部门：") && m.contains("单位：万元")));
    let headers: Vec<String> = page
        .select(&select("section#tables th[scope=\"col\"]"))
        .map(text_of)
        .collect();
    for label in budgetflow_model::tables::RevenueColumns::standard_labels() {
        assert!(headers.iter().any(|h| h == label), "{label}");
    }
    assert_eq!(page.select(&select("h2")).count(), 4);
}

#[test]
fn every_printed_amount_is_in_a_table_cell() {
    let doc = sample();
    let page = Html::parse_document(&html::page(&doc, Lang::Zh));
    let cell = select("td.amount");
    let mut by_table: HashMap<String, Vec<String>> = HashMap::new();
    for section in page.select(&select("section.table")) {
        let id = section
            .value()
            .attr("id")
            .expect("a table section has an id");
        let number = id.trim_start_matches("table-").to_string();
        let cells = section.select(&cell).map(text_of).collect();
        by_table.insert(number, cells);
    }
    let facts = budgetflow_formats::facts::facts(&doc);
    assert!(facts.len() > 100, "{}", facts.len());
    for fact in &facts {
        let grouped = budgetflow_model::Amount::new(fact.value.parse().unwrap()).grouped();
        let cells = by_table
            .get(&fact.table)
            .unwrap_or_else(|| panic!("table {} is on the page", fact.table));
        assert!(
            cells.contains(&grouped),
            "表{} {} {} = {grouped} is not on the page",
            fact.table,
            fact.name,
            fact.column
        );
    }
    // and every non-blank amount cell is a number the document printed
    let printed: std::collections::HashSet<String> = facts
        .iter()
        .map(|f| budgetflow_model::Amount::new(f.value.parse().unwrap()).grouped())
        .collect();
    for cells in by_table.values() {
        for c in cells.iter().filter(|c| !c.is_empty()) {
            assert!(printed.contains(c), "{c} is not a printed amount");
        }
    }
}

#[test]
fn classified_projects_show_only_their_code() {
    let doc = sample();
    let html = html::page(&doc, Lang::Zh);
    let page = Html::parse_document(&html);
    let codes: Vec<String> = doc
        .narrative
        .projects()
        .filter_map(|p| p.name.classified_code().map(str::to_string))
        .chain(doc.tables.projects.iter().flat_map(|t| {
            t.projects()
                .filter_map(|r| r.project.as_ref()?.classified_code().map(str::to_string))
        }))
        .collect();
    assert!(!codes.is_empty(), "the sample has classified projects");
    for code in &codes {
        assert!(html.contains(&format!("特定目标 {code}")), "{code}");
    }
    assert!(html.contains("完全不予公开"));
    // each classified project description shows 完全不予公开 for every detail but its amount
    let heading = select("section#narrative h4");
    let mut described = 0;
    for h in page.select(&heading) {
        let title = text_of(h);
        let Some(name) = title.split("项目名称：").nth(1) else {
            continue;
        };
        if !ProjectName::new(name).is_classified() {
            continue;
        }
        let list = h
            .next_siblings()
            .filter_map(scraper::ElementRef::wrap)
            .next()
            .expect("a description follows its heading");
        let details: Vec<String> = list.select(&select("dd")).map(text_of).collect();
        assert_eq!(details.len(), 5, "{title}");
        described += 1;
        for (i, d) in details.iter().enumerate() {
            if i != 1 {
                assert_eq!(d, "完全不予公开", "{title}");
            }
        }
    }
    assert!(
        described >= 3,
        "{described} classified descriptions checked"
    );
}

#[test]
fn the_page_is_self_contained_and_printable() {
    let html = html::page(&sample(), Lang::Zh);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@media print"));
    assert!(html.contains("\"PingFang SC\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif"));
    for external in ["http://", "https://", "<script", "<link", "src="] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn document_text_is_escaped() {
    let mut doc = sample();
    doc.glossary[0].term = "<script>alert('x')</script>".into();
    let html = html::page(&doc, Lang::Zh);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
}
