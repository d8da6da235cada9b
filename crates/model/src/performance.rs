//! Performance-target tables (绩效目标表) and the grammar of their values.
//!
//! A target value (指标值) is parsed, not guessed: after NFKC normalisation and squeezing
//! spaces it is either a comparator, a number and an optional unit (`>=50 家`, `≤8.9万元`,
//! `> =66.67%`) or qualitative text (`不断 提高`). The raw text is kept for publication.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::amount::{parse_printed_decimal, plain_decimal, Amount};
use crate::lang::excerpt;

/// The comparator of a quantitative target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// `>=`, `≥`, `> =`
    AtLeast,
    /// `<=`, `≤`
    AtMost,
    /// `>`
    Greater,
    /// `<`
    Less,
    /// `=`
    Equal,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => ">=",
            Comparator::AtMost => "<=",
            Comparator::Greater => ">",
            Comparator::Less => "<",
            Comparator::Equal => "=",
        }
    }

    /// Higher is better (正向) for `>=`, `>`, `=`; lower is better (反向) for `<=`, `<`.
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Comparator::AtMost | Comparator::Less)
    }
}

/// A parsed target or achieved value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// comparator + number + unit (`>=50 家`). An achieved value has no comparator.
    Quantity {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comparator: Option<Comparator>,
        #[schemars(with = "String")]
        value: Decimal,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
    },
    /// Text without a number (`不断提高`, `有效保障`).
    Qualitative { text: String },
}

impl Measure {
    pub fn is_quantitative(&self) -> bool {
        matches!(self, Measure::Quantity { .. })
    }
}

/// Why a value could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeasureError {
    #[error("empty value")]
    Empty,
    #[error("`{0}` has a comparator but no number")]
    MissingNumber(String),
    #[error("`{0}` has an unreadable number")]
    BadNumber(String),
}

/// Normalises a cell as the grammar expects: NFKC (full-width → ASCII), `≥`/`≧` → `>=`,
/// `≤`/`≦` → `<=`, and no whitespace.
pub fn normalise(raw: &str) -> String {
    normalised(raw).into_owned()
}

/// [`normalise`], borrowing the cell when it is already in normal form (the common case,
/// decided in one pass over its characters).
fn normalised(raw: &str) -> Cow<'_, str> {
    let already_normal = raw.chars().all(|c| {
        if c.is_ascii() {
            !c.is_whitespace()
        } else {
            // every whitespace character is at or below U+3000: a Chinese character skips
            // the Unicode table
            !(('\u{FF01}'..='\u{FF5E}').contains(&c)
                || matches!(c, '≥' | '≧' | '≤' | '≦')
                || (c <= '\u{3000}' && c.is_whitespace()))
        }
    });
    if already_normal {
        return Cow::Borrowed(raw);
    }
    let needs_nfkc = raw
        .chars()
        .any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}' || c == '\u{00A0}');
    if !needs_nfkc {
        return Cow::Owned(comparators_spelled_out(raw));
    }
    let nfkc: String = raw.nfkc().collect();
    Cow::Owned(comparators_spelled_out(&nfkc))
}

