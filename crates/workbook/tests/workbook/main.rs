//! The workbook's contract: documents round-trip through it, the template is what a department
//! needs, bad cells and zip bombs are refused with errors that say where and which limit.

mod archive;
mod bad_input;
mod limits;
mod round_trip;
mod template;

/// The bundled real disclosure, parsed.
pub fn sample() -> budgetflow_model::Document {
    let text = include_str!("../../../../samples/urumqi-miit-2025.txt");
    budgetflow_formats::text::read_str(text).expect("the sample parses")
}
