//! The `Y.*` rules on consecutive-year pairs from `budgetflow_synth::consecutive_years`:
//! consistent pairs report nothing year over year, and every planted inconsistency is
//! reported with both figures and both documents' places.

use budgetflow_synth::{consecutive_years, Plant};
use budgetflow_validate::{validate_with, Finding, Previous};

/// Several seeds and departments, and every year the corpus draws; seed 42's department 8
/// has no 公务用车运行费 in either year (a blank 表10 cell).
const PAIRS: [(u64, usize, i32); 9] = [
    (1, 0, 2025),
    (42, 8, 2025),
    (1, 1, 2025),
    (7, 2, 2026),
    (7, 3, 2025),
    (42, 0, 2024),
    (42, 5, 2025),
    (2025, 1, 2025),
    (2025, 4, 2026),
];

fn y_findings(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.rule.id.starts_with("Y."))
        .collect()
}

#[test]
fn consistent_pairs_report_nothing_year_over_year() {
    for (seed, index, year) in PAIRS {
        let pair = consecutive_years(seed, index, year, &[]);
        assert!(pair.planted.is_empty());
        assert_eq!(
            pair.previous.identity.department,
            pair.current.identity.department
        );
        let with = validate_with(&pair.current, Previous::Found(&pair.previous)).findings;
        assert!(
            y_findings(&with).is_empty(),
            "seed {seed} index {index} {year}: {:#?}",
            y_findings(&with)
        );
        // the comparisons are made: this year's own figures as last year's contradict many
        let mut itself = pair.current.clone();
        itself.identity.fiscal_year = pair.previous.identity.fiscal_year;
        let against_itself = validate_with(&pair.current, Previous::Found(&itself)).findings;
        let contradicted = against_itself
            .iter()
            .filter(|f| f.rule.id == "Y.stated-change")
            .count();
        assert!(
            contradicted >= 5,
            "seed {seed} index {index}: {contradicted}"
        );
        // and nothing else changes: the other findings are those made without last year
        let alone = validate_with(&pair.current, Previous::NotSought).findings;
        let others: Vec<_> = with
            .iter()
            .filter(|f| !f.rule.id.starts_with("Y."))
            .collect();
        assert_eq!(
            others,
            alone.iter().collect::<Vec<_>>(),
            "seed {seed} index {index}"
        );
    }
}

#[test]
fn every_planted_inconsistency_is_reported_with_both_figures_and_places() {
    let mut reported = 0;
    for (seed, index, year) in PAIRS {
        let pair = consecutive_years(seed, index, year, &Plant::ALL);
        // every plant finds something to change in these departments
        assert_eq!(
            pair.planted.iter().map(|p| p.plant).collect::<Vec<_>>(),
            Plant::ALL,
            "seed {seed} index {index}"
        );
        let findings = validate_with(&pair.current, Previous::Found(&pair.previous)).findings;
        for planted in &pair.planted {
            let f = findings
                .iter()
                .find(|f| {
                    f.rule.id == planted.rule
                        && f.location.name.as_deref() == Some(planted.subject.as_str())
                })
                .unwrap_or_else(|| {
                    panic!(
                        "seed {seed} index {index}: {} ({}) not reported: {:#?}",
                        planted.rule,
                        planted.changed,
                        y_findings(&findings)
                    )
                });
            // both figures: last year's and the one this year implies or prints
            let (expected, actual) = (f.expected.as_ref(), f.actual.as_ref());
            assert!(expected.is_some() && actual.is_some(), "{f:#?}");
            assert_ne!(expected, actual, "{f:#?}");
            // both places: this year's (the finding's own) and last year's (its detail)
            let detail = f.detail.as_ref().expect("last year's place");
            assert!(detail.zh.contains("上年文件"), "{}", detail.zh);
            assert!(detail.en.contains("last year's"), "{}", detail.en);
            reported += 1;
        }
    }
    assert_eq!(reported, PAIRS.len() * Plant::ALL.len());
}

#[test]
fn each_plant_alone_is_reported_alone() {
    // one plant at a time: its rule, and no other continuity warning or headcount error
    let (seed, index, year) = PAIRS[0];
    for plant in Plant::ALL {
        let pair = consecutive_years(seed, index, year, &[plant]);
        assert_eq!(pair.planted.len(), 1);
        let findings = validate_with(&pair.current, Previous::Found(&pair.previous)).findings;
        let rules: std::collections::BTreeSet<_> =
            y_findings(&findings).iter().map(|f| f.rule.id).collect();
        assert!(rules.contains(plant.rule()), "{plant:?}: {rules:?}");
        let expected_rules: &[&str] = match plant {
            // 公务用车运行费 enters the 三公 total, whose stated change is off by as much
            Plant::StatedChange => &["Y.stated-change", "Y.stated-rate"],
            _ => &[plant.rule()],
        };
        assert!(
            rules.iter().all(|r| expected_rules.contains(r)),
            "{plant:?}: {rules:?}"
        );
    }
}
