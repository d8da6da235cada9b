//! `read(write(doc)) == doc` and JSON → model → JSON.

use crate::sample;
use budgetflow_formats::{json, text};

#[test]
fn sample_survives_write_then_read() {
    let doc = sample();
    let written = text::write(&doc);
    let again = text::read_str(&written)
        .unwrap_or_else(|e| panic!("re-reading the written sample: {e}\n{written}"));
    if again != doc {
        let (a, b) = (json::write(&doc), json::write(&again));
        let first = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .find(|(_, (x, y))| x != y);
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
    assert_eq!(
        budgetflow_formats::read_any(crlf.as_bytes()).unwrap(),
        sample()
    );
}

#[test]
fn gb18030_reads_the_same() {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(crate::SAMPLE);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the test input must really be GB18030"
    );
    assert_eq!(budgetflow_formats::read_any(&bytes).unwrap(), sample());
}

mod synthetic {
    use budgetflow_formats::{json, text};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Any synthetic disclosure survives write → read, and JSON → model → JSON.
        #[test]
        fn synthetic_documents_round_trip(seed in any::<u64>(), index in 0usize..500) {
            let doc = budgetflow_synth::document(seed, index);
            let again = text::read_str(&text::write(&doc)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&again, &doc);
            let j = json::write(&doc);
            let back = json::read_str(&j).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back, &doc);
            prop_assert_eq!(json::write(&back), j);
        }
    }

    /// Synthetic documents are varied: classified projects, several units, with and without carry-over.
    #[test]
    fn the_corpus_covers_the_cases_that_matter() {
        let docs: Vec<_> = budgetflow_synth::corpus(11, 40).collect();
        let classified = docs
            .iter()
            .filter(|d| d.narrative.projects().any(|p| p.name.is_classified()))
            .count();
        let multi_unit = docs.iter().filter(|d| d.overview.units.len() > 1).count();
        let carry = docs
            .iter()
            .filter(|d| {
                d.tables
                    .carry_over
                    .as_ref()
                    .is_some_and(|t| !t.rows.is_empty())
            })
            .count();
        assert!(classified > 0 && classified < docs.len(), "{classified}");
        assert!(multi_unit > 0, "{multi_unit}");
        assert!(carry > 0 && carry < docs.len(), "{carry}");
    }
}
