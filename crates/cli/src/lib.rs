//! # budgetflow-cli
//!
//! The `budgetflow` command for people and scripts. Its contracts (output formats, exit codes)
//! are fixed in DESIGN.md because other tools depend on them:
//!
//! - `parse FILE` → the canonical JSON document;
//! - `facts FILE` → every number of tables 1–11, one JSON object per line;
//! - `synth --departments N --seed S --out DIR` → synthetic disclosures (text and JSON);
//! - `run [INPUT…] --out DIR [--amqp URL]` → the whole pipeline in one process, then a summary;
//! - `dlq list|replay` → the dead-letter queue.
//!
//! Exit codes: 0 success, 1 the input has errors (validation), 2 an input could not be read.
//! User-facing messages are Chinese by default, English with `--lang en`.

use std::process::ExitCode;

use clap::Parser;

pub mod args;
mod commands;
mod terminal_table;

pub use args::{Args, Command};

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let args = Args::parse();
    commands::run(args)
}
