//! Idempotency: a stage records the output it produced for a key (submission id + content
//! hash) before publishing it, and on a redelivery re-emits that output instead of doing
//! the work, and its side effects, again.

use std::collections::{HashMap, VecDeque};
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
pub struct MemoryIdempotencyStore {
    inner: Mutex<Recent>,
    capacity: usize,
}

/// The outputs recorded most recently, oldest first.
#[derive(Debug, Default)]
struct Recent {
    outputs: HashMap<IdempotencyKey, RecordedOutput>,
    order: VecDeque<IdempotencyKey>,
}

impl Default for MemoryIdempotencyStore {
    fn default() -> Self {
        MemoryIdempotencyStore::with_capacity(MemoryIdempotencyStore::DEFAULT_CAPACITY)
    }
}

impl MemoryIdempotencyStore {
    /// How many outputs the in-memory store keeps by default. An output carries the whole
    /// document, so an unbounded store grows by about a megabyte per submission; redeliveries
    /// on the in-memory transport come within a handful of messages, and a re-submission of
    /// the same bytes after the window only repeats idempotent effects (the publisher writes
    /// once per key).
    pub const DEFAULT_CAPACITY: usize = 256;

    pub fn new() -> Self {
        MemoryIdempotencyStore::default()
    }

    /// A store that keeps the `capacity` most recent outputs (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        MemoryIdempotencyStore {
            inner: Mutex::new(Recent::default()),
            capacity: capacity.max(1),
        }
    }

    pub fn len(&self) -> usize {
        self.lock().outputs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().outputs.is_empty()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recent> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for MemoryIdempotencyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryIdempotencyStore")
            .field("len", &self.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[async_trait]
impl IdempotencyStore for MemoryIdempotencyStore {
    async fn recorded(&self, key: &IdempotencyKey) -> Result<Option<RecordedOutput>, StoreError> {
        Ok(self.lock().outputs.get(key).cloned())
    }

    async fn record(&self, key: &IdempotencyKey, output: RecordedOutput) -> Result<(), StoreError> {
        let mut recent = self.lock();
        if recent.outputs.contains_key(key) {
            return Ok(());
        }
        while recent.order.len() >= self.capacity {
            if let Some(oldest) = recent.order.pop_front() {
                recent.outputs.remove(&oldest);
            }
        }
        recent.order.push_back(key.clone());
        recent.outputs.insert(key.clone(), output);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Part;
    use serde_json::json;

    #[tokio::test]
    async fn keeps_the_first_output_for_a_key() {
        let store = MemoryIdempotencyStore::new();
        let envelope = Envelope::new(
            Uuid::new_v4(),
            "dept",
            2025,
            1,
            b"x",
            Part::of(&json!(null)).unwrap(),
        );
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

    #[tokio::test]
    async fn keeps_only_the_most_recent_outputs() {
        let store = MemoryIdempotencyStore::with_capacity(2);
        let envelopes: Vec<_> = (0..3)
            .map(|i| {
                Envelope::new(
                    Uuid::new_v4(),
                    "dept",
                    2025,
                    1,
                    &[i],
                    Part::of(&json!(null)).unwrap(),
                )
            })
            .collect();
        for e in &envelopes {
            store
                .record(
                    &e.idempotency_key(),
                    RecordedOutput {
                        event: Event::Validated,
                        envelope: e.clone(),
                    },
                )
                .await
                .unwrap();
        }
        assert_eq!(
            store.len(),
            2,
            "memory is bounded by the capacity, not by the number of submissions"
        );
        assert_eq!(
            store
                .recorded(&envelopes[0].idempotency_key())
                .await
                .unwrap(),
            None,
            "the oldest is forgotten"
        );
        assert!(store
            .recorded(&envelopes[2].idempotency_key())
            .await
            .unwrap()
            .is_some());
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
