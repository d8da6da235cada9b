//! `budgetflow validate FILE... [--format text|json] [--lang zh|en]`.
//!
//! Every file is read and checked even when an earlier one fails; the exit code is the worst
//! outcome: 2 if any input could not be read, else 1 if any has an error, else 0.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use budgetflow_model::Lang;

use crate::args::Format;

pub fn run(files: &[PathBuf], format: Format, lang: Lang) -> ExitCode {
    let mut out = BufWriter::new(std::io::stdout().lock());
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
                        let _ = writeln!(out, "{line}");
                    }
                    Format::Text => {
                        eprintln!(
                            "{}: {name}: {}",
                            lang.pick("无法读取", "cannot read"),
                            e.message(lang)
                        )
                    }
                }
                continue;
            }
        };
        let report = budgetflow_validate::validate(&doc);
        with_errors |= report.has_errors();
        let written = match format {
            Format::Json => writeln!(out, "{}", report.to_json_line(&name, lang)),
            Format::Text => write!(out, "{}", report.render_text(&name, lang)),
        };
        if written.is_err() {
            return ExitCode::FAILURE;
        }
    }
    let _ = out.flush();
    if unreadable {
        ExitCode::from(super::UNREADABLE)
    } else if with_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
