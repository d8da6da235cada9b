//! Single faults: take the sample, change one figure or one word, and check that the right rule
//! fires at the right place with the right expected and actual figures.

use budgetflow_model::narrative::Block;
use budgetflow_model::performance::{ScoringRule, Value};
use budgetflow_model::tables::{FunctionRow, FundColumns, ThreePublicLine};
use budgetflow_model::{SectionTopic, TableKind};
use budgetflow_validate::{validate, Lang};

use crate::support::{
    amount, described, fires, function_row, project_targets, sample, statement, t6_row, t7_project,
};

/// Asserts that `rule` fires at a location containing `at`, whatever its figures.
#[track_caller]
fn fires_at(doc: &budgetflow_model::Document, rule: &str, at: &str) {
    let report = validate(doc);
    let found = report
        .of_rule(rule)
        .any(|f| f.location.label().contains(at) && f.severity == f.rule.severity);
    let all: Vec<String> = report.findings.iter().map(described).collect();
    assert!(
        found,
        "{rule} at “{at}” not reported. Findings:\n{}",
        all.join("\n")
    );
}

// ── 表1 ─────────────────────────────────────────────────────────────────────────────────

#[test]
fn t1_revenue_total_differs_from_expenditure_total() {
    let mut doc = sample();
    doc.tables.overall.as_mut().unwrap().revenue_total = Some(amount("6,724.08"));
    fires(&doc, "T1.balance", "支出总计", "6,724.08", "6,724.07");
}

#[test]
fn t1_general_funds_do_not_add_up() {
    let mut doc = sample();
    let t1 = doc.tables.overall.as_mut().unwrap();
    t1.revenue
        .iter_mut()
        .find(|l| l.label.contains("一般财力"))
        .unwrap()
        .amount = Some(amount("2,795.98"));
    fires(
        &doc,
        "T1.revenue-split",
        "1.一般公共预算拨款 / 预算数",
        "5,059.98",
        "5,058.98",
    );
}

#[test]
fn t1_class_amount_breaks_the_total_and_table_2() {
    let mut doc = sample();
    let t1 = doc.tables.overall.as_mut().unwrap();
    t1.expenditure
        .iter_mut()
        .find(|c| c.name == "科学技术支出")
        .unwrap()
        .amount = Some(amount("40.52"));
    fires(
        &doc,
        "T1.expenditure-total",
        "支出总计",
        "6,724.17",
        "6,724.07",
    );
    fires(
        &doc,
        "X.T1-T2-T3.class",
        "206 科学技术支出",
        "40.52",
        "40.42",
    );
}

#[test]
fn t1_carry_over_does_not_add_up() {
    let mut doc = sample();
    let t1 = doc.tables.overall.as_mut().unwrap();
    t1.revenue
        .iter_mut()
        .find(|l| l.label.contains("非财政拨款结转结余"))
        .unwrap()
        .amount = Some(amount("28.30"));
    fires(
        &doc,
        "T1.carry-over",
        "二、上年结转结余",
        "1,665.19",
        "1,665.09",
    );
}

// ── 表2, 表3 ────────────────────────────────────────────────────────────────────────────

#[test]
fn t2_row_total_and_hierarchy() {
    let mut doc = sample();
    function_row(&mut doc.tables.revenue.as_mut().unwrap().rows, "2150502")
        .amounts
        .fiscal_carry_over = Some(amount("97.59"));
    fires(
        &doc,
        "T2.row-total",
        "2150502 一般行政管理事务 / 总计",
        "717.30",
        "717.20",
    );
    fires(
        &doc,
        "T2.hierarchy",
        "21505 工业和信息产业 / 财政拨款结转",
        "97.59",
        "97.49",
    );
}

#[test]
fn t2_fiscal_subtotal() {
    let mut doc = sample();
    function_row(&mut doc.tables.revenue.as_mut().unwrap().rows, "21508")
        .amounts
        .fiscal_subtotal = Some(amount("1,523.22"));
    fires(
        &doc,
        "T2.fiscal-subtotal",
        "21508 支持中小企业发展和管理支出 / 财政拨款(补助)小计",
        "1,523.12",
        "1,523.22",
    );
}

