//! The language of what the command prints for people.

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Lang {
    /// 中文 (default)
    #[default]
    Zh,
    /// English
    En,
}

impl Lang {
    /// Picks the Chinese or English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
