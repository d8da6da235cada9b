//! The result of a validation and its two renderings: the JSON line of
//! `budgetflow validate --format json` (DESIGN.md) and a text report a reviewer can read,
//! grouped by table or section, numbers aligned, with a summary line.

use std::fmt::Write as _;

use serde_json::json;

use budgetflow_model::{Document, TableKind};

use crate::finding::{Figure, Finding, Place};
use crate::rule::{Lang, Severity};

/// Every finding about one document, with counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// `乌鲁木齐市工业和信息化局 2025 年部门预算公开`.
    pub subject: String,
    pub findings: Vec<Finding>,
    /// The tables as the document numbers and titles them, where its template is not the
    /// standard one (`表9 2025年单位“三公”经费和机关运行经费预算表`): a reader finds them by these.
    printed_tables: Vec<(TableKind, String)>,
}

impl Report {
    pub fn new(doc: &Document, findings: Vec<Finding>) -> Report {
        let printed_tables = match doc.template {
            Some(_) => TableKind::ALL
                .into_iter()
                .filter_map(|k| {
                    let h = doc.tables.header(k)?;
                    Some((k, format!("表{} {}", h.number, h.title)))
                })
                .collect(),
            None => Vec::new(),
        };
        Report {
            subject: format!("{} {}", doc.identity.department, doc.identity.title),
            findings,
            printed_tables,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    pub fn infos(&self) -> usize {
        self.count(Severity::Info)
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Findings of one rule.
    pub fn of_rule<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.rule.id == id)
    }

    /// One line of JSON: `{"file", "errors", "warnings", "infos", "findings": [...]}`.
    pub fn to_json_line(&self, file: &str, lang: Lang) -> String {
        json!({
            "file": file,
            "errors": self.errors(),
            "warnings": self.warnings(),
            "infos": self.infos(),
            "findings": self.findings.iter().map(|f| f.to_json(lang)).collect::<Vec<_>>(),
        })
        .to_string()
    }

    /// A place as the document names it: its own table number and title where its template
    /// numbers tables differently from the standard one.
    fn place_label(&self, place: Place, lang: Lang) -> String {
        if let Place::Table(kind) = place {
            if let Some((_, printed)) = self.printed_tables.iter().find(|(k, _)| *k == kind) {
                return printed.clone();
            }
        }
        place.label(lang)
    }

    /// The summary line (`0 个错误，0 个警告，1 个提示`).
    pub fn summary(&self, lang: Lang) -> String {
        let (e, w, i) = (self.errors(), self.warnings(), self.infos());
        match lang {
            Lang::Zh => format!("合计：{e} 个错误，{w} 个警告，{i} 个提示"),
            Lang::En => format!("Total: {e} error(s), {w} warning(s), {i} info"),
        }
    }

    /// The report for a reviewer: a heading, the findings grouped by table or section (in
    /// document order), each with its rule, location and aligned expected / actual /
    /// difference columns, then the message; a summary line at the end.
    pub fn render_text(&self, file: &str, lang: Lang) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{file} — {}", self.subject);
        if self.findings.is_empty() {
            out.push_str(if lang == Lang::Zh {
                "未发现问题。\n"
            } else {
                "No findings.\n"
            });
        }
        let mut order: Vec<&Finding> = self.findings.iter().collect();
        order.sort_by_key(|f| (f.place, f.severity));
        let (exp_h, act_h, diff_h) = match lang {
            Lang::Zh => ("应为", "实为", "相差"),
            Lang::En => ("expected", "actual", "diff"),
        };
        let cells: Vec<[String; 5]> = order
            .iter()
            .map(|f| {
                [
                    f.severity.label(lang).to_string(),
                    f.rule.id.to_string(),
                    match f.location.page_label(lang) {
                        Some(page) if f.location.label().is_empty() => page,
                        Some(page) => format!("{} · {page}", f.location.label()),
                        None => f.location.label(),
                    },
                    f.expected.as_ref().map_or(String::new(), cell),
                    f.actual.as_ref().map_or(String::new(), cell),
                ]
            })
            .collect();
        let width = |i: usize, header: &str| {
            cells
                .iter()
                .map(|c| display_width(&c[i]))
                .chain([display_width(header)])
                .max()
                .unwrap_or(0)
        };
        let (w_sev, w_rule, w_loc, w_exp, w_act) = (
            width(0, ""),
            width(1, ""),
            width(2, ""),
            width(3, exp_h),
            width(4, act_h),
        );
        let mut current: Option<Place> = None;
        for (f, c) in order.iter().zip(&cells) {
            if current != Some(f.place) {
                current = Some(f.place);
                let _ = writeln!(out, "\n{}", self.place_label(f.place, lang));
                let _ = writeln!(
                    out,
                    "  {}  {}  {}  {}  {}  {}",
                    pad("", w_sev),
                    pad("", w_rule),
                    pad("", w_loc),
                    pad_left(exp_h, w_exp),
                    pad_left(act_h, w_act),
                    diff_h
                );
            }
            let diff = f
                .difference
                .filter(|d| !d.is_zero())
                .map_or(String::new(), |d| format!("{d:+}"));
            let _ = writeln!(
                out,
                "  {}  {}  {}  {}  {}  {}",
                pad(&c[0], w_sev),
                pad(&c[1], w_rule),
                pad(&c[2], w_loc),
                pad_left(&c[3], w_exp),
                pad_left(&c[4], w_act),
                diff
            );
            let _ = writeln!(out, "  {}  {}", pad("", w_sev), f.message(lang));
        }
        let _ = writeln!(out, "\n{}", self.summary(lang));
        out
    }
}

/// A figure in a column of the report: long words are cut (the message has them whole).
fn cell(figure: &Figure) -> String {
    const MAX: usize = 24;
    let full = figure.to_string();
    if display_width(&full) <= MAX {
        return full;
    }
    let mut out = String::new();
    for c in full.chars() {
        if display_width(&out) + if is_wide(c) { 2 } else { 1 } > MAX - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Columns a string takes in a terminal: CJK and full-width characters take two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(display_width(s)),
    ));
    out
}

fn pad_left(s: &str, width: usize) -> String {
    let mut out: String =
        std::iter::repeat_n(' ', width.saturating_sub(display_width(s))).collect();
    out.push_str(s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(display_width("303 对个人"), 10);
        assert_eq!(pad_left("1.00", 6), "  1.00");
        assert_eq!(display_width(&pad("表6", 6)), 6);
    }
}
