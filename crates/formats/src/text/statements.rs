//! What a sentence of the explanation states: subject, amount, share, change, rate, reason.
//!
//! Sentences follow a small number of patterns (`一般公共预算 2,794.98 万元，占 41.57%，比上年预算
//! 减少 1,754.77 万元，下降 38.57%，主要原因是…。`). A paragraph is cut into segments at `。` and
//! `；`, segments into clauses at `，`; a clause that names a new subject with an amount (or a
//! change) starts a statement, and the share, rate, reason, purpose and inclusions that follow
//! attach to it. A reason (`主要原因是`) or purpose (`主要用于`) runs to the end of its segment.

use budgetflow_model::amount::parse_printed_decimal;
use budgetflow_model::narrative::{Baseline, Change, Direction, Quantity, RateOfChange, Statement};
use budgetflow_model::{Amount, MoneyUnit, Percent};

use super::lines::trim;
use super::projects::WITHHELD;

/// What follows a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    Money(MoneyUnit),
    /// `50 万元以上`: a threshold, not an amount.
    Threshold,
    Percent,
    Quantity(&'static str),
    Plain,
}

/// A number found in a clause, with what follows it.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    start: usize,
    /// End of the number and its unit.
    end: usize,
    digits: &'a str,
    suffix: Suffix,
}

/// The money units a number may be followed by, with their labels (`万元` before `元`).
const MONEY_UNITS: [(&str, MoneyUnit); 3] = [
    ("万元", MoneyUnit::TenThousandYuan),
    ("亿元", MoneyUnit::HundredMillionYuan),
    ("元", MoneyUnit::Yuan),
];

const QUANTITY_UNITS: [&str; 9] = ["平方米", "辆", "台", "套", "人", "家", "个", "项", "处"];

/// Every number of a clause — a hand-written scanner, because this runs on every sentence
/// of every document and regular expressions with captures cost several times more.
fn tokens<'a>(clause: &'a str, out: &mut Vec<Token<'a>>) {
    let bytes = clause.as_bytes();
    out.clear();
    let mut i = 0;
    loop {
        // a number starts with a digit or `-`, both below 0x40
        i = next_low_byte(bytes, i);
        let Some(&b) = bytes.get(i) else {
            break;
        };
        let negative = b == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !(b.is_ascii_digit() || negative) {
            i += 1;
            continue;
        }
        let glued = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.');
        let start = i;
        i += 1;
        // digits, and a `,` or `.` with the digit after it
        while let Some(&c) = bytes.get(i) {
            if c.is_ascii_digit() {
                i += 1;
            } else if matches!(c, b',' | b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                i += 2;
            } else {
                break;
            }
        }
        let digits = &clause[start..i];
        let mut j = i;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        let rest = &clause[j..];
        let (suffix, len) = if let Some((label, unit)) = MONEY_UNITS
            .iter()
            .find(|(label, _)| rest.starts_with(label))
        {
            let after = &rest[label.len()..];
            if after.starts_with("以上") || after.starts_with("以下") {
                (Suffix::Threshold, label.len())
            } else {
                (Suffix::Money(*unit), label.len())
            }
        } else if rest.starts_with('%') {
            (Suffix::Percent, 1)
        } else if rest.starts_with('％') {
            (Suffix::Percent, '％'.len_utf8())
        } else if let Some(unit) = QUANTITY_UNITS.iter().find(|u| rest.starts_with(**u)) {
            (Suffix::Quantity(unit), unit.len())
        } else {
            (Suffix::Plain, 0)
        };
        if !glued {
            out.push(Token {
                start,
                end: if len > 0 { j + len } else { i },
                digits,
                suffix,
            });
        }
        i = i.max(if len > 0 { j + len } else { i });
    }
}

/// The position of the first byte below 0x40 at or after `i` (the end if there is none), read
/// eight bytes at a time: every byte of a Chinese character is 0x80 or above, so a clause's
/// long runs of them are passed over without stepping through each character. A byte below
/// 0x40 is an ASCII character of its own (digits, `-`, spaces, `,`, `.`), never part of
/// another.
fn next_low_byte(bytes: &[u8], mut i: usize) -> usize {
    const TOP: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // each byte's top bit or'ed with its next bit (shifted up within the byte): clear
        // exactly in the bytes below 0x40
        let low = !(w | (w << 1)) & TOP;
        if low != 0 {
            return i + low.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| b >= 0x40) {
        i += 1;
    }
    i
}

/// The keyword just before `at` (spaces skipped), if it is one of `words`.
fn keyword_before<'w>(clause: &str, at: usize, words: &[&'w str]) -> Option<(usize, &'w str)> {
    let before = clause[..at].trim_end();
    words
        .iter()
        .find(|w| before.ends_with(**w))
        .map(|w| (before.len() - w.len(), *w))
}

