//! The template a department fills: every sheet, the printed headers with their merged cells,
//! amount formats, code drop-downs from a hidden code sheet — and it reads back as "nothing
//! filled".

use budgetflow_model::{FiscalYear, Lang};
use budgetflow_workbook::{read, template, Limits, WorkbookError};

use crate::archive::{entry, sheet_path};

fn year() -> FiscalYear {
    FiscalYear::new(2025).unwrap()
}

#[test]
fn has_a_sheet_for_every_part_and_table() {
    let bytes = template(year()).unwrap();
    let workbook = entry(&bytes, "xl/workbook.xml");
    for sheet in [
        "填报说明",
        "封面",
        "部门概况",
        "表1",
        "表2",
        "表3",
        "表4",
        "表5",
        "表6",
        "表7",
        "表8",
        "表9",
        "表10",
        "表11",
        "情况说明",
        "项目说明",
        "部门整体绩效目标",
        "项目绩效目标",
        "名词解释",
        "代码表",
    ] {
        assert!(
            workbook.contains(&format!("name=\"{sheet}\"")),
            "no sheet {sheet}"
        );
    }
    let codes = workbook
        .split("<sheet ")
        .find(|s| s.contains("name=\"代码表\""))
        .unwrap();
    assert!(
        codes.contains("state=\"hidden\""),
        "the code sheet is hidden"
    );
}

#[test]
fn reads_back_as_nothing_filled() {
    let bytes = template(year()).unwrap();
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(
        matches!(&e, WorkbookError::NothingFilled { sheet, cell } if sheet == "封面" && cell == "B2"),
        "{e}"
    );
    assert!(e.message(Lang::Zh).contains("空白模板"));
}

#[test]
fn table_2_prints_the_standard_header_with_merged_cells() {
    let bytes = template(year()).unwrap();
    let xml = entry(&bytes, &sheet_path(&bytes, "表2"));
    // 财政拨款（补助） spans its seven columns; code and name span both header rows
    for merge in ["A1:N1", "D3:J3", "A3:A4", "B3:B4", "K3:K4"] {
        assert!(
            xml.contains(&format!("<mergeCell ref=\"{merge}\"/>")),
            "no merge {merge}"
        );
    }
    let strings = entry(&bytes, "xl/sharedStrings.xml");
    for label in [
        "部门收入总体情况表",
        "功能分类科目编码",
        "财政拨款（补助）",
        "上级国有资本经营预算安排的转移支付",
        "单位：万元",
    ] {
        assert!(strings.contains(label), "no {label}");
    }
}

#[test]
fn code_columns_have_drop_downs_from_the_code_sheet_and_amounts_are_formatted() {
    let bytes = template(year()).unwrap();
    let xml = entry(&bytes, &sheet_path(&bytes, "表3"));
    assert!(xml.contains("<dataValidation type=\"list\""), "{xml}");
    assert!(
        xml.contains("sqref=\"A5:A505\""),
        "validation on the code column from the first data row"
    );
    assert!(
        xml.contains("'代码表'!$A$2:$A$"),
        "list from the function codes"
    );
    let basic = entry(&bytes, &sheet_path(&bytes, "表6"));
    assert!(
        basic.contains("'代码表'!$C$2:$C$"),
        "表6 lists economic codes"
    );
    let projects = entry(&bytes, &sheet_path(&bytes, "表7"));
    assert!(
        projects.contains("\"合计,单位,类,款,项,项目\""),
        "行类型 drop-down"
    );
    let styles = entry(&bytes, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"#,##0.00\""));
    // rows a department adds take the columns' formats: codes as text, amounts #,##0.00
    let t2 = entry(&bytes, &sheet_path(&bytes, "表2"));
    assert!(
        t2.contains("<col min=\"1\" max=\"1\"") && t2.contains("<col min=\"3\" max=\"14\""),
        "{t2}"
    );
    let styled = |xml: &str, min: &str| {
        xml.split("<col ")
            .any(|c| c.starts_with(&format!("min=\"{min}\"")) && c.contains("style="))
    };
    assert!(styled(&t2, "1") && styled(&t2, "3"));
    let codes = entry(&bytes, &sheet_path(&bytes, "代码表"));
    let strings = entry(&bytes, "xl/sharedStrings.xml");
    assert!(
        strings.contains("<t>2150502</t>") || codes.contains("2150502"),
        "the catalog is on the code sheet"
    );
}

#[test]
fn performance_sheets_have_the_indicator_columns() {
    let bytes = template(year()).unwrap();
    let strings = entry(&bytes, "xl/sharedStrings.xml");
    for label in [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "指标值设置依据",
        "上年完成值",
        "指标分值权重",
        "指标赋分规则",
        "佐证资料",
        "项目总体目标",
        "年度绩效目标",
    ] {
        assert!(strings.contains(&format!("<t>{label}</t>")), "no {label}");
    }
}

#[test]
fn a_filled_template_reads_as_a_document() {
    // a department fills only the cover: a document with its identity and empty tables
    let bytes = template(year()).unwrap();
    let cover = sheet_path(&bytes, "封面");
    let bytes = crate::archive::patch(&bytes, &cover, |xml| {
        let xml = crate::archive::set_text(xml, "B2", "乌鲁木齐市测试局");
        crate::archive::set_text(xml, "B5", "2025 年部门预算公开")
    });
    let doc = read(&bytes, &Limits::default()).unwrap();
    assert_eq!(doc.identity.department, "乌鲁木齐市测试局");
    assert_eq!(doc.identity.fiscal_year, year());
    let overall = doc.tables.overall.unwrap();
    assert_eq!(
        overall.revenue.len(),
        25,
        "the standard revenue lines, blank"
    );
    assert!(overall
        .revenue
        .iter()
        .all(|l| l.line.is_some() && l.amount.is_none()));
    assert!(doc.tables.revenue.unwrap().rows.is_empty());
    assert!(doc.narrative.sections.is_empty());
}

#[test]
fn what_a_department_types_reads_as_meant() {
    // a code typed as a number, an amount typed without decimals, a year typed as a number
    let bytes = budgetflow_workbook::write(&crate::sample()).unwrap();
    let t3 = sheet_path(&bytes, "表3");
    let bytes = crate::archive::patch(&bytes, &t3, |xml| {
        let xml = crate::archive::set_number(xml, "A6", "201");
        crate::archive::set_number(xml, "C6", "500")
    });
    let cover = sheet_path(&bytes, "封面");
    let bytes = crate::archive::patch(&bytes, &cover, |xml| {
        crate::archive::set_number(xml, "B3", "2025")
    });
    let doc = read(&bytes, &Limits::default()).unwrap();
    let row = &doc.tables.expenditure.as_ref().unwrap().rows[1];
    assert_eq!(row.code.as_ref().unwrap().as_str(), "201");
    assert_eq!(row.amounts.total.unwrap().to_string(), "500.00");
    assert_eq!(doc.identity.fiscal_year, year());
}
