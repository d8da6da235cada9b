//! How bad a finding is — shared by the validator's rules and the scorer's review rules, so a
//! reviewer reads one scale everywhere.

use serde::{Serialize, Serializer};

use crate::lang::Lang;

/// The severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Wrong as printed: must be fixed before publication.
    Error,
    /// Probably wrong or weak, or not checkable against an authority; a reviewer should look.
    Warning,
    /// Worth knowing, not wrong: a drift within rounding (取整差异), a consistency confirmed.
    Info,
}

impl Severity {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::Zh) => "警告",
            (Severity::Info, Lang::Zh) => "提示",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Info, Lang::En) => "info",
        }
    }

    /// The machine name used in JSON (`error`, `warning`, `info`).
    pub fn as_str(self) -> &'static str {
        self.label(Lang::En)
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