/// `≥`/`≧` → `>=`, `≤`/`≦` → `<=`, whitespace dropped: one pass, one allocation.
fn comparators_spelled_out(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            '≥' | '≧' => out.push_str(">="),
            '≤' | '≦' => out.push_str("<="),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Parses a 指标值 (`with_comparator = true`) or a 上年完成值/完成值 (`false`).
pub fn parse_measure(raw: &str) -> Result<Measure, MeasureError> {
    // most values are a comparator, a plain number and a unit (`>=90%`, `100%`, `≥3次`,
    // `>=50 家`): read in one pass over their bytes
    if let Some(quantity) = plain_quantity(raw) {
        return Ok(quantity);
    }
    // the rest are normalised by their bytes when they can be (`较上年提高`, `> =90%`), by the
    // full normalisation otherwise (full-width forms, Unicode spaces)
    let s = plain_normalised(raw).unwrap_or_else(|| normalised(raw));
    measure_of(raw, s)
}

/// [`parse_measure`] of the commonest shape, `comparator? number unit?` — the comparator
/// ASCII or `≥`/`≤`, the number `\d+` or `\d+\.\d+` ([`plain_decimal`]), the unit free of
/// anything [`plain_normalised`] would refuse — in one pass over the bytes, without the
/// normalised copy. ASCII whitespace is allowed in the unit only, where normalising drops it,
/// and not where dropping it would join the number to what follows (`5 0家`). `None` for
/// every other cell, which the general path reads.
fn plain_quantity(raw: &str) -> Option<Measure> {
    let b = raw.as_bytes();
    // as `measure_of` strips them from the normalised text, where `≥`/`≤` are `>=`/`<=`
    let (comparator, start) = match b {
        [0xE2, 0x89, 0xA5, ..] | [b'>', b'=', ..] | [b'=', b'>', ..] => {
            (Some(Comparator::AtLeast), if b[0] == 0xE2 { 3 } else { 2 })
        }
        [0xE2, 0x89, 0xA4, ..] | [b'<', b'=', ..] | [b'=', b'<', ..] => {
            (Some(Comparator::AtMost), if b[0] == 0xE2 { 3 } else { 2 })
        }
        [b'>', ..] => (Some(Comparator::Greater), 1),
        [b'<', ..] => (Some(Comparator::Less), 1),
        [b'=', ..] => (Some(Comparator::Equal), 1),
        _ => (None, 0),
    };
    let end = start
        + b[start..]
            .iter()
            .position(|&c| !is_number_byte(c))
            .unwrap_or(b.len() - start);
    let value = plain_decimal(&b[start..end])?;
    let unit = &raw[end..];
    let mut spaced = false;
    for &c in unit.as_bytes() {
        match PLAIN_CLASS[usize::from(c)] {
            PLAIN => {}
            SPACE => spaced = true,
            _ => return None,
        }
    }
    let unit = if spaced {
        // normalising would drop the spaces: the number must not go on after them
        let next = unit.bytes().find(|c| PLAIN_CLASS[usize::from(*c)] != SPACE);
        if next.is_some_and(is_number_byte) {
            return None;
        }
        let mut kept = String::with_capacity(unit.len());
        unit.split(|c: char| matches!(c, '\t'..='\r' | ' '))
            .for_each(|part| kept.push_str(part));
        kept
    } else {
        unit.to_string()
    };
    Some(Measure::Quantity {
        comparator,
        value,
        unit: (!unit.is_empty()).then_some(unit),
    })
}

/// A byte the number of a value may hold (`measure_of`'s number).
#[inline]
fn is_number_byte(c: u8) -> bool {
    c.is_ascii_digit() || c == b'.' || c == b',' || c == b'-'
}

/// [`normalised`] for a cell whose only characters outside normal form are ASCII whitespace
/// and `≥`/`≧`/`≤`/`≦`, decided and built by its bytes; `None` for any cell holding a
/// character whose UTF-8 starts with `C2`, `E1`, `E2` (other than those four comparators),
/// `E3` or `EF` — every full-width form (U+FF01–U+FF5E), every non-ASCII whitespace
/// character (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000) and every other character the
/// general path treats specially starts with one of them.
fn plain_normalised(raw: &str) -> Option<Cow<'_, str>> {
    let b = raw.as_bytes();
    let mut rewrite = false;
    let mut i = 0;
    while i < b.len() {
        match PLAIN_CLASS[usize::from(b[i])] {
            PLAIN => i += 1,
            SPACE => {
                rewrite = true;
                i += 1;
            }
            // `E2 89 A4`–`E2 89 A7`: ≤ ≥ ≦ ≧
            SPECIAL if b[i] == 0xE2 && b.get(i + 1) == Some(&0x89) => {
                if !matches!(b.get(i + 2), Some(0xA4..=0xA7)) {
                    return None;
                }
                rewrite = true;
                i += 3;
            }
            _ => return None,
        }
    }
    if !rewrite {
        return Some(Cow::Borrowed(raw));
    }
    // no full-width form, U+3000 or U+00A0 here: the general path spells the comparators out
    // and drops the whitespace, which is ASCII only
    let mut out = String::with_capacity(raw.len() + 4);
    for c in raw.chars() {
        match c {
            '≥' | '≧' => out.push_str(">="),
            '≤' | '≦' => out.push_str("<="),
            '\t'..='\r' | ' ' => {}
            c => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

/// Byte classes of [`plain_normalised`].
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const SPECIAL: u8 = 2;
const PLAIN_CLASS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'\t'..=b'\r' | b' ' => SPACE,
            0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => SPECIAL,
            _ => PLAIN,
        };
        b += 1;
    }
    table
};

