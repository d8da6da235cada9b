//! The review and the scorecards for people (text: a block per target table, a table per
//! scorecard; Chinese by default, English with [`Lang::En`]) and for machines (JSON, the serde
//! form). `budgetflow score` only chooses between these.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use budgetflow_model::Lang;

use crate::achievement::Scorecard;
use crate::review::{Review, TableReview};

fn n(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Points to 2 places, as the scorecard rounds them.
fn points(d: Decimal) -> String {
    format!("{:.2}", d)
}

/// The review, table by table, then the ranking of the projects.
pub fn review_text(review: &Review<'_>, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        lang.pick("绩效目标审核", "Performance-target review")
    );
    if let Some(template) = review.template_without_targets {
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!("此文件所用模板（{template}）不含绩效目标表，没有可审核的绩效目标。"),
                Lang::En => format!(
                    "This document's template ({template}) has no performance-target tables: there are no targets to review."
                ),
            }
        );
    }
    for t in &review.tables {
        table_text(&mut out, t, lang);
    }
    if !review.ranking.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick("项目审核得分排名", "Projects ranked by review score")
        );
        for r in &review.ranking {
            let _ = writeln!(out, "  {:>2}. {:>3}  {}", r.rank, r.points, r.table.name());
        }
    }
    out
}

fn table_text(out: &mut String, t: &TableReview<'_>, lang: Lang) {
    let _ = write!(
        out,
        "\n== {} — {} {}",
        t.table.label(lang),
        lang.pick("审核得分", "review score"),
        t.score.points
    );
    if let Some(f) = t.funds {
        let _ = write!(out, " · {} {f} 万元", lang.pick("资金", "money"));
    }
    if let Some(s) = t.quantitative_share {
        let _ = write!(
            out,
            " · {} {}%",
            lang.pick("定量指标权重占比", "quantitative weight"),
            n(s)
        );
    }
    out.push('\n');
    for f in &t.findings {
        let _ = write!(out, "  [{}] {} ", f.severity.label(lang), f.rule.id);
        if let Some(i) = f.indicator {
            let _ = write!(out, "「{i}」");
        }
        let _ = writeln!(out, "{}", f.message(lang));
    }
    if t.findings.is_empty() {
        let _ = writeln!(out, "  {}", lang.pick("未发现问题", "no findings"));
    }
    for d in &t.score.deductions {
        let _ = writeln!(
            out,
            "  {} {} ×{} −{} ({})",
            lang.pick("扣分", "deduction"),
            d.rule.id,
            d.findings,
            d.points,
            d.rule.title(lang)
        );
    }
}

/// One table per scorecard: the indicators, budget execution, the total and the grade.
pub fn scorecards_text(cards: &[Scorecard<'_>], lang: Lang) -> String {
    let mut out = String::new();
    for card in cards {
        scorecard_text(&mut out, card, lang);
    }
    out
}

fn scorecard_text(out: &mut String, card: &Scorecard<'_>, lang: Lang) {
    let _ = writeln!(
        out,
        "\n== {}「{}」",
        lang.pick("绩效自评得分", "Self-evaluation scorecard of"),
        card.project
    );
    let header = match lang {
        Lang::Zh => {
            "一级指标 | 三级指标 | 赋分规则 | 分值 | 指标值 | 完成值 | 完成比例 | 计算 | 得分"
        }
        Lang::En => {
            "level 1 | indicator | rule | weight | target | achieved | ratio | computation | points"
        }
    };
    let _ = writeln!(out, "{header}");
    for i in &card.indicators {
        let _ = writeln!(
            out,
            "{} | {} | {} | {} | {} | {} | {} | {} | {}",
            i.level1,
            i.level3,
            i.rule,
            n(i.weight),
            i.target,
            i.achieved,
            n(i.ratio),
            i.computation.formula(i.weight, lang),
            points(i.points)
        );
    }
    let e = &card.execution;
    let _ = writeln!(
        out,
        "{} | {} {} / {} {} | {}% | min(10, 10 × {} ÷ {}) | {}",
        lang.pick("预算执行率", "budget execution"),
        lang.pick("执行数", "executed"),
        n(e.executed),
        lang.pick("预算数", "budget"),
        n(e.budget),
        n(e.rate),
        n(e.executed),
        n(e.budget),
        points(e.points)
    );
    let _ = writeln!(
        out,
        "{} {} · {} {}",
        lang.pick("总分", "total"),
        points(card.total),
        lang.pick("等级", "grade"),
        card.grade.label(lang)
    );
}

/// What `--format json` prints: the review and, with an actuals report, the scorecards.
#[derive(Debug, Serialize)]
pub struct ScoreReport<'r, 'd> {
    pub review: &'r Review<'d>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scorecards: Option<&'r [Scorecard<'d>]>,
}

impl ScoreReport<'_, '_> {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a score report serialises")
    }
}