/// Whether a percentage at `at` is a share: `占` shortly before it, with no number, `%` or
/// `，` in between (`占 41.57%`, `占一般公共预算支出的 19.62%`).
fn is_share(clause: &str, at: usize) -> bool {
    let before = &clause[..at];
    match before.rfind('占') {
        Some(p) => {
            let between = &before[p + '占'.len_utf8()..];
            between.chars().count() <= 24
                && !between
                    .chars()
                    .any(|c| c.is_ascii_digit() || matches!(c, '%' | '％' | '，'))
        }
        None => false,
    }
}

/// Extracts every statement of a paragraph.
pub fn extract(text: &str) -> Vec<Statement> {
    Extractor::default().extract(text)
}

/// Extracts the statements of one document's paragraphs, with the clause, number and
/// statement buffers shared by all of them: a document has a hundred paragraphs, and buffers
/// made afresh for each were a tenth of all the memory a parse asked for.
#[derive(Default)]
pub(crate) struct Extractor<'a> {
    parts: Vec<&'a str>,
    toks: Vec<Token<'a>>,
    found: Vec<Statement>,
    rare_words: RareWordSearch,
}

impl<'a> Extractor<'a> {
    /// The statements of `text`, in a vector of exactly their number.
    pub(crate) fn extract(&mut self, text: &'a str) -> Vec<Statement> {
        let rare = self.rare_words.in_paragraph(text);
        for segment in segments(text) {
            clauses(segment, &mut self.parts);
            extract_segment(&self.parts, rare, &mut self.toks, &mut self.found);
        }
        self.found.drain(..).collect()
    }
}

/// Which of the words few paragraphs hold a paragraph holds: searched once in the paragraph
/// rather than in each of its clauses, since a clause holds a word only if its paragraph does.
#[derive(Debug, Clone, Copy)]
struct RareWords {
    /// `包括`, which lists what an item includes.
    includes: bool,
    /// `完全不予公开`.
    withheld: bool,
}

/// The searches for the [`RareWords`], built once for all of a document's paragraphs.
struct RareWordSearch {
    includes: memchr::memmem::Finder<'static>,
    withheld: memchr::memmem::Finder<'static>,
}

impl Default for RareWordSearch {
    fn default() -> RareWordSearch {
        RareWordSearch {
            includes: memchr::memmem::Finder::new("包括"),
            withheld: memchr::memmem::Finder::new(WITHHELD),
        }
    }
}

impl RareWordSearch {
    fn in_paragraph(&self, text: &str) -> RareWords {
        RareWords {
            includes: self.includes.find(text.as_bytes()).is_some(),
            withheld: self.withheld.find(text.as_bytes()).is_some(),
        }
    }
}

/// The segments of a paragraph: cut at `。`, `；` and `;`, trimmed, empty ones dropped. The
/// separators are found by their UTF-8 bytes, without decoding the characters in between.
fn segments(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || loop {
        let r = rest?;
        let b = r.as_bytes();
        // candidates found by `memchr3` on `;` and the last bytes of `。` (82) and `；` (9B),
        // checked for the two bytes before them: those lead bytes (E3, EF) would also match
        // every `，`, `、`, `（` and `：`, the last bytes far fewer characters
        let mut from = 0;
        let cut = loop {
            let Some(k) = memchr::memchr3(b';', 0x82, 0x9B, &b[from..]) else {
                break None;
            };
            let i = from + k;
            match b[i] {
                b';' => break Some((i, 1)),
                0x82 if i >= 2 && b[i - 2..i] == [0xE3, 0x80] => break Some((i - 2, 3)), // 。
                0x9B if i >= 2 && b[i - 2..i] == [0xEF, 0xBC] => break Some((i - 2, 3)), // ；
                _ => from = i + 1,
            }
        };
        let segment = match cut {
            Some((at, len)) => {
                rest = Some(&r[at + len..]);
                &r[..at]
            }
            None => {
                rest = None;
                r
            }
        };
        let segment = trim(segment);
        if !segment.is_empty() {
            return Some(segment);
        }
    })
}

/// Splits a segment into clauses at `，` and at `,` not followed by a digit (so `5,058.98` stays
/// whole), trimmed, empty ones dropped, into `out`.
fn clauses<'a>(segment: &'a str, out: &mut Vec<&'a str>) {
    out.clear();
    let b = segment.as_bytes();
    let mut push = |clause: &'a str| {
        let clause = trim(clause);
        if !clause.is_empty() {
            out.push(clause);
        }
    };
    // candidates found by `memchr2` on `,` and the lead byte of `，` (EF)
    let (mut start, mut from) = (0, 0);
    while let Some(k) = memchr::memchr2(b',', 0xEF, &b[from..]) {
        let i = from + k;
        let cut = match b[i] {
            b',' if !b.get(i + 1).is_some_and(u8::is_ascii_digit) => 1,
            0xEF if b[i + 1..].starts_with(&[0xBC, 0x8C]) => 3, // ，
            _ => 0,
        };
        if cut > 0 {
            push(&segment[start..i]);
            start = i + cut;
            from = start;
        } else {
            from = i + 1;
        }
    }
    push(&segment[start..]);
}

