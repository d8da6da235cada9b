//! The site's front page: an index of every published disclosure across departments and
//! years, with each one's headline totals, and a bureau-wide roll-up (sums per year across
//! departments). The sink stores one [`IndexEntry`] per publication (built when the
//! publication is rendered, kept as JSON) and calls [`index_page`] with all of them.
//!
//! Its headers and labels are in the [`Lang`] asked for (`crate::chrome`); departments and
//! titles as published. Same look as the department page, no scripts: the table can be reordered by following a
//! column's link, which shows a pre-sorted copy (`:target`), so sorting works in any browser.
//!
//! A department's link comes only from its entry's [`IndexEntry::href`] (the archive builds it
//! from the department's registered ASCII code), never from its name, and only an href that
//! is a [`safe_href`] — a relative path of plain ASCII — becomes a link; any other is shown as
//! the department's name without a link. Every text and attribute value is escaped.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write;

use budgetflow_model::tables::{ProjectName, ThreePublicLine};
use budgetflow_model::{Amount, Document, Lang, MoneyUnit};
use serde::{Deserialize, Serialize};

use crate::chrome::{translate, Text};
use crate::html::{escape, STYLE};

/// The headline figures of one publication, all amounts in 万元 as Decimal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub department: String,
    pub fiscal_year: i32,
    /// The cover title (`2025 年部门预算公开`).
    pub title: String,
    /// Where the department's page is, relative to the index; linked only if it is a
    /// [`safe_href`].
    pub href: String,
    /// 收入总计 (表1).
    pub revenue_total: Option<Amount>,
    /// 支出总计 (表1).
    pub expenditure_total: Option<Amount>,
    /// 基本支出 (表3 合计 row).
    pub basic: Option<Amount>,
    /// 项目支出 (表3 合计 row).
    pub project: Option<Amount>,
    /// “三公”经费 合计 (表10).
    pub three_public: Option<Amount>,
    /// Distinct projects of 表7.
    pub projects: usize,
    /// Of which classified (特定目标).
    pub classified: usize,
}

impl IndexEntry {
    /// The entry of `doc`, whose page is at `href`.
    pub fn of(doc: &Document, href: &str) -> IndexEntry {
        let t = &doc.tables;
        // an amount printed in 万元 keeps its printed digits; one in 元 or 亿元 is converted
        let wan = |value: Option<Amount>, unit: MoneyUnit| {
            value.map(|a| match unit {
                MoneyUnit::TenThousandYuan => a,
                _ => Amount::new(
                    a.convert(unit, MoneyUnit::TenThousandYuan)
                        .value()
                        .normalize(),
                ),
            })
        };
        let overall = t.overall.as_ref();
        let overall_unit = overall.map_or(MoneyUnit::TenThousandYuan, |x| x.header.unit);
        let expenditure = t.expenditure.as_ref();
        let expenditure_unit = expenditure.map_or(MoneyUnit::TenThousandYuan, |x| x.header.unit);
        let split = expenditure.and_then(|x| x.total()).map(|r| &r.amounts);
        let three_public = t.three_public.as_ref().and_then(|x| {
            let total = x.line(ThreePublicLine::Total)?.amounts.total;
            wan(total, x.header.unit)
        });
        let mut names: Vec<&ProjectName> = t
            .projects
            .iter()
            .flat_map(|x| x.projects())
            .filter_map(|r| r.project.as_ref())
            .collect();
        names.sort_unstable();
        names.dedup();
        IndexEntry {
            department: doc.identity.department.clone(),
            fiscal_year: doc.identity.fiscal_year.get(),
            title: doc.identity.title.clone(),
            href: href.to_string(),
            revenue_total: wan(overall.and_then(|x| x.revenue_total), overall_unit),
            expenditure_total: wan(overall.and_then(|x| x.expenditure_total), overall_unit),
            basic: wan(split.and_then(|a| a.basic), expenditure_unit),
            project: wan(split.and_then(|a| a.project), expenditure_unit),
            three_public,
            projects: names.len(),
            classified: names.iter().filter(|n| n.is_classified()).count(),
        }
    }
}

/// One column of the index: its heading, the anchor of the copy sorted by it, and how to
/// compare two entries by it.
struct Column {
    heading: Text,
    anchor: &'static str,
    amount: Option<fn(&IndexEntry) -> Option<Amount>>,
}

const AMOUNTS: [Column; 5] = [
    Column {
        heading: Text::RevenueTotal,
        anchor: "by-revenue",
        amount: Some(|e| e.revenue_total),
    },
    Column {
        heading: Text::ExpenditureTotal,
        anchor: "by-expenditure",
        amount: Some(|e| e.expenditure_total),
    },
    Column {
        heading: Text::Basic,
        anchor: "by-basic",
        amount: Some(|e| e.basic),
    },
    Column {
        heading: Text::Project,
        anchor: "by-project",
        amount: Some(|e| e.project),
    },
    Column {
        heading: Text::ThreePublic,
        anchor: "by-three-public",
        amount: Some(|e| e.three_public),
    },
];

