//! The version diff on the sample: a resubmission with three cells and one sentence changed
//! lists exactly those changes and the findings they introduce; the way back resolves them; a
//! document against itself, or a PDF against its own JSON, has no differences.

use budgetflow_model::{Amount, Document, SectionTopic, TableKind};
use budgetflow_validate::diff::{ParagraphChangeKind, RowChangeKind, VersionDiff};
use budgetflow_validate::{diff, Severity};

use crate::support::{amount, sample};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../samples/urumqi-miit-2025.txt"
);

/// The sample's text with each `(line, replacement)` swapped in; each line must occur once.
fn resubmitted(edits: &[(&str, &str)]) -> Document {
    let mut text = std::fs::read_to_string(SAMPLE).expect("sample present");
    for (line, replacement) in edits {
        assert_eq!(text.matches(line).count(), 1, "{line}");
        text = text.replace(line, replacement);
    }
    budgetflow_formats::text::read(text.as_bytes()).expect("the edited sample parses")
}

/// 表6 基本工资 raised by 10, 表10 公务接待费 raised by 0.20, 表3 技术与开发 project spending
/// raised by 1, and the sentence on basic expenditure in 说明三 stating 2,157.36 for 2,157.26.
fn three_cells_and_one_sentence() -> Document {
    resubmitted(&[
        (
            "301\t01\t基本工资\t463.50\t463.50\t",
            "301\t01\t基本工资\t473.50\t463.50\t",
        ),
        (
            "\n公务接待费\t0.30\t0.30\t\t",
            "\n公务接待费\t0.50\t0.30\t\t",
        ),
        (
            "206\t04\t\t技术与开发\t40.42\t\t40.42\n",
            "206\t04\t\t技术与开发\t40.42\t\t41.42\n",
        ),
        (
            "基本支出 2,157.26 万元，占 32.08%",
            "基本支出 2,157.36 万元，占 32.08%",
        ),
    ])
}

/// A changed cell as a test reads it: table, row code (else name), column key, old, new.
type CellSeen = (
    TableKind,
    String,
    &'static str,
    Option<Amount>,
    Option<Amount>,
);

/// Every changed cell, in order.
fn cells(d: &VersionDiff) -> Vec<CellSeen> {
    d.cells
        .iter()
        .map(|c| {
            let row = c.row.code.clone().unwrap_or_else(|| c.row.name.clone());
            (c.table.kind, row, c.column.key, c.old, c.new)
        })
        .collect()
}

/// `rule @ location` of findings, sorted.
fn located(findings: &[budgetflow_validate::diff::FindingRef]) -> Vec<String> {
    let mut out: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} @ {} {} {} {}",
                f.rule,
                f.place,
                f.code.as_deref().unwrap_or("-"),
                f.name.as_deref().unwrap_or("-"),
                f.column.as_deref().unwrap_or("-")
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_sample_against_itself_has_no_differences() {
    let d = diff(&sample(), &sample());
    assert!(d.is_empty(), "{d:#?}");
    // its one rounding note is still open, not new
    assert_eq!(
        located(&d.findings.still_open),
        ["T6.hierarchy @ 表6 303 对个人和家庭的补助 合计、人员经费"]
    );
}

#[test]
fn three_cells_and_one_sentence_are_exactly_what_changed() {
    let old = sample();
    let new = three_cells_and_one_sentence();
    let d = diff(&old, &new);
    let some = |s: &str| Some(amount(s));
    assert_eq!(
        cells(&d),
        [
            (
                TableKind::Expenditure,
                "20604".into(),
                "project",
                some("40.42"),
                some("41.42")
            ),
            (
                TableKind::Basic,
                "30101".into(),
                "total",
                some("463.50"),
                some("473.50")
            ),
            (
                TableKind::ThreePublic,
                "公务接待费".into(),
                "total",
                some("0.30"),
                some("0.50")
            ),
        ]
    );
    let t6 = &d.cells[1];
    assert_eq!(
        (t6.table.number, t6.row.name.as_str(), t6.column.label),
        (6, "基本工资", "合计")
    );
    assert!(d.rows.is_empty(), "{:#?}", d.rows);

    assert_eq!(d.paragraphs.len(), 1, "{:#?}", d.paragraphs);
    let p = &d.paragraphs[0];
    assert_eq!(p.section.topic, Some(SectionTopic::Expenditure));
    assert_eq!(p.change, ParagraphChangeKind::Changed);
    assert_eq!((p.old_position, p.new_position), (Some(2), Some(2)));
    assert!(p
        .old
        .as_deref()
        .unwrap()
        .starts_with("基本支出 2,157.26 万元"));
    assert!(p
        .new
        .as_deref()
        .unwrap()
        .starts_with("基本支出 2,157.36 万元"));

    // each changed figure breaks the sums and cross-checks it is part of; the sentence no
    // longer agrees with 表3, and the 三公 sentence no longer agrees with 表10
    assert_eq!(located(&d.findings.new), INTRODUCED);
    assert!(d.findings.new.iter().all(|f| f.severity == Severity::Error));
    assert!(d.findings.resolved.is_empty(), "{:#?}", d.findings.resolved);
    assert_eq!(
        located(&d.findings.still_open).len(),
        1,
        "the rounding note"
    );
}

