//! `budgetflow facts FILE` → every printed number of tables 1–11 as JSON lines.

use std::path::Path;

use crate::exit::{CliError, Outcome};

pub fn run(file: &Path) -> Result<Outcome, CliError> {
    let doc = super::read(file)?;
    let mut out = crate::output::stdout_buffered();
    for fact in budgetflow_formats::facts::facts(&doc) {
        out.line(serde_json::to_string(&fact).expect("a fact always serialises"))?;
    }
    out.finish()?;
    Ok(Outcome::Clean)
}
