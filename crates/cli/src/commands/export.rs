//! `budgetflow export FILE --xlsx [--out FILE.xlsx]` → any readable disclosure as the filled
//! workbook; and [`emit`], which writes a binary file where it was asked to go — never onto a
//! terminal.

use std::io::IsTerminal;
use std::path::Path;

use crate::exit::{CliError, Outcome};

pub fn run(file: &Path, out: Option<&Path>) -> Result<Outcome, CliError> {
    let doc = super::read(file)?;
    let bytes = budgetflow_workbook::write(&doc)
        .map_err(|e| CliError::failed(|lang| format!("{}: {}", file.display(), e.message(lang))))?;
    emit(&bytes, out)
}

/// Writes `bytes` to `out`, or to stdout unless stdout is a terminal (a workbook is binary).
pub(super) fn emit(bytes: &[u8], out: Option<&Path>) -> Result<Outcome, CliError> {
    match out {
        Some(path) => std::fs::write(path, bytes).map_err(|e| {
            CliError::failed(|lang| {
                format!(
                    "{}: {}: {e}",
                    lang.pick("无法写出工作簿", "cannot write the workbook"),
                    path.display()
                )
            })
        })?,
        None if std::io::stdout().is_terminal() => {
            return Err(CliError::usage(|lang| {
                lang.pick(
                    "工作簿是二进制文件，不输出到终端：请用 --out FILE.xlsx 指定文件，或重定向输出（> FILE.xlsx）",
                    "a workbook is binary and is not written to a terminal: give --out FILE.xlsx or redirect the output (> FILE.xlsx)",
                )
                .to_owned()
            }))
        }
        None => {
            let mut stdout = crate::output::stdout_buffered();
            stdout.bytes(bytes)?;
            stdout.finish()?;
        }
    }
    Ok(Outcome::Clean)
}