#[test]
fn t2_total_source_differs_from_table_1() {
    let mut doc = sample();
    let t2 = doc.tables.revenue.as_mut().unwrap();
    t2.rows
        .iter_mut()
        .find(|r| r.code.is_none())
        .unwrap()
        .amounts
        .non_fiscal_carry_over = Some(amount("28.30"));
    fires(
        &doc,
        "X.T1-T2.sources",
        "总计 / 非财政拨款结转结余",
        "28.20",
        "28.30",
    );
}

#[test]
fn t3_row_basic_plus_project() {
    let mut doc = sample();
    function_row(
        &mut doc.tables.expenditure.as_mut().unwrap().rows,
        "2111450",
    )
    .amounts
    .basic = Some(amount("256.34"));
    fires(
        &doc,
        "T3.row",
        "2111450 事业运行 / 合计",
        "256.34",
        "256.24",
    );
}

#[test]
fn t3_class_total() {
    let mut doc = sample();
    function_row(&mut doc.tables.expenditure.as_mut().unwrap().rows, "215")
        .amounts
        .total = Some(amount("5,995.26"));
    fires(
        &doc,
        "T3.hierarchy",
        "215 资源勘探工业信息等支出 / 合计",
        "5,995.16",
        "5,995.26",
    );
    fires(&doc, "X.T1-T2-T3.class", "215", "5,995.16", "5,995.26");
    fires(&doc, "X.T2-T3.rows", "215", "5,995.16", "5,995.26");
}

// ── 表4, 表5 ────────────────────────────────────────────────────────────────────────────

#[test]
fn t4_class_general_budget() {
    let mut doc = sample();
    let t4 = doc.tables.appropriation.as_mut().unwrap();
    t4.expenditure
        .iter_mut()
        .find(|r| r.code.is_some_and(|c| c.as_str() == "215"))
        .unwrap()
        .amounts
        .general_budget = Some(amount("4,363.87"));
    fires(
        &doc,
        "T4.row",
        "215 资源勘探工业信息等支出 / 合计",
        "4,363.87",
        "4,363.77",
    );
    fires(&doc, "X.T4-T5.class", "215", "4,363.77", "4,363.87");
    fires(
        &doc,
        "T4.expenditure-total",
        "支出总计 / 一般公共预算",
        "5,059.08",
        "5,058.98",
    );
}

#[test]
fn t4_revenue_total_differs_from_expenditure_total() {
    let mut doc = sample();
    doc.tables.appropriation.as_mut().unwrap().revenue_total = Some(amount("5,059.98"));
    fires(&doc, "T4.balance", "支出总计", "5,059.98", "5,058.98");
    fires(&doc, "X.T1-T4.revenue", "收入总计", "5,058.98", "5,059.98");
}

#[test]
fn t5_project_column() {
    let mut doc = sample();
    function_row(
        &mut doc.tables.general_budget.as_mut().unwrap().rows,
        "2150502",
    )
    .amounts
    .project = Some(amount("619.81"));
    fires(
        &doc,
        "T5.row",
        "2150502 一般行政管理事务 / 合计",
        "619.81",
        "619.71",
    );
    fires(&doc, "X.T5-T7.project", "2150502", "619.81", "619.71");
}

#[test]
fn t5_total_differs_from_table_1() {
    let mut doc = sample();
    let t5 = doc.tables.general_budget.as_mut().unwrap();
    t5.rows
        .iter_mut()
        .find(|r| r.code.is_none())
        .unwrap()
        .amounts
        .total = Some(amount("5,058.88"));
    fires(
        &doc,
        "X.T1-T4-T5.general",
        "总计 / 合计",
        "5,058.98",
        "5,058.88",
    );
}

// ── 表6 ─────────────────────────────────────────────────────────────────────────────────

#[test]
fn t6_row_personnel_plus_operating() {
    let mut doc = sample();
    t6_row(&mut doc, "30217").amounts.personnel = Some(amount("0.40"));
    fires(&doc, "T6.row", "30217 公务接待费 / 合计", "0.70", "0.30");
}

#[test]
fn t6_class_is_not_the_sum_of_its_kuan() {
    let mut doc = sample();
    let row = t6_row(&mut doc, "30101");
    row.amounts.total = Some(amount("463.60"));
    row.amounts.personnel = Some(amount("463.60"));
    fires(
        &doc,
        "T6.hierarchy",
        "301 工资福利支出 / 合计",
        "1,709.53",
        "1,709.43",
    );
}

