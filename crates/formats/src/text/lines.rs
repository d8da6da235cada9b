//! Lines and cells of the text export.

use std::borrow::Cow;

/// One line of the input with its 1-based number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// Whether the line is a table row (tab-separated cells).
    pub fn is_row(&self) -> bool {
        self.text.contains('\t')
    }

    /// The cells of a row, trimmed.
    pub fn cells(&self) -> Vec<&'a str> {
        // cells are short: a byte loop beats `split` (a memchr call per cell)
        let text = self.text;
        let mut out = Vec::with_capacity(16);
        let mut start = 0;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\t' {
                out.push(trim(&text[start..i]));
                start = i + 1;
            }
        }
        out.push(trim(&text[start..]));
        out
    }

    pub fn trimmed(&self) -> &'a str {
        self.text.trim()
    }

    pub fn is_blank(&self) -> bool {
        // most lines start with a character that cannot be whitespace: decided by one byte
        match self.text.as_bytes().first() {
            None => true,
            Some(&b) if !may_start_space(b) => false,
            Some(_) => self.text.trim().is_empty(),
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
    pub fn row(&self) -> Row<'a> {
        Row {
            line: *self,
            cells: self.cells(),
        }
    }
}

/// Whether a character starting with byte `b` may be whitespace: ASCII whitespace, or the
/// lead byte of a UTF-8 sequence some Unicode space starts with (U+0085/U+00A0 → `C2`,
/// U+1680 → `E1`, U+2000–U+205F → `E2`, U+3000 → `E3`). Every other byte rules it out.
fn may_start_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3)
}

/// Whether the last character of `t` is whitespace, decoding it only when its lead byte
/// allows it.
fn ends_with_space(t: &str) -> bool {
    let bytes = t.as_bytes();
    // the lead byte of the last character: at most three continuation bytes back
    let lead = bytes
        .iter()
        .rev()
        .take(4)
        .find(|b| (**b & 0xC0) != 0x80)
        .copied();
    lead.is_some_and(may_start_space) && t.chars().next_back().is_some_and(char::is_whitespace)
}

/// `str::trim`, faster on the text of a disclosure: ASCII spaces by bytes (the common case),
/// other Unicode whitespace (U+3000 ideographic space) only when the text starts or ends with
/// a character that may be one — a Chinese character at an edge is ruled out by its first byte.
pub(crate) fn trim(s: &str) -> &str {
    let t = s.trim_ascii();
    let edge_space = t.as_bytes().first().is_some_and(|b| may_start_space(*b))
        && t.chars().next().is_some_and(char::is_whitespace)
        || ends_with_space(t);
    if edge_space {
        t.trim()
    } else {
        t
    }
}

/// Splits text into lines (LF or CRLF), numbered from 1.
pub(crate) fn split(text: &str) -> Vec<Line<'_>> {
    // sized for typical lines (the sample averages 64 bytes) rather than grown from empty by
    // doubling, which copies a thousand-line vector ten times
    let mut out = Vec::with_capacity(text.len() / 48 + 16);
    out.extend(text.split('\n').enumerate().map(|(i, t)| Line {
        no: i + 1,
        text: t.strip_suffix('\r').unwrap_or(t),
    }));
    out
}

/// Removes every whitespace character (labels are printed with stray spaces: `产出 指标`),
/// borrowing when there is none.
pub(crate) fn squeeze(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(may_start_space) || !s.chars().any(char::is_whitespace) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
}

/// Whether `s` equals `label` once whitespace is ignored, without allocating.
pub(crate) fn same_label(s: &str, label: &str) -> bool {
    s.chars().filter(|c| !c.is_whitespace()).eq(label.chars())
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
    let keep = |c: &char| !c.is_whitespace() && !matches!(c, '"' | '“' | '”');
    s.chars()
        .filter(keep)
        .map(norm)
        .eq(target.chars().filter(keep).map(norm))
}

/// A label in a comparable form: no spaces, ASCII parentheses and colons as full-width.
pub(crate) fn label_key(s: &str) -> String {
    if s.is_ascii() && !s.contains([' ', '(', ')', ':', '"', '\t']) {
        return s.to_string();
    }
    squeeze(s)
        .as_ref()
        .replace('(', "（")
        .replace(')', "）")
        .replace(':', "：")
        .replace(['"', '“', '”'], "")
}
