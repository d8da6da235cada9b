//! `budgetflow template`, `budgetflow export --xlsx` and reading `.xlsx` in every command.

use std::process::Output;

use crate::support::{budgetflow, sample, scratch};

#[test]
fn template_goes_to_stdout_when_it_is_not_a_terminal() {
    let out = budgetflow(&["template", "--year", "2025"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(&out.stdout[..2], b"PK", "an XLSX (zip) workbook");
    let file = scratch("template").join("template.xlsx");
    let out = budgetflow(&[
        "template",
        "--year",
        "2025",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(std::fs::metadata(&file).unwrap().len() > 10_000);
}

#[test]
fn the_empty_template_is_unreadable_as_a_disclosure() {
    let file = scratch("empty").join("template.xlsx");
    assert!(budgetflow(&[
        "template",
        "--year",
        "2025",
        "--out",
        file.to_str().unwrap()
    ])
    .status
    .success());
    let out = budgetflow(&["validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("工作簿未填写") && err.contains("封面"),
        "{err}"
    );
}

#[test]
fn an_exported_workbook_parses_and_validates_as_the_text_does() {
    let file = scratch("export").join("sample.xlsx");
    let out = budgetflow(&[
        "export",
        &sample(),
        "--xlsx",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_text = budgetflow(&["parse", &sample()]);
    let from_xlsx = budgetflow(&["parse", file.to_str().unwrap()]);
    assert!(
        from_xlsx.status.success(),
        "{}",
        String::from_utf8_lossy(&from_xlsx.stderr)
    );
    assert!(
        from_text.stdout == from_xlsx.stdout,
        "the same canonical JSON"
    );
    let text = budgetflow(&["validate", "--format", "json", &sample()]);
    let xlsx = budgetflow(&["validate", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(xlsx.status.code(), text.status.code());
    let findings = |o: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        (v["errors"].clone(), v["warnings"].clone())
    };
    assert_eq!(findings(&xlsx), findings(&text));
}

#[test]
fn export_needs_the_format_flag() {
    let out = budgetflow(&["export", &sample()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--xlsx"));
}
