//! Charts drawn at build time as inline SVG: expenditure by function (类 rows of 表3, or the
//! 类 lines of 表1 when 表3 has none) as labelled horizontal bars, and 基本支出 vs 项目支出 as
//! one split bar. Each is an accessible image (`role="img"`, `aria-label`, `<title>`,
//! `<desc>` listing every figure), needs no script or `style` attribute (its width is capped by
//! the page's stylesheet) and requests nothing. A bar's label is the document's row name,
//! escaped like all text of the page. Geometry is computed in `Decimal` like the amounts it
//! draws.

use std::fmt::Write;

use budgetflow_model::{Amount, Document, FunctionLevel, Lang};
use rust_decimal::Decimal;

use super::escape;
use crate::chrome::{translate, Text};

/// Width of the drawing in user units (the SVG scales to the page width).
const WIDTH: u32 = 720;
/// Where bars start: labels sit to the left.
const BAR_X: u32 = 230;
/// The longest bar, leaving room for its amount.
const BAR_MAX: u32 = 380;
const ROW: u32 = 30;

const BAR_COLOR: &str = "#b22";
const PROJECT_COLOR: &str = "#e0a030";

/// The figures, or nothing when the document prints nothing to draw; titles, descriptions
/// and units in `lang` (a bar's label is the document's row name).
pub(super) fn figures(out: &mut String, doc: &Document, lang: Lang) {
    let by_function = by_function(doc);
    let split = basic_and_project(doc);
    if by_function.is_none() && split.is_none() {
        return;
    }
    let _ = writeln!(
        out,
        "<section id=\"charts\" class=\"charts\">\n<h3>{}</h3>",
        Text::Charts.get(lang)
    );
    if let Some((unit, bars)) = by_function {
        function_chart(out, translate(unit, lang), &bars, lang);
    }
    if let Some((unit, basic, project)) = split {
        split_chart(out, translate(unit, lang), basic, project, lang);
    }
    out.push_str("</section>\n");
}

/// `(unit, [(code name, amount)])` of the 类 rows of 表3, else of 表1's expenditure side.
fn by_function(doc: &Document) -> Option<(&'static str, Vec<(String, Amount)>)> {
    let t = &doc.tables;
    if let Some(x) = &t.expenditure {
        let bars: Vec<(String, Amount)> = x
            .coded_rows()
            .filter(|(c, _)| c.level() == FunctionLevel::Class)
            .filter_map(|(c, r)| Some((format!("{c} {}", r.name), r.amounts.total?)))
            .collect();
        if !bars.is_empty() {
            return Some((x.header.unit.label(), bars));
        }
    }
    let x = t.overall.as_ref()?;
    let bars: Vec<(String, Amount)> = x
        .expenditure
        .iter()
        .filter_map(|e| {
            let label = match e.code {
                Some(c) => format!("{c} {}", e.name),
                None => e.name.clone(),
            };
            Some((label, e.amount?))
        })
        .collect();
    (!bars.is_empty()).then(|| (x.header.unit.label(), bars))
}

/// `(unit, 基本支出, 项目支出)` from 表3's 合计 row.
fn basic_and_project(doc: &Document) -> Option<(&'static str, Amount, Amount)> {
    let x = doc.tables.expenditure.as_ref()?;
    let total = &x.total()?.amounts;
    let (basic, project) = (
        total.basic.unwrap_or_default(),
        total.project.unwrap_or_default(),
    );
    (!(basic + project).is_zero()).then(|| (x.header.unit.label(), basic, project))
}

/// `part / whole × scale`, to one decimal (0 when `whole` is zero).
fn scaled(part: Amount, whole: Amount, scale: u32) -> Decimal {
    if whole.is_zero() {
        return Decimal::ZERO;
    }
    (part.value() * Decimal::from(scale) / whole.value()).round_dp(1)
}

