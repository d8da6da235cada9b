//! A disclosure of another template published as it was printed: the 2025 unit budget of
//! 上海市普陀区商务委员会, read from its PDF (the 9-table Shanghai template, amounts in 元, the
//! 三公 table in 万元). Its page and its CSVs must show each table under the number, title,
//! unit and column labels the PDF prints — no column of the 11-table template padded in — and
//! every number the PDF prints in its table, in its row.

use std::collections::HashMap;
use std::sync::OnceLock;

use budgetflow_model::{Amount, Document, Lang};
use budgetflow_publish::{bundle, html};
use scraper::{ElementRef, Html};

use super::open_data::csv_of;
use super::{select, text_of};

pub(super) fn commerce() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/shanghai/putuo-commerce-unit-2025.pdf"
        );
        budgetflow_formats::read_path(std::path::Path::new(path)).expect("the commerce PDF reads")
    })
}

/// The captions the PDF prints, in its order.
const CAPTIONS: [&str; 9] = [
    "表1 2025年预算单位财务收支预算总表",
    "表2 2025年预算单位收入预算总表",
    "表3 2025年预算单位支出预算总表",
    "表4 2025年预算单位财政拨款收支预算总表",
    "表5 2025年预算单位一般公共预算支出功能分类预算表",
    "表6 2025年预算单位政府性基金预算支出功能分类预算表",
    "表7 2025年预算单位国有资本经营预算支出功能分类预算表",
    "表8 2025年预算单位一般公共预算基本支出部门预算经济分类预算表",
    "表9 2025年单位“三公”经费和机关运行经费预算表",
];

/// The labels over each table's columns (the last header row), as the PDF prints them; the
/// code and the name of a row are one column each, however the PDF splits them.
fn printed_columns(n: u32) -> Vec<&'static str> {
    let by_function = |amounts: &[&'static str]| {
        let mut c = vec!["科目编码", "科目名称"];
        c.extend_from_slice(amounts);
        c
    };
    match n {
        1 => vec![
            "项目",
            "预算数",
            "科目编码",
            "项目",
            "合计",
            "人员经费",
            "公用经费",
            "项目支出",
        ],
        2 => by_function(&[
            "合计",
            "财政拨款收入",
            "事业收入",
            "事业单位经营收入",
            "其他收入",
        ]),
        3 | 5 | 6 | 7 => by_function(&["合计", "基本支出", "项目支出"]),
        4 => vec![
            "项目",
            "预算数",
            "科目编码",
            "项目",
            "合计",
            "一般公共预算",
            "政府性基金预算",
            "国有资本经营预算",
        ],
        8 => vec![
            "经济分类科目编码",
            "科目名称",
            "合计",
            "人员经费",
            "公用经费",
        ],
        9 => vec!["项目", "预算数"],
        _ => panic!("the PDF prints no 表{n}"),
    }
}

fn page(lang: Lang) -> Html {
    Html::parse_document(&html::page(commerce(), lang))
}

fn tables(page: &Html) -> Vec<ElementRef<'_>> {
    page.select(&select("section#tables section.table"))
        .collect()
}

/// The texts of the last header row of a table: the labels over its columns.
fn column_labels(table: ElementRef<'_>) -> Vec<String> {
    table
        .select(&select("thead tr"))
        .last()
        .map(|tr| tr.select(&select("th")).map(text_of).collect())
        .unwrap_or_default()
}

#[test]
fn every_table_is_captioned_with_the_number_title_and_unit_the_pdf_prints() {
    let page = page(Lang::Zh);
    let tables = tables(&page);
    let captions: Vec<String> = tables
        .iter()
        .map(|t| {
            text_of(
                t.select(&select("caption .title"))
                    .next()
                    .expect("a caption"),
            )
        })
        .collect();
    assert_eq!(
        captions, CAPTIONS,
        "the nine tables, in printed order, nothing else"
    );
    for (n, table) in (1..).zip(&tables) {
        assert_eq!(
            table.value().attr("id"),
            Some(format!("table-{n}").as_str())
        );
        let meta = text_of(table.select(&select("caption .meta")).next().unwrap());
        assert!(meta.contains("编制部门：上海市普陀区商务委员会"), "{meta}");
        let unit = if n == 9 {
            "单位：万元"
        } else {
            "单位：元"
        };
        assert!(meta.ends_with(unit), "表{n}: {meta}");
    }
    assert!(
        !page.html().contains("本公开文件未载此表"),
        "the 11-table template's 表7 and 表11 are not this template's"
    );
}

