//! Classification codes: 支出功能分类 (functional: 类/款/项) and 部门预算支出经济分类
//! (economic: 类/款), plus the fiscal year.
//!
//! A code is checked for shape only (digits, length); whether it exists in the year's
//! catalog is a separate question answered by [`crate::catalog`], so that an unknown but
//! well-formed code stays representable and a validator can warn about it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::excerpt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error(
        "`{0}` is not a functional classification code (3, 5 or 7 digits: 类, 类款 or 类款项)"
    )]
    Function(String),
    #[error("`{0}` is not an economic classification code (3 or 5 digits: 类 or 类款)")]
    Economic(String),
    #[error("`{0}` is not a fiscal year (expected 2000–2100)")]
    Year(String),
}

/// Level of a functional code.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FunctionLevel {
    /// 类 (3 digits, e.g. 215)
    Class,
    /// 款 (5 digits, e.g. 21505)
    Kuan,
    /// 项 (7 digits, e.g. 2150502)
    Xiang,
}

/// A functional classification code (支出功能分类科目编码): 类 `215`, 款 `21505` or 项 `2150502`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FunctionCode {
    digits: [u8; 7],
    len: u8,
}

impl FunctionCode {
    /// Builds a code from the separate 类/款/项 cells (`215`, `05`, `02`).
    pub fn from_parts(class: &str, kuan: &str, xiang: &str) -> Result<Self, CodeError> {
        let (c, k, x) = (class.trim(), kuan.trim(), xiang.trim());
        // 类 always; 款 and 项 two digits when present; no 项 without its 款
        let ok_parts = c.len() == 3
            && (k.is_empty() || k.len() == 2)
            && (x.is_empty() || x.len() == 2)
            && (!k.is_empty() || x.is_empty());
        let mut digits = [b'0'; 7];
        let mut len = 0;
        for part in [c, k, x] {
            for b in part.bytes() {
                if len == 7 || !b.is_ascii_digit() {
                    return Err(CodeError::Function(
                        excerpt(&format!("{class}|{kuan}|{xiang}")).into_owned(),
                    ));
                }
                digits[len] = b;
                len += 1;
            }
        }
        if !ok_parts || digits[0] != b'2' {
            return Err(CodeError::Function(
                excerpt(&format!("{class}|{kuan}|{xiang}")).into_owned(),
            ));
        }
        Ok(FunctionCode {
            digits,
            len: len as u8,
        })
    }

    pub fn level(&self) -> FunctionLevel {
        match self.len {
            3 => FunctionLevel::Class,
            5 => FunctionLevel::Kuan,
            _ => FunctionLevel::Xiang,
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits[..self.len as usize]).unwrap_or("")
    }

    /// 类 part (`215`).
    pub fn class_part(&self) -> &str {
        &self.as_str()[..3]
    }
    /// 款 part (`05`), if any.
    pub fn kuan_part(&self) -> Option<&str> {
        (self.len >= 5).then(|| &self.as_str()[3..5])
    }
    /// 项 part (`02`), if any.
    pub fn xiang_part(&self) -> Option<&str> {
        (self.len == 7).then(|| &self.as_str()[5..7])
    }

    /// The enclosing code one level up (项 → 款 → 类), if any.
    pub fn parent(&self) -> Option<FunctionCode> {
        let len = match self.len {
            7 => 5,
            5 => 3,
            _ => return None,
        };
        Some(
            FunctionCode {
                digits: self.digits,
                len,
            }
            .truncated(),
        )
    }

    /// The 类 this code belongs to.
    pub fn class(&self) -> FunctionCode {
        FunctionCode {
            digits: self.digits,
            len: 3,
        }
        .truncated()
    }

    /// Whether `self` is `other` or lies under it.
    pub fn is_within(&self, other: &FunctionCode) -> bool {
        self.as_str().starts_with(other.as_str())
    }

    fn truncated(mut self) -> Self {
        for d in &mut self.digits[self.len as usize..] {
            *d = b'0';
        }
        self
    }
}

/// The ASCII digits of `chars`, whitespace skipped, without allocating: `None` on any other
/// character or on more than `N` digits.
fn digits_of<const N: usize>(chars: impl Iterator<Item = char>) -> Option<([u8; N], usize)> {
    let mut digits = [b'0'; N];
    let mut len = 0;
    for c in chars.filter(|c| !c.is_whitespace()) {
        if !c.is_ascii_digit() || len == N {
            return None;
        }
        digits[len] = c as u8;
        len += 1;
    }
    Some((digits, len))
}

impl FromStr for FunctionCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match digits_of::<7>(s.chars()) {
            Some((digits, n)) if matches!(n, 3 | 5 | 7) && digits[0] == b'2' => Ok(FunctionCode {
                digits,
                len: n as u8,
            }),
            _ => Err(CodeError::Function(excerpt(s).into_owned())),
        }
    }
}

impl fmt::Display for FunctionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An economic classification code (部门预算支出经济分类): 类 `302` or 款 `30217`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EconomicCode {
    digits: [u8; 5],
    len: u8,
}

impl EconomicCode {
    pub fn from_parts(class: &str, kuan: &str) -> Result<Self, CodeError> {
        let (c, k) = (class.trim(), kuan.trim());
        if c.len() != 3 || !(k.is_empty() || k.len() == 2) {
            return Err(CodeError::Economic(
                excerpt(&format!("{class}|{kuan}")).into_owned(),
            ));
        }
        EconomicCode::from_chars(c.chars().chain(k.chars()))
            .ok_or_else(|| CodeError::Economic(excerpt(&format!("{c}{k}")).into_owned()))
    }

