//! # budgetflow-validate
//!
//! Checks a budget disclosure (部门预算公开) the way a careful reviewer at the finance bureau
//! would: do the tables add up, do the same figures agree across tables, does the text say what
//! the tables say, are the codes right, is anything missing, is anything classified exposed.
//!
//! - [`catalog`] declares every rule once (id, severity, titles, reason) with the model's
//!   [`budgetflow_model::rules!`]; `docs/rules.md` is generated from it and the target review's
//!   catalog by [`budgetflow_model::rule::rules_markdown`].
//! - [`rules`] holds the checks, one module per family.
//! - [`template`] says which columns and lines the document's own template prints, so that a
//!   rule runs only where its figures exist (the 11-table and the 9-table template alike).
//! - [`tolerance`] implements rounding done right: printed figures are intervals, so drift
//!   within rounding is an `info` finding (取整差异), never an error.
//! - [`validate`] runs everything and returns a [`Report`], which renders as text for a reviewer
//!   or as the JSON line of `budgetflow validate --format json`.
//! - [`diff()`] compares two versions of a disclosure by meaning: changed cells, paragraphs and
//!   the findings resolved, new and still open (`budgetflow diff OLD NEW`).

pub mod catalog;
pub mod diff;
pub mod engine;
pub mod finding;
#[cfg(feature = "stage")]
pub mod previous;
pub mod report;
pub mod rule;
pub mod rules;
#[cfg(feature = "stage")]
pub mod stage;
pub mod template;
pub mod tolerance;

pub use catalog::rule;
pub use diff::{diff, VersionDiff};
pub use engine::Previous;
pub use finding::{Addend, Figure, Finding, Location, Place};
pub use report::Report;
pub use rule::{Check, Family, Lang, Rule, Severity, UnknownLang};

use budgetflow_model::Document;

/// Validates `doc` against every rule of the catalog (not against last year's disclosure:
/// see [`validate_with`]).
pub fn validate(doc: &Document) -> Report {
    validate_with(doc, Previous::NotSought)
}

/// Validates `doc` against every rule of the catalog and, when the department's disclosure of
/// the year before was looked for, against it (the `Y.*` rules).
pub fn validate_with(doc: &Document, previous: Previous<'_>) -> Report {
    let mut checker = engine::Checker::new(doc, previous);
    rules::run_all(&mut checker);
    for f in &mut checker.findings {
        f.location.page = page_of(doc, f);
    }
    Report::new(doc, checker.findings)
}

/// Where a finding is printed: the page of its row, else of its table or section. Resolved
/// once here, from the place and row the rule named, so that no rule tracks pages.
fn page_of(doc: &Document, f: &Finding) -> Option<u32> {
    match f.place {
        Place::Table(kind) => {
            doc.tables
                .page_of(kind, f.location.code.as_deref(), f.location.name.as_deref())
        }
        Place::Section(topic) => doc
            .narrative
            .section(topic)
            .and_then(|s| s.paragraphs().find_map(|p| p.page)),
        Place::Overview | Place::Targets | Place::Glossary | Place::Document => None,
    }
}
