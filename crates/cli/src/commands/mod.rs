//! One module per command; `run` dispatches.

use std::process::ExitCode;

use crate::args::{Args, Command};

mod bench;
mod departments;
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

/// Exit code for "an input could not be read at all".
pub(crate) const UNREADABLE: u8 = 2;

pub fn run(args: Args) -> ExitCode {
    let lang = args.lang;
    match args.command {
        Command::Parse { file, compact } => parse::run(&file, compact, lang),
        Command::Facts { file } => facts::run(&file, lang),
        Command::Layout { file } => layout::run(&file, lang),
        Command::Validate { files, format } => validate::run(&files, format, lang),
        Command::Score {
            file,
            actuals,
            format,
        } => score::run(&file, actuals.as_deref(), format, lang),
        Command::Synth {
            departments,
            seed,
            out,
        } => synth::run(departments, seed, &out, lang),
        Command::Run { inputs, out, bus } => run::run(&inputs, &out, &bus, lang),
        Command::Publish { files, out } => publish::run(&files, &out, lang),
        Command::Serve {
            listen,
            database,
            out,
        } => serve::run(&listen, &database, &out, lang),
        Command::Submit(submit) => submit::run(&submit, lang),
        Command::Bench(bench) => bench::run(&bench, lang),
        Command::Dlq { action, bus } => dlq::run(action, &bus, lang),
        Command::Departments { action, database } => departments::run(action, &database, lang),
        Command::Template { year, out } => template::run(year, out.as_deref(), lang),
        Command::Export { file, xlsx: _, out } => export::run(&file, out.as_deref(), lang),
    }
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

/// Reads a disclosure, printing a clear message on failure.
pub(crate) fn read(
    file: &std::path::Path,
    lang: budgetflow_model::Lang,
) -> Result<budgetflow_model::Document, ExitCode> {
    read_path(file).map_err(|e| {
        eprintln!(
            "{}: {}: {}",
            lang.pick("无法读取", "cannot read"),
            file.display(),
            e.message(lang)
        );
        ExitCode::from(UNREADABLE)
    })
}