#[test]
fn t6_wages_booked_as_operating() {
    let mut doc = sample();
    t6_row(&mut doc, "301").amounts.operating = Some(amount("1.00"));
    fires(
        &doc,
        "T6.economic-split",
        "301 工资福利支出 / 公用经费",
        "0",
        "1.00",
    );
}

#[test]
fn t6_total_differs_from_table_5_basic() {
    let mut doc = sample();
    let t6 = doc.tables.basic.as_mut().unwrap();
    t6.rows
        .iter_mut()
        .find(|r| r.code.is_none())
        .unwrap()
        .amounts
        .total = Some(amount("2,157.36"));
    fires(&doc, "X.T5-T6.basic", "总计 / 合计", "2,157.26", "2,157.36");
}

// ── 表7 ─────────────────────────────────────────────────────────────────────────────────

#[test]
fn t7_project_total_is_not_its_economic_columns() {
    let mut doc = sample();
    t7_project(&mut doc, "辅助履职人员支出").amounts.total = Some(amount("33.91"));
    fires(
        &doc,
        "T7.row",
        "辅助履职人员支出 / 项目支出合计",
        "33.81",
        "33.91",
    );
}

#[test]
fn t7_unit_subtotal() {
    let mut doc = sample();
    t7_project(&mut doc, "乌鲁木齐市节能监察中心").amounts.total = Some(amount("11.39"));
    fires(
        &doc,
        "T7.subtotals",
        "乌鲁木齐市节能监察中心 / 项目支出合计",
        "11.29",
        "11.39",
    );
}

// ── 表8–表11 ────────────────────────────────────────────────────────────────────────────

#[test]
fn t8_with_rows_contradicts_its_empty_table_statement() {
    let mut doc = sample();
    let amounts = FundColumns {
        total: Some(amount("5.00")),
        project: Some(amount("5.00")),
        ..Default::default()
    };
    doc.tables
        .gov_fund
        .as_mut()
        .unwrap()
        .rows
        .push(FunctionRow {
            code: None,
            name: "总计".into(),
            amounts,
            page: None,
        });
    fires(
        &doc,
        "N.empty-table",
        "政府性基金预算支出情况表",
        "5.00",
        "空表",
    );
    fires(&doc, "X.T4-T8-T9.funds", "总计 / 合计", "0", "5.00");
}

#[test]
fn t10_total_is_not_its_items() {
    let mut doc = sample();
    let t10 = doc.tables.three_public.as_mut().unwrap();
    let row = t10
        .rows
        .iter_mut()
        .find(|r| r.line == Some(ThreePublicLine::Reception))
        .unwrap();
    row.amounts.total = Some(amount("0.40"));
    row.amounts.general_budget = Some(amount("0.40"));
    fires(&doc, "T10.total", "合计 / 合计", "18.22", "18.12");
}

#[test]
fn t10_vehicle_operation_below_table_6() {
    let mut doc = sample();
    let t10 = doc.tables.three_public.as_mut().unwrap();
    let row = t10
        .rows
        .iter_mut()
        .find(|r| r.line == Some(ThreePublicLine::VehicleOperation))
        .unwrap();
    row.amounts.total = Some(amount("17.72"));
    row.amounts.general_budget = Some(amount("17.72"));
    fires(
        &doc,
        "X.T6-T10.three-public",
        "公务用车运行费 / 合计",
        "≥ 17.82",
        "17.72",
    );
    fires(
        &doc,
        "T10.vehicles",
        "公务用车购置及运行费（小计） / 合计",
        "17.72",
        "17.82",
    );
}

#[test]
fn t11_row_and_unit() {
    let mut doc = sample();
    let t11 = doc.tables.carry_over.as_mut().unwrap();
    t11.rows
        .iter_mut()
        .find(|r| r.name == "乌鲁木齐市中小企业服务中心")
        .unwrap()
        .amounts
        .total = Some(amount("62.90"));
    fires(
        &doc,
        "T11.row",
        "乌鲁木齐市中小企业服务中心 / 合计",
        "61.90",
        "62.90",
    );
    fires(
        &doc,
        "T11.subtotals",
        "乌鲁木齐市中小企业服务中心 / 合计",
        "61.90",
        "62.90",
    );
}

