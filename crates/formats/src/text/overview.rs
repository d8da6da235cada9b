//! 第一部分 部门概况: the paragraphs as printed, and the structure they state.

use budgetflow_model::overview::{BudgetUnit, Headcount, Overview, Staffing};

use super::lines::Line;
use super::scan::{self, At, Start, COLON, COMMA};

/// The phrases of the overview, each with the regular expression it stands for; a phrase gives
/// the end of its match and its captures in order.
mod phrases {
    use super::*;

    /// `[（(]([一二三四五六七八九十]+)[）)]`: where a numbered function starts (its start and end).
    pub fn function_marker(at: At<'_>) -> Option<(At<'_>, (usize, usize))> {
        let (mut end, _) = at.one_of(&["（", "("])?;
        let mut numerals = 0;
        while let Some((next, _)) = end.one_of(&NUMERALS) {
            end = next;
            numerals += 1;
        }
        if numerals == 0 {
            return None;
        }
        let (end, _) = end.one_of(&["）", ")"])?;
        Some((end, (at.pos(), end.pos())))
    }

    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    /// `下设\s*(\d+)\s*个(?:内设)?(?:科室|处室|机构|部门)[，,]?\s*(?:分别是|分别为|包括)[：:]\s*([^。]*)`
    pub fn offices(at: At<'_>) -> Option<(At<'_>, [&str; 2])> {
        let (at, count) = at.lit("下设")?.spaces().digits(1, usize::MAX)?;
        let at = at.spaces().lit("个")?;
        let at = at.lit("内设").unwrap_or(at);
        let (at, _) = at.one_of(&["科室", "处室", "机构", "部门"])?;
        let at = at.one_of(&COMMA).map_or(at, |(a, _)| a).spaces();
        let (at, _) = at.one_of(&["分别是", "分别为", "包括"])?;
        let names = at.one_of(&COLON)?.0.spaces();
        let end = names.until('。');
        Some((end, [count, end.since(names)]))
    }

    /// `<label>\s*(\d+)\s*<unit>` (`下属\s*(\d+)\s*家`, `实有人数\s*(\d+)\s*人` …), or
    /// `<label>\s*(\d+)` without a unit.
    pub fn count<'t>(at: At<'t>, label: &str, unit: Option<&str>) -> Option<(At<'t>, &'t str)> {
        let (at, n) = at.lit(label)?.spaces().digits(1, usize::MAX)?;
        match unit {
            Some(unit) => Some((at.spaces().lit(unit)?, n)),
            None => Some((at, n)),
        }
    }

    /// `(在职|退休|离休)\s*(\d+)\s*人(?:[，,]\s*(增加|减少)\s*(\d+)\s*人)?`
    /// Who, how many, and the change (增加/减少 and by how many) if stated.
    pub type Headcount<'t> = (&'t str, &'t str, Option<[&'t str; 2]>);

    pub fn headcount(at: At<'_>) -> Option<(At<'_>, Headcount<'_>)> {
        let (at, who) = at.one_of(&PEOPLE)?;
        let (at, n) = at.spaces().digits(1, usize::MAX)?;
        let at = at.spaces().lit("人")?;
        let change = || {
            let (c, direction) = at.one_of(&COMMA)?.0.spaces().one_of(&["增加", "减少"])?;
            let (c, by) = c.spaces().digits(1, usize::MAX)?;
            Some((c.spaces().lit("人")?, [direction, by]))
        };
        Some(match change() {
            Some((end, change)) => (end, (who, n, Some(change))),
            None => (at, (who, n, None)),
        })
    }

    pub const PEOPLE: [&str; 3] = ["在职", "退休", "离休"];

    /// `^-?\s*\d+\s*[、.．]\s*(.+?)\s*$` on one line: the name of a listed unit.
    pub fn unit_item(line: &str) -> Option<&str> {
        let at = At::new(line, 0);
        let at = at.lit("-").unwrap_or(at).spaces();
        let (at, _) = at.digits(1, usize::MAX)?;
        let (at, _) = at.spaces().one_of(&["、", ".", "．"])?;
        let rest = at.rest();
        if rest.contains('\n') || rest.is_empty() {
            return None;
        }
        // `.+?` takes at least one character: a rest of spaces only leaves a blank name
        Some(rest.trim())
    }
}

