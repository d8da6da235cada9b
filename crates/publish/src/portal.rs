//! The HTTP portal sink: a publication pushed to the public portal in one signed request.
//!
//! One `POST` per publication carries the whole bundle as JSON ([`body`]): the manifest
//! (every artifact's path, media type, size, SHA-256 and the version) and every artifact's
//! bytes in base64, so the portal receives a publication whole or not at all. Headers:
//!
//! - `Idempotency-Key: <submission id>:<content sha256>` — the same submission's content is
//!   published once however often it is sent;
//! - `X-Budgetflow-Signature: sha256=<hex HMAC-SHA256 of the body under the shared secret>`.
//!
//! A 2xx is success. A 5xx, 408, 429, a timeout or a connection failure is retried here with
//! exponential backoff up to the configured attempts, then reported as
//! [`PortalError::Unavailable`] (transient: the stage retries the message later). Any other
//! status is [`PortalError::Refused`] with the portal's reason: sending the same body again
//! cannot help, so the stage dead-letters it. Redirects are not followed. The secret is never
//! logged or printed. [`Receipts`] remembers what was delivered, so a redelivered message does
//! not POST again.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde::Serialize;
use sha2::Sha256;
use thiserror::Error;

use crate::bundle::Bundle;
use crate::directory::{write_once, WriteError};
use crate::manifest::Manifest;

/// The header carrying the body's signature.
pub const SIGNATURE_HEADER: &str = "X-Budgetflow-Signature";
/// The header carrying the idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// The schema string of the request body.
pub const SCHEMA: &str = "budgetflow.portal/1";

/// Most characters of a refusing portal's response body kept in the error.
const REASON_CHARS: usize = 500;

/// The portal's shared secret; its `Debug` form does not show it.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Secret(bytes.into())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Where and how to push.
#[derive(Clone, Debug)]
pub struct PortalConfig {
    /// The URL publications are POSTed to.
    pub endpoint: String,
    pub secret: Secret,
    /// The longest one request may take, connecting included.
    pub timeout: Duration,
    /// Requests per push at most (at least one).
    pub attempts: u32,
    /// The wait after the first failed attempt; it doubles after each.
    pub backoff: Duration,
}

/// Why a publication was not delivered.
#[derive(Debug, Error)]
pub enum PortalError {
    /// The configured endpoint is not a usable URL.
    #[error("portal endpoint `{endpoint}` is not an http(s) URL: {reason}")]
    BadEndpoint { endpoint: String, reason: String },
    /// An endpoint is configured without the secret to sign with.
    #[error("portal endpoint `{endpoint}` is configured without a secret to sign with")]
    NoSecret { endpoint: String },
    /// The portal answered with a status that retrying cannot change.
    #[error("the portal refused the publication (HTTP {status}): {reason}")]
    Refused { status: u16, reason: String },
    /// Every attempt failed transiently.
    #[error("the portal did not accept the publication after {attempts} attempts: {last}")]
    Unavailable { attempts: u32, last: String },
}

impl PortalError {
    /// Sending the same publication again cannot succeed.
    pub fn is_permanent(&self) -> bool {
        !matches!(self, PortalError::Unavailable { .. })
    }
}

/// A successful push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivered {
    /// The portal's (2xx) status.
    pub status: u16,
    /// Requests it took.
    pub attempts: u32,
}

/// A portal client.
#[derive(Clone, Debug)]
pub struct Portal {
    client: reqwest::Client,
    endpoint: reqwest::Url,
    secret: Secret,
    attempts: u32,
    backoff: Duration,
}

