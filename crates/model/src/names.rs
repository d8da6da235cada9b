//! Names compared as people read them — the one normalisation of printed names.
//!
//! The same project, unit, function class or indicator is printed with and without spaces
//! (`93 号` / `93号`), with half- or full-width brackets and colons (`(款)` / `（款）`), with
//! or without quotes around a term. The validator (names against the catalog, the text against
//! the tables, target tables against 表7) and the scorer (target tables, actuals) must agree on
//! when two such names are the same, so they all compare through the key defined here: the
//! name without spaces and quote marks, its ASCII brackets and colon made full-width.

use std::borrow::Cow;

/// `char::is_whitespace`, without the Unicode table lookup for a Chinese character: every
/// whitespace character is at or below U+3000 (the ideographic space).
pub fn is_space(c: char) -> bool {
    c <= '\u{3000}' && c.is_whitespace()
}

/// Whether a name's key leaves `c` out: a space or a quote mark.
pub fn is_dropped(c: char) -> bool {
    is_space(c) || matches!(c, '“' | '”' | '‘' | '’' | '"' | '\'')
}

/// `c` as a key has it: an ASCII bracket or colon as its full-width twin (the form the
/// documents print most), any other character as it is.
pub fn key_char(c: char) -> char {
    match c {
        '(' => '（',
        ')' => '）',
        ':' => '：',
        c => c,
    }
}

/// Whether the key of a name keeps `c` as it is.
fn unchanged(c: char) -> bool {
    !is_dropped(c) && key_char(c) == c
}

/// The characters of a name's key, in order ([`key_chars`]); [`KeyChars::as_str`] is the text
/// not read yet, so that a prefix can be matched by key and cut from the name as printed.
#[derive(Debug, Clone)]
pub struct KeyChars<'s> {
    chars: std::str::Chars<'s>,
}

impl<'s> KeyChars<'s> {
    /// The text of the name after the last key character returned (dropped characters
    /// after it included).
    pub fn as_str(&self) -> &'s str {
        self.chars.as_str()
    }
}

impl Iterator for KeyChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        self.chars.find(|c| !is_dropped(*c)).map(key_char)
    }
}

/// The characters of the key of `s`: without spaces and quote marks, brackets and colons
/// full-width.
pub fn key_chars(s: &str) -> KeyChars<'_> {
    KeyChars { chars: s.chars() }
}

/// The key of a name as a string: borrowed when the name is its own key. Names compared with
/// many others are keyed once this way and then compared as strings.
pub fn name_key(s: &str) -> Cow<'_, str> {
    match s.char_indices().find(|(_, c)| !unchanged(*c)) {
        None => Cow::Borrowed(s),
        Some((at, _)) => {
            let mut key = String::with_capacity(s.len());
            key.push_str(&s[..at]);
            key.extend(key_chars(&s[at..]));
            Cow::Owned(key)
        }
    }
}

/// Whether `a` and `b` are the same name: their keys are equal. Nothing is allocated.
pub fn same_name(a: &str, b: &str) -> bool {
    a == b || key_chars(a).eq(key_chars(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_a_key_drops_or_changes() {
        for (c, dropped, key) in [
            (' ', true, ' '),
            ('\t', true, '\t'),
            ('\u{3000}', true, '\u{3000}'),
            ('\u{a0}', true, '\u{a0}'),
            ('“', true, '“'),
            ('”', true, '”'),
            ('‘', true, '‘'),
            ('’', true, '’'),
            ('"', true, '"'),
            ('\'', true, '\''),
            ('(', false, '（'),
            (')', false, '）'),
            (':', false, '：'),
            ('（', false, '（'),
            ('：', false, '：'),
            ('、', false, '、'),
            ('号', false, '号'),
            ('a', false, 'a'),
        ] {
            assert_eq!(is_dropped(c), dropped, "{c:?}");
            assert_eq!(key_char(c), key, "{c:?}");
        }
        assert!(is_space('\u{3000}') && !is_space('“') && !is_space('支'));
    }

    #[test]
    fn keys_of_names() {
        for (name, key, borrowed) in [
            ("", "", true),
            ("科学技术支出", "科学技术支出", true),
            ("技术研究与开发（款）", "技术研究与开发（款）", true),
            ("技术研究与开发(款)", "技术研究与开发（款）", false),
            ("乌鲁木齐 93 号", "乌鲁木齐93号", false),
            ("“专精特新”企业", "专精特新企业", false),
            ("\"it's\"", "its", false),
            ("预算主管部门:", "预算主管部门：", false),
            ("\u{3000}行政运行\t", "行政运行", false),
            ("   ", "", false),
        ] {
            let k = name_key(name);
            assert_eq!(k, key, "{name:?}");
            assert_eq!(matches!(k, Cow::Borrowed(_)), borrowed, "{name:?}");
            assert!(key_chars(name).eq(key.chars()), "{name:?}");
        }
    }

    #[test]
    fn same_names() {
        for (a, b, same) in [
            ("行政运行", "行政运行", true),
            ("93 号", "93号", true),
            ("一般行政管理事务(项)", "一般行政管理事务（项）", true),
            ("“双创”服务", "双创服务", true),
            ("单位:万元", "单位：万元", true),
            ("", " ", true),
            ("行政运行", "行政运行支出", false),
            ("行政运行支出", "行政运行", false),
            ("事业运行", "行政运行", false),
            ("（", "(", true),
            ("[款]", "（款）", false),
        ] {
            assert_eq!(same_name(a, b), same, "{a:?} {b:?}");
            assert_eq!(same_name(b, a), same, "{b:?} {a:?}");
            assert_eq!(same_name(a, b), name_key(a) == name_key(b), "{a:?} {b:?}");
        }
    }

    #[test]
    fn the_rest_of_a_name_after_a_prefix_matched_by_key() {
        let mut chars = key_chars("乌鲁木齐市 工业局 2025年");
        assert!("乌鲁木齐市工业局".chars().all(|d| chars.next() == Some(d)));
        assert_eq!(chars.as_str(), " 2025年");
        assert_eq!(chars.next(), Some('2'));
        assert_eq!(chars.as_str(), "025年");
    }
}
