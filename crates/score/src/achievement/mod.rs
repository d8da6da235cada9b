//! Achievement scoring (绩效自评打分), at year end: every indicator of a project scored by its
//! rule against the actuals report ([`indicator`]), plus up to 10 points of budget execution
//! ([`execution`]), into a total out of 100 and a [`Grade`].
//!
//! **Rounding**: every indicator's points and the execution points are rounded half away from
//! zero (四舍五入) to 2 decimal places; the total is the sum of those rounded points, so the
//! lines of a scorecard always add up to its total. Ratios are shown to 4 places.
//!
//! Every problem of the report is collected ([`ScoreErrors`]) rather than stopping at the
//! first, so one run shows all that needs fixing.

pub mod error;
pub mod execution;
pub mod indicator;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use budgetflow_model::names::same_name;
use budgetflow_model::performance::ProjectTargets;
use budgetflow_model::Document;

use crate::actuals::{ActualsReport, ProjectActuals};
use crate::grade::Grade;

pub use error::{ScoreError, ScoreErrors, UnitMismatch};
pub use execution::ExecutionScore;
pub use indicator::{Band, Computation, IndicatorScore};

/// Points rounded half away from zero to 2 places.
pub fn round_points(points: Decimal) -> Decimal {
    points.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A project's self-evaluation scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scorecard<'a> {
    pub project: &'a str,
    pub indicators: Vec<IndicatorScore<'a>>,
    pub execution: ExecutionScore,
    /// Σ indicator points + execution points (out of 100).
    pub total: Decimal,
    pub grade: Grade,
}

/// Scores every project of `report` against its target table in `doc`.
pub fn score<'a>(
    doc: &'a Document,
    report: &'a ActualsReport,
) -> Result<Vec<Scorecard<'a>>, ScoreErrors> {
    let mut cards = Vec::with_capacity(report.projects.len());
    let mut errors = Vec::new();
    let tables: Vec<&ProjectTargets> = doc.narrative.project_targets().collect();
    for (i, actuals) in report.projects.iter().enumerate() {
        let targets = match tables.get(i) {
            Some(t) if same_name(&t.project, &actuals.project) => Some(*t),
            _ => tables
                .iter()
                .find(|t| same_name(&t.project, &actuals.project))
                .copied(),
        };
        let Some(targets) = targets else {
            errors.push(ScoreError::UnknownProject {
                project: actuals.project.clone(),
            });
            continue;
        };
        match score_project(targets, actuals) {
            Ok(card) => cards.push(card),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(cards)
    } else {
        Err(ScoreErrors(errors))
    }
}

/// Scores one project: every indicator of its table must have exactly one achieved value.
pub fn score_project<'a>(
    targets: &'a ProjectTargets,
    actuals: &'a ProjectActuals,
) -> Result<Scorecard<'a>, Vec<ScoreError>> {
    let project = targets.project.as_str();
    let mut errors = Vec::new();
    // The achieved text of each target row, matched by name; reports usually list the rows in
    // table order, so the row at the same position is tried first.
    let mut achieved: Vec<Option<&'a str>> = vec![None; targets.indicators.len()];
    let mut reported = vec![false; targets.indicators.len()];
    for (i, entry) in actuals.indicators.iter().enumerate() {
        let at = match targets.indicators.get(i) {
            Some(t) if same_name(&t.level3, &entry.indicator) => Some(i),
            _ => targets
                .indicators
                .iter()
                .position(|t| same_name(&t.level3, &entry.indicator)),
        };
        let Some(at) = at else {
            errors.push(ScoreError::UnknownIndicator {
                project: project.to_string(),
                indicator: entry.indicator.clone(),
            });
            continue;
        };
        if std::mem::replace(&mut reported[at], true) {
            errors.push(ScoreError::DuplicateIndicator {
                project: project.to_string(),
                indicator: entry.indicator.clone(),
            });
            continue;
        }
        achieved[at] = entry
            .achieved
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty());
    }
    let mut indicators = Vec::with_capacity(targets.indicators.len());
    for (target, achieved) in targets.indicators.iter().zip(achieved) {
        let Some(achieved) = achieved else {
            errors.push(ScoreError::MissingValue {
                project: project.to_string(),
                indicator: target.level3.clone(),
            });
            continue;
        };
        match indicator::score(project, target, achieved) {
            Ok(s) => indicators.push(s),
            Err(e) => errors.push(e),
        }
    }
    let execution = match &actuals.execution {
        None => Err(ScoreError::MissingExecution {
            project: project.to_string(),
        }),
        Some(e) => ExecutionScore::of(project, e),
    };
    let execution = match execution {
        Ok(e) => e,
        Err(e) => {
            errors.push(e);
            return Err(errors);
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let total = indicators.iter().map(|i| i.points).sum::<Decimal>() + execution.points;
    Ok(Scorecard {
        project,
        indicators,
        execution,
        total,
        grade: Grade::from_total(total),
    })
}
