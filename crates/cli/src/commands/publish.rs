//! `budgetflow publish FILE… --out DIR` → the full publication of each disclosure (page,
//! open data, canonical JSON, manifest) as a version in the archive under DIR
//! (`<code>/<year>/<version>/`, the code derived from the department's name: there is no
//! ledger to register one), made current, and the site index `DIR/index.html` rebuilt.
//! Without a ledger there is no submission version: each publication is newer than whatever
//! is current (the current submission version + 1), so the file published last is current;
//! publishing the current content again writes nothing. `--lang en` publishes the pages
//! and the index with their chrome in English (the disclosures' text and the open data as
//! printed); a page in the other language is another version.
//!
//! A disclosure the validator finds errors in is refused: it is not published. Exit 0: all
//! published; 1: some refused or not written; 2: some input could not be read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use budgetflow_model::DepartmentCode;
use budgetflow_model::Lang;
use budgetflow_publish::archive::{Archive, SubmissionVersion};
use budgetflow_publish::bundle;

pub fn run(files: &[PathBuf], out: &Path, lang: Lang) -> ExitCode {
    let archive = Archive::new(out).with_lang(lang);
    let (mut unreadable, mut failed) = (false, false);
    let mut site_index = None;
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
        let code = DepartmentCode::derived(&doc.identity.department);
        let bundle = bundle::render_in(&doc, lang);
        match archive.publish(&doc, &bundle, &code, SubmissionVersion::NewerThanCurrent) {
            Ok(done) => {
                let state = match (done.written, done.made_current) {
                    (true, _) => lang.pick("新版本", "new version"),
                    (false, true) => {
                        lang.pick("已有版本，设为当前", "existing version, now current")
                    }
                    (false, false) => {
                        lang.pick("已发布，未改写", "already published, not rewritten")
                    }
                };
                println!(
                    "{}: {} ({} {}, {state})",
                    file.display(),
                    done.page.display(),
                    lang.pick("版本", "version"),
                    done.version
                );
                site_index = Some(done.site_index);
            }
            Err(e) => {
                eprintln!(
                    "{}: {}: {e}",
                    file.display(),
                    lang.pick("无法写入", "cannot write")
                );
                failed = true;
            }
        }
    }
    if let Some(site_index) = site_index {
        println!(
            "{}: {}",
            lang.pick("站点索引", "Site index"),
            site_index.display()
        );
    }
    if unreadable {
        ExitCode::from(super::UNREADABLE)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
