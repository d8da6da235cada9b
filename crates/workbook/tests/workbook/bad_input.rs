//! Bad workbooks: a clear error naming the sheet and cell, never a panic.

use budgetflow_model::Lang;
use budgetflow_workbook::{read, write, Expected, Limits, WorkbookError};

use crate::archive::{patch, set_text, sheet_path};
use crate::sample;

fn sample_workbook() -> Vec<u8> {
    write(&sample()).unwrap()
}

#[test]
fn a_non_numeric_amount_names_sheet_and_cell() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "表2");
    let bytes = patch(&bytes, &path, |xml| set_text(xml, "C5", "一百万"));
    let e = read(&bytes, &Limits::default()).unwrap_err();
    match &e {
        WorkbookError::Cell {
            sheet,
            cell,
            expected,
            found,
        } => {
            assert_eq!(
                (sheet.as_str(), cell.as_str(), found.as_str()),
                ("表2", "C5", "一百万")
            );
            assert_eq!(*expected, Expected::Amount);
        }
        other => panic!("{other}"),
    }
    assert_eq!(
        e.message(Lang::Zh),
        "工作表“表2”单元格 C5：应为金额（如 5,058.98）或空白，实为“一百万”"
    );
}

#[test]
fn a_bad_code_names_sheet_and_cell() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "表6");
    let bytes = patch(&bytes, &path, |xml| set_text(xml, "A6", "30X"));
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("sheet `表6` cell A6: expected an economic classification code"),
        "{e}"
    );
}

#[test]
fn an_unknown_row_kind_lists_the_choices() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "表7");
    let bytes = patch(&bytes, &path, |xml| set_text(xml, "A5", "小计"));
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(
        e.message(Lang::Zh)
            .contains("单元格 A5：应为以下之一：合计、单位、类、款、项、项目，实为“小计”"),
        "{}",
        e.message(Lang::Zh)
    );
}

#[test]
fn a_bad_year_on_the_cover() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "封面");
    let bytes = patch(&bytes, &path, |xml| set_text(xml, "B3", "二〇二五"));
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(
        e.to_string()
            .contains("sheet `封面` cell B3: expected a fiscal year"),
        "{e}"
    );
}

#[test]
fn a_workbook_of_other_sheets_names_the_missing_one() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "hello").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(
        matches!(&e, WorkbookError::MissingSheet { sheet } if sheet == "封面"),
        "{e}"
    );
}

#[test]
fn garbage_is_not_a_workbook() {
    for bytes in [
        &b""[..],
        b"PK\x03\x04garbage",
        b"{\"schema\": 1}",
        &[0u8; 4096],
    ] {
        let e = read(bytes, &Limits::default()).unwrap_err();
        assert!(matches!(e, WorkbookError::NotAWorkbook(_)), "{e}");
    }
}

#[test]
fn a_narrative_row_before_any_section_is_refused() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "情况说明");
    let bytes = patch(&bytes, &path, |xml| set_text(xml, "A2", "段落"));
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(e.to_string().contains("sheet `情况说明` cell A2"), "{e}");
}

#[test]
fn a_project_reference_without_its_description_is_refused() {
    let doc = sample();
    assert!(doc.narrative.projects().count() > 1);
    let bytes = write(&doc).unwrap();
    let path = sheet_path(&bytes, "项目说明");
    // blank the first description's row entirely
    let bytes = patch(&bytes, &path, |xml| {
        let start = xml.find("<row r=\"2\"").unwrap();
        let end = start + xml[start..].find("</row>").unwrap() + 6;
        format!("{}{}", &xml[..start], &xml[end..])
    });
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(matches!(e, WorkbookError::BlockCount { .. }), "{e}");
    assert!(
        e.message(Lang::Zh).contains("工作表“项目说明”"),
        "{}",
        e.message(Lang::Zh)
    );
}

#[test]
fn damaged_bytes_are_errors_not_panics() {
    let bytes = sample_workbook();
    // flip bytes across the archive (entries, directory, end record): every outcome is a
    // value, never a panic
    let mut refused = 0;
    for i in 0..400 {
        let mut damaged = bytes.clone();
        let at = (i * 7919) % damaged.len();
        damaged[at] ^= 0x5a;
        if read(&damaged, &Limits::default()).is_err() {
            refused += 1;
        }
    }
    assert!(refused > 0);
    for len in [10, 100, 1000, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            read(&bytes[..len], &Limits::default()).is_err(),
            "cut at {len}"
        );
    }
}

#[test]
fn a_paragraph_that_would_read_as_a_sub_heading_is_refused_at_its_cell() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "情况说明");
    let bytes = patch(&bytes, &path, |xml| {
        set_text(xml, "C3", "（二）政府采购情况")
    });
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(
        matches!(&e, WorkbookError::Reread { sheet, cell, .. } if sheet == "情况说明" && cell == "C3"),
        "{e}"
    );
    assert!(e.message(Lang::Zh).contains("会被读作其他内容"));
}

#[test]
fn two_paragraphs_in_one_overview_cell_are_refused_as_one_paragraph_per_row() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "部门概况");
    let bytes = patch(&bytes, &path, |xml| {
        set_text(xml, "B2", "第一段职能说明。\n\n第二段职能说明。")
    });
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(
        matches!(&e, WorkbookError::Cell { sheet, cell, expected: Expected::SingleLine, .. } if sheet == "部门概况" && cell == "B2"),
        "{e}"
    );
    assert!(e.message(Lang::Zh).contains("每段一行"));
}

#[test]
fn a_line_break_inside_an_indicator_is_refused_at_its_cell() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "项目绩效目标");
    // row 10 is the first indicator row of the first block (8 labelled rows, the header)
    let bytes = patch(&bytes, &path, |xml| {
        set_text(xml, "C10", "“小升规”专项奖补\n\n企业数量")
    });
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("sheet `项目绩效目标` cell C10: expected text on one line"),
        "{e}"
    );
}

#[test]
fn a_non_numeric_weight_names_its_cell_in_the_target_block() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "项目绩效目标");
    let bytes = patch(&bytes, &path, |xml| set_text(xml, "G10", "十分"));
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert_eq!(
        e.message(Lang::En),
        "sheet `项目绩效目标` cell G10: expected a number, found `十分`"
    );
}

#[test]
fn a_long_bad_value_is_shown_as_an_excerpt() {
    let bytes = sample_workbook();
    let path = sheet_path(&bytes, "表2");
    let long = "一百万".repeat(10_000);
    let bytes = patch(&bytes, &path, |xml| set_text(xml, "C5", &long));
    let e = read(&bytes, &Limits::default()).unwrap_err();
    let shown = format!(
        "{}…",
        "一百万".repeat(22).chars().take(64).collect::<String>()
    );
    match &e {
        WorkbookError::Cell { cell, found, .. } => {
            assert_eq!((cell.as_str(), found.as_str()), ("C5", shown.as_str()))
        }
        other => panic!("{other}"),
    }
    assert!(
        e.message(Lang::Zh).len() < 400 && e.to_string().len() < 400,
        "{e}"
    );
}
