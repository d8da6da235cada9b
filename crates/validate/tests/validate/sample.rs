//! The real sample: zero errors, one rounding drift (表6 303), readable reports.

use budgetflow_model::TableKind;
use budgetflow_validate::{validate, Figure, Lang, Place, Severity};

use crate::support::sample;

#[test]
fn the_sample_has_no_errors_and_one_rounding_info() {
    let report = validate(&sample());
    assert_eq!(
        report.errors(),
        0,
        "{}",
        report.render_text("sample", Lang::Zh)
    );
    assert_eq!(
        report.warnings(),
        0,
        "{}",
        report.render_text("sample", Lang::Zh)
    );
    assert_eq!(report.infos(), 1);
    let info = &report.findings[0];
    assert_eq!(info.rule.id, "T6.hierarchy");
    assert_eq!(info.severity, Severity::Info);
    assert!(info.rounding);
    assert_eq!(info.place, Place::Table(TableKind::Basic));
    assert_eq!(info.location.code.as_deref(), Some("303"));
    assert_eq!(info.location.name.as_deref(), Some("对个人和家庭的补助"));
    assert_eq!(
        info.expected,
        Some(Figure::Amount("253.97".parse().unwrap()))
    );
    assert_eq!(info.actual, Some(Figure::Amount("253.98".parse().unwrap())));
    assert_eq!(
        info.difference.map(|d| d.to_string()).as_deref(),
        Some("0.01")
    );
    let addends: Vec<String> = info.addends.iter().map(|a| a.value.to_string()).collect();
    assert_eq!(addends, ["44.08", "186.79", "6.96", "13.20", "2.94"]);
}

#[test]
fn the_rounding_message_names_its_numbers_in_both_languages() {
    let report = validate(&sample());
    let zh = report.findings[0].message(Lang::Zh);
    assert!(
        zh.contains("取整差异")
            && zh.contains("253.97")
            && zh.contains("253.98")
            && zh.contains("相差 0.01"),
        "{zh}"
    );
    assert!(zh.starts_with("表6 303 对个人和家庭的补助"), "{zh}");
    let en = report.findings[0].message(Lang::En);
    assert!(
        en.contains("rounding drift")
            && en.contains("expected 253.97, found 253.98")
            && en.contains("difference 0.01"),
        "{en}"
    );
}

#[test]
fn json_line_follows_the_design_contract() {
    let report = validate(&sample());
    let line = report.to_json_line("samples/urumqi-miit-2025.txt", Lang::Zh);
    assert!(!line.contains('\n'));
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["file"], "samples/urumqi-miit-2025.txt");
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 0);
    let f = &v["findings"][0];
    for key in [
        "rule", "severity", "table", "location", "expected", "actual", "message",
    ] {
        assert!(!f[key].is_null(), "{key} missing in {f}");
    }
    assert_eq!(f["rule"], "T6.hierarchy");
    assert_eq!(f["severity"], "info");
    assert_eq!(f["table"], "表6");
    assert_eq!(f["expected"], "253.97");
    assert_eq!(f["actual"], "253.98");
    assert_eq!(f["difference"], "0.01");
    assert_eq!(f["row_code"], "303");
    let en: serde_json::Value = serde_json::from_str(&report.to_json_line("x", Lang::En)).unwrap();
    assert_eq!(en["findings"][0]["table"], "Table 6");
}

#[test]
fn text_report_groups_by_table_and_ends_with_a_summary() {
    let mut doc = sample();
    crate::support::t6_row(&mut doc, "30217").amounts.personnel = Some("0.40".parse().unwrap());
    let text = validate(&doc).render_text("sample.txt", Lang::Zh);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("sample.txt — 乌鲁木齐市工业和信息化局"),
        "{text}"
    );
    assert!(lines.contains(&"表6"), "{text}");
    assert!(
        text.contains("T6.row") && text.contains("30217 公务接待费 / 合计"),
        "{text}"
    );
    assert_eq!(
        lines.last().copied(),
        Some("合计：2 个错误，1 个警告，1 个提示"),
        "{text}"
    );
    // the figures are right-aligned under their headers
    let header = lines
        .iter()
        .position(|l| *l == "表6")
        .map(|i| lines[i + 1])
        .unwrap();
    assert!(header.trim_end().ends_with("相差"), "{header}");
    let en = validate(&doc).render_text("sample.txt", Lang::En);
    assert!(
        en.trim_end()
            .ends_with("Total: 2 error(s), 1 warning(s), 1 info"),
        "{en}"
    );
}
