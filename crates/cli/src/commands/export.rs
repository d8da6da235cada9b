//! `budgetflow export FILE --xlsx [--out FILE.xlsx]` → any readable disclosure as the filled
//! workbook; and [`emit`], which writes a binary file where it was asked to go — never onto a
//! terminal.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use budgetflow_model::Lang;

pub fn run(file: &Path, out: Option<&Path>, lang: Lang) -> ExitCode {
    let doc = match super::read(file, lang) {
        Ok(d) => d,
        Err(code) => return code,
    };
    match budgetflow_workbook::write(&doc) {
        Ok(bytes) => emit(&bytes, out, lang),
        Err(e) => {
            eprintln!("{}: {}", file.display(), e.message(lang));
            ExitCode::FAILURE
        }
    }
}

/// Writes `bytes` to `out`, or to stdout unless stdout is a terminal (a workbook is binary).
pub(super) fn emit(bytes: &[u8], out: Option<&Path>, lang: Lang) -> ExitCode {
    let written = match out {
        Some(path) => std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display())),
        None if std::io::stdout().is_terminal() => {
            eprintln!(
                "{}",
                lang.pick(
                    "工作簿是二进制文件，不输出到终端：请用 --out FILE.xlsx 指定文件，或重定向输出（> FILE.xlsx）",
                    "a workbook is binary and is not written to a terminal: give --out FILE.xlsx or redirect the output (> FILE.xlsx)"
                )
            );
            return ExitCode::FAILURE;
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|_| stdout.flush())
                .map_err(|e| e.to_string())
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "{}: {e}",
                lang.pick("无法写出工作簿", "cannot write the workbook")
            );
            ExitCode::FAILURE
        }
    }
}
