//! # budgetflow-synth
//!
//! Realistic, internally consistent synthetic budget disclosures (部门预算公开) for tests,
//! demos and benchmarks, deterministic for a seed.
//!
//! A document is built bottom-up: the department and its budget units
//! (`department`), the money per functional 项 and economic 款 (`budget`), the eleven
//! tables as roll-ups of that money (`tables`), the narrative stating the same figures
//! (`narrative`, `reasons`, `matters`), performance targets (`targets`) and the
//! glossary. Every cross-table identity of `docs/domain.md#cross-table-identities` holds
//! exactly because every total is a sum of the cents below it.
//!
//! What varies from document to document (see [`Shape`]): the kind of department and its
//! place, the number of subordinate institutions, classified projects (特定目标), carry-over
//! (表11), where insurance and housing-fund contributions are booked, and the budget year.
//! 表8/表9 are always empty, with the sample's 空表说明.
//!
//! ```
//! let doc = budgetflow_synth::document(2025, 0); // department 0 of the corpus for seed 2025
//! assert!(doc.tables.projects.is_some());
//! assert_eq!(budgetflow_synth::corpus(2025, 3).count(), 3);
//! ```
//!
//! [`document`] is [`draft`] with what its words state derived ([`published`]), so that the
//! statements of every paragraph and the other matters are what any reader derives; [`draft`]
//! itself leaves them empty. The text export of a document reads back as the same document.
//!
//! [`consecutive_years`] makes a department's disclosures of two consecutive years, each
//! stated change of the later one derived from the figures the earlier one prints, and can
//! plant year-over-year inconsistencies in them ([`Plant`]), each named with what it changed.

mod budget;
mod classified;
mod department;
mod glossary;
mod matters;
mod money;
mod narrative;
mod profiles;
mod reasons;
mod tables;
mod targets;
mod years;

use budgetflow_model::{Document, DocumentKind, FiscalYear};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::budget::Budget;
use crate::department::Department;
use crate::matters::Matters;

pub use crate::years::{consecutive_years, Consecutive, Plant, Planted};

/// What a synthetic document contains. [`Shape::draw`] picks one per document; set the
/// fields by hand to force a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub year: i32,
    /// Subordinate institutions (事业单位) besides the bureau, capped by the department kind.
    pub institutions: usize,
    /// Classified current-year projects (特定目标 …).
    pub classified_projects: usize,
    /// Whether there is carry-over (表11 and 二、上年结转结余).
    pub carry_over: bool,
    /// Medical insurance and housing fund under 210/221 instead of 行政运行/事业运行.
    pub separate_insurance: bool,
}

impl Shape {
    pub fn draw(rng: &mut impl Rng) -> Shape {
        Shape {
            year: *[2024, 2025, 2025, 2025, 2026]
                .get(rng.random_range(0..5))
                .unwrap_or(&2025),
            institutions: rng.random_range(0..=3),
            classified_projects: if rng.random_bool(0.4) {
                rng.random_range(1..=3)
            } else {
                0
            },
            carry_over: rng.random_bool(0.7),
            separate_insurance: rng.random_bool(0.4),
        }
    }
}

/// The random stream of document `index` for `seed`: independent of every other index.
fn stream(seed: u64, index: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    rng
}

/// The shape document `index` of the corpus for `seed` has.
pub fn shape(seed: u64, index: usize) -> Shape {
    Shape::draw(&mut stream(seed, index))
}

/// Document `index` of the corpus for `seed`, as generated (statements not yet extracted).
pub fn draft(seed: u64, index: usize) -> Document {
    let mut rng = stream(seed, index);
    let shape = Shape::draw(&mut rng);
    build(&mut rng, seed, index, &shape)
}

/// Document `index` for `seed` with a forced shape.
pub fn draft_with(seed: u64, index: usize, shape: &Shape) -> Document {
    let mut rng = stream(seed, index);
    Shape::draw(&mut rng);
    build(&mut rng, seed, index, shape)
}

fn build(rng: &mut ChaCha8Rng, seed: u64, index: usize, shape: &Shape) -> Document {
    let dept = Department::draw(rng, seed, index, shape);
    let budget = Budget::draw(rng, &dept, shape);
    let matters = Matters::draw(rng, &dept, &budget);
    assemble(rng, &dept, &budget, &matters)
}

