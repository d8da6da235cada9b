//! The open data of the sample's bundle read back as a spreadsheet user would: every CSV
//! parsed, every amount compared with the model, and the data package checked against the
//! files it describes.

use std::collections::{BTreeMap, HashSet};

use budgetflow_model::tables::RevenueColumns;
use budgetflow_model::{Columns, Document, TableKind};
use budgetflow_publish::bundle::{self, Bundle};
use serde_json::Value;

use super::sample;

/// A CSV artifact parsed: its header and rows.
pub(super) struct Csv {
    pub(super) header: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
}

impl Csv {
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

pub(super) fn csv_of(bundle: &Bundle, path: &str) -> Csv {
    let artifact = bundle
        .get(path)
        .unwrap_or_else(|| panic!("{path} is in the bundle"));
    assert_eq!(artifact.media_type, "text/csv; charset=utf-8");
    assert!(
        artifact.bytes.starts_with("\u{feff}".as_bytes()),
        "{path} starts with a UTF-8 byte-order mark"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(&artifact.bytes[3..]);
    let header = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.expect("a well-formed record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    Csv { header, rows }
}

fn table_path(n: u32) -> String {
    format!("data/table-{n:02}.csv")
}

#[test]
fn every_table_is_a_csv_with_its_printed_column_labels() {
    let bundle = bundle::render(&sample());
    for kind in TableKind::ALL {
        let n = kind.standard_number();
        let csv = csv_of(&bundle, &table_path(n));
        // the sample prints 表8 and 表9 empty, with their statement
        assert_eq!(csv.rows.is_empty(), matches!(n, 8 | 9), "表{n}");
        assert!(csv.rows.iter().all(|r| r.len() == csv.header.len()));
    }
    let revenue = csv_of(&bundle, "data/table-02.csv");
    assert_eq!(
        &revenue.header[..5],
        ["科目编码", "类", "款", "项", "科目名称"]
    );
    assert_eq!(&revenue.header[5..], RevenueColumns::standard_labels());
    let projects = csv_of(&bundle, "data/table-07.csv");
    assert!(projects.column("项目名称").is_some());
    assert!(projects.column("对个人和家庭的补助").is_some());
    let basic = csv_of(&bundle, "data/table-06.csv");
    assert_eq!(basic.header[0], "经济分类科目编码");
}

#[test]
fn every_printed_amount_is_in_its_csv_exactly_as_printed() {
    assert_csvs_hold_exactly_the_printed_amounts(&sample());
}

#[test]
fn synthetic_documents_publish_every_amount_in_their_csvs() {
    for i in 0..6 {
        assert_csvs_hold_exactly_the_printed_amounts(&budgetflow_synth::document(23, i));
    }
}

/// Every fact of the document is in its table's CSV, in its column and row (by code), and
/// the amount cells hold the printed numbers and nothing else.
fn assert_csvs_hold_exactly_the_printed_amounts(doc: &Document) {
    let bundle = bundle::render(doc);
    let facts = budgetflow_formats::facts::facts(doc);
    assert!(facts.len() > 100);
    let mut csvs: BTreeMap<String, Csv> = BTreeMap::new();
    for n in 1..=11 {
        csvs.insert(n.to_string(), csv_of(&bundle, &table_path(n)));
    }
    let code_columns = ["科目编码", "支出科目编码", "经济分类科目编码"];
    for fact in &facts {
        let csv = &csvs[&fact.table];
        let column = csv
            .column(&fact.column)
            .unwrap_or_else(|| panic!("表{} has a column {}", fact.table, fact.column));
        let code = code_columns.iter().find_map(|c| csv.column(c));
        let found = csv.rows.iter().any(|row| {
            row[column] == fact.value
                && (fact.code.is_empty() || code.is_some_and(|c| row[c] == fact.code))
        });
        assert!(
            found,
            "表{} {} {} {} = {} is not in its CSV",
            fact.table, fact.code, fact.name, fact.column, fact.value
        );
        assert!(!fact.value.contains(','), "no thousands separator");
    }
    // and the amount cells hold exactly the printed numbers, no more
    for (table, csv) in &csvs {
        let mut printed: Vec<&str> = facts
            .iter()
            .filter(|f| &f.table == table)
            .map(|f| f.value.as_str())
            .collect();
        let amount_columns: HashSet<&str> = facts
            .iter()
            .filter(|f| &f.table == table)
            .map(|f| f.column.as_str())
            .collect();
        let mut cells: Vec<&str> = csv
            .rows
            .iter()
            .flat_map(|row| {
                row.iter()
                    .zip(&csv.header)
                    .filter(|(_, h)| amount_columns.contains(h.as_str()))
                    .map(|(c, _)| c.as_str())
            })
            .filter(|c| !c.is_empty())
            .collect();
        printed.sort_unstable();
        cells.sort_unstable();
        assert_eq!(cells, printed, "表{table}");
    }
}

#[test]
fn amounts_keep_their_printed_scale_and_function_levels_split() {
    let doc = sample();
    let bundle = bundle::render(&doc);
    let csv = csv_of(&bundle, "data/table-03.csv");
    let expenditure = doc.tables.expenditure.as_ref().expect("表3");
    assert_eq!(csv.rows.len(), expenditure.rows.len());
    for (row, model) in csv.rows.iter().zip(&expenditure.rows) {
        assert_eq!(
            row[0],
            model.code.map(|c| c.to_string()).unwrap_or_default()
        );
        assert_eq!(row[4], model.name);
        for (i, value) in model.amounts.standard_cells().into_iter().enumerate() {
            assert_eq!(row[5 + i], value.map(|v| v.to_string()).unwrap_or_default());
        }
        if let Some(code) = model.code {
            let s = code.as_str();
            assert_eq!(row[1], s[..3]);
            assert_eq!(row[2], if s.len() >= 5 { &s[..5] } else { "" });
            assert_eq!(row[3], if s.len() == 7 { s } else { "" });
        }
    }
}

#[test]
fn an_empty_table_is_a_header_only_file() {
    let mut doc = sample();
    doc.tables.three_public.as_mut().expect("表10").rows.clear();
    doc.tables.soe_capital = None;
    let bundle = bundle::render(&doc);
    for (path, last) in [
        ("data/table-10.csv", "国有资本经营预算"),
        ("data/table-09.csv", "项目支出"),
    ] {
        let csv = csv_of(&bundle, path);
        assert!(csv.rows.is_empty(), "{path}");
        assert_eq!(csv.header.last().map(String::as_str), Some(last));
    }
}

#[test]
fn the_data_package_declares_every_column_and_every_file() {
    let bundle = bundle::render(&sample());
    let package: Value = serde_json::from_slice(&bundle.get("datapackage.json").unwrap().bytes)
        .expect("datapackage.json is JSON");
    for key in ["name", "title", "resources", "model"] {
        assert!(package.get(key).is_some(), "{key}");
    }
    assert_eq!(package["fiscalYear"], 2025);
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(
        resources.len(),
        13,
        "eleven tables, the JSON and the workbook"
    );
    let mut declared: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in resources {
        let path = r["path"].as_str().unwrap();
        assert!(bundle.get(path).is_some(), "{path} is in the bundle");
        let Some(fields) = r["schema"]["fields"].as_array() else {
            continue;
        };
        let names: Vec<String> = fields
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        let csv = csv_of(&bundle, path);
        assert_eq!(
            csv.header, names,
            "{path}: every CSV column is declared, in order"
        );
        for f in fields {
            let ty = f["type"].as_str().unwrap();
            assert!(matches!(ty, "number" | "string"), "{ty}");
            if ty == "number" {
                let i = csv.column(f["name"].as_str().unwrap()).unwrap();
                for row in &csv.rows {
                    assert!(
                        row[i].is_empty() || row[i].parse::<rust_decimal::Decimal>().is_ok(),
                        "{path} {}",
                        row[i]
                    );
                }
            }
        }
        declared.insert(r["name"].as_str().unwrap().to_string(), names);
    }
    let measures = package["model"]["measures"].as_object().unwrap();
    assert!(measures.len() > 50);
    for m in measures.values() {
        assert_eq!(m["currency"], "CNY");
        assert_eq!(m["phase"], "approved");
        assert_eq!(m["factor"], 10000);
        let fields = &declared[m["resource"].as_str().unwrap()];
        assert!(fields.contains(&m["source"].as_str().unwrap().to_string()));
    }
    let dimensions = package["model"]["dimensions"].as_object().unwrap();
    let functional = &dimensions["table-02:functional-classification"];
    assert_eq!(functional["classificationType"], "functional");
    assert_eq!(functional["attributes"]["项"]["parent"], "款");
    assert_eq!(
        dimensions["table-06:economic-classification"]["classificationType"],
        "economic"
    );
    for d in dimensions.values() {
        for a in d["attributes"].as_object().unwrap().values() {
            let fields = &declared[a["resource"].as_str().unwrap()];
            assert!(fields.contains(&a["source"].as_str().unwrap().to_string()));
        }
    }
}

#[test]
fn the_workbook_is_in_the_bundle_and_reads_back_as_the_document() {
    let doc = sample();
    let bundle = bundle::render(&doc);
    let workbook = bundle
        .get("data/workbook.xlsx")
        .expect("the workbook is published");
    assert_eq!(
        workbook.media_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let read = budgetflow_workbook::read(&workbook.bytes, &budgetflow_workbook::Limits::default())
        .expect("the public workbook reads");
    assert_eq!(read.identity, doc.identity);
    assert_eq!(read.tables, doc.tables, "every table, every amount");
}
