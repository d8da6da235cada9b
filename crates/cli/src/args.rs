//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use budgetflow_model::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "budgetflow",
    version,
    about = "部门预算公开的接收、审核、绩效评分与发布 — budget disclosures: check, score, publish"
)]
pub struct Args {
    /// Language of messages for people: zh (default) or en.
    #[arg(long, global = true, default_value = "zh", value_parser = parse_lang)]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
        .map_err(|e: budgetflow_model::UnknownLang| e.to_string())
}

/// Output format of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A report for people, grouped by table.
    Text,
    /// One JSON object per input file per line (the contract in DESIGN.md).
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a disclosure (text export or JSON) and print its canonical JSON.
    Parse {
        file: PathBuf,
        /// One line instead of pretty-printed.
        #[arg(long)]
        compact: bool,
    },
    /// Check disclosures: every inconsistency, located and explained. Exit 0: no errors;
    /// 1: some error; 2: an input could not be read.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print every number of tables 1–11, one JSON object per line.
    Facts { file: PathBuf },
    /// Write synthetic, internally consistent disclosures (text and JSON) for tests and demos.
    Synth {
        #[arg(long, default_value_t = 10)]
        departments: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
}
