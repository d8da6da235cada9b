//! `budgetflow diff OLD NEW`: exit 0 when two versions say the same things (across formats),
//! 1 when they differ, 2 when either cannot be read; the JSON lists the changes.

use crate::support::{budgetflow, sample, scratch};

/// The sample with 表6 基本工资 raised from 463.50 to 473.50 and the 说明三 sentence on
/// basic expenditure stating 2,157.36 for 2,157.26, written into `dir`.
fn resubmission(dir: &str) -> String {
    let mut text = std::fs::read_to_string(sample()).unwrap();
    for (line, replacement) in [
        (
            "301\t01\t基本工资\t463.50\t463.50\t",
            "301\t01\t基本工资\t473.50\t463.50\t",
        ),
        (
            "基本支出 2,157.26 万元，占 32.08%",
            "基本支出 2,157.36 万元，占 32.08%",
        ),
    ] {
        assert_eq!(text.matches(line).count(), 1, "{line}");
        text = text.replace(line, replacement);
    }
    let file = scratch(dir).join("resubmitted.txt");
    std::fs::write(&file, text).unwrap();
    file.to_str().unwrap().to_string()
}

#[test]
fn the_same_disclosure_in_another_format_has_no_differences_exit_0() {
    let xlsx = scratch("diff-same").join("sample.xlsx");
    let export = budgetflow(&[
        "export",
        &sample(),
        "--xlsx",
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    for other in [sample(), xlsx.to_str().unwrap().to_string()] {
        let out = budgetflow(&["diff", &sample(), &other]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{text}");
        assert!(text.contains("两个版本内容一致，没有差异。"), "{text}");
    }
}

#[test]
fn a_resubmission_with_changes_exit_1_and_lists_them() {
    let new = resubmission("diff-changed");
    let out = budgetflow(&["diff", &sample(), &new]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("30101 基本工资 · 合计：463.50 → 473.50 万元"),
        "{text}"
    );
    assert!(text.contains("原：基本支出 2,157.26 万元"), "{text}");
    assert!(text.contains("新出现的问题"), "{text}");

    let out = budgetflow(&["--lang", "en", "diff", &sample(), &new]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Changed cells (1):"), "{text}");
    assert!(text.contains("New findings"), "{text}");

    let out = budgetflow(&["diff", "--format", "json", &sample(), &new]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(json["new"], new.as_str());
    let cells = json["diff"]["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 1, "{cells:?}");
    assert_eq!(cells[0]["table"]["number"], 6);
    assert_eq!(cells[0]["row"]["code"], "30101");
    assert_eq!(cells[0]["column"]["key"], "total");
    assert_eq!(
        (cells[0]["old"].as_str(), cells[0]["new"].as_str()),
        (Some("463.50"), Some("473.50"))
    );
    assert_eq!(json["diff"]["paragraphs"][0]["change"], "changed");
    let new_rules: Vec<&str> = json["diff"]["findings"]["new"]
        .as_array()
        .expect("new findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for rule in ["T6.row", "T6.hierarchy", "N.amount"] {
        assert!(new_rules.contains(&rule), "{rule} in {new_rules:?}");
    }
    assert_eq!(json["diff"]["findings"]["resolved"], serde_json::json!([]));
}

#[test]
fn an_unreadable_version_exit_2() {
    let missing = scratch("diff-unreadable").join("missing.txt");
    for args in [
        ["diff", &sample(), missing.to_str().unwrap()],
        ["diff", missing.to_str().unwrap(), &sample()],
    ] {
        let out = budgetflow(&args);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt"));
    }
}