/// The grammar of a normalised value `s` (`raw` as printed, for the errors).
fn measure_of(raw: &str, s: Cow<'_, str>) -> Result<Measure, MeasureError> {
    if s.is_empty() {
        return Err(MeasureError::Empty);
    }
    // the comparators are ASCII: matched by bytes, in the order `>=`/`=>`, `<=`/`=<`, `>`,
    // `<`, `=`
    let (comparator, skip) = match s.as_bytes() {
        [b'>', b'=', ..] | [b'=', b'>', ..] => (Some(Comparator::AtLeast), 2),
        [b'<', b'=', ..] | [b'=', b'<', ..] => (Some(Comparator::AtMost), 2),
        [b'>', ..] => (Some(Comparator::Greater), 1),
        [b'<', ..] => (Some(Comparator::Less), 1),
        [b'=', ..] => (Some(Comparator::Equal), 1),
        _ => (None, 0),
    };
    let rest = &s[skip..];
    // digits and separators are ASCII: a byte of a multi-byte character is never one
    let num_len = rest
        .bytes()
        .position(|c| !is_number_byte(c))
        .unwrap_or(rest.len());
    if num_len == 0 {
        if comparator.is_some() {
            return Err(MeasureError::MissingNumber(excerpt(raw).into_owned()));
        }
        // text, even with digits inside it (`三个工作日内完成 3 次`)
        return Ok(Measure::Qualitative {
            text: s.into_owned(),
        });
    }
    let value = parse_printed_decimal(&rest[..num_len])
        .map_err(|_| MeasureError::BadNumber(excerpt(raw).into_owned()))?;
    let unit = &rest[num_len..];
    Ok(Measure::Quantity {
        comparator,
        value,
        unit: (!unit.is_empty()).then(|| unit.to_string()),
    })
}

/// A value as printed and as parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Value {
    pub raw: String,
    /// `None` when the raw text does not parse (the validator reports it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parsed: Option<Measure>,
}

impl Value {
    pub fn new(raw: &str) -> Value {
        let raw = trimmed(raw);
        Value {
            parsed: parse_measure(raw).ok(),
            raw: raw.to_string(),
        }
    }
}

/// `str::trim`, deciding most cells by their two edge bytes: a character that starts with
/// none of `09`–`0D`, `20`, `C2`, `E1`, `E2`, `E3` is not whitespace, nor is one that ends with
/// none of `09`–`0D`, `20`, `80`–`8A`, `9F`, `A0`, `A8`, `A9`, `AF` (the last bytes of U+0085,
/// U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
fn trimmed(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&first), Some(&last))
            if !matches!(first, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3)
                && !matches!(
                    last,
                    b'\t'..=b'\r' | b' ' | 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF
                ) =>
        {
            s
        }
        _ => s.trim(),
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// 指标赋分规则.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScoringRule {
    /// 按照完成比例赋分
    Proportional,
    /// 直接赋分
    Direct,
    /// 按评判等级赋分
    Graded,
    /// 满意度赋分
    Satisfaction,
    /// A rule name the scorer does not know.
    Other(String),
}

