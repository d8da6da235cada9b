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

/// Whether the key of a name keeps `c` as it is. Every character a key drops or changes is
/// at or below U+3000, so a Chinese character is decided by one comparison.
fn unchanged(c: char) -> bool {
    c > '\u{3000}' || (!is_dropped(c) && key_char(c) == c)
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

    // inlined into the loops that read keys (names are compared in every row search)
    #[inline]
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

/// `s` after `prefix`, the two compared by key (`乌鲁木齐市 工业局2025年` after
/// `乌鲁木齐市工业局` is `2025年`); `None` when the key of `s` does not start with the key of
/// `prefix`. Read as [`same_name`] reads two names.
pub fn strip_key_prefix<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let (mut x, mut y) = (s.chars(), prefix.chars());
    loop {
        let (rest_s, rest_prefix) = (x.as_str(), y.as_str());
        match (x.next(), y.next()) {
            (_, None) => return Some(rest_s),
            (Some(c), Some(d)) if c == d => {}
            (c, Some(d)) if c.is_none_or(unchanged) && unchanged(d) => return None,
            _ => {
                let mut chars = key_chars(rest_s);
                return key_chars(rest_prefix)
                    .all(|d| chars.next() == Some(d))
                    .then(|| chars.as_str());
            }
        }
    }
}

/// Whether `a` and `b` are the same name: their keys are equal. Nothing is allocated.
pub fn same_name(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // The names are read together while their characters agree. Where they first differ,
    // two characters the key keeps as they are (or the end of a name) differ in the keys
    // too: most names compared in a search are told apart there, without keying either.
    let (mut x, mut y) = (a.chars(), b.chars());
    loop {
        let (rest_a, rest_b) = (x.as_str(), y.as_str());
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            (p, q) if p.is_none_or(unchanged) && q.is_none_or(unchanged) => return false,
            // what came before is the same, so only the rest of each key is compared
            _ => return key_chars(rest_a).eq(key_chars(rest_b)),
        }
    }
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
            ("行政运行 ", "行政运行", true),
            ("行政 运行", "行政运行(", false),
            ("技术(款)", "技术（款", false),
            ("“技术”", "技术", true),
        ] {
            assert_eq!(same_name(a, b), same, "{a:?} {b:?}");
            assert_eq!(same_name(b, a), same, "{b:?} {a:?}");
            assert_eq!(same_name(a, b), name_key(a) == name_key(b), "{a:?} {b:?}");
        }
    }

    #[test]
    fn prefixes_stripped_by_key() {
        for (s, prefix, rest) in [
            ("乌鲁木齐市工业局2025年", "乌鲁木齐市工业局", Some("2025年")),
            (
                "乌鲁木齐市 工业局 2025年",
                "乌鲁木齐市工业局",
                Some(" 2025年"),
            ),
            ("乌鲁木齐市工业局收入", "乌鲁木齐市 工业局 ", Some("收入")),
            ("“技术”(款)支出", "技术（款）", Some("支出")),
            ("技术研究", "技术研究与开发", None),
            ("技术开发", "技术研究", None),
            ("技术 开发", "技术研究", None),
            ("收入", "", Some("收入")),
            ("", "", Some("")),
            ("", " ", Some("")),
        ] {
            assert_eq!(strip_key_prefix(s, prefix), rest, "{s:?} {prefix:?}");
        }
    }

    /// Names over the characters that matter: some the key drops, some it changes, their
    /// twins, and ordinary ones.
    fn names() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("[ \u{3000}“”\"'()（）:：款项号a1]{0,8}")
            .expect("a valid pattern")
    }

    proptest::proptest! {
        /// The shortcuts of `same_name` and `strip_key_prefix` (deciding where the names
        /// first differ) agree with comparing whole keys.
        #[test]
        fn shortcuts_agree_with_whole_keys(a in names(), b in names()) {
            proptest::prop_assert_eq!(same_name(&a, &b), name_key(&a) == name_key(&b));
            let stripped = strip_key_prefix(&a, &b);
            proptest::prop_assert_eq!(stripped.is_some(), name_key(&a).starts_with(&*name_key(&b)));
            if let Some(rest) = stripped {
                proptest::prop_assert!(a.ends_with(rest));
                let whole = format!("{}{}", name_key(&b), name_key(rest));
                proptest::prop_assert_eq!(name_key(&a), whole);
            }
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