/// The findings the three cells and the sentence introduce.
const INTRODUCED: [&str; 9] = [
    "N.amount @ 说明三 - 基本支出 -",
    "N.amount @ 说明十 - 公务接待费 -",
    "T10.row @ 表10 - 公务接待费 合计",
    "T10.total @ 表10 - 合计 合计",
    "T3.hierarchy @ 表3 206 科学技术支出 项目支出",
    "T3.hierarchy @ 表3 20604 技术与开发 项目支出",
    "T3.row @ 表3 20604 技术与开发 合计",
    "T6.hierarchy @ 表6 301 工资福利支出 合计",
    "T6.row @ 表6 30101 基本工资 合计",
];

#[test]
fn going_back_to_the_sample_resolves_what_the_changes_introduced() {
    let d = diff(&three_cells_and_one_sentence(), &sample());
    assert_eq!(located(&d.findings.resolved), INTRODUCED);
    assert!(d.findings.new.is_empty(), "{:#?}", d.findings.new);
    assert_eq!(d.cells.len(), 3);
    assert!(
        d.cells.iter().all(|c| c.old > c.new),
        "every figure goes back down"
    );
    assert_eq!(d.paragraphs.len(), 1);
}

#[test]
fn a_removed_row_and_an_added_paragraph_are_changes() {
    let old = sample();
    let mut new = sample();
    let t6 = new.tables.basic.as_mut().expect("表6");
    let at = t6
        .rows
        .iter()
        .position(|r| r.name == "津贴补贴")
        .expect("津贴补贴");
    t6.rows.remove(at);
    let section = new
        .narrative
        .sections
        .iter_mut()
        .find(|s| s.topic == Some(SectionTopic::ThreePublic))
        .expect("说明十");
    section.blocks.push(budgetflow_model::Block::Paragraph(
        budgetflow_model::Paragraph {
            text: "补充说明。".into(),
            statements: Vec::new(),
            page: None,
        },
    ));
    let d = diff(&old, &new);
    assert!(d.cells.is_empty(), "{:#?}", d.cells);
    assert_eq!(d.rows.len(), 1);
    let removed = &d.rows[0];
    assert_eq!(removed.change, RowChangeKind::Removed);
    assert_eq!(removed.row.code.as_deref(), Some("30102"));
    assert_eq!(
        removed
            .cells
            .iter()
            .map(|c| (c.column.key, c.value))
            .collect::<Vec<_>>(),
        [("total", amount("342.30")), ("personnel", amount("342.30"))]
    );
    assert_eq!(d.paragraphs.len(), 1);
    assert_eq!(d.paragraphs[0].change, ParagraphChangeKind::Added);
    assert_eq!(d.paragraphs[0].new.as_deref(), Some("补充说明。"));
    assert!(located(&d.findings.new)
        .iter()
        .any(|f| f.starts_with("T6.hierarchy @ 表6 301")));
}

#[test]
fn a_pdf_against_its_own_json_has_no_differences() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples/shanghai/putuo-govoffice-dept-2025.pdf");
    let pdf = budgetflow_formats::read_path(&path).expect("the PDF reads");
    let json = budgetflow_formats::json::write(&pdf);
    let reread = budgetflow_formats::read_any(json.as_bytes()).expect("its JSON reads");
    let d = diff(&pdf, &reread);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn the_diff_serialises_for_the_api() {
    let d = diff(&sample(), &three_cells_and_one_sentence());
    let json = serde_json::to_value(&d).expect("serialises");
    let cell = &json["cells"][1];
    assert_eq!(cell["table"]["kind"], "basic");
    assert_eq!(cell["row"]["code"], "30101");
    assert_eq!(cell["column"]["key"], "total");
    assert_eq!(
        (cell["old"].as_str(), cell["new"].as_str()),
        (Some("463.50"), Some("473.50"))
    );
    assert_eq!(json["paragraphs"][0]["change"], "changed");
    let t6_row = json["findings"]["new"]
        .as_array()
        .and_then(|new| new.iter().find(|f| f["rule"] == "T6.row"))
        .expect("T6.row is new");
    assert_eq!(
        (&t6_row["table"], &t6_row["code"]),
        (&"basic".into(), &"30101".into())
    );
    assert_eq!(
        json["findings"]["new"].as_array().map(Vec::len),
        Some(INTRODUCED.len())
    );
}
