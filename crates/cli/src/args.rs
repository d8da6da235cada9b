//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::lang::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "budgetflow",
    version,
    about = "部门预算公开的接收、审核、绩效评分与发布 — budget disclosures: check, score, publish"
)]
pub struct Args {
    /// Language of messages for people: zh (default) or en.
    #[arg(long, global = true, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
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
