//! `budgetflow publish FILE… --out DIR` → one public HTML page per disclosure,
//! `<department>-<year>.html`, written atomically and never over an existing page.
//!
//! A disclosure the validator finds errors in is refused: it is not published. Exit 0: all
//! published; 1: some refused or not written; 2: some input could not be read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use budgetflow_model::Lang;
use budgetflow_publish::directory::{self, Written};
use budgetflow_publish::html;

pub fn run(files: &[PathBuf], out: &Path, lang: Lang) -> ExitCode {
    let (mut unreadable, mut failed) = (false, false);
    for file in files {
        let doc = match super::read(file, lang) {
            Ok(d) => d,
            Err(_) => {
                unreadable = true;
                continue;
            }
        };
        let report = budgetflow_validate::validate(&doc);
        if report.has_errors() {
            eprintln!(
                "{}: {}",
                file.display(),
                lang.pick(
                    "审核发现错误，拒绝发布（请先运行 budgetflow validate 查看并修正）",
                    "the validator reports errors; not published (run budgetflow validate)"
                )
            );
            failed = true;
            continue;
        }
        let name = html::file_name(&doc);
        match directory::write_once(out, &name, html::page(&doc).as_bytes()) {
            Ok(Written::Created(path)) => println!("{}", path.display()),
            Ok(Written::AlreadyThere(path)) => println!(
                "{} ({})",
                path.display(),
                lang.pick("已存在，未改写", "already there, not rewritten")
            ),
            Err(e) => {
                eprintln!("{}: {e}", lang.pick("无法写入", "cannot write"));
                failed = true;
            }
        }
    }
    if unreadable {
        ExitCode::from(super::UNREADABLE)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