#[test]
fn every_table_has_the_columns_the_pdf_prints_and_no_other() {
    let page = page(Lang::Zh);
    for (n, table) in (1..).zip(tables(&page)) {
        let labels = column_labels(table);
        assert_eq!(labels, printed_columns(n), "表{n}'s columns");
        for row in table.select(&select("tbody tr")) {
            let cells = row.select(&select("td")).count();
            let empty = row.select(&select("td.empty")).next().is_some();
            assert!(
                empty || cells == labels.len(),
                "表{n}: a row of {cells} cells under {} columns: {}",
                labels.len(),
                text_of(row)
            );
        }
    }
}

#[test]
fn every_number_the_pdf_prints_is_in_its_table_in_its_row() {
    let doc = commerce();
    let page = page(Lang::Zh);
    let by_number: HashMap<String, ElementRef<'_>> = tables(&page)
        .into_iter()
        .map(|t| {
            let id = t.value().attr("id").unwrap();
            (id.trim_start_matches("table-").to_string(), t)
        })
        .collect();
    let facts = budgetflow_formats::facts::facts(doc);
    assert!(facts.len() > 250, "{} numbers", facts.len());
    let amount = select("td.amount");
    let other = select("td:not(.amount)");
    for fact in &facts {
        let table = by_number
            .get(&fact.table)
            .unwrap_or_else(|| panic!("表{} is on the page", fact.table));
        let grouped = Amount::new(fact.value.parse().unwrap()).grouped();
        let in_its_row = table.select(&select("tbody tr")).any(|row| {
            let amounts: Vec<String> = row.select(&amount).map(text_of).collect();
            let labels: Vec<String> = row.select(&other).map(text_of).collect();
            let its_row = if fact.code.is_empty() {
                labels.iter().any(|l| {
                    !l.is_empty() && (fact.name.contains(l.as_str()) || l.contains(&fact.name))
                })
            } else {
                labels.contains(&fact.code)
            };
            its_row && amounts.contains(&grouped)
        });
        assert!(
            in_its_row,
            "表{} {} {} {} = {grouped} is not in its row",
            fact.table, fact.code, fact.name, fact.column
        );
    }
    // and every amount on the page is one the PDF prints in that table
    for (number, table) in &by_number {
        let printed: Vec<String> = facts
            .iter()
            .filter(|f| &f.table == number)
            .map(|f| Amount::new(f.value.parse().unwrap()).grouped())
            .collect();
        for cell in table.select(&amount).map(text_of).filter(|c| !c.is_empty()) {
            assert!(
                printed.contains(&cell),
                "表{number}: {cell} is not printed there"
            );
        }
    }
}

#[test]
fn table_1_shows_each_class_split_as_printed() {
    let page = page(Lang::Zh);
    let table = tables(&page)[0];
    let row = |name: &str| -> Vec<String> {
        table
            .select(&select("tbody tr"))
            .find(|r| r.select(&select("td")).any(|c| text_of(c) == name))
            .unwrap_or_else(|| panic!("a row of {name}"))
            .select(&select("td"))
            .skip(4)
            .map(text_of)
            .collect()
    };
    assert_eq!(
        row("一般公共服务支出"),
        [
            "21,601,733.00",
            "10,823,891.00",
            "1,467,842.00",
            "9,310,000.00"
        ]
    );
    assert_eq!(
        row("科学技术支出"),
        ["17,200,000.00", "", "", "17,200,000.00"]
    );
    assert_eq!(
        row("支出总计"),
        [
            "371,514,655.00",
            "18,120,593.00",
            "1,710,062.00",
            "351,684,000.00"
        ]
    );
}

#[test]
fn the_three_public_table_is_its_lines_in_wan_yuan_with_the_operating_costs() {
    let page = page(Lang::Zh);
    let table = tables(&page)[8];
    let rows: Vec<Vec<String>> = table
        .select(&select("tbody tr"))
        .map(|r| r.select(&select("td")).map(text_of).collect())
        .collect();
    let row = |label: &str, amount: &str| vec![label.to_string(), amount.to_string()];
    assert_eq!(
        rows,
        [
            row("合计", "1.00"),
            row("因公出国（境）费", ""),
            row("公务接待费", "1.00"),
            row("公务用车购置及运行费（小计）", ""),
            row("其中：公务用车购置费", ""),
            row("公务用车运行费", ""),
            row("机关运行经费", "171.01"),
        ]
    );

    let en = self::page(Lang::En);
    let en_table = tables(&en)[8];
    let labels: Vec<String> = en_table
        .select(&select("tbody tr td:first-child"))
        .map(text_of)
        .collect();
    assert!(
        labels.contains(&"Running costs of government bodies".to_string()),
        "{labels:?}"
    );
}

