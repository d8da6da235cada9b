//! The error type of the service plumbing.

use thiserror::Error;

/// What can stop a stage service.
#[derive(Debug, Error)]
pub enum ServiceError {
    /// The configuration file or environment is invalid.
    #[error("configuration: {0}")]
    Config(#[from] config::ConfigError),
    /// The message bus failed.
    #[error(transparent)]
    Bus(#[from] budgetflow_bus::BusError),
    /// A file or socket operation failed.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// The Prometheus recorder could not be installed.
    #[error("metrics: {0}")]
    Metrics(String),
}

impl ServiceError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        ServiceError::Io {
            what: what.into(),
            source,
        }
    }
}
