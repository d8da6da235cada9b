//! The `Y.*` rules: the sample's stated changes against a disclosure of the year before.

use budgetflow_model::{Document, FiscalYear, MoneyUnit};
use budgetflow_validate::{validate_with, Finding, Previous, Severity};

use crate::support::{amount, sample};

/// The sample as the department's disclosure of 2024: every figure as printed in 2025.
fn last_year() -> Document {
    let mut doc = sample();
    doc.identity.fiscal_year = FiscalYear::new(2024).unwrap();
    doc
}

fn year_over_year(doc: &Document, previous: Previous<'_>) -> Vec<Finding> {
    validate_with(doc, previous)
        .findings
        .into_iter()
        .filter(|f| f.rule.id.starts_with("Y."))
        .collect()
}

fn about<'f>(findings: &'f [Finding], rule: &str, subject: &str) -> Vec<&'f Finding> {
    findings
        .iter()
        .filter(|f| f.rule.id == rule && f.location.name.as_deref() == Some(subject))
        .collect()
}

/// Sets 表2's total row, 一般公共预算 column, of `doc` to `value` in `unit`.
fn general_budget_revenue(doc: &mut Document, value: &str, unit: MoneyUnit) {
    let t2 = doc.tables.revenue.as_mut().unwrap();
    t2.header.unit = unit;
    let total = t2.rows.iter_mut().find(|r| r.code.is_none()).unwrap();
    total.amounts.general_budget = Some(amount(value));
}

#[test]
fn not_sought_says_nothing_and_missing_says_so_once() {
    let doc = sample();
    assert!(year_over_year(&doc, Previous::NotSought).is_empty());
    let missing = year_over_year(&doc, Previous::Missing);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].rule.id, "Y.no-previous");
    assert_eq!(missing[0].severity, Severity::Info);
}

#[test]
fn another_department_or_year_is_not_compared_with() {
    let doc = sample();
    let mut other = last_year();
    other.identity.department = "乌鲁木齐市财政局".into();
    let mut two_years = last_year();
    two_years.identity.fiscal_year = FiscalYear::new(2023).unwrap();
    for previous in [&other, &two_years] {
        let found = year_over_year(&doc, Previous::Found(previous));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule.id, "Y.not-previous");
        assert_eq!(found[0].severity, Severity::Warning);
    }
}

#[test]
fn a_stated_change_is_checked_against_last_years_printed_figure() {
    // 一般公共预算拨款2,794.98万元，比上年减少1,754.77万元: last year printed 4,549.75 — not
    // this year's 2,794.98, which the copy of the sample still prints
    let doc = sample();
    let previous = last_year();
    let found = year_over_year(&doc, Previous::Found(&previous));
    let change = about(&found, "Y.stated-change", "一般公共预算");
    assert_eq!(change.len(), 1, "{found:#?}");
    let f = change[0];
    assert_eq!(f.severity, Severity::Error);
    let zh = &f.detail.as_ref().expect("last year's place").zh;
    assert!(zh.contains("上年文件 表2"), "{zh}");
    assert_eq!(f.expected.as_ref().unwrap().to_string(), "2,794.98");
    assert_eq!(f.actual.as_ref().unwrap().to_string(), "4,549.75");
    // one wrong figure of last year is one finding, not a second one on the rate
    assert!(about(&found, "Y.stated-rate", "一般公共预算").is_empty());

    // last year's disclosure printing 4,549.75 bears the sentence out, rate included
    let mut agreeing = last_year();
    general_budget_revenue(&mut agreeing, "4549.75", MoneyUnit::TenThousandYuan);
    let found = year_over_year(&doc, Previous::Found(&agreeing));
    assert!(
        about(&found, "Y.stated-change", "一般公共预算").is_empty(),
        "{found:#?}"
    );
    assert!(
        about(&found, "Y.stated-rate", "一般公共预算").is_empty(),
        "{found:#?}"
    );
    // the other stated changes are still checked
    assert!(!about(&found, "Y.stated-change", "基本支出").is_empty());
}

#[test]
fn units_are_converted_and_rounding_is_an_interval() {
    let doc = sample();
    // the same figure printed in 元
    let mut in_yuan = last_year();
    general_budget_revenue(&mut in_yuan, "45497500.00", MoneyUnit::Yuan);
    let found = year_over_year(&doc, Previous::Found(&in_yuan));
    assert!(
        about(&found, "Y.stated-change", "一般公共预算").is_empty(),
        "{found:#?}"
    );
    // 4,549.754 万元 prints as 4,549.75: within rounding, an info
    let mut finer = last_year();
    general_budget_revenue(&mut finer, "45497540", MoneyUnit::Yuan);
    let found = year_over_year(&doc, Previous::Found(&finer));
    let change = about(&found, "Y.stated-change", "一般公共预算");
    assert_eq!(change.len(), 1, "{found:#?}");
    assert_eq!(change[0].severity, Severity::Info);
}
