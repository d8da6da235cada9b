//! # budgetflow-ingest
//!
//! The entry and the exit of the pipeline:
//!
//! - [`submission`]: a disclosure's bytes (text export or canonical JSON) become a
//!   `submission.received` envelope; the submission id is derived from the content's SHA-256,
//!   so the same bytes submitted twice are the same submission and the stages deduplicate
//!   them;
//! - [`ledger`]: what became of each submission (published, rejected, failed), built from the
//!   events on the ledger queue — how `budgetflow run` and the tests know every submission is
//!   accounted for;
//! - [`service`] (feature `stage`): the `budgetflow-ingest` service, which submits the files
//!   dropped in an inbox directory and records the ledger.
//!
//! The HTTP API and department credentials are issue 7.

pub mod ledger;
#[cfg(feature = "stage")]
pub mod service;
pub mod submission;

pub use ledger::{Ledger, State};
pub use submission::{submission, IngestError};