/// Reads the overview part (the lines after `第一部分 …概况`): its paragraphs; the structure
/// they state is derived afterwards ([`crate::derive::overview`]).
pub(crate) fn read(lines: &[Line<'_>]) -> Overview {
    let mut overview = Overview::default();
    let mut in_organisation = false;
    for l in lines.iter().filter(|l| !l.is_blank()) {
        let t = l.trimmed();
        let heading = t.trim_start_matches(['一', '二', '、', ' ']);
        if t.starts_with("一、") && heading.contains("主要职能") {
            in_organisation = false;
            continue;
        }
        if t.starts_with("二、") && heading.contains("机构设置") {
            in_organisation = true;
            continue;
        }
        let paragraphs = if in_organisation {
            &mut overview.organisation_text
        } else {
            &mut overview.functions_text
        };
        match paragraphs.last_mut() {
            // a page break cuts a sentence (`负责工业节` / `能降耗`): the line continues it
            Some(last) if continues(last, t) => last.push_str(t),
            _ => paragraphs.push(t.to_string()),
        }
    }
    overview
}

/// Whether `next` continues the paragraph `last`: `last` is prose (longer than any list entry)
/// that stops mid-sentence, and `next` does not open a numbered item or a list entry.
pub(crate) fn continues(last: &str, next: &str) -> bool {
    const LIST_ENTRY_CHARS: usize = 60;
    let ended = last.ends_with(['。', '；', '：', ':', '！', '？', '”', '）', ')'])
        || last.chars().count() <= LIST_ENTRY_CHARS;
    let opens =
        next.starts_with(['(', '（', '-', '—']) || crate::numerals::leading_number(next).is_some();
    !ended && !opens
}

/// Fills the structured fields from the paragraphs.
pub(crate) fn derive(o: &mut Overview) {
    let functions = o.functions_text.concat();
    let marks: Vec<(usize, usize)> =
        scan::find_iter(&functions, MARKER, phrases::function_marker).collect();
    o.functions = marks
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let end = marks.get(i + 1).map_or(functions.len(), |n| n.0);
            functions[m.1..end].trim().to_string()
        })
        .filter(|f| !f.is_empty())
        .collect();
    let org = o.organisation_text.join("\n");
    if let Some(c) = scan::find(&org, Start::Literal("下设"), phrases::offices) {
        o.office_count = c[0].parse().ok();
        o.offices = c[1]
            .split('、')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    o.subordinate_unit_count = count(&org, "下属", Some("家"));
    o.administrative_units = count(&org, "行政单位", Some("家"));
    o.public_institutions = count(&org, "事业单位", Some("家"));
    o.units = o
        .organisation_text
        .iter()
        .filter_map(|line| phrases::unit_item(line))
        .map(|item| {
            let name = item.trim_end_matches('。');
            let own = ["（本级）", "(本级)"]
                .iter()
                .find_map(|m| name.strip_suffix(m));
            BudgetUnit {
                name: own.unwrap_or(name).trim().to_string(),
                // Shanghai lists the department's own level as `…本部`; a subordinate unit
                // `并入本部` (merged into it) is still a subordinate
                own_level: own.is_some() || (name.ends_with("本部") && !name.contains("下属")),
            }
        })
        .collect();
    o.staffing = staffing(&org);
}

fn staffing(org: &str) -> Option<Staffing> {
    let authorised = count(org, "编制数", None)?;
    let actual = count(org, "实有人数", Some("人"))?;
    let mut counts = [None, None, None];
    for (who, n, change) in scan::find_iter(org, Start::AnyOf(&phrases::PEOPLE), phrases::headcount)
    {
        let slot = match who {
            "在职" => 0,
            "退休" => 1,
            _ => 2,
        };
        let change = change.and_then(|[direction, by]| {
            let by = by.parse::<i64>().ok()?;
            Some(if direction == "减少" { -by } else { by })
        });
        counts[slot].get_or_insert(Headcount {
            count: n.parse().ok()?,
            change,
        });
    }
    Some(Staffing {
        authorised,
        actual,
        active: counts[0]?,
        retired: counts[1]?,
        pre_1949_retired: counts[2]?,
    })
}

