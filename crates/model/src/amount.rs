//! Money and percentages exactly as printed.
//!
//! A disclosure prints amounts with two decimals and thousands separators (`5,058.98`). An
//! [`Amount`] keeps the printed value and its scale as a `Decimal`, never a float, so that
//! arithmetic checks are exact and a document written back prints the same digits.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::excerpt;

/// Why a printed number could not be read as an amount or a percentage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("empty number")]
    Empty,
    #[error("`{0}` is not a number (expected digits, optional thousands separators and decimals)")]
    Malformed(String),
    #[error("`{0}` has misplaced thousands separators")]
    Grouping(String),
}

/// An amount of money in the unit of the table or sentence that printed it (万元 or 元).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

impl Amount {
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    pub fn new(value: Decimal) -> Self {
        Amount(value)
    }

    pub fn value(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Number of decimals as printed (`5,058.98` → 2, `500` → 0).
    pub fn scale(self) -> u32 {
        self.0.scale()
    }

    /// The amount with thousands separators, as disclosures print it (`5,058.98`).
    pub fn grouped(self) -> String {
        group_thousands(&self.0.to_string())
    }

    /// Converts from `from` into `to` (万元 ↔ 元).
    pub fn convert(self, from: MoneyUnit, to: MoneyUnit) -> Amount {
        Amount(self.0 * from.yuan() / to.yuan())
    }
}

impl From<Decimal> for Amount {
    fn from(d: Decimal) -> Self {
        Amount(d)
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, rhs: Amount) -> Amount {
        Amount(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, rhs: Amount) -> Amount {
        Amount(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        Amount(iter.map(|a| a.0).sum())
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Amount {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_printed_decimal(s).map(Amount)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Decimal::from_str_exact(&s)
            .map(Amount)
            .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a decimal amount")))
    }
}

/// A percentage as printed (`41.57` for "41.57%"); the scale records the printed precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(Decimal);

impl Percent {
    pub fn new(value: Decimal) -> Self {
        Percent(value)
    }
    pub fn value(self) -> Decimal {
        self.0
    }
    /// Decimals printed: the precision a recomputed rate must be compared at.
    pub fn scale(self) -> u32 {
        self.0.scale()
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", group_thousands(&self.0.to_string()))
    }
}

impl FromStr for Percent {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().trim_end_matches(['%', '％']).trim_end();
        parse_printed_decimal(s).map(Percent)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Decimal::from_str_exact(&s)
            .map(Percent)
            .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a decimal percentage")))
    }
}

/// The money unit a table or sentence prints in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
pub enum MoneyUnit {
    /// 万元 — ten thousand yuan (Xinjiang template, most narratives).
    #[default]
    #[serde(rename = "万元")]
    TenThousandYuan,
    /// 元 (Shanghai district templates).
    #[serde(rename = "元")]
    Yuan,
    /// 亿元.
    #[serde(rename = "亿元")]
    HundredMillionYuan,
}

impl MoneyUnit {
    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::TenThousandYuan => "万元",
            MoneyUnit::Yuan => "元",
            MoneyUnit::HundredMillionYuan => "亿元",
        }
    }

    /// How many yuan one unit is.
    pub fn yuan(self) -> Decimal {
        match self {
            MoneyUnit::TenThousandYuan => Decimal::from(10_000),
            MoneyUnit::Yuan => Decimal::ONE,
            MoneyUnit::HundredMillionYuan => Decimal::from(100_000_000),
        }
    }

    pub fn from_label(label: &str) -> Option<MoneyUnit> {
        match label.trim() {
            "万元" => Some(MoneyUnit::TenThousandYuan),
            "元" => Some(MoneyUnit::Yuan),
            "亿元" => Some(MoneyUnit::HundredMillionYuan),
            _ => None,
        }
    }
}

impl schemars::JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": "^-?\\d+(\\.\\d+)?$", "description": "Money as printed, in the unit of its table or sentence, as a decimal string keeping the printed scale (\"1000.00\")"})
    }
}

impl schemars::JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": "^-?\\d+(\\.\\d+)?$", "description": "A percentage as printed without the % sign (\"41.57\"); the scale is the printed precision"})
    }
}

/// Reads a number as disclosures print it: optional sign, digits with optional
/// thousands separators in groups of three, optional decimals. Full-width digits and
/// separators are accepted; the printed scale is kept.
pub fn parse_printed_decimal(s: &str) -> Result<Decimal, NumberError> {
    if let Some(value) = plain_decimal(s.as_bytes()) {
        return Ok(value);
    }
    // a cell is trimmed already when it starts and ends with a digit
    let b = s.as_bytes();
    let t = if b.first().is_some_and(u8::is_ascii_digit) && b.last().is_some_and(u8::is_ascii_digit)
    {
        s
    } else {
        s.trim()
    };
    if t.is_empty() {
        return Err(NumberError::Empty);
    }
    if let Some(value) = plain_ascii(t.as_bytes()) {
        return Ok(value);
    }
    general(t)
}

