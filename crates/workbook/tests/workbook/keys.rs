//! The table sheets are built by the 11-table profile, and what a sheet states beyond printed
//! labels goes first: the hidden `标准行` key of a revenue line, the `行类型` of a 表7 row. A
//! fault the profile reader finds names the sheet and cell, in the workbook's words.

use budgetflow_formats::ReadError;
use budgetflow_model::tables::ProjectRowKind;
use budgetflow_model::Lang;
use budgetflow_workbook::{read, write, Limits, WorkbookError};

use crate::archive::{patch, set_text, sheet_path};
use crate::sample;

/// The sample's workbook with `cell` of `sheet` holding `text`.
fn with_cell(sheet: &str, cell: &str, text: &str) -> Vec<u8> {
    let bytes = write(&sample()).unwrap();
    let path = sheet_path(&bytes, sheet);
    patch(&bytes, &path, |xml| set_text(xml, cell, text))
}

#[test]
fn a_hidden_line_key_goes_before_the_label() {
    let doc = sample();
    let first = &doc.tables.overall.as_ref().unwrap().revenue[0];
    assert!(
        first.line.is_some(),
        "the sample's first revenue row is a standard line"
    );
    // F5: the hidden key of 表1's first data row; `-` says it is no standard line
    let back = read(&with_cell("表1", "F5", "-"), &Limits::default()).unwrap();
    let read = &back.tables.overall.as_ref().unwrap().revenue[0];
    assert_eq!(
        (read.label.as_str(), read.line),
        (first.label.as_str(), None)
    );
}

#[test]
fn an_unknown_line_key_is_refused_at_its_cell_with_the_standard_labels() {
    let e = read(&with_cell("表1", "F5", "本年收入合计"), &Limits::default()).unwrap_err();
    assert!(
        matches!(&e, WorkbookError::Table(ReadError::InCell { sheet, cell, .. }) if sheet == "表1" && cell == "F5"),
        "{e:?}"
    );
    let zh = e.message(Lang::Zh);
    assert!(
        zh.starts_with("工作表“表1”单元格 F5：应为以下之一：一、本年收入、"),
        "{zh}"
    );
    assert!(zh.ends_with("，实为“本年收入合计”"), "{zh}");
    assert!(
        e.message(Lang::En)
            .starts_with("sheet `表1` cell F5: expected one of: 一、本年收入, "),
        "{e}"
    );
}

#[test]
fn a_stated_row_kind_goes_before_what_the_labels_say() {
    let doc = sample();
    let rows = &doc.tables.projects.as_ref().unwrap().rows;
    let unit = rows
        .iter()
        .position(|r| r.kind == ProjectRowKind::Unit)
        .expect("the sample's 表7 has a unit row");
    // data rows start at row 5; a unit row (no code, no project) stated to be a 类 subtotal
    let cell = format!("A{}", 5 + unit);
    let back = read(&with_cell("表7", &cell, "类"), &Limits::default()).unwrap();
    let read = &back.tables.projects.as_ref().unwrap().rows[unit];
    assert_eq!(
        (read.kind, read.name.as_str()),
        (ProjectRowKind::Class, rows[unit].name.as_str())
    );
}

#[test]
fn an_amount_without_a_revenue_label_is_refused_at_the_label_cell() {
    let e = read(&with_cell("表1", "A5", ""), &Limits::default()).unwrap_err();
    assert!(
        matches!(&e, WorkbookError::Table(ReadError::InCell { sheet, cell, .. }) if sheet == "表1" && cell == "A5"),
        "{e:?}"
    );
    assert!(
        e.message(Lang::Zh)
            .starts_with("工作表“表1”单元格 A5：应为金额前的收入项目名称，实为“"),
        "{}",
        e.message(Lang::Zh)
    );
}
