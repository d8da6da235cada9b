//! The public page of one disclosure: a single static HTML file a citizen can read on a
//! phone or print — the department overview, tables with their real headers (the columns, numbers and titles its template prints), the
//! explanation sections (projects and performance tables included) and the glossary. Its
//! chrome (headings, captions, column headers, labels) is in the [`Lang`] asked for, from
//! `crate::chrome`; the document's own text is shown as printed.
//!
//! Plain HTML with one inline stylesheet and charts drawn as inline SVG: no scripts, no
//! `style` or event attributes, no external requests, so the page (and the site index, which
//! is built the same way) works under [`CONTENT_SECURITY_POLICY`]. Every piece of text from the
//! document is escaped ([`escape`]) in element text and attribute values alike; no text from
//! the document becomes a link. A classified project
//! (`特定目标 XXXXXXXX`) is shown only by that label, and `完全不予公开` (`Withheld in full`)
//! stands wherever its details would be.

mod charts;
mod narrative;
mod tables;

use std::fmt::Write;

use budgetflow_model::tables::ProjectName;
use budgetflow_model::{Document, Lang};

use crate::chrome::Text;

/// The stylesheet: system Chinese fonts, tables that scroll sideways on a phone, amounts
/// right-aligned, and a print layout without the scrolling boxes.
pub(crate) const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: "PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif; line-height: 1.7; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 72rem; padding: 1rem; }
h1 { font-size: 1.6rem; text-align: center; margin: 1rem 0 0.25rem; }
.subtitle { text-align: center; color: #555; margin: 0 0 1.5rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #b22; padding-bottom: 0.2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 1.5rem; }
h4 { font-size: 1rem; margin-top: 1.2rem; }
nav ol { columns: 2; padding-left: 1.5rem; }
.scroll { overflow-x: auto; margin: 1rem 0 0.5rem; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 100%; }
caption { text-align: left; padding-bottom: 0.4rem; }
caption .title { display: block; font-weight: bold; font-size: 1.05rem; text-align: center; }
caption .meta { display: flex; justify-content: space-between; gap: 1rem; color: #444; font-size: 0.85rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.45rem; vertical-align: top; }
th { background: #f2f2f2; font-weight: 600; text-align: center; }
td.amount { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.code { white-space: nowrap; font-family: ui-monospace, monospace; }
tr.total td { font-weight: bold; background: #fafafa; }
tr.subtotal td { font-weight: 600; }
td.empty { text-align: center; color: #555; padding: 1rem; }
.note { color: #444; font-size: 0.9rem; }
.withheld { color: #8a1c1c; font-weight: 600; }
dl.project { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0 1rem; }
dl.project dt { font-weight: 600; }
dl.project dd { margin: 0; }
dl.glossary dt { font-weight: 600; margin-top: 0.6rem; }
dl.glossary dd { margin-left: 1.5rem; }
figure { margin: 1rem 0 1.5rem; }
figure svg { display: block; height: auto; max-width: 720px; }
@media (max-width: 40rem) {
  body { padding: 0.5rem; font-size: 0.95rem; }
  nav ol { columns: 1; }
  dl.project { grid-template-columns: 1fr; }
  dl.project dd { margin-left: 1rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  .scroll { overflow: visible; }
  table { font-size: 9pt; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { page-break-after: avoid; border-color: #000; }
  section.table { page-break-inside: avoid; }
  th { background: none; }
}
"#;

/// The `Content-Security-Policy` a server should send with the pages and the site index: they
/// need their one inline `<style>` block (`style-src 'unsafe-inline'`: a hash would break every
/// page published before the stylesheet last changed) and nothing else — no script, font,
/// frame, form or connection; `img-src 'self'` only lets the browser ask for the site's
/// favicon.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'";

/// What stands in place of every detail of a classified project, in the public data (which
/// stays in Chinese whatever the page's language).
pub(crate) const WITHHELD: &str = Text::Withheld.zh();

/// Renders the whole page, its chrome in `lang` (the document's own text as printed).
pub fn page(doc: &Document, lang: Lang) -> String {
    let id = &doc.identity;
    let mut out = String::with_capacity(128 * 1024);
    let title = format!("{} {}", id.department, id.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n\
         <p class=\"subtitle\">{}</p>\n</header>\n",
        Text::HtmlLang.get(lang),
        escape(&title),
        escape(&id.department),
        escape(&id.title),
    );
    contents(&mut out, lang);
    out.push_str("<main>\n");
    narrative::overview(&mut out, doc, lang);
    tables::all(&mut out, doc, lang);
    narrative::sections(&mut out, doc, lang);
    narrative::glossary(&mut out, doc, lang);
    out.push_str("</main>\n<footer>\n");
    if let Some(signature) = &id.signature {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(signature));
    }
    if let Some(date) = id.published {
        let date = date.format(Text::DateFormat.get(lang));
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            Text::PublishedOn.fill(lang, &[&date])
        );
    }
    out.push_str("</footer>\n</body>\n</html>\n");
    out
}

/// The table of contents of the four parts.
fn contents(out: &mut String, lang: Lang) {
    let _ = write!(
        out,
        "<nav aria-label=\"{}\">\n<ol>\n\
         <li><a href=\"#overview\">{}</a></li>\n\
         <li><a href=\"#tables\">{}</a></li>\n\
         <li><a href=\"#narrative\">{}</a></li>\n\
         <li><a href=\"#glossary\">{}</a></li>\n\
         </ol>\n</nav>\n",
        Text::Contents.get(lang),
        Text::PartOverview.get(lang),
        Text::PartTables.get(lang),
        Text::PartNarrative.get(lang),
        Text::PartGlossary.get(lang),
    );
}

/// Escapes text for an HTML element or a double- or single-quoted attribute value: `&`, `<`,
/// `>`, `"` and `'` become character references. (A URL attribute needs more than escaping:
/// see `crate::site::safe_href`.)
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// How a project is named on the page: a classified one only as `特定目标 <code>`.
pub(crate) fn project_label(name: &str) -> String {
    match ProjectName::new(name).classified_code() {
        Some(code) => format!("特定目标 {code}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("一般公共预算"), "一般公共预算");
    }

    #[test]
    fn classified_projects_keep_only_their_code() {
        assert_eq!(project_label("特定目标8010140M"), "特定目标 8010140M");
        assert_eq!(project_label("辅助履职人员支出"), "辅助履职人员支出");
    }
}
