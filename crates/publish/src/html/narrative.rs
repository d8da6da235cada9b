//! 第一部分 部门概况, 第三部分 情况说明 (paragraphs, project descriptions, performance-target
//! tables) and 第四部分 名词解释. Headings' numbers are Chinese numerals in Chinese and digits
//! in English; the titles, paragraphs and terms are the document's.

use std::fmt::Write;

use budgetflow_model::narrative::{Disclosed, ProjectDescription};
use budgetflow_model::performance::{DepartmentTargets, Indicator, ProjectTargets};
use budgetflow_model::tables::ProjectName;
use budgetflow_model::{Amount, Block, Document, Lang, MoneyUnit};

use super::{escape, project_label};
use crate::chrome::{numeral, translate, Text};

/// 第一部分: the paragraphs of 主要职能 and 机构设置及人员情况 as printed.
pub(super) fn overview(out: &mut String, doc: &Document, lang: Lang) {
    let _ = writeln!(
        out,
        "<section id=\"overview\">\n<h2>{}</h2>",
        Text::PartOverview.get(lang)
    );
    for (title, paragraphs) in [
        (Text::Functions, &doc.overview.functions_text),
        (Text::Organisation, &doc.overview.organisation_text),
    ] {
        if paragraphs.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<h3>{}</h3>", title.get(lang));
        for p in paragraphs {
            paragraph(out, p);
        }
    }
    out.push_str("</section>\n");
}

