//! `budgetflow score FILE [--actuals FILE] [--format text|json] [--lang zh|en]`: the review
//! of the document's performance targets and, with a year-end actuals report (JSON, or CSV by
//! its `.csv` extension), each project's scorecard. Everything is computed and rendered by
//! `budgetflow-score`; this only reads the files and picks the output.
//!
//! Unreadable (exit 2) if the document or the actuals report cannot be read; findings (exit 1)
//! if the review finds an error or the actuals report does not fit the targets (every problem
//! is printed, with its project and indicator); clean (exit 0) otherwise.

use std::path::Path;

use budgetflow_model::Lang;
use budgetflow_score::render::{review_text, scorecards_text, ScoreReport};
use budgetflow_score::ActualsReport;

use crate::args::Format;
use crate::exit::{CliError, Outcome};

pub fn run(
    file: &Path,
    actuals: Option<&Path>,
    format: Format,
    lang: Lang,
) -> Result<Outcome, CliError> {
    let doc = super::read(file)?;
    let report = actuals
        .map(ActualsReport::read_path)
        .transpose()
        .map_err(|e| {
            CliError::unreadable(|lang| {
                format!(
                    "{}: {e}",
                    lang.pick("无法读取完成情况", "cannot read actuals")
                )
            })
        })?;
    let review = budgetflow_score::review(&doc);
    let scored = report.as_ref().map(|r| budgetflow_score::score(&doc, r));
    let (cards, errors) = match scored {
        None => (None, None),
        Some(Ok(cards)) => (Some(cards), None),
        Some(Err(errors)) => (None, Some(errors)),
    };
    let mut out = crate::output::stdout_buffered();
    match format {
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
            out.line(json)?;
        }
        Format::Text => {
            let mut text = review_text(&review, lang);
            if let Some(cards) = &cards {
                text.push_str(&scorecards_text(cards, lang));
            }
            out.text(&text)?;
        }
    }
    out.finish()?;
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
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Clean)
    }
}
