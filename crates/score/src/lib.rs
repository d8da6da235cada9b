//! # budgetflow-score
//!
//! Performance-target (绩效目标) review and scoring. **Scoring itself is issue 5 and not built
//! yet**: this crate is the seam where it plugs in. Today it holds only the score stage of
//! the pipeline ([`stage`], behind the `stage` feature), which passes every validated
//! document through unchanged and emits `submission.scored` with `scores: null`, so that the
//! wiring, acknowledgements and events downstream are already real.

#[cfg(feature = "stage")]
pub mod stage;
