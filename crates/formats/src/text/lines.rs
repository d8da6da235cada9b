//! Lines and cells of the text export.

use std::borrow::Cow;

use crate::error::{Expected, ReadError};
use crate::limits::{MAX_CELLS, MAX_LINES, MAX_LINE_BYTES};

/// One line of the input with its 1-based number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// Whether the line is a table row (tab-separated cells).
    pub fn is_row(&self) -> bool {
        has_tab(self.text.as_bytes())
    }

    /// The cells of a row, trimmed.
    pub fn cells(&self) -> Vec<&'a str> {
        let text = self.text;
        let mut out = Vec::with_capacity(16);
        let mut start = 0;
        for_each_byte(text.as_bytes(), b'\t', |tab| {
            out.push(trim(&text[start..tab]));
            start = tab + 1;
        });
        out.push(trim(&text[start..]));
        out
    }

    pub fn trimmed(&self) -> &'a str {
        trim(self.text)
    }

    pub fn is_blank(&self) -> bool {
        // most lines start with a character that cannot be whitespace: decided by one byte
        match self.text.as_bytes().first() {
            None => true,
            Some(&b) if !may_start_space(b) => false,
            Some(_) => trim(self.text).is_empty(),
        }
    }
}

/// A table row: its line and its cells, split once.
#[derive(Debug, Clone)]
pub(crate) struct Row<'a> {
    pub line: Line<'a>,
    pub cells: Vec<&'a str>,
}

impl<'a> Line<'a> {
    /// The row, refused when it has more than [`MAX_CELLS`] cells (checked once per row: the
    /// cells of one over-long row are the most held before the refusal).
    pub fn row(&self) -> Result<Row<'a>, ReadError> {
        let cells = self.cells();
        if cells.len() > MAX_CELLS {
            return Err(ReadError::layout(
                self.no,
                "表格行",
                Expected::AtMostCells(MAX_CELLS),
                self.text,
            ));
        }
        Ok(Row { line: *self, cells })
    }
}

/// Whether a character starting with byte `b` may be whitespace: ASCII whitespace, or the
/// lead byte of a UTF-8 sequence some Unicode space starts with (U+0085/U+00A0 → `C2`,
/// U+1680 → `E1`, U+2000–U+205F → `E2`, U+3000 → `E3`). Every other byte rules it out.
#[inline]
fn may_start_space(b: u8) -> bool {
    MAY_START_SPACE[usize::from(b)]
}

/// [`may_start_space`] as a table: one load per byte.
const MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        b += 1;
    }
    table
};

/// `str::trim`, faster on the text of a disclosure: ASCII spaces by bytes (the common case),
/// other Unicode whitespace (U+3000 ideographic space) only when the text starts or ends with
/// a character that may be one — a Chinese character at an edge is ruled out by its first byte.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    // most cells and lines neither start nor end with a byte of a whitespace character:
    // decided by their edge bytes
    match s.as_bytes() {
        [] => s,
        [first, ..] if !may_start_space(*first) && !may_end_space(s.as_bytes()) => s,
        _ => trim_edges(s),
    }
}

/// Whether non-empty `bytes` may end with a whitespace character, from its last two bytes.
/// A sixth of Chinese characters end with a byte a space may end with (`80`–`8A`); their
/// byte before it is a second byte of their own (`80`–`BF`), which for a space can only be
/// `80`, `81` or `9A` (U+2000–U+205F, U+3000, U+1680), or the lead byte `C2` (U+0085, U+00A0).
#[inline]
fn may_end_space(bytes: &[u8]) -> bool {
    match bytes {
        [.., before, last] if *last >= 0x80 => {
            MAY_END_SPACE[usize::from(*last)] && matches!(before, 0x80 | 0x81 | 0x9A | 0xC2)
        }
        [.., last] => MAY_END_SPACE[usize::from(*last)],
        [] => false,
    }
}

/// Whether a character ending with byte `b` may be whitespace: ASCII whitespace, or the last
/// byte of a Unicode space (U+0085 `85`, U+00A0 `A0`, U+1680 and U+2000–U+200A `80`–`8A`,
/// U+2028/U+2029 `A8`/`A9`, U+202F `AF`, U+205F `9F`, U+3000 `80`).
const MAY_END_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'\t'..=b'\r' | b' ' | 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF);
        b += 1;
    }
    table
};

/// [`trim`] once an edge may hold whitespace: whitespace characters stripped by their bytes.
/// Valid UTF-8 is assumed (a `&str`), so a lead byte followed by the continuation bytes of a
/// space at an edge is that space, and the cut falls between characters.
fn trim_edges(s: &str) -> &str {
    let mut bytes = s.as_bytes();
    while let Some(rest) = strip_leading_space(bytes) {
        bytes = rest;
    }
    let start = s.len() - bytes.len();
    while let Some(rest) = strip_trailing_space(bytes) {
        bytes = rest;
    }
    &s[start..start + bytes.len()]
}