impl Portal {
    pub fn new(config: PortalConfig) -> Result<Portal, PortalError> {
        let bad = |reason: String| PortalError::BadEndpoint {
            endpoint: config.endpoint.clone(),
            reason,
        };
        if config.secret.0.is_empty() {
            return Err(PortalError::NoSecret {
                endpoint: config.endpoint,
            });
        }
        let endpoint = reqwest::Url::parse(&config.endpoint).map_err(|e| bad(e.to_string()))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(bad(format!("scheme `{}`", endpoint.scheme())));
        }
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| bad(e.to_string()))?;
        Ok(Portal {
            client,
            endpoint,
            secret: config.secret,
            attempts: config.attempts.max(1),
            backoff: config.backoff,
        })
    }

    /// POSTs `body` with its signature and `idempotency_key`, retrying transient failures.
    pub async fn push(
        &self,
        idempotency_key: &str,
        body: Vec<u8>,
    ) -> Result<Delivered, PortalError> {
        let signature = sign(&self.secret, &body);
        let mut last = String::new();
        for attempt in 1..=self.attempts {
            if attempt > 1 {
                let doublings = (attempt - 2).min(16);
                tokio::time::sleep(self.backoff.saturating_mul(1 << doublings)).await;
            }
            let sent = self
                .client
                .post(self.endpoint.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(IDEMPOTENCY_HEADER, idempotency_key)
                .header(SIGNATURE_HEADER, &signature)
                .body(body.clone())
                .send()
                .await;
            let response = match sent {
                Ok(response) => response,
                Err(error) => {
                    last = describe(&error);
                    continue;
                }
            };
            let status = response.status();
            if status.is_success() {
                return Ok(Delivered {
                    status: status.as_u16(),
                    attempts: attempt,
                });
            }
            let reason = reason(response).await;
            if is_transient(status) {
                last = format!("HTTP {}: {reason}", status.as_u16());
                continue;
            }
            return Err(PortalError::Refused {
                status: status.as_u16(),
                reason,
            });
        }
        Err(PortalError::Unavailable {
            attempts: self.attempts,
            last,
        })
    }
}

fn is_transient(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
}

/// A failed request in a few words (the URL is the configured one; no secret is in it).
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    format!("{kind}: {error}")
}

/// The start of a response's body, or its status text.
async fn reason(response: reqwest::Response) -> String {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let text = text.trim();
    if text.is_empty() {
        status.canonical_reason().unwrap_or("").to_owned()
    } else {
        text.chars().take(REASON_CHARS).collect()
    }
}

/// `sha256=<hex>`: the HMAC-SHA256 of `body` under `secret`, as sent in [`SIGNATURE_HEADER`].
pub fn sign(secret: &Secret, body: &[u8]) -> String {
    format!(
        "sha256={}",
        hex::encode(mac(secret, body).finalize().into_bytes())
    )
}

/// Whether `header` is `body`'s signature under `secret` (compared in constant time): what a
/// portal checks before accepting a request.
pub fn verify(secret: &Secret, body: &[u8], header: &str) -> bool {
    let Some(tag) = header
        .strip_prefix("sha256=")
        .and_then(|hex_tag| hex::decode(hex_tag).ok())
    else {
        return false;
    };
    mac(secret, body).verify_slice(&tag).is_ok()
}

fn mac(secret: &Secret, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length: `new_from_slice` cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret.0).expect("any key length");
    mac.update(body);
    mac
}

/// What the publication is, for the request body.
#[derive(Clone, Copy, Debug)]
pub struct Submission<'a> {
    pub submission_id: &'a str,
    pub content_sha256: &'a str,
}

#[derive(Serialize)]
struct Body<'a> {
    schema: &'static str,
    submission_id: &'a str,
    content_sha256: &'a str,
    manifest: Manifest,
    artifacts: Vec<BodyArtifact<'a>>,
}

#[derive(Serialize)]
struct BodyArtifact<'a> {
    path: &'a str,
    media_type: &'a str,
    content_base64: String,
}

