//! Derives the structured facts of section 十二 (procurement, assets, performance summary,
//! classified projects, merged carry-over) from its sentences.

use std::sync::OnceLock;

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::narrative::{Narrative, SectionTopic, Statement};
use budgetflow_model::other_matters::{
    Assets, ClassifiedSummary, MergedCarryOver, OtherMatters, PerformanceSummary, Procurement,
    VehicleKind,
};
use budgetflow_model::Amount;
use regex::Regex;

struct Patterns {
    as_of: Regex,
    building: Regex,
    vehicles: Regex,
    vehicle_kind: Regex,
    furniture: Regex,
    other_assets: Regex,
    equipment: Regex,
    department_targets: Regex,
    projects: Regex,
    fiscal_projects: Regex,
    non_fiscal_projects: Regex,
    classified: Regex,
    merged: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    const N: &str = r"(\d[\d,]*(?:\.\d+)?)";
    P.get_or_init(|| {
        let r = |s: String| Regex::new(&s).expect("other-matters pattern");
        Patterns {
            as_of: r(r"截至\s*(\d{4}\s*年\s*(?:底|末|\d{1,2}\s*月\s*\d{1,2}\s*日))".to_string()),
            building: r(format!(r"房屋\s*{N}\s*平方米[，,]\s*价值\s*{N}\s*万元")),
            vehicles: r(format!(r"车辆\s*(\d+)\s*辆[，,]\s*价值\s*{N}\s*万元")),
            vehicle_kind: r(format!(r"(一般公务用车|执法执勤用车|特种专业技术用车|其他车辆|其他用车)\s*(\d+)\s*辆[，,]\s*价值\s*{N}\s*万元")),
            furniture: r(format!(r"家具价值\s*{N}\s*万元")),
            other_assets: r(format!(r"其他资产价值\s*{N}\s*万元")),
            equipment: r(r"价值\s*(50|100)\s*万元以上大型设备\s*(\d+)\s*台".to_string()),
            department_targets: r(format!(r"整体(?:预算)?绩效目标\s*(\d+)\s*个[，,]\s*涉及预算金额\s*{N}\s*万元")),
            projects: r(r"当年预算安排项目共\s*(\d+)\s*个".to_string()),
            fiscal_projects: r(format!(r"(?:^|[^非])财政拨款项目涉及预算金额\s*{N}\s*万元")),
            non_fiscal_projects: r(format!(r"非财政拨款项目涉及预算金额\s*{N}\s*万元")),
            classified: r(format!(r"(\d+)\s*个涉密项目[，,]\s*涉及预算资金\s*{N}\s*万元")),
            merged: r(format!(r"上年结转结余资金\s*{N}\s*万元与当年财政拨款预算\s*{N}\s*万元")),
        }
    })
}

/// Runs `re` only when the text holds the literal every match must contain (most patterns
/// start with a digit class and would otherwise scan the whole section).
/// Every match lies within one paragraph (one line of `text`), so only the paragraphs that
/// hold the anchor are searched.
fn captures<'t>(re: &Regex, anchor: &'t str, text: &'t str) -> Option<regex::Captures<'t>> {
    paragraphs_with(anchor, text).find_map(|p| re.captures(p))
}

/// The lines of `text` that contain `anchor`, in order.
fn paragraphs_with<'t>(anchor: &'t str, text: &'t str) -> impl Iterator<Item = &'t str> + 't {
    text.split('\n').filter(move |p| p.contains(anchor))
}

fn amount(s: &str) -> Option<Amount> {
    parse_printed_decimal(s).ok().map(Amount::new)
}

