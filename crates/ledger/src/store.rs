//! The connection to the ledger database and its schema.
//!
//! `sqlite://PATH` (the file is created if missing; `sqlite::memory:` is refused because
//! every pooled connection would see its own empty database) or `postgres://…`. The
//! migrations of the backend run at connect, so a fresh database is ready to use and an
//! old one is brought up to date.

use std::str::FromStr;

use chrono::{SecondsFormat, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::AnyPool;

use crate::error::LedgerError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database the ledger is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a URL names.
    pub fn of_url(url: &str) -> Result<Backend, LedgerError> {
        if url.starts_with("sqlite:") && !url.contains(":memory:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(LedgerError::UnsupportedUrl(url.to_owned()))
        }
    }
}

/// The ledger database. Cheap to clone (a connection pool).
#[derive(Clone, Debug)]
pub struct Ledger {
    pub(crate) pool: AnyPool,
    backend: Backend,
}

impl Ledger {
    /// Connects to `url`, creating a SQLite file if it does not exist, and runs the
    /// migrations.
    pub async fn connect(url: &str) -> Result<Ledger, LedgerError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        if backend == Backend::Sqlite {
            create_parent_directory(url)?;
        }
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            .connect_with(options)
            .await?;
        if backend == Backend::Sqlite {
            // Readers do not wait for the writer; the mode is stored in the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        Ok(Ledger { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Answers when the database does (readiness).
    pub async fn ping(&self) -> Result<(), LedgerError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection; later operations fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Row counts of the tables, in the order departments, submissions, versions, events
    /// (operations and tests: "bad input stores nothing").
    pub async fn row_counts(&self) -> Result<[i64; 4], LedgerError> {
        let mut counts = [0; 4];
        for (count, table) in
            counts
                .iter_mut()
                .zip(["departments", "submissions", "versions", "events"])
        {
            let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&self.pool)
                .await?;
            *count = n;
        }
        Ok(counts)
    }
}

/// Creates the directory a SQLite file is to be created in.
fn create_parent_directory(url: &str) -> Result<(), LedgerError> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| LedgerError::Database(sqlx::Error::Io(e)))?;
    }
    Ok(())
}

/// Now, as stored: UTC RFC 3339 with microseconds (sorts as text).
pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_backend() {
        assert_eq!(
            Backend::of_url("sqlite://ledger.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::of_url("sqlite:ledger.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::of_url("postgres://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::of_url("sqlite::memory:").is_err());
        assert!(Backend::of_url("mysql://h/db").is_err());
        assert!(Backend::of_url("ledger.db").is_err());
    }
}
