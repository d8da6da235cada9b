//! The canonical JSON form: the serde form of the model, versioned by its `schema` field.
//!
//! A document whose schema has another major version is refused with a message naming both
//! versions, so a consumer never half-reads a format it does not understand.
//!
//! Reading takes two passes. The first walks the JSON without building anything
//! ([`shape`]): nesting, items per array or object, values in all and string length are held
//! to [`crate::limits`], refused with the JSON path and position, and the `schema` is picked up
//! on the way. Only then is the document deserialised. A message never repeats more than an
//! excerpt of a value (serde quotes the whole of a string of the wrong type).

use budgetflow_model::lang::excerpt;
use budgetflow_model::{Document, SCHEMA};

use crate::error::ReadError;

mod shape;

/// Reads a canonical JSON document.
pub fn read_str(text: &str) -> Result<Document, ReadError> {
    // serde_json's message ends with the line and column
    let position = |e: &serde_json::Error| ReadError::Json(quoted_excerpts(&e.to_string()));
    let schema = shape::check(text).map_err(|e| position(&e))?;
    let schema =
        schema.ok_or_else(|| ReadError::Json(format!("missing `schema` (expected `{SCHEMA}`)")))?;
    if major(&schema) != major(SCHEMA) {
        return Err(ReadError::Json(format!(
            "unsupported schema `{}` (this build reads `{SCHEMA}`)",
            excerpt(&schema)
        )));
    }
    serde_json::from_str(text).map_err(|e| position(&e))
}

/// `message` with every double-quoted run cut to an [`excerpt`] (serde prints a string of the
/// wrong type whole, `invalid type: string "…"`).
fn quoted_excerpts(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        // the closing quote: the first one not escaped by a backslash
        let mut close = None;
        let mut escaped = false;
        for (i, c) in rest.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    close = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(close) = close else {
            out.push_str(&excerpt(rest));
            return out;
        };
        out.push_str(&excerpt(&rest[..close]));
        out.push('"');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
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

    #[test]
    fn a_value_of_the_wrong_type_is_shown_as_an_excerpt() {
        let doc = Document::new(
            "某局",
            budgetflow_model::FiscalYear::new(2025).unwrap(),
            budgetflow_model::DocumentKind::DepartmentBudget,
        );
        let mut value = serde_json::to_value(&doc).unwrap();
        value["identity"]["fiscal_year"] = serde_json::json!("年".repeat(10_000));
        let Err(ReadError::Json(m)) = read_str(&value.to_string()) else {
            panic!("read")
        };
        assert!(m.len() < 400, "{m}");
        assert!(m.contains(&format!("\"{}…\"", "年".repeat(64))), "{m}");
        assert_eq!(
            quoted_excerpts(r#"a "b\"c" d "e"#),
            r#"a "b\"c" d "e"#,
            "an escaped quote does not end the run; an unclosed one runs to the end"
        );
    }
}
