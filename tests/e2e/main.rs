//! End-to-end tests across the crates (DESIGN.md: `tests/`).
//!
//! - [`memory`]: the sample plus 200 synthetic disclosures through the four stages over the
//!   in-memory bus, every one accounted for and none twice — always;
//! - [`rabbit`]: the same over RabbitMQ, and the failure tests with the real stage binaries
//!   (kill -9 and restart, broker restart, poison and delivery limit, transient failure,
//!   SIGTERM) — when `AMQP_URL` is set;
//! - [`cli`]: `budgetflow run` as a user runs it;
//! - [`deploy`]: every YAML / JSON file under `deploy/` parses and says what it must.

mod cli;
mod deploy;
mod memory;
mod rabbit;
mod support;
