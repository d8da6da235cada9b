//! What every answer and every request header section is held to.
//!
//! - **Header limits**: a request with more than [`MAX_HEADER_FIELDS`] header fields or more
//!   than [`MAX_HEADER_BYTES`] of them is answered 431 in the API's JSON error shape. The HTTP
//!   server's own limits ([`SERVER_MAX_HEADER_FIELDS`], [`SERVER_MAX_HEADER_BYTES`]) lie far
//!   above, so only a request beyond those meets hyper's bare 431 (and a closed connection).
//! - **JSON for the router's own answers**: a 405 (a route without the method, or the
//!   read-only site) gets the JSON error body docs/api.md promises; its `Allow` stays.
//! - **`X-Content-Type-Options: nosniff`** on every answer: the site serves open data (CSV,
//!   JSON, XLSX) whose text a browser must never take for a page or a script.
//! - **The site's `Content-Security-Policy`** ([`SITE_CSP`]): its pages are static HTML with
//!   one inline `<style>` and nothing else — no script runs, nothing loads from anywhere.
//!   The dashboard sets its own, stricter one ([`crate::dashboard`]).

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
pub use super::limits::{
    MAX_HEADER_BYTES, MAX_HEADER_FIELDS, SERVER_MAX_HEADER_BYTES, SERVER_MAX_HEADER_FIELDS,
};

/// The published site's policy: no script, no plugin, no external anything; the pages'
/// inline `<style>` only (the publish stage renders it, so its hash is not known here). The
/// same policy as `budgetflow_publish::html::CONTENT_SECURITY_POLICY`, which the publisher
/// states for any server of the site (a test keeps the two equal: this crate serves the site
/// without depending on the publisher).
pub const SITE_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'";

/// Refuses a header section over the API's limits with a JSON 431.
pub async fn limit_headers(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers.len() > MAX_HEADER_FIELDS || bytes > MAX_HEADER_BYTES {
        return ApiError::headers_too_large(MAX_HEADER_FIELDS, MAX_HEADER_BYTES).into_response();
    }
    next.run(request).await
}

/// `nosniff` on every answer; a bodiless 405 gets the JSON error.
pub async fn every_answer(response: Response) -> Response {
    let mut response = if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && !response.headers().contains_key(CONTENT_TYPE)
    {
        let (parts, _) = response.into_parts();
        let mut json = ApiError::method_not_allowed().into_response();
        for (name, value) in parts.headers.iter() {
            json.headers_mut().insert(name, value.clone());
        }
        json.headers_mut()
            .remove(axum::http::header::CONTENT_LENGTH);
        json
    } else {
        response
    };
    response
        .headers_mut()
        .insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// The site's policy on everything served under it.
pub async fn site_answer(mut response: Response<Body>) -> Response<Body> {
    response
        .headers_mut()
        .insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(SITE_CSP));
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_site_is_served_under_the_policy_its_publisher_states() {
        assert_eq!(
            super::SITE_CSP,
            budgetflow_publish::html::CONTENT_SECURITY_POLICY
        );
    }
}
