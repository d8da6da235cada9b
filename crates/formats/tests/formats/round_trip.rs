//! `read(write(doc)) == doc` and JSON → model → JSON.

use crate::sample;
use budgetflow_formats::{json, text};

#[test]
fn sample_survives_write_then_read() {
    let doc = sample();
    let written = text::write(&doc);
    let again = text::read_str(&written).unwrap_or_else(|e| panic!("re-reading the written sample: {e}\n{written}"));
    if again != doc {
        let (a, b) = (json::write(&doc), json::write(&again));
        let first = a.lines().zip(b.lines()).enumerate().find(|(_, (x, y))| x != y);
        panic!("round trip differs at JSON line {first:?}");
    }
}

#[test]
fn sample_survives_json() {
    let doc = sample();
    let j = json::write(&doc);
    let back = json::read_str(&j).unwrap();
    assert_eq!(back, doc);
    assert_eq!(json::write(&back), j);
}

#[test]
fn crlf_and_bom_read_the_same() {
    let crlf = format!("\u{feff}{}", crate::SAMPLE.replace('\n', "\r\n"));
    assert_eq!(budgetflow_formats::read_any(crlf.as_bytes()).unwrap(), sample());
}

#[test]
fn gb18030_reads_the_same() {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(crate::SAMPLE);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "the test input must really be GB18030");
    assert_eq!(budgetflow_formats::read_any(&bytes).unwrap(), sample());
}
