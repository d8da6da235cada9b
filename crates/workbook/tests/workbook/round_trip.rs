//! `read(write(doc)) == doc`: the whole document — identity, overview, tables, narrative,
//! projects, target tables, other matters, glossary — for the sample and synthetic documents.

use budgetflow_workbook::{read, write, Limits};

use crate::sample;

fn round_trip(doc: &budgetflow_model::Document) -> budgetflow_model::Document {
    let bytes = write(doc).expect("the document writes");
    read(&bytes, &Limits::default())
        .unwrap_or_else(|e| panic!("{}", e.message(budgetflow_model::Lang::En)))
}

/// The first differing line of the two documents' JSON, for a readable failure.
fn first_difference(a: &budgetflow_model::Document, b: &budgetflow_model::Document) -> String {
    let (a, b) = (
        budgetflow_formats::json::write(a),
        budgetflow_formats::json::write(b),
    );
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {i}: {x} != {y}"))
        .unwrap_or_else(|| "lengths differ".into())
}

#[test]
fn the_sample_round_trips_whole() {
    let doc = sample();
    assert!(doc.narrative.projects().count() > 0);
    assert!(doc.narrative.project_targets().count() > 0);
    assert!(!doc.glossary.is_empty());
    let back = round_trip(&doc);
    assert!(back == doc, "{}", first_difference(&doc, &back));
}

#[test]
fn synthetic_documents_round_trip_whole() {
    let mut classified = 0;
    for seed in [1, 7, 42, 2025] {
        for i in 0..25 {
            let doc = budgetflow_synth::document(seed, i);
            classified += doc.tables.projects.as_ref().map_or(0, |t| {
                t.projects()
                    .filter(|p| p.project.as_ref().is_some_and(|n| n.is_classified()))
                    .count()
            });
            let back = round_trip(&doc);
            assert!(
                back == doc,
                "seed {seed} #{i}: {}",
                first_difference(&doc, &back)
            );
        }
    }
    assert!(
        classified > 0,
        "some synthetic documents have classified projects"
    );
}

#[test]
fn a_changed_amount_reads_back_changed() {
    let mut doc = sample();
    let total = doc
        .tables
        .revenue
        .as_mut()
        .unwrap()
        .rows
        .iter_mut()
        .find(|r| r.code.is_none())
        .unwrap();
    total.amounts.total = Some("1234567.89".parse().unwrap());
    let back = round_trip(&doc);
    let row = back
        .tables
        .revenue
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.code.is_none())
        .unwrap();
    assert_eq!(row.amounts.total.unwrap().to_string(), "1234567.89");
}

#[test]
fn amounts_printed_without_two_decimals_keep_their_scale() {
    let mut doc = sample();
    let row = &mut doc.tables.expenditure.as_mut().unwrap().rows[0];
    row.amounts.basic = Some("500".parse().unwrap());
    row.amounts.project = Some("0.125".parse().unwrap());
    let back = round_trip(&doc);
    let row = &back.tables.expenditure.as_ref().unwrap().rows[0];
    assert_eq!(row.amounts.basic.unwrap().to_string(), "500");
    assert_eq!(row.amounts.project.unwrap().to_string(), "0.125");
}

#[test]
fn a_missing_table_stays_missing_and_an_empty_one_stays_empty() {
    let mut doc = sample();
    doc.tables.soe_capital = None;
    let gov = doc.tables.gov_fund.as_mut().unwrap();
    gov.rows.clear();
    gov.header.notes = vec!["本部门 2025 年无政府性基金预算拨款安排的支出，故本表为空表。".into()];
    let back = round_trip(&doc);
    assert!(back.tables.soe_capital.is_none());
    let gov = back.tables.gov_fund.unwrap();
    assert!(gov.rows.is_empty());
    assert_eq!(gov.header.notes.len(), 1);
}

#[test]
fn an_unrecognised_table_round_trips_cell_by_cell() {
    let mut doc = sample();
    doc.tables
        .unrecognised
        .push(budgetflow_model::tables::UnrecognisedTable {
            header: budgetflow_model::tables::TableHeader {
                number: 12,
                title: "部门人员名单".into(),
                compiler: Some("乌鲁木齐市工业和信息化局".into()),
                unit: budgetflow_model::MoneyUnit::Yuan,
                notes: vec!["本表为补充公开。".into()],
                columns: Vec::new(),
                page: None,
            },
            lines: vec![
                vec!["姓名".into(), "职务".into(), "".into(), "金额".into()],
                vec![
                    "张三".into(),
                    "科员".into(),
                    "备注".into(),
                    "1,000.00".into(),
                    "x".into(),
                    "y".into(),
                ],
            ],
        });
    let back = round_trip(&doc);
    assert!(back == doc, "{}", first_difference(&doc, &back));
}

mod amounts {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::round_trip;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Any amount, at any printed scale, in any amount cell kind (table, project, target
        /// funds), comes back with the same digits.
        #[test]
        fn any_amount_comes_back_with_its_digits(mantissa in -99_999_999_999_999i64..99_999_999_999_999, scale in 0u32..5) {
            let a = budgetflow_model::Amount::new(Decimal::new(mantissa, scale));
            let mut doc = crate::sample();
            doc.tables.revenue.as_mut().unwrap().rows[0].amounts.unit_funds = Some(a);
            doc.tables.overall.as_mut().unwrap().revenue_total = Some(a);
            let back = round_trip(&doc);
            prop_assert_eq!(back.tables.revenue.unwrap().rows[0].amounts.unit_funds.map(|x| x.to_string()), Some(a.to_string()));
            prop_assert_eq!(back.tables.overall.unwrap().revenue_total.map(|x| x.to_string()), Some(a.to_string()));
        }
    }
}