/// The request body of a publication: `{"schema": "budgetflow.portal/1", "submission_id",
/// "content_sha256", "manifest": {…}, "artifacts": [{"path", "media_type",
/// "content_base64"}]}`.
pub fn body(submission: Submission<'_>, bundle: &Bundle) -> Vec<u8> {
    let engine = base64::engine::general_purpose::STANDARD;
    let body = Body {
        schema: SCHEMA,
        submission_id: submission.submission_id,
        content_sha256: submission.content_sha256,
        manifest: Manifest::of(bundle),
        artifacts: bundle
            .artifacts
            .iter()
            .map(|artifact| BodyArtifact {
                path: &artifact.path,
                media_type: artifact.media_type,
                content_base64: engine.encode(&artifact.bytes),
            })
            .collect(),
    };
    serde_json::to_vec(&body).expect("a request body serialises")
}

/// The record of publications the portal accepted, one small file per idempotency key, so a
/// redelivered message is not sent again.
#[derive(Clone, Debug)]
pub struct Receipts {
    dir: PathBuf,
}

impl Receipts {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Receipts { dir: dir.into() }
    }

    /// The delivery recorded for `key`, if any.
    pub fn get(&self, key: &str) -> Option<Delivered> {
        let text = std::fs::read_to_string(self.dir.join(file_name(key))).ok()?;
        let (status, attempts) = text.trim().split_once(' ')?;
        Some(Delivered {
            status: status.parse().ok()?,
            attempts: attempts.parse().ok()?,
        })
    }

    /// Records that `key` was delivered.
    pub fn record(&self, key: &str, delivered: Delivered) -> Result<(), WriteError> {
        let line = format!("{} {}\n", delivered.status, delivered.attempts);
        write_once(&self.dir, &file_name(key), line.as_bytes()).map(|_| ())
    }
}

fn file_name(key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.receipt")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_with_the_same_secret_and_body() {
        let secret = Secret::new("s3cret");
        let signature = sign(&secret, b"body");
        assert!(signature.starts_with("sha256="));
        assert_eq!(signature.len(), "sha256=".len() + 64);
        assert!(verify(&secret, b"body", &signature));
        assert!(!verify(&secret, b"body!", &signature));
        assert!(!verify(&Secret::new("other"), b"body", &signature));
        assert!(!verify(&secret, b"body", "sha256=zz"));
        assert!(!verify(&secret, b"body", &signature[7..]));
    }

    #[test]
    fn the_secret_is_not_printed() {
        let config = PortalConfig {
            endpoint: "http://127.0.0.1:1/".into(),
            secret: Secret::new("s3cret"),
            timeout: Duration::from_secs(1),
            attempts: 1,
            backoff: Duration::ZERO,
        };
        assert!(!format!("{config:?}").contains("s3cret"));
        let portal = Portal::new(config).unwrap();
        assert!(!format!("{portal:?}").contains("s3cret"));
    }

    #[test]
    fn an_endpoint_that_is_not_http_is_refused() {
        for endpoint in ["not a url", "ftp://portal/"] {
            let error = Portal::new(PortalConfig {
                endpoint: endpoint.into(),
                secret: Secret::new("s"),
                timeout: Duration::from_secs(1),
                attempts: 1,
                backoff: Duration::ZERO,
            })
            .unwrap_err();
            assert!(
                matches!(error, PortalError::BadEndpoint { .. }),
                "{endpoint}"
            );
            assert!(error.is_permanent());
        }
        let unsigned = Portal::new(PortalConfig {
            endpoint: "https://portal.example/".into(),
            secret: Secret::new(""),
            timeout: Duration::from_secs(1),
            attempts: 1,
            backoff: Duration::ZERO,
        });
        assert!(matches!(unsigned, Err(PortalError::NoSecret { .. })));
    }

    #[test]
    fn receipts_remember_deliveries_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let receipts = Receipts::new(dir.path());
        let key = "8f0c…:abc";
        assert_eq!(receipts.get(key), None);
        let delivered = Delivered {
            status: 201,
            attempts: 2,
        };
        receipts.record(key, delivered).unwrap();
        assert_eq!(receipts.get(key), Some(delivered));
        assert_eq!(receipts.get("another"), None);
    }
}
