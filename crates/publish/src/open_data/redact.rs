//! The public form of the canonical JSON. The document as read keeps whatever its source
//! held; for a classified project (`特定目标 XXXXXXXX`) the public page shows only its code and
//! amounts, so the published JSON must not carry more: every detail the page withholds
//! (policy basis, implementer, allocation, period, the whole performance-target table) is
//! removed here, whatever the source document stated.

use budgetflow_model::narrative::Disclosed;
use budgetflow_model::performance::ProjectFunds;
use budgetflow_model::tables::ProjectName;
use budgetflow_model::{Block, Document};

use crate::html::WITHHELD;

/// `doc` with every detail of a classified project withheld.
pub fn redacted(doc: &Document) -> Document {
    let mut doc = doc.clone();
    for block in doc
        .narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
    {
        match block {
            Block::Project(p) if p.name.is_classified() => {
                p.policy_basis = Disclosed::Withheld;
                p.implementer = None;
                p.allocation = Disclosed::Withheld;
                p.period = Disclosed::Withheld;
            }
            Block::ProjectTargets(t) if ProjectName::new(t.project.as_str()).is_classified() => {
                t.budget_unit = String::new();
                t.manager = None;
                t.funds = ProjectFunds::default();
                t.goal = WITHHELD.to_string();
                t.indicators.clear();
            }
            _ => {}
        }
    }
    doc
}