#[test]
fn t11_total_differs_from_tables_1_and_2() {
    let mut doc = sample();
    let t11 = doc.tables.carry_over.as_mut().unwrap();
    t11.rows
        .iter_mut()
        .find(|r| r.name == "总计")
        .unwrap()
        .amounts
        .fiscal_subtotal = Some(amount("1,636.99"));
    fires(
        &doc,
        "X.T1-T2-T11.carry-over",
        "总计 / 财政拨款小计",
        "1,636.89",
        "1,636.99",
    );
}

// ── completeness ────────────────────────────────────────────────────────────────────────

#[test]
fn a_missing_table_is_a_finding() {
    let mut doc = sample();
    doc.tables.soe_capital = None;
    fires(&doc, "doc.tables", "", "国有资本经营预算支出情况表", "—");
}

#[test]
fn an_empty_table_needs_its_statement() {
    let mut doc = sample();
    doc.tables.gov_fund.as_mut().unwrap().header.notes.clear();
    doc.narrative
        .sections
        .iter_mut()
        .find(|s| s.topic == Some(SectionTopic::GovFund))
        .unwrap()
        .blocks
        .clear();
    fires_at(&doc, "doc.empty-table-note", "政府性基金预算支出情况表");
}

#[test]
fn a_missing_section_glossary_and_compiler() {
    let mut doc = sample();
    doc.narrative
        .sections
        .retain(|s| s.topic != Some(SectionTopic::ThreePublic));
    doc.glossary.clear();
    doc.tables.expenditure.as_mut().unwrap().header.compiler = Some("乌鲁木齐市财政局".into());
    fires(&doc, "doc.sections", "", "10", "—");
    fires_at(&doc, "doc.glossary", "名词解释");
    fires(
        &doc,
        "doc.compiler",
        "编制部门",
        "乌鲁木齐市工业和信息化局",
        "乌鲁木齐市财政局",
    );
}

// ── text against tables and text arithmetic ─────────────────────────────────────────────

#[test]
fn a_share_that_does_not_reproduce() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::Revenue, "一般公共预算", 0).share =
        Some("41.67".parse().unwrap());
    fires(&doc, "N.share", "一般公共预算 / 占比", "41.57%", "41.67%");
}

#[test]
fn a_stated_amount_that_differs_from_its_table() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::Revenue, "一般公共预算", 0).amount = Some(amount("2,794.99"));
    let f = fires(&doc, "N.amount", "一般公共预算", "2,794.98", "2,794.99");
    assert!(
        f.message(Lang::Zh).contains("表2 总计“一般公共预算”"),
        "{}",
        f.message(Lang::Zh)
    );
}

#[test]
fn a_rate_of_change_that_does_not_reproduce() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::Expenditure, "项目支出", 0)
        .rate
        .as_mut()
        .unwrap()
        .percent = "85.62".parse().unwrap();
    fires(&doc, "N.change", "项目支出 / 增减率", "85.52%", "85.62%");
}

#[test]
fn a_change_amount_that_does_not_match_its_rate() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::GeneralBudget, "行政单位离退休", 0)
        .change
        .as_mut()
        .unwrap()
        .amount = amount("40.39");
    let f = fires(
        &doc,
        "N.change",
        "行政单位离退休（项） / 增减率",
        "24.59%",
        "24.52%",
    );
    assert!(
        f.message(Lang::Zh)
            .contains("上年数 = 204.62 − (40.39) = 164.23"),
        "{}",
        f.message(Lang::Zh)
    );
}

#[test]
fn an_unchanged_zero_is_zero_percent() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::ThreePublic, "因公出国", 1)
        .rate
        .as_mut()
        .unwrap()
        .percent = "100.00".parse().unwrap();
    fires(
        &doc,
        "N.change",
        "因公出国（境）费 / 增减率",
        "0.00%",
        "100.00%",
    );
}

#[test]
fn growth_from_zero_is_one_hundred_percent() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::Revenue, "非财政拨款结转结余", 0)
        .rate
        .as_mut()
        .unwrap()
        .percent = "50.00".parse().unwrap();
    fires(
        &doc,
        "N.change",
        "非财政拨款结转结余 / 增减率",
        "100.00%",
        "50.00%",
    );
}

