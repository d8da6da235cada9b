//! Throw-away ledgers for tests and `budgetflow bench`: a SQLite file in a temporary
//! directory, or — when `DATABASE_URL` (or the bench's `--database`) names a PostgreSQL
//! server — a fresh database created on it, so that tests running at once never share
//! tables. [`Scratch::drop_database`] removes it afterwards.

use sqlx::Connection;
use uuid::Uuid;

use crate::error::LedgerError;
use crate::store::Ledger;

/// The variable naming the PostgreSQL server tests also run against.
pub const DATABASE_URL_VARIABLE: &str = "DATABASE_URL";

/// Where a scratch ledger lives.
#[derive(Debug)]
enum Place {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

/// A scratch ledger and what to remove after.
#[derive(Debug)]
pub struct Scratch {
    pub ledger: Ledger,
    pub url: String,
    place: Place,
}

impl Scratch {
    /// A fresh SQLite ledger in a temporary directory.
    pub async fn sqlite() -> Result<Scratch, LedgerError> {
        let dir = tempfile::tempdir().map_err(|e| LedgerError::Database(sqlx::Error::Io(e)))?;
        let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
        Ok(Scratch {
            ledger: Ledger::connect(&url).await?,
            url,
            place: Place::Sqlite(dir),
        })
    }

    /// A fresh PostgreSQL database on the server of `DATABASE_URL`, or `None` when the
    /// variable is not set.
    pub async fn postgres() -> Result<Option<Scratch>, LedgerError> {
        let Ok(admin_url) = std::env::var(DATABASE_URL_VARIABLE) else {
            return Ok(None);
        };
        Scratch::postgres_on(&admin_url).await.map(Some)
    }

    /// A fresh PostgreSQL database on the server of `admin_url` (a `postgres://` URL whose
    /// user may create databases).
    pub async fn postgres_on(admin_url: &str) -> Result<Scratch, LedgerError> {
        let admin_url = admin_url.to_owned();
        let name = format!("budgetflow_test_{}", Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        let url = with_database(&admin_url, &name);
        Ok(Scratch {
            ledger: Ledger::connect(&url).await?,
            url,
            place: Place::Postgres { admin_url, name },
        })
    }

    /// Closes the ledger and removes its database.
    pub async fn drop_database(self) -> Result<(), LedgerError> {
        self.ledger.close().await;
        match self.place {
            Place::Sqlite(dir) => drop(dir),
            Place::Postgres { admin_url, name } => {
                let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await?;
                admin.close().await?;
            }
        }
        Ok(())
    }
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/db?sslmode=disable", "t2"),
            "postgres://u:p@h/t2?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t3"), "postgres://h/t3");
    }
}