/// The length in bytes of the whitespace character `bytes` starts with, 0 when it starts with
/// none: the characters `char::is_whitespace` accepts (ASCII `\t`–`\r` and space, U+0085,
/// U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) as their UTF-8
/// bytes. The one list of them the reader's byte-level paths go by.
#[inline]
fn space_len(bytes: &[u8]) -> usize {
    // dispatched on the first byte; a missing byte reads as 0, which no space has
    let next = |k: usize| bytes.get(k).copied().unwrap_or(0);
    let is_space = match bytes.first() {
        Some(b'\t'..=b'\r' | b' ') => return 1,
        Some(0xC2) => return if matches!(next(1), 0x85 | 0xA0) { 2 } else { 0 },
        Some(0xE1) => next(1) == 0x9A && next(2) == 0x80,
        Some(0xE2) => matches!(
            (next(1), next(2)),
            (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)
        ),
        Some(0xE3) => next(1) == 0x80 && next(2) == 0x80,
        _ => false,
    };
    if is_space {
        3
    } else {
        0
    }
}

/// `bytes` without its first character when that is whitespace.
fn strip_leading_space(bytes: &[u8]) -> Option<&[u8]> {
    match space_len(bytes) {
        0 => None,
        n => Some(&bytes[n..]),
    }
}

/// `bytes` without its last character when that is whitespace. The last character starts at
/// the last byte that is not a continuation byte (at most three from the end in valid UTF-8).
fn strip_trailing_space(bytes: &[u8]) -> Option<&[u8]> {
    let start = bytes.iter().rposition(|b| b & 0xC0 != 0x80)?;
    (space_len(&bytes[start..]) == bytes.len() - start).then(|| &bytes[..start])
}

/// Splits text into lines (LF or CRLF), numbered from 1.
pub(crate) fn split<'a>(text: &'a str) -> Result<Vec<Line<'a>>, ReadError> {
    // a text of more lines than the limit is refused before it is split: counted by `memchr`
    // for texts that can hold that many lines in a megabyte or more (a disclosure is smaller)
    if text.len() > 1 << 20 {
        if let Some(end) = memchr::memchr_iter(b'\n', text.as_bytes()).nth(MAX_LINES - 1) {
            if end + 1 < text.len() {
                let next = &text[end + 1..];
                let line = &next[..memchr::memchr(b'\n', next.as_bytes()).unwrap_or(next.len())];
                return Err(ReadError::layout(
                    MAX_LINES + 1,
                    "全文",
                    Expected::AtMostLines(MAX_LINES),
                    line,
                ));
            }
        }
    }
    // sized for typical lines (the sample averages 64 bytes) rather than grown from empty by
    // doubling, which copies a thousand-line vector ten times; never past the line limit
    let mut out = Vec::with_capacity((text.len() / 48 + 16).min(MAX_LINES + 1));
    let mut start = 0;
    // the first line over a limit: once per line, one comparison each, and nothing is pushed
    // after it
    let mut over: Option<(usize, Expected)> = None;
    let mut push = |line: &'a str| {
        if over.is_some() {
            return;
        }
        let no = out.len() + 1;
        if no > MAX_LINES {
            over = Some((no, Expected::AtMostLines(MAX_LINES)));
        } else if line.len() > MAX_LINE_BYTES {
            over = Some((no, Expected::AtMostLineBytes(MAX_LINE_BYTES)));
        }
        out.push(Line {
            no,
            text: line.strip_suffix('\r').unwrap_or(line),
        })
    };
    for_each_byte(text.as_bytes(), b'\n', |end| {
        push(&text[start..end]);
        start = end + 1;
    });
    push(&text[start..]);
    match over {
        None => Ok(out),
        Some((no, expected)) => {
            let line = out.get(no - 1).map_or("", |l| l.text);
            Err(ReadError::layout(no, "全文", expected, line))
        }
    }
}

/// Calls `f` with the position of each `byte` (ASCII) in `text`, in order.
#[inline]
fn for_each_byte(text: &[u8], byte: u8, f: impl FnMut(usize)) {
    memchr::memchr_iter(byte, text).for_each(f);
}

/// Whether `line` holds a tab.
#[inline]
fn has_tab(line: &[u8]) -> bool {
    memchr::memchr(b'\t', line).is_some()
}

