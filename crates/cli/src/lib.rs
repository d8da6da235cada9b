//! # budgetflow-cli
//!
//! The `budgetflow` command for people and scripts. Other tools depend on its output formats,
//! its exit status and its environment variables (the last two: docs/operations.md, "The
//! `budgetflow` command"):
//!
//! - `parse FILE` → the canonical JSON document;
//! - `facts FILE` → every number of tables 1–11, one JSON object per line;
//! - `diff OLD NEW` → what a resubmission changed (docs/diff.md);
//! - `synth --departments N --seed S --out DIR` → synthetic disclosures (text and JSON);
//! - `run [INPUT…] --out DIR [--amqp URL]` → the whole pipeline in one process, then a summary;
//! - `dlq list|replay` → the dead-letter queue.
//!
//! Exit status, the same for every command (`exit`, docs/operations.md): 0 clean; 1 findings
//! or refusals (validator errors, a refused or rejected document); 2 an unreadable input, a
//! usage error, or work that failed (an output not written, a broker, database or API not
//! reached). A reader that stops early (`| head`) is no failure (`output`). User-facing
//! messages are Chinese by default, English with `--lang en`.

use std::process::ExitCode;

use clap::Parser;

pub mod args;
mod commands;
mod exit;
mod output;
mod terminal_table;

pub use args::{Args, Command};

/// Parses the command line and runs the command; [`exit::finish`] gives the status.
pub fn main() -> ExitCode {
    match Args::try_parse() {
        Ok(args) => {
            let args = args.with_aliases(|name| std::env::var(name).ok());
            let lang = args.lang;
            exit::finish(commands::run(args), lang)
        }
        Err(refused) => {
            // a closed pipe (`budgetflow --help | head -1`) does not make the help a failure
            let _ = refused.print();
            exit::finish(exit::from_clap(&refused), budgetflow_model::Lang::default())
        }
    }
}
