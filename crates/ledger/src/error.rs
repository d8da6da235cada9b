//! What can go wrong in the ledger.

use thiserror::Error;

/// A ledger operation that did not happen.
#[derive(Debug, Error)]
pub enum LedgerError {
    /// The database URL names no backend this build knows.
    #[error("unsupported database URL `{0}` (expected sqlite://PATH or postgres://…)")]
    UnsupportedUrl(String),
    /// The database could not be reached or answered with an error.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A department code that is not 1–32 ASCII letters, digits, `-` or `_`.
    #[error("invalid department code `{0}`: use 1–32 ASCII letters, digits, '-' or '_'")]
    InvalidCode(String),
    /// A department name that is empty or too long.
    #[error("invalid department name `{0}`: 1–200 characters")]
    InvalidName(String),
    /// The department (code or name) is already registered.
    #[error("department `{0}` is already registered (code and name are unique)")]
    DuplicateDepartment(String),
    /// No department has this code.
    #[error("no department `{0}`")]
    UnknownDepartment(String),
    /// The operating system's random source failed.
    #[error("no randomness for a token: {0}")]
    Randomness(String),
    /// A stored row that this build cannot read (a value outside the schema's domain).
    #[error("corrupt ledger row: {0}")]
    Corrupt(String),
    /// Acknowledging an event on the bus failed.
    #[error(transparent)]
    Bus(#[from] budgetflow_bus::BusError),
}

impl From<budgetflow_model::InvalidCode> for LedgerError {
    fn from(invalid: budgetflow_model::InvalidCode) -> Self {
        LedgerError::InvalidCode(invalid.shown)
    }
}
