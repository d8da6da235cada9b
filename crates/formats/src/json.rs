//! The canonical JSON form: the serde form of the model, versioned by its `schema` field.
//!
//! A document whose schema has another major version is refused with a message naming both
//! versions, so a consumer never half-reads a format it does not understand.

use budgetflow_model::{Document, SCHEMA};

use crate::error::ReadError;

/// Reads a canonical JSON document.
pub fn read_str(text: &str) -> Result<Document, ReadError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ReadError::Json(format!("line {}, column {}: {e}", e.line(), e.column())))?;
    let schema = value
        .get("schema")
        .and_then(|s| s.as_str())
        .ok_or_else(|| ReadError::Json(format!("missing `schema` (expected `{SCHEMA}`)")))?;
    if major(schema) != major(SCHEMA) {
        return Err(ReadError::Json(format!(
            "unsupported schema `{schema}` (this build reads `{SCHEMA}`)"
        )));
    }
    serde_json::from_value(value).map_err(|e| ReadError::Json(e.to_string()))
}

/// Writes the canonical JSON form (pretty-printed, stable field order).
pub fn write(doc: &Document) -> String {
    serde_json::to_string_pretty(doc).expect("a document always serialises")
}

/// Writes the canonical JSON form on one line.
pub fn write_compact(doc: &Document) -> String {
    serde_json::to_string(doc).expect("a document always serialises")
}

fn major(schema: &str) -> &str {
    schema
        .rsplit_once('/')
        .map(|(_, v)| v.split('.').next().unwrap_or(v))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_other_major_versions() {
        let doc = Document::new(
            "某局",
            budgetflow_model::FiscalYear::new(2025).unwrap(),
            budgetflow_model::DocumentKind::DepartmentBudget,
        );
        let json = write(&doc);
        assert_eq!(read_str(&json).unwrap(), doc);
        let v2 = json.replace(SCHEMA, "budgetflow.document/2");
        assert!(
            matches!(read_str(&v2), Err(ReadError::Json(m)) if m.contains("unsupported schema"))
        );
        assert!(
            matches!(read_str("{\"a\":1}"), Err(ReadError::Json(m)) if m.contains("missing `schema`"))
        );
        assert!(matches!(read_str("{"), Err(ReadError::Json(m)) if m.contains("line 1")));
    }
}