fn extract_segment<'a>(
    parts: &[&'a str],
    rare: RareWords,
    toks: &mut Vec<Token<'a>>,
    out: &mut Vec<Statement>,
) {
    // index into `out` of the statement the following clauses attach to
    let mut current: Option<usize> = None;
    for (i, clause) in parts.iter().enumerate() {
        // `主要原因是` (or `：`), `原因是`, `主要用于`: all but one lead start with `主要`, which
        // most clauses are ruled out by at once
        let (reason, purpose) = match clause.strip_prefix("主要") {
            Some(r) => (
                strip_any(r, &["原因是", "原因：", "原因:"]),
                r.strip_prefix("用于"),
            ),
            None => (clause.strip_prefix("原因是"), None),
        };
        if let Some(reason) = reason {
            let text = to_segment_end(reason, &parts[i + 1..]);
            attach(out, &mut current, |s| s.reason = Some(text));
            return;
        }
        // `财政拨款收入支出增加的主要原因是：…` (Shanghai): the reason for the changes stated
        // before it, in a sentence of its own; a clause with figures before the lead is not one
        if let Some((subject, reason)) = reason_sentence(clause) {
            let text = to_segment_end(reason, &parts[i + 1..]);
            out.push(Statement {
                subject: clean_subject(subject),
                reason: Some(text),
                ..Statement::default()
            });
            return;
        }
        if let Some(purpose) = purpose {
            let text = to_segment_end(purpose, &parts[i + 1..]);
            attach(out, &mut current, |s| s.purpose = Some(text));
            return;
        }
        tokens(clause, toks);
        let has_number = toks
            .iter()
            .any(|t| matches!(t.suffix, Suffix::Money(_) | Suffix::Quantity(_)));
        if !has_number && rare.includes {
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
        if rare.withheld && clause.contains(WITHHELD) {
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
        let has_money = toks.iter().any(|t| matches!(t.suffix, Suffix::Money(_)));
        let flat = flat_clause(clause);
        if let Some(before) = flat {
            if !has_money {
                let subject = clean_subject(before);
                if subject.is_empty() {
                    // `公务接待费1.00万元。与2024年预算持平`: a sentence of its own about the
                    // amount the sentence before stated
                    if current.is_none() {
                        current = out
                            .len()
                            .checked_sub(1)
                            .filter(|&i| out[i].amount.is_some() && out[i].change.is_none());
                    }
                    attach(out, &mut current, |s| {
                        s.change = Some(Change::flat());
                        s.baseline = Baseline::named_in(clause);
                    });
                } else {
                    out.push(Statement {
                        subject,
                        change: Some(Change::flat()),
                        baseline: Baseline::named_in(clause),
                        ..Statement::default()
                    });
                    current = Some(out.len() - 1);
                }
                continue;
            }
        }
        let change = toks.iter().find_map(|t| match t.suffix {
            Suffix::Money(unit) => {
                keyword_before(clause, t.start, &["增加", "减少"]).map(|(k, w)| (t, unit, k, w))
            }
            _ => None,
        });
        if let Some((t, unit, keyword_at, word)) = change {
            let direction = if word == "增加" {
                Direction::Increase
            } else {
                Direction::Decrease
            };
            let subject = clean_subject(strip_change_lead(&clause[..keyword_at]));
            let baseline = Baseline::named_in(&clause[..keyword_at]);
            if let Some(amount) = parse_amount(t.digits) {
                let ch = Change { direction, amount };
                if !subject.is_empty() {
                    out.push(Statement {
                        subject,
                        unit,
                        change: Some(ch),
                        baseline,
                        ..Statement::default()
                    });
                    current = Some(out.len() - 1);
                } else {
                    attach(out, &mut current, |s| {
                        s.change = Some(ch);
                        s.baseline = baseline;
                    });
                }
            }
        }
        let change_start = change.map(|(t, ..)| t.start);
        for t in toks.iter().filter(|t| t.suffix == Suffix::Percent) {
            if let Some((keyword_at, word)) = keyword_before(clause, t.start, &["增长", "下降"])
            {
                let direction = if word == "增长" {
                    Direction::Increase
                } else {
                    Direction::Decrease
                };
                if let Ok(v) = parse_printed_decimal(t.digits) {
                    let rate = RateOfChange {
                        direction,
                        percent: Percent::new(v),
                    };
                    // `“三公”经费比上年下降 20.53%`: a rate that names its own subject starts
                    // a statement, as a change does
                    let subject = if change.is_none() && !has_money {
                        clean_subject(strip_change_lead(&clause[..keyword_at]))
                    } else {
                        String::new()
                    };
                    let baseline = Baseline::named_in(&clause[..keyword_at]);
                    if subject.is_empty() {
                        attach(out, &mut current, |s| {
                            s.rate = Some(rate);
                            if !baseline.is_budget() {
                                s.baseline = baseline;
                            }
                        });
                    } else {
                        out.push(Statement {
                            subject,
                            rate: Some(rate),
                            baseline,
                            ..Statement::default()
                        });
                        current = Some(out.len() - 1);
                    }
                }
            } else if is_share(clause, t.start) {
                if let Ok(v) = parse_printed_decimal(t.digits) {
                    attach(out, &mut current, |s| s.share = Some(Percent::new(v)));
                }
            }
        }
        // amounts other than the change, each `、`-separated item its own statement
        let mut cursor = 0;
        let mut any_amount = false;
        for t in toks
            .iter()
            .filter(|t| matches!(t.suffix, Suffix::Money(_)) && Some(t.start) != change_start)
        {
            let Suffix::Money(unit) = t.suffix else {
                continue;
            };
            any_amount = true;
            let pre = after_last_enumeration_comma(&clause[cursor..t.start]);
            cursor = t.end;
            let Some(amount) = parse_amount(t.digits) else {
                continue;
            };
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
        // `公务接待费 0.30 万元与上年持平`: the amount's statement states no change
        if flat.is_some() && change.is_none() {
            attach(out, &mut current, |s| {
                s.change.get_or_insert_with(Change::flat);
            });
        }
        if !any_amount && change.is_none() {
            if let Some(t) = toks
                .iter()
                .find(|t| matches!(t.suffix, Suffix::Quantity(_)))
            {
                let Suffix::Quantity(unit) = t.suffix else {
                    continue;
                };
                if let Ok(value) = parse_printed_decimal(t.digits) {
                    let subject = clean_subject(&clause[..t.start]);
                    out.push(Statement {
                        subject,
                        quantity: Some(Quantity {
                            value,
                            unit: unit.to_string(),
                        }),
                        ..Statement::default()
                    });
                    current = Some(out.len() - 1);
                }
            }
        }
    }
}

/// A reason or purpose: `head` (the rest of its clause after `主要原因是` or `主要用于`) and the
/// clauses after it rejoined with `，`, colons and whitespace trimmed from its start — built in
/// one string. The clauses are trimmed and `head` ends where its clause does, so only the start
/// of `head` has anything to trim; when `head` is empty the text starts with `，`, which is
/// neither.
fn to_segment_end(head: &str, rest: &[&str]) -> String {
    let head = head.trim_start_matches(['：', ':']).trim_start();
    let len = head.len()
        + rest
            .iter()
            .map(|p| p.len() + '，'.len_utf8())
            .sum::<usize>();
    let mut text = String::with_capacity(len);
    text.push_str(head);
    for p in rest {
        text.push('，');
        text.push_str(p);
    }
    text
}

/// The text after the last `、` of `s` (all of `s` when there is none), found by bytes from
/// the end: a match of `、`'s last byte is checked for the two before it.
fn after_last_enumeration_comma(s: &str) -> &str {
    let b = s.as_bytes();
    let mut end = b.len();
    while let Some(i) = memchr::memrchr(0x81, &b[..end]) {
        if i >= 2 && b[i - 2..i] == [0xE3, 0x80] {
            return &s[i + 1..];
        }
        end = i;
    }
    s
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

/// A clause that names what changed and then gives the main reason for it
/// (`财政拨款收入支出增加（减少）的主要原因是业务量增加`): the text before the lead, without its
/// `的`, and the reason after it. No digit may come before the lead.
fn reason_sentence(clause: &str) -> Option<(&str, &str)> {
    let at = clause.find("主要原因")?;
    let (before, after) = (&clause[..at], &clause[at + "主要原因".len()..]);
    if before.is_empty() || before.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let reason = strip_any(after, &["是：", "是:", "是", "：", ":"])?;
    Some((before.trim_end_matches('的'), reason))
}

fn strip_any<'a>(s: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| s.strip_prefix(p))
}

fn parse_amount(s: &str) -> Option<Amount> {
    parse_printed_decimal(s).ok().map(Amount::new)
}

/// The text before a change without the words that say what it is compared with: `比上年`,
/// `比上年度预算`, `较上年`, `与上年相比`, `与2024年预算相比`, `比 2024 年预算`, `同比`. Text
/// that does not end in such words is returned as it is.
fn strip_change_lead(prefix: &str) -> &str {
    let p = prefix.trim_end();
    if let Some(s) = p.strip_suffix("同比") {
        return s.trim_end();
    }
    let (p, compared) = match p.strip_suffix("相比") {
        Some(s) => (s.trim_end(), true),
        None => (p, false),
    };
    // `比2024年预算执行数`: compared with last year's outturn, still a change on last year
    let p = strip_any_suffix(p, &["预算执行数", "执行数", "预算数", "预算"]).trim_end();
    let p = p.strip_suffix('度').unwrap_or(p);
    let Some(p) = last_year_named(p) else {
        return prefix.trim_end();
    };
    // `与…相比`, and `与…` alone before 持平; `比…` and `较…` before an amount
    let leads: &[&str] = if compared {
        &["与"]
    } else {
        &["比", "较", "与"]
    };
    match leads.iter().find_map(|l| p.strip_suffix(l)) {
        Some(s) => s.trim_end(),
        None => prefix.trim_end(),
    }
}

/// `text` without its last year at its end: `上年`, or a year of four digits and `年`
/// (`2024年`, `2024 年`).
fn last_year_named(text: &str) -> Option<&str> {
    if let Some(s) = text.strip_suffix("上年") {
        return Some(s.trim_end());
    }
    let s = text.strip_suffix('年')?.trim_end();
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    (digits == 4).then(|| s[..s.len() - 4].trim_end())
}

fn strip_any_suffix<'a>(s: &'a str, suffixes: &[&str]) -> &'a str {
    suffixes.iter().find_map(|x| s.strip_suffix(x)).unwrap_or(s)
}

/// A clause that states no change (`与上年持平`, `与2024年预算持平`, `公务接待费与上年持平`,
/// `持平`): the text before it that names the subject, if any. `基本持平` (roughly unchanged)
/// states no figure, and is not one.
fn flat_clause(clause: &str) -> Option<&str> {
    let before = clause.strip_suffix("持平")?;
    if before.trim_end().ends_with("基本") {
        return None;
    }
    let before = before.trim_end();
    let before = before.strip_suffix("保持").unwrap_or(before);
    Some(strip_change_lead(before))
}

/// Strips a list marker: `- `, `1、`, `1. `, `（一）`.
fn strip_marker(s: &str) -> &str {
    let s = s.strip_prefix('-').map(str::trim_start).unwrap_or(s);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let rest = s[digits..].trim_start();
        if let Some(r) = rest.strip_prefix(['、', '.', '．']) {
            return r.trim_start();
        }
        return s;
    }
    if let Some(r) = s.strip_prefix(['（', '(']) {
        if let Some(close) = r.find(['）', ')']) {
            if r[..close]
                .chars()
                .all(|c| "一二三四五六七八九十".contains(c))
                && close > 0
            {
                return r[close..].trim_start_matches(['）', ')']).trim_start();
            }
        }
    }
    s
}

