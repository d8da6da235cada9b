//! Hand-written matchers for the fixed phrases of a disclosure (`房屋 1,234 平方米，价值 56.78 万元`,
//! `在职 30 人`, `2025 年 1 月 1 日`).
//!
//! These phrases were regular expressions; searching with captures cost more than all the rest
//! of the sections they sit in, because every call runs a forward, a reverse and a capturing
//! pass over the paragraph. A phrase is now a sequence of steps on an [`At`] cursor, and
//! [`find_iter`] tries it where a match can start, leftmost first and without overlaps, as the
//! regex crate does. The steps keep the regexes' meaning exactly — `\s` is Unicode whitespace,
//! `\d` any Unicode decimal digit — and the tests of every phrase compare it with the regular
//! expression it replaced on generated text.

use memchr::memmem;
use std::sync::OnceLock;

use regex::Regex;

/// A position in a text being matched.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> At<'a> {
    pub fn new(text: &'a str, pos: usize) -> At<'a> {
        At { text, pos }
    }

    pub fn pos(self) -> usize {
        self.pos
    }

    /// The text from `from` to this cursor.
    pub fn since(self, from: At<'a>) -> &'a str {
        &self.text[from.pos..self.pos]
    }

    /// The character before the cursor.
    pub fn previous(self) -> Option<char> {
        self.text[..self.pos].chars().next_back()
    }

    /// The cursor at the next `c`, or at the end (`[^c]*`).
    pub fn until(self, c: char) -> At<'a> {
        self.to(self
            .rest()
            .find(c)
            .map_or(self.text.len(), |i| self.pos + i))
    }

    /// The text after the cursor.
    pub fn rest(self) -> &'a str {
        &self.text[self.pos..]
    }

    /// `\s*`.
    pub fn spaces(self) -> At<'a> {
        let rest = self.rest();
        let skipped = rest.len() - rest.trim_start().len();
        self.to(self.pos + skipped)
    }

    /// The literal `s`.
    pub fn lit(self, s: &str) -> Option<At<'a>> {
        self.rest()
            .starts_with(s)
            .then(|| self.to(self.pos + s.len()))
    }

    /// One of `options` (an alternation whose branches are never prefixes of each other, so
    /// at most one applies).
    pub fn one_of(self, options: &[&'static str]) -> Option<(At<'a>, &'static str)> {
        let rest = self.rest();
        let o = options.iter().find(|o| rest.starts_with(**o))?;
        Some((self.to(self.pos + o.len()), o))
    }

    /// `\d{min,max}`, greedy: every phrase follows a digit run with something that is not a
    /// digit, so giving digits back never helps a match.
    pub fn digits(self, min: usize, max: usize) -> Option<(At<'a>, &'a str)> {
        let rest = self.rest();
        let (mut end, mut count) = (0, 0);
        for c in rest.chars() {
            if count == max || !is_digit(c) {
                break;
            }
            end += c.len_utf8();
            count += 1;
        }
        (count >= min && count > 0).then(|| (self.to(self.pos + end), &rest[..end]))
    }

    /// `\d[\d,]*(?:\.\d+)?`, a printed amount. Greedy, for the reason given at [`At::digits`]:
    /// what follows an amount in every phrase is neither a digit, a comma nor a point.
    pub fn number(self) -> Option<(At<'a>, &'a str)> {
        let (mut at, _) = self.digits(1, 1)?;
        let rest = at.rest();
        let run = rest
            .char_indices()
            .find(|(_, c)| !(*c == ',' || is_digit(*c)))
            .map_or(rest.len(), |(i, _)| i);
        at = at.to(at.pos + run);
        if let Some((after, _)) = at.lit(".").and_then(|a| a.digits(1, usize::MAX)) {
            at = after;
        }
        Some((at, &self.text[self.pos..at.pos]))
    }

    fn to(self, pos: usize) -> At<'a> {
        At { pos, ..self }
    }
}

/// Where a phrase can start.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Start {
    /// Where this literal is printed (the phrase receives the cursor before it).
    Literal(&'static str),
    /// Where one of these literals is printed.
    AnyOf(&'static [&'static str]),
    /// At a decimal digit.
    Digit,
}

/// Every match of `phrase` in `text`, leftmost first and without overlaps, as the regex crate
/// finds them. `phrase` tries to match at a start and gives the end of the match with what it
/// captured.
pub(crate) fn find_iter<'a, T>(
    text: &'a str,
    start: Start,
    phrase: impl Fn(At<'a>) -> Option<(At<'a>, T)> + 'a,
) -> impl Iterator<Item = T> + 'a {
    let mut from = 0;
    // each literal searched for with a finder built once (SIMD, no per-search setup)
    let finders: Vec<memmem::Finder<'static>> = match start {
        Start::Literal(lit) => vec![memmem::Finder::new(lit)],
        Start::AnyOf(lits) => lits.iter().map(memmem::Finder::new).collect(),
        Start::Digit => Vec::new(),
    };
    let find_from = |finder: &memmem::Finder<'_>, from: usize| {
        finder.find(&text.as_bytes()[from..]).map(|i| from + i)
    };
    // for `AnyOf`, where each literal is next printed: searched again only once passed, so
    // the text is read once per literal, not once per candidate
    let mut next: Vec<Option<usize>> = match start {
        Start::AnyOf(_) => finders.iter().map(|f| find_from(f, 0)).collect(),
        _ => Vec::new(),
    };
    std::iter::from_fn(move || {
        while from <= text.len() {
            let candidate = match start {
                Start::Literal(_) => find_from(&finders[0], from),
                Start::AnyOf(_) => {
                    for (at, finder) in next.iter_mut().zip(&finders) {
                        if at.is_some_and(|at| at < from) {
                            *at = find_from(finder, from);
                        }
                    }
                    next.iter().flatten().min().copied()
                }
                Start::Digit => next_digit(text, from),
            }?;
            match phrase(At::new(text, candidate)) {
                Some((end, found)) => {
                    from = end.pos.max(candidate + 1);
                    return Some(found);
                }
                None => {
                    let width = text[candidate..].chars().next().map_or(1, char::len_utf8);
                    from = candidate + width;
                }
            }
        }
        None
    })
}

