//! The command line. An option that means what a service setting means reads that setting's
//! variable (`BUDGETFLOW__AMQP__URL`, …: `budgetflow_service::settings`), and its alias
//! (`AMQP_URL`, `DATABASE_URL`) when neither the option nor the variable is given
//! ([`Args::with_aliases`]).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use budgetflow_model::Lang;
use budgetflow_service::settings::{AMQP_PREFIX, AMQP_URL, DATABASE_URL};

/// The ledger database when neither `--database` nor the environment names one: the file the
/// ingest service uses by default, from the same directory.
pub const DEFAULT_DATABASE: &str = "sqlite://state/ledger.db";

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

fn parse_year(s: &str) -> Result<budgetflow_model::FiscalYear, String> {
    s.parse()
        .map_err(|e: budgetflow_model::CodeError| e.to_string())
}

/// Two consecutive fiscal years, `2024-2025`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsecutiveYears {
    /// The later year.
    pub current: i32,
}

fn parse_consecutive_years(s: &str) -> Result<ConsecutiveYears, String> {
    let (first, second) = s
        .split_once('-')
        .ok_or_else(|| format!("“{s}”: expected two consecutive years, e.g. 2024-2025"))?;
    let year = |y: &str| parse_year(y.trim()).map(budgetflow_model::FiscalYear::get);
    let (first, second) = (year(first)?, year(second)?);
    if second != first + 1 {
        return Err(format!("{first}-{second}: the years must be consecutive"));
    }
    Ok(ConsecutiveYears { current: second })
}

fn parse_plant(s: &str) -> Result<budgetflow_synth::Plant, String> {
    budgetflow_synth::Plant::from_name(s.trim()).ok_or_else(|| {
        let names: Vec<_> = budgetflow_synth::Plant::ALL
            .iter()
            .map(|p| p.name())
            .collect();
        format!("“{s}”: not one of {}", names.join(", "))
    })
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
        .map_err(|e: budgetflow_model::UnknownLang| e.to_string())
}

impl Args {
    /// Fills the broker and database options that neither the command line nor their
    /// variables gave from the aliases, read with `get` (the process environment).
    pub fn with_aliases(mut self, get: impl Fn(&str) -> Option<String>) -> Args {
        let (amqp, database) = match &mut self.command {
            Command::Run { bus, .. } | Command::Dlq { bus, .. } => (Some(&mut bus.amqp), None),
            Command::Bench(bench) => (Some(&mut bench.amqp), Some(&mut bench.database)),
            Command::Serve { database, .. } | Command::Departments { database, .. } => {
                (None, Some(database))
            }
            _ => (None, None),
        };
        if let Some(amqp @ None) = amqp {
            *amqp = AMQP_URL.alias_value(&get);
        }
        if let Some(database @ None) = database {
            *database = DATABASE_URL.alias_value(&get);
        }
        self
    }
}