/// `2025 年预算数`, `预算`, `` — words around a figure that do not name what it describes.
fn is_year_noise(t: &str) -> bool {
    let mut t = t.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 4 {
        if let Some(r) = t[4..].trim_start().strip_prefix('年') {
            t = r.trim_start();
        } else {
            return false;
        }
    }
    matches!(t, "" | "预算数" | "预算" | "数")
}

/// Turns the text before a figure into the subject it describes.
pub fn clean_subject(pre: &str) -> String {
    let s = strip_marker(trim(pre));
    // the last `：`-separated part that says more than a year or 预算数
    // (`rest` is kept trimmed, so that a part without a colon before it needs no trim)
    let mut rest = s;
    let chosen = loop {
        let (head, part) = match last_colon(rest) {
            Some((at, len)) => (Some(&rest[..at]), trim(&rest[at + len..])),
            None => (None, rest),
        };
        if !is_noise(part) {
            break part;
        }
        match head {
            Some(h) => rest = trim(h),
            None => break "",
        }
    };
    // `chosen` is trimmed, so only text with something cut from it is trimmed again
    let mut t = chosen;
    for lead in ["其中", "包括", "分别是"] {
        if let Some(r) = t.strip_prefix(lead) {
            t = trim(r);
        }
    }
    let cut = t.trim_end_matches(['为', '是', '共']);
    if cut.len() < t.len() {
        t = trim(cut);
    }
    // trimmed text that neither starts nor ends with a comma has nothing more to trim
    let b = t.as_bytes();
    if b.first() == Some(&b',')
        || b.last() == Some(&b',')
        || b.starts_with("，".as_bytes())
        || b.ends_with("，".as_bytes())
    {
        t = t.trim_matches(|c: char| c == '，' || c == ',' || c.is_whitespace());
    }
    t.to_string()
}

