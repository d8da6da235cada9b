//! The basis of every review rule: a section of `docs/domain.md` that exists in the repository,
//! named again beside the rule in `docs/scoring.md`.

use budgetflow_score::review::catalog::ALL;

fn read(doc: &str) -> String {
    let path = format!("{}/../../docs/{doc}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every review rule cites a section of docs/domain.md that exists (and states the identities it
/// names), and no `domain.md` outside the repository.
#[test]
fn every_basis_cites_a_heading_of_docs_domain_md() {
    let domain = read("domain.md");
    for rule in ALL {
        let problems = budgetflow_model::basis::problems(rule.basis, &domain);
        assert!(problems.is_empty(), "{}: {problems:?}", rule.id);
    }
}

#[test]
fn docs_scoring_md_links_each_rule_to_its_basis() {
    let scoring = read("scoring.md");
    for rule in ALL {
        let row = scoring
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", rule.id)))
            .unwrap_or_else(|| panic!("docs/scoring.md has no row for {}", rule.id));
        for anchor in budgetflow_model::basis::citations(rule.basis)
            .iter()
            .map(|c| c.anchor)
        {
            assert!(
                row.contains(&format!("(domain.md#{anchor})")),
                "docs/scoring.md: the row of {} does not link domain.md#{anchor}",
                rule.id
            );
        }
    }
}