#[test]
fn in_english_every_column_label_is_english() {
    let page = page(Lang::En);
    for (n, table) in (1..).zip(tables(&page)) {
        for label in table.select(&select("thead th")).map(text_of) {
            assert!(
                !label
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "表{n}: {label}"
            );
        }
    }
}

#[test]
fn its_sections_are_titled_as_printed() {
    let doc = commerce();
    let page = page(Lang::Zh);
    let overview: Vec<String> = page.select(&select("#overview h3")).map(text_of).collect();
    assert_eq!(overview, ["一、主要职能", "二、机构设置及人员情况"]);
    let sections: Vec<String> = page.select(&select("#narrative h3")).map(text_of).collect();
    assert_eq!(
        sections,
        [
            "2025年单位预算编制说明",
            "一、2025年“三公”经费预算情况说明",
            "其他相关情况说明"
        ]
    );
    let headings: Vec<String> = page.select(&select("#narrative h4")).map(text_of).collect();
    assert_eq!(
        headings,
        [
            "二、机关运行经费预算",
            "三、政府采购预算情况",
            "四、绩效目标设置情况",
            "五、国有资产占有使用情况"
        ]
    );
    let html = page.html();
    assert!(html.contains("财政拨款的机关运行经费预算为171.01万元"));
    let terms = page.select(&select("#glossary dt")).count();
    assert!(terms > 0);
    assert_eq!(terms, doc.glossary.len());
}

#[test]
fn its_csvs_are_its_nine_tables_with_the_printed_columns() {
    let doc = commerce();
    let bundle = bundle::render(doc);
    let csvs: Vec<&str> = bundle
        .artifacts
        .iter()
        .map(|a| a.path.as_str())
        .filter(|p| p.ends_with(".csv"))
        .collect();
    let expected: Vec<String> = (1..=9).map(|n| format!("data/table-{n:02}.csv")).collect();
    assert_eq!(csvs, expected);

    let table_2 = csv_of(&bundle, "data/table-02.csv");
    assert_eq!(
        table_2.header,
        [
            "科目编码",
            "类",
            "款",
            "项",
            "科目名称",
            "合计",
            "财政拨款收入",
            "事业收入",
            "事业单位经营收入",
            "其他收入"
        ]
    );
    let revenue = doc.tables.revenue.as_ref().unwrap();
    assert_eq!(table_2.rows.len(), revenue.rows.len());
    let operations = table_2.rows.iter().find(|r| r[0] == "2011301").unwrap();
    assert_eq!(
        operations[4..],
        ["行政运行", "9389913.00", "9389913.00", "", "", ""]
    );

    let table_1 = csv_of(&bundle, "data/table-01.csv");
    assert_eq!(
        table_1.header[4..],
        ["合计", "人员经费", "公用经费", "项目支出"]
    );
    let total = table_1.rows.last().unwrap();
    assert_eq!(
        total[3..],
        [
            "支出总计",
            "371514655.00",
            "18120593.00",
            "1710062.00",
            "351684000.00"
        ]
    );

    let table_9 = csv_of(&bundle, "data/table-09.csv");
    assert_eq!(table_9.header, ["项目", "预算数"]);
    assert!(table_9
        .rows
        .contains(&vec!["机关运行经费".to_string(), "171.01".to_string()]));

    let package: serde_json::Value =
        serde_json::from_slice(&bundle.get("datapackage.json").unwrap().bytes).unwrap();
    let titles: Vec<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["format"] == "csv")
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, CAPTIONS);
    let fields: Vec<&str> = package["resources"][1]["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields, table_2.header);
}

#[test]
fn a_table_its_template_has_but_the_document_lacks_is_noticed_in_its_place() {
    let mut doc = commerce().clone();
    doc.tables.gov_fund = None;
    let page = Html::parse_document(&html::page(&doc, Lang::Zh));
    let headings: Vec<String> = page
        .select(&select(
            "section#tables section.table > h3, section#tables caption .title",
        ))
        .map(text_of)
        .collect();
    let mut expected: Vec<String> = CAPTIONS.iter().map(|c| c.to_string()).collect();
    expected[5] = "表6 政府性基金预算支出情况表".to_string();
    assert_eq!(headings, expected);
    assert_eq!(page.html().matches("本公开文件未载此表").count(), 1);

    let bundle = bundle::render(&doc);
    let table_6 = csv_of(&bundle, "data/table-06.csv");
    assert!(table_6.rows.is_empty(), "a header-only file");
    assert_eq!(
        table_6.header[..5],
        ["科目编码", "类", "款", "项", "科目名称"]
    );
}
