//! What one request and one token may use: the body size, the header section, a request rate
//! per token (a token bucket: `burst` requests at once, refilled at `requests_per_minute`),
//! and how long a submission may wait for the broker before the answer is 503.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The API's limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// The largest submission body, in bytes (413 above).
    pub max_body_bytes: usize,
    /// Sustained requests per minute per token (429 with `Retry-After` above).
    pub requests_per_minute: u32,
    /// Requests a token may make at once before the rate applies.
    pub burst: u32,
    /// The longest a submission waits for the broker to take it; then the answer is 503
    /// `queue_unavailable` with `Retry-After`, and nothing of it is stored.
    pub queue_timeout: Duration,
}

/// The most header fields a request may carry (431 above, as JSON).
pub const MAX_HEADER_FIELDS: usize = 100;
/// The most bytes a request's header section (names, values, `: ` and CRLF) may take
/// (431 above, as JSON).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// What the HTTP server itself accepts before it closes the connection with a bare 431:
/// far above [`MAX_HEADER_FIELDS`] and [`MAX_HEADER_BYTES`], so that a client over those
/// is answered by the API, in JSON.
pub const SERVER_MAX_HEADER_FIELDS: usize = 1_000;
pub const SERVER_MAX_HEADER_BYTES: usize = 1024 * 1024;

/// How long a client is asked to wait after a 503 `queue_unavailable`.
pub const QUEUE_RETRY_AFTER: Duration = Duration::from_secs(30);

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: budgetflow_formats::decode::MAX_INPUT_BYTES as usize,
            requests_per_minute: 600,
            burst: 60,
            queue_timeout: Duration::from_secs(5),
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets, one per authenticated department (their number is bounded by the
/// departments registered).
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(limits: &Limits) -> RateLimiter {
        RateLimiter {
            per_second: f64::from(limits.requests_per_minute.max(1)) / 60.0,
            burst: f64::from(limits.burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `key`'s bucket, or says how long until one is available.
    pub fn take(&self, key: &str) -> Result<(), Duration> {
        self.take_at(key, Instant::now())
    }

    fn take_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate_applies_per_key() {
        let limiter = RateLimiter::new(&Limits {
            requests_per_minute: 60,
            burst: 3,
            ..Limits::default()
        });
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.take_at("miit", start).is_ok());
        }
        let wait = limiter.take_at("miit", start).unwrap_err();
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1));
        assert!(limiter.take_at("edu", start).is_ok(), "buckets are per key");
        assert!(limiter
            .take_at("miit", start + Duration::from_millis(1010))
            .is_ok());
        assert!(limiter
            .take_at("miit", start + Duration::from_millis(1020))
            .is_err());
    }
}
