//! `budgetflow facts FILE` → every printed number of tables 1–11 as JSON lines.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use budgetflow_model::Lang;

pub fn run(file: &Path, lang: Lang) -> ExitCode {
    let doc = match super::read(file, lang) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    for fact in budgetflow_formats::facts::facts(&doc) {
        let line = serde_json::to_string(&fact).expect("a fact always serialises");
        if writeln!(out, "{line}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
