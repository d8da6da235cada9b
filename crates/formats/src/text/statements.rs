//! What a sentence of the explanation states: subject, amount, share, change, rate, reason.
//!
//! Sentences follow a small number of patterns (`一般公共预算 2,794.98 万元，占 41.57%，比上年预算
//! 减少 1,754.77 万元，下降 38.57%，主要原因是…。`). A paragraph is cut into segments at `。` and
//! `；`, segments into clauses at `，`; a clause that names a new subject with an amount (or a
//! change) starts a statement, and the share, rate, reason, purpose and inclusions that follow
//! attach to it. A reason (`主要原因是`) or purpose (`主要用于`) runs to the end of its segment.

use std::sync::OnceLock;

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::narrative::{Change, Direction, Quantity, RateOfChange, Statement};
use budgetflow_model::{Amount, MoneyUnit, Percent};
use regex::Regex;

struct Patterns {
    change: Regex,
    rate: Regex,
    share: Regex,
    amount: Regex,
    quantity: Regex,
    marker: Regex,
    year_noise: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let num = r"(-?\d[\d,]*(?:\.\d+)?)";
        Patterns {
            change: Regex::new(&format!(r"(增加|减少)\s*{num}\s*(万元|亿元|元)"))
                .expect("change pattern"),
            rate: Regex::new(&format!(r"(增长|下降)\s*{num}\s*[%％]")).expect("rate pattern"),
            share: Regex::new(&format!(r"占[^0-9%％，]{{0,24}}?\s*{num}\s*[%％]"))
                .expect("share pattern"),
            amount: Regex::new(&format!(r"{num}\s*(万元|亿元|元)")).expect("amount pattern"),
            quantity: Regex::new(&format!(r"{num}\s*(平方米|辆|台|套|人|家|个|项|处)"))
                .expect("quantity pattern"),
            marker: Regex::new(
                r"^(?:-\s*)?(?:\d+\s*[、.．]\s*|[（(][一二三四五六七八九十]+[）)]\s*)",
            )
            .expect("marker pattern"),
            year_noise: Regex::new(r"^(?:\d{4}\s*年)?\s*(?:预算数|预算|数)?$")
                .expect("year pattern"),
        }
    })
}

/// Extracts every statement of a paragraph.
pub fn extract(text: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    for segment in split_keep_nonempty(text, &['。', '；', ';']) {
        extract_segment(segment, &mut out);
    }
    out
}

fn split_keep_nonempty<'a>(text: &'a str, seps: &[char]) -> Vec<&'a str> {
    text.split(|c| seps.contains(&c))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Splits a segment into clauses at `，` and at `,` not followed by a digit (so `5,058.98` stays whole).