/// Output format of `validate`, `score` and `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A report for people, grouped by table.
    Text,
    /// One JSON object per input file per line (the contract in DESIGN.md).
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a disclosure (text export, JSON, XLSX workbook or PDF) and print its canonical JSON.
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
        /// The department's disclosure of the year before: the changes each file states on
        /// last year are checked against the figures it published (the `Y.*` rules).
        #[arg(long)]
        previous: Option<PathBuf>,
    },
    /// Compare two versions of a disclosure by meaning (any formats: a PDF against a
    /// workbook): the changed cells and paragraphs, and the findings resolved, new and still
    /// open. Exit 0: no differences; 1: differences; 2: an input could not be read.
    Diff {
        /// The version reviewed before.
        old: PathBuf,
        /// The version resubmitted.
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Review the performance targets (绩效目标审核) and, with a year-end actuals report,
    /// score each project (自评打分). Exit 0: fine; 1: review errors or actuals that do not fit;
    /// 2: an input could not be read.
    Score {
        file: PathBuf,
        /// Actuals report (JSON, or CSV by its `.csv` extension); see docs/scoring.md.
        #[arg(long)]
        actuals: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print every number of every table, one JSON object per line (with its page, from a PDF).
    Facts { file: PathBuf },
    /// Show how a PDF is laid out (headings, paragraphs, tables with their header paths and
    /// rows, by page) and what the template profiles make of it: for writing a profile.
    Layout { file: PathBuf },
    /// Write synthetic, internally consistent disclosures (text and JSON) for tests and demos.
    Synth {
        #[arg(long, default_value_t = 10)]
        departments: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// Two consecutive years (`2024-2025`): each department's disclosures of both, this
        /// year's stated changes derived from last year's printed figures.
        #[arg(long, value_parser = parse_consecutive_years)]
        years: Option<ConsecutiveYears>,
        /// Year-over-year inconsistencies to plant in every pair (comma-separated:
        /// stated-change, staffing, project-dropped, class-appears); listed in planted.json.
        #[arg(long, value_delimiter = ',', requires = "years", value_parser = parse_plant)]
        plant_yoy: Vec<budgetflow_synth::Plant>,
    },
    /// Run the whole pipeline (ingest, validate, score, publish) in this process and print
    /// what became of each disclosure. Without INPUT, the bundled sample. Exit 0: all
    /// published; 1: some rejected; 2: some unreadable or failed.
    Run {
        /// Disclosure files (text export, JSON or PDF) or directories of them.
        inputs: Vec<PathBuf>,
        /// Where published documents are written.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        bus: BusArgs,
    },
    /// Publish disclosures in full (page, open data, manifest) as versions under
    /// DIR/<department>/<year>/<version>/, made current, with the site index DIR/index.html.
    /// A disclosure with validator errors is refused. Exit 0: all published; 1: some refused;
    /// 2: some input could not be read or some publication not written.
    Publish {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Serve the whole system in this process: the ingestion API and the bureau's dashboard
    /// (`/dashboard`), the stages over the in-memory bus, the ledger database. Stops on
    /// Ctrl-C or SIGTERM.
    Serve {
        /// Address of the API and the dashboard.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// The ledger database: sqlite://PATH or postgres://… (alias: DATABASE_URL;
        /// default: sqlite://state/ledger.db).
        #[arg(long, env = DATABASE_URL.name)]
        database: Option<String>,
        /// Where publications are written (the public site).
        #[arg(long)]
        out: PathBuf,
    },
    /// Submit disclosures to the ingestion API (`budgetflow-ingest`) and follow each until it
    /// is published, rejected or failed; a summary table at the end. Exit 0: all published;
    /// 1: some rejected or refused; 2: some unreadable, failed or unfinished.
    Submit(SubmitArgs),
    /// Measure the pipeline over RabbitMQ against a bare relay of the same messages through
    /// four queues (the machine's ceiling): throughput, p50/p99 latency, memory under a backlog.
    /// Exit 0: every document published; 1: some were not (the figures then do not measure the
    /// whole pipeline); 2: the bench could not run.
    Bench(BenchArgs),
    /// Write the empty XLSX workbook a department fills (填报模板): to --out, or to stdout
    /// when stdout is not a terminal.
    Template {
        #[arg(long, value_parser = parse_year)]
        year: budgetflow_model::FiscalYear,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Convert a disclosure (text export, JSON or XLSX) into the filled XLSX workbook, one
    /// sheet per table: to --out, or to stdout when stdout is not a terminal.
    Export {
        file: PathBuf,
        /// Write the XLSX workbook (the one export format).
        #[arg(long, required = true)]
        xlsx: bool,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Inspect or re-send the dead-letter queue (RabbitMQ).
    Dlq {
        #[command(subcommand)]
        action: DlqAction,
        #[command(flatten)]
        bus: BusArgs,
    },
    /// Register departments and the bureau, and manage their ingestion API tokens (printed
    /// once, stored hashed). Exit 0: done; 1: refused; 2: the database failed.
    Departments {
        #[command(subcommand)]
        action: DepartmentsAction,
        /// The ledger database: sqlite://PATH or postgres://… (alias: DATABASE_URL;
        /// default: sqlite://state/ledger.db, the service's default file when run from the
        /// same directory).
        #[arg(long, global = true, env = DATABASE_URL.name)]
        database: Option<String>,
    },
}

/// Which message bus to use.
#[derive(Debug, Clone, clap::Args)]
pub struct BusArgs {
    /// RabbitMQ URL (alias: AMQP_URL); without it `run` uses the in-memory bus (nothing to
    /// install).
    #[arg(long, env = AMQP_URL.name)]
    pub amqp: Option<String>,
    /// Prefix of the exchange and queue names.
    #[arg(long, env = AMQP_PREFIX.name, default_value = "budgetflow")]
    pub prefix: String,
    /// Messages each stage handles at once.
    #[arg(long, default_value_t = 8)]
    pub prefetch: u16,
}

/// Where `submit` sends what.
#[derive(Debug, Clone, clap::Args)]
pub struct SubmitArgs {
    /// Disclosure files (.txt text layout, .json canonical JSON, .xlsx filled template) or
    /// directories of them.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The ingestion API's address. (`BUDGETFLOW_URL` and `BUDGETFLOW_TOKEN` have one
    /// underscore: they are a client's, not a service setting.)
    #[arg(long, env = "BUDGETFLOW_URL", default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// The department's API token.
    #[arg(long, env = "BUDGETFLOW_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Seconds to wait for the submissions to settle.
    #[arg(long, default_value_t = 600)]
    pub wait: u64,
}

/// What `bench` measures, and how.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// RabbitMQ URL (alias: AMQP_URL); the run uses its own exchange and queues and deletes
    /// them afterwards.
    #[arg(long, env = AMQP_URL.name)]
    pub amqp: Option<String>,
    /// Synthetic disclosures pushed through the pipeline (and messages through the relay).
    #[arg(long, default_value_t = 2000)]
    pub documents: usize,
    /// Messages each stage (and each relay hop) handles at once.
    #[arg(long, default_value_t = 8)]
    pub prefetch: u16,
    /// Documents published and not yet settled at any time.
    #[arg(long, default_value_t = 32)]
    pub window: usize,
    /// Then publish this many before the stages start and report resident memory while they
    /// drain them (0: skip).
    #[arg(long, default_value_t = 0)]
    pub backlog: usize,
    /// Run ingest, validate, score and publish as their own processes, the service binaries
    /// beside this one (`budgetflow-ingest`, …), exactly as deployed: disclosures are
    /// submitted to the ingestion API with their departments' tokens, and each process's
    /// resident memory is sampled under the backlog.
    #[arg(long)]
    pub services: bool,
    /// With --services: the PostgreSQL server (postgres://…, alias DATABASE_URL) on which the
    /// run creates a ledger database of its own for budgetflow-ingest, dropped afterwards;
    /// without one, a SQLite file in a temporary directory.
    #[arg(long, env = DATABASE_URL.name)]
    pub database: Option<String>,
    /// With --services: replicas of each stage; the pipeline is measured once per count
    /// (`--replicas 1,2`), the backlog with the first.
    #[arg(long, value_delimiter = ',', default_value = "1", requires = "services",
          value_parser = clap::value_parser!(u16).range(1..=8))]
    pub replicas: Vec<u16>,
    /// One JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// What `departments` does.
#[derive(Debug, Subcommand)]
pub enum DepartmentsAction {
    /// Register department CODE, whose disclosures print NAME on their first line, and print
    /// its token.
    Add {
        code: String,
        name: String,
        /// The finance bureau: its token reads every department's submissions.
        #[arg(long)]
        bureau: bool,
    },
    /// List registered departments (never their tokens).
    List,
    /// Replace CODE's token (the old one stops working at once) and print the new one.
    RotateToken { code: String },
}

#[derive(Debug, Subcommand)]
pub enum DlqAction {
    /// Show the dead letters (they stay in the queue).
    List {
        #[arg(long, default_value_t = 100)]
        max: usize,
    },
    /// Re-publish dead letters with their original routing key and remove them from the
    /// dead-letter queue.
    Replay {
        #[arg(long, default_value_t = 100)]
        max: usize,
        /// Only this submission's dead letters.
        #[arg(long)]
        submission: Option<uuid::Uuid>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str], environment: &[(&str, &str)]) -> Args {
        let environment: Vec<(String, String)> = environment
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Args::try_parse_from(std::iter::once("budgetflow").chain(args.iter().copied()))
            .unwrap()
            .with_aliases(|name| {
                environment
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            })
    }

    fn amqp(args: &Args) -> Option<&str> {
        match &args.command {
            Command::Dlq { bus, .. } => bus.amqp.as_deref(),
            other => panic!("not dlq: {other:?}"),
        }
    }

    #[test]
    fn an_alias_fills_only_what_nothing_else_gave() {
        let alias = [("AMQP_URL", "amqp://alias")];
        assert_eq!(
            amqp(&parsed(&["dlq", "list"], &alias)),
            Some("amqp://alias")
        );
        assert_eq!(
            amqp(&parsed(&["dlq", "--amqp", "amqp://flag", "list"], &alias)),
            Some("amqp://flag")
        );
        assert_eq!(amqp(&parsed(&["dlq", "list"], &[])), None);
        assert_eq!(amqp(&parsed(&["dlq", "list"], &[("AMQP_URL", "")])), None);
        let serve = parsed(
            &["serve", "--out", "site"],
            &[("DATABASE_URL", "postgres://alias/db")],
        );
        assert!(matches!(
            serve.command,
            Command::Serve { database: Some(url), .. } if url == "postgres://alias/db"
        ));
    }
}