const BY_DEPARTMENT: Column = Column {
    heading: Text::Department,
    anchor: "by-department",
    amount: None,
};

/// What the index adds to the page's stylesheet: only the sorted copy being looked at shows.
const INDEX_STYLE: &str = r#"
.order { display: none; }
.order:target, .order.default { display: block; }
.order:target ~ .order.default { display: none; }
th a { color: inherit; }
th a::after { content: " ↓"; color: #888; font-weight: normal; }
td.count { text-align: right; font-variant-numeric: tabular-nums; }
"#;

/// The index page of `entries`, its chrome in `lang`: the roll-up per year, then every
/// publication.
pub fn index_page(entries: &[IndexEntry], lang: Lang) -> String {
    let mut out = String::with_capacity(4096 + entries.len() * 1024);
    let title = Text::IndexTitle.get(lang);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}{INDEX_STYLE}</style>\n</head>\n<body>\n<header>\n\
         <h1>{title}</h1>\n<p class=\"subtitle\">{}</p>\n</header>\n<main>\n",
        Text::HtmlLang.get(lang),
        Text::IndexSubtitle.fill(lang, &[&entries.len(), &wan(lang)]),
    );
    rollup(&mut out, entries, lang);
    let _ = writeln!(
        out,
        "<section id=\"index\">\n<h2>{}</h2>",
        Text::IndexHeading.get(lang)
    );
    if entries.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            Text::NothingPublished.get(lang)
        );
    }
    // The table is printed once per order (the page sorts without script): each row is
    // rendered once and copied into every order.
    let mut sorted: Vec<(&IndexEntry, String)> = entries.iter().map(|e| (e, row(e))).collect();
    for column in AMOUNTS.iter().chain([&BY_DEPARTMENT]) {
        match column.amount {
            Some(amount) => sorted.sort_by(|(a, _), (b, _)| {
                amount(b)
                    .cmp(&amount(a))
                    .then_with(|| by_year_and_department(a, b))
            }),
            None => sorted.sort_by(|(a, _), (b, _)| {
                a.department
                    .cmp(&b.department)
                    .then(b.fiscal_year.cmp(&a.fiscal_year))
            }),
        }
        listing(
            &mut out,
            &sorted,
            column.anchor,
            column.heading,
            false,
            lang,
        );
    }
    sorted.sort_by(|(a, _), (b, _)| by_year_and_department(a, b));
    listing(&mut out, &sorted, "by-year", Text::Year, true, lang);
    out.push_str("</section>\n</main>\n</body>\n</html>\n");
    out
}

/// The index's unit, `万元`, in `lang`.
fn wan(lang: Lang) -> &'static str {
    translate(MoneyUnit::TenThousandYuan.label(), lang)
}

/// The newest year first, departments in order within a year.
fn by_year_and_department(a: &IndexEntry, b: &IndexEntry) -> Ordering {
    b.fiscal_year
        .cmp(&a.fiscal_year)
        .then_with(|| a.department.cmp(&b.department))
}

fn amount_cell(out: &mut String, value: Option<Amount>) {
    let _ = write!(
        out,
        "<td class=\"amount\">{}</td>",
        value.map(Amount::grouped).unwrap_or_default()
    );
}

/// One sorted copy of the index table, of the `rows` rendered for its entries.
fn listing(
    out: &mut String,
    rows: &[(&IndexEntry, String)],
    anchor: &str,
    order: Text,
    default: bool,
    lang: Lang,
) {
    let _ = write!(
        out,
        "<div class=\"order{}\" id=\"{anchor}\">\n<div class=\"scroll\">\n<table>\n\
         <caption><span class=\"meta\"><span>{}</span><span>{}</span></span></caption>\n\
         <thead><tr><th scope=\"col\"><a href=\"#by-department\">{}</a></th>\
         <th scope=\"col\"><a href=\"#by-year\">{}</a></th>",
        if default { " default" } else { "" },
        Text::SortedBy.fill(lang, &[&order.get(lang)]),
        Text::Unit.fill(lang, &[&wan(lang)]),
        Text::Department.get(lang),
        Text::Year.get(lang),
    );
    for c in &AMOUNTS {
        let _ = write!(
            out,
            "<th scope=\"col\"><a href=\"#{}\">{}</a></th>",
            c.anchor,
            c.heading.get(lang)
        );
    }
    counts_heading(out, lang);
    for (_, row) in rows {
        out.push_str(row);
    }
    out.push_str("</tbody>\n</table>\n</div>\n</div>\n");
}

