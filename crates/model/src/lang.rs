//! The language of what people read: findings, reports, pages. Chinese by default — the
//! documents and their reviewers are Chinese — with English available everywhere. And how much
//! of their own input a message shows them back: an [`excerpt`], never the whole of a value
//! that may be megabytes long.

use std::borrow::Cow;

/// Characters of input a message shows before cutting it with `…`.
pub const EXCERPT_CHARS: usize = 64;

/// `text` as an error or finding shows it: whole when at most [`EXCERPT_CHARS`] characters,
/// else its first [`EXCERPT_CHARS`] characters and `…`.
pub fn excerpt(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(EXCERPT_CHARS) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
    }
}

/// A presentation language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 中文
    #[default]
    Zh,
    /// English
    En,
}

impl Lang {
    /// Picks the text in this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang(excerpt(s).into_owned())),
        }
    }
}

/// A language name that is neither `zh` nor `en`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}` (expected zh or en)")]
pub struct UnknownLang(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_cuts_long_input_at_a_character() {
        assert_eq!(excerpt("一百万"), "一百万");
        let exact = "字".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(&exact), exact);
        let long = "字".repeat(10 * 1024 * 1024);
        assert_eq!(excerpt(&long), format!("{exact}…"));
    }

    #[test]
    fn languages_by_name() {
        for (s, l) in [
            ("zh", Some(Lang::Zh)),
            ("EN", Some(Lang::En)),
            ("zh-CN", Some(Lang::Zh)),
            ("fr", None),
        ] {
            assert_eq!(s.parse::<Lang>().ok(), l, "{s}");
        }
        assert_eq!(Lang::En.pick("中", "en"), "en");
    }
}
