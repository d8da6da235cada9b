//! The bureau's dashboard (`/dashboard`): departments × state for a fiscal year, a count per
//! state, each department's latest submission with its findings readable in place — the
//! year-over-year ones (`Y.*`) grouped apart as 与上年比较 — and a link to its published page.
//! `?year=` picks the fiscal year; every year anything was submitted for is listed, the
//! latest shown by default, and the counts are that year's. A submission with an earlier
//! version links to `/dashboard/submissions/{id}/diff` (`?against=` another version): the
//! changed cells, rows and paragraphs and the findings resolved, new and still open — the
//! comparison the API's diff answers with ([`crate::api::submissions::compare`]).
//!
//! Who sees what follows the API: the bureau's token sees every department, a department's
//! token only its own row. A browser signs in once with its token through a form
//! (`POST /dashboard/sign-in`), which sets an `HttpOnly`, `SameSite=Strict` cookie scoped to
//! `/dashboard`; scripts (`curl`) can send `Authorization: Bearer …` instead. The page is
//! rendered on the server from the ledger at each request — no build step, no scripts — and
//! reloads itself every 2 s while submissions are in flight, and not at all once every one
//! has ended (published, rejected, or failed with its reason shown).
//!
//! Every answer carries a Content-Security-Policy that lets no script run and only the
//! page's own stylesheet apply (by its hash), refuses to be framed (`frame-ancestors
//! 'none'`), and lets the one form post only here; and `nosniff` (set for the whole API).
//! A link to a published page is built from the department's registered code — never from
//! its display name, which is whatever the department registered.

mod page;

use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::header::{CONTENT_SECURITY_POLICY, X_FRAME_OPTIONS};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use budgetflow_ledger::{
    Department, DepartmentCode, Filter, Ledger, LedgerError, Role, Submission, SubmissionState,
};
use budgetflow_model::Lang;
use serde::Deserialize;

use crate::api::auth::Caller;
use crate::api::submissions::compare;

pub use page::{content_security_policy, REFRESH_IN_FLIGHT_SECONDS};

/// Where the published site is on disk and the URL it is served under, so the dashboard links
/// to pages a browser can open (the publish stage records file paths).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The publish stage's output directory.
    pub dir: PathBuf,
    /// The URL that directory is served under (`/site` when the ingest process serves it).
    pub url: String,
    /// Whether this process serves it (one-process mode) or a web server does.
    pub served: bool,
}

impl Site {
    /// The URL of a published file of department `code`: it must lie in the site's
    /// directory under `code`'s own directory; the URL is built from `code` and the path's
    /// remaining parts, each percent-encoded.
    pub fn link(&self, path: &str, code: &DepartmentCode) -> Option<String> {
        let relative = Path::new(path)
            .strip_prefix(self.dir.join(code.as_str()))
            .ok()?;
        let mut url = format!("{}/{}", self.url.trim_end_matches('/'), code.as_str());
        for part in relative.components() {
            let std::path::Component::Normal(part) = part else {
                return None;
            };
            url.push('/');
            percent_encode(part.to_str()?, &mut url);
        }
        Some(url)
    }
}

/// Appends `text` to `out` with every byte but the URL-unreserved ones percent-encoded.
fn percent_encode(text: &str, out: &mut String) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

/// What the dashboard's handlers share.
#[derive(Clone)]
struct Dashboard {
    ledger: Ledger,
    site: Option<Site>,
}

/// The cookie that carries a signed-in browser's token.
const COOKIE_NAME: &str = "budgetflow_token";

/// One department's row: the department and its latest submission of the year, if any.
#[derive(Clone, Debug)]
pub struct DepartmentRow {
    pub department: Department,
    pub latest: Option<Submission>,
}

/// What the dashboard shows for one fiscal year.
#[derive(Clone, Debug)]
pub struct Board {
    pub fiscal_year: i32,
    /// Every fiscal year the viewer's departments submitted for, latest first: the year
    /// selector.
    pub years: Vec<i32>,
    pub rows: Vec<DepartmentRow>,
}