/// `\d+` or `\d+\.\d+` of at most 18 bytes — most weights, amounts and indicator values —
/// read straight into the mantissa: the value and scale [`parse_printed_decimal`] gives it.
/// `None` for anything else, which that reader decides.
#[inline]
pub fn plain_decimal(b: &[u8]) -> Option<Decimal> {
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let (mut mantissa, mut point) = (0i64, None);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => mantissa = mantissa * 10 + i64::from(c - b'0'),
            b'.' if point.is_none() && i > 0 && i + 1 < b.len() => point = Some(i),
            _ => return None,
        }
    }
    let scale = point.map_or(0, |p| (b.len() - p - 1) as u32);
    Some(Decimal::new(mantissa, scale))
}

/// The common case, in ASCII with at most 18 digits: `-?\d{1,3}(,\d{3})*(\.\d+)?` or
/// `-?\d+(\.\d+)?`. Anything else — full-width forms, a `+`, bad grouping, errors — is left
/// to [`general`], which gives the same value for everything this accepts.
fn plain_ascii(b: &[u8]) -> Option<Decimal> {
    let (negative, b) = match b {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, b),
    };
    let (mut mantissa, mut digits, mut i) = (0i64, 0u32, 0usize);
    let mut since_separator: Option<u32> = None;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                if digits == 18 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(c - b'0');
                digits += 1;
                if let Some(n) = since_separator.as_mut() {
                    *n += 1;
                }
            }
            b',' => {
                let first_group_ok = since_separator.is_none() && (1..=3).contains(&digits);
                if !(first_group_ok || since_separator == Some(3)) {
                    return None;
                }
                since_separator = Some(0);
            }
            _ => break,
        }
        i += 1;
    }
    if digits == 0 || since_separator.is_some_and(|n| n != 3) {
        return None;
    }
    let mut scale = 0u32;
    if let Some(&c) = b.get(i) {
        if c != b'.' {
            return None;
        }
        for &c in &b[i + 1..] {
            if !c.is_ascii_digit() || digits == 18 {
                return None;
            }
            mantissa = mantissa * 10 + i64::from(c - b'0');
            digits += 1;
            scale += 1;
        }
        if scale == 0 {
            return None;
        }
    }
    Some(Decimal::new(
        if negative { -mantissa } else { mantissa },
        scale,
    ))
}

/// Every form a disclosure prints, with the error that names what is wrong.
fn general(t: &str) -> Result<Decimal, NumberError> {
    // digits accumulate straight into the mantissa: no intermediate string
    let mut mantissa: i128 = 0;
    let mut scale: u32 = 0;
    let mut digits = 0usize;
    let mut negative = false;
    let mut group_ok = true;
    let mut digits_since_sep: Option<usize> = None;
    let mut int_digits = 0usize;
    let mut seen_point = false;
    let malformed = || NumberError::Malformed(excerpt(t).into_owned());
    for (i, c) in t.chars().enumerate() {
        // full-width forms as their ASCII counterparts (an ASCII character skips the lookup)
        let c = match c {
            _ if c.is_ascii() => c,
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '，' => ',',
            '．' => '.',
            '－' | '−' => '-',
            _ => c,
        };
        match c {
            '0'..='9' => {
                digits += 1;
                if digits > 28 {
                    return Err(malformed());
                }
                mantissa = mantissa * 10 + i128::from(c as u8 - b'0');
                if seen_point {
                    scale += 1;
                } else {
                    int_digits += 1;
                    if let Some(n) = digits_since_sep.as_mut() {
                        *n += 1;
                    }
                }
            }
            ',' if !seen_point => {
                if int_digits == 0 || digits_since_sep.is_some_and(|n| n != 3) {
                    group_ok = false;
                }
                if int_digits > 3 && digits_since_sep.is_none() {
                    group_ok = false;
                }
                digits_since_sep = Some(0);
            }
            '.' if !seen_point => seen_point = true,
            '-' if i == 0 => negative = true,
            '+' if i == 0 => {}
            _ => return Err(malformed()),
        }
    }
    if digits_since_sep.is_some_and(|n| n != 3) {
        group_ok = false;
    }
    if !group_ok {
        return Err(NumberError::Grouping(excerpt(t).into_owned()));
    }
    if digits == 0 || (seen_point && scale == 0) {
        return Err(malformed());
    }
    let value =
        Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale)
            .map_err(|_| malformed())?;
    Ok(value)
}

