//! Classified (涉密) projects: their `特定目标 XXXXXXXX` names, the withheld §七 description
//! and the §十二(五) summary sentence.

use std::collections::BTreeSet;

use budgetflow_model::narrative::{Disclosed, ProjectDescription};
use budgetflow_model::tables::ProjectName;
use rand::Rng;

use crate::budget::Project;
use crate::money::{amount, printed, Cents};

const CODE_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A fresh `特定目标 XXXXXXXX` name (8 of [0-9A-Z], unique within `used`). Current-year
/// projects get codes starting 1–3, carry-over items 8–9, as in the sample.
pub fn name(rng: &mut impl Rng, used: &mut BTreeSet<String>, carry_over: bool) -> String {
    loop {
        let first = if carry_over {
            rng.random_range(b'8'..=b'9')
        } else {
            rng.random_range(b'1'..=b'3')
        };
        let mut code = String::with_capacity(8);
        code.push(first as char);
        code.push(if rng.random_bool(0.7) { '0' } else { '3' });
        code.push_str("10");
        code.push_str(&format!("{:03}", rng.random_range(0..1000)));
        code.push(CODE_CHARS[rng.random_range(0..CODE_CHARS.len())] as char);
        if used.insert(code.clone()) {
            return format!("特定目标 {code}");
        }
    }
}

/// The §七 description of a classified project: amount and unit published, the rest withheld.
pub fn description(number: u32, project: &Project, implementer: &str) -> ProjectDescription {
    ProjectDescription {
        number,
        name: ProjectName::new(project.name.clone()),
        policy_basis: Disclosed::Withheld,
        amount: Some(amount(project.cents)),
        unit: Default::default(),
        implementer: Some(implementer.to_string()),
        allocation: Disclosed::Withheld,
        period: Disclosed::Withheld,
    }
}

/// `部门有3个涉密项目，涉及预算资金1,939.00万元，项目绩效目标表完全不予公开。`
pub fn summary(count: usize, cents: Cents) -> String {
    format!(
        "部门有{count}个涉密项目，涉及预算资金{}万元，项目绩效目标表完全不予公开。",
        printed(cents)
    )
}
