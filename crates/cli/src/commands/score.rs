//! `budgetflow score FILE [--actuals FILE] [--format text|json] [--lang zh|en]`: the review
//! of the document's performance targets and, with a year-end actuals report (JSON, or CSV by
//! its `.csv` extension), each project's scorecard. Everything is computed and rendered by
//! `budgetflow-score`; this only reads the files and picks the output.
//!
//! Exit code: 2 if the document or the actuals report cannot be read; 1 if the review finds
//! an error or the actuals report does not fit the targets (every problem is printed, with
//! its project and indicator); 0 otherwise.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use budgetflow_model::Lang;
use budgetflow_score::render::{review_text, scorecards_text, ScoreReport};
use budgetflow_score::ActualsReport;

use crate::args::Format;

pub fn run(file: &Path, actuals: Option<&Path>, format: Format, lang: Lang) -> ExitCode {
    let doc = match super::read(file, lang) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let report = match actuals.map(ActualsReport::read_path).transpose() {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "{}: {e}",
                lang.pick("无法读取完成情况", "cannot read actuals")
            );
            return ExitCode::from(super::UNREADABLE);
        }
    };
    let review = budgetflow_score::review(&doc);
    let scored = report.as_ref().map(|r| budgetflow_score::score(&doc, r));
    let (cards, errors) = match scored {
        None => (None, None),
        Some(Ok(cards)) => (Some(cards), None),
        Some(Err(errors)) => (None, Some(errors)),
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = match format {
        Format::Json => {
            let mut json = ScoreReport {
                review: &review,
                scorecards: cards.as_deref(),
            }
            .to_json();
            if let (Some(errors), Some(o)) = (&errors, json.as_object_mut()) {
                let list = errors
                    .0
                    .iter()
                    .map(|e| serde_json::json!({"zh": e.message(Lang::Zh), "en": e.message(Lang::En)}))
                    .collect();
                o.insert("actuals_errors".into(), serde_json::Value::Array(list));
            }
            writeln!(out, "{json}")
        }
        Format::Text => {
            let mut text = review_text(&review, lang);
            if let Some(cards) = &cards {
                text.push_str(&scorecards_text(cards, lang));
            }
            write!(out, "{text}")
        }
    };
    if written.and_then(|()| out.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    if let (Some(errors), Format::Text) = (&errors, format) {
        eprintln!(
            "{}:\n{}",
            lang.pick(
                "完成情况有误",
                "the actuals report does not fit the targets"
            ),
            errors.render(lang)
        );
    }
    if errors.is_some() || review.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
