//! What a rule is: a stable id, a family, a severity, bilingual titles and the reason it exists.
//!
//! Rules are declared once, in [`crate::catalog`]; the checks, the finding messages and
//! `docs/rules.md` all read the same [`Rule`] values. The types are the model's
//! ([`budgetflow_model::rule`]), shared with the target review, and are named here too so that
//! callers of the validator need not know where they live.

pub use budgetflow_model::rule::{Check, Family, Lang, Rule, Severity, UnknownLang};
