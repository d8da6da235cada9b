//! # budgetflow-ledger
//!
//! The memory of the system: who may submit, what was submitted and what became of it, in a
//! real database — a SQLite file by default (embedded, nothing to install) or PostgreSQL
//! (`postgres://…`, what the deployment uses). One set of runtime queries serves both
//! (sqlx's `Any` driver; no compile-time checked queries, so building needs no database);
//! the schema has one migration directory per backend and migrations run at connect.
//!
//! - [`departments`]: departments and the bureau, each with one API token stored as its
//!   SHA-256 (shown once when issued or rotated);
//! - [`submissions`]: a submission's original bytes and its `received` row, written in one
//!   transaction before the API answers (and withdrawn whole when the bus did not take it);
//!   versions of a department's year; reads for the API;
//! - [`events`]: the `submission.*` events of the bus applied to the ledger — an
//!   append-only history, idempotent under redelivery; a `failed` one keeps the stage and the
//!   reason — and the consumer of the
//!   `<prefix>.ledger` queue and of the ledger's copy of the dead letters
//!   (`<prefix>.ledger.dead`: a dead-lettered submission ends `failed`);
//! - [`state`]: the submission state machine (received → validated | rejected → scored →
//!   published | failed);
//! - [`scratch`] (feature `scratch`): throw-away databases for tests.

pub mod departments;
pub mod error;
pub mod events;
#[cfg(feature = "scratch")]
pub mod scratch;
pub mod state;
pub mod store;
pub mod submissions;

pub use budgetflow_bus::Failure;
pub use departments::{Department, DepartmentCode, Role, Token};
pub use error::LedgerError;
pub use events::{consume, failure_of, Applied, MAX_FAILURE_REASON_CHARS};
pub use state::SubmissionState;
pub use store::{Backend, Ledger};
pub use submissions::{
    Content, Filter, HistoryEntry, NewSubmission, Received, Submission, SubmissionSummary,
};
