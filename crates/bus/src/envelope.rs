//! The envelope: the versioned JSON message every stage receives and emits.
//!
//! The schema string is `budgetflow.envelope/<major>[.<minor>]`. Minor versions only add
//! optional fields, so any minor of the supported major is read; an unknown major is
//! refused ([`EnvelopeError::UnsupportedSchema`]) and the stage runtime dead-letters it.
//!
//! The products a stage adds — the document, findings, scores, publication — ride as
//! [`Part`]s: the JSON text they arrived in, checked for syntax but not parsed into a tree.
//! A stage parses only the parts it needs, once, straight into their typed forms, and
//! passes every other part on as the bytes it received; so a 70 KB document is parsed once
//! per stage and never re-serialised on its way through (docs/messages.md, "Why raw parts").

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use thiserror::Error;
use uuid::Uuid;

use crate::idempotency::IdempotencyKey;

/// The schema this crate writes. Minor 1 added the optional `department_code` and `failure`.
pub const SCHEMA: &str = "budgetflow.envelope/1.1";

const SCHEMA_NAME: &str = "budgetflow.envelope";
const SUPPORTED_MAJOR: u32 = 1;

/// Why bytes are not a usable envelope.
#[derive(Debug, Error)]
pub enum EnvelopeError {
    /// Not JSON, or JSON without the envelope's fields.
    #[error("malformed envelope: {0}")]
    Malformed(#[from] serde_json::Error),
    /// A schema this build cannot read (another name or major version).
    #[error(
        "unsupported envelope schema `{0}` (this build reads {SCHEMA_NAME}/{SUPPORTED_MAJOR})"
    )]
    UnsupportedSchema(String),
}

/// One submission on its way through the pipeline.
///
/// `document`, `findings`, `scores` and `publication` are carried as JSON text ([`Part`]);
/// the stages read the ones they need into their typed forms. `None` (JSON `null`, or the
/// field missing) means "not produced yet".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub schema: String,
    pub submission_id: Uuid,
    pub department: String,
    /// The department's registered code (ASCII, from the ledger) when the submission came
    /// through the API; `None` for documents read without a ledger (`budgetflow run`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_code: Option<String>,
    pub fiscal_year: i32,
    pub version: u32,
    /// SHA-256 of the submitted content, lowercase hex.
    pub content_sha256: String,
    /// Correlates the logs of every stage that handles this submission.
    pub trace_id: String,
    #[serde(default)]
    pub document: Option<Part>,
    #[serde(default)]
    pub findings: Option<Part>,
    #[serde(default)]
    pub scores: Option<Part>,
    #[serde(default)]
    pub publication: Option<Part>,
    /// Why the submission failed for good (set on `submission.failed` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

/// One product in an envelope, as the JSON text it was written in.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Part(Box<RawValue>);

impl Part {
    /// `value` written as JSON.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(Part)
    }

    /// The part read into `T`, in one pass over its text.
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    /// The JSON text.
    pub fn json(&self) -> &str {
        self.0.get()
    }
}

/// Parts are equal when their texts are: the pipeline never rewrites a part it passes on.
impl PartialEq for Part {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json()
    }
}

/// The counts at the head of the `findings` part, which publish, the ledger and the batch
/// tracker read (the validate stage writes the part: `budgetflow_validate::stage`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct FindingCounts {
    pub errors: Option<u64>,
    pub warnings: Option<u64>,
}

/// The fields of the `publication` part the ledger and the batch tracker read (the publish
/// stage writes the part): where the page is, and — in an envelope of schema 1.0, which had
/// no `failure` — why a submission failed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PublicationSummary {
    pub artifact: Option<String>,
    pub reason: Option<String>,
}

/// Why a submission can never get through a stage: carried by `submission.failed`, recorded
/// by the ledger and shown on the dashboard and by the API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The stage that gave up (`validate`, `score`, `publish`).
    pub stage: String,
    /// The reason, as the stage stated it.
    pub reason: String,
}

#[derive(Deserialize)]
struct SchemaOnly {
    schema: String,
}

impl Envelope {
    /// This envelope as an event that settles its submission carries it: without the
    /// document. A settling event ([`Event::is_terminal`]) reaches only the ledger, which has
    /// the submission's bytes from intake and never reads the document; carrying it would have
    /// the broker store and deliver the largest part once more, for nothing. (A dead letter
    /// keeps it: a replay sends the message again as it was.)
    pub fn settled(mut self) -> Envelope {
        self.document = None;
        self
    }
    /// A fresh envelope for submitted `content`, with a new trace id and nothing produced
    /// yet beyond the parsed `document`.
    pub fn new(
        submission_id: Uuid,
        department: impl Into<String>,
        fiscal_year: i32,
        version: u32,
        content: &[u8],
        document: Part,
    ) -> Self {
        Envelope {
            schema: SCHEMA.to_owned(),
            submission_id,
            department: department.into(),
            department_code: None,
            fiscal_year,
            version,
            content_sha256: content_sha256(content),
            trace_id: Uuid::new_v4().simple().to_string(),
            document: Some(document),
            findings: None,
            scores: None,
            publication: None,
            failure: None,
        }
    }

