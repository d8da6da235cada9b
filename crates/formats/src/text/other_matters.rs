//! Derives the structured facts of section 十二 (procurement, assets, performance summary,
//! classified projects, merged carry-over) from its sentences.

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::narrative::{Narrative, SectionTopic, Statement};
use budgetflow_model::other_matters::{
    Assets, ClassifiedSummary, MergedCarryOver, OtherMatters, PerformanceSummary, Procurement,
    VehicleKind,
};
use budgetflow_model::Amount;

use super::scan::{self, At, Start, COMMA};

/// The phrases of section 十二, each with the regular expression it stands for (`N` is a
/// printed amount, `\d[\d,]*(?:\.\d+)?`). A phrase gives the end of its match and its
/// captures in order.
mod phrases {
    use super::*;

    /// `N \s* 万元`, the end of most phrases.
    fn amount_in_wan(at: At<'_>) -> Option<(At<'_>, &str)> {
        let (at, n) = at.spaces().number()?;
        Some((at.spaces().lit("万元")?, n))
    }

    /// `截至\s*(\d{4}\s*年\s*(?:底|末|\d{1,2}\s*月\s*\d{1,2}\s*日))`
    pub fn as_of(at: At<'_>) -> Option<(At<'_>, &str)> {
        let from = at.lit("截至")?.spaces();
        let (at, _) = from.digits(4, 4)?;
        let at = at.spaces().lit("年")?.spaces();
        let end = match at.one_of(&["底", "末"]) {
            Some((end, _)) => end,
            None => {
                let (at, _) = at.digits(1, 2)?;
                let (at, _) = at.spaces().lit("月")?.spaces().digits(1, 2)?;
                at.spaces().lit("日")?
            }
        };
        Some((end, end.since(from)))
    }

    /// `房屋\s*N\s*平方米[，,]\s*价值\s*N\s*万元`
    pub fn building(at: At<'_>) -> Option<(At<'_>, [&str; 2])> {
        let (at, area) = at.lit("房屋")?.spaces().number()?;
        let at = at.spaces().lit("平方米")?.one_of(&COMMA)?.0;
        let (at, value) = amount_in_wan(at.spaces().lit("价值")?)?;
        Some((at, [area, value]))
    }

    /// `车辆\s*(\d+)\s*辆[，,]\s*价值\s*N\s*万元`
    pub fn vehicles(at: At<'_>) -> Option<(At<'_>, [&str; 2])> {
        let (at, count) = at.lit("车辆")?.spaces().digits(1, usize::MAX)?;
        let at = at.spaces().lit("辆")?.one_of(&COMMA)?.0;
        let (at, value) = amount_in_wan(at.spaces().lit("价值")?)?;
        Some((at, [count, value]))
    }

    pub const VEHICLE_KINDS: [&str; 5] = [
        "一般公务用车",
        "执法执勤用车",
        "特种专业技术用车",
        "其他车辆",
        "其他用车",
    ];

    /// `(一般公务用车|执法执勤用车|特种专业技术用车|其他车辆|其他用车)\s*(\d+)\s*辆[，,]\s*价值\s*N\s*万元`
    pub fn vehicle_kind(at: At<'_>) -> Option<(At<'_>, [&str; 3])> {
        let (at, kind) = at.one_of(&VEHICLE_KINDS)?;
        let (at, count) = at.spaces().digits(1, usize::MAX)?;
        let at = at.spaces().lit("辆")?.one_of(&COMMA)?.0;
        let (at, value) = amount_in_wan(at.spaces().lit("价值")?)?;
        Some((at, [kind, count, value]))
    }

    /// `家具价值\s*N\s*万元`
    pub fn furniture(at: At<'_>) -> Option<(At<'_>, &str)> {
        amount_in_wan(at.lit("家具价值")?)
    }

    /// `其他资产价值\s*N\s*万元`
    pub fn other_assets(at: At<'_>) -> Option<(At<'_>, &str)> {
        amount_in_wan(at.lit("其他资产价值")?)
    }

    /// `价值\s*(50|100)\s*万元以上大型设备\s*(\d+)\s*台`
    pub fn equipment(at: At<'_>) -> Option<(At<'_>, [&str; 2])> {
        let (at, threshold) = at.lit("价值")?.spaces().one_of(&["50", "100"])?;
        let at = at.spaces().lit("万元以上大型设备")?.spaces();
        let (at, count) = at.digits(1, usize::MAX)?;
        Some((at.spaces().lit("台")?, [threshold, count]))
    }

