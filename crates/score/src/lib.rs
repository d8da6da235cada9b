//! # budgetflow-score
//!
//! Performance-target (绩效目标) review and scoring — issue 5.
//!
//! - [`review`]: at budget time, from the document alone, every target table is checked for
//!   structure, measurability, consistency with the money and ambition against last year;
//!   findings cite rule ids (`P.weights`, `P.ambition` …) declared once in
//!   [`review::catalog`], and each project gets a review score and a rank.
//! - [`achievement`]: at year end, an [`actuals`] report (JSON or CSV) gives what each
//!   indicator achieved and how much of the budget was executed; every indicator is scored by
//!   its rule (按照完成比例赋分, 直接赋分, 按评判等级赋分, 满意度赋分), execution adds up to 10
//!   points, and the total out of 100 gets a [`grade`]. Every score carries its computation.
//! - [`render`]: both as text for people (Chinese by default, English on request) and as JSON.
//!
//! Arithmetic is `rust_decimal` throughout; the rounding is stated where it happens. Units
//! and comparators come from the parsed 指标值 ([`budgetflow_model::performance::Measure`]),
//! never guessed. The score stage of the pipeline ([`stage`], feature `stage`) attaches the
//! review to each submission.

pub mod achievement;
pub mod actuals;
pub mod grade;
pub mod render;
pub mod review;
pub mod unit;

#[cfg(feature = "stage")]
pub mod stage;

pub use achievement::{score, ScoreError, ScoreErrors, Scorecard};
pub use actuals::{ActualsError, ActualsReport};
pub use grade::Grade;
pub use review::{review, Review};
