//! `budgetflow submit DIR|FILE… --url URL --token TOKEN`: a department's (or a test's) batch
//! of disclosures through the ingestion API, then what became of each.
//!
//! Each file goes to `POST /api/v1/submissions` with the media type its extension names
//! (`.txt` text layout, `.json` canonical JSON, `.xlsx` the filled template, `.pdf` a disclosure
//! PDF of a template with a profile), a few at a time;
//! a 429 is retried after the `Retry-After` the API gives. Accepted submissions are then
//! followed (`GET /api/v1/submissions/{id}`) until they settle — published, rejected or
//! failed — or `--wait` runs out, with a progress bar on the terminal. The summary table says,
//! per file, the department, the state and the first thing to fix (the API's refusal, or the
//! validator's first error).
//!
//! The result is the worst of the files': clean (exit 0) when everything was published;
//! findings (exit 1) when something was refused or rejected; unreadable or failed (exit 2)
//! when a file could not be read, a submission failed or did not settle in time, or the API
//! could not be reached.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::Value;
use tokio::task::JoinSet;

use budgetflow_model::Lang;

use crate::args::SubmitArgs;
use crate::exit::{self, CliError, ErrorKind};

/// Files submitted at once.
const CONCURRENT_UPLOADS: usize = 4;
/// How often a pending submission's state is asked for.
const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Attempts of one upload answered 429 before giving up.
const RATE_LIMITED_ATTEMPTS: u32 = 10;

/// What became of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Published,
    Rejected {
        first_error: String,
    },
    /// The API refused the upload (4xx): what it said.
    Refused {
        status: u16,
        message: String,
    },
    Failed {
        reason: String,
    },
    /// Still in the pipeline when `--wait` ran out.
    Pending {
        state: String,
    },
    Unreadable {
        reason: String,
    },
}

/// The command's result: the worst of the files' outcomes, each shown in the summary.
fn result(rows: &[Row]) -> Result<exit::Outcome, CliError> {
    let any = |wanted: fn(&Outcome) -> bool| rows.iter().any(|row| wanted(&row.outcome));
    if any(|o| matches!(o, Outcome::Unreadable { .. })) {
        Err(CliError::reported(ErrorKind::Unreadable))
    } else if any(|o| matches!(o, Outcome::Failed { .. } | Outcome::Pending { .. })) {
        Err(CliError::reported(ErrorKind::Failed))
    } else if any(|o| matches!(o, Outcome::Rejected { .. } | Outcome::Refused { .. })) {
        Ok(exit::Outcome::Findings)
    } else {
        Ok(exit::Outcome::Clean)
    }
}

/// One file's row of the summary.
#[derive(Clone, Debug)]
struct Row {
    file: String,
    department: String,
    submission: Option<String>,
    outcome: Outcome,
}

/// The API as the command uses it.
#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
    lang: Lang,
}

pub async fn run(args: &SubmitArgs, lang: Lang) -> Result<exit::Outcome, CliError> {
    let files = collect(&args.inputs).map_err(|error| {
        CliError::unreadable(|lang| format!("{}: {error}", lang.pick("无法读取", "cannot read")))
    })?;
    if files.is_empty() {
        return Err(CliError::unreadable(|lang| {
            lang.pick(
                "没有可提交的文件（.txt、.json、.xlsx 或 .pdf）",
                "no file to submit (.txt, .json, .xlsx or .pdf)",
            )
            .to_owned()
        }));
    }
    let api = Api {
        http: reqwest::Client::new(),
        base: args.url.trim_end_matches('/').to_owned(),
        token: args.token.clone(),
        lang,
    };
    let rows = batch(&api, files, Duration::from_secs(args.wait)).await;
    let mut out = crate::output::stdout_buffered();
    out.text(&render(&rows, lang))?;
    out.finish()?;
    result(&rows)
}

/// The files to submit: the given files, and the `.txt`/`.json`/`.xlsx`/`.pdf` files of the given
/// directories, in name order.
fn collect(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.is_file() && media_type(path).is_some())
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// The media type the API expects for a file, by extension.
fn media_type(path: &Path) -> Option<&'static str> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "txt" => Some("text/plain; charset=utf-8"),
        "json" => Some("application/json"),
        "xlsx" => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "pdf" => Some("application/pdf"),
        _ => None,
    }
}

