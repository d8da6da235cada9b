//! # budgetflow-service
//!
//! The plumbing every budgetflow stage service shares, written once so that the four stage
//! binaries (`budgetflow-ingest`, `budgetflow-validate`, `budgetflow-score`,
//! `budgetflow-publish`) stay thin:
//!
//! - [`settings`]: configuration from a TOML file plus `BUDGETFLOW__SECTION__KEY` environment
//!   variables (the `config` crate);
//! - [`logging`]: tracing logs, human-readable or JSON;
//! - [`ops`]: the ops HTTP server — `/health/live`, `/health/ready`, Prometheus `/metrics`;
//! - [`shutdown`]: SIGTERM / SIGINT to a cancellation token;
//! - [`store`]: the durable idempotency store (a directory of atomically written records), so a
//!   stage killed with `kill -9` and restarted never emits an output twice;
//! - [`serve`]: connects to RabbitMQ, starts the ops server, runs a stage and stops it
//!   gracefully within the configured deadline;
//! - [`runtime`]: the tokio runtime every service runs on, its blocking pool bounded.
//!
//! A binary is `runtime → load settings → init logging → serve(settings, stage::run)`.

pub mod error;
pub mod logging;
pub mod ops;
pub mod runtime;
pub mod serve;
pub mod settings;
pub mod shutdown;
pub mod store;

pub use error::ServiceError;
pub use runtime::runtime;
pub use serve::{run_stage, serve};
pub use settings::Settings;
pub use store::DirectoryStore;
pub use tokio_util::sync::CancellationToken;
