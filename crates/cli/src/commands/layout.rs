//! `budgetflow layout FILE.pdf` → the PDF's layout as the readers see it, then what the template
//! profiles make of it: the first step of adding a region (docs/formats.md).

use std::path::Path;

use crate::exit::{CliError, Outcome};

pub fn run(file: &Path) -> Result<Outcome, CliError> {
    let bytes = budgetflow_formats::decode::read_limited(file)
        .map_err(|e| super::cannot_read(file, |lang| e.message(lang)))?;
    if !bytes.starts_with(b"%PDF-") {
        return Err(super::cannot_read(file, |lang| {
            lang.pick(
                "只有 PDF 有版面可显示（文本导出件、JSON 和工作簿按其固定格式读取）",
                "only a PDF has a layout to show (the text export, JSON and workbooks are read by their fixed formats)",
            )
            .to_owned()
        }));
    }
    let layout = budgetflow_formats::pdf_layout(&bytes)
        .map_err(|e| super::cannot_read(file, |lang| e.message(lang)))?;
    let mut out = crate::output::stdout_buffered();
    out.line(layout.outline())?;
    out.text(&budgetflow_formats::profile::explain(&layout))?;
    out.finish()?;
    Ok(Outcome::Clean)
}