/// Removes every whitespace character (labels are printed with stray spaces: `产出 指标`),
/// borrowing when there is none — which [`has_space`] decides eight bytes at a time: most
/// cells have none, and most labels are CJK, some with `“”`/`、`, which a character-by-character
/// test would decode.
#[inline]
pub(crate) fn squeeze(s: &str) -> Cow<'_, str> {
    // a merged cell is empty: decided here, not in a call
    if !s.is_empty() && has_space(s) {
        Cow::Owned(without_spaces(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// `s` without its whitespace characters, copied in runs between them.
fn without_spaces(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(b.len());
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        match may_start_space(b[i]).then(|| space_len(&b[i..])) {
            Some(n) if n > 0 => {
                out.push_str(&s[run..i]);
                i += n;
                run = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&s[run..]);
    out
}

/// Whether `s` holds a whitespace character, by its UTF-8 bytes: the bytes that may start one
/// are found eight at a time, and each is checked against the characters it may start.
#[inline]
fn has_space(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 {
        return (0..b.len()).any(|i| may_start_space(b[i]) && space_len(&b[i..]) > 0);
    }
    let mut words = b.chunks_exact(8);
    for (k, word) in words.by_ref().enumerate() {
        if word_has_space(b, k * 8, word) {
            return true;
        }
    }
    // the last bytes, as the word ending the text (its first bytes are checked twice)
    !words.remainder().is_empty() && word_has_space(b, b.len() - 8, &b[b.len() - 8..])
}

/// [`has_space`] for the eight bytes of `b` at `at` (`word`).
#[inline(always)]
fn word_has_space(b: &[u8], at: usize, word: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
    // a byte below 0x21, or in 0xC0..=0xE3 (`x ^ 0xC0` below 0x24): each test sets the high
    // bit of every such byte (and may set it in a byte above one, which `space_len` rules out)
    let below = x.wrapping_sub(ONES * 0x21) & !x;
    let lead = x ^ (ONES * 0xC0);
    let lead = lead.wrapping_sub(ONES * 0x24) & !lead;
    let mut marks = (below | lead) & HIGHS;
    while marks != 0 {
        if space_len(&b[at + (marks.trailing_zeros() / 8) as usize..]) > 0 {
            return true;
        }
        marks &= marks - 1;
    }
    false
}

/// `char::is_whitespace` without the Unicode table lookup for a Chinese character: every
/// whitespace character is at or below U+3000 (the ideographic space).
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    c <= '\u{3000}' && c.is_whitespace()
}

/// Whether `s` equals `label` once whitespace is ignored, without allocating.
pub(crate) fn same_label(s: &str, label: &str) -> bool {
    s.chars().filter(|c| !is_space(*c)).eq(label.chars())
}

/// Whether `s` equals `target` as a label: whitespace ignored, `()`/`:` as their full-width
/// forms, quotes dropped — without allocating.
pub(crate) fn label_matches(s: &str, target: &str) -> bool {
    let norm = |c: char| match c {
        '(' => '（',
        ')' => '）',
        ':' => '：',
        c => c,
    };
    let keep = |c: &char| !is_space(*c) && !matches!(c, '"' | '“' | '”');
    s.chars()
        .filter(keep)
        .map(norm)
        .eq(target.chars().filter(keep).map(norm))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        #[test]
        fn squeeze_drops_what_is_whitespace(s in "[ \t\u{b}\u{c}\r\u{1f}\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}a1表指标万元。、“”（）\u{80}-\u{ff}\u{800}\u{1000}\u{2010}-\u{2030}\u{167f}\u{2060}\u{3001}\u{3f00}]{0,30}") {
            let expected: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            let squeezed = squeeze(&s);
            prop_assert_eq!(squeezed.as_ref(), expected.as_str());
            prop_assert_eq!(matches!(squeezed, Cow::Borrowed(_)), expected == s);
        }

        #[test]
        fn trim_is_str_trim(s in "[ \t\u{b}\u{c}\r\u{85}\u{a0}\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}a1表万元。（）\u{80}-\u{ff}\u{2010}-\u{2030}\u{1680}\u{167f}\u{2060}\u{3001}]{0,12}") {
            prop_assert_eq!(trim(&s), s.trim());
        }

        /// Rows of every length, tabs anywhere (at either end, in runs).
        #[test]
        fn cells_are_the_tab_separated_parts_trimmed(s in "[\t\t\t a1.表万\u{3000}]{0,70}") {
            let line = Line { no: 1, text: &s };
            let expected: Vec<&str> = s.split('\t').map(str::trim).collect();
            prop_assert_eq!(line.cells(), expected);
            prop_assert_eq!(line.is_row(), s.contains('\t'));
        }

        #[test]
        fn lines_are_the_newline_separated_parts(s in "[\n\n\r a1表]{0,70}") {
            let lines: Vec<&str> = split(&s).unwrap().iter().map(|l| l.text).collect();
            let expected: Vec<&str> =
                s.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
            prop_assert_eq!(lines, expected);
        }
    }
}
