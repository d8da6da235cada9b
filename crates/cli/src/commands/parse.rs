//! `budgetflow parse FILE` → canonical JSON on stdout.

use std::path::Path;

use crate::exit::{CliError, Outcome};

pub fn run(file: &Path, compact: bool) -> Result<Outcome, CliError> {
    let doc = super::read(file)?;
    let json = if compact {
        budgetflow_formats::json::write_compact(&doc)
    } else {
        budgetflow_formats::json::write(&doc)
    };
    let mut out = crate::output::stdout_buffered();
    out.line(json)?;
    out.finish()?;
    Ok(Outcome::Clean)
}
