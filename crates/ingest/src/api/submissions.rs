//! The submission endpoints.
//!
//! A department submits and reads only its own department's submissions; the bureau reads
//! all and submits none. Another department's submission (or department) is answered
//! exactly as a missing one — 404 — so a token learns nothing about what others submitted.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use budgetflow_bus::envelope::content_sha256;
use budgetflow_ledger::{
    DepartmentCode, Filter, Ledger, NewSubmission, SubmissionState, SubmissionSummary,
};
use budgetflow_validate::VersionDiff;
use serde_json::json;
use uuid::Uuid;

use super::auth::Caller;
use super::error::ApiError;
use super::limits::QUEUE_RETRY_AFTER;
use super::{read, ApiState};
use crate::submission::{envelope, submission_id, submit};

/// `POST /api/v1/submissions`: reads the body as its media type, records it (bytes and
/// `received` in one transaction), puts it on the bus, answers 202 with its id — or, when
/// the bus does not take it in time, withdraws it and answers 503 ([`queue`]).
pub async fn create(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    if caller.is_bureau() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "bureau_cannot_submit",
            "财政局令牌只能查看，不能提交：请使用部门令牌提交",
            "the bureau's token reads only; submit with the department's token",
        ));
    }
    let media_type = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(read::media_type)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!(
                    "缺少 Content-Type：应为 {}、{} 或 {}",
                    read::TEXT,
                    read::JSON,
                    read::XLSX
                ),
                format!(
                    "missing Content-Type: expected {}, {} or {}",
                    read::TEXT,
                    read::JSON,
                    read::XLSX
                ),
            )
        })?;
    let limit = state.limits.max_body_bytes;
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large(limit));
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large(limit))?;
    let document = {
        let (media_type, bytes) = (media_type.clone(), bytes.clone());
        let workbook = budgetflow_workbook::Limits {
            max_compressed_bytes: limit as u64,
            ..budgetflow_workbook::Limits::default()
        };
        tokio::task::spawn_blocking(move || read::read(&media_type, &bytes, &workbook))
            .await
            .map_err(|e| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "读取提交内容时出错",
                    format!("the reader did not finish: {e}"),
                )
            })??
    };
    let department = &caller.0;
    if document.identity.department != department.name {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "department_mismatch",
            format!(
                "文件第 1 行的部门为“{}”，与令牌所属部门“{}”不符：每个部门只能提交本部门的预算公开",
                document.identity.department, department.name
            ),
            format!(
                "the document's department (line 1) is `{}`, not this token's `{}`: a department submits only its own disclosure",
                document.identity.department, department.name
            ),
        ));
    }
    let id = submission_id(&bytes);
    let sha = content_sha256(&bytes);
    let fiscal_year = document.identity.fiscal_year.get();
    let received = state
        .ledger
        .record_received(NewSubmission {
            id,
            department: &department.code,
            fiscal_year,
            content_type: &media_type,
            content: &bytes,
            content_sha256: &sha,
        })
        .await?;
    // Put on the bus when new, or when an earlier attempt may not have reached it (the
    // stages answer a repeat from their idempotency stores).
    let still_received = received.created
        || state
            .ledger
            .submission(id)
            .await?
            .is_some_and(|s| s.summary.state == SubmissionState::Received);
    if still_received {
        let envelope = envelope(
            &bytes,
            &document,
            received.version,
            Some(department.code.as_str()),
        )
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "无法封装提交内容",
                e.to_string(),
            )
        })?;
        // In a task of its own, so that a client hanging up cannot leave it half-done.
        let queued = tokio::spawn(queue(state.clone(), envelope, received.created));
        queued.await.map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "送入处理队列时出错",
                format!("queueing did not finish: {e}"),
            )
        })??;
    }
    let location = format!("/api/v1/submissions/{id}");
    let mut response = (
        StatusCode::ACCEPTED,
        Json(json!({
            "id": id,
            "department": department.code,
            "fiscal_year": fiscal_year,
            "version": received.version,
            "duplicate": !received.created,
            "status_url": location,
        })),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    Ok(response)
}