impl ScoringRule {
    pub const KNOWN: [(ScoringRule, &'static str); 4] = [
        (ScoringRule::Proportional, "按照完成比例赋分"),
        (ScoringRule::Direct, "直接赋分"),
        (ScoringRule::Graded, "按评判等级赋分"),
        (ScoringRule::Satisfaction, "满意度赋分"),
    ];

    pub fn from_label(label: &str) -> ScoringRule {
        // most rules are printed exactly as known: compared as bytes first
        if let Some((rule, _)) = ScoringRule::KNOWN.iter().find(|(_, s)| *s == label) {
            return rule.clone();
        }
        ScoringRule::KNOWN
            .iter()
            // every whitespace character is at or below U+3000: a Chinese character skips
            // the Unicode table
            .find(|(_, s)| {
                label
                    .chars()
                    .filter(|c| !(*c <= '\u{3000}' && c.is_whitespace()))
                    .eq(s.chars())
            })
            .map(|(r, _)| r.clone())
            .unwrap_or_else(|| ScoringRule::Other(label.trim().to_string()))
    }

    pub fn label(&self) -> &str {
        match self {
            ScoringRule::Other(s) => s,
            known => ScoringRule::KNOWN
                .iter()
                .find(|(r, _)| r == known)
                .map(|(_, s)| *s)
                .unwrap_or(""),
        }
    }
}

/// One indicator row (一级/二级/三级指标 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Indicator {
    /// 一级指标 (carried forward from merged cells; spaces removed).
    pub level1: String,
    /// 二级指标
    pub level2: String,
    /// 三级指标
    pub level3: String,
    /// 指标值
    pub target: Value,
    /// 指标值设置依据 / 指标设定依据
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// 上年完成值
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_year: Option<Value>,
    /// 指标分值权重
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub weight: Option<Decimal>,
    /// 指标赋分规则
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<ScoringRule>,
    /// 佐证资料
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Which columns an indicator table prints (some tables lack `指标赋分规则`, and then the rule
/// and the evidence share one cell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IndicatorLayout {
    /// The header cells as printed (`一级指标`, `二级指标`, …).
    pub columns: Vec<String>,
}

impl IndicatorLayout {
    /// The full indicator columns a project table prints (with 指标赋分规则 in its own column).
    pub const STANDARD_COLUMNS: &'static [&'static str] = &[
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "指标值设置依据",
        "上年完成值",
        "指标分值权重",
        "指标赋分规则",
        "佐证资料",
    ];

    /// A layout of the given header cells.
    pub fn of(columns: &[&str]) -> IndicatorLayout {
        IndicatorLayout {
            columns: columns.iter().map(|c| c.to_string()).collect(),
        }
    }

    /// The layout of [`IndicatorLayout::STANDARD_COLUMNS`].
    pub fn standard() -> IndicatorLayout {
        IndicatorLayout::of(IndicatorLayout::STANDARD_COLUMNS)
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c == column)
    }
    /// Whether the rule has its own column.
    pub fn has_rule_column(&self) -> bool {
        self.has("指标赋分规则")
    }

    /// The cell of indicator `i` under header `column`, as a table with this layout prints it
    /// (without a 指标赋分规则 column, the rule is printed before the evidence in one cell) —
    /// what the text writer and the workbook both put there.
    pub fn cell(&self, i: &Indicator, column: &str) -> String {
        match column {
            "一级指标" => i.level1.clone(),
            "二级指标" => i.level2.clone(),
            "三级指标" => i.level3.clone(),
            "指标值" => i.target.raw.clone(),
            "指标值设置依据" | "指标设定依据" => i.basis.clone().unwrap_or_default(),
            "上年完成值" => i
                .last_year
                .as_ref()
                .map(|v| v.raw.clone())
                .unwrap_or_default(),
            "指标分值权重" | "分值权重" => {
                i.weight.map(|w| w.to_string()).unwrap_or_default()
            }
            "指标赋分规则" => i
                .rule
                .as_ref()
                .map(|r| r.label().to_string())
                .unwrap_or_default(),
            "佐证资料" if !self.has_rule_column() => {
                [i.rule.as_ref().map(|r| r.label()), i.evidence.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "佐证资料" => i.evidence.clone().unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// One line of the department table's funds block (`财政资金 (万元) | 上级安排 | 3,779.70`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FundSource {
    /// 财政资金 / 其他资金
    pub category: String,
    /// 上级安排 / 本级安排 / 其他
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
}

/// 部门整体绩效目标表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DepartmentTargets {
    /// The year line under the title (`(2025 年)`).
    pub year_label: String,
    pub department: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 年度绩效目标
    pub goal: String,
    pub funds: Vec<FundSource>,
    pub layout: IndicatorLayout,
    pub indicators: Vec<Indicator>,
}

impl DepartmentTargets {
    /// 上级安排 + 本级安排 + 其他.
    pub fn funds_total(&self) -> Amount {
        self.funds.iter().filter_map(|f| f.amount).sum()
    }
    pub fn fund(&self, source: &str) -> Option<Amount> {
        self.funds
            .iter()
            .find(|f| f.source == source)
            .and_then(|f| f.amount)
    }
}

/// 项目资金: 年度预算总额 = 财政拨款 + 其他资金.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProjectFunds {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiscal: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Amount>,
}

/// 项目支出绩效目标表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProjectTargets {
    pub year_label: String,
    /// 预算单位
    pub budget_unit: String,
    /// 项目名称
    pub project: String,
    /// 项目负责人
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    pub funds: ProjectFunds,
    /// 项目总体目标
    pub goal: String,
    pub layout: IndicatorLayout,
    pub indicators: Vec<Indicator>,
}