impl Board {
    /// The board `viewer` may see: every department for the bureau, its own row for a
    /// department.
    pub async fn load(
        ledger: &Ledger,
        viewer: &Department,
        fiscal_year: i32,
        years: Vec<i32>,
    ) -> Result<Board, LedgerError> {
        let departments: Vec<Department> = ledger
            .departments()
            .await?
            .into_iter()
            .filter(|d| d.role == Role::Department)
            .filter(|d| viewer.role == Role::Bureau || d.code == viewer.code)
            .collect();
        let mut summaries = ledger
            .submissions(&Filter {
                fiscal_year: Some(fiscal_year),
                department: (viewer.role == Role::Department).then(|| viewer.code.clone()),
                ..Filter::default()
            })
            .await?;
        summaries.sort_by_key(|s| s.version);
        let mut rows = Vec::with_capacity(departments.len());
        for department in departments {
            let latest = summaries
                .iter()
                .rev()
                .find(|s| s.department == department.code);
            let latest = match latest {
                Some(summary) => ledger.submission(summary.id).await?,
                None => None,
            };
            rows.push(DepartmentRow { department, latest });
        }
        Ok(Board {
            fiscal_year,
            years,
            rows,
        })
    }

    /// How many departments' latest submission is in `state`.
    pub fn count(&self, state: SubmissionState) -> usize {
        self.rows
            .iter()
            .filter(|r| r.latest.as_ref().map(|s| s.summary.state) == Some(state))
            .count()
    }

    /// How many latest submissions are still moving through the pipeline.
    pub fn in_flight(&self) -> usize {
        self.rows
            .iter()
            .filter_map(|r| r.latest.as_ref())
            .filter(|s| !s.summary.state.is_final())
            .count()
    }
}

/// The dashboard's routes, to merge into the service's router (whatever its state); with a
/// `site`, links to published pages point into it.
pub fn routes<S: Clone + Send + Sync + 'static>(ledger: Ledger, site: Option<Site>) -> Router<S> {
    Router::new()
        .route("/dashboard", get(show))
        .route("/dashboard/sign-in", post(sign_in))
        .route("/dashboard/submissions/{id}/diff", get(show_diff))
        .layer(axum::middleware::map_response(protected))
        .with_state(Dashboard { ledger, site })
}

/// The dashboard's policy on every answer of its own (and `X-Frame-Options` for browsers
/// that predate `frame-ancestors`).
async fn protected(mut response: Response) -> Response {
    if let Ok(policy) = HeaderValue::from_str(content_security_policy()) {
        response
            .headers_mut()
            .insert(CONTENT_SECURITY_POLICY, policy);
    }
    response
        .headers_mut()
        .insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

#[derive(Debug, Deserialize)]
struct Params {
    year: Option<i32>,
    lang: Option<String>,
    /// The diff page's other version (a submission id, or `previous`).
    against: Option<String>,
}

impl Params {
    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or(Lang::Zh)
    }
}

/// The years a `?year=` may name (as the API's `year`).
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The signed-in viewer, or what to answer instead: the sign-in form, 401 for a token that
/// is no longer valid, 503 when the ledger does not answer.
async fn viewer(ledger: &Ledger, headers: &HeaderMap, lang: Lang) -> Result<Department, Response> {
    let Some(token) = token_of(headers) else {
        return Err(Html(page::sign_in(None, lang)).into_response());
    };
    match ledger.authenticate(token).await {
        Ok(Some(viewer)) => Ok(viewer),
        Ok(None) => Err(signed_out(
            lang.pick(
                "令牌无效或已更换，请重新登录。",
                "The token is not valid (rotated?); sign in again.",
            ),
            lang,
        )),
        Err(error) => Err(unavailable(&error, lang)),
    }
}