    /// `整体(?:预算)?绩效目标\s*(\d+)\s*个[，,]\s*涉及预算金额\s*N\s*万元`
    pub fn department_targets(at: At<'_>) -> Option<(At<'_>, [&str; 2])> {
        let at = at.lit("整体")?;
        let at = at.lit("预算").unwrap_or(at).lit("绩效目标")?.spaces();
        let (at, count) = at.digits(1, usize::MAX)?;
        let at = at.spaces().lit("个")?.one_of(&COMMA)?.0;
        let (at, amount) = amount_in_wan(at.spaces().lit("涉及预算金额")?)?;
        Some((at, [count, amount]))
    }

    /// `当年预算安排项目共\s*(\d+)\s*个`
    pub fn projects(at: At<'_>) -> Option<(At<'_>, &str)> {
        let (at, count) = at
            .lit("当年预算安排项目共")?
            .spaces()
            .digits(1, usize::MAX)?;
        Some((at.spaces().lit("个")?, count))
    }

    /// `(?:^|[^非])财政拨款项目涉及预算金额\s*N\s*万元` (started at the literal: the character
    /// before it is checked here)
    pub fn fiscal_projects(at: At<'_>) -> Option<(At<'_>, &str)> {
        if at.previous() == Some('非') {
            return None;
        }
        amount_in_wan(at.lit("财政拨款项目涉及预算金额")?)
    }

    /// `非财政拨款项目涉及预算金额\s*N\s*万元`
    pub fn non_fiscal_projects(at: At<'_>) -> Option<(At<'_>, &str)> {
        amount_in_wan(at.lit("非财政拨款项目涉及预算金额")?)
    }

    /// `(\d+)\s*个涉密项目[，,]\s*涉及预算资金\s*N\s*万元`
    pub fn classified(at: At<'_>) -> Option<(At<'_>, [&str; 2])> {
        let (at, count) = at.digits(1, usize::MAX)?;
        let at = at.spaces().lit("个涉密项目")?.one_of(&COMMA)?.0;
        let (at, amount) = amount_in_wan(at.spaces().lit("涉及预算资金")?)?;
        Some((at, [count, amount]))
    }

    /// `上年结转结余资金\s*N\s*万元与当年财政拨款预算\s*N\s*万元`
    pub fn merged(at: At<'_>) -> Option<(At<'_>, [&str; 2])> {
        let (at, carry_over) = amount_in_wan(at.lit("上年结转结余资金")?)?;
        let (at, current) = amount_in_wan(at.lit("与当年财政拨款预算")?)?;
        Some((at, [carry_over, current]))
    }
}

const MERGED: Start = Start::Literal("上年结转结余资金");
const OTHER_ASSETS: Start = Start::Literal("其他资产价值");
const PROJECTS: Start = Start::Literal("当年预算安排项目共");
const FISCAL: Start = Start::Literal("财政拨款项目涉及预算金额");
const NON_FISCAL: Start = Start::Literal("非财政拨款项目涉及预算金额");

/// The first match of `phrase` in the lines of the section (`text`) that hold `anchor`: every
/// match lies within one line.
fn first<'t, T>(
    anchor: &'t str,
    text: &[&'t str],
    start: Start,
    phrase: impl Fn(At<'t>) -> Option<(At<'t>, T)> + Copy + 't,
) -> Option<T> {
    paragraphs_with(anchor, text).find_map(|p| scan::find(p, start, phrase))
}

/// Every match of `phrase` in the paragraphs of `text` that hold `anchor`.
fn all<'t, T>(
    anchor: &'t str,
    text: &'t [&'t str],
    start: Start,
    phrase: impl Fn(At<'t>) -> Option<(At<'t>, T)> + Copy + 't,
) -> impl Iterator<Item = T> + 't {
    paragraphs_with(anchor, text).flat_map(move |p| scan::find_iter(p, start, phrase))
}

/// The lines in `text` that contain `anchor`, in order.
fn paragraphs_with<'t, 'p>(
    anchor: &'t str,
    text: &'p [&'t str],
) -> impl Iterator<Item = &'t str> + 'p
where
    't: 'p,
{
    // one searcher per anchor: `str::contains` sets a searcher up again for every line
    let anchor = memchr::memmem::Finder::new(anchor);
    text.iter()
        .copied()
        .filter(move |p| anchor.find(p.as_bytes()).is_some())
}

fn amount(s: &str) -> Option<Amount> {
    parse_printed_decimal(s).ok().map(Amount::new)
}

