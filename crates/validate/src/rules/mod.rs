//! The checks, one module per rule family. Each module exposes `check(&mut Checker)`.

pub mod arithmetic;
pub mod classification;
pub mod completeness;
pub mod cross_table;
pub mod narrative;
pub mod other_matters;
pub mod performance;
pub mod redaction;
pub mod subjects;
pub mod year_over_year;

use crate::engine::Checker;

/// Runs every family, in the order a reviewer reads: completeness first, then the tables, the
/// text, the other matters, the performance targets and redaction.
pub fn run_all(ck: &mut Checker) {
    completeness::check(ck);
    arithmetic::check(ck);
    cross_table::check(ck);
    classification::check(ck);
    narrative::check(ck);
    other_matters::check(ck);
    performance::check(ck);
    redaction::check(ck);
    year_over_year::check(ck);
}