async fn show(
    State(Dashboard { ledger, site }): State<Dashboard>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Response {
    let lang = params.lang();
    let viewer = match viewer(&ledger, &headers, lang).await {
        Ok(viewer) => viewer,
        Err(answer) => return answer,
    };
    if let Some(year) = params.year.filter(|year| !YEARS.contains(year)) {
        let message = match lang {
            Lang::Zh => format!("年度 {year} 无效：应为 2000–2100 之间的年份。"),
            Lang::En => format!("Invalid year {year}: expected a year in 2000–2100."),
        };
        return (StatusCode::BAD_REQUEST, Html(page::problem(&message, lang))).into_response();
    }
    let years = match years(&ledger, &viewer).await {
        Ok(years) => years,
        Err(error) => return unavailable(&error, lang),
    };
    let fiscal_year = params
        .year
        .or_else(|| years.first().copied())
        .unwrap_or_else(|| chrono::Datelike::year(&chrono::Utc::now()));
    match Board::load(&ledger, &viewer, fiscal_year, years).await {
        Ok(board) => Html(page::render(&board, &viewer, site.as_ref(), lang)).into_response(),
        Err(error) => unavailable(&error, lang),
    }
}

/// `/dashboard/submissions/{id}/diff?against=`: what a version changed since another.
async fn show_diff(
    State(Dashboard { ledger, .. }): State<Dashboard>,
    UrlPath(id): UrlPath<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Response {
    let lang = params.lang();
    let viewer = match viewer(&ledger, &headers, lang).await {
        Ok(viewer) => viewer,
        Err(answer) => return answer,
    };
    let compared = match compare(
        &ledger,
        &Caller(viewer.clone()),
        &id,
        params.against.as_deref(),
    )
    .await
    {
        Ok(compared) => compared,
        Err(refused) => {
            let message = lang.pick(&refused.message, &refused.message_en).to_owned();
            return (refused.status, Html(page::problem(&message, lang))).into_response();
        }
    };
    let department = match ledger.department(&compared.new.department).await {
        Ok(department) => {
            department.map_or_else(|| compared.new.department.as_str().to_owned(), |d| d.name)
        }
        Err(error) => return unavailable(&error, lang),
    };
    Html(page::diff(&compared, &department, lang)).into_response()
}

#[derive(Debug, Deserialize)]
struct SignIn {
    token: String,
}

async fn sign_in(
    State(Dashboard { ledger, .. }): State<Dashboard>,
    Query(params): Query<Params>,
    Form(form): Form<SignIn>,
) -> Response {
    let lang = params.lang();
    let token = form.token.trim();
    match ledger.authenticate(token).await {
        Ok(Some(_)) => {
            let mut response = Redirect::to("/dashboard").into_response();
            let cookie =
                format!("{COOKIE_NAME}={token}; Path=/dashboard; HttpOnly; SameSite=Strict");
            match HeaderValue::from_str(&cookie) {
                Ok(value) => {
                    response.headers_mut().insert(SET_COOKIE, value);
                    response
                }
                Err(_) => signed_out(
                    lang.pick("令牌格式不正确。", "The token is malformed."),
                    lang,
                ),
            }
        }
        Ok(None) => signed_out(
            lang.pick(
                "令牌无效，请检查后重试。",
                "The token is not valid; check it and try again.",
            ),
            lang,
        ),
        Err(error) => unavailable(&error, lang),
    }
}

/// The sign-in form with a message, as 401.
fn signed_out(message: &str, lang: Lang) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Html(page::sign_in(Some(message), lang)),
    )
        .into_response()
}

fn unavailable(error: &LedgerError, lang: Lang) -> Response {
    tracing::error!(%error, "dashboard: the ledger failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        lang.pick(
            "台账数据库暂不可用，请稍后刷新。",
            "The ledger database is unavailable; reload later.",
        ),
    )
        .into_response()
}

/// The token a request carries: `Authorization: Bearer …`, else the sign-in cookie.
fn token_of(headers: &HeaderMap) -> Option<&str> {
    if let Some(bearer) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::api::auth::bearer_token)
    {
        return Some(bearer);
    }
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE_NAME)?.strip_prefix('='))
}

/// Every fiscal year `viewer`'s departments submitted for, latest first.
async fn years(ledger: &Ledger, viewer: &Department) -> Result<Vec<i32>, LedgerError> {
    let filter = Filter {
        department: (viewer.role == Role::Department).then(|| viewer.code.clone()),
        ..Filter::default()
    };
    let years: std::collections::BTreeSet<i32> = ledger
        .submissions(&filter)
        .await?
        .iter()
        .map(|s| s.fiscal_year)
        .collect();
    Ok(years.into_iter().rev().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_file_in_the_departments_directory_gets_a_url_built_from_its_code() {
        let site = Site {
            dir: "/srv/public".into(),
            url: "https://yusuan.example.gov.cn/site/".into(),
            served: false,
        };
        let miit = DepartmentCode::new("miit").unwrap();
        assert_eq!(
            site.link("/srv/public/miit/2025/34d0446794c62ebc/index.html", &miit)
                .as_deref(),
            Some("https://yusuan.example.gov.cn/site/miit/2025/34d0446794c62ebc/index.html")
        );
        assert_eq!(
            site.link("/srv/public/miit/2025/a b\"<x>/index.html", &miit)
                .as_deref(),
            Some("https://yusuan.example.gov.cn/site/miit/2025/a%20b%22%3Cx%3E/index.html")
        );
        // a directory named by the display name, another department's, anything outside
        for outside in [
            "/srv/public/javascript:alert(1)/2025/index.html",
            "/srv/public/edu/2025/index.html",
            "/srv/public/miit/../edu/index.html",
            "/etc/passwd",
            "/srv/public-other/index.html",
        ] {
            assert_eq!(site.link(outside, &miit), None, "{outside}");
        }
    }
}
