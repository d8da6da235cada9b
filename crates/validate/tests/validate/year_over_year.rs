//! The `Y.*` rules: the sample's stated changes against a disclosure of the year before.

use budgetflow_model::narrative::{Block, Disclosed, Period};
use budgetflow_model::tables::{ProjectName, ThreePublicLine};
use budgetflow_model::{Document, FiscalYear, MoneyUnit};
use budgetflow_validate::{validate_with, Finding, Previous, Severity};
use chrono::NaiveDate;

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
fn a_change_on_last_years_outturn_is_not_held_to_last_years_budget() {
    // the same sentence compared with 2024's outturn names a figure no budget disclosure
    // prints: last year's 2,794.98 in 表2 neither bears it out nor contradicts it
    let doc = sample_saying(
        "比上年预算减少 1,754.77 万元，下降 38.57%",
        "比2024年预算执行数减少 1,754.77 万元，下降 38.57%",
    );
    let previous = last_year();
    let found = year_over_year(&doc, Previous::Found(&previous));
    assert!(
        about(&found, "Y.stated-change", "一般公共预算").is_empty(),
        "{found:#?}"
    );
    assert!(
        about(&found, "Y.stated-rate", "一般公共预算").is_empty(),
        "{found:#?}"
    );
    // the budget comparisons beside it are still checked
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

/// Sets the 合计 of `line` in 表10 of `doc`.
fn three_public(doc: &mut Document, line: ThreePublicLine, value: &str) {
    let t10 = doc.tables.three_public.as_mut().unwrap();
    let row = t10.rows.iter_mut().find(|r| r.line == Some(line)).unwrap();
    row.amounts.total = Some(amount(value));
}

/// The sample with `from` replaced by `to` in its text, parsed again.
fn sample_saying(from: &str, to: &str) -> Document {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/urumqi-miit-2025.txt"
    ))
    .unwrap();
    assert!(text.contains(from), "{from}");
    budgetflow_formats::text::read(text.replace(from, to).as_bytes()).unwrap()
}

#[test]
fn three_public_lines_are_checked_against_last_years_table_10() {
    // 公务用车运行费减少 4.68 万元: this year's 17.82 (表10, and the sentence before) came
    // from 22.50; the 三公 total's 减少 4.68 from 22.80
    let doc = sample();
    let previous = last_year();
    let found = year_over_year(&doc, Previous::Found(&previous));
    let operation = about(&found, "Y.stated-change", "公务用车运行费");
    assert_eq!(operation.len(), 1, "{found:#?}");
    assert_eq!(operation[0].expected.as_ref().unwrap().to_string(), "17.82");
    assert_eq!(operation[0].actual.as_ref().unwrap().to_string(), "22.50");
    let zh = &operation[0].detail.as_ref().unwrap().zh;
    assert!(zh.contains("上年文件 表10"), "{zh}");
    let total = about(&found, "Y.stated-change", "2025 年财政拨款“三公”经费预算");
    assert_eq!(total.len(), 1, "{found:#?}");
    assert_eq!(total[0].actual.as_ref().unwrap().to_string(), "22.80");
    // 公务接待费增加 0.00 万元 on last year's 0.30: nothing to say
    assert!(about(&found, "Y.stated-change", "公务接待费").is_empty());

    let mut agreeing = last_year();
    three_public(&mut agreeing, ThreePublicLine::VehicleOperation, "22.50");
    three_public(&mut agreeing, ThreePublicLine::Total, "22.80");
    let found = year_over_year(&doc, Previous::Found(&agreeing));
    assert!(about(&found, "Y.stated-change", "公务用车运行费").is_empty());
    assert!(about(&found, "Y.stated-change", "“三公”经费").is_empty());
    assert!(about(&found, "Y.stated-rate", "公务用车运行费").is_empty());

    // a blank cell is zero: 减少 4.68 on 17.82 says last year printed 22.50, not nothing
    let mut blank = agreeing.clone();
    let t10 = blank.tables.three_public.as_mut().unwrap();
    let row = t10
        .rows
        .iter_mut()
        .find(|r| r.line == Some(ThreePublicLine::VehicleOperation))
        .unwrap();
    row.amounts.total = None;
    let found = year_over_year(&doc, Previous::Found(&blank));
    let operation = about(&found, "Y.stated-change", "公务用车运行费");
    assert_eq!(operation.len(), 1, "{found:#?}");
    assert_eq!(operation[0].expected.as_ref().unwrap().to_string(), "0.00");
    assert_eq!(operation[0].actual.as_ref().unwrap().to_string(), "22.50");

    // one figure of last year changed: the 增加 0.00 no longer holds
    three_public(&mut agreeing, ThreePublicLine::Reception, "0.50");
    let found = year_over_year(&doc, Previous::Found(&agreeing));
    let reception = about(&found, "Y.stated-change", "公务接待费");
    assert_eq!(reception.len(), 1, "{found:#?}");
    assert_eq!(reception[0].expected.as_ref().unwrap().to_string(), "0.50");
    assert_eq!(reception[0].actual.as_ref().unwrap().to_string(), "0.30");
}

