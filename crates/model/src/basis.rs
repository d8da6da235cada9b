//! A rule's basis: the section of `docs/domain.md` it rests on (`docs/domain.md#anchor`, with
//! the identity ids stated there: `docs/domain.md#classification-hierarchy C27`), and the
//! ministry documents by name. The validator's rules and the target review's rules both cite
//! this way; this module reads a citation once for both — for `docs/rules.md`, which links each
//! cited section, and for the tests that every cited section and id exists in the repository.

/// How a basis cites a section of the repository's domain reference.
pub const CITE: &str = "docs/domain.md#";

/// One cited section: its anchor and the identity ids (`C27`, `N1`) written after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation<'a> {
    pub anchor: &'a str,
    pub ids: Vec<&'a str>,
}

/// The sections a basis cites, in order (`"…#target-tables N20; 财预〔2021〕101号"` → one).
pub fn citations(basis: &str) -> Vec<Citation<'_>> {
    basis
        .split("; ")
        .filter_map(|part| part.strip_prefix(CITE))
        .map(|cited| {
            let (anchor, ids) = cited.split_once(' ').unwrap_or((cited, ""));
            let ids = ids
                .split([',', ' ', '–'])
                .filter(|id| {
                    id.len() > 1
                        && id.starts_with(['C', 'N'])
                        && id[1..].bytes().all(|b| b.is_ascii_digit())
                })
                .collect();
            Citation { anchor, ids }
        })
        .collect()
}

/// A basis as the generated docs print it: each cited section a link relative to `docs/`,
/// the ids and the ministry documents as text.
pub fn markdown(basis: &str) -> String {
    basis
        .split("; ")
        .map(|part| match part.strip_prefix(CITE) {
            Some(cited) => match cited.split_once(' ') {
                Some((anchor, ids)) => format!("[{anchor}](domain.md#{anchor}) {ids}"),
                None => format!("[{cited}](domain.md#{cited})"),
            },
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The anchor GitHub gives a Markdown heading: lower case, spaces as hyphens, punctuation
/// dropped.
pub fn github_anchor(heading: &str) -> String {
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

/// Each section of a Markdown document by anchor: the text from its heading to the next one.
pub fn sections(markdown: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in markdown.lines() {
        if line.starts_with('#') {
            out.push((github_anchor(line), String::new()));
        } else if let Some((_, text)) = out.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    out
}

/// Whether `text` names identity `id` as a whole word (`C1` is not `C11`).
pub fn names_identity(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// What is wrong with `basis` against the domain reference `domain_md` (its text): no section
/// cited, a `domain.md` cited outside `docs/`, a cited section that is not a heading, an id the
/// section does not state. Empty when the basis resolves inside the repository.
pub fn problems(basis: &str, domain_md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let cited = citations(basis);
    if cited.is_empty() {
        out.push(format!("`{basis}` cites no section of docs/domain.md"));
    }
    for (at, _) in basis.match_indices("domain.md") {
        if !(basis[..at].ends_with("docs/") && basis[at..].starts_with("domain.md#")) {
            out.push(format!(
                "`{basis}` cites a bare domain.md; cite docs/domain.md#<section>"
            ));
        }
    }
    let sections = sections(domain_md);
    for c in cited {
        let Some((_, text)) = sections.iter().find(|(a, _)| a == c.anchor) else {
            out.push(format!("docs/domain.md has no heading #{}", c.anchor));
            continue;
        };
        for id in c.ids {
            if !names_identity(text, id) {
                out.push(format!("docs/domain.md#{} does not state {id}", c.anchor));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_githubs_anchors() {
        let cases = [
            ("## Totals of Tables 1 and 4", "totals-of-tables-1-and-4"),
            (
                "### Units, rounding and intervals",
                "units-rounding-and-intervals",
            ),
            ("# The 9-table template", "the-9-table-template"),
        ];
        for (heading, anchor) in cases {
            assert_eq!(github_anchor(heading), anchor, "{heading}");
        }
    }

    #[test]
    fn a_basis_resolves_only_to_stated_sections_and_ids() {
        let domain = "# Reference\n## Cross-table identities\nC1: 表1 总计.\nC27: hierarchy.\n";
        let cases: [(&str, usize); 6] = [
            ("docs/domain.md#cross-table-identities C27", 0),
            (
                "docs/domain.md#cross-table-identities C1, C27; 预算法第十四条",
                0,
            ),
            ("docs/domain.md#cross-table-identities C2", 1),
            ("docs/domain.md#nowhere", 1),
            ("domain.md §5", 2),
            ("《预算法》第十四条", 1),
        ];
        for (basis, n) in cases {
            assert_eq!(
                problems(basis, domain).len(),
                n,
                "{basis}: {:?}",
                problems(basis, domain)
            );
        }
        assert!(!names_identity("C11 only", "C1"));
    }

    #[test]
    fn a_basis_is_printed_with_links_into_docs_domain_md() {
        assert_eq!(
            markdown("docs/domain.md#classification-hierarchy C27; 财预〔2016〕143号"),
            "[classification-hierarchy](domain.md#classification-hierarchy) C27; 财预〔2016〕143号"
        );
    }
}
