//! Rounding done right: a printed figure stands for an interval.
//!
//! A figure printed with `s` decimals stands for every value that rounds to it, i.e. the
//! half-open interval `[v − ½·10⁻ˢ, v + ½·10⁻ˢ)`. A sum of printed parts is consistent with a
//! printed total when the interval of the parts overlaps the interval of the total (the XBRL
//! Calculation 1.1 approach). A blank cell is an exact zero. Ratios (shares, rates of change)
//! are compared the same way, from the intervals of their printed operands.

use rust_decimal::{Decimal, RoundingStrategy};

use budgetflow_model::{Amount, Percent};

/// How a computed value compares with a printed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// Equal as printed.
    Exact,
    /// Different as printed, but both could come from the same unrounded data (取整差异).
    WithinRounding,
    /// No rounding explains the difference.
    Mismatch,
}

/// A closed-open interval of possible true values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub lo: Decimal,
    pub hi: Decimal,
}

impl Interval {
    pub fn exact(v: Decimal) -> Interval {
        Interval { lo: v, hi: v }
    }

    /// Everything that prints as `v` at its own scale.
    pub fn printed(v: Decimal) -> Interval {
        let half = half_unit(v.scale());
        Interval {
            lo: v - half,
            hi: v + half,
        }
    }

    /// A blank cell is exactly zero; a printed one is an interval.
    pub fn of_cell(cell: Option<Amount>) -> Interval {
        cell.map_or(Interval::exact(Decimal::ZERO), |a| {
            Interval::printed(a.value())
        })
    }

    /// Whether the two intervals share a point (half-open on both ends unless degenerate).
    pub fn overlaps(self, other: Interval) -> bool {
        let strict = |a: Interval, b: Interval| {
            if a.lo == a.hi {
                b.lo <= a.lo && a.lo <= b.hi
            } else {
                a.lo < b.hi
            }
        };
        if self.lo == self.hi && other.lo == other.hi {
            return self.lo == other.lo;
        }
        strict(self, other) && strict(other, self)
    }
}

impl std::ops::Add for Interval {
    type Output = Interval;
    fn add(self, other: Interval) -> Interval {
        Interval {
            lo: self.lo + other.lo,
            hi: self.hi + other.hi,
        }
    }
}

/// Half of one unit in the last printed decimal (`0.005` for two decimals).
pub fn half_unit(scale: u32) -> Decimal {
    Decimal::new(5, scale + 1)
}

/// Compares the sum of printed `parts` with a printed `total`.
pub fn compare_sum(
    total: Option<Amount>,
    parts: impl Iterator<Item = Option<Amount>>,
) -> (Agreement, Decimal) {
    let mut sum = Decimal::ZERO;
    let mut interval = Interval::exact(Decimal::ZERO);
    for p in parts {
        sum += p.map_or(Decimal::ZERO, Amount::value);
        interval = interval + Interval::of_cell(p);
    }
    let printed = total.map_or(Decimal::ZERO, Amount::value);
    let agreement = if sum == printed {
        Agreement::Exact
    } else if interval.overlaps(Interval::of_cell(total)) {
        Agreement::WithinRounding
    } else {
        Agreement::Mismatch
    };
    (agreement, sum)
}

/// Rounds half-up (away from zero) to `scale` decimals, as disclosures print.
pub fn round_printed(v: Decimal, scale: u32) -> Decimal {
    let mut r = v.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(scale);
    r
}

/// Whether `numerator ÷ denominator × 100` prints as `stated` (rounded half-up at its
/// precision), for a positive denominator and a numerator of at least zero; `false` otherwise.
///
/// Without division: v rounds half-up to p iff p − h ≤ v < p + h, i.e.
/// (p − h)·d ≤ 100·n < (p + h)·d. Scaled to integers that is
/// (10·p′ − 5)·d′·10^sn ≤ n′·10^(sp+3+sd) < (10·p′ + 5)·d′·10^sn for the mantissas p′, d′, n′
/// and the scales sp, sd, sn — three integer products instead of three decimal ones. When a
/// product would not fit (never for printed budget figures) the decimals decide.
pub fn ratio_prints_as(numerator: Decimal, denominator: Decimal, stated: Percent) -> bool {
    if denominator <= Decimal::ZERO || numerator < Decimal::ZERO {
        return false;
    }
    let p = stated.value();
    let integers = (|| {
        let (sp, sd, sn) = (p.scale(), denominator.scale(), numerator.scale());
        let pow = |e: u32| 10i128.checked_pow(e);
        let d = denominator.mantissa();
        let left = |m: i128| m.checked_mul(d)?.checked_mul(pow(sn)?);
        let lo = left(p.mantissa().checked_mul(10)?.checked_sub(5)?)?;
        let hi = left(p.mantissa().checked_mul(10)?.checked_add(5)?)?;
        let middle = numerator.mantissa().checked_mul(pow(sp + 3 + sd)?)?;
        Some(lo <= middle && middle < hi)
    })();
    integers.unwrap_or_else(|| {
        let h = half_unit(stated.scale());
        let scaled = numerator * Decimal::ONE_HUNDRED;
        (p - h) * denominator <= scaled && scaled < (p + h) * denominator
    })
}

