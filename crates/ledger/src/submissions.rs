//! Submissions: recording one as received (its original bytes, its version, its first
//! event, in one transaction) and reading them back for the API.

use budgetflow_bus::Failure;
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

use crate::departments::DepartmentCode;
use crate::error::LedgerError;
use crate::state::SubmissionState;
use crate::store::{now, Backend, Ledger};

/// How often recording is retried when another submission of the same department and year
/// took the version number first (PostgreSQL; SQLite serialises writers).
const VERSION_RACE_RETRIES: u32 = 8;

/// A submission about to be recorded.
#[derive(Clone, Copy, Debug)]
pub struct NewSubmission<'a> {
    /// The content-hash id (`budgetflow_ingest::submission::submission_id`).
    pub id: Uuid,
    pub department: &'a DepartmentCode,
    pub fiscal_year: i32,
    /// The media type it was submitted as.
    pub content_type: &'a str,
    /// The original bytes, as submitted.
    pub content: &'a [u8],
    /// SHA-256 of `content`, lowercase hex.
    pub content_sha256: &'a str,
}

/// What recording did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    /// The submission's version among its department's submissions for the year (1, 2, …).
    pub version: u32,
    /// `false` when the same bytes had been submitted before (nothing was written).
    pub created: bool,
}

/// One line of a submission's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub state: SubmissionState,
    pub at: String,
}

/// A submission as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubmissionSummary {
    pub id: Uuid,
    pub department: DepartmentCode,
    pub fiscal_year: i32,
    pub version: u32,
    pub state: SubmissionState,
    pub received_at: String,
    pub updated_at: String,
    /// Why it failed: the stage that gave up and its reason (`failed` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

/// A submission with everything the pipeline said about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Submission {
    #[serde(flatten)]
    pub summary: SubmissionSummary,
    pub department_name: String,
    pub content_type: String,
    pub content_sha256: String,
    pub bytes: u64,
    /// The validator's findings (counts and each finding), once validated or rejected.
    pub findings: Value,
    /// The performance-target review, once scored.
    pub scores: Value,
    /// Where it was published, or why it failed.
    pub publication: Value,
    /// Every state it went through, with when.
    pub history: Vec<HistoryEntry>,
}

/// A submission's original bytes and the media type they were submitted as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Content {
    pub id: Uuid,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Which submissions to list; `None` matches all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub department: Option<DepartmentCode>,
    pub fiscal_year: Option<i32>,
    pub state: Option<SubmissionState>,
}

const SUMMARY_COLUMNS: &str = "s.id, s.department_code, s.fiscal_year, v.version, s.state, \
     s.received_at, s.updated_at, s.failure_stage, s.failure_reason";

fn summary(row: &AnyRow) -> Result<SubmissionSummary, LedgerError> {
    let id: String = row.try_get("id")?;
    let state: String = row.try_get("state")?;
    let fiscal_year: i64 = row.try_get("fiscal_year")?;
    let version: i64 = row.try_get("version")?;
    Ok(SubmissionSummary {
        id: Uuid::parse_str(&id).map_err(|_| LedgerError::Corrupt(format!("id `{id}`")))?,
        department: DepartmentCode::new(&row.try_get::<String, _>("department_code")?)?,
        fiscal_year: i32::try_from(fiscal_year)
            .map_err(|_| LedgerError::Corrupt(format!("year {fiscal_year}")))?,
        version: u32::try_from(version)
            .map_err(|_| LedgerError::Corrupt(format!("version {version}")))?,
        state: SubmissionState::parse(&state)
            .ok_or_else(|| LedgerError::Corrupt(format!("state `{state}`")))?,
        received_at: row.try_get("received_at")?,
        updated_at: row.try_get("updated_at")?,
        failure: match (
            row.try_get::<Option<String>, _>("failure_stage")?,
            row.try_get::<Option<String>, _>("failure_reason")?,
        ) {
            (Some(stage), Some(reason)) => Some(Failure { stage, reason }),
            _ => None,
        },
    })
}