/// The first match of `phrase` in `text` (see [`find_iter`]).
pub(crate) fn find<'a, T>(
    text: &'a str,
    start: Start,
    phrase: impl Fn(At<'a>) -> Option<(At<'a>, T)> + 'a,
) -> Option<T> {
    find_iter(text, start, phrase).next()
}

/// Where the next decimal digit is at or after `from`. Read by bytes: an ASCII byte is decided
/// at once, a character from the CJK block (lead bytes `E4`–`E9`, most of a disclosure's
/// text) holds no digit, and only other characters are decoded.
fn next_digit(text: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = from;
    while let Some(&lead) = b.get(i) {
        match lead {
            b'0'..=b'9' => return Some(i),
            0x00..=0x7F => i += 1,
            0xE4..=0xE9 => i += 3,
            _ => {
                let c = text[i..].chars().next()?;
                if is_digit(c) {
                    return Some(i);
                }
                i += c.len_utf8();
            }
        }
    }
    None
}

/// `\d`: a Unicode decimal digit (general category Nd). ASCII digits are decided at once; any
/// other character only when it is numeric at all, by the regex crate's own table.
pub(crate) fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    if !c.is_numeric() {
        return false;
    }
    static ND: OnceLock<Regex> = OnceLock::new();
    let nd = ND.get_or_init(|| Regex::new(r"^\d$").expect("the Nd class"));
    nd.is_match(c.encode_utf8(&mut [0; 4]))
}

/// `，` or `,`.
pub(crate) const COMMA: [&str; 2] = ["，", ","];
/// `：` or `:`.
pub(crate) const COLON: [&str; 2] = ["：", ":"];

/// `(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日` from `at`: year, month and day as printed.
pub(crate) fn date(at: At<'_>) -> Option<(At<'_>, [&str; 3])> {
    let (at, y) = at.digits(4, 4)?;
    let (at, m) = at.spaces().lit("年")?.spaces().digits(1, 2)?;
    let (at, d) = at.spaces().lit("月")?.spaces().digits(1, 2)?;
    Some((at.spaces().lit("日")?, [y, m, d]))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text made of the pieces the phrases are built from, with digits of several scripts,
    /// spaces of several kinds, and the punctuation around them.
    pub(crate) fn phrase_text(words: &'static [&'static str]) -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => prop::sample::select(words).prop_map(str::to_string),
            3 => "[0-9]{1,5}",
            1 => prop::sample::select(&["１２", "٣", "½", "Ⅻ", "〇"][..]).prop_map(str::to_string),
            2 => prop::sample::select(&[" ", "  ", "\u{3000}", "\u{a0}", "\n", ""][..])
                .prop_map(str::to_string),
            2 => prop::sample::select(&[",", "，", ".", "。", "、", "：", ":", "-", "（", "(", "）", ")"][..])
                .prop_map(str::to_string),
            1 => prop::sample::select(&["年", "月", "日", "万元", "元", "个", "人", "家", "辆", "台"][..])
                .prop_map(str::to_string),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    /// What `re` captures in each of its matches, group by group.
    pub(crate) fn regex_captures<'t>(re: &str, text: &'t str) -> Vec<Vec<Option<&'t str>>> {
        Regex::new(re)
            .unwrap()
            .captures_iter(text)
            .map(|c| c.iter().skip(1).map(|m| m.map(|m| m.as_str())).collect())
            .collect()
    }

    #[test]
    fn digits_are_unicode_decimal_digits() {
        for (c, digit) in [
            ('7', true),
            ('７', true),
            ('٣', true),
            ('½', false),
            ('Ⅻ', false),
            ('〇', false),
            ('年', false),
            (',', false),
        ] {
            assert_eq!(is_digit(c), digit, "{c}");
        }
    }

    #[test]
    fn numbers_are_read_as_printed() {
        for (text, number) in [
            ("1,234.56万元", Some("1,234.56")),
            ("12.34.56", Some("12.34")),
            ("12.", Some("12")),
            ("3,", Some("3,")),
            ("万元", None),
        ] {
            assert_eq!(At::new(text, 0).number().map(|(_, n)| n), number, "{text}");
        }
    }

    proptest! {
        #[test]
        fn dates_are_found_as_the_pattern_finds_them(
            text in phrase_text(&["2025", "年", "月", "日", "12", "1", "2024年12月31日"])
        ) {
            let ours: Vec<Vec<Option<&str>>> = find_iter(&text, Start::Digit, date)
                .map(|d| d.iter().map(|s| Some(*s)).collect())
                .collect();
            prop_assert_eq!(
                ours,
                regex_captures(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", &text)
            );
        }
    }
}
