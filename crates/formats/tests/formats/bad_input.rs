//! Bad input gets a clear error, never a panic, and memory stays bounded.

use budgetflow_formats::{read_any, read_path, ReadError};
use proptest::prelude::*;

use crate::SAMPLE;

#[test]
fn empty_and_blank_inputs() {
    assert!(matches!(read_any(b""), Err(ReadError::Empty)));
    assert!(matches!(read_any(b"\n\n  \r\n"), Err(ReadError::Empty)));
}

#[test]
fn binary_input_names_the_offset() {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    let err = read_any(&bytes).unwrap_err();
    assert!(matches!(err, ReadError::Binary { offset: 6, .. }), "{err}");
    assert!(err.to_string().contains("binary"));
}

#[test]
fn text_that_is_not_a_disclosure() {
    let err = read_any("hello\nworld\n".as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("expected a title with the fiscal year"),
        "{err}"
    );
}

#[test]
fn truncated_mid_table_is_reported_with_its_line() {
    let cut =
        SAMPLE.find("机动车智能服务平台终止资产评").unwrap() + "机动车智能服务平台终止资产评".len();
    let err = read_any(&SAMPLE.as_bytes()[..cut]).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ReadError::Layout { line: 332, .. }), "{msg}");
    assert!(
        msg.contains("truncated") || msg.contains("cut off"),
        "{msg}"
    );
}

#[test]
fn truncated_at_a_line_end_still_parses_with_tables_missing() {
    let cut = SAMPLE.find("表 8").unwrap();
    let doc = read_any(&SAMPLE.as_bytes()[..cut]).unwrap();
    assert!(doc.tables.projects.is_some());
    assert!(doc.tables.gov_fund.is_none() && doc.tables.carry_over.is_none());
    assert!(doc.narrative.sections.is_empty());
}

#[test]
fn a_malformed_amount_names_line_column_and_text() {
    let bad = SAMPLE.replace(
        "302\t17\t公务接待费\t0.30\t\t0.30",
        "302\t17\t公务接待费\t0.3O\t\t0.30",
    );
    let err = read_any(bad.as_bytes()).unwrap_err().to_string();
    assert!(
        err.contains("表6") && err.contains("合计") && err.contains("0.3O"),
        "{err}"
    );
    assert!(err.starts_with("line 304:"), "{err}");
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let dir = std::env::temp_dir().join(format!("budgetflow-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.txt");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap(); // sparse: 100 MB without writing them
    let err = read_path(&path).unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        matches!(
            err,
            ReadError::TooLarge {
                size: 104_857_600,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_missing_file_says_which() {
    let err = read_path(std::path::Path::new("/nonexistent/budget.txt"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/nonexistent/budget.txt"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = read_any(&bytes);
    }

    #[test]
    fn mutated_sample_never_panics(cut in 0usize..SAMPLE.len(), insert in "[\\t\\n0-9,.表、（）一二三四五：%>=≤ -]{0,12}") {
        let mut s = SAMPLE.as_bytes().to_vec();
        let cut = cut.min(s.len());
        s.splice(cut..cut, insert.bytes());
        let _ = read_any(&s);
    }

    #[test]
    fn any_prefix_of_the_sample_never_panics(cut in 0usize..SAMPLE.len()) {
        let _ = read_any(&SAMPLE.as_bytes()[..cut]);
    }
}
