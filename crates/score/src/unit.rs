//! The units of 指标值 (`家`, `万元`, `万元/家`, `%`): split into what is counted and what it
//! is counted per, and money units scaled to 万元 so that cost targets can be compared with
//! the project's money (项目资金, always printed in 万元).
//!
//! Units are compared as parsed strings; nothing is converted silently. Only money has a
//! known scale (元, 千元, 万元, 亿元), and only the review uses it.

use rust_decimal::Decimal;

/// A unit split at `/`: `万元/家` → base `万元`, per `家`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit<'a> {
    pub base: &'a str,
    pub per: Option<&'a str>,
}

impl<'a> Unit<'a> {
    pub fn parse(unit: &'a str) -> Unit<'a> {
        match unit.split_once('/') {
            Some((base, per)) => Unit {
                base,
                per: Some(per),
            },
            None => Unit {
                base: unit,
                per: None,
            },
        }
    }

    /// How many 万元 one of this money unit is (`元` → 0.0001); `None` when it is not money.
    pub fn money_in_wan(&self) -> Option<Decimal> {
        money_in_wan(self.base)
    }
}

/// How many 万元 one `base` is, for the money units disclosures print.
pub fn money_in_wan(base: &str) -> Option<Decimal> {
    match base {
        "元" => Some(Decimal::new(1, 4)),
        "千元" => Some(Decimal::new(1, 1)),
        "万元" => Some(Decimal::ONE),
        "亿元" => Some(Decimal::from(10_000)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_split_at_the_slash_and_money_scales_to_wan() {
        let u = Unit::parse("万元/家");
        assert_eq!((u.base, u.per), ("万元", Some("家")));
        assert_eq!(u.money_in_wan(), Some(Decimal::ONE));
        assert_eq!(Unit::parse("元").money_in_wan(), Some(Decimal::new(1, 4)));
        assert_eq!(Unit::parse("家").money_in_wan(), None);
        assert_eq!(Unit::parse("%").per, None);
    }
}
