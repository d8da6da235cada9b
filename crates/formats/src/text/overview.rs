//! 第一部分 部门概况: the paragraphs as printed, and the structure they state.

use std::sync::OnceLock;

use budgetflow_model::overview::{BudgetUnit, Headcount, Overview, Staffing};
use regex::Regex;

use super::lines::Line;

struct Patterns {
    function_marker: Regex,
    offices: Regex,
    subordinate: Regex,
    administrative: Regex,
    institutions: Regex,
    unit_item: Regex,
    authorised: Regex,
    actual: Regex,
    headcount: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        function_marker: Regex::new(r"[（(]([一二三四五六七八九十]+)[）)]").expect("marker"),
        offices: Regex::new(r"下设\s*(\d+)\s*个(?:内设)?(?:科室|处室|机构|部门)[，,]?\s*(?:分别是|分别为|包括)[：:]\s*([^。]*)").expect("offices"),
        subordinate: Regex::new(r"下属\s*(\d+)\s*家").expect("subordinate"),
        administrative: Regex::new(r"行政单位\s*(\d+)\s*家").expect("administrative"),
        institutions: Regex::new(r"事业单位\s*(\d+)\s*家").expect("institutions"),
        unit_item: Regex::new(r"^-?\s*\d+\s*[、.．]\s*(.+?)\s*$").expect("unit item"),
        authorised: Regex::new(r"编制数\s*(\d+)").expect("authorised"),
        actual: Regex::new(r"实有人数\s*(\d+)\s*人").expect("actual"),
        headcount: Regex::new(r"(在职|退休|离休)\s*(\d+)\s*人(?:[，,]\s*(增加|减少)\s*(\d+)\s*人)?").expect("headcount"),
    })
}

/// Reads the overview part (the lines after `第一部分 …概况`).
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
        if in_organisation {
            overview.organisation_text.push(t.to_string());
        } else {
            overview.functions_text.push(t.to_string());
        }
    }
    derive(&mut overview);
    overview
}

/// Fills the structured fields from the paragraphs.
pub(crate) fn derive(o: &mut Overview) {
    let p = patterns();
    let functions = o.functions_text.concat();
    let marks: Vec<_> = p.function_marker.find_iter(&functions).collect();
    o.functions = marks
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let end = marks
                .get(i + 1)
                .map(|n| n.start())
                .unwrap_or(functions.len());
            functions[m.end()..end].trim().to_string()
        })
        .filter(|f| !f.is_empty())
        .collect();
    let org = o.organisation_text.join("\n");
    if let Some(c) = p.offices.captures(&org) {
        o.office_count = c[1].parse().ok();
        o.offices = c[2]
            .split('、')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    o.subordinate_unit_count = p.subordinate.captures(&org).and_then(|c| c[1].parse().ok());
    o.administrative_units = p
        .administrative
        .captures(&org)
        .and_then(|c| c[1].parse().ok());
    o.public_institutions = p
        .institutions
        .captures(&org)
        .and_then(|c| c[1].parse().ok());
    o.units = o
        .organisation_text
        .iter()
        .filter_map(|line| p.unit_item.captures(line))
        .map(|c| {
            let name = c[1].trim();
            let own = ["（本级）", "(本级)"]
                .iter()
                .find_map(|m| name.strip_suffix(m));
            BudgetUnit {
                name: own.unwrap_or(name).trim().to_string(),
                own_level: own.is_some(),
            }
        })
        .collect();
    o.staffing = staffing(&org);
}

fn staffing(org: &str) -> Option<Staffing> {
    let p = patterns();
    let authorised = p.authorised.captures(org)?[1].parse().ok()?;
    let actual = p.actual.captures(org)?[1].parse().ok()?;
    let mut counts = [None, None, None];
    for c in p.headcount.captures_iter(org) {
        let slot = match &c[1] {
            "在职" => 0,
            "退休" => 1,
            _ => 2,
        };
        let change = c
            .get(4)
            .and_then(|m| m.as_str().parse::<i64>().ok())
            .map(|n| if &c[3] == "减少" { -n } else { n });
        counts[slot].get_or_insert(Headcount {
            count: c[2].parse().ok()?,
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