fn clauses(segment: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = segment.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let split = match c {
            '，' => true,
            ',' => !chars.peek().is_some_and(|(_, n)| n.is_ascii_digit()),
            _ => false,
        };
        if split {
            out.push(&segment[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&segment[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn extract_segment(segment: &str, out: &mut Vec<Statement>) {
    let p = patterns();
    let parts = clauses(segment);
    // index into `out` of the statement the following clauses attach to
    let mut current: Option<usize> = None;
    for (i, clause) in parts.iter().enumerate() {
        if let Some(reason) =
            strip_any(clause, &["主要原因是", "主要原因：", "主要原因:", "原因是"])
        {
            let text = std::iter::once(reason)
                .chain(parts[i + 1..].iter().copied())
                .collect::<Vec<_>>()
                .join("，");
            attach(out, &mut current, |s| {
                s.reason = Some(text.trim_start_matches(['：', ':']).trim().to_string())
            });
            return;
        }
        if let Some(purpose) = strip_any(clause, &["主要用于"]) {
            let text = std::iter::once(purpose)
                .chain(parts[i + 1..].iter().copied())
                .collect::<Vec<_>>()
                .join("，");
            attach(out, &mut current, |s| {
                s.purpose = Some(text.trim_start_matches(['：', ':']).trim().to_string())
            });
            return;
        }
        let may_amount = clause.contains('元');
        let has_digit = clause.bytes().any(|b| b.is_ascii_digit());
        let has_number =
            has_digit && ((may_amount && p.amount.is_match(clause)) || p.quantity.is_match(clause));
        if !has_number {
            if let Some(at) = clause.find("包括") {
                let joined = parts[i..].join("，");
                let after = &joined[at + "包括".len()..];
                let items: Vec<String> = after
                    .trim_start_matches(['：', ':'])
                    .split('、')
                    .map(|s| s.trim().trim_end_matches('等').to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                let lead = clause[..at].trim().trim_end_matches("主要").trim();
                if lead.is_empty() {
                    attach(out, &mut current, |s| s.includes = items);
                } else {
                    out.push(Statement {
                        subject: clean_subject(lead),
                        includes: items,
                        ..Statement::default()
                    });
                }
                return;
            }
        }
        if clause.contains("完全不予公开") {
            attach(out, &mut current, |s| s.withheld = true);
            continue;
        }
        if !has_number && clause.ends_with("未安排") {
            let subject = clean_subject(clause.trim_end_matches("未安排"));
            out.push(Statement {
                subject,
                not_arranged: true,
                ..Statement::default()
            });
            current = Some(out.len() - 1);
            continue;
        }
        let change = if has_digit && (clause.contains("增加") || clause.contains("减少")) {
            p.change.captures(clause)
        } else {
            None
        };
        let change_span = change.as_ref().and_then(|c| c.get(0)).map(|m| m.range());
        if let Some(c) = &change {
            let direction = if &c[1] == "增加" {
                Direction::Increase
            } else {
                Direction::Decrease
            };
            let amount = parse_amount(&c[2]);
            let unit = MoneyUnit::from_label(&c[3]).unwrap_or_default();
            let start = change_span.clone().map(|r| r.start).unwrap_or(0);
            let prefix = strip_change_lead(&clause[..start]);
            let subject = clean_subject(prefix);
            if let Some(amount) = amount {
                let ch = Change { direction, amount };
                if !subject.is_empty() {
                    out.push(Statement {
                        subject,
                        unit,
                        change: Some(ch),
                        ..Statement::default()
                    });
                    current = Some(out.len() - 1);
                } else {
                    attach(out, &mut current, |s| s.change = Some(ch));
                }
            }
        }
        if let Some(r) = (has_digit && (clause.contains("增长") || clause.contains("下降")))
            .then(|| p.rate.captures(clause))
            .flatten()
        {
            let direction = if &r[1] == "增长" {
                Direction::Increase
            } else {
                Direction::Decrease
            };
            if let Ok(v) = parse_printed_decimal(&r[2]) {
                attach(out, &mut current, |s| {
                    s.rate = Some(RateOfChange {
                        direction,
                        percent: Percent::new(v),
                    })
                });
            }
        }
        if let Some(sh) = (has_digit && clause.contains('占'))
            .then(|| p.share.captures(clause))
            .flatten()
        {
            if let Ok(v) = parse_printed_decimal(&sh[1]) {
                attach(out, &mut current, |s| s.share = Some(Percent::new(v)));
            }
        }
        // amounts outside the change, each `、`-separated item its own statement
        let amounts: Vec<_> = p
            .amount
            .captures_iter(if has_number && may_amount { clause } else { "" })
            .filter(|m| {
                let r = m.get(0).map(|g| g.range()).unwrap_or(0..0);
                let outside_change = change_span
                    .as_ref()
                    .is_none_or(|c| r.end <= c.start || r.start >= c.end);
                let threshold =
                    clause[r.end..].starts_with("以上") || clause[r.end..].starts_with("以下");
                outside_change && !threshold && !is_inside_identifier(clause, r.start)
            })
            .collect();
        let mut cursor = 0;
        for m in &amounts {
            let whole = m.get(0).map(|g| g.range()).unwrap_or(0..0);
            let pre = &clause[cursor..whole.start];
            let pre = pre.rsplit('、').next().unwrap_or(pre);
            cursor = whole.end;
            let Some(amount) = parse_amount(&m[1]) else {
                continue;
            };
            let unit = MoneyUnit::from_label(&m[2]).unwrap_or_default();
            let subject = clean_subject(pre);
            let attach_to_current = current
                .is_some_and(|c| out[c].amount.is_none() && out[c].change.is_none())
                && (subject.is_empty() || subject == "价值" || subject.starts_with("涉及"));
            if attach_to_current {
                attach(out, &mut current, |s| {
                    s.amount = Some(amount);
                    s.unit = unit;
                });
            } else {
                out.push(Statement {
                    subject,
                    amount: Some(amount),
                    unit,
                    ..Statement::default()
                });
                current = Some(out.len() - 1);
            }
        }
        if has_number && amounts.is_empty() && change.is_none() {
            if let Some(q) = p.quantity.captures(clause) {
                let whole = q.get(0).map(|g| g.range()).unwrap_or(0..0);
                if let Ok(value) = parse_printed_decimal(&q[1]) {
                    let subject = clean_subject(&clause[..whole.start]);
                    out.push(Statement {
                        subject,
                        quantity: Some(Quantity {
                            value,
                            unit: q[2].to_string(),
                        }),
                        ..Statement::default()
                    });
                    current = Some(out.len() - 1);
                }
            }
        }
    }
}

fn attach(out: &mut Vec<Statement>, current: &mut Option<usize>, f: impl FnOnce(&mut Statement)) {
    let idx = match *current {
        Some(i) => i,
        None => {
            out.push(Statement::default());
            out.len() - 1
        }
    };
    f(&mut out[idx]);
    *current = Some(idx);
}

fn strip_any<'a>(s: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| s.strip_prefix(p))
}

fn parse_amount(s: &str) -> Option<Amount> {
    parse_printed_decimal(s).ok().map(Amount::new)
}

/// A number glued to letters or digits before it (`8010124C 341.45` is fine, `C341.45` is not a money figure).
fn is_inside_identifier(clause: &str, start: usize) -> bool {
    clause[..start]
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
}

fn strip_change_lead(prefix: &str) -> &str {
    let mut p = prefix.trim_end();
    for lead in [
        "比上年预算",
        "比上年度预算",
        "比上年",
        "较上年预算",
        "较上年",
        "与上年相比",
        "同比",
    ] {
        if let Some(s) = p.strip_suffix(lead) {
            p = s.trim_end();
            break;
        }
    }
    p
}

/// Turns the text before a figure into the subject it describes.
pub fn clean_subject(pre: &str) -> String {
    let p = patterns();
    let mut s = pre.trim();
    if let Some(m) = p.marker.find(s) {
        s = s[m.end()..].trim();
    }
    let parts: Vec<&str> = s.split(['：', ':']).map(str::trim).collect();
    let noise = |t: &str| {
        let t = t.trim_end_matches(['为', '是']).trim();
        p.year_noise.is_match(t)
    };
    let mut chosen = parts.last().copied().unwrap_or("");
    if noise(chosen) {
        chosen = parts
            .iter()
            .rev()
            .skip(1)
            .find(|t| !noise(t))
            .copied()
            .unwrap_or("");
    }
    let mut t = chosen.trim();
    for lead in ["其中", "包括", "分别是"] {
        t = t.strip_prefix(lead).unwrap_or(t).trim();
    }
    let t = t.trim_end_matches(['为', '是', '共']).trim();
    t.trim_matches(|c: char| c == '，' || c == ',' || c.is_whitespace())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Statement {
        let s = extract(text);
        assert_eq!(s.len(), 1, "{text}: {s:#?}");
        s.into_iter().next().unwrap()
    }

    #[test]
    fn revenue_sentence() {
        let s = one("一般公共预算 2,794.98 万元，占 41.57%，比上年预算减少 1,754.77 万元，下降 38.57%，主要原因是 2025 年一般公共预算减少益民大厦运维项目。");
        assert_eq!(s.subject, "一般公共预算");
        assert_eq!(s.amount.unwrap().to_string(), "2794.98");
        assert_eq!(s.share.unwrap().value().to_string(), "41.57");
        let c = s.change.unwrap();
        assert_eq!(
            (c.direction, c.amount.to_string()),
            (Direction::Decrease, "1754.77".into())
        );
        let r = s.rate.unwrap();
        assert_eq!(
            (r.direction, r.percent.value().to_string()),
            (Direction::Decrease, "38.57".into())
        );
        assert_eq!(
            s.reason.as_deref(),
            Some("2025 年一般公共预算减少益民大厦运维项目")
        );
    }

    #[test]
    fn use_by_item_sentence() {
        let s = one("1、科学技术支出（类）技术与开发（款）其他技术与开发支出（项）：2025 年预算数为 6.72 万元，比上年预算减少 2,096.28 万元，下降 99.68%，主要原因是 2025 年一般公共预算减少益民大厦运维项目。");
        assert_eq!(
            s.subject,
            "科学技术支出（类）技术与开发（款）其他技术与开发支出（项）"
        );
        assert_eq!(s.amount.unwrap().to_string(), "6.72");
        assert_eq!(s.change.unwrap().amount.to_string(), "2096.28");
    }

    #[test]
    fn three_public_sentences() {
        let s = extract("乌鲁木齐市工业和信息化局 2025 年财政拨款“三公”经费数为 18.12 万元，其中：因公出国（境）费 0.00 万元，公务用车购置费 0.00 万元，公务用车运行费 17.82 万元，公务接待费 0.30 万元。");
        let subjects: Vec<_> = s
            .iter()
            .map(|s| (s.subject.as_str(), s.amount.unwrap().to_string()))
            .collect();
        assert_eq!(
            subjects,
            vec![
                (
                    "乌鲁木齐市工业和信息化局 2025 年财政拨款“三公”经费数",
                    "18.12".to_string()
                ),
                ("因公出国（境）费", "0.00".to_string()),
                ("公务用车购置费", "0.00".to_string()),
                ("公务用车运行费", "17.82".to_string()),
                ("公务接待费", "0.30".to_string()),
            ]
        );
        let s = extract("2025 年财政拨款“三公”经费预算比上年预算减少 4.68 万元，下降 20.53%，其中：因公出国（境）费增加 0.00 万元，增长 0.00%，主要原因是 2024 年与 2025 年均未安排因公出国（境）费用；公务用车运行费减少 4.68 万元，下降 20.80%，主要原因是机构改革车辆编制数减少。");
        assert_eq!(s.len(), 3, "{s:#?}");
        assert_eq!(s[0].subject, "2025 年财政拨款“三公”经费预算");
        assert_eq!(
            s[0].rate.as_ref().unwrap().percent.value().to_string(),
            "20.53"
        );
        assert_eq!(s[1].subject, "因公出国（境）费");
        assert_eq!(s[1].change.as_ref().unwrap().direction, Direction::Increase);
        assert!(s[1].reason.as_ref().unwrap().starts_with("2024 年"));
        assert_eq!(s[2].subject, "公务用车运行费");
    }

    #[test]
    fn lists_purposes_and_withheld() {
        let s = one("人员经费1,963.41万元，主要包括：基本工资、津贴补贴、奖金。");
        assert_eq!(s.includes, vec!["基本工资", "津贴补贴", "奖金"]);
        let s = one("科学技术支出 6.72 万元，主要用于乌鲁木齐市信息化运行维护经费项目支出");
        assert_eq!(
            s.purpose.as_deref(),
            Some("乌鲁木齐市信息化运行维护经费项目支出")
        );
        let s = one("6. 特定目标 8010124C 341.45 万元，完全不予公开。");
        assert_eq!(s.subject, "特定目标 8010124C");
        assert!(s.withheld);
        let s = one("政府性基金预算未安排。");
        assert!(s.not_arranged);
        assert_eq!(s.subject, "政府性基金预算");
    }

    #[test]
    fn assets_and_thresholds() {
        let s =
            extract("2.车辆 11 辆，价值 237.58 万元；其中：一般公务用车 11 辆，价值 237.58 万元。");
        assert_eq!(s.len(), 2, "{s:#?}");
        assert_eq!(s[0].subject, "车辆");
        assert_eq!(s[0].quantity.as_ref().unwrap().value.to_string(), "11");
        assert_eq!(s[0].amount.unwrap().to_string(), "237.58");
        assert_eq!(s[1].subject, "一般公务用车");
        let s = extract("部门价值 50 万元以上大型设备 0 台。");
        assert!(s.iter().all(|s| s.amount.is_none()), "{s:#?}");
    }
}
