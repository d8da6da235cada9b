//! The site index and its roll-up: entries built from documents, summed per year as Decimal,
//! listed in every order a reader can pick, and the department page's charts.

use budgetflow_model::tables::ThreePublicLine;
use budgetflow_model::{Amount, Document, FiscalYear, FunctionLevel, Lang};
use budgetflow_publish::site::{index_page, IndexEntry};
use budgetflow_publish::{bundle, html};
use scraper::Html;

use super::{sample, select, text_of};

#[test]
fn an_entry_carries_the_headline_totals_of_its_document() {
    let doc = sample();
    let e = IndexEntry::of(&doc, "乌鲁木齐市工业和信息化局/2025/index.html");
    let t = &doc.tables;
    let overall = t.overall.as_ref().unwrap();
    assert_eq!(e.department, "乌鲁木齐市工业和信息化局");
    assert_eq!(e.fiscal_year, 2025);
    assert_eq!(e.revenue_total, overall.revenue_total);
    assert_eq!(e.expenditure_total, overall.expenditure_total);
    let split = &t.expenditure.as_ref().unwrap().total().unwrap().amounts;
    assert_eq!((e.basic, e.project), (split.basic, split.project));
    assert_eq!(
        e.three_public,
        t.three_public
            .as_ref()
            .unwrap()
            .line(ThreePublicLine::Total)
            .unwrap()
            .amounts
            .total
    );
    // §十二(五): 部门有3个涉密项目
    assert_eq!(e.classified, 3);
    assert!(e.projects > e.classified, "{}", e.projects);
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(serde_json::from_str::<IndexEntry>(&json).unwrap(), e);
}

#[test]
fn an_entry_in_yuan_is_summed_in_wan_yuan() {
    let mut doc = sample();
    let overall = doc.tables.overall.as_mut().unwrap();
    overall.header.unit = budgetflow_model::MoneyUnit::Yuan;
    overall.expenditure_total = Some("12345678.00".parse().unwrap());
    let e = IndexEntry::of(&doc, "x.html");
    assert_eq!(e.expenditure_total.unwrap().to_string(), "1234.5678");
}

/// The sample as it might have been a year earlier, with a different total.
fn previous_year(doc: &Document, total: &str) -> Document {
    let mut d = doc.clone();
    d.identity.fiscal_year = FiscalYear::new(2024).unwrap();
    d.tables.overall.as_mut().unwrap().expenditure_total = Some(total.parse().unwrap());
    d
}

#[test]
fn the_index_rolls_up_every_year_across_departments() {
    let doc = sample();
    let synthetic: Vec<Document> = (0..3)
        .map(|i| {
            let mut d = budgetflow_synth::document(11, i);
            d.identity.fiscal_year = FiscalYear::new(2025).unwrap();
            d
        })
        .collect();
    let mut entries = vec![
        IndexEntry::of(&doc, "miit/2025/index.html"),
        IndexEntry::of(&previous_year(&doc, "4321.09"), "miit/2024/index.html"),
    ];
    entries.extend(
        synthetic
            .iter()
            .enumerate()
            .map(|(i, d)| IndexEntry::of(d, &format!("synthetic-{i}/2025/index.html"))),
    );
    let page = index_page(&entries, Lang::Zh);
    assert!(!page.contains("<script"));
    let html = Html::parse_document(&page);
    let rollup: Vec<Vec<String>> = html
        .select(&select("section#rollup tbody tr"))
        .map(|tr| tr.select(&select("th, td")).map(text_of).collect())
        .collect();
    assert_eq!(rollup.len(), 2, "{rollup:?}");
    assert_eq!(rollup[0][0], "2025");
    assert_eq!(rollup[0][1], "4");
    assert_eq!(rollup[1][0], "2024");
    let sum: Amount = entries
        .iter()
        .filter(|e| e.fiscal_year == 2025)
        .filter_map(|e| e.expenditure_total)
        .sum();
    assert_eq!(rollup[0][3], sum.grouped(), "支出总计 of 2025");
    assert_eq!(rollup[1][3], "4,321.09");
    let projects: usize = entries
        .iter()
        .filter(|e| e.fiscal_year == 2025)
        .map(|e| e.projects)
        .sum();
    assert_eq!(rollup[0][7], projects.to_string());
    // every publication is listed and linked, in each order
    let default_rows: Vec<String> = html
        .select(&select("div#by-year tbody tr td a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(default_rows.len(), entries.len());
    assert_eq!(default_rows[default_rows.len() - 1], "miit/2024/index.html");
    let by_expenditure: Vec<String> = html
        .select(&select("div#by-expenditure tbody tr"))
        .map(|tr| text_of(tr.select(&select("td")).nth(3).unwrap()))
        .collect();
    let mut sorted = entries.clone();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.expenditure_total));
    let expected: Vec<String> = sorted
        .iter()
        .map(|e| e.expenditure_total.map(Amount::grouped).unwrap_or_default())
        .collect();
    assert_eq!(by_expenditure, expected);
    assert!(html
        .select(&select("th a[href=\"#by-three-public\"]"))
        .next()
        .is_some());
}

