//! The grade of a self-evaluation total (财预〔2020〕10号 第二十八条): 优 ≥ 90, 良 ≥ 80,
//! 中 ≥ 60, 差 below. The total is compared as a decimal, after rounding (see
//! [`crate::achievement`]).

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use budgetflow_model::Lang;

/// 绩效评价等级.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    /// 优 (90–100)
    Excellent,
    /// 良 (80–89)
    Good,
    /// 中 (60–79)
    Fair,
    /// 差 (0–59)
    Poor,
}

impl Grade {
    pub fn from_total(total: Decimal) -> Grade {
        if total >= Decimal::from(90) {
            Grade::Excellent
        } else if total >= Decimal::from(80) {
            Grade::Good
        } else if total >= Decimal::from(60) {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Grade::Excellent, Lang::Zh) => "优",
            (Grade::Good, Lang::Zh) => "良",
            (Grade::Fair, Lang::Zh) => "中",
            (Grade::Poor, Lang::Zh) => "差",
            (Grade::Excellent, Lang::En) => "excellent",
            (Grade::Good, Lang::En) => "good",
            (Grade::Fair, Lang::En) => "fair",
            (Grade::Poor, Lang::En) => "poor",
        }
    }
}

impl Serialize for Grade {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label(Lang::Zh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_bands_include_their_lower_bound() {
        let g = |s: &str| Grade::from_total(s.parse().unwrap());
        assert_eq!(g("100"), Grade::Excellent);
        assert_eq!(g("90.00"), Grade::Excellent);
        assert_eq!(g("89.99"), Grade::Good);
        assert_eq!(g("80"), Grade::Good);
        assert_eq!(g("79.99"), Grade::Fair);
        assert_eq!(g("60"), Grade::Fair);
        assert_eq!(g("59.99"), Grade::Poor);
        assert_eq!(g("0"), Grade::Poor);
        assert_eq!(Grade::Good.label(Lang::En), "good");
    }
}