#[test]
fn a_change_without_a_reason() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::Expenditure, "基本支出", 0).reason = None;
    fires_at(&doc, "N.reason", "基本支出 / 主要原因");
}

#[test]
fn not_arranged_but_in_the_table() {
    let mut doc = sample();
    let st = statement(&mut doc, SectionTopic::Revenue, "一般公共预算", 0);
    *st = budgetflow_model::Statement {
        subject: st.subject.clone(),
        not_arranged: true,
        ..Default::default()
    };
    fires(&doc, "N.not-arranged", "一般公共预算", "2,794.98", "0");
}

#[test]
fn the_listed_classes_miss_one() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::Overall, "支出预算", 0)
        .includes
        .retain(|c| c != "节能环保支出");
    fires(
        &doc,
        "N.class-list",
        "支出预算",
        "科学技术支出、社会保障和就业支出、节能环保支出、资源勘探工业信息等支出",
        "科学技术支出、社会保障和就业支出、资源勘探工业信息等支出",
    );
}

#[test]
fn the_listed_operating_kuan_miss_one() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::Basic, "公用经费", 0)
        .includes
        .retain(|c| c != "办公费");
    let f = validate(&doc)
        .of_rule("N.basic-items")
        .next()
        .cloned()
        .expect("N.basic-items");
    assert_eq!(f.location.name.as_deref(), Some("公用经费"));
    assert!(f
        .expected
        .unwrap()
        .to_string()
        .starts_with("办公费、印刷费"));
    assert!(f.actual.unwrap().to_string().starts_with("印刷费"));
}

#[test]
fn a_project_description_with_another_amount() {
    let mut doc = sample();
    let d = doc
        .narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .find_map(|b| match b {
            Block::Project(p) if p.name.as_str() == "机动车智能服务平台终止资产评估咨询费" => {
                Some(p)
            }
            _ => None,
        });
    d.unwrap().amount = Some(amount("39.00"));
    fires(
        &doc,
        "N.projects",
        "机动车智能服务平台终止资产评估咨询费 / 预算安排规模",
        "38.00",
        "39.00",
    );
}

#[test]
fn a_misspelt_subject_names_no_row() {
    let mut doc = sample();
    let st = statement(&mut doc, SectionTopic::GeneralBudget, "行政单位离退休", 0);
    st.subject = st.subject.replace("行政单位离退休", "行政单位离休");
    fires(&doc, "N.unmatched", "行政单位离休（项）", "—", "204.62");
}

// ── classification ──────────────────────────────────────────────────────────────────────

#[test]
fn one_code_two_names() {
    let mut doc = sample();
    function_row(&mut doc.tables.revenue.as_mut().unwrap().rows, "2150502").name =
        "一般行政管理".into();
    fires(
        &doc,
        "code.consistent",
        "2150502",
        "一般行政管理事务",
        "一般行政管理",
    );
    fires(
        &doc,
        "code.name",
        "2150502",
        "一般行政管理事务",
        "一般行政管理",
    );
}

#[test]
fn an_unknown_code_is_a_warning() {
    let mut doc = sample();
    t7_project(&mut doc, "节能监察工作经费").code = Some("2111498".parse().unwrap());
    fires_at(&doc, "code.unknown", "2111498");
}

#[test]
fn an_economic_name_differs_from_the_catalog() {
    let mut doc = sample();
    t6_row(&mut doc, "30217").name = "接待费".into();
    fires(&doc, "code.name", "30217", "公务接待费", "接待费");
}

#[test]
fn a_row_without_its_parent() {
    let mut doc = sample();
    doc.tables
        .expenditure
        .as_mut()
        .unwrap()
        .rows
        .retain(|r| r.code.is_none_or(|c| c.as_str() != "20604"));
    fires(&doc, "code.parent", "2060499", "20604", "—");
}

// ── overview and other matters ──────────────────────────────────────────────────────────

#[test]
fn headcount_does_not_add_up() {
    let mut doc = sample();
    doc.overview.staffing.as_mut().unwrap().actual = 282;
    let f = fires(&doc, "O.headcount", "实有人数", "281", "282");
    assert!(f.message(Lang::Zh).contains("在职 105 + 退休 174 + 离休 2"));
}

