//! The validator on the three real Shanghai district budgets (the 9-table template): no false
//! alarms on the two clean ones, exactly the verified mistakes on the justice bureau's, and one
//! changed figure found where the 9-table template prints it.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use budgetflow_model::tables::{RevenueLine, ThreePublicLine};
use budgetflow_model::{Document, SectionTopic, TableKind};
use budgetflow_validate::{validate, Severity};

use crate::support::{amount, described, fires, function_row, statement, t6_row};

/// A Shanghai PDF of `samples/shanghai`, read once.
fn shanghai(name: &str) -> Document {
    static READ: OnceLock<Mutex<HashMap<String, Document>>> = OnceLock::new();
    let mut read = READ
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    read.entry(name.to_string())
        .or_insert_with(|| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../samples/shanghai")
                .join(name);
            budgetflow_formats::read_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .clone()
}

const COMMERCE: &str = "putuo-commerce-unit-2025.pdf";
const GOVOFFICE: &str = "putuo-govoffice-dept-2025.pdf";
const JUSTICE: &str = "putuo-justice-unit-2026.pdf";

/// Every error and warning as `rule [location]`, for comparison and for a readable failure.
fn complaints(doc: &Document) -> Vec<String> {
    validate(doc)
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(described)
        .collect()
}

#[test]
fn the_commerce_unit_budget_raises_no_alarm() {
    let doc = shanghai(COMMERCE);
    assert!(doc.template.is_some(), "read as the 9-table template");
    assert_eq!(complaints(&doc), Vec::<String>::new());
}

#[test]
fn the_government_office_department_budget_raises_no_alarm() {
    assert_eq!(complaints(&shanghai(GOVOFFICE)), Vec::<String>::new());
}

#[test]
fn a_shanghai_budget_is_not_asked_for_the_eleven_table_template_parts() {
    let doc = shanghai(COMMERCE);
    let report = validate(&doc);
    for rule in ["doc.tables", "doc.sections", "doc.targets"] {
        assert_eq!(report.of_rule(rule).count(), 0, "{rule}");
    }
    // but a table its own template requires is still required
    let mut doc = doc;
    doc.tables.three_public = None;
    let report = validate(&doc);
    assert!(report
        .of_rule("doc.tables")
        .any(|f| f.place == budgetflow_validate::Place::Table(TableKind::ThreePublic)));
}

/// The justice bureau's 2026 budget prints 64,840,547.00 as 项目支出 of 2040601 行政运行 in
/// 支出预算总表 and 一般公共预算支出功能分类预算表 (the 项目支出 of all of 204, which belongs to
/// its other 项); its 财务收支预算总表 splits basic expenditure 101,200 differently from the
/// economic-classification table; and two `2026年预算安排` figures differ from the 项 they
/// restate (57.8 for 561,240.00 元, 170.03 for 2,070,000.00 元). Nothing else is wrong.
#[test]
fn the_justice_unit_budget_reports_exactly_its_real_mistakes() {
    let doc = shanghai(JUSTICE);
    let report = validate(&doc);
    let mut errors: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} [{}]", f.rule.id, f.location.label()))
        .collect();
    errors.sort();
    let mut expected = vec![
        "N.amount [2026年预算安排]",
        "N.amount [2026年预算安排]",
        "T3.hierarchy [20406 司法 / 项目支出]",
        "T3.row [2040601 行政运行 / 合计]",
        "T5.hierarchy [20406 司法 / 项目支出]",
        "T5.row [2040601 行政运行 / 合计]",
        "X.T1-T5-T6.split [支出总计 / 人员经费]",
        "X.T1-T5-T6.split [支出总计 / 公用经费]",
    ];
    expected.sort();
    assert_eq!(errors, expected, "{:#?}", complaints(&doc));
    // the only warnings: 2026 codes the shipped 2025 catalog does not list
    assert!(report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .all(|f| f.rule.id == "code.unknown"));
}

#[test]
fn the_project_amount_printed_on_the_administration_row_is_found_on_that_row() {
    let doc = shanghai(JUSTICE);
    for rule in ["T3.row", "T5.row"] {
        let f = fires(&doc, rule, "2040601", "79,189,400.34", "14,348,853.34");
        assert_eq!(f.location.code.as_deref(), Some("2040601"));
    }
}

#[test]
fn a_restated_item_amount_is_compared_in_wan_yuan_at_its_printed_precision() {
    let doc = shanghai(JUSTICE);
    fires(&doc, "N.amount", "2026年预算安排", "207.00", "170.03");
}

