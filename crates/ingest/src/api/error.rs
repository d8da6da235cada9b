//! The API's errors: one JSON shape for every 4xx and 5xx,
//! `{ "error": code, "message": 中文, "message_en": English }` plus, where the fault is in
//! the submitted document, `line` (text layout), `path` (JSON) or `sheet` and `cell` (XLSX)
//! saying where.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use budgetflow_ledger::LedgerError;
use serde::Serialize;
use tracing::error;

/// Where in the submitted document the fault is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Line(usize),
    /// A page of a paged source (a PDF).
    Page(u32),
    Path(String),
    /// A workbook's sheet and cell (A1 notation).
    Cell {
        sheet: String,
        cell: String,
    },
}

/// A request the API refuses or could not serve.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable, machine-readable (`unauthorized`, `payload_too_large`, …).
    pub code: &'static str,
    pub message: String,
    pub message_en: String,
    pub location: Option<Box<Location>>,
    /// For 429 and 503 `queue_unavailable`: when to try again.
    pub retry_after: Option<Duration>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: &'a str,
    message_en: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        message_en: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            message_en: message_en.into(),
            location: None,
            retry_after: None,
        }
    }

    pub fn at(mut self, location: Location) -> ApiError {
        self.location = Some(Box::new(location));
        self
    }

    pub fn unauthorized(zh: &str, en: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", zh, en)
    }

    /// The same answer whether the thing does not exist or belongs to another department.
    pub fn not_found(what_zh: &str, what_en: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("未找到{what_zh}"),
            format!("no such {what_en}"),
        )
    }

    pub fn bad_request(code: &'static str, zh: String, en: String) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, zh, en)
    }

    pub fn rate_limited(retry_after: Duration) -> ApiError {
        let seconds = retry_after.as_secs_f64().ceil().max(1.0) as u64;
        let mut error = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("该令牌请求过于频繁，请 {seconds} 秒后重试"),
            format!("too many requests with this token; retry in {seconds} s"),
        );
        error.retry_after = Some(Duration::from_secs(seconds));
        error
    }
}

impl ApiError {
    /// The broker did not take the submission in time; nothing of it was stored.
    pub fn queue_unavailable(retry_after: Duration) -> ApiError {
        let seconds = retry_after.as_secs().max(1);
        let mut error = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "queue_unavailable",
            format!("处理队列暂时不可用，本次提交未保存：请 {seconds} 秒后重新提交同一文件"),
            format!("the processing queue is unavailable and nothing was stored: submit the same file again in {seconds} s"),
        );
        error.retry_after = Some(Duration::from_secs(seconds));
        error
    }

    /// A method the route does not serve.
    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "该地址不支持此请求方法",
            "this method is not allowed on this route",
        )
    }

    /// A header section over the API's limits.
    pub fn headers_too_large(fields: usize, bytes: usize) -> ApiError {
        ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!("请求头过大：至多 {fields} 个字段、共 {bytes} 字节"),
            format!("the request headers are too large: at most {fields} fields and {bytes} bytes in all"),
        )
    }
}

impl From<LedgerError> for ApiError {
    fn from(cause: LedgerError) -> ApiError {
        error!(error = %cause, "ledger failure");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ledger_unavailable",
            "台账数据库暂时不可用，请稍后重试",
            "the ledger database is unavailable; retry later",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (mut line, mut path, mut sheet, mut cell, mut page) = (None, None, None, None, None);
        match self.location.as_deref() {
            Some(Location::Line(at)) => line = Some(*at),
            Some(Location::Page(at)) => page = Some(*at),
            Some(Location::Path(at)) => path = Some(at.as_str()),
            Some(Location::Cell { sheet: s, cell: c }) => {
                sheet = Some(s.as_str());
                cell = Some(c.as_str());
            }
            None => {}
        }
        let body = Body {
            error: self.code,
            message: &self.message,
            message_en: &self.message_en,
            line,
            path,
            sheet,
            cell,
            page,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(after) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(after.as_secs()));
        }
        response
    }
}
