//! # budgetflow-ingest
//!
//! Submissions into the pipeline, and the windows on what became of them:
//!
//! - [`submission`]: a disclosure's bytes (text export or canonical JSON) become a
//!   `submission.received` envelope; the submission id is derived from the content's SHA-256,
//!   so the same bytes submitted twice are the same submission and the stages deduplicate
//!   them;
//! - [`api`] (feature `api`): the HTTP API — departments submit with their tokens and
//!   follow their submissions in the database ledger (`budgetflow-ledger`);
//! - [`dashboard`] (feature `api`): the bureau's page of departments × state for a year;
//! - [`service`] (feature `stage`): the `budgetflow-ingest` service: the HTTP API, the
//!   consumer that records the stages' `submission.*` events in the database ledger (it
//!   records `received` itself, when it takes a submission), and the inbox directory.
//!
//! It starts no stage: the stages, and the whole system in one process (`budgetflow serve`),
//! are assembled in `budgetflow-pipeline`.

#[cfg(feature = "api")]
pub mod api;
#[cfg(feature = "api")]
pub mod dashboard;
#[cfg(feature = "stage")]
pub mod service;
pub mod submission;

pub use submission::{submission, IngestError};
