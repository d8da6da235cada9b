//! `budgetflow validate FILE... [--previous FILE] [--format text|json] [--lang zh|en]`.
//!
//! Every file is read and checked even when an earlier one fails; the result is the worst
//! outcome: unreadable (exit 2) if any input could not be read, else findings (exit 1) if any
//! has an error, else clean (exit 0). With `--previous`, each file is also checked against the
//! department's disclosure of the year before (an unreadable one is exit 2 before any file).

use std::path::{Path, PathBuf};

use budgetflow_model::Lang;
use budgetflow_validate::Previous;

use crate::args::Format;
use crate::exit::{CliError, ErrorKind, Outcome};

pub fn run(
    files: &[PathBuf],
    format: Format,
    previous: Option<&Path>,
    lang: Lang,
) -> Result<Outcome, CliError> {
    let previous = previous
        .map(|file| {
            super::read_path(file).map_err(|e| super::cannot_read(file, |lang| e.message(lang)))
        })
        .transpose()?;
    let previous = previous
        .as_ref()
        .map_or(Previous::NotSought, Previous::Found);
    let mut out = crate::output::stdout_buffered();
    let (mut unreadable, mut with_errors) = (false, false);
    for file in files {
        let name = file.display().to_string();
        let doc = match super::read_path(file) {
            Ok(d) => d,
            Err(e) => {
                unreadable = true;
                match format {
                    Format::Json => {
                        let line = serde_json::json!({"file": name, "error": e.message(lang), "errors": null, "warnings": null, "findings": []});
                        out.line(line)?;
                    }
                    Format::Text => super::cannot_read(file, |lang| e.message(lang)).report(lang),
                }
                continue;
            }
        };
        let report = budgetflow_validate::validate_with(&doc, previous);
        with_errors |= report.has_errors();
        match format {
            Format::Json => out.line(report.to_json_line(&name, lang))?,
            Format::Text => out.text(&report.render_text(&name, lang))?,
        }
    }
    out.finish()?;
    if unreadable {
        // each unreadable file is named in the report, where it came
        Err(CliError::reported(ErrorKind::Unreadable))
    } else if with_errors {
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Clean)
    }
}
