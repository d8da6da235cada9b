//! `budgetflow parse FILE` → canonical JSON on stdout.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use budgetflow_model::Lang;

pub fn run(file: &Path, compact: bool, lang: Lang) -> ExitCode {
    let doc = match super::read(file, lang) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let json = if compact {
        budgetflow_formats::json::write_compact(&doc)
    } else {
        budgetflow_formats::json::write(&doc)
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{json}").is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
