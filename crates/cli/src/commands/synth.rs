//! `budgetflow synth --departments N --seed S --out DIR`: synthetic disclosures, each written
//! as the text layout (`NNNN-<department>.txt`) and as canonical JSON (`.json`).

use std::path::Path;

use budgetflow_model::Lang;

use crate::exit::{CliError, Outcome};

pub fn run(departments: usize, seed: u64, out: &Path, lang: Lang) -> Result<Outcome, CliError> {
    std::fs::create_dir_all(out).map_err(|e| {
        CliError::failed(|lang| {
            format!(
                "{}: {}: {e}",
                lang.pick("无法创建目录", "cannot create directory"),
                out.display()
            )
        })
    })?;
    for index in 0..departments {
        let doc = budgetflow_synth::document(seed, index);
        let stem = format!("{index:04}-{}", doc.identity.department);
        let text = budgetflow_formats::text::write(&doc);
        let json = budgetflow_formats::json::write(&doc);
        for (ext, body) in [("txt", text), ("json", json)] {
            let path = out.join(format!("{stem}.{ext}"));
            std::fs::write(&path, body).map_err(|e| {
                CliError::failed(|lang| {
                    format!(
                        "{}: {}: {e}",
                        lang.pick("无法写入", "cannot write"),
                        path.display()
                    )
                })
            })?;
        }
    }
    let mut stdout = crate::output::stdout();
    stdout.line(format_args!(
        "{} {departments} {} → {}",
        lang.pick("已生成", "wrote"),
        lang.pick("份部门预算公开", "disclosures"),
        out.display()
    ))?;
    stdout.finish()?;
    Ok(Outcome::Clean)
}