#[test]
fn a_missing_figure_is_counted_not_guessed() {
    let doc = sample();
    let mut without = doc.clone();
    without.tables.three_public = None;
    let entries = [
        IndexEntry::of(&doc, "a.html"),
        IndexEntry::of(&without, "b.html"),
    ];
    let html = Html::parse_document(&index_page(&entries, Lang::Zh));
    let row: Vec<String> = html
        .select(&select("section#rollup tbody tr"))
        .next()
        .unwrap()
        .select(&select("td"))
        .map(text_of)
        .collect();
    let three_public = entries[0].three_public.unwrap().grouped();
    assert_eq!(row[5], format!("{three_public}1 个部门未列"));
    assert!(index_page(&[], Lang::Zh).contains("尚无公开文件"));
}

#[test]
fn the_page_draws_expenditure_by_function_and_the_basic_project_split() {
    let doc = sample();
    let page = html::page(&doc, Lang::Zh);
    let html = Html::parse_document(&page);
    let svgs: Vec<_> = html.select(&select("section#charts svg")).collect();
    assert_eq!(svgs.len(), 2);
    for svg in &svgs {
        assert_eq!(svg.value().attr("role"), Some("img"));
        assert!(!svg.value().attr("aria-label").unwrap_or("").is_empty());
        assert!(svg.select(&select("title")).next().is_some());
        assert!(svg.select(&select("desc")).next().is_some());
    }
    let expenditure = doc.tables.expenditure.as_ref().unwrap();
    let classes: Vec<_> = expenditure
        .coded_rows()
        .filter(|(c, _)| c.level() == FunctionLevel::Class)
        .collect();
    let bars: Vec<_> = svgs[0].select(&select("rect")).collect();
    assert_eq!(bars.len(), classes.len());
    let labels: String = svgs[0].select(&select("text")).map(text_of).collect();
    let desc = text_of(svgs[0].select(&select("desc")).next().unwrap());
    for (code, row) in &classes {
        let amount = row.amounts.total.unwrap().grouped();
        assert!(labels.contains(&format!("{code} {}", row.name)), "{code}");
        assert!(
            labels.contains(&amount) && desc.contains(&amount),
            "{code} {amount}"
        );
    }
    // the longest bar is the largest 类, at full length
    let widths: Vec<rust_decimal::Decimal> = bars
        .iter()
        .map(|b| b.value().attr("width").unwrap().parse().unwrap())
        .collect();
    assert_eq!(widths[0], rust_decimal::Decimal::from(380));
    assert!(widths.windows(2).all(|w| w[0] >= w[1]), "{widths:?}");
    let split = &expenditure.total().unwrap().amounts;
    let split_desc = text_of(svgs[1].select(&select("desc")).next().unwrap());
    assert!(split_desc.contains(&split.basic.unwrap().grouped()));
    assert!(split_desc.contains(&split.project.unwrap().grouped()));
    // the bundle's page is this page
    assert_eq!(
        bundle::render(&doc).get("index.html").unwrap().bytes,
        page.into_bytes()
    );
}

#[test]
fn without_table_3_the_bars_come_from_table_1_and_there_is_no_split() {
    let mut doc = sample();
    doc.tables.expenditure = None;
    let html = Html::parse_document(&html::page(&doc, Lang::Zh));
    let svgs: Vec<_> = html.select(&select("section#charts svg")).collect();
    assert_eq!(svgs.len(), 1);
    let overall = doc.tables.overall.as_ref().unwrap();
    let printed = overall
        .expenditure
        .iter()
        .filter(|e| e.amount.is_some())
        .count();
    assert_eq!(svgs[0].select(&select("rect")).count(), printed);

    doc.tables.overall = None;
    let page = html::page(&doc, Lang::Zh);
    assert!(!page.contains("<svg"), "nothing to draw, no chart");
}