#[test]
fn flat_is_a_change_of_zero_that_needs_no_reason() {
    let doc = sample_saying(
        "公务接待费增加 0.00 万元，增长 0.00%，主要原因是 2025 年严格执行公务接待标准",
        "公务接待费与2024年预算持平",
    );
    let all = validate_with(&doc, Previous::NotSought).findings;
    assert!(
        !all.iter()
            .any(|f| f.rule.id == "N.reason" && f.location.name.as_deref() == Some("公务接待费")),
        "{all:#?}"
    );
    // last year's 0.30 bears 持平 out; 0.50 does not
    let previous = last_year();
    let found = year_over_year(&doc, Previous::Found(&previous));
    assert!(
        about(&found, "Y.stated-change", "公务接待费").is_empty(),
        "{found:#?}"
    );
    let mut higher = last_year();
    three_public(&mut higher, ThreePublicLine::Reception, "0.50");
    let found = year_over_year(&doc, Previous::Found(&higher));
    let flat = about(&found, "Y.stated-change", "公务接待费");
    assert_eq!(flat.len(), 1, "{found:#?}");
    assert_eq!(flat[0].expected.as_ref().unwrap().to_string(), "0.50");
    assert_eq!(flat[0].actual.as_ref().unwrap().to_string(), "0.30");
    // printed 0.30 may have been 0.304: 持平 on 0.304 is within rounding
    three_public(&mut higher, ThreePublicLine::Reception, "0.304");
    let found = year_over_year(&doc, Previous::Found(&higher));
    let flat = about(&found, "Y.stated-change", "公务接待费");
    assert_eq!(flat.len(), 1, "{found:#?}");
    assert_eq!(flat[0].severity, Severity::Info);
}

#[test]
fn a_change_still_needs_its_reason() {
    let doc = sample_saying(
        "下降 8.59%，主要原因是在职人员减少，工资及社会保障缴费减少，基本支出预算减少。",
        "下降 8.59%。",
    );
    let all = validate_with(&doc, Previous::NotSought).findings;
    assert!(
        all.iter()
            .any(|f| f.rule.id == "N.reason" && f.location.name.as_deref() == Some("基本支出")),
        "{all:#?}"
    );
}

#[test]
fn staffing_changes_are_checked_against_last_years_headcounts() {
    // 在职105人，减少7人；退休174人，减少4人；离休2人，增加0人
    let doc = sample();
    let mut previous = last_year();
    let found = year_over_year(&doc, Previous::Found(&previous));
    let active = about(&found, "Y.staffing", "在职人数");
    assert_eq!(active.len(), 1, "{found:#?}");
    assert_eq!(active[0].severity, Severity::Error);
    assert_eq!(active[0].expected.as_ref().unwrap().to_string(), "105");
    assert_eq!(active[0].actual.as_ref().unwrap().to_string(), "112");
    assert!(about(&found, "Y.staffing", "离休人数").is_empty());

    let staffing = previous.overview.staffing.as_mut().unwrap();
    staffing.active.count = 112;
    staffing.retired.count = 178;
    let found = year_over_year(&doc, Previous::Found(&previous));
    assert!(
        found.iter().all(|f| f.rule.id != "Y.staffing"),
        "{found:#?}"
    );
}