const MARKER: Start = Start::AnyOf(&["（", "("]);

/// The number a `<label> n <unit>` phrase states, when it parses.
fn count<T: std::str::FromStr>(text: &str, label: &'static str, unit: Option<&str>) -> Option<T> {
    scan::find(text, Start::Literal(label), |at| {
        phrases::count(at, label, unit)
    })?
    .parse()
    .ok()
}

#[cfg(test)]
mod tests {
    use super::scan::tests::{phrase_text, regex_captures};
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "下设",
        "个",
        "内设",
        "科室",
        "处室",
        "机构",
        "部门",
        "分别是",
        "分别为",
        "包括",
        "办公室",
        "下属",
        "家",
        "行政单位",
        "事业单位",
        "编制数",
        "实有人数",
        "人",
        "在职",
        "退休",
        "离休",
        "增加",
        "减少",
        "一",
        "三",
        "十",
        "（",
        "）",
        // whole phrases as printed, so that matches are common and the generator damages them
        "本级下设12个科室，分别是：办公室、组织人事科",
        "下属3家",
        "行政单位1家，事业单位3家",
        "编制数104，实有人数281人，其中：在职105人，减少7人；退休174人",
        "离休2人，增加0人",
        "（一）",
        "(十二)",
        "1、乌鲁木齐市工业和信息化局（本级）",
        "-2. 某单位 ",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn the_phrases_find_what_their_patterns_found(text in phrase_text(WORDS)) {
            let t = text.as_str();
            let marks: Vec<(usize, usize)> =
                scan::find_iter(t, MARKER, phrases::function_marker).collect();
            let expected: Vec<(usize, usize)> = regex::Regex::new(r"[（(]([一二三四五六七八九十]+)[）)]")
                .unwrap()
                .find_iter(t)
                .map(|m| (m.start(), m.end()))
                .collect();
            prop_assert_eq!(marks, expected);

            let offices: Vec<Vec<Option<&str>>> = scan::find_iter(t, Start::Literal("下设"), phrases::offices)
                .map(|c| c.iter().map(|s| Some(*s)).collect())
                .collect();
            prop_assert_eq!(offices, regex_captures(
                r"下设\s*(\d+)\s*个(?:内设)?(?:科室|处室|机构|部门)[，,]?\s*(?:分别是|分别为|包括)[：:]\s*([^。]*)", t));

            for (label, unit, re) in [
                ("下属", Some("家"), r"下属\s*(\d+)\s*家"),
                ("编制数", None, r"编制数\s*(\d+)"),
                ("实有人数", Some("人"), r"实有人数\s*(\d+)\s*人"),
            ] {
                let found: Vec<Vec<Option<&str>>> =
                    scan::find_iter(t, Start::Literal(label), |at| phrases::count(at, label, unit))
                        .map(|c| vec![Some(c)])
                        .collect();
                prop_assert_eq!(found, regex_captures(re, t));
            }

            let heads: Vec<Vec<Option<&str>>> =
                scan::find_iter(t, Start::AnyOf(&phrases::PEOPLE), phrases::headcount)
                    .map(|(who, n, change)| vec![Some(who), Some(n), change.map(|c| c[0]), change.map(|c| c[1])])
                    .collect();
            prop_assert_eq!(heads, regex_captures(
                r"(在职|退休|离休)\s*(\d+)\s*人(?:[，,]\s*(增加|减少)\s*(\d+)\s*人)?", t));

            let unit_item = regex::Regex::new(r"^-?\s*\d+\s*[、.．]\s*(.+?)\s*$").unwrap();
            for line in t.split('\n') {
                let expected = unit_item
                    .captures(line)
                    .map(|c| c[1].trim().to_string());
                prop_assert_eq!(phrases::unit_item(line).map(str::to_string), expected, "{:?}", line);
            }
        }
    }
}