async fn batch(api: &Api, files: Vec<PathBuf>, wait: Duration) -> Vec<Row> {
    let progress = ProgressBar::new(files.len() as u64 * 2);
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    progress.set_message(api.lang.pick("上传中", "uploading").to_owned());
    // uploads, a few at a time; each counts one step
    let mut rows: Vec<Row> = Vec::with_capacity(files.len());
    let mut uploads = JoinSet::new();
    let mut queue = files.into_iter().enumerate();
    let mut order = Vec::new();
    loop {
        while uploads.len() < CONCURRENT_UPLOADS {
            let Some((index, file)) = queue.next() else {
                break;
            };
            let api = api.clone();
            uploads.spawn(async move { (index, upload(&api, &file).await) });
        }
        let Some(done) = uploads.join_next().await else {
            break;
        };
        let (index, row) = done.unwrap_or_else(|join| {
            (
                usize::MAX,
                Row {
                    file: "?".into(),
                    department: String::new(),
                    submission: None,
                    outcome: Outcome::Failed {
                        reason: join.to_string(),
                    },
                },
            )
        });
        progress.inc(1);
        order.push(index);
        rows.push(row);
    }
    // restore the input order
    let mut indexed: Vec<(usize, Row)> = order.into_iter().zip(rows).collect();
    indexed.sort_by_key(|(index, _)| *index);
    let mut rows: Vec<Row> = indexed.into_iter().map(|(_, row)| row).collect();
    // settled at upload (refused, unreadable) count their second step now
    progress.inc(rows.iter().filter(|r| r.submission.is_none()).count() as u64);
    progress.set_message(api.lang.pick("处理中", "processing").to_owned());
    follow(api, &mut rows, wait, &progress).await;
    progress.finish_and_clear();
    rows
}

/// Uploads one file.
async fn upload(api: &Api, file: &Path) -> Row {
    let mut row = Row {
        file: file.display().to_string(),
        department: String::new(),
        submission: None,
        outcome: Outcome::Pending {
            state: "received".into(),
        },
    };
    let Some(media_type) = media_type(file) else {
        row.outcome = Outcome::Unreadable {
            reason: api
                .lang
                .pick(
                    "扩展名应为 .txt、.json、.xlsx 或 .pdf",
                    "the extension must be .txt, .json, .xlsx or .pdf",
                )
                .into(),
        };
        return row;
    };
    let bytes = match tokio::fs::read(file).await {
        Ok(bytes) => bytes,
        Err(error) => {
            row.outcome = Outcome::Unreadable {
                reason: error.to_string(),
            };
            return row;
        }
    };
    for _ in 0..RATE_LIMITED_ATTEMPTS {
        let sent = api
            .http
            .post(format!("{}/api/v1/submissions", api.base))
            .header(AUTHORIZATION, format!("Bearer {}", api.token))
            .header(CONTENT_TYPE, media_type)
            .body(bytes.clone())
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                row.outcome = Outcome::Failed {
                    reason: format!("{}: {error}", api.lang.pick("无法连接", "cannot reach")),
                };
                return row;
            }
        };
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            let after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(1);
            tokio::time::sleep(Duration::from_secs(after.max(1))).await;
            continue;
        }
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status == StatusCode::ACCEPTED {
            row.department = text(&body, "department");
            row.submission = body.get("id").and_then(Value::as_str).map(str::to_owned);
            if row.submission.is_none() {
                row.outcome = Outcome::Failed {
                    reason: format!("202 without an id: {body}"),
                };
            }
            return row;
        }
        let message = text(&body, api.lang.pick("message", "message_en"));
        let location = match (body.get("line"), body.get("path")) {
            (Some(line), _) => match api.lang {
                Lang::Zh => format!("（第 {line} 行）"),
                Lang::En => format!(" (line {line})"),
            },
            (_, Some(path)) => format!(" ({})", path.as_str().unwrap_or_default()),
            _ => String::new(),
        };
        row.outcome = if status.is_client_error() {
            Outcome::Refused {
                status: status.as_u16(),
                message: format!("{message}{location}"),
            }
        } else {
            Outcome::Failed {
                reason: format!("HTTP {}: {message}", status.as_u16()),
            }
        };
        return row;
    }
    row.outcome = Outcome::Failed {
        reason: api
            .lang
            .pick(
                "请求过于频繁，多次重试仍被限流",
                "rate-limited on every attempt",
            )
            .into(),
    };
    row
}

/// Follows the accepted submissions until each settles or `wait` runs out.
async fn follow(api: &Api, rows: &mut [Row], wait: Duration, progress: &ProgressBar) {
    let deadline = Instant::now() + wait;
    loop {
        let mut pending = 0;
        for row in rows.iter_mut() {
            let (Some(id), Outcome::Pending { .. }) = (&row.submission, &row.outcome) else {
                continue;
            };
            match status(api, id).await {
                Ok(Some(outcome)) => {
                    row.outcome = outcome;
                    progress.inc(1);
                }
                Ok(None) => pending += 1,
                Err(reason) => {
                    row.outcome = Outcome::Failed { reason };
                    progress.inc(1);
                }
            }
        }
        if pending == 0 || Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// A submission's outcome once it has settled; `None` while it is still moving (its state
/// is kept in the row's `Pending`).
async fn status(api: &Api, id: &str) -> Result<Option<Outcome>, String> {
    let response = api
        .http
        .get(format!("{}/api/v1/submissions/{id}", api.base))
        .header(AUTHORIZATION, format!("Bearer {}", api.token))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        return Ok(None);
    }
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status().as_u16()));
    }
    let body: Value = response.json().await.map_err(|e| e.to_string())?;
    Ok(match body.get("state").and_then(Value::as_str) {
        Some("published") => Some(Outcome::Published),
        Some("rejected") => Some(Outcome::Rejected {
            first_error: first_error(&body["findings"]),
        }),
        Some("failed") => Some(Outcome::Failed {
            reason: failure(&body["publication"]),
        }),
        _ => None,
    })
}