/// `numerator ÷ denominator × 100` against a printed percentage: exact when the rounded
/// quotient prints as stated, within rounding when the operand intervals can produce it.
/// Returns the quotient rounded at the stated precision (the expected figure), or `None`
/// when the denominator is zero.
pub fn compare_ratio(
    numerator: Interval,
    numerator_printed: Decimal,
    denominator: Interval,
    denominator_printed: Decimal,
    stated: Percent,
) -> Option<(Agreement, Decimal)> {
    if denominator_printed.is_zero() {
        return None;
    }
    let scale = stated.scale();
    if ratio_prints_as(numerator_printed, denominator_printed, stated) {
        return Some((Agreement::Exact, stated.value()));
    }
    let expected = round_printed(
        numerator_printed / denominator_printed * Decimal::ONE_HUNDRED,
        scale,
    );
    if expected == stated.value() {
        return Some((Agreement::Exact, expected));
    }
    let stated_interval = Interval::printed(stated.value());
    let agreement = if denominator.lo <= Decimal::ZERO {
        // A base that may be zero or negative reproduces any rate.
        Agreement::WithinRounding
    } else {
        let hundred = Decimal::ONE_HUNDRED;
        let candidates = [
            numerator.lo / denominator.lo,
            numerator.lo / denominator.hi,
            numerator.hi / denominator.lo,
            numerator.hi / denominator.hi,
        ];
        let lo = candidates.iter().copied().fold(Decimal::MAX, Decimal::min) * hundred;
        let hi = candidates.iter().copied().fold(Decimal::MIN, Decimal::max) * hundred;
        if (Interval { lo, hi }).overlaps(stated_interval) {
            Agreement::WithinRounding
        } else {
            Agreement::Mismatch
        }
    };
    Some((agreement, expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Option<Amount> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn the_303_drift_is_within_rounding() {
        let parts = ["44.08", "186.79", "6.96", "13.20", "2.94"].map(a);
        let (agreement, sum) = compare_sum(a("253.98"), parts.into_iter());
        assert_eq!(agreement, Agreement::WithinRounding);
        assert_eq!(sum.to_string(), "253.97");
    }

    #[test]
    fn exact_and_mismatched_sums() {
        assert_eq!(
            compare_sum(a("1,665.09"), [a("1,636.89"), a("28.20")].into_iter()).0,
            Agreement::Exact
        );
        // two addends and a total: at most 3 × 0.005 apart, exclusive
        assert_eq!(
            compare_sum(a("10.00"), [a("4.00"), a("6.01")].into_iter()).0,
            Agreement::WithinRounding
        );
        assert_eq!(
            compare_sum(a("10.00"), [a("4.00"), a("6.02")].into_iter()).0,
            Agreement::Mismatch
        );
        // blank cells are exact zeros
        assert_eq!(
            compare_sum(a("0.01"), [None, None].into_iter()).0,
            Agreement::Mismatch
        );
        assert_eq!(compare_sum(None, [None].into_iter()).0, Agreement::Exact);
    }

    #[test]
    fn shares_at_the_printed_precision() {
        let share = |n: &str, d: &str, p: &str| {
            let (n, d): (Decimal, Decimal) = (n.parse().unwrap(), d.parse().unwrap());
            compare_ratio(
                Interval::printed(n),
                n,
                Interval::printed(d),
                d,
                p.parse().unwrap(),
            )
            .unwrap()
        };
        assert_eq!(
            share("2794.98", "6724.07", "41.57"),
            (Agreement::Exact, "41.57".parse().unwrap())
        );
        assert_eq!(share("2794.98", "6724.07", "41.58").0, Agreement::Mismatch);
        // the 梧州 error: 469,500 / 2,945,760.58 is 15.94%, not 19.62%
        assert_eq!(
            share("469500", "2945760.58", "19.62"),
            (Agreement::Mismatch, "15.94".parse().unwrap())
        );
        // a tiny base: 0.01 / 0.03 can be anything from 20% to 60%
        assert_eq!(share("0.01", "0.03", "40.00").0, Agreement::WithinRounding);
    }

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(
            round_printed("0.125".parse().unwrap(), 2).to_string(),
            "0.13"
        );
        assert_eq!(
            round_printed("100".parse().unwrap(), 2).to_string(),
            "100.00"
        );
    }
}
