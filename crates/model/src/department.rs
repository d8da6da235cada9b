//! A department's code: the name it is registered under in the ledger (and authenticates
//! with), and the name its publications are filed and linked under — never its display name. A display name is what the department typed — any script,
//! `/`, `#`, `javascript:` — and two names that differ only in characters a file system or a
//! URL treats specially must never share a directory or make a link. A [`DepartmentCode`] is
//! 1–32 ASCII letters, digits, `-` or `_` (so it cannot start with `.`, leave the root or
//! mean anything in a URL). Without a ledger
//! (`budgetflow publish`, `budgetflow run`) the code is [`DepartmentCode::derived`] from the
//! name: `d-` and 16 hex digits of the SHA-256 of the trimmed name, stable across runs and
//! distinct for distinct names.

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::lang::excerpt;

/// The longest code accepted.
pub const MAX_LEN: usize = 32;

/// Hex digits of the name's SHA-256 in a derived code (64 bits).
const DERIVED_DIGITS: usize = 16;

/// A department's code: a directory name and a URL path segment as it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct DepartmentCode(String);

/// A department code that is not 1–32 ASCII letters, digits, `-` or `_`.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("department code `{shown}` is not 1–{MAX_LEN} ASCII letters, digits, `-` or `_`")]
pub struct InvalidCode {
    /// The refused code, cut to an excerpt.
    pub shown: String,
}

impl DepartmentCode {
    /// `code` if it is 1–32 ASCII letters, digits, `-` or `_`.
    pub fn new(code: &str) -> Result<DepartmentCode, InvalidCode> {
        let valid = (1..=MAX_LEN).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(DepartmentCode(code.to_owned()))
        } else {
            Err(InvalidCode {
                shown: excerpt(code).into_owned(),
            })
        }
    }

    /// The code of a department known only by its display `name`: `d-` and the first 16 hex
    /// digits of the SHA-256 of the trimmed name.
    pub fn derived(name: &str) -> DepartmentCode {
        let mut digest = hex::encode(Sha256::digest(name.trim().as_bytes()));
        digest.truncate(DERIVED_DIGITS);
        DepartmentCode(format!("d-{digest}"))
    }

    /// The registered code if there is one, else the one derived from `name`.
    pub fn registered_or_derived(
        registered: Option<&str>,
        name: &str,
    ) -> Result<DepartmentCode, InvalidCode> {
        registered.map_or_else(|| Ok(DepartmentCode::derived(name)), DepartmentCode::new)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DepartmentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_ascii_letters_digits_dash_and_underscore() {
        for good in ["miit", "501-001_a", "A", &"x".repeat(32)] {
            assert_eq!(DepartmentCode::new(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            ".hidden",
            "..",
            "a/b",
            "a\\b",
            "a#b",
            "a?b",
            "a%2e",
            "a b",
            "javascript:alert(1)",
            "工信局",
            &"x".repeat(33),
        ] {
            assert!(DepartmentCode::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_refused_code_is_shown_cut() {
        let error = DepartmentCode::new(&"工".repeat(10_000)).unwrap_err();
        assert_eq!(error.shown.chars().count(), crate::lang::EXCERPT_CHARS + 1);
        assert!(error.shown.ends_with('…'));
        assert!(error.to_string().len() < 400, "{error}");
    }

    #[test]
    fn a_derived_code_is_stable_valid_and_differs_for_names_differing_in_one_character() {
        let name = "乌鲁木齐市工业和信息化局";
        let code = DepartmentCode::derived(name);
        assert_eq!(code, DepartmentCode::derived(&format!("  {name}\n")));
        assert_eq!(code.as_str().len(), 2 + DERIVED_DIGITS);
        assert!(code.as_str().starts_with("d-"));
        assert_eq!(DepartmentCode::new(code.as_str()).unwrap(), code);
        let names = [
            "a/b", "a\\b", "a#b", "a?b", "a%b", "a_b", ".ab", "_ab", "ab",
        ];
        let mut codes: Vec<_> = names.iter().map(|n| DepartmentCode::derived(n)).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), names.len());
    }

    #[test]
    fn the_registered_code_wins_and_is_checked() {
        let code = DepartmentCode::registered_or_derived(Some("miit"), "工信局").unwrap();
        assert_eq!(code.as_str(), "miit");
        let derived = DepartmentCode::registered_or_derived(None, "工信局").unwrap();
        assert_eq!(derived, DepartmentCode::derived("工信局"));
        assert!(DepartmentCode::registered_or_derived(Some("../x"), "工信局").is_err());
    }
}