/// Σ 分值权重 of a table's indicators.
pub fn total_weight(indicators: &[Indicator]) -> Decimal {
    indicators.iter().filter_map(|i| i.weight).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The grammar as it was written before the byte paths ([`plain_normalised`],
    /// [`measure_of`]): the reference they are checked against.
    fn reference_measure(raw: &str) -> Result<Measure, MeasureError> {
        let s = normalised(raw);
        if s.is_empty() {
            return Err(MeasureError::Empty);
        }
        let (comparator, rest) =
            if let Some(r) = s.strip_prefix(">=").or_else(|| s.strip_prefix("=>")) {
                (Some(Comparator::AtLeast), r)
            } else if let Some(r) = s.strip_prefix("<=").or_else(|| s.strip_prefix("=<")) {
                (Some(Comparator::AtMost), r)
            } else if let Some(r) = s.strip_prefix('>') {
                (Some(Comparator::Greater), r)
            } else if let Some(r) = s.strip_prefix('<') {
                (Some(Comparator::Less), r)
            } else if let Some(r) = s.strip_prefix('=') {
                (Some(Comparator::Equal), r)
            } else {
                (None, s.as_ref())
            };
        let num_len = rest
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == '.' || *c == ',' || *c == '-')
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0);
        if num_len == 0 {
            if comparator.is_some() {
                return Err(MeasureError::MissingNumber(excerpt(raw).into_owned()));
            }
            return Ok(Measure::Qualitative {
                text: s.into_owned(),
            });
        }
        let value = parse_printed_decimal(&rest[..num_len])
            .map_err(|_| MeasureError::BadNumber(excerpt(raw).into_owned()))?;
        let unit = &rest[num_len..];
        Ok(Measure::Quantity {
            comparator,
            value,
            unit: (!unit.is_empty()).then(|| unit.to_string()),
        })
    }

    /// `Debug` shows a decimal's scale (`5.0` is not `5`), which `==` does not compare.
    fn same(a: &Result<Measure, MeasureError>, b: &Result<Measure, MeasureError>) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn byte_paths_agree_with_the_reference_on_every_shape() {
        let cases = [
            "≥95%",
            "100%",
            "≤3个工作日",
            "较上年提高",
            ">=50 家",
            "> =66.67%",
            "＞＝70％",
            "≧5",
            "≦5",
            "=>5",
            "=<5",
            "≥>5",
            "≥=5",
            "=≥5",
            "≤",
            ">=",
            "",
            " ",
            "\u{3000}",
            "\u{a0}5",
            "5\u{b}家",
            "1,000万元",
            "1,00",
            "12.5.6",
            "-3",
            ".5",
            "5.",
            "0.50",
            "123456789012345678",
            "1234567890123456789",
            "99999999999999999999",
            "12345678901234567.8",
            "１２",
            "≠5",
            "“十四五”规划",
            "≥5、6",
            "不断 提高",
            "5\u{2002}家",
            "5\u{2028}",
            "≥\u{85}5",
            "=100%",
            "41家",
            ">5",
            "<2%",
            "5 0家",
            "5 .家",
            "5 家 6",
            "5 ",
            "≥5 %",
            ">=1,000 家",
            "0\u{b}0",
            "≥ 5",
            ">= 5",
        ];
        for raw in cases {
            let (fast, reference) = (parse_measure(raw), reference_measure(raw));
            assert!(
                same(&fast, &reference),
                "{raw:?}: {fast:?} against {reference:?}"
            );
            assert_eq!(trimmed(raw), raw.trim(), "{raw:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20000))]
        #[test]
        fn byte_paths_agree_with_the_reference(s in "[>=<≥≤≧≦＞＝＜％%. ,\t\u{b}\u{c}\r\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{2260}-\u{2270}0-9０-９．，a+家次万元个“”、。\u{80}-\u{ff}\u{e000}\u{ff00}-\u{ff70}-]{0,10}") {
            let (fast, reference) = (parse_measure(&s), reference_measure(&s));
            prop_assert!(same(&fast, &reference), "{:?}: {:?} against {:?}", s, fast, reference);
            prop_assert_eq!(trimmed(&s), s.trim());
        }
    }

    fn q(c: Option<Comparator>, v: &str, u: Option<&str>) -> Measure {
        Measure::Quantity {
            comparator: c,
            value: v.parse().unwrap(),
            unit: u.map(str::to_string),
        }
    }

    #[test]
    fn every_target_shape_of_the_sample_parses() {
        use Comparator::*;
        let cases: Vec<(&str, Measure)> = vec![
            (">=50 家", q(Some(AtLeast), "50", Some("家"))),
            (">=150条", q(Some(AtLeast), "150", Some("条"))),
            (">=2000万元/家", q(Some(AtLeast), "2000", Some("万元/家"))),
            (">=90%", q(Some(AtLeast), "90", Some("%"))),
            (">=260000万元", q(Some(AtLeast), "260000", Some("万元"))),
            ("≥12次", q(Some(AtLeast), "12", Some("次"))),
            ("<=16.59万元", q(Some(AtMost), "16.59", Some("万元"))),
            ("<=8 小时", q(Some(AtMost), "8", Some("小时"))),
            ("≤8.9万元", q(Some(AtMost), "8.9", Some("万元"))),
            ("=100%", q(Some(Equal), "100", Some("%"))),
            ("=10万元/家", q(Some(Equal), "10", Some("万元/家"))),
            ("=1 个", q(Some(Equal), "1", Some("个"))),
            ("> =90%", q(Some(AtLeast), "90", Some("%"))),
            ("> =66.67%", q(Some(AtLeast), "66.67", Some("%"))),
            ("＞＝70％", q(Some(AtLeast), "70", Some("%"))),
            ("<2%", q(Some(Less), "2", Some("%"))),
            (">5", q(Some(Greater), "5", None)),
            ("41家", q(None, "41", Some("家"))),
            ("100%", q(None, "100", Some("%"))),
            (
                "不断 提高",
                Measure::Qualitative {
                    text: "不断提高".into(),
                },
            ),
            (
                "有效保障",
                Measure::Qualitative {
                    text: "有效保障".into(),
                },
            ),
            (
                "达到预期效果",
                Measure::Qualitative {
                    text: "达到预期效果".into(),
                },
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_measure(raw).unwrap(), expected, "{raw}");
        }
    }

    #[test]
    fn malformed_targets_are_errors() {
        assert_eq!(parse_measure("  "), Err(MeasureError::Empty));
        assert!(matches!(
            parse_measure(">=家"),
            Err(MeasureError::MissingNumber(_))
        ));
        assert!(matches!(
            parse_measure(">=1.2.3家"),
            Err(MeasureError::BadNumber(_))
        ));
    }

    #[test]
    fn direction_of_comparators() {
        assert!(Comparator::AtLeast.higher_is_better());
        assert!(Comparator::Equal.higher_is_better());
        assert!(!Comparator::AtMost.higher_is_better());
        assert!(!Comparator::Less.higher_is_better());
    }

    #[test]
    fn scoring_rules_by_label() {
        assert_eq!(
            ScoringRule::from_label("按照完成比例赋分"),
            ScoringRule::Proportional
        );
        assert_eq!(ScoringRule::from_label("直接 赋分"), ScoringRule::Direct);
        assert_eq!(
            ScoringRule::from_label("专家打分"),
            ScoringRule::Other("专家打分".into())
        );
        assert_eq!(ScoringRule::Graded.label(), "按评判等级赋分");
    }
}
