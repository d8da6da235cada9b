//! Budget execution (预算执行率): `rate = executed ÷ budget`, `points = min(10, 10 × rate)`,
//! rounded half away from zero to 2 places. A negative execution or a budget that is not
//! positive is an error, never a score.

use rust_decimal::Decimal;
use serde::Serialize;

use super::error::ScoreError;
use super::round_points;
use crate::actuals::Execution;

/// The most budget execution can give.
pub const EXECUTION_POINTS: Decimal = Decimal::TEN;

/// The budget-execution line of a scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ExecutionScore {
    pub executed: Decimal,
    pub budget: Decimal,
    /// executed ÷ budget, in %, to 2 places (not capped).
    pub rate: Decimal,
    pub points: Decimal,
}

impl ExecutionScore {
    pub fn of(project: &str, e: &Execution) -> Result<ExecutionScore, ScoreError> {
        if e.executed < Decimal::ZERO {
            return Err(ScoreError::NegativeExecution {
                project: project.to_string(),
                executed: e.executed.to_string(),
            });
        }
        if e.budget <= Decimal::ZERO {
            return Err(ScoreError::NonPositiveBudget {
                project: project.to_string(),
                budget: e.budget.to_string(),
            });
        }
        let rate = e.executed / e.budget;
        Ok(ExecutionScore {
            executed: e.executed,
            budget: e.budget,
            rate: round_points(rate * Decimal::ONE_HUNDRED),
            points: round_points((EXECUTION_POINTS * rate).min(EXECUTION_POINTS)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn execution_is_ten_times_the_rate_capped_at_ten() {
        let score = |x: &str, b: &str| {
            ExecutionScore::of(
                "P",
                &Execution {
                    executed: d(x),
                    budget: d(b),
                },
            )
        };
        assert_eq!(score("480", "500").unwrap().points, d("9.60"));
        assert_eq!(score("500", "500").unwrap().points, d("10"));
        assert_eq!(score("550", "500").unwrap().points, d("10"));
        assert_eq!(score("550", "500").unwrap().rate, d("110"));
        assert_eq!(score("1", "3").unwrap().points, d("3.33"));
        assert!(matches!(
            score("-1", "3"),
            Err(ScoreError::NegativeExecution { .. })
        ));
        assert!(matches!(
            score("1", "0"),
            Err(ScoreError::NonPositiveBudget { .. })
        ));
    }
}