fn open_svg(out: &mut String, id: &str, height: u32, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<figure>\n<svg viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" \
         role=\"img\" aria-label=\"{t}\" aria-labelledby=\"{id}-title {id}-desc\">\n\
         <title id=\"{id}-title\">{t}</title>\n<desc id=\"{id}-desc\">{d}</desc>\n\
         <g font-family=\"'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif\" font-size=\"13\" fill=\"#1a1a1a\">\n",
        t = escape(title),
        d = escape(desc),
    );
}

fn close_svg(out: &mut String, caption: &str) {
    let _ = write!(
        out,
        "</g>\n</svg>\n<figcaption class=\"note\">{}</figcaption>\n</figure>\n",
        escape(caption)
    );
}

/// Horizontal bars, one per 类, longest first, each with its label and amount.
fn function_chart(out: &mut String, unit: &str, bars: &[(String, Amount)], lang: Lang) {
    let mut bars: Vec<&(String, Amount)> = bars.iter().collect();
    bars.sort_by_key(|b| std::cmp::Reverse(b.1));
    let max = bars.iter().map(|b| b.1).max().unwrap_or_default();
    let title = Text::ChartByFunction.get(lang);
    let desc = bars
        .iter()
        .map(|(label, amount)| {
            Text::ChartBar
                .fill(lang, &[label, &amount.grouped(), &unit])
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(Text::ListSeparator.get(lang));
    let height = ROW * bars.len() as u32 + 10;
    open_svg(out, "chart-function", height, title, &desc);
    for (i, (label, amount)) in bars.iter().enumerate() {
        let y = 5 + ROW * i as u32;
        let width = scaled(*amount, max, BAR_MAX).max(Decimal::ONE);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{BAR_X}\" y=\"{}\" width=\"{width}\" height=\"{}\" fill=\"{BAR_COLOR}\"/>\
             <text x=\"{}\" y=\"{}\">{} {unit}</text>",
            BAR_X - 8,
            y + 19,
            escape(label),
            y + 4,
            ROW - 8,
            Decimal::from(BAR_X + 6) + width,
            y + 19,
            amount.grouped(),
        );
    }
    close_svg(
        out,
        &Text::ChartByFunctionCaption
            .fill(lang, &[&unit])
            .to_string(),
    );
}

/// One bar split into 基本支出 and 项目支出, with amounts and shares below.
fn split_chart(out: &mut String, unit: &str, basic: Amount, project: Amount, lang: Lang) {
    let total = basic + project;
    let basic_width = scaled(basic, total, WIDTH - 20);
    let basic_share = scaled(basic, total, 100);
    let project_share = Decimal::ONE_HUNDRED - basic_share;
    let title = Text::ChartSplit.get(lang);
    // `基本支出 2,794.98 万元（41.57%）`
    let legend = |part: Text, amount: Amount, share: Decimal| {
        Text::ChartShare
            .fill(lang, &[&part.get(lang), &amount.grouped(), &unit, &share])
            .to_string()
    };
    let basic_legend = legend(Text::Basic, basic, basic_share);
    let project_legend = legend(Text::Project, project, project_share);
    let desc = format!(
        "{basic_legend}{}{project_legend}",
        Text::ListSeparator.get(lang)
    );
    open_svg(out, "chart-split", 90, title, &desc);
    let _ = write!(
        out,
        "<rect x=\"10\" y=\"10\" width=\"{basic_width}\" height=\"32\" fill=\"{BAR_COLOR}\"/>\
         <rect x=\"{}\" y=\"10\" width=\"{}\" height=\"32\" fill=\"{PROJECT_COLOR}\"/>\n\
         <rect x=\"10\" y=\"58\" width=\"14\" height=\"14\" fill=\"{BAR_COLOR}\"/>\
         <text x=\"30\" y=\"70\">{basic_legend}</text>\n\
         <rect x=\"370\" y=\"58\" width=\"14\" height=\"14\" fill=\"{PROJECT_COLOR}\"/>\
         <text x=\"390\" y=\"70\">{project_legend}</text>\n",
        Decimal::TEN + basic_width,
        Decimal::from(WIDTH - 20) - basic_width,
    );
    close_svg(
        out,
        &Text::ChartSplitCaption.fill(lang, &[&unit]).to_string(),
    );
}