/// Last year's first described project, renamed and given a period of `start`–`end`.
fn last_years_project(previous: &mut Document, name: &str, start: (i32, u32), end: (i32, u32)) {
    let project = previous
        .narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .find_map(|b| match b {
            Block::Project(p) if !p.name.is_classified() => Some(p),
            _ => None,
        })
        .expect("a described project");
    project.name = ProjectName::new(name);
    let date = |(y, m): (i32, u32), d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    project.period = Disclosed::Stated(Period {
        text: format!("{}年{}月1日-{}年{}月31日", start.0, start.1, end.0, end.1),
        start: Some(date(start, 1)),
        end: Some(date(end, 31)),
    });
}

#[test]
fn a_multi_year_project_gone_without_a_word_is_a_warning() {
    let doc = sample();
    // the sample as last year: every project is still there
    let found = year_over_year(&doc, Previous::Found(&last_year()));
    assert!(
        found.iter().all(|f| f.rule.id != "Y.project-dropped"),
        "{found:#?}"
    );

    let mut previous = last_year();
    last_years_project(
        &mut previous,
        "工业园区数字化改造三年行动项目",
        (2024, 1),
        (2026, 12),
    );
    let found = year_over_year(&doc, Previous::Found(&previous));
    let dropped = about(
        &found,
        "Y.project-dropped",
        "工业园区数字化改造三年行动项目",
    );
    assert_eq!(dropped.len(), 1, "{found:#?}");
    assert_eq!(dropped[0].severity, Severity::Warning);
    assert_eq!(dropped[0].actual.as_ref().unwrap().to_string(), "—");
    let zh = &dropped[0].detail.as_ref().unwrap().zh;
    assert!(
        zh.contains("上年文件") && zh.contains("2026年12月31日"),
        "{zh}"
    );

    // a project that ended with last year is not expected again
    let mut ended = last_year();
    last_years_project(
        &mut ended,
        "工业园区数字化改造三年行动项目",
        (2024, 1),
        (2024, 12),
    );
    let found = year_over_year(&doc, Previous::Found(&ended));
    assert!(found.iter().all(|f| f.rule.id != "Y.project-dropped"));

    // a word about it in this year's text is enough
    let doc = sample_saying(
        "（一）单位运行经费情况\n",
        "（一）单位运行经费情况\n\n工业园区数字化改造三年行动项目已于2024年提前完成。\n",
    );
    let found = year_over_year(&doc, Previous::Found(&previous));
    assert!(
        found.iter().all(|f| f.rule.id != "Y.project-dropped"),
        "{found:#?}"
    );
}

#[test]
fn a_large_class_appearing_is_a_warning_and_a_small_one_is_not() {
    let doc = sample();
    let found = year_over_year(&doc, Previous::Found(&last_year()));
    assert!(found.iter().all(|f| f.rule.id != "Y.class-appears"));

    // last year without 资源勘探工业信息等支出 (表1: 5,995.16 of this year's 6,724.07) and without
    // 科学技术支出 (6.72: too small to warn about)
    let mut previous = last_year();
    let t1 = previous.tables.overall.as_mut().unwrap();
    for class in &mut t1.expenditure {
        if class.name.contains("资源勘探") || class.name.contains("科学技术") {
            class.amount = None;
        }
    }
    let found = year_over_year(&doc, Previous::Found(&previous));
    let appears: Vec<_> = found
        .iter()
        .filter(|f| f.rule.id == "Y.class-appears")
        .collect();
    assert_eq!(appears.len(), 1, "{found:#?}");
    assert_eq!(appears[0].severity, Severity::Warning);
    assert_eq!(appears[0].expected.as_ref().unwrap().to_string(), "0.00");
    assert_eq!(appears[0].actual.as_ref().unwrap().to_string(), "5,995.16");

    // and the other way round: gone this year
    let found = year_over_year(
        &previous,
        Previous::Found(&{
            let mut d = doc.clone();
            d.identity.fiscal_year = FiscalYear::new(2023).unwrap();
            d
        }),
    );
    let vanished: Vec<_> = found
        .iter()
        .filter(|f| f.rule.id == "Y.class-appears")
        .collect();
    assert_eq!(vanished.len(), 1, "{found:#?}");
    assert_eq!(vanished[0].actual.as_ref().unwrap().to_string(), "0.00");
}
