//! Idempotency: a stage records the output it produced for a key (submission id + content
//! hash) before publishing it, and on a redelivery re-emits that output instead of doing
//! the work, and its side effects, again.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use async_trait::async_trait;
use thiserror::Error;
use uuid::Uuid;

use crate::envelope::Envelope;
use crate::topology::Event;

/// `<submission id>:<content sha256>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn new(submission_id: Uuid, content_sha256: &str) -> Self {
        IdempotencyKey(format!("{submission_id}:{content_sha256}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The output a stage emitted for a key.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedOutput {
    pub event: Event,
    pub envelope: Envelope,
}

/// A store failure; the runtime treats it as transient.
#[derive(Debug, Error)]
#[error("idempotency store: {0}")]
pub struct StoreError(pub String);

/// Where a stage remembers what it already did. Implementations must make `record`
/// durable before returning when the stage runs in its own process.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// The output recorded for `key`, if any.
    async fn recorded(&self, key: &IdempotencyKey) -> Result<Option<RecordedOutput>, StoreError>;
    /// Remembers `output` for `key`; a second record for the same key keeps the first.
    async fn record(&self, key: &IdempotencyKey, output: RecordedOutput) -> Result<(), StoreError>;
}

/// An in-process store (the embedded pipeline, tests).
#[derive(Debug, Default)]
pub struct MemoryIdempotencyStore {
    outputs: Mutex<HashMap<IdempotencyKey, RecordedOutput>>,
}

impl MemoryIdempotencyStore {
    pub fn new() -> Self {
        MemoryIdempotencyStore::default()
    }

    /// How many keys are recorded.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IdempotencyKey, RecordedOutput>> {
        self.outputs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl IdempotencyStore for MemoryIdempotencyStore {
    async fn recorded(&self, key: &IdempotencyKey) -> Result<Option<RecordedOutput>, StoreError> {
        Ok(self.lock().get(key).cloned())
    }

    async fn record(&self, key: &IdempotencyKey, output: RecordedOutput) -> Result<(), StoreError> {
        self.lock().entry(key.clone()).or_insert(output);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn keeps_the_first_output_for_a_key() {
        let store = MemoryIdempotencyStore::new();
        let envelope = Envelope::new(Uuid::new_v4(), "dept", 2025, 1, b"x", json!(null));
        let key = envelope.idempotency_key();
        assert_eq!(store.recorded(&key).await.unwrap(), None);

        let first = RecordedOutput {
            event: Event::Validated,
            envelope: envelope.clone(),
        };
        store.record(&key, first.clone()).await.unwrap();
        let second = RecordedOutput {
            event: Event::Rejected,
            envelope,
        };
        store.record(&key, second).await.unwrap();

        assert_eq!(store.recorded(&key).await.unwrap(), Some(first));
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn key_joins_submission_and_hash() {
        let id = Uuid::nil();
        assert_eq!(
            IdempotencyKey::new(id, "abcd").as_str(),
            "00000000-0000-0000-0000-000000000000:abcd"
        );
    }
}
