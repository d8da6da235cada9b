//! From bytes to a `submission.received` envelope.

use budgetflow_bus::{Envelope, Event, OutgoingMessage, Part, Transport};
use budgetflow_formats::ReadError;
use budgetflow_model::Document;
use sha2::{Digest, Sha256};
use thiserror::Error;
use uuid::Uuid;

/// Why a disclosure was not submitted.
#[derive(Debug, Error)]
pub enum IngestError {
    /// The bytes are not a readable disclosure; nothing is published.
    #[error(transparent)]
    Unreadable(#[from] ReadError),
    /// The envelope could not be published.
    #[error(transparent)]
    Bus(#[from] budgetflow_bus::BusError),
}

/// The submission id of `content`: the first 16 bytes of its SHA-256 as a UUID (version 8,
/// "custom"). The same bytes always give the same id.
pub fn submission_id(content: &[u8]) -> Uuid {
    let digest = Sha256::digest(content);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// Reads `content` and wraps the document in a fresh envelope (version 1: submission
/// versions come with the ledger of issue 7). Department and fiscal year are the document's.
pub fn submission(content: &[u8]) -> Result<Envelope, IngestError> {
    let document = budgetflow_formats::read_any(content)?;
    envelope(content, &document, 1, None)
}

/// The envelope of `content`, already read as `document` (by whichever reader its media type
/// called for), as submission version `version` of the department registered as
/// `department_code` (the ledger's ASCII code, which the publish stage names directories by;
/// `None` without a ledger).
pub fn envelope(
    content: &[u8],
    document: &Document,
    version: u32,
    department_code: Option<&str>,
) -> Result<Envelope, IngestError> {
    let json = Part::of(document).map_err(|e| ReadError::Json(e.to_string()))?;
    let mut envelope = Envelope::new(
        submission_id(content),
        document.identity.department.clone(),
        document.identity.fiscal_year.get(),
        version,
        content,
        json,
    );
    envelope.department_code = department_code.map(str::to_owned);
    Ok(envelope)
}

/// Publishes `envelope` as `submission.received` and waits for the broker's confirm.
pub async fn submit(transport: &dyn Transport, envelope: &Envelope) -> Result<(), IngestError> {
    transport
        .publish(OutgoingMessage::event(Event::Received, envelope)?)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../samples/urumqi-miit-2025.txt");

    #[test]
    fn the_same_bytes_are_the_same_submission() {
        let first = submission(SAMPLE.as_bytes()).unwrap();
        let second = submission(SAMPLE.as_bytes()).unwrap();
        assert_eq!(first.submission_id, second.submission_id);
        assert_eq!(first.idempotency_key(), second.idempotency_key());
        assert_ne!(first.trace_id, second.trace_id);
        assert_eq!(first.department, "乌鲁木齐市工业和信息化局");
        assert_eq!(first.fiscal_year, 2025);
        let document: budgetflow_model::Document = first.read_document().unwrap();
        assert_eq!(document.identity.fiscal_year.get(), 2025);
        assert_eq!(first.department_code, None, "no ledger, no code");
        let document = budgetflow_formats::read_any(SAMPLE.as_bytes()).unwrap();
        let registered = envelope(SAMPLE.as_bytes(), &document, 3, Some("miit")).unwrap();
        assert_eq!(registered.department_code.as_deref(), Some("miit"));
        assert_eq!(registered.version, 3);
        assert_eq!(registered.submission_id, first.submission_id);

        let other = format!("{SAMPLE}\n");
        assert_ne!(
            submission(other.as_bytes()).unwrap().submission_id,
            first.submission_id
        );
    }

    #[test]
    fn unreadable_bytes_are_refused() {
        let refused = submission(b"\x00\x01\x02 not a disclosure");
        assert!(matches!(refused, Err(IngestError::Unreadable(_))));
        assert!(matches!(
            submission(b"{\"schema\": 1}"),
            Err(IngestError::Unreadable(_))
        ));
    }
}
