//! `budgetflow layout FILE.pdf` → the PDF's layout as the readers see it, then what the template
//! profiles make of it: the first step of adding a region (docs/formats.md).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use budgetflow_model::Lang;

pub fn run(file: &Path, lang: Lang) -> ExitCode {
    let unreadable = |message: String| {
        eprintln!(
            "{}: {}: {message}",
            lang.pick("无法读取", "cannot read"),
            file.display()
        );
        ExitCode::from(super::UNREADABLE)
    };
    let bytes = match budgetflow_formats::decode::read_limited(file) {
        Ok(b) => b,
        Err(e) => return unreadable(e.message(lang)),
    };
    if !bytes.starts_with(b"%PDF-") {
        return unreadable(
            lang.pick(
                "只有 PDF 有版面可显示（文本导出件、JSON 和工作簿按其固定格式读取）",
                "only a PDF has a layout to show (the text export, JSON and workbooks are read by their fixed formats)",
            )
            .to_string(),
        );
    }
    let layout = match budgetflow_formats::pdf_layout(&bytes) {
        Ok(l) => l,
        Err(e) => return unreadable(e.message(lang)),
    };
    let mut out = std::io::stdout().lock();
    let text = format!(
        "{}\n{}",
        layout.outline(),
        budgetflow_formats::profile::explain(&layout)
    );
    // a closed pipe (`| head`) is not a failure of this command
    let _ = out.write_all(text.as_bytes());
    ExitCode::SUCCESS
}
