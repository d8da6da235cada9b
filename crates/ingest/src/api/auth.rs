//! Who is calling: `Authorization: Bearer <token>` looked up in the ledger (401 without a
//! valid token), then the caller's rate limit (429).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use budgetflow_ledger::{Department, Role};

use super::error::ApiError;
use super::ApiState;

/// The authenticated department (or the bureau) making the request.
#[derive(Clone, Debug)]
pub struct Caller(pub Department);

impl Caller {
    pub fn is_bureau(&self) -> bool {
        self.0.role == Role::Bureau
    }

    /// Whether the caller may see submissions of department `code`.
    pub fn may_read(&self, code: &str) -> bool {
        self.is_bureau() || self.0.code.as_str() == code
    }
}

/// The token of an `Authorization` value in the `Bearer` scheme, whose name is
/// case-insensitive (RFC 9110 §11.1): `Bearer t`, `bearer t`, `BEARER t`.
pub fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once([' ', '\t'])?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequestParts<ApiState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Caller, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
            ApiError::unauthorized(
                "缺少 Authorization 请求头：请以 `Authorization: Bearer <令牌>` 提供本部门的令牌",
                "missing Authorization header: send `Authorization: Bearer <token>` with your department's token",
            )
        })?;
        let token = header.to_str().ok().and_then(bearer_token).ok_or_else(|| {
            ApiError::unauthorized(
                "Authorization 请求头格式错误：应为 `Bearer <令牌>`",
                "malformed Authorization header: expected `Bearer <token>`",
            )
        })?;
        let department = state.ledger.authenticate(token).await?.ok_or_else(|| {
            ApiError::unauthorized("令牌无效或已被轮换", "invalid token (unknown, or rotated)")
        })?;
        state
            .rate
            .take(department.code.as_str())
            .map_err(ApiError::rate_limited)?;
        Ok(Caller(department))
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_scheme_is_case_insensitive_and_the_token_required() {
        for (value, token) in [
            ("Bearer bft_1", Some("bft_1")),
            ("bearer bft_1", Some("bft_1")),
            ("BEARER  bft_1 ", Some("bft_1")),
            ("Bearer", None),
            ("Bearer   ", None),
            ("Basic bft_1", None),
            ("Bearerbft_1", None),
        ] {
            assert_eq!(bearer_token(value), token, "{value:?}");
        }
    }
}