#[test]
fn procurement_does_not_add_up() {
    let mut doc = sample();
    doc.other_matters.procurement.as_mut().unwrap().goods = Some(amount("14.07"));
    fires(&doc, "M.procurement", "政府采购预算", "109.36", "108.36");
}

#[test]
fn sme_reservation_exceeds_procurement() {
    let mut doc = sample();
    doc.other_matters.procurement.as_mut().unwrap().sme_reserved = Some(amount("128.87"));
    fires(
        &doc,
        "M.procurement-reserved",
        "政府采购预算",
        "≥ 128.87",
        "108.36",
    );
}

#[test]
fn vehicles_do_not_add_up() {
    let mut doc = sample();
    doc.other_matters.assets.as_mut().unwrap().vehicle_count = Some(12);
    fires(&doc, "M.vehicles", "车辆 / 数量", "11", "12");
}

#[test]
fn operating_cost_exceeds_table_6() {
    let mut doc = sample();
    statement(&mut doc, SectionTopic::OtherMatters, "机关运行经费", 0).amount =
        Some(amount("203.85"));
    fires(
        &doc,
        "M.operating-cost",
        "机关运行经费",
        "≤ 193.85",
        "203.85",
    );
}

#[test]
fn performance_summary_miscounts_projects() {
    let mut doc = sample();
    doc.other_matters.performance.as_mut().unwrap().projects = Some(13);
    fires(
        &doc,
        "M.performance-summary",
        "当年预算安排项目个数",
        "14",
        "13",
    );
}

#[test]
fn classified_amount_differs_from_table_7() {
    let mut doc = sample();
    doc.other_matters.classified.as_mut().unwrap().amount = Some(amount("1,940.00"));
    fires(
        &doc,
        "M.classified",
        "涉密项目预算资金",
        "1,939.00",
        "1,940.00",
    );
}

// ── performance targets ─────────────────────────────────────────────────────────────────

const XIAOSHENGGUI: &str = "2024年度“小升规”专项奖补资金";

#[test]
fn weights_do_not_sum_to_ninety() {
    let mut doc = sample();
    project_targets(&mut doc, XIAOSHENGGUI).indicators[0].weight = Some(15.into());
    fires(
        &doc,
        "P.weight-total",
        "2024年度“小升规”专项奖补资金 / 分值权重",
        "90",
        "95",
    );
}

#[test]
fn a_target_value_that_does_not_parse() {
    let mut doc = sample();
    project_targets(&mut doc, XIAOSHENGGUI).indicators[0].target = Value {
        raw: ">=家".into(),
        parsed: None,
    };
    fires(
        &doc,
        "P.target-parses",
        "指标值",
        "比较符 + 数值 + 单位，或定性描述",
        ">=家",
    );
}

#[test]
fn an_unknown_scoring_rule() {
    let mut doc = sample();
    project_targets(&mut doc, XIAOSHENGGUI).indicators[1].rule =
        Some(ScoringRule::Other("专家打分".into()));
    fires(
        &doc,
        "P.scoring-rule-known",
        "指标赋分规则",
        "按照完成比例赋分/直接赋分/按评判等级赋分/满意度赋分",
        "专家打分",
    );
}

#[test]
fn no_outcome_indicators() {
    let mut doc = sample();
    project_targets(&mut doc, "辅助履职人员支出")
        .indicators
        .retain(|i| !i.level1.contains("效益"));
    fires(
        &doc,
        "P.indicators",
        "辅助履职人员支出 / 一级指标",
        "效益指标",
        "—",
    );
}

#[test]
fn target_funds_differ_from_table_7() {
    let mut doc = sample();
    let t = project_targets(&mut doc, XIAOSHENGGUI);
    t.funds.total = Some(amount("510.00"));
    t.funds.fiscal = Some(amount("510.00"));
    fires(&doc, "X.T7-P.funds", XIAOSHENGGUI, "500.00", "510.00");
}

#[test]
fn a_merged_carry_over_must_be_documented() {
    let mut doc = sample();
    doc.other_matters.merged_carry_over.clear();
    fires(
        &doc,
        "X.T7-P.funds",
        "安全生产和节能审查工作经费",
        "20.50",
        "25.49",
    );
}

#[test]
fn target_funds_do_not_add_up() {
    let mut doc = sample();
    project_targets(&mut doc, XIAOSHENGGUI).funds.fiscal = Some(amount("400.00"));
    fires(&doc, "P.funds", "年度预算总额", "400.00", "500.00");
}

