//! Integration tests of budgetflow-score on the Urumqi MIIT 2025 sample: the review of its 12
//! target tables, achievement scoring by hand-computed examples, bad actuals, rendering, and
//! the basis each review rule cites, and `docs/rules.md` generated from this crate's catalog and
//! the validator's.

mod achievement;
mod bad_actuals;
mod basis;
mod render;
mod review;
mod rules;

use budgetflow_model::Document;

pub fn sample() -> Document {
    budgetflow_formats::text::read_str(include_str!("../../../../samples/urumqi-miit-2025.txt"))
        .expect("the sample parses")
}

pub fn d(s: &str) -> rust_decimal::Decimal {
    s.parse().expect("a decimal")
}
