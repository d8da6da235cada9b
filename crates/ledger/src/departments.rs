//! Departments, the bureau, and their API tokens.
//!
//! A token is 32 random bytes from the operating system, shown once (hex, prefixed `bft_`)
//! when a department is added or its token rotated; the ledger keeps only its SHA-256.
//! A fast hash is right here, unlike for passwords: a token has 256 bits of entropy, so
//! nobody can guess one from a stolen hash however fast they hash, and a slow hash would only
//! slow every API request down. Rotating replaces the hash: the old token stops working at
//! once.

use std::fmt;

use rand::rngs::OsRng;
use rand::TryRngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::LedgerError;
use crate::store::{now, Ledger};

/// What a token allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Submits and reads its own department's submissions.
    Department,
    /// The finance bureau: reads every department's submissions.
    Bureau,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Department => "department",
            Role::Bureau => "bureau",
        }
    }

    fn parse(name: &str) -> Result<Role, LedgerError> {
        match name {
            "department" => Ok(Role::Department),
            "bureau" => Ok(Role::Bureau),
            other => Err(LedgerError::Corrupt(format!("role `{other}`"))),
        }
    }
}

/// A department's short code (`miit`, `501001`): the model's one definition, which also names
/// its publications' directories.
pub use budgetflow_model::DepartmentCode;

/// A registered department (or the bureau).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Department {
    pub code: DepartmentCode,
    /// The name as the department's disclosures print it (`乌鲁木齐市工业和信息化局`);
    /// a department submits only documents of this name.
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub rotated_at: Option<String>,
}

/// A freshly issued API token. It is never stored; its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    fn generate() -> Result<Token, LedgerError> {
        let mut bytes = [0u8; 32];
        OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| LedgerError::Randomness(e.to_string()))?;
        Ok(Token(format!("bft_{}", hex::encode(bytes))))
    }

    /// The token itself, to show once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// What the ledger stores of a token.
fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

const DEPARTMENT_COLUMNS: &str = "code, name, role, created_at, rotated_at";

fn department(row: &AnyRow) -> Result<Department, LedgerError> {
    Ok(Department {
        code: DepartmentCode::new(&row.try_get::<String, _>("code")?).map_err(|invalid| {
            LedgerError::Corrupt(format!("department code `{}`", invalid.shown))
        })?,
        name: row.try_get("name")?,
        role: Role::parse(&row.try_get::<String, _>("role")?)?,
        created_at: row.try_get("created_at")?,
        rotated_at: row.try_get("rotated_at")?,
    })
}

impl Ledger {
    /// Registers a department (or the bureau) and returns its token, which is shown once.
    pub async fn add_department(
        &self,
        code: &DepartmentCode,
        name: &str,
        role: Role,
    ) -> Result<Token, LedgerError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(LedgerError::InvalidName(name.to_owned()));
        }
        let token = Token::generate()?;
        let inserted = sqlx::query(
            "INSERT INTO departments (code, name, role, token_sha256, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(code.as_str())
        .bind(name)
        .bind(role.as_str())
        .bind(token_hash(token.expose()))
        .bind(now())
        .execute(&self.pool)
        .await;
        match inserted {
            Ok(_) => Ok(token),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(LedgerError::DuplicateDepartment(format!("{code} / {name}")))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Issues a new token for `code`; the old one stops working.
    pub async fn rotate_token(&self, code: &DepartmentCode) -> Result<Token, LedgerError> {
        let token = Token::generate()?;
        let updated = sqlx::query(
            "UPDATE departments SET token_sha256 = $1, rotated_at = $2 WHERE code = $3",
        )
        .bind(token_hash(token.expose()))
        .bind(now())
        .bind(code.as_str())
        .execute(&self.pool)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(LedgerError::UnknownDepartment(code.to_string()));
        }
        Ok(token)
    }

    /// Every registered department, by code.
    pub async fn departments(&self) -> Result<Vec<Department>, LedgerError> {
        let rows = sqlx::query(&format!(
            "SELECT {DEPARTMENT_COLUMNS} FROM departments ORDER BY code"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(department).collect()
    }

    /// The department `code`, if registered.
    pub async fn department(
        &self,
        code: &DepartmentCode,
    ) -> Result<Option<Department>, LedgerError> {
        let row = sqlx::query(&format!(
            "SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE code = $1"
        ))
        .bind(code.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(department).transpose()
    }

    /// The department whose disclosures print `name`, if registered.
    pub async fn department_named(&self, name: &str) -> Result<Option<Department>, LedgerError> {
        let row = sqlx::query(&format!(
            "SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE name = $1 AND role = 'department'"
        ))
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(department).transpose()
    }

    /// Whose token `token` is; `None` for a token nobody holds.
    pub async fn authenticate(&self, token: &str) -> Result<Option<Department>, LedgerError> {
        let row = sqlx::query(&format!(
            "SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE token_sha256 = $1"
        ))
        .bind(token_hash(token))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(department).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_and_plain() {
        assert!(DepartmentCode::new("miit").is_ok());
        assert!(DepartmentCode::new("501-001_a").is_ok());
        for bad in ["", "工信局", "a b", "a/b", &"x".repeat(33)] {
            assert!(
                matches!(
                    DepartmentCode::new(bad).map_err(LedgerError::from),
                    Err(LedgerError::InvalidCode(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn tokens_are_random_hidden_in_debug_and_hashed() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 4 + 64);
        assert!(a.expose().starts_with("bft_"));
        assert!(!format!("{a:?}").contains(&a.expose()[4..]));
        assert_eq!(token_hash(a.expose()).len(), 64);
        assert_ne!(token_hash(a.expose()), token_hash(b.expose()));
    }
}
