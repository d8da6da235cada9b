//! The language of what people read: findings, reports, pages. Chinese by default — the
//! documents and their reviewers are Chinese — with English available everywhere.

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
            _ => Err(UnknownLang(s.to_string())),
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