    /// A 类 or 款 code from its digits (whitespace ignored).
    fn from_chars(chars: impl Iterator<Item = char>) -> Option<EconomicCode> {
        match digits_of::<5>(chars) {
            Some((digits, n)) if matches!(n, 3 | 5) && digits[0] == b'3' => Some(EconomicCode {
                digits,
                len: n as u8,
            }),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits[..self.len as usize]).unwrap_or("")
    }

    pub fn is_class(&self) -> bool {
        self.len == 3
    }

    pub fn class_part(&self) -> &str {
        &self.as_str()[..3]
    }

    pub fn kuan_part(&self) -> Option<&str> {
        (self.len == 5).then(|| &self.as_str()[3..5])
    }

    pub fn class(&self) -> EconomicCode {
        let mut digits = self.digits;
        digits[3] = b'0';
        digits[4] = b'0';
        EconomicCode { digits, len: 3 }
    }
}

impl FromStr for EconomicCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EconomicCode::from_chars(s.chars())
            .ok_or_else(|| CodeError::Economic(excerpt(s).into_owned()))
    }
}

impl fmt::Display for EconomicCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fiscal (budget) year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct FiscalYear(i32);

impl FiscalYear {
    pub fn new(year: i32) -> Result<Self, CodeError> {
        if (2000..=2100).contains(&year) {
            Ok(FiscalYear(year))
        } else {
            Err(CodeError::Year(year.to_string()))
        }
    }
    pub fn get(self) -> i32 {
        self.0
    }
    pub fn previous(self) -> FiscalYear {
        FiscalYear(self.0 - 1)
    }
}

impl TryFrom<i32> for FiscalYear {
    type Error = CodeError;
    fn try_from(y: i32) -> Result<Self, Self::Error> {
        FiscalYear::new(y)
    }
}

impl From<FiscalYear> for i32 {
    fn from(y: FiscalYear) -> i32 {
        y.0
    }
}

impl FromStr for FiscalYear {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<i32>()
            .map_err(|_| CodeError::Year(excerpt(s).into_owned()))
            .and_then(FiscalYear::new)
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl schemars::JsonSchema for FiscalYear {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FiscalYear".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "integer", "minimum": 2000, "maximum": 2100, "description": "预算年度 (fiscal year)"})
    }
}

impl schemars::JsonSchema for FunctionCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FunctionCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": "^2(\\d{2}|\\d{4}|\\d{6})$", "description": "支出功能分类科目编码: 类 (3 digits), 款 (5) or 项 (7)"})
    }
}

impl schemars::JsonSchema for EconomicCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EconomicCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": "^3(\\d{2}|\\d{4})$", "description": "部门预算支出经济分类科目编码: 类 (3 digits) or 款 (5)"})
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
string_serde!(FunctionCode);
string_serde!(EconomicCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_codes_by_shape() {
        let cases: &[(&str, Option<FunctionLevel>)] = &[
            ("215", Some(FunctionLevel::Class)),
            ("21505", Some(FunctionLevel::Kuan)),
            ("2150502", Some(FunctionLevel::Xiang)),
            ("215 05 02", Some(FunctionLevel::Xiang)),
            ("2150", None),
            ("21505021", None),
            ("21a", None),
            ("", None),
            ("315", None),
        ];
        for (s, lvl) in cases {
            assert_eq!(
                s.parse::<FunctionCode>().ok().map(|c| c.level()),
                *lvl,
                "{s}"
            );
        }
    }

    #[test]
    fn function_code_hierarchy() {
        let c: FunctionCode = "2150502".parse().unwrap();
        assert_eq!(c.parent().unwrap().as_str(), "21505");
        assert_eq!(c.parent().unwrap().parent().unwrap().as_str(), "215");
        assert_eq!(c.class().as_str(), "215");
        assert!(c.is_within(&"21505".parse().unwrap()));
        assert!(!c.is_within(&"21508".parse().unwrap()));
        assert_eq!(c.kuan_part(), Some("05"));
        assert_eq!(c.xiang_part(), Some("02"));
        assert_eq!(FunctionCode::from_parts("215", "05", "02").unwrap(), c);
        assert!(FunctionCode::from_parts("215", "", "02").is_err());
        assert!(FunctionCode::from_parts("215", "5", "").is_err());
        // equal codes compare equal regardless of how they were built
        assert_eq!(
            c.parent().unwrap(),
            "21505".parse::<FunctionCode>().unwrap()
        );
    }

    #[test]
    fn economic_codes_by_shape() {
        let cases: &[(&str, bool)] = &[
            ("302", true),
            ("30217", true),
            ("3021", false),
            ("202", false),
            ("30a17", false),
        ];
        for (s, ok) in cases {
            assert_eq!(s.parse::<EconomicCode>().is_ok(), *ok, "{s}");
        }
        let c = EconomicCode::from_parts("302", "17").unwrap();
        assert_eq!(c.as_str(), "30217");
        assert_eq!(c.class().as_str(), "302");
        assert!(!c.is_class());
    }

    #[test]
    fn fiscal_years() {
        assert_eq!("2025".parse::<FiscalYear>().unwrap().get(), 2025);
        assert!("1999".parse::<FiscalYear>().is_err());
        assert!("20x5".parse::<FiscalYear>().is_err());
        assert!(serde_json::from_str::<FiscalYear>("3000").is_err());
    }
}
