//! The durable idempotency store: one small JSON file per handled key in a directory.
//!
//! A record is written to a temporary file, flushed to disk, then linked to its final name
//! `<submission id>_<content sha256>.json`. Linking fails if the name exists, so the first
//! record for a key wins and a reader never sees a half-written one. A stage killed with
//! `kill -9` and restarted finds what it already emitted and emits it again instead of
//! redoing the work (see "Idempotency" in `docs/messages.md`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use budgetflow_bus::idempotency::StoreError;
use budgetflow_bus::{Envelope, Event, IdempotencyKey, IdempotencyStore, RecordedOutput};
use serde::{Deserialize, Serialize};

use crate::error::ServiceError;

/// An [`IdempotencyStore`] in a directory, surviving restarts.
#[derive(Debug)]
pub struct DirectoryStore {
    dir: PathBuf,
    temp_counter: AtomicU64,
}

#[derive(Serialize, Deserialize)]
struct StoredRecord {
    event: String,
    envelope: Envelope,
}

impl DirectoryStore {
    /// Opens (creating it if needed) the store in `dir`. Temporary files left by a crash are
    /// removed.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Arc<Self>, ServiceError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .map_err(|e| ServiceError::io(format!("creating {}", dir.display()), e))?;
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| ServiceError::io(format!("reading {}", dir.display()), e))?;
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                // A leftover of a crash mid-write; the record was never linked.
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(Arc::new(DirectoryStore {
            dir,
            temp_counter: AtomicU64::new(0),
        }))
    }

    /// How many keys are recorded.
    pub fn len(&self) -> usize {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                    .count()
            })
            .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn path_of(&self, key: &IdempotencyKey) -> PathBuf {
        self.dir
            .join(format!("{}.json", key.as_str().replace(':', "_")))
    }

    fn temp_path(&self) -> PathBuf {
        let n = self.temp_counter.fetch_add(1, Ordering::Relaxed);
        self.dir.join(format!(".tmp-{}-{n}", std::process::id()))
    }
}

fn store_error(what: &str, path: &Path, error: impl std::fmt::Display) -> StoreError {
    StoreError(format!("{what} {}: {error}", path.display()))
}

fn read_record(path: &Path) -> Result<Option<RecordedOutput>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(store_error("reading", path, e)),
    };
    let record: StoredRecord =
        serde_json::from_slice(&bytes).map_err(|e| store_error("decoding", path, e))?;
    let event = Event::from_routing_key(&record.event)
        .ok_or_else(|| store_error("unknown event in", path, &record.event))?;
    Ok(Some(RecordedOutput {
        event,
        envelope: record.envelope,
    }))
}

fn write_record(final_path: &Path, temp: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut file = std::fs::File::create(temp).map_err(|e| store_error("creating", temp, e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| store_error("writing", temp, e))?;
    drop(file);
    let linked = std::fs::hard_link(temp, final_path);
    let _ = std::fs::remove_file(temp);
    match linked {
        Ok(()) => Ok(()),
        // Another attempt recorded the key first; the first record wins.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(store_error("linking", final_path, e)),
    }
}

#[async_trait]
impl IdempotencyStore for DirectoryStore {
    async fn recorded(&self, key: &IdempotencyKey) -> Result<Option<RecordedOutput>, StoreError> {
        let path = self.path_of(key);
        tokio::task::spawn_blocking(move || read_record(&path))
            .await
            .map_err(|e| StoreError(e.to_string()))?
    }

    async fn record(&self, key: &IdempotencyKey, output: RecordedOutput) -> Result<(), StoreError> {
        let record = StoredRecord {
            event: output.event.routing_key().to_owned(),
            envelope: output.envelope,
        };
        let bytes = serde_json::to_vec(&record).map_err(|e| StoreError(e.to_string()))?;
        let (final_path, temp) = (self.path_of(key), self.temp_path());
        tokio::task::spawn_blocking(move || write_record(&final_path, &temp, &bytes))
            .await
            .map_err(|e| StoreError(e.to_string()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use uuid::Uuid;

    fn envelope(content: &[u8]) -> Envelope {
        let document = budgetflow_bus::Part::of(&json!({"a": 1})).unwrap();
        Envelope::new(Uuid::new_v4(), "部门", 2025, 1, content, document)
    }

    #[tokio::test]
    async fn records_survive_reopening_and_the_first_wins() {
        let dir = tempfile::tempdir().unwrap();
        let first = envelope(b"one");
        let key = first.idempotency_key();
        {
            let store = DirectoryStore::open(dir.path()).unwrap();
            assert_eq!(store.recorded(&key).await.unwrap(), None);
            let output = RecordedOutput {
                event: Event::Validated,
                envelope: first.clone(),
            };
            store.record(&key, output).await.unwrap();
            let second = RecordedOutput {
                event: Event::Rejected,
                envelope: envelope(b"two"),
            };
            store.record(&key, second).await.unwrap();
        }
        std::fs::write(dir.path().join(".tmp-1-0"), b"half a rec").unwrap();
        let reopened = DirectoryStore::open(dir.path()).unwrap();
        let recorded = reopened.recorded(&key).await.unwrap().unwrap();
        assert_eq!(recorded.event, Event::Validated);
        assert_eq!(recorded.envelope, first);
        assert_eq!(reopened.len(), 1);
        assert!(!dir.path().join(".tmp-1-0").exists());
    }

    #[tokio::test]
    async fn a_corrupt_record_is_an_error_not_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let store = DirectoryStore::open(dir.path()).unwrap();
        let key = envelope(b"x").idempotency_key();
        std::fs::write(store.path_of(&key), b"{not json").unwrap();
        assert!(store.recorded(&key).await.is_err());
    }
}
