//! `budgetflow synth --departments N --seed S --out DIR`: synthetic disclosures, each written
//! as the text layout (`NNNN-<department>.txt`) and as canonical JSON (`.json`).
//!
//! With `--years 2024-2025`, each department's disclosures of both years
//! (`NNNN-<department>-2024.txt`, `…-2025.txt`, and their `.json`), consistent with each other;
//! `--plant-yoy` plants year-over-year inconsistencies in every pair and lists them in
//! `planted.json`, each with both files, the rule that should report it, its subject and what
//! was changed.

use std::path::Path;

use budgetflow_model::{Document, Lang};
use budgetflow_synth::Plant;

use crate::exit::{CliError, Outcome};

pub fn run(departments: usize, seed: u64, out: &Path, lang: Lang) -> Result<Outcome, CliError> {
    create_dir(out)?;
    for index in 0..departments {
        let doc = budgetflow_synth::document(seed, index);
        let stem = format!("{index:04}-{}", doc.identity.department);
        write_document(out, &stem, &doc)?;
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

/// Each department's disclosures of `year − 1` and `year`, with `plants` planted, and
/// `planted.json` listing what was planted.
pub fn run_pairs(
    departments: usize,
    seed: u64,
    year: i32,
    plants: &[Plant],
    out: &Path,
    lang: Lang,
) -> Result<Outcome, CliError> {
    create_dir(out)?;
    let mut planted = Vec::new();
    for index in 0..departments {
        let pair = budgetflow_synth::consecutive_years(seed, index, year, plants);
        let stem = |doc: &Document| {
            format!(
                "{index:04}-{}-{}",
                doc.identity.department, doc.identity.fiscal_year
            )
        };
        let (previous, current) = (stem(&pair.previous), stem(&pair.current));
        write_document(out, &previous, &pair.previous)?;
        write_document(out, &current, &pair.current)?;
        planted.extend(pair.planted.iter().map(|p| {
            serde_json::json!({
                "previous": format!("{previous}.txt"),
                "current": format!("{current}.txt"),
                "plant": p.plant.name(),
                "rule": p.rule,
                "subject": p.subject,
                "changed": p.changed,
            })
        }));
    }
    if !plants.is_empty() {
        let body = serde_json::to_string_pretty(&planted).map_err(|e| {
            CliError::failed(move |lang| format!("{}: {e}", lang.pick("无法写入", "cannot write")))
        })? + "\n";
        write(&out.join("planted.json"), body)?;
    }
    let mut stdout = crate::output::stdout();
    stdout.line(format_args!(
        "{} {departments} {} {}–{year} → {}",
        lang.pick("已生成", "wrote"),
        lang.pick("个部门的两年预算公开", "departments' disclosures of"),
        year - 1,
        out.display()
    ))?;
    if !plants.is_empty() {
        stdout.line(format_args!(
            "{} {} → {}",
            lang.pick("已植入", "planted"),
            planted.len(),
            out.join("planted.json").display()
        ))?;
    }
    stdout.finish()?;
    Ok(Outcome::Clean)
}

/// A document as the text layout (`<stem>.txt`) and as canonical JSON (`<stem>.json`).
fn write_document(out: &Path, stem: &str, doc: &Document) -> Result<(), CliError> {
    let text = budgetflow_formats::text::write(doc);
    let json = budgetflow_formats::json::write(doc);
    for (ext, body) in [("txt", text), ("json", json)] {
        write(&out.join(format!("{stem}.{ext}")), body)?;
    }
    Ok(())
}

fn write(path: &Path, body: String) -> Result<(), CliError> {
    std::fs::write(path, body).map_err(|e| {
        CliError::failed(|lang| {
            format!(
                "{}: {}: {e}",
                lang.pick("无法写入", "cannot write"),
                path.display()
            )
        })
    })
}

fn create_dir(out: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(out).map_err(|e| {
        CliError::failed(|lang| {
            format!(
                "{}: {}: {e}",
                lang.pick("无法创建目录", "cannot create directory"),
                out.display()
            )
        })
    })
}
