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
//! A disclosure the validator finds errors in is refused: it is not published. Each file's
//! fate is printed as it comes. The result is clean (exit 0) when all are published; findings
//! (exit 1) when some were refused; unreadable or failed (exit 2) when some input could not be
//! read or some publication could not be written.

use std::path::{Path, PathBuf};

use budgetflow_model::DepartmentCode;
use budgetflow_model::Lang;
use budgetflow_publish::archive::{Archive, SubmissionVersion};
use budgetflow_publish::bundle;

use crate::exit::{CliError, ErrorKind, Outcome};

pub fn run(files: &[PathBuf], out: &Path, lang: Lang) -> Result<Outcome, CliError> {
    let archive = Archive::new(out).with_lang(lang);
    let (mut unreadable, mut refused, mut failed) = (false, false, false);
    let mut site_index = None;
    let mut stdout = crate::output::stdout();
    for file in files {
        let doc = match super::read(file) {
            Ok(d) => d,
            Err(error) => {
                error.report(lang);
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
            refused = true;
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
                stdout.line(format_args!(
                    "{}: {} ({} {}, {state})",
                    file.display(),
                    done.page.display(),
                    lang.pick("版本", "version"),
                    done.version
                ))?;
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
        stdout.line(format_args!(
            "{}: {}",
            lang.pick("站点索引", "Site index"),
            site_index.display()
        ))?;
    }
    stdout.finish()?;
    // each file's problem was printed where it came
    if unreadable {
        Err(CliError::reported(ErrorKind::Unreadable))
    } else if failed {
        Err(CliError::reported(ErrorKind::Failed))
    } else if refused {
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Clean)
    }
}
