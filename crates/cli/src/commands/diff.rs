//! `budgetflow diff OLD NEW [--format text|json] [--lang zh|en]`: what a resubmission changed
//! since the version a reviewer saw, compared by meaning ([`budgetflow_validate::diff()`]).
//!
//! Exit 0 when the two versions say the same things, 1 when they differ, 2 when either file
//! cannot be read. The JSON form is the library's [`VersionDiff`] with the two file names, one
//! object on one line, as the API will return it.

use std::fmt::Write as _;
use std::path::Path;

use budgetflow_model::{Amount, Lang};
use budgetflow_validate::diff::{
    CellChange, FindingRef, ParagraphChange, ParagraphChangeKind, RowChange, RowChangeKind,
};
use budgetflow_validate::VersionDiff;

use crate::args::Format;
use crate::exit::{CliError, Outcome};

pub fn run(old: &Path, new: &Path, format: Format, lang: Lang) -> Result<Outcome, CliError> {
    let (before, after) = (super::read(old)?, super::read(new)?);
    let diff = budgetflow_validate::diff(&before, &after);
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    let mut out = crate::output::stdout_buffered();
    match format {
        Format::Json => {
            let line = serde_json::json!({"old": old_name, "new": new_name, "diff": diff});
            out.line(line)?;
        }
        Format::Text => out.text(&render_text(&diff, &old_name, &new_name, lang))?,
    }
    out.finish()?;
    Ok(if diff.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// The report for a reviewer: the changed cells, rows and paragraphs, then the findings
/// resolved, new and still open, then a summary line.
fn render_text(diff: &VersionDiff, old: &str, new: &str, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{old} → {new}");
    if diff.is_empty() {
        out.push_str(lang.pick(
            "两个版本内容一致，没有差异。\n",
            "The two versions say the same things: no differences.\n",
        ));
    }
    listed(
        &mut out,
        lang,
        ("单元格变动", "Changed cells"),
        &diff.cells,
        cell_line,
    );
    listed(
        &mut out,
        lang,
        ("增删或改名的行", "Rows added, removed or relabelled"),
        &diff.rows,
        row_line,
    );
    if !diff.paragraphs.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            heading(
                lang,
                "段落变动",
                "Changed paragraphs",
                diff.paragraphs.len()
            )
        );
        for p in &diff.paragraphs {
            paragraph(&mut out, p, lang);
        }
    }
    let f = &diff.findings;
    for (list, zh, en) in [
        (&f.resolved, "已解决的问题", "Resolved findings"),
        (&f.new, "新出现的问题", "New findings"),
        (&f.still_open, "仍未解决的问题", "Findings still open"),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", heading(lang, zh, en, list.len()));
        for finding in list {
            let _ = writeln!(out, "  {}", finding_line(finding, lang));
        }
    }
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "\n合计：{} 个单元格、{} 行、{} 个段落变动；问题已解决 {} 个，新出现 {} 个，仍未解决 {} 个",
            diff.cells.len(),
            diff.rows.len(),
            diff.paragraphs.len(),
            f.resolved.len(),
            f.new.len(),
            f.still_open.len()
        ),
        Lang::En => writeln!(
            out,
            "\nTotal: {} cell(s), {} row(s), {} paragraph(s) changed; findings resolved {}, new {}, still open {}",
            diff.cells.len(),
            diff.rows.len(),
            diff.paragraphs.len(),
            f.resolved.len(),
            f.new.len(),
            f.still_open.len()
        ),
    };
    out
}

/// A part of the report: its heading with the count, then a line per item; nothing when empty.
fn listed<T>(
    out: &mut String,
    lang: Lang,
    (zh, en): (&str, &str),
    items: &[T],
    line: impl Fn(&T, Lang) -> String,
) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", heading(lang, zh, en, items.len()));
    for item in items {
        let _ = writeln!(out, "  {}", line(item, lang));
    }
}

fn heading(lang: Lang, zh: &str, en: &str, n: usize) -> String {
    match lang {
        Lang::Zh => format!("{zh}（{n}）："),
        Lang::En => format!("{en} ({n}):"),
    }
}

fn amount(a: Option<Amount>, lang: Lang) -> String {
    a.map_or_else(|| lang.pick("空", "blank").to_owned(), Amount::grouped)
}

fn cell_line(c: &CellChange, lang: Lang) -> String {
    format!(
        "{} · {} · {}{}{} → {} {}",
        c.table.label(lang),
        c.row.label(lang),
        c.column.label,
        lang.pick("：", ": "),
        amount(c.old, lang),
        amount(c.new, lang),
        c.unit.label(),
    )
}

fn row_line(r: &RowChange, lang: Lang) -> String {
    let (table, row) = (r.table.label(lang), r.row.label(lang));
    let change = match r.change {
        RowChangeKind::Added => lang.pick("新增", "added"),
        RowChangeKind::Removed => lang.pick("删除", "removed"),
        RowChangeKind::Relabelled => {
            let old = r
                .old_row
                .as_ref()
                .map(|o| o.label(lang))
                .unwrap_or_default();
            return match lang {
                Lang::Zh => format!("{table} · {row}：原为“{old}”"),
                Lang::En => format!("{table} · {row}: was “{old}”"),
            };
        }
    };
    let cells: Vec<String> = r
        .cells
        .iter()
        .map(|c| format!("{} {}", c.column.label, c.value.grouped()))
        .collect();
    let cells = format!("{} {}", cells.join(lang.pick("，", ", ")), r.unit.label());
    match lang {
        Lang::Zh => format!("{table} · {row}：{change}（{cells}）"),
        Lang::En => format!("{table} · {row}: {change} ({cells})"),
    }
}

fn paragraph(out: &mut String, p: &ParagraphChange, lang: Lang) {
    let section = p.section.label(lang);
    let position = p.new_position.or(p.old_position).unwrap_or_default();
    let change = match p.change {
        ParagraphChangeKind::Changed => lang.pick("修改", "changed"),
        ParagraphChangeKind::Added => lang.pick("新增", "added"),
        ParagraphChangeKind::Removed => lang.pick("删除", "removed"),
    };
    let _ = match lang {
        Lang::Zh => writeln!(out, "  {section} 第{position}段：{change}"),
        Lang::En => writeln!(out, "  {section} paragraph {position}: {change}"),
    };
    if let Some(old) = &p.old {
        let _ = writeln!(out, "    {}{old}", lang.pick("原：", "old: "));
    }
    if let Some(new) = &p.new {
        let _ = writeln!(out, "    {}{new}", lang.pick("新：", "new: "));
    }
}

fn finding_line(f: &FindingRef, lang: Lang) -> String {
    format!(
        "{}  {}  {}",
        f.severity.label(lang),
        f.rule,
        f.message(lang)
    )
}
