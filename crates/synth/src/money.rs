//! Money as integer cents of 万元, and the arithmetic the narrative prints about it.
//!
//! Every amount is generated as whole cents (`i64`) and only turned into a 2-decimal
//! [`Amount`] at the edge, so sums are exact by construction. Shares and rates of change are
//! computed on `Decimal` and rounded half-up to 2 decimals, as disclosures print them.

use budgetflow_model::Amount;
use rand::Rng;
use rust_decimal::{Decimal, RoundingStrategy};

/// Cents of 万元 (`503_898` is 5,038.98 万元).
pub type Cents = i64;

/// The 2-decimal amount for `cents`.
pub fn amount(cents: Cents) -> Amount {
    Amount::new(Decimal::new(cents, 2))
}

/// A table cell: blank (`None`) when zero, as the disclosures print it.
pub fn cell(cents: Cents) -> Option<Amount> {
    (cents != 0).then(|| amount(cents))
}

/// The amount as printed in a sentence (`1,754.77`).
pub fn printed(cents: Cents) -> String {
    amount(cents).grouped()
}

/// A random amount between `low` and `high` whole 万元, with cents.
pub fn between(rng: &mut impl Rng, low: i64, high: i64) -> Cents {
    rng.random_range(low * 100..=high * 100)
}

/// A random amount between `low` and `high` 万元 rounded to whole 万元 (subsidies: `500.00`).
pub fn round_between(rng: &mut impl Rng, low: i64, high: i64) -> Cents {
    rng.random_range(low..=high) * 100
}

/// `base` scaled by `permille` / 1000, in whole cents (truncated).
pub fn scaled(base: Cents, permille: i64) -> Cents {
    base * permille / 1000
}

/// Splits `total` into parts proportional to `weights`; the parts add up to `total` exactly.
pub fn split(total: Cents, weights: &[u32]) -> Vec<Cents> {
    let sum: i64 = weights.iter().map(|w| i64::from(*w)).sum();
    if sum == 0 {
        return weights.iter().map(|_| 0).collect();
    }
    let mut parts: Vec<Cents> = weights
        .iter()
        .map(|w| total * i64::from(*w) / sum)
        .collect();
    let rest = total - parts.iter().sum::<i64>();
    let last = parts
        .iter()
        .rposition(|p| *p > 0)
        .unwrap_or(parts.len() - 1);
    parts[last] += rest;
    parts
}

/// `part / whole × 100`, half-up to 2 decimals (`41.57`).
pub fn share(part: Cents, whole: Cents) -> String {
    percent(Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole))
}

fn percent(value: Decimal) -> String {
    let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let mut d = rounded;
    d.rescale(2);
    budgetflow_model::amount::group_thousands(&d.to_string())
}

/// This year's amount against last year's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearOnYear {
    pub current: Cents,
    pub last: Cents,
}

impl YearOnYear {
    pub fn new(current: Cents, last: Cents) -> Self {
        YearOnYear { current, last }
    }

    pub fn change(self) -> Cents {
        self.current - self.last
    }

    pub fn is_increase(self) -> bool {
        self.change() >= 0
    }

    /// The printed rate of change: change / last year × 100; from nothing to something is
    /// 100.00 (and nothing to nothing 0.00), as the disclosures print it.
    pub fn rate(self) -> String {
        if self.last == 0 {
            return if self.current == 0 {
                "0.00".to_string()
            } else {
                "100.00".to_string()
            };
        }
        percent(
            Decimal::from(self.change().abs()) * Decimal::ONE_HUNDRED / Decimal::from(self.last),
        )
    }

    /// `增加 1,175.00 万元，增长 773.03%` / `减少 4.68 万元，下降 20.80%`.
    pub fn phrase(self) -> String {
        let (more, grow) = if self.is_increase() {
            ("增加", "增长")
        } else {
            ("减少", "下降")
        };
        format!(
            "{more} {} 万元，{grow} {}%",
            printed(self.change().abs()),
            self.rate()
        )
    }

    /// A last year close to `current` (−17 %…+20 %): basic expenditure moves with staff.
    pub fn steady(rng: &mut impl Rng, current: Cents) -> Self {
        YearOnYear::new(current, scaled(current, rng.random_range(830..=1200)))
    }

    /// A plausible last year for `current`: a change of −60 %…+80 %, or (rarely) a new item.
    pub fn draw(rng: &mut impl Rng, current: Cents) -> Self {
        if current > 0 && rng.random_ratio(1, 12) {
            return YearOnYear::new(current, 0);
        }
        let permille = rng.random_range(560..=2400);
        YearOnYear::new(current, scaled(current, permille).max(0))
    }
}

impl std::ops::Add for YearOnYear {
    type Output = YearOnYear;
    fn add(self, rhs: YearOnYear) -> YearOnYear {
        YearOnYear::new(self.current + rhs.current, self.last + rhs.last)
    }
}

impl std::iter::Sum for YearOnYear {
    fn sum<I: Iterator<Item = YearOnYear>>(iter: I) -> YearOnYear {
        iter.fold(YearOnYear::new(0, 0), |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_match_the_sample() {
        let cases: &[(Cents, Cents, &str)] = &[
            (
                279_498,
                279_498 + 175_477,
                "减少 1,754.77 万元，下降 38.57%",
            ),
            (
                226_400,
                226_400 - 211_200,
                "增加 2,112.00 万元，增长 1,389.47%",
            ),
            (
                163_689,
                163_689 + 2_756_034,
                "减少 27,560.34 万元，下降 94.39%",
            ),
            (2_820, 0, "增加 28.20 万元，增长 100.00%"),
            (0, 0, "增加 0.00 万元，增长 0.00%"),
            (1_782, 1_782 + 468, "减少 4.68 万元，下降 20.80%"),
            (672, 672 + 209_628, "减少 2,096.28 万元，下降 99.68%"),
            (0, 50, "减少 0.50 万元，下降 100.00%"),
        ];
        for (current, last, phrase) in cases {
            assert_eq!(YearOnYear::new(*current, *last).phrase(), *phrase);
        }
    }

    #[test]
    fn shares_round_half_up() {
        assert_eq!(share(279_498, 672_407), "41.57");
        assert_eq!(share(2_820, 672_407), "0.42");
        assert_eq!(share(672, 505_898), "0.13");
        assert_eq!(share(1, 200), "0.50");
        assert_eq!(share(1, 8), "12.50");
        assert_eq!(share(1, 800), "0.13"); // 0.125 → 0.13
    }

    #[test]
    fn splits_add_up() {
        for (total, weights) in [
            (1_000_i64, vec![1_u32, 1, 1]),
            (7, vec![5, 0, 3]),
            (0, vec![1, 2]),
            (99_999, vec![7]),
        ] {
            let parts = split(total, &weights);
            assert_eq!(parts.iter().sum::<i64>(), total);
            assert_eq!(parts.len(), weights.len());
        }
        assert_eq!(split(10, &[0, 1, 0]), vec![0, 10, 0]);
    }
}