/// Puts a recorded submission on the bus, waiting at most `limits.queue_timeout` for the
/// broker. When it does not take it in time (down, blocked, a publish timeout of its own),
/// a submission this request `created` is withdrawn from the ledger and the answer is 503
/// with `Retry-After`: nothing is stored half-way, and sending the same bytes again later
/// starts afresh. Withdrawing finds nothing to withdraw once a stage reported on the
/// submission — a publish that timed out but did reach the broker — and then it stands.
async fn queue(
    state: ApiState,
    envelope: budgetflow_bus::Envelope,
    created: bool,
) -> Result<(), ApiError> {
    let timeout = state.limits.queue_timeout;
    let failure =
        match tokio::time::timeout(timeout, submit(state.transport.as_ref(), &envelope)).await {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(error)) => error.to_string(),
            Err(_) => format!(
                "the broker did not take it within {} ms",
                timeout.as_millis()
            ),
        };
    let id = envelope.submission_id;
    if created && !state.ledger.withdraw(id).await? {
        tracing::warn!(error = %failure, submission_id = %id,
            "the queue answered late, but the submission is on its way: accepted");
        return Ok(());
    }
    tracing::warn!(error = %failure, submission_id = %id, withdrawn = created,
        "not queued: answered 503");
    Err(ApiError::queue_unavailable(QUEUE_RETRY_AFTER))
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("请求体超过 {limit} 字节的上限"),
        format!("the request body is larger than the {limit}-byte limit"),
    )
}

/// `GET /api/v1/submissions/{id}`: state, findings, scores, publication, history.
pub async fn show(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let missing = || ApiError::not_found("该提交", "submission");
    let id = Uuid::parse_str(&id).map_err(|_| missing())?;
    let submission = state
        .ledger
        .submission(id)
        .await?
        .filter(|s| caller.may_read(s.summary.department.as_str()))
        .ok_or_else(missing)?;
    Ok(Json(submission).into_response())
}

/// `GET /api/v1/submissions/{id}/diff?against={id|previous}`: what this version changed since
/// another version of the same department's disclosure — by default the version before it —
/// compared by meaning ([`budgetflow_validate::diff`]): changed cells, changed paragraphs, and
/// the findings resolved, new and still open. Both versions are read again from the bytes the
/// ledger keeps, so a PDF resubmitted as a workbook compares fine.
pub async fn diff(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let query = query_parameters(query)?;
    if let Some(unknown) = query.keys().find(|k| k.as_str() != "against") {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("未知的查询参数 `{unknown}`：可用 against（提交编号或 previous）"),
            format!(
                "unknown query parameter `{unknown}`: use against (a submission id or previous)"
            ),
        ));
    }
    let compared = compare(
        &state.ledger,
        &caller,
        &id,
        query.get("against").map(String::as_str),
    )
    .await?;
    Ok(Json(json!({
        "old": compared.old,
        "new": compared.new,
        "diff": compared.diff,
    }))
    .into_response())
}

/// Two versions of a department's disclosure and what changed between them.
#[derive(Clone, Debug)]
pub struct Compared {
    pub old: SubmissionSummary,
    pub new: SubmissionSummary,
    pub diff: VersionDiff,
}