/// The index table's row of `e`, a line.
fn row(e: &IndexEntry) -> String {
    let mut out = String::with_capacity(512);
    match safe_href(&e.href) {
        Some(href) => {
            let _ = write!(
                out,
                "<tr><td><a href=\"{}\">{}</a></td>",
                escape(href),
                escape(&e.department)
            );
        }
        None => {
            let _ = write!(out, "<tr><td>{}</td>", escape(&e.department));
        }
    }
    let _ = write!(out, "<td class=\"count\">{}</td>", e.fiscal_year);
    for c in &AMOUNTS {
        amount_cell(&mut out, c.amount.and_then(|f| f(e)));
    }
    let _ = writeln!(
        out,
        "<td class=\"count\">{}</td><td class=\"count\">{}</td></tr>",
        e.projects, e.classified
    );
    out
}

/// `href` if it can only lead to a page of the site: a relative path of ASCII letters,
/// digits and `.` `_` `~` `/` `-`, not starting with `/`, without an empty, `.` or `..`
/// segment. Without `:` it names no scheme (`javascript:`), without `/` first no other host
/// (`//evil`), and it holds nothing an attribute or a URL would read specially (`"`, `<`,
/// `%`, `?`, `#`, `\`, spaces, other scripts).
pub fn safe_href(href: &str) -> Option<&str> {
    let plain = href
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'/' | b'-'));
    let segments_ok = href
        .split('/')
        .all(|segment| !matches!(segment, "" | "." | ".."));
    (plain && segments_ok).then_some(href)
}

/// Sums per year across departments; a department that did not print a figure adds nothing
/// to its sum and is counted beside it.
fn rollup(out: &mut String, entries: &[IndexEntry], lang: Lang) {
    let mut years: BTreeMap<i32, Vec<&IndexEntry>> = BTreeMap::new();
    for e in entries {
        years.entry(e.fiscal_year).or_default().push(e);
    }
    let _ = write!(
        out,
        "<section id=\"rollup\">\n<h2>{}</h2>\n<div class=\"scroll\">\n<table>\n\
         <caption><span class=\"title\">{}</span>\
         <span class=\"meta\"><span>{}</span><span>{}</span></span></caption>\n\
         <thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        Text::Rollup.get(lang),
        Text::RollupTitle.get(lang),
        Text::RollupNote.get(lang),
        Text::Unit.fill(lang, &[&wan(lang)]),
        Text::Year.get(lang),
        Text::Departments.get(lang),
    );
    for c in &AMOUNTS {
        let _ = write!(out, "<th scope=\"col\">{}</th>", c.heading.get(lang));
    }
    counts_heading(out, lang);
    for (year, group) in years.iter().rev() {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{year}</th><td class=\"count\">{}</td>",
            group.len()
        );
        for c in &AMOUNTS {
            let Some(f) = c.amount else { continue };
            let values: Vec<Amount> = group.iter().filter_map(|e| f(e)).collect();
            let missing = group.len() - values.len();
            let sum: Option<Amount> = (!values.is_empty()).then(|| values.into_iter().sum());
            if missing == 0 {
                amount_cell(out, sum);
            } else {
                let _ = write!(
                    out,
                    "<td class=\"amount\">{}<br><span class=\"note\">{}</span></td>",
                    sum.map(Amount::grouped).unwrap_or_default(),
                    Text::NotPrinted.fill(lang, &[&missing])
                );
            }
        }
        let _ = writeln!(
            out,
            "<td class=\"count\">{}</td><td class=\"count\">{}</td></tr>",
            group.iter().map(|e| e.projects).sum::<usize>(),
            group.iter().map(|e| e.classified).sum::<usize>()
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

/// The last two column headings of both tables (projects, of which classified), closing the
/// head.
fn counts_heading(out: &mut String, lang: Lang) {
    let _ = write!(
        out,
        "<th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        Text::Projects.get(lang),
        Text::Classified.get(lang)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_relative_path_is_a_link() {
        for good in [
            "miit/2025/34d0446794c62ebc/index.html",
            "d-0123456789abcdef/2025/v1/index.html",
            "a_b~c.d-e/index.html",
        ] {
            assert_eq!(safe_href(good), Some(good));
        }
        for bad in [
            "",
            "javascript:alert(document.domain)<!--/2025/v/index.html",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "/etc/passwd",
            "//example.invalid/x",
            "../other/index.html",
            "a/../../index.html",
            "a/./b",
            "a//b",
            "a/",
            "乌鲁木齐市工业和信息化局/2025/v/index.html",
            "a%2e%2e/b",
            "a b/index.html",
            "a\"onmouseover=\"alert(1)",
            "a?x=1",
            "a#x",
            "a\\b",
            "a\tb",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }
}