/// 第三部分: every section with its blocks in order. The standard template's sections and
/// headings are numbered here; a document of another template prints its own ordinals in its
/// titles (`二、机关运行经费预算`) or none (`2025年单位预算编制说明`), so its titles are shown as
/// printed, and a heading that repeats its section's title is not shown twice.
pub(super) fn sections(out: &mut String, doc: &Document, lang: Lang) {
    let _ = writeln!(
        out,
        "<section id=\"narrative\">\n<h2>{}</h2>",
        Text::PartNarrative.get(lang)
    );
    let as_printed = doc.template.is_some();
    for s in &doc.narrative.sections {
        if as_printed {
            let _ = writeln!(out, "<section>\n<h3>{}</h3>", escape(&s.title));
        } else {
            let _ = writeln!(
                out,
                "<section>\n<h3>{}</h3>",
                Text::Numbered.fill(lang, &[&numeral(s.number, false, lang), &escape(&s.title)])
            );
        }
        for block in &s.blocks {
            match block {
                Block::Heading(h) if as_printed => {
                    if h.title.trim() != s.title.trim() {
                        let _ = writeln!(out, "<h4>{}</h4>", escape(&h.title));
                    }
                }
                Block::Heading(h) => {
                    let _ = writeln!(
                        out,
                        "<h4>{}</h4>",
                        Text::Parenthesised
                            .fill(lang, &[&numeral(h.number, false, lang), &escape(&h.title)])
                    );
                }
                Block::Paragraph(p) => paragraph(out, &p.text),
                Block::Project(p) => project(out, p, lang),
                Block::DepartmentTargets(t) => department_targets(out, t, lang),
                Block::ProjectTargets(t) => project_targets(out, t, lang),
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
}

/// 第四部分.
pub(super) fn glossary(out: &mut String, doc: &Document, lang: Lang) {
    let _ = writeln!(
        out,
        "<section id=\"glossary\">\n<h2>{}</h2>\n<dl class=\"glossary\">",
        Text::PartGlossary.get(lang)
    );
    for e in &doc.glossary {
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            Text::Numbered.fill(lang, &[&numeral(e.number, false, lang), &escape(&e.term)]),
            escape(&e.definition)
        );
    }
    out.push_str("</dl>\n</section>\n");
}

fn paragraph(out: &mut String, text: &str) {
    let _ = writeln!(out, "<p>{}</p>", escape(text));
}

fn withheld(lang: Lang) -> String {
    format!(
        "<span class=\"withheld\">{}</span>",
        Text::Withheld.get(lang)
    )
}

fn money(amount: Option<Amount>, unit: MoneyUnit, lang: Lang) -> String {
    amount
        .map(|a| format!("{} {}", a.grouped(), translate(unit.label(), lang)))
        .unwrap_or_default()
}

/// `单位：万元`: the performance-target tables are printed in 万元.
fn in_wan(lang: Lang) -> String {
    Text::Unit
        .fill(
            lang,
            &[&translate(MoneyUnit::TenThousandYuan.label(), lang)],
        )
        .to_string()
}

/// A project description; for a classified project only its code, its amount and
/// `完全不予公开` for every other detail.
fn project(out: &mut String, p: &ProjectDescription, lang: Lang) {
    let classified = p.name.is_classified();
    let _ = writeln!(
        out,
        "<h4>{}</h4>\n<dl class=\"project\">",
        Text::ProjectHeading.fill(
            lang,
            &[
                &numeral(p.number, true, lang),
                &escape(&project_label(p.name.as_str()))
            ]
        )
    );
    let shown = |text: Option<String>| match text {
        Some(t) if !classified => escape(&t),
        _ => withheld(lang),
    };
    let stated = |d: &Disclosed<String>| shown(d.stated().cloned());
    let items = [
        (Text::PolicyBasis, stated(&p.policy_basis)),
        (Text::BudgetScale, escape(&money(p.amount, p.unit, lang))),
        (
            Text::Implementer,
            if classified {
                withheld(lang)
            } else {
                escape(p.implementer.as_deref().unwrap_or(""))
            },
        ),
        (
            Text::Allocation,
            shown(p.allocation.stated().map(|a| a.text.clone())),
        ),
        (
            Text::Period,
            shown(p.period.stated().map(|t| t.text.clone())),
        ),
    ];
    for (term, value) in items {
        let _ = writeln!(out, "<dt>{}</dt><dd>{value}</dd>", term.get(lang));
    }
    out.push_str("</dl>\n");
}

/// 部门整体绩效目标表.
fn department_targets(out: &mut String, t: &DepartmentTargets, lang: Lang) {
    let _ = writeln!(
        out,
        "<div class=\"scroll\">\n<table>\n<caption><span class=\"title\">{}</span>\
         <span class=\"meta\"><span>{}</span><span>{}</span></span></caption>\n<tbody>",
        Text::DepartmentTargets.fill(lang, &[&escape(&t.year_label)]),
        Text::DepartmentIs.fill(lang, &[&escape(&t.department)]),
        in_wan(lang),
    );
    let contact = [t.contact.as_deref(), t.phone.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !contact.is_empty() {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td colspan=\"7\">{}</td></tr>",
            Text::Contact.get(lang),
            escape(&contact)
        );
    }
    for f in &t.funds {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td colspan=\"6\">{}</td><td class=\"amount\">{}</td></tr>",
            escape(&f.category),
            escape(&f.source),
            f.amount.map(Amount::grouped).unwrap_or_default()
        );
    }
    annual_goal(out, &t.goal, lang);
    indicators(out, &t.indicators, lang);
    out.push_str("</table>\n</div>\n");
}

/// 项目支出绩效目标表; a classified project's table is withheld whole.
fn project_targets(out: &mut String, t: &ProjectTargets, lang: Lang) {
    let name = project_label(&t.project);
    let _ = writeln!(
        out,
        "<div class=\"scroll\">\n<table>\n<caption><span class=\"title\">{}</span>\
         <span class=\"meta\"><span>{}</span><span>{}</span></span></caption>\n<tbody>",
        Text::ProjectTargets.fill(lang, &[&escape(&t.year_label)]),
        Text::ProjectIs.fill(lang, &[&escape(&name)]),
        in_wan(lang),
    );
    if ProjectName::new(t.project.as_str()).is_classified() {
        let _ = writeln!(
            out,
            "<tr><td class=\"empty\" colspan=\"8\">{}</td></tr>\n</tbody>\n</table>\n</div>",
            withheld(lang)
        );
        return;
    }
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td colspan=\"7\">{}</td></tr>",
        Text::BudgetUnit.get(lang),
        escape(&t.budget_unit)
    );
    if let Some(m) = &t.manager {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td colspan=\"7\">{}</td></tr>",
            Text::Manager.get(lang),
            escape(m)
        );
    }
    for (label, value) in [
        (Text::FundsTotal, t.funds.total),
        (Text::FundsFiscal, t.funds.fiscal),
        (Text::FundsOther, t.funds.other),
    ] {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td colspan=\"6\"></td><td class=\"amount\">{}</td></tr>",
            label.get(lang),
            value.map(Amount::grouped).unwrap_or_default()
        );
    }
    annual_goal(out, &t.goal, lang);
    indicators(out, &t.indicators, lang);
    out.push_str("</table>\n</div>\n");
}

/// The goal row closing the head of both target tables.
fn annual_goal(out: &mut String, goal: &str, lang: Lang) {
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td colspan=\"7\">{}</td></tr>\n</tbody>",
        Text::AnnualGoal.get(lang),
        escape(goal)
    );
}

/// The indicator rows shared by both target tables.
fn indicators(out: &mut String, rows: &[Indicator], lang: Lang) {
    out.push_str("<tbody>\n<tr>");
    for label in [
        Text::Level1,
        Text::Level2,
        Text::Level3,
        Text::TargetValue,
        Text::LastYearValue,
        Text::Weight,
        Text::ScoringRule,
        Text::BasisAndSource,
    ] {
        out.push_str("<th scope=\"col\">");
        out.push_str(label.get(lang));
        out.push_str("</th>");
    }
    out.push_str("</tr>\n");
    for i in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"amount\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&i.level1),
            escape(&i.level2),
            escape(&i.level3),
            escape(&i.target.raw),
            escape(i.last_year.as_ref().map(|v| v.raw.as_str()).unwrap_or("")),
            i.weight.map(|w| w.to_string()).unwrap_or_default(),
            escape(i.rule.as_ref().map(|r| r.label()).unwrap_or("")),
            escape(
                [i.basis.as_deref(), i.evidence.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("；")
                    .as_str()
            ),
        );
    }
    out.push_str("</tbody>\n");
}
