//! The basis of every review rule: a section of `docs/domain.md` that exists in the repository,
//! named again beside the rule in `docs/scoring.md`.

use budgetflow_score::review::catalog::ALL;

const CITE: &str = "docs/domain.md#";

fn read(doc: &str) -> String {
    let path = format!("{}/../../docs/{doc}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The anchor GitHub gives a Markdown heading: lower case, spaces as hyphens, punctuation
/// dropped.
fn github_anchor(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The sections a basis cites (`docs/domain.md#target-tables N20` → `target-tables`).
fn cited_anchors(basis: &str) -> Vec<&str> {
    basis
        .split("; ")
        .filter_map(|part| part.strip_prefix(CITE))
        .map(|cited| cited.split(' ').next().unwrap_or(cited))
        .collect()
}

#[test]
fn every_basis_cites_a_heading_of_docs_domain_md() {
    let domain = read("domain.md");
    let anchors: Vec<String> = domain
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(github_anchor)
        .collect();
    for rule in ALL {
        let cited = cited_anchors(rule.basis);
        assert!(
            !cited.is_empty(),
            "{}: `{}` cites no section",
            rule.id,
            rule.basis
        );
        for anchor in cited {
            assert!(
                anchors.iter().any(|a| a == anchor),
                "{}: docs/domain.md has no heading #{anchor}",
                rule.id
            );
        }
    }
}

#[test]
fn no_basis_cites_a_domain_md_outside_the_repository() {
    for rule in ALL {
        for (at, _) in rule.basis.match_indices("domain.md") {
            assert!(
                rule.basis[..at].ends_with("docs/") && rule.basis[at..].starts_with("domain.md#"),
                "{}: `{}` cites a bare domain.md; cite docs/domain.md#<section>",
                rule.id,
                rule.basis
            );
        }
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
        for anchor in cited_anchors(rule.basis) {
            assert!(
                row.contains(&format!("(domain.md#{anchor})")),
                "docs/scoring.md: the row of {} does not link domain.md#{anchor}",
                rule.id
            );
        }
    }
}