impl Ledger {
    /// Stores a submission's bytes, its version and its `received` event in one
    /// transaction. The same id twice writes nothing the second time.
    pub async fn record_received(&self, new: NewSubmission<'_>) -> Result<Received, LedgerError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_record_received(new).await {
                Err(LedgerError::Database(sqlx::Error::Database(e)))
                    if e.is_unique_violation() && attempt < VERSION_RACE_RETRIES => {}
                other => return other,
            }
        }
    }

    async fn try_record_received(&self, new: NewSubmission<'_>) -> Result<Received, LedgerError> {
        let id = new.id.to_string();
        let at = now();
        let mut tx = self.pool.begin().await?;
        // One submission of a department at a time gets its version: PostgreSQL takes a row
        // lock on the department first (NO KEY UPDATE does not conflict with the key-share
        // locks the foreign keys take, so it cannot deadlock with them). SQLite serialises
        // writers anyway: the write comes first so that it takes the write lock at once (a read
        // first would have to upgrade its lock and could fail instead of waiting).
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT code FROM departments WHERE code = $1 FOR NO KEY UPDATE")
                .bind(new.department.as_str())
                .execute(&mut *tx)
                .await?;
        }
        let inserted = sqlx::query(
            "INSERT INTO submissions (id, department_code, fiscal_year, state, content_type, \
             content_sha256, content, received_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&id)
        .bind(new.department.as_str())
        .bind(i64::from(new.fiscal_year))
        .bind(SubmissionState::Received.as_str())
        .bind(new.content_type)
        .bind(new.content_sha256)
        .bind(new.content)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            tx.rollback().await?;
            let (version,): (i64,) =
                sqlx::query_as("SELECT version FROM versions WHERE submission_id = $1")
                    .bind(&id)
                    .fetch_one(&self.pool)
                    .await?;
            return Ok(Received {
                version: version as u32,
                created: false,
            });
        }
        let (previous,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM versions \
             WHERE department_code = $1 AND fiscal_year = $2",
        )
        .bind(new.department.as_str())
        .bind(i64::from(new.fiscal_year))
        .fetch_one(&mut *tx)
        .await?;
        let version = previous + 1;
        sqlx::query(
            "INSERT INTO versions (department_code, fiscal_year, version, submission_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(new.department.as_str())
        .bind(i64::from(new.fiscal_year))
        .bind(version)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        let payload = json!({
            "content_type": new.content_type,
            "bytes": new.content.len(),
            "version": version,
        });
        sqlx::query(
            "INSERT INTO events (submission_id, kind, at, payload) VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(SubmissionState::Received.as_str())
        .bind(&at)
        .bind(payload.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Received {
            version: u32::try_from(version)
                .map_err(|_| LedgerError::Corrupt(format!("version {version}")))?,
            created: true,
        })
    }

    /// Withdraws submission `id` whole — bytes, version, its `received` event — if nothing
    /// but `received` ever happened to it: the API does this when the broker did not take
    /// the submission in time, so that a 503 stores nothing. `false` (and nothing changed)
    /// once any stage reported on it, which shows it did reach the bus after all.
    pub async fn withdraw(&self, id: Uuid) -> Result<bool, LedgerError> {
        let id = id.to_string();
        let mut tx = self.pool.begin().await?;
        // PostgreSQL: the row lock makes a concurrent event (whose foreign key takes a share
        // lock on the row) wait for the withdrawal, or the withdrawal for it. SQLite: the
        // first statement writes, so the transaction holds the write lock from the start.
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT id FROM submissions WHERE id = $1 AND state = $2 FOR UPDATE")
                .bind(&id)
                .bind(SubmissionState::Received.as_str())
                .execute(&mut *tx)
                .await?;
        }
        let deleted = sqlx::query(
            "DELETE FROM events WHERE submission_id = $1 AND kind = $2 \
             AND NOT EXISTS (SELECT 1 FROM events e WHERE e.submission_id = $1 AND e.kind <> $2) \
             AND EXISTS (SELECT 1 FROM submissions s WHERE s.id = $1 AND s.state = $2)",
        )
        .bind(&id)
        .bind(SubmissionState::Received.as_str())
        .execute(&mut *tx)
        .await?;
        if deleted.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("DELETE FROM versions WHERE submission_id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM submissions WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// One submission with its findings, scores, publication and history.
    pub async fn submission(&self, id: Uuid) -> Result<Option<Submission>, LedgerError> {
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS}, d.name AS department_name, s.content_type, \
             s.content_sha256, CAST(LENGTH(s.content) AS BIGINT) AS bytes \
             FROM submissions s \
             JOIN versions v ON v.submission_id = s.id \
             JOIN departments d ON d.code = s.department_code \
             WHERE s.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let events = sqlx::query(
            "SELECT kind, at, payload FROM events WHERE submission_id = $1 ORDER BY seq",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut submission = Submission {
            summary: summary(&row)?,
            department_name: row.try_get("department_name")?,
            content_type: row.try_get("content_type")?,
            content_sha256: row.try_get("content_sha256")?,
            bytes: row.try_get::<i64, _>("bytes")?.max(0) as u64,
            findings: Value::Null,
            scores: Value::Null,
            publication: Value::Null,
            history: Vec::with_capacity(events.len()),
        };
        for event in &events {
            let kind: String = event.try_get("kind")?;
            let payload: String = event.try_get("payload")?;
            let payload: Value = serde_json::from_str(&payload)
                .map_err(|e| LedgerError::Corrupt(format!("event payload: {e}")))?;
            for (field, value) in [
                ("findings", &mut submission.findings),
                ("scores", &mut submission.scores),
                ("publication", &mut submission.publication),
            ] {
                if let Some(found) = payload.get(field).filter(|v| !v.is_null()) {
                    *value = found.clone();
                }
            }
            submission.history.push(HistoryEntry {
                state: SubmissionState::parse(&kind)
                    .ok_or_else(|| LedgerError::Corrupt(format!("event kind `{kind}`")))?,
                at: event.try_get("at")?,
            });
        }
        Ok(Some(submission))
    }

    /// The original bytes of a submission.
    pub async fn content(&self, id: Uuid) -> Result<Option<Vec<u8>>, LedgerError> {
        let row: Option<(Vec<u8>,)> =
            sqlx::query_as("SELECT content FROM submissions WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(content,)| content))
    }

    /// The latest published version of department `code`'s disclosure for `fiscal_year`:
    /// its id, media type and original bytes (the validate stage's year-over-year lookup).
    /// `None` when nothing of that year was published.
    pub async fn latest_published(
        &self,
        code: &DepartmentCode,
        fiscal_year: i32,
    ) -> Result<Option<Content>, LedgerError> {
        let row = sqlx::query(
            "SELECT s.id, s.content_type, s.content FROM submissions s \
             JOIN versions v ON v.submission_id = s.id \
             WHERE s.department_code = $1 AND s.fiscal_year = $2 AND s.state = $3 \
             ORDER BY v.version DESC LIMIT 1",
        )
        .bind(code.as_str())
        .bind(i64::from(fiscal_year))
        .bind(SubmissionState::Published.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: String = row.try_get("id")?;
        Ok(Some(Content {
            id: Uuid::parse_str(&id).map_err(|_| LedgerError::Corrupt(format!("id `{id}`")))?,
            content_type: row.try_get("content_type")?,
            bytes: row.try_get("content")?,
        }))
    }

    /// The submissions `filter` matches, oldest first.
    pub async fn submissions(
        &self,
        filter: &Filter,
    ) -> Result<Vec<SubmissionSummary>, LedgerError> {
        let mut conditions = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        if let Some(department) = &filter.department {
            binds.push(Bind::Text(department.as_str().to_owned()));
            conditions.push(format!("s.department_code = ${}", binds.len()));
        }
        if let Some(year) = filter.fiscal_year {
            binds.push(Bind::Int(i64::from(year)));
            conditions.push(format!("s.fiscal_year = ${}", binds.len()));
        }
        if let Some(state) = filter.state {
            binds.push(Bind::Text(state.as_str().to_owned()));
            conditions.push(format!("s.state = ${}", binds.len()));
        }
        let condition = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM submissions s \
             JOIN versions v ON v.submission_id = s.id {condition} \
             ORDER BY s.received_at, s.id"
        );
        let mut query = sqlx::query(&sql);
        for bind in binds {
            query = match bind {
                Bind::Text(text) => query.bind(text),
                Bind::Int(int) => query.bind(int),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(summary).collect()
    }
}

/// A value bound to a dynamically built query.
enum Bind {
    Text(String),
    Int(i64),
}