/// The validator's first error message.
fn first_error(findings: &Value) -> String {
    findings
        .get("findings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|f| f.get("severity").and_then(Value::as_str) == Some("error"))
        .map(|f| text(f, "message"))
        .unwrap_or_default()
}

/// Why a submission failed, from what the pipeline recorded.
fn failure(publication: &Value) -> String {
    ["reason", "error"]
        .iter()
        .find_map(|key| publication.get(key).and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned()
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The summary: a table of files, then one line of totals.
fn render(rows: &[Row], lang: Lang) -> String {
    let header = [
        lang.pick("文件", "File"),
        lang.pick("部门", "Department"),
        lang.pick("状态", "State"),
        lang.pick("首条意见", "First finding"),
    ]
    .map(str::to_owned);
    let mut table = vec![header];
    for row in rows {
        let (state, detail) = match &row.outcome {
            Outcome::Published => (lang.pick("已发布", "published").to_owned(), String::new()),
            Outcome::Rejected { first_error } => (
                lang.pick("未通过审核", "rejected").to_owned(),
                first_error.clone(),
            ),
            Outcome::Refused { status, message } => (
                format!("{} {status}", lang.pick("被拒收", "refused")),
                message.clone(),
            ),
            Outcome::Failed { reason } => {
                (lang.pick("处理失败", "failed").to_owned(), reason.clone())
            }
            Outcome::Pending { .. } => (
                lang.pick("处理中（超时）", "pending (timed out)")
                    .to_owned(),
                String::new(),
            ),
            Outcome::Unreadable { reason } => (
                lang.pick("无法读取", "unreadable").to_owned(),
                reason.clone(),
            ),
        };
        table.push([row.file.clone(), row.department.clone(), state, detail]);
    }
    let mut out = crate::terminal_table::render(&table, &[]);
    let count = |f: fn(&Outcome) -> bool| rows.iter().filter(|r| f(&r.outcome)).count();
    out.push_str(&format!(
        "{}{} {}，{} {}，{} {}，{} {}\n",
        lang.pick("合计：", "Total: "),
        rows.len(),
        lang.pick("份", "files"),
        lang.pick("已发布", "published"),
        count(|o| matches!(o, Outcome::Published)),
        lang.pick("退回或拒收", "rejected or refused"),
        count(|o| matches!(o, Outcome::Rejected { .. } | Outcome::Refused { .. })),
        lang.pick("失败或未完成", "failed or unfinished"),
        count(|o| matches!(
            o,
            Outcome::Failed { .. } | Outcome::Pending { .. } | Outcome::Unreadable { .. }
        )),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn media_types_follow_the_extension() {
        assert_eq!(
            media_type(Path::new("a/工信局.TXT")),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(media_type(Path::new("x.json")), Some("application/json"));
        assert!(media_type(Path::new("x.xlsx"))
            .unwrap()
            .contains("spreadsheetml"));
        assert_eq!(media_type(Path::new("公开.PDF")), Some("application/pdf"));
        assert_eq!(media_type(Path::new("x.docx")), None);
    }

    #[test]
    fn the_first_finding_is_the_first_error_not_the_first_info() {
        let findings = json!({"findings": [
            {"severity": "info", "message": "取整差异"},
            {"severity": "error", "message": "表1 收入总计应为 100.00"},
            {"severity": "error", "message": "second"},
        ]});
        assert_eq!(first_error(&findings), "表1 收入总计应为 100.00");
        assert_eq!(first_error(&Value::Null), "");
    }

    #[test]
    fn the_worst_outcome_decides_the_exit_code() {
        let row = |outcome| Row {
            file: "a.txt".into(),
            department: "工信局".into(),
            submission: None,
            outcome,
        };
        let rows = vec![
            row(Outcome::Published),
            row(Outcome::Rejected {
                first_error: "表1 不平".into(),
            }),
        ];
        assert_eq!(exit::code(&result(&rows)), 1);
        let failed = row(Outcome::Failed {
            reason: "HTTP 500".into(),
        });
        assert_eq!(
            exit::code(&result(&[rows.clone(), vec![failed]].concat())),
            2
        );
        let summary = render(&rows, Lang::Zh);
        assert!(summary.contains("未通过审核"), "{summary}");
        assert!(summary.contains("表1 不平"), "{summary}");
        assert!(
            summary.ends_with("合计：2 份，已发布 1，退回或拒收 1，失败或未完成 0\n"),
            "{summary}"
        );
    }
}
