//! Lines and cells of the text export.

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
                out.push(trim_cell(&text[start..i]));
                start = i + 1;
            }
        }
        out.push(trim_cell(&text[start..]));
        out
    }

    pub fn trimmed(&self) -> &'a str {
        self.text.trim()
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
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

/// Trims a cell: ASCII spaces by bytes (the common case), other Unicode whitespace (U+3000
/// ideographic space) only when a cell starts or ends with a non-ASCII byte.
fn trim_cell(s: &str) -> &str {
    let t = s.trim_ascii();
    let edge_space = t.chars().next().is_some_and(char::is_whitespace)
        || t.chars().next_back().is_some_and(char::is_whitespace);
    if edge_space {
        t.trim()
    } else {
        t
    }
}

/// Splits text into lines (LF or CRLF), numbered from 1.
pub(crate) fn split(text: &str) -> Vec<Line<'_>> {
    text.split('\n')
        .enumerate()
        .map(|(i, t)| Line {
            no: i + 1,
            text: t.strip_suffix('\r').unwrap_or(t),
        })
        .collect()
}

/// Removes every whitespace character (labels are printed with stray spaces: `产出 指标`).
pub(crate) fn squeeze(s: &str) -> String {
    if !s.chars().any(char::is_whitespace) {
        return s.to_string();
    }
    s.chars().filter(|c| !c.is_whitespace()).collect()
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
        .replace('(', "（")
        .replace(')', "）")
        .replace(':', "：")
        .replace(['"', '“', '”'], "")
}
