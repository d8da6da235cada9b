//! `budgetflow template --year Y [--out FILE]` → the empty XLSX workbook a department fills.

use std::path::Path;

use budgetflow_model::FiscalYear;

use crate::exit::{CliError, Outcome};

pub fn run(year: FiscalYear, out: Option<&Path>) -> Result<Outcome, CliError> {
    let bytes = budgetflow_workbook::template(year)
        .map_err(|e| CliError::failed(|lang| e.message(lang)))?;
    super::export::emit(&bytes, out)
}
