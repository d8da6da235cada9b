//! `budgetflow template --year Y [--out FILE]` → the empty XLSX workbook a department fills.

use std::path::Path;
use std::process::ExitCode;

use budgetflow_model::{FiscalYear, Lang};

pub fn run(year: FiscalYear, out: Option<&Path>, lang: Lang) -> ExitCode {
    match budgetflow_workbook::template(year) {
        Ok(bytes) => super::export::emit(&bytes, out, lang),
        Err(e) => {
            eprintln!("{}", e.message(lang));
            ExitCode::FAILURE
        }
    }
}
