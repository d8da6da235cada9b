//! One module per command; `run` dispatches. Every command returns `Result<Outcome, CliError>`
//! (the exit status is decided in `crate::exit` alone); the commands that talk to a broker, a
//! database or an API are `async` and run on the one runtime `on_runtime` builds.

use crate::args::{Args, Command, DEFAULT_DATABASE};
use crate::exit::{CliError, Outcome};

mod bench;
mod departments;
mod diff;
mod dlq;
mod export;
mod facts;
mod layout;
mod parse;
mod publish;
mod run;
mod score;
mod serve;
mod submit;
mod synth;
mod template;
mod validate;

pub fn run(args: Args) -> Result<Outcome, CliError> {
    let lang = args.lang;
    match args.command {
        Command::Parse { file, compact } => parse::run(&file, compact),
        Command::Facts { file } => facts::run(&file),
        Command::Layout { file } => layout::run(&file),
        Command::Validate {
            files,
            format,
            previous,
        } => validate::run(&files, format, previous.as_deref(), lang),
        Command::Diff { old, new, format } => diff::run(&old, &new, format, lang),
        Command::Score {
            file,
            actuals,
            format,
        } => score::run(&file, actuals.as_deref(), format, lang),
        Command::Synth {
            departments,
            seed,
            out,
            years: None,
            plant_yoy: _,
        } => synth::run(departments, seed, &out, lang),
        Command::Synth {
            departments,
            seed,
            out,
            years: Some(years),
            plant_yoy,
        } => synth::run_pairs(departments, seed, years.current, &plant_yoy, &out, lang),
        Command::Publish { files, out } => publish::run(&files, &out, lang),
        Command::Template { year, out } => template::run(year, out.as_deref()),
        Command::Export { file, xlsx: _, out } => export::run(&file, out.as_deref()),
        Command::Run { inputs, out, bus } => on_runtime(run::run(&inputs, &out, &bus, lang)),
        Command::Serve {
            listen,
            database,
            out,
        } => {
            let database = database.as_deref().unwrap_or(DEFAULT_DATABASE);
            on_runtime(serve::run(&listen, database, &out, lang))
        }
        Command::Submit(submit) => on_runtime(submit::run(&submit, lang)),
        Command::Bench(bench) => on_runtime(bench::run(&bench, lang)),
        Command::Dlq { action, bus } => on_runtime(dlq::run(action, &bus, lang)),
        Command::Departments { action, database } => {
            let database = database.as_deref().unwrap_or(DEFAULT_DATABASE);
            on_runtime(departments::run(action, database, lang))
        }
    }
}

/// Runs an asynchronous command on the process's one runtime, the services' own (built
/// here: the reading commands need none).
fn on_runtime(
    command: impl std::future::Future<Output = Result<Outcome, CliError>>,
) -> Result<Outcome, CliError> {
    let runtime = budgetflow_service::runtime().map_err(|error| {
        CliError::failed(|lang| format!("{}: {error}", lang.pick("无法启动", "cannot start")))
    })?;
    runtime.block_on(command)
}

/// Why a disclosure file could not be read: as text or JSON, or as an XLSX workbook.
pub(crate) enum ReadFailure {
    Text(budgetflow_formats::ReadError),
    Workbook(budgetflow_workbook::WorkbookError),
}

impl ReadFailure {
    pub(crate) fn message(&self, lang: budgetflow_model::Lang) -> String {
        match self {
            ReadFailure::Text(e) => e.message(lang),
            ReadFailure::Workbook(e) => e.message(lang),
        }
    }
}

/// Reads a disclosure file: an XLSX workbook by its `.xlsx` extension, else text or JSON.
pub(crate) fn read_path(file: &std::path::Path) -> Result<budgetflow_model::Document, ReadFailure> {
    let xlsx = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx {
        budgetflow_workbook::read_path(file, &budgetflow_workbook::Limits::default())
            .map_err(ReadFailure::Workbook)
    } else {
        budgetflow_formats::read_path(file).map_err(ReadFailure::Text)
    }
}

/// Reads a disclosure; the error says which file and why.
pub(crate) fn read(file: &std::path::Path) -> Result<budgetflow_model::Document, CliError> {
    read_path(file).map_err(|e| cannot_read(file, |lang| e.message(lang)))
}

/// "cannot read FILE: why".
pub(crate) fn cannot_read(
    file: &std::path::Path,
    why: impl Fn(budgetflow_model::Lang) -> String,
) -> CliError {
    CliError::unreadable(|lang| {
        format!(
            "{}: {}: {}",
            lang.pick("无法读取", "cannot read"),
            file.display(),
            why(lang)
        )
    })
}