/// Whether a trimmed part of a subject says no more than a year or 预算数 (`2025 年预算数为`).
fn is_noise(part: &str) -> bool {
    // such a part is empty or starts with a digit, 预, 数, or the 为/是 trimmed from its end:
    // any other first character rules it out, compared by bytes
    let starts_noise = part.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || ["预", "数", "为", "是"].iter().any(|w| part.starts_with(w));
    if !part.is_empty() && !starts_noise {
        return false;
    }
    is_year_noise(trim(part.trim_end_matches(['为', '是'])))
}

/// The position and length of the last `：` or `:` of `s`, found by bytes from the end: a match
/// of `：`'s last byte is checked for the two before it.
fn last_colon(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut end = b.len();
    while let Some(i) = memchr::memrchr2(b':', 0x9A, &b[..end]) {
        if b[i] == b':' {
            return Some((i, 1));
        }
        if i >= 2 && b[i - 2..i] == [0xEF, 0xBC] {
            return Some((i - 2, 3));
        }
        end = i;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Segments as the definition says: cut at `。`, `；` and `;`, trimmed, empty ones dropped.
    fn segments_by_chars(text: &str) -> Vec<&str> {
        text.split(['。', '；', ';'])
            .map(trim)
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// Clauses as the definition says: cut at `，` and at `,` not followed by a digit.
    fn clauses_by_chars(segment: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in segment.char_indices() {
            let next_is_digit = segment[i + c.len_utf8()..]
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_digit());
            if c == '，' || (c == ',' && !next_is_digit) {
                out.push(trim(&segment[start..i]));
                start = i + c.len_utf8();
            }
        }
        out.push(trim(&segment[start..]));
        out.retain(|c| !c.is_empty());
        out
    }

    proptest::proptest! {
        /// The byte searches for separators cut where the character-by-character definition
        /// does, over text mixing every separator with the characters that share their lead
        /// bytes (`、`, `（`, `：`, `〇`) or last bytes (`丂`, `丛`) and digits.
        #[test]
        fn separators_found_by_bytes_cut_where_the_characters_are(
            text in "[。；;，,、（）：〇丂丛 1-9a一二万元%]{0,40}"
        ) {
            proptest::prop_assert_eq!(segments(&text).collect::<Vec<_>>(), segments_by_chars(&text));
            let mut parts = Vec::new();
            clauses(&text, &mut parts);
            proptest::prop_assert_eq!(parts, clauses_by_chars(&text));
        }
    }

    proptest::proptest! {
        /// The word-at-a-time search finds the first byte below 0x40 that a byte-by-byte
        /// search finds, from every position of text mixing Chinese, other multi-byte
        /// characters, and ASCII on both sides of 0x40.
        #[test]
        fn low_bytes_found_a_word_at_a_time(text in "[一二万元、，é😀 ?@AZaz09,.-]{0,40}") {
            let bytes = text.as_bytes();
            for i in 0..=bytes.len() {
                let expected = bytes[i..].iter().position(|&b| b < 0x40).map_or(bytes.len(), |k| i + k);
                proptest::prop_assert_eq!(next_low_byte(bytes, i), expected);
            }
        }
    }

    /// [`clean_subject`] as first written, every step trimming what it returns.
    fn clean_subject_by_definition(pre: &str) -> String {
        let s = strip_marker(trim(pre));
        let noise = |t: &str| is_year_noise(trim(t.trim_end_matches(['为', '是'])));
        let mut rest = s;
        let chosen = loop {
            let (head, part) = match rest.rfind(['：', ':']) {
                Some(at) => {
                    let len = rest[at..].chars().next().map_or(1, char::len_utf8);
                    (Some(&rest[..at]), &rest[at + len..])
                }
                None => (None, rest),
            };
            let part = trim(part);
            if !noise(part) {
                break part;
            }
            match head {
                Some(h) => rest = h,
                None => break "",
            }
        };
        let mut t = chosen;
        for lead in ["其中", "包括", "分别是"] {
            t = trim(t.strip_prefix(lead).unwrap_or(t));
        }
        let t = trim(t.trim_end_matches(['为', '是', '共']));
        t.trim_matches(|c: char| c == '，' || c == ',' || c.is_whitespace())
            .to_string()
    }

    /// Text made of the pieces subjects are cut from: markers, years, colons of both widths,
    /// the leads and tails [`clean_subject`] strips, commas, `、`, whitespace of several kinds
    /// and characters sharing bytes with `：` and `、` (`）`, `业`, `〇`, `丁`).
    const SUBJECT_TEXT: &str = concat!(
        "(2025|1|年|预算数|预算|数|为|是|共|：|:|其中|包括|分别是|，|,|、|-|（一）|\\(|）|\\.|．",
        "| |\u{3000}|\t|基本支出|业|〇|丁|经费){0,12}"
    );

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// The subject found with the trims that cannot change anything skipped, and the
        /// colons found by bytes, is the subject every step's trim finds.
        #[test]
        fn subjects_are_cleaned_as_defined(pre in SUBJECT_TEXT) {
            proptest::prop_assert_eq!(clean_subject(&pre), clean_subject_by_definition(&pre));
        }

        /// The text after the last `、`, found by bytes, is what `rsplit` gives.
        #[test]
        fn enumeration_commas_found_by_bytes(s in SUBJECT_TEXT) {
            proptest::prop_assert_eq!(after_last_enumeration_comma(&s), s.rsplit('、').next().unwrap());
        }

        /// A reason built in one string is the clauses rejoined and trimmed.
        #[test]
        fn reasons_are_the_clauses_rejoined(
            head in SUBJECT_TEXT,
            rest in proptest::collection::vec(SUBJECT_TEXT, 0..4),
        ) {
            // clauses are trimmed and not empty, and a reason's head ends where its clause does
            let rest: Vec<&str> = rest.iter().map(|p| trim(p)).filter(|p| !p.is_empty()).collect();
            let head = head.trim_end();
            let joined = std::iter::once(head).chain(rest.iter().copied()).collect::<Vec<_>>().join("，");
            proptest::prop_assert_eq!(
                to_segment_end(head, &rest),
                joined.trim_start_matches(['：', ':']).trim()
            );
        }
    }

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
    fn reason_in_a_sentence_of_its_own() {
        let s = one(
            "财政拨款收入支出增加的主要原因是：政策资金项目预算增加，根据实际工作安排编制预算。",
        );
        assert_eq!(s.subject, "财政拨款收入支出增加");
        assert_eq!(
            s.reason.as_deref(),
            Some("政策资金项目预算增加，根据实际工作安排编制预算")
        );
        assert_eq!(s.amount, None);
    }

    #[test]
    fn every_reason_lead() {
        for lead in ["主要原因是", "主要原因：", "主要原因:", "原因是"] {
            let s = one(&format!("基本支出 1.00 万元，{lead} 人员减少，经费减少。"));
            assert_eq!(s.reason.as_deref(), Some("人员减少，经费减少"), "{lead}");
        }
        let s = one("基本支出 1.00 万元，主要是人员减少。");
        assert_eq!((s.reason, s.purpose), (None, None));
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

    /// What a wording of a change yields: the statement's subject, amount, signed change and
    /// rate.
    fn change_of(text: &str) -> (String, Option<String>, Option<String>, Option<String>) {
        let s = extract(text);
        let s = s.last().unwrap_or_else(|| panic!("{text}: no statement"));
        let rate = s
            .rate
            .as_ref()
            .map(|r| (r.direction.sign() * r.percent.value()).to_string());
        (
            s.subject.clone(),
            s.amount.map(|a| a.to_string()),
            s.change.as_ref().map(|c| c.signed().to_string()),
            rate,
        )
    }

    /// A sentence, and the subject, amount, signed change and signed rate read from it.
    type WordingCase = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    #[test]
    fn every_wording_of_a_change() {
        let cases: &[WordingCase] = &[
            (
                "公务接待费 0.30 万元，持平。",
                "公务接待费",
                Some("0.30"),
                Some("0"),
                None,
            ),
            (
                "公务接待费 0.30 万元，与上年持平。",
                "公务接待费",
                Some("0.30"),
                Some("0"),
                None,
            ),
            (
                "公务接待费 0.30 万元，与上年预算持平。",
                "公务接待费",
                Some("0.30"),
                Some("0"),
                None,
            ),
            (
                "公务接待费 0.30 万元，与2024年预算持平。",
                "公务接待费",
                Some("0.30"),
                Some("0"),
                None,
            ),
            (
                "公务接待费 0.30 万元，与 2024 年预算持平。",
                "公务接待费",
                Some("0.30"),
                Some("0"),
                None,
            ),
            (
                "公务接待费 0.30 万元，比上年持平。",
                "公务接待费",
                Some("0.30"),
                Some("0"),
                None,
            ),
            (
                "公务接待费 0.30 万元，同比持平。",
                "公务接待费",
                Some("0.30"),
                Some("0"),
                None,
            ),
            (
                "公务接待费 0.30 万元与上年持平。",
                "公务接待费",
                Some("0.30"),
                Some("0"),
                None,
            ),
            (
                "公务接待费与上年持平。",
                "公务接待费",
                None,
                Some("0"),
                None,
            ),
            (
                "公务接待费与2024年预算持平。",
                "公务接待费",
                None,
                Some("0"),
                None,
            ),
            (
                "基本支出 10.00 万元，比上年增加 1.00 万元，增长 11.11%。",
                "基本支出",
                Some("10.00"),
                Some("1.00"),
                Some("11.11"),
            ),
            (
                "基本支出 10.00 万元，比上年预算减少 1.00 万元，下降 9.09%。",
                "基本支出",
                Some("10.00"),
                Some("-1.00"),
                Some("-9.09"),
            ),
            (
                "基本支出 10.00 万元，比2024年预算增加 1.00 万元。",
                "基本支出",
                Some("10.00"),
                Some("1.00"),
                None,
            ),
            (
                "基本支出 10.00 万元，比 2024 年预算减少 1.00 万元。",
                "基本支出",
                Some("10.00"),
                Some("-1.00"),
                None,
            ),
            (
                "基本支出 10.00 万元，较上年度预算减少 1.00 万元。",
                "基本支出",
                Some("10.00"),
                Some("-1.00"),
                None,
            ),
            (
                "基本支出 10.00 万元，与2024年预算相比减少 1.00 万元。",
                "基本支出",
                Some("10.00"),
                Some("-1.00"),
                None,
            ),
            (
                "基本支出 10.00 万元，同比减少 1.00 万元。",
                "基本支出",
                Some("10.00"),
                Some("-1.00"),
                None,
            ),
            (
                "基本支出比上年减少 1.00 万元，下降 9.09%。",
                "基本支出",
                None,
                Some("-1.00"),
                Some("-9.09"),
            ),
            (
                "基本支出比2024年预算增加 1.00 万元。",
                "基本支出",
                None,
                Some("1.00"),
                None,
            ),
            (
                "基本支出 10.00 万元，比上年增长 11.11%。",
                "基本支出",
                Some("10.00"),
                None,
                Some("11.11"),
            ),
            (
                "“三公”经费比上年下降 20.53%。",
                "“三公”经费",
                None,
                None,
                Some("-20.53"),
            ),
            (
                "“三公”经费比2024年预算增长 5.00%。",
                "“三公”经费",
                None,
                None,
                Some("5.00"),
            ),
        ];
        for (text, subject, amount, change, rate) in cases {
            let expected = (
                subject.to_string(),
                amount.map(str::to_string),
                change.map(str::to_string),
                rate.map(str::to_string),
            );
            assert_eq!(change_of(text), expected, "{text}");
        }
    }

    #[test]
    fn flat_in_a_sentence_of_its_own_and_on_last_years_outturn() {
        // Shanghai: the amount, then 持平 in the next sentence
        let s = one("（三）公务接待费1.00万元。与2024年预算持平，主要原因是根据本单位实际业务需求开展公务接待。");
        assert_eq!(s.subject, "公务接待费");
        assert_eq!(s.change.unwrap().direction, Direction::Flat);
        assert!(s.reason.is_some());
        let s = extract("政府性基金拨款支出预算0万元，比2024年预算执行数持平；国有资本经营预算拨款支出预算0万元，比2024年预算执行数持平。");
        let read: Vec<_> = s
            .iter()
            .map(|s| (s.subject.as_str(), s.change.as_ref().map(|c| c.direction)))
            .collect();
        assert_eq!(
            read,
            [
                ("政府性基金拨款支出预算", Some(Direction::Flat)),
                ("国有资本经营预算拨款支出预算", Some(Direction::Flat))
            ]
        );
    }

    #[test]
    fn a_change_on_last_years_outturn_says_so() {
        let cases = [
            (
                "基本支出 10.00 万元，比2024年预算执行数增加 1.00 万元，增长 11.11%。",
                Baseline::Outturn,
            ),
            (
                "基本支出 10.00 万元，比2024年预算执行数持平。",
                Baseline::Outturn,
            ),
            (
                "基本支出 10.00 万元，比2024年预算增加 1.00 万元，增长 11.11%。",
                Baseline::Budget,
            ),
            (
                "基本支出 10.00 万元，比上年增加 1.00 万元。",
                Baseline::Budget,
            ),
        ];
        for (text, baseline) in cases {
            let s = one(text);
            assert!(s.change.is_some(), "{text}");
            assert_eq!(s.baseline, baseline, "{text}");
        }
    }

    #[test]
    fn flat_is_a_change_of_zero_and_roughly_flat_is_none() {
        let s = one("公务接待费 0.30 万元，与上年持平。");
        let c = s.change.unwrap();
        assert_eq!(c.direction, Direction::Flat);
        assert!(c.states_no_change());
        // 基本持平 claims no figure; 持平 inside other words is not a statement of change
        let s = one("公务接待费 0.30 万元，与上年基本持平。");
        assert_eq!(s.change, None);
        let s = one("公务接待费 0.30 万元，保持收支持平状态。");
        assert_eq!(s.change, None);
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
