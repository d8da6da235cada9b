//! # budgetflow-model
//!
//! One faithful, typed model of a budget disclosure (部门预算公开) — the foundation every other
//! crate stands on. The reader (`budgetflow-formats`) fills it from the text export or JSON, the
//! validator checks it, the scorer reviews its performance targets and the publisher renders it.
//!
//! Principles:
//! - **Nothing with structure is left as loose text**: tables have named columns, codes are
//!   types ([`FunctionCode`], [`EconomicCode`], [`FiscalYear`]), target values are parsed.
//! - **Money is `Decimal` as printed** ([`Amount`]), with the unit of the table or sentence that
//!   printed it; never a float.
//! - **Narrative text is kept verbatim** and the figures it states are captured beside it.
//! - **Unknown is representable**: an unknown code, an unrecognised table or a missing table
//!   is data for the validator, not a parse failure.
//!
//! The canonical JSON form is the serde form of [`Document`]; its version is [`SCHEMA`] and it is
//! documented in `docs/document.schema.json`.

pub mod amount;
pub mod basis;
pub mod catalog;
pub mod codes;
pub mod department;
pub mod document;
pub mod lang;
pub mod names;
pub mod narrative;
pub mod other_matters;
pub mod overview;
pub mod performance;
pub mod rule;
pub mod secrets;
pub mod severity;
pub mod tables;

pub use amount::{Amount, MoneyUnit, NumberError, Percent};
pub use catalog::Catalog;
pub use codes::{CodeError, EconomicCode, FiscalYear, FunctionCode, FunctionLevel};
pub use department::{DepartmentCode, InvalidCode};
pub use document::{Document, DocumentKind, GlossaryEntry, Identity, Template, SCHEMA};
pub use lang::{Lang, UnknownLang};
pub use narrative::{Block, Narrative, Paragraph, Section, SectionTopic, Statement};
pub use severity::Severity;
pub use tables::{Columns, TableKind, Tables};

/// The JSON Schema of the canonical JSON form (kept in `docs/document.schema.json`; a test
/// fails when the two drift apart).
pub fn document_schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(Document)).expect("a schema serialises");
    if let Some(o) = schema.as_object_mut() {
        o.insert(
            "$id".into(),
            serde_json::Value::String(format!("https://budgetflow.invalid/{SCHEMA}")),
        );
        o.insert(
            "title".into(),
            serde_json::Value::String("budgetflow budget disclosure (部门预算公开)".into()),
        );
    }
    schema
}
