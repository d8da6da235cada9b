//! 第一部分 部门概况, 第三部分 情况说明 (paragraphs, project descriptions, performance-target
//! tables) and 第四部分 名词解释.

use std::fmt::Write;

use budgetflow_formats::numerals;
use budgetflow_model::narrative::{Disclosed, ProjectDescription};
use budgetflow_model::performance::{DepartmentTargets, Indicator, ProjectTargets};
use budgetflow_model::tables::ProjectName;
use budgetflow_model::{Amount, Block, Document};

use super::{escape, project_label, WITHHELD};

/// 第一部分: the paragraphs of 主要职能 and 机构设置及人员情况 as printed.
pub(super) fn overview(out: &mut String, doc: &Document) {
    out.push_str("<section id=\"overview\">\n<h2>第一部分 部门概况</h2>\n");
    for (title, paragraphs) in [
        ("一、主要职能", &doc.overview.functions_text),
        ("二、机构设置及人员情况", &doc.overview.organisation_text),
    ] {
        if paragraphs.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<h3>{title}</h3>");
        for p in paragraphs {
            paragraph(out, p);
        }
    }
    out.push_str("</section>\n");
}

/// 第三部分: every section with its blocks in order.
pub(super) fn sections(out: &mut String, doc: &Document) {
    out.push_str("<section id=\"narrative\">\n<h2>第三部分 情况说明</h2>\n");
    for s in &doc.narrative.sections {
        let _ = writeln!(
            out,
            "<section>\n<h3>{}、{}</h3>",
            numerals::format(s.number),
            escape(&s.title)
        );
        for block in &s.blocks {
            match block {
                Block::Heading(h) => {
                    let _ = writeln!(
                        out,
                        "<h4>（{}）{}</h4>",
                        numerals::format(h.number),
                        escape(&h.title)
                    );
                }
                Block::Paragraph(p) => paragraph(out, &p.text),
                Block::Project(p) => project(out, p),
                Block::DepartmentTargets(t) => department_targets(out, t),
                Block::ProjectTargets(t) => project_targets(out, t),
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
}

/// 第四部分.
pub(super) fn glossary(out: &mut String, doc: &Document) {
    out.push_str(
        "<section id=\"glossary\">\n<h2>第四部分 名词解释</h2>\n<dl class=\"glossary\">\n",
    );
    for e in &doc.glossary {
        let _ = writeln!(
            out,
            "<dt>{}、{}</dt><dd>{}</dd>",
            numerals::format(e.number),
            escape(&e.term),
            escape(&e.definition)
        );
    }
    out.push_str("</dl>\n</section>\n");
}

fn paragraph(out: &mut String, text: &str) {
    let _ = writeln!(out, "<p>{}</p>", escape(text));
}

fn withheld() -> String {
    format!("<span class=\"withheld\">{WITHHELD}</span>")
}

fn money(amount: Option<Amount>, unit: &str) -> String {
    amount
        .map(|a| format!("{} {unit}", a.grouped()))
        .unwrap_or_default()
}

/// A project description; for a classified project only its code, its amount and
/// `完全不予公开` for every other detail.
fn project(out: &mut String, p: &ProjectDescription) {
    let classified = p.name.is_classified();
    let _ = writeln!(
        out,
        "<h4>（{}）项目名称：{}</h4>\n<dl class=\"project\">",
        numerals::format_long(p.number),
        escape(&project_label(p.name.as_str()))
    );
    let shown = |text: Option<String>| match text {
        Some(t) if !classified => escape(&t),
        _ => withheld(),
    };
    let stated = |d: &Disclosed<String>| shown(d.stated().cloned());
    let items = [
        ("设立的政策依据", stated(&p.policy_basis)),
        ("预算安排规模", escape(&money(p.amount, p.unit.label()))),
        (
            "项目承担单位",
            if classified {
                withheld()
            } else {
                escape(p.implementer.as_deref().unwrap_or(""))
            },
        ),
        (
            "资金分配情况",
            shown(p.allocation.stated().map(|a| a.text.clone())),
        ),
        (
            "资金执行时间",
            shown(p.period.stated().map(|t| t.text.clone())),
        ),
    ];
    for (term, value) in items {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{value}</dd>");
    }
    out.push_str("</dl>\n");
}

/// 部门整体绩效目标表.
fn department_targets(out: &mut String, t: &DepartmentTargets) {
    let _ = writeln!(
        out,
        "<div class=\"scroll\">\n<table>\n<caption><span class=\"title\">{}部门整体绩效目标表</span>\
         <span class=\"meta\"><span>部门：{}</span><span>单位：万元</span></span></caption>\n<tbody>",
        escape(&t.year_label),
        escape(&t.department)
    );
    let contact = [t.contact.as_deref(), t.phone.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !contact.is_empty() {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">联系人及电话</th><td colspan=\"7\">{}</td></tr>",
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
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">年度绩效目标</th><td colspan=\"7\">{}</td></tr>\n</tbody>",
        escape(&t.goal)
    );
    indicators(out, &t.indicators);
    out.push_str("</table>\n</div>\n");
}

/// 项目支出绩效目标表; a classified project's table is withheld whole.
fn project_targets(out: &mut String, t: &ProjectTargets) {
    let name = project_label(&t.project);
    let _ = writeln!(
        out,
        "<div class=\"scroll\">\n<table>\n<caption><span class=\"title\">{}项目支出绩效目标表</span>\
         <span class=\"meta\"><span>项目名称：{}</span><span>单位：万元</span></span></caption>\n<tbody>",
        escape(&t.year_label),
        escape(&name)
    );
    if ProjectName::new(t.project.as_str()).is_classified() {
        let _ = writeln!(
            out,
            "<tr><td class=\"empty\" colspan=\"8\">{}</td></tr>\n</tbody>\n</table>\n</div>",
            withheld()
        );
        return;
    }
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">预算单位</th><td colspan=\"7\">{}</td></tr>",
        escape(&t.budget_unit)
    );
    if let Some(m) = &t.manager {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">项目负责人及电话</th><td colspan=\"7\">{}</td></tr>",
            escape(m)
        );
    }
    for (label, value) in [
        ("资金总额", t.funds.total),
        ("财政拨款", t.funds.fiscal),
        ("其他资金", t.funds.other),
    ] {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{label}</th><td colspan=\"6\"></td><td class=\"amount\">{}</td></tr>",
            value.map(Amount::grouped).unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">年度绩效目标</th><td colspan=\"7\">{}</td></tr>\n</tbody>",
        escape(&t.goal)
    );
    indicators(out, &t.indicators);
    out.push_str("</table>\n</div>\n");
}

/// The indicator rows shared by both target tables.
fn indicators(out: &mut String, rows: &[Indicator]) {
    out.push_str(
        "<tbody>\n<tr><th scope=\"col\">一级指标</th><th scope=\"col\">二级指标</th><th scope=\"col\">三级指标</th>\
         <th scope=\"col\">指标值</th><th scope=\"col\">上年指标值</th><th scope=\"col\">权重</th>\
         <th scope=\"col\">赋分规则</th><th scope=\"col\">指标值设定依据及数据来源</th></tr>\n",
    );
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