    /// Reads an envelope, refusing unknown schema majors before anything else.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        let SchemaOnly { schema } = serde_json::from_slice(bytes)?;
        if !is_supported_schema(&schema) {
            return Err(EnvelopeError::UnsupportedSchema(schema));
        }
        Ok(serde_json::from_slice(bytes)?)
    }

    /// The JSON form.
    pub fn to_vec(&self) -> Result<Vec<u8>, EnvelopeError> {
        Ok(serde_json::to_vec(self)?)
    }

    /// The document read into its typed form `T`, straight from the text it arrived in; an
    /// error when the envelope carries none.
    pub fn read_document<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        match &self.document {
            Some(document) => document.read(),
            None => Err(serde::de::Error::custom("the envelope carries no document")),
        }
    }

    /// The counts of the validator's findings, read from the `findings` part without its
    /// list; `None` before validation ran (or when the part has another shape).
    pub fn finding_counts(&self) -> Option<FindingCounts> {
        self.findings.as_ref()?.read().ok()
    }

    /// What the ledger and the batch tracker read of the `publication` part; empty before
    /// publication ran (or when the part has another shape).
    pub fn publication_summary(&self) -> PublicationSummary {
        self.publication
            .as_ref()
            .and_then(|publication| publication.read().ok())
            .unwrap_or_default()
    }

    /// Submission id + content hash: a stage does the work for a key once.
    pub fn idempotency_key(&self) -> IdempotencyKey {
        IdempotencyKey::new(self.submission_id, &self.content_sha256)
    }
}

/// SHA-256 of `content` as lowercase hex.
pub fn content_sha256(content: &[u8]) -> String {
    hex::encode(Sha256::digest(content))
}

fn is_supported_schema(schema: &str) -> bool {
    let Some((name, version)) = schema.split_once('/') else {
        return false;
    };
    let major = version.split_once('.').map_or(version, |(major, _)| major);
    name == SCHEMA_NAME && major.parse::<u32>() == Ok(SUPPORTED_MAJOR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Envelope {
        Envelope::new(
            Uuid::new_v4(),
            "乌鲁木齐市工业和信息化局",
            2025,
            2,
            "部门预算公开".as_bytes(),
            Part::of(&json!({"tables": []})).unwrap(),
        )
    }

    #[test]
    fn round_trips_through_json() {
        let envelope = sample();
        let decoded = Envelope::from_slice(&envelope.to_vec().unwrap()).unwrap();
        assert_eq!(decoded, envelope);
        assert_eq!(decoded.schema, SCHEMA);
    }

    #[test]
    fn hashes_content_as_lowercase_hex_sha256() {
        assert_eq!(
            content_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(sample().content_sha256.len(), 64);
    }

    #[test]
    fn accepts_minor_versions_and_refuses_other_majors() {
        let cases = [
            ("budgetflow.envelope/1", true),
            ("budgetflow.envelope/1.3", true),
            ("budgetflow.envelope/2", false),
            ("budgetflow.envelope/", false),
            ("other.envelope/1", false),
            ("budgetflow.envelope", false),
        ];
        for (schema, supported) in cases {
            let mut value = serde_json::to_value(sample()).unwrap();
            value["schema"] = json!(schema);
            let result = Envelope::from_slice(&serde_json::to_vec(&value).unwrap());
            assert_eq!(result.is_ok(), supported, "{schema}");
            if !supported {
                assert!(matches!(result, Err(EnvelopeError::UnsupportedSchema(s)) if s == schema));
            }
        }
    }

    #[test]
    fn missing_products_default_to_null_and_garbage_is_malformed() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value.as_object_mut().unwrap().remove("scores");
        let decoded = Envelope::from_slice(&serde_json::to_vec(&value).unwrap()).unwrap();
        assert_eq!(decoded.scores, None);
        assert!(matches!(
            Envelope::from_slice(b"not json"),
            Err(EnvelopeError::Malformed(_))
        ));
    }

    #[test]
    fn a_part_passes_on_as_the_text_it_arrived_in() {
        let document = r#"{"b": 1,  "a": [1.50, "元"]}"#;
        let body = format!(
            r#"{{"schema":"{SCHEMA}","submission_id":"{}","department":"d","fiscal_year":2025,"version":1,"content_sha256":"00","trace_id":"t","document":{document},"findings":null}}"#,
            Uuid::nil()
        );
        let envelope = Envelope::from_slice(body.as_bytes()).unwrap();
        assert_eq!(envelope.document.as_ref().unwrap().json(), document);
        assert_eq!(envelope.findings, None);
        let written = String::from_utf8(envelope.to_vec().unwrap()).unwrap();
        assert!(written.contains(document), "{written}");
        let read: serde_json::Value = envelope.document.unwrap().read().unwrap();
        assert_eq!(read["a"][1], "元");
    }

    #[test]
    fn idempotency_key_depends_on_submission_and_content() {
        let envelope = sample();
        let mut same = envelope.clone();
        same.trace_id = "another-trace".into();
        assert_eq!(envelope.idempotency_key(), same.idempotency_key());
        let mut changed = envelope.clone();
        changed.content_sha256 = content_sha256(b"other content");
        assert_ne!(envelope.idempotency_key(), changed.idempotency_key());
    }
}
