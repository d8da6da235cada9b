//! Integration tests of the readers and writers, run as one test binary.

mod bad_input;
mod facts;
mod pdf;
mod round_trip;
mod sample;

use budgetflow_model::Document;

pub const SAMPLE: &str = include_str!("../../../../samples/urumqi-miit-2025.txt");

pub fn sample() -> Document {
    budgetflow_formats::text::read_str(SAMPLE).expect("the bundled sample parses")
}

pub fn amount(s: &str) -> budgetflow_model::Amount {
    s.parse().expect("test amount")
}