#[test]
fn department_funds_differ_from_table_1() {
    let mut doc = sample();
    let dt = doc
        .narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .find_map(|b| match b {
            Block::DepartmentTargets(t) => Some(t),
            _ => None,
        });
    dt.unwrap().funds[0].amount = Some(amount("3,779.80"));
    fires(
        &doc,
        "X.T1-P.department",
        "部门整体绩效目标表",
        "6,724.17",
        "6,724.07",
    );
}

#[test]
fn a_target_table_under_another_unit() {
    let mut doc = sample();
    project_targets(&mut doc, "节能监察工作经费").budget_unit = "乌鲁木齐市工业和信息化局".into();
    fires(
        &doc,
        "X.T7-P.project",
        "节能监察工作经费 / 预算单位",
        "乌鲁木齐市节能监察中心",
        "乌鲁木齐市工业和信息化局",
    );
}

#[test]
fn a_missing_target_table() {
    let mut doc = sample();
    for s in &mut doc.narrative.sections {
        s.blocks
            .retain(|b| !matches!(b, Block::ProjectTargets(t) if t.project == "节能监察工作经费"));
    }
    fires(&doc, "X.T7-P.count", "项目支出绩效目标表", "11", "10");
}

// ── redaction ───────────────────────────────────────────────────────────────────────────

fn description_mut<'d>(
    doc: &'d mut budgetflow_model::Document,
    name: &str,
) -> &'d mut budgetflow_model::narrative::ProjectDescription {
    doc.narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .find_map(|b| match b {
            Block::Project(p) if p.name.as_str() == name => Some(p),
            _ => None,
        })
        .unwrap()
}

#[test]
fn a_withheld_project_under_its_real_name() {
    let mut doc = sample();
    description_mut(&mut doc, "特定目标 10100021").name =
        budgetflow_model::tables::ProjectName::new("企业技术改造奖补");
    fires(
        &doc,
        "R.withheld-name",
        "企业技术改造奖补",
        "特定目标 + 编码",
        "企业技术改造奖补",
    );
}

#[test]
fn a_real_name_in_table_7_leaks_a_classified_project() {
    let mut doc = sample();
    t7_project(&mut doc, "特定目标 3010011E").project =
        Some(budgetflow_model::tables::ProjectName::new("保密通信设备"));
    let f = fires(
        &doc,
        "R.leak",
        "保密通信设备",
        "特定目标 3010011E",
        "保密通信设备",
    );
    assert_eq!(
        f.place,
        budgetflow_validate::Place::Table(TableKind::Projects)
    );
}

#[test]
fn targets_published_for_a_classified_project() {
    let mut doc = sample();
    let mut leaked = project_targets(&mut doc, XIAOSHENGGUI).clone();
    leaked.project = "特定目标 1010009A".into();
    leaked.funds.total = Some(amount("937.00"));
    leaked.funds.fiscal = Some(amount("937.00"));
    doc.narrative
        .sections
        .last_mut()
        .unwrap()
        .blocks
        .push(Block::ProjectTargets(leaked));
    fires(
        &doc,
        "R.leak",
        "特定目标 1010009A",
        "特定目标 1010009A",
        "特定目标 1010009A",
    );
}

#[test]
fn a_malformed_classified_code() {
    let mut doc = sample();
    let t11 = doc.tables.carry_over.as_mut().unwrap();
    t11.rows
        .iter_mut()
        .find(|r| r.name == "特定目标 8010140M")
        .unwrap()
        .name = "特定目标 8010140".into();
    fires(
        &doc,
        "R.code-format",
        "特定目标 8010140",
        "特定目标 + 8位数字或大写字母",
        "特定目标 8010140",
    );
}

#[test]
fn a_classified_code_that_differs_between_table_and_text() {
    let mut doc = sample();
    description_mut(&mut doc, "特定目标 1010009A").name =
        budgetflow_model::tables::ProjectName::new("特定目标 1010009B");
    fires(
        &doc,
        "R.code-match",
        "特定目标 1010009A",
        "特定目标 1010009A",
        "—",
    );
    fires(
        &doc,
        "R.code-match",
        "特定目标 1010009B",
        "特定目标 1010009B",
        "—",
    );
}
