//! `docs/rules.md`: the validator's catalog and the target review's in one generated file, and
//! one id space across both (a finding names its rule by id alone).

use std::collections::HashSet;

use budgetflow_model::rule::{rules_markdown, Check, Rule};

/// Every rule of both catalogs, the validator's first.
fn both_catalogs() -> Vec<&'static Rule> {
    budgetflow_validate::catalog::ALL
        .iter()
        .chain(budgetflow_score::review::catalog::ALL)
        .copied()
        .collect()
}

#[test]
fn docs_rules_md_is_generated_from_both_catalogs() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md");
    let generated = rules_markdown(&both_catalogs());
    if std::env::var_os("BUDGETFLOW_REGENERATE_DOCS").is_some() {
        std::fs::write(path, &generated).expect("write docs/rules.md");
        return;
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/rules.md is out of date: run `BUDGETFLOW_REGENERATE_DOCS=1 cargo test -p budgetflow-score docs_rules_md`"
    );
    for (rule, check) in [
        ("`T6.hierarchy`", "## Validation"),
        ("`P.weights`", "## Target review"),
    ] {
        let (at, heading) = (generated.find(rule), generated.find(check));
        assert!(heading.is_some() && at > heading, "{rule} under {check}");
    }
}

#[test]
fn rule_ids_are_unique_across_both_catalogs() {
    let mut seen = HashSet::new();
    for r in both_catalogs() {
        assert!(seen.insert(r.id), "two rules are named {}", r.id);
    }
    for r in budgetflow_score::review::catalog::ALL {
        assert_eq!(r.check(), Check::TargetReview, "{}", r.id);
        assert_eq!(budgetflow_validate::rule(r.id), None, "{}", r.id);
    }
}