/// Submission `id` compared with `against` (a submission id, or `previous` — the default —
/// for the version before it of the same department's year), both readable by `caller`:
/// the API's diff and the dashboard's both come from here.
pub async fn compare(
    ledger: &Ledger,
    caller: &Caller,
    id: &str,
    against: Option<&str>,
) -> Result<Compared, ApiError> {
    let missing = || ApiError::not_found("该提交", "submission");
    let readable =
        |s: &budgetflow_ledger::Submission| caller.may_read(s.summary.department.as_str());
    let id = Uuid::parse_str(id).map_err(|_| missing())?;
    let new = ledger
        .submission(id)
        .await?
        .filter(readable)
        .ok_or_else(missing)?;
    let old_id = match against.unwrap_or("previous") {
        "previous" => {
            let filter = Filter {
                department: Some(new.summary.department.clone()),
                fiscal_year: Some(new.summary.fiscal_year),
                state: None,
            };
            ledger
                .submissions(&filter)
                .await?
                .into_iter()
                .filter(|s| s.version < new.summary.version)
                .max_by_key(|s| s.version)
                .map(|s| s.id)
                .ok_or_else(|| {
                    ApiError::not_found("该提交的上一版本", "a version before this submission")
                })?
        }
        other => Uuid::parse_str(other).map_err(|_| missing())?,
    };
    let old = ledger
        .submission(old_id)
        .await?
        .filter(readable)
        .ok_or_else(missing)?;
    let (old_bytes, new_bytes) = (
        ledger.content(old.summary.id).await?.ok_or_else(missing)?,
        ledger.content(new.summary.id).await?.ok_or_else(missing)?,
    );
    let (old_type, new_type) = (
        read::media_type(&old.content_type),
        read::media_type(&new.content_type),
    );
    let compared = tokio::task::spawn_blocking(move || {
        let workbook = budgetflow_workbook::Limits::default();
        let old = read::read(&old_type, &old_bytes, &workbook)?;
        let new = read::read(&new_type, &new_bytes, &workbook)?;
        Ok::<_, ApiError>(budgetflow_validate::diff(&old, &new))
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "比较两个版本时出错",
            format!("the comparison did not finish: {e}"),
        )
    })??;
    Ok(Compared {
        old: old.summary,
        new: new.summary,
        diff: compared,
    })
}

/// `GET /api/v1/submissions?department=&year=&state=`.
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let query = query_parameters(query)?;
    let department = query.get("department").map(String::as_str);
    listing(&state, &caller, department, &query).await
}

/// `GET /api/v1/departments/{code}/submissions?year=&state=`.
pub async fn of_department(
    State(state): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let query = query_parameters(query)?;
    if query.contains_key("department") {
        return Err(ApiError::bad_request(
            "invalid_query",
            "部门已在路径中给出，查询参数不应再含 department".into(),
            "the department is in the path; do not also pass `department`".into(),
        ));
    }
    listing(&state, &caller, Some(&code), &query).await
}

async fn listing(
    state: &ApiState,
    caller: &Caller,
    department: Option<&str>,
    query: &HashMap<String, String>,
) -> Result<Response, ApiError> {
    if let Some(unknown) = query
        .keys()
        .find(|k| !["department", "year", "state"].contains(&k.as_str()))
    {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("未知的查询参数 `{unknown}`：可用 department、year、state"),
            format!("unknown query parameter `{unknown}`: use department, year, state"),
        ));
    }
    let department = match department {
        Some(code) => {
            let missing = || ApiError::not_found("该部门", "department");
            let code = DepartmentCode::new(code).map_err(|_| missing())?;
            if !caller.may_read(code.as_str()) || state.ledger.department(&code).await?.is_none() {
                return Err(missing());
            }
            Some(code)
        }
        None if caller.is_bureau() => None,
        None => Some(caller.0.code.clone()),
    };
    let fiscal_year = match query.get("year") {
        Some(year) => Some(
            year.parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_query",
                        format!("year 参数 `{year}` 无效：应为 2000–2100 之间的年份"),
                        format!("invalid year `{year}`: expected a year in 2000–2100"),
                    )
                })?,
        ),
        None => None,
    };
    let submission_state = match query.get("state") {
        Some(name) => Some(SubmissionState::parse(name).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_query",
                format!("state 参数 `{name}` 无效：应为 received、validated、rejected、scored、published 或 failed"),
                format!("invalid state `{name}`: expected received, validated, rejected, scored, published or failed"),
            )
        })?),
        None => None,
    };
    let submissions = state
        .ledger
        .submissions(&Filter {
            department,
            fiscal_year,
            state: submission_state,
        })
        .await?;
    Ok(Json(json!({
        "count": submissions.len(),
        "submissions": submissions,
    }))
    .into_response())
}

/// The query parameters of a request, or a 400 that says why they cannot be read.
fn query_parameters(
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<HashMap<String, String>, ApiError> {
    query.map(|Query(query)| query).map_err(|e| {
        ApiError::bad_request(
            "invalid_query",
            format!("查询参数无效：{e}"),
            format!("invalid query: {e}"),
        )
    })
}