pub(crate) fn derive(narrative: &Narrative) -> OtherMatters {
    let Some(section) = narrative.section(SectionTopic::OtherMatters) else {
        return OtherMatters::default();
    };
    let text = section.text();
    let p = patterns();
    let statements: Vec<&Statement> = section.statements().collect();
    OtherMatters {
        procurement: procurement(&statements),
        assets: assets(&text),
        performance: performance(&text),
        classified: captures(&p.classified, "涉密项目", &text).and_then(|c| {
            Some(ClassifiedSummary {
                count: c[1].parse().ok()?,
                amount: amount(&c[2]),
                targets_withheld: text.contains("绩效目标表完全不予公开"),
            })
        }),
        merged_carry_over: paragraphs_with("上年结转结余资金", &text)
            .flat_map(|para| p.merged.captures_iter(para))
            .filter_map(|c| {
                Some(MergedCarryOver {
                    carry_over: amount(&c[1])?,
                    current: amount(&c[2])?,
                })
            })
            .collect(),
    }
}

fn procurement(statements: &[&Statement]) -> Option<Procurement> {
    let mut p = Procurement::default();
    let mut any = false;
    for s in statements.iter().filter(|s| s.subject.contains("采购")) {
        let slot = if s.subject.contains("小微企业") {
            &mut p.micro_reserved
        } else if s.subject.contains("中小企业") {
            &mut p.sme_reserved
        } else if s.subject.contains("货物") {
            &mut p.goods
        } else if s.subject.contains("工程") {
            &mut p.works
        } else if s.subject.contains("服务") {
            &mut p.services
        } else {
            &mut p.total
        };
        if slot.is_none() && s.amount.is_some() {
            *slot = s.amount;
            any = true;
        }
    }
    any.then_some(p)
}

fn assets(text: &str) -> Option<Assets> {
    let p = patterns();
    let mut a = Assets {
        as_of: captures(&p.as_of, "截至", text).map(|c| c[1].to_string()),
        ..Assets::default()
    };
    let mut any = false;
    if let Some(c) = captures(&p.building, "平方米", text) {
        a.building_area = parse_printed_decimal(&c[1]).ok();
        a.building_value = amount(&c[2]);
        any = true;
    }
    if let Some(c) = captures(&p.vehicles, "辆", text) {
        a.vehicle_count = c[1].parse().ok();
        a.vehicle_value = amount(&c[2]);
        any = true;
    }
    a.vehicles = paragraphs_with("辆", text)
        .flat_map(|para| p.vehicle_kind.captures_iter(para))
        .filter_map(|c| {
            Some(VehicleKind {
                kind: c[1].to_string(),
                count: c[2].parse().ok()?,
                value: amount(&c[3]),
            })
        })
        .collect();
    a.furniture_value = captures(&p.furniture, "家具", text).and_then(|c| amount(&c[1]));
    a.other_value = captures(&p.other_assets, "其他资产", text).and_then(|c| amount(&c[1]));
    for c in paragraphs_with("大型设备", text).flat_map(|para| p.equipment.captures_iter(para))
    {
        let slot = if &c[1] == "50" {
            &mut a.equipment_over_50
        } else {
            &mut a.equipment_over_100
        };
        if slot.is_none() {
            *slot = c[2].parse().ok();
        }
    }
    any |= a.furniture_value.is_some() || a.other_value.is_some() || !a.vehicles.is_empty();
    any.then_some(a)
}

fn performance(text: &str) -> Option<PerformanceSummary> {
    let p = patterns();
    let mut s = PerformanceSummary::default();
    if let Some(c) = captures(&p.department_targets, "绩效目标", text) {
        s.department_targets = c[1].parse().ok();
        s.department_amount = amount(&c[2]);
    }
    s.projects = captures(&p.projects, "预算安排项目", text).and_then(|c| c[1].parse().ok());
    s.fiscal_project_amount =
        captures(&p.fiscal_projects, "项目涉及预算金额", text).and_then(|c| amount(&c[1]));
    s.non_fiscal_project_amount =
        captures(&p.non_fiscal_projects, "非财政拨款项目", text).and_then(|c| amount(&c[1]));
    (s != PerformanceSummary::default()).then_some(s)
}