#[test]
fn revenue_by_kind_adds_up_to_the_revenue_total() {
    let mut doc = shanghai(COMMERCE);
    let t1 = doc.tables.overall.as_mut().unwrap();
    let other = t1
        .revenue
        .iter_mut()
        .find(|l| l.line == Some(RevenueLine::UnitOtherIncome))
        .unwrap();
    other.amount = Some(amount("1000.00"));
    fires(
        &doc,
        "T1.revenue-total",
        "收入总计",
        "371,515,655.00",
        "371,514,655.00",
    );
}

#[test]
fn the_fiscal_appropriation_is_the_sum_of_the_three_budgets() {
    let mut doc = shanghai(COMMERCE);
    let t1 = doc.tables.overall.as_mut().unwrap();
    let general = t1
        .revenue
        .iter_mut()
        .find(|l| l.line == Some(RevenueLine::GeneralBudget))
        .unwrap();
    general.amount = Some(amount("371514600.00"));
    fires(
        &doc,
        "T1.revenue-split",
        "财政拨款收入",
        "371,514,600.00",
        "371,514,655.00",
    );
}

#[test]
fn a_class_split_of_table_one_adds_up() {
    let mut doc = shanghai(COMMERCE);
    let t1 = doc.tables.overall.as_mut().unwrap();
    let class = t1
        .expenditure
        .iter_mut()
        .find(|c| c.name == "一般公共服务支出")
        .unwrap();
    class.split.as_mut().unwrap().operating = Some(amount("1467843.00"));
    fires(
        &doc,
        "T1.class-split",
        "一般公共服务支出",
        "21,601,734.00",
        "21,601,733.00",
    );
}

#[test]
fn a_revenue_row_total_is_its_fiscal_and_other_income() {
    let mut doc = shanghai(COMMERCE);
    let t2 = doc.tables.revenue.as_mut().unwrap();
    function_row(&mut t2.rows, "2011301").amounts.other_income = Some(amount("10.00"));
    fires(
        &doc,
        "T2.row-total",
        "2011301",
        "9,389,923.00",
        "9,389,913.00",
    );
}

#[test]
fn the_three_public_total_adds_up_in_wan_yuan() {
    let mut doc = shanghai(GOVOFFICE);
    let t9 = doc.tables.three_public.as_mut().unwrap();
    let reception = t9
        .rows
        .iter_mut()
        .find(|r| r.line == Some(ThreePublicLine::Reception))
        .unwrap();
    reception.amounts.total = Some(amount("30.50"));
    fires(&doc, "T10.total", "合计", "869.50", "867.50");
}

#[test]
fn reception_in_wan_yuan_covers_the_basic_reception_in_yuan() {
    let mut doc = shanghai(COMMERCE);
    // 1.00 万元 covers anything below 10,050 元; 10,000.00 元 is printed
    t6_row(&mut doc, "30217").amounts.total = Some(amount("10049.99"));
    assert_eq!(validate(&doc).of_rule("X.T6-T10.three-public").count(), 0);
    t6_row(&mut doc, "30217").amounts.total = Some(amount("10050.00"));
    fires(
        &doc,
        "X.T6-T10.three-public",
        "公务接待费",
        "≥ 1.0050",
        "1.00",
    );
}

#[test]
fn an_item_sentence_in_each_shanghai_phrasing_is_checked_against_its_row() {
    // `“类（类）款（款）项（项）”`
    let mut doc = shanghai(COMMERCE);
    statement(&mut doc, SectionTopic::Overall, "商贸事务（款）行政运行", 0).amount =
        Some(amount("939.99"));
    fires(&doc, "N.amount", "行政运行", "938.99", "939.99");
    // `“类-款-项”科目`, trailing zeros dropped (`4,614万元` for 46,140,000.00 元)
    let mut doc = shanghai(GOVOFFICE);
    statement(&mut doc, SectionTopic::Overall, "一般行政管理事务", 0).amount = Some(amount("4641"));
    fires(&doc, "N.amount", "一般行政管理事务", "4,614", "4,641");
    // `类（204类）款（06款）项（01项）`
    let mut doc = shanghai(JUSTICE);
    statement(&mut doc, SectionTopic::Overall, "行政运行（01项）", 0).amount =
        Some(amount("1434.98"));
    fires(&doc, "N.amount", "行政运行", "1,434.89", "1,434.98");
}

#[test]
fn the_operating_cost_in_the_three_public_table_agrees_with_basic_operating_expenditure() {
    let mut doc = shanghai(GOVOFFICE);
    let t9 = doc.tables.three_public.as_mut().unwrap();
    let cost = t9
        .rows
        .iter_mut()
        .find(|r| r.line == Some(ThreePublicLine::OperatingCosts))
        .unwrap();
    cost.amounts.total = Some(amount("231.28"));
    fires(
        &doc,
        "M.operating-cost",
        "机关运行经费",
        "≤ 213.28",
        "231.28",
    );
}