/// The document of a department, its money and its other matters.
fn assemble(
    rng: &mut ChaCha8Rng,
    dept: &Department,
    budget: &Budget,
    matters: &Matters,
) -> Document {
    let performance = targets::blocks(rng, dept, budget);
    let year = FiscalYear::new(dept.year).unwrap_or_else(|e| panic!("{e}"));
    let mut doc = Document::new(dept.name.clone(), year, DocumentKind::DepartmentBudget);
    doc.identity.signature = Some(dept.name.clone());
    doc.overview = dept.overview();
    doc.tables = tables::build(dept, budget);
    doc.narrative.sections = narrative::sections(narrative::Inputs {
        dept,
        budget,
        matters,
        performance,
    });
    doc.glossary = glossary::entries();
    doc
}

/// Department number `index` of the corpus for `seed`: the draft with what its words state
/// derived, so that the statements of every paragraph and the other matters are exactly what
/// a reader derives from them.
pub fn document(seed: u64, index: usize) -> Document {
    published(draft(seed, index))
}

/// [`document`] `index`, of fiscal year `year` whatever year its shape drew. The corpus names
/// only so many departments, so a long one comes round to each again: in a corpus of one
/// year, a department that comes round submits a new version of that year, never a "last
/// year" that the year-over-year rules would compare with an unrelated draw and reject.
pub fn document_of_year(seed: u64, index: usize, year: i32) -> Document {
    let shape = Shape {
        year,
        ..shape(seed, index)
    };
    published(draft_with(seed, index, &shape))
}

/// `draft` as a reader sees it after publication: every derived field filled from its words
/// by the derivation every reader uses ([`budgetflow_formats::derive::derive`]).
pub fn published(mut draft: Document) -> Document {
    budgetflow_formats::derive::derive(&mut draft);
    draft
}

/// The first `n` documents of the corpus for `seed`.
pub fn corpus(seed: u64, n: usize) -> impl Iterator<Item = Document> {
    (0..n).map(move |i| document(seed, i))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// What the text reader guarantees: the text export of a published document reads back as
    /// that document, derived fields and all.
    #[test]
    fn the_text_export_of_a_published_document_reads_back_as_it() {
        for index in 0..12 {
            let doc = document(21, index);
            let text = budgetflow_formats::text::write(&doc);
            let read = budgetflow_formats::text::read_str(&text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(read, doc, "document {index}");
        }
    }

    /// The derived fields of a published document are the ones a reader of its text export
    /// derives: statements in every paragraph, the other matters of section 十二.
    #[test]
    fn publication_derives_the_statements_and_other_matters() {
        let d = draft(21, 0);
        let p = published(d.clone());
        let statements = |doc: &Document| {
            doc.narrative
                .sections
                .iter()
                .flat_map(|s| s.statements())
                .count()
        };
        assert_eq!(statements(&d), 0);
        assert!(statements(&p) > 50, "{} statements", statements(&p));
        assert_ne!(p.other_matters, d.other_matters);
        assert!(p.other_matters.procurement.is_some());
    }

    /// A corpus long enough to come round to a department again: in a corpus of one year the
    /// department submits that year again (a new version), whatever year its shape drew.
    #[test]
    fn a_department_that_comes_round_in_a_corpus_of_one_year_submits_that_year_again() {
        let cycle = profiles::PROFILES.len() * profiles::PLACES.len();
        let (first, again) = (
            document_of_year(21, 3, 2025),
            document_of_year(21, 3 + cycle, 2025),
        );
        assert_eq!(first.identity.department, again.identity.department);
        assert_ne!(first, again, "a new draw, not the same disclosure");
        let years: Vec<i32> = [first, again]
            .iter()
            .map(|doc| doc.identity.fiscal_year.get())
            .collect();
        assert_eq!(years, [2025, 2025]);
        let drawn: BTreeSet<i32> = (0..40).map(|index| shape(21, index).year).collect();
        assert!(drawn.len() > 1, "the shapes draw other years: {drawn:?}");
    }
}