pub(crate) fn derive(narrative: &Narrative) -> OtherMatters {
    let Some(section) = narrative.section(SectionTopic::OtherMatters) else {
        return OtherMatters::default();
    };
    // the section's lines (a paragraph never spans two), read once for every phrase
    let text: Vec<&str> = section
        .paragraphs()
        .flat_map(|p| p.text.split('\n'))
        .collect();
    let statements: Vec<&Statement> = section.statements().collect();
    OtherMatters {
        procurement: procurement(&statements),
        assets: assets(&text),
        performance: performance(&text),
        classified: first("涉密项目", &text, Start::Digit, phrases::classified).and_then(|c| {
            Some(ClassifiedSummary {
                count: c[0].parse().ok()?,
                amount: amount(c[1]),
                targets_withheld: text.iter().any(|p| p.contains("绩效目标表完全不予公开")),
            })
        }),
        merged_carry_over: all("上年结转结余资金", &text, MERGED, phrases::merged)
            .filter_map(|c| {
                Some(MergedCarryOver {
                    carry_over: amount(c[0])?,
                    current: amount(c[1])?,
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

fn assets(text: &[&str]) -> Option<Assets> {
    let mut a = Assets {
        as_of: first("截至", text, Start::Literal("截至"), phrases::as_of).map(str::to_string),
        ..Assets::default()
    };
    let mut any = false;
    if let Some(c) = first("平方米", text, Start::Literal("房屋"), phrases::building) {
        a.building_area = parse_printed_decimal(c[0]).ok();
        a.building_value = amount(c[1]);
        any = true;
    }
    if let Some(c) = first("辆", text, Start::Literal("车辆"), phrases::vehicles) {
        a.vehicle_count = c[0].parse().ok();
        a.vehicle_value = amount(c[1]);
        any = true;
    }
    a.vehicles = all(
        "辆",
        text,
        Start::AnyOf(&phrases::VEHICLE_KINDS),
        phrases::vehicle_kind,
    )
    .filter_map(|c| {
        Some(VehicleKind {
            kind: c[0].to_string(),
            count: c[1].parse().ok()?,
            value: amount(c[2]),
        })
    })
    .collect();
    a.furniture_value =
        first("家具", text, Start::Literal("家具价值"), phrases::furniture).and_then(amount);
    a.other_value = first("其他资产", text, OTHER_ASSETS, phrases::other_assets).and_then(amount);
    for c in all("大型设备", text, Start::Literal("价值"), phrases::equipment) {
        let slot = if c[0] == "50" {
            &mut a.equipment_over_50
        } else {
            &mut a.equipment_over_100
        };
        if slot.is_none() {
            *slot = c[1].parse().ok();
        }
    }
    any |= a.furniture_value.is_some() || a.other_value.is_some() || !a.vehicles.is_empty();
    any.then_some(a)
}

fn performance(text: &[&str]) -> Option<PerformanceSummary> {
    let mut s = PerformanceSummary::default();
    if let Some(c) = first(
        "绩效目标",
        text,
        Start::Literal("整体"),
        phrases::department_targets,
    ) {
        s.department_targets = c[0].parse().ok();
        s.department_amount = amount(c[1]);
    }
    s.projects =
        first("预算安排项目", text, PROJECTS, phrases::projects).and_then(|c| c.parse().ok());
    s.fiscal_project_amount =
        first("项目涉及预算金额", text, FISCAL, phrases::fiscal_projects).and_then(amount);
    s.non_fiscal_project_amount = first(
        "非财政拨款项目",
        text,
        NON_FISCAL,
        phrases::non_fiscal_projects,
    )
    .and_then(amount);
    (s != PerformanceSummary::default()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::scan::tests::{phrase_text, regex_captures};
    use super::*;
    use proptest::prelude::*;

    const N: &str = r"(\d[\d,]*(?:\.\d+)?)";

    /// What a phrase captures in each of its matches, as the regex tests see captures.
    fn ours<'t, const K: usize>(
        text: &'t str,
        start: Start,
        phrase: impl Fn(At<'t>) -> Option<(At<'t>, [&'t str; K])> + 't,
    ) -> Vec<Vec<Option<&'t str>>> {
        scan::find_iter(text, start, phrase)
            .map(|c| c.iter().map(|s| Some(*s)).collect())
            .collect()
    }

    fn one<'t>(
        text: &'t str,
        start: Start,
        phrase: impl Fn(At<'t>) -> Option<(At<'t>, &'t str)> + 't,
    ) -> Vec<Vec<Option<&'t str>>> {
        scan::find_iter(text, start, phrase)
            .map(|c| vec![Some(c)])
            .collect()
    }

    const WORDS: &[&str] = &[
        "截至",
        "底",
        "末",
        "房屋",
        "平方米",
        "价值",
        "车辆",
        "一般公务用车",
        "其他车辆",
        "其他用车",
        "家具价值",
        "其他资产价值",
        "50",
        "100",
        "万元以上大型设备",
        "整体",
        "预算",
        "绩效目标",
        "涉及预算金额",
        "当年预算安排项目共",
        "非",
        "财政拨款项目涉及预算金额",
        "个涉密项目",
        "涉及预算资金",
        "上年结转结余资金",
        "与当年财政拨款预算",
        "万元",
        // whole phrases as printed, so that matches are common and the generator damages them
        "截至 2024 年底",
        "截至2024年12月31日",
        "房屋 3,254.00 平方米，价值 70.76 万元",
        "车辆 11 辆，价值 237.58 万元",
        "一般公务用车 11 辆，价值 237.58 万元",
        "其他车辆 0 辆,价值 0.00万元",
        "办公家具价值 94.34 万元",
        "其他资产价值 1.5 万元",
        "部门价值 50 万元以上大型设备 0 台",
        "整体预算绩效目标 1 个，涉及预算金额 6,724.07 万元",
        "当年预算安排项目共 14 个",
        "财政拨款项目涉及预算金额 2,901.72 万元",
        "非财政拨款项目涉及预算金额 0.00 万元",
        "2个涉密项目，涉及预算资金 30.5 万元",
        "上年结转结余资金 12.00 万元与当年财政拨款预算 30.00 万元",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn the_phrases_find_what_their_patterns_found(text in phrase_text(WORDS)) {
            let t = text.as_str();
            let cases: [(String, Vec<Vec<Option<&str>>>); 13] = [
                (r"截至\s*(\d{4}\s*年\s*(?:底|末|\d{1,2}\s*月\s*\d{1,2}\s*日))".into(),
                    one(t, Start::Literal("截至"), phrases::as_of)),
                (format!(r"房屋\s*{N}\s*平方米[，,]\s*价值\s*{N}\s*万元"),
                    ours(t, Start::Literal("房屋"), phrases::building)),
                (format!(r"车辆\s*(\d+)\s*辆[，,]\s*价值\s*{N}\s*万元"),
                    ours(t, Start::Literal("车辆"), phrases::vehicles)),
                (format!(r"(一般公务用车|执法执勤用车|特种专业技术用车|其他车辆|其他用车)\s*(\d+)\s*辆[，,]\s*价值\s*{N}\s*万元"),
                    ours(t, Start::AnyOf(&phrases::VEHICLE_KINDS), phrases::vehicle_kind)),
                (format!(r"家具价值\s*{N}\s*万元"), one(t, Start::Literal("家具价值"), phrases::furniture)),
                (format!(r"其他资产价值\s*{N}\s*万元"), one(t, OTHER_ASSETS, phrases::other_assets)),
                (r"价值\s*(50|100)\s*万元以上大型设备\s*(\d+)\s*台".into(),
                    ours(t, Start::Literal("价值"), phrases::equipment)),
                (format!(r"整体(?:预算)?绩效目标\s*(\d+)\s*个[，,]\s*涉及预算金额\s*{N}\s*万元"),
                    ours(t, Start::Literal("整体"), phrases::department_targets)),
                (r"当年预算安排项目共\s*(\d+)\s*个".into(), one(t, PROJECTS, phrases::projects)),
                (format!(r"非财政拨款项目涉及预算金额\s*{N}\s*万元"),
                    one(t, NON_FISCAL, phrases::non_fiscal_projects)),
                (format!(r"(\d+)\s*个涉密项目[，,]\s*涉及预算资金\s*{N}\s*万元"),
                    ours(t, Start::Digit, phrases::classified)),
                (format!(r"上年结转结余资金\s*{N}\s*万元与当年财政拨款预算\s*{N}\s*万元"),
                    ours(t, MERGED, phrases::merged)),
                // only the first match is used: the `[^非]` before it makes later ones overlap
                (format!(r"(?:^|[^非])财政拨款项目涉及预算金额\s*{N}\s*万元"),
                    one(t, FISCAL, phrases::fiscal_projects).into_iter().take(1).collect()),
            ];
            for (re, found) in cases {
                let mut expected = regex_captures(&re, t);
                if re.starts_with("(?:^|[^非])") {
                    expected.truncate(1);
                }
                prop_assert_eq!(found, expected, "{}", re);
            }
        }
    }
}
