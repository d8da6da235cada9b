//! `facts` prints every amount of tables 1–11, nothing missing, nothing invented — checked
//! against an independent scan of the raw text.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::{sample, SAMPLE};

/// Every cell of part 2 that looks like a printed amount, counted by value.
fn printed_amounts() -> BTreeMap<Decimal, usize> {
    let start = SAMPLE
        .find("第二部分 2025 年部门预算公开表\n\n表")
        .expect("part 2 of the body");
    let end = SAMPLE[start..].find("第三部分").map(|e| start + e).unwrap();
    let mut out = BTreeMap::new();
    for line in SAMPLE[start..end].lines().filter(|l| l.contains('\t')) {
        for cell in line.split('\t').map(str::trim) {
            let digits_ok = !cell.is_empty()
                && cell.contains('.')
                && cell
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
            if digits_ok {
                let v: Decimal = cell.replace(',', "").parse().unwrap();
                *out.entry(v).or_insert(0) += 1;
            }
        }
    }
    out
}

#[test]
fn facts_are_exactly_the_printed_amounts() {
    let facts = budgetflow_formats::facts::facts(&sample());
    let mut from_facts = BTreeMap::new();
    for f in &facts {
        *from_facts
            .entry(f.value.parse::<Decimal>().unwrap())
            .or_insert(0usize) += 1;
    }
    let printed = printed_amounts();
    assert_eq!(
        printed.values().sum::<usize>(),
        facts.len(),
        "as many facts as printed amounts"
    );
    assert_eq!(from_facts, printed);
}

#[test]
fn facts_carry_table_code_name_and_column() {
    let facts = budgetflow_formats::facts::facts(&sample());
    let f = facts
        .iter()
        .find(|f| f.table == "6" && f.code == "30217" && f.column == "公用经费")
        .unwrap();
    assert_eq!(
        (f.name.as_str(), f.value.as_str(), f.unit.as_str()),
        ("公务接待费", "0.30", "万元")
    );
    let tables: std::collections::BTreeSet<_> = facts.iter().map(|f| f.table.as_str()).collect();
    assert_eq!(
        tables.into_iter().collect::<Vec<_>>(),
        vec!["1", "10", "11", "2", "3", "4", "5", "6", "7"],
        "表8/表9 are empty"
    );
    assert!(facts.iter().any(|f| f.table == "7"
        && f.name == "特定目标 1010009A"
        && f.column == "对企业补助"
        && f.value == "937.00"));
    assert!(facts
        .iter()
        .any(|f| f.table == "1" && f.name == "收入总计" && f.value == "6724.07"));
}