/// `1234567.80` → `1,234,567.80`.
pub fn group_thousands(plain: &str) -> String {
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", plain),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(frac);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        #[test]
        fn the_plain_path_agrees_with_the_general_one(s in "[-+]?[0-9,.]{0,24}|-?[0-9]{1,3}(,[0-9]{3}){0,6}(\\.[0-9]{1,6})?") {
            if let Some(v) = plain_ascii(s.as_bytes()) {
                let g = general(&s).unwrap();
                proptest::prop_assert_eq!((v, v.scale()), (g, g.scale()), "{}", s);
            }
            if let Some(v) = plain_decimal(s.as_bytes()) {
                let g = general(&s).unwrap();
                proptest::prop_assert_eq!((v, v.scale()), (g, g.scale()), "{}", s);
            }
        }

        #[test]
        fn plain_decimals_read_as_the_general_reader_reads_them(
            int in "[0-9]{1,19}",
            frac in proptest::option::of("[0-9]{0,19}"),
        ) {
            let s = match frac { Some(f) => format!("{int}.{f}"), None => int };
            match (plain_decimal(s.as_bytes()), general(&s)) {
                (Some(v), Ok(g)) => proptest::prop_assert_eq!((v, v.scale()), (g, g.scale()), "{}", s),
                (Some(v), Err(e)) => proptest::prop_assert!(false, "{s}: {v} against {e:?}"),
                (None, _) => {}
            }
        }
    }

    #[test]
    fn printed_amounts_parse_with_their_scale() {
        let cases: &[(&str, Option<(&str, u32)>)] = &[
            ("5,058.98", Some(("5058.98", 2))),
            ("0.30", Some(("0.30", 2))),
            ("500", Some(("500", 0))),
            ("1,939.00", Some(("1939.00", 2))),
            ("260000", Some(("260000", 0))),
            ("-27,560.34", Some(("-27560.34", 2))),
            ("１,２３４.５０", Some(("1234.50", 2))),
            ("", None),
            ("12,34.00", None),
            ("1,2345.00", None),
            ("1234,567", None),
            ("abc", None),
            ("1.2.3", None),
            ("12.", None),
            ("万元", None),
            (",123", None),
        ];
        for (input, expected) in cases {
            let got = input.parse::<Amount>();
            match expected {
                Some((value, scale)) => {
                    let a = got.unwrap_or_else(|e| panic!("{input}: {e}"));
                    assert_eq!(a.to_string(), *value, "{input}");
                    assert_eq!(a.scale(), *scale, "{input}");
                }
                None => assert!(got.is_err(), "{input} should be rejected, got {got:?}"),
            }
        }
    }

    proptest::proptest! {
        /// Any decimal, printed with or without thousands separators, reads back exactly with its scale.
        #[test]
        fn printed_decimals_read_back(m in -10_000_000_000_000i64..10_000_000_000_000, scale in 0u32..4) {
            let d = Decimal::new(m, scale);
            let plain = d.to_string();
            proptest::prop_assert_eq!(parse_printed_decimal(&plain).unwrap(), d);
            let grouped = group_thousands(&plain);
            let back = parse_printed_decimal(&grouped).unwrap();
            proptest::prop_assert_eq!(back, d);
            proptest::prop_assert_eq!(back.scale(), scale);
        }
    }

    #[test]
    fn grouping_round_trips() {
        for s in [
            "0.30",
            "5,058.98",
            "27,560.34",
            "1,234,567.00",
            "-1,754.77",
            "100",
        ] {
            let a: Amount = s.parse().unwrap();
            assert_eq!(a.grouped(), s);
        }
    }

    #[test]
    fn percentages_keep_precision() {
        let p: Percent = "1,389.47%".parse().unwrap();
        assert_eq!(p.value().to_string(), "1389.47");
        let p: Percent = "0.2%".parse().unwrap();
        assert_eq!(p.scale(), 1);
        assert!("%".parse::<Percent>().is_err());
    }

    #[test]
    fn units_convert_exactly() {
        let a: Amount = "46.95".parse().unwrap();
        let yuan = a.convert(MoneyUnit::TenThousandYuan, MoneyUnit::Yuan);
        assert_eq!(yuan.value(), Decimal::from(469_500));
    }

    #[test]
    fn json_keeps_the_printed_scale() {
        let a: Amount = "1,000.00".parse().unwrap();
        let j = serde_json::to_string(&a).unwrap();
        assert_eq!(j, "\"1000.00\"");
        let back: Amount = serde_json::from_str(&j).unwrap();
        assert_eq!(back.scale(), 2);
    }
}
