//! The dashboard as HTML: the year selector, a count per state, then one row per department
//! with its latest submission of the year — state, version (and the link to what it changed
//! since the version before), when, the findings readable in place (`<details>`, the
//! year-over-year ones apart as 与上年比较), the link to the published page. And the diff
//! page of a version against another.
//!
//! Server-rendered, no scripts: the page asks the browser to reload itself
//! (`<meta http-equiv="refresh">`) every few seconds while any submission is still moving
//! through the pipeline, and stops once every one has ended — a failed one with the stage
//! that gave up and its reason. Every value from the ledger is escaped for where it goes
//! (text, or a double-quoted attribute); classes and ids are built from fixed names and the
//! registered ASCII code only.

use std::fmt::Write;

use budgetflow_ledger::{Department, DepartmentCode, Role, SubmissionState};
use budgetflow_model::{Amount, Lang};
use budgetflow_validate::diff::{FindingRef, ParagraphChangeKind, RowChangeKind};
use budgetflow_validate::Family;
use serde_json::Value;

use super::{Board, DepartmentRow, Site};
use crate::api::submissions::Compared;

/// How often a page with submissions in flight reloads itself (one with none in flight does
/// not reload).
pub const REFRESH_IN_FLIGHT_SECONDS: u32 = 2;

/// How many findings a row shows before "…".
const FINDINGS_SHOWN: usize = 20;

const STYLE: &str = r#"
body { font-family: "PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif; margin: 0 auto; max-width: 80rem; padding: 1rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; }
.counts { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 1rem 0; padding: 0; list-style: none; }
.counts li { border: 1px solid #bbb; border-radius: 0.4rem; padding: 0.4rem 0.8rem; min-width: 6rem; }
.counts .n { display: block; font-size: 1.6rem; font-weight: bold; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
th { background: #f2f2f2; }
.state { font-weight: 600; white-space: nowrap; }
.state-published { color: #17662b; } .state-rejected, .state-failed { color: #a11; }
.state-none { color: #777; }
details ol { margin: 0.3rem 0 0; padding-left: 1.2rem; }
.sev-error { color: #a11; } .sev-warning { color: #8a5a00; } .sev-info { color: #555; }
form { margin: 2rem 0; } input[type=password] { width: 28rem; max-width: 100%; }
.failure { color: #a11; margin: 0; }
.years { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; padding: 0; list-style: none; }
.years a, .years strong { display: inline-block; border: 1px solid #bbb; border-radius: 0.3rem; padding: 0.2rem 0.6rem; }
.yoy { margin-top: 0.3rem; border-left: 3px solid #36c; padding-left: 0.4rem; }
.old { color: #a11; } .new { color: #17662b; }
"#;

/// The dashboard's Content-Security-Policy: no script at all, the page's own stylesheet
/// only (by its SHA-256), no framing, the sign-in form posting here only.
pub fn content_security_policy() -> &'static str {
    static POLICY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| {
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'"
        )
    })
}

/// The states in the order the counts show them, with their names.
const STATES: [(SubmissionState, &str, &str); 6] = [
    (SubmissionState::Received, "已接收", "received"),
    (SubmissionState::Validated, "已审核", "validated"),
    (SubmissionState::Scored, "已评分", "scored"),
    (SubmissionState::Published, "已发布", "published"),
    (SubmissionState::Rejected, "已退回", "rejected"),
    (SubmissionState::Failed, "处理失败", "failed"),
];

fn state_name(state: SubmissionState, lang: Lang) -> &'static str {
    STATES
        .iter()
        .find(|(s, _, _)| *s == state)
        .map(|(_, zh, en)| lang.pick(zh, en))
        .unwrap_or("?")
}

/// Renders the dashboard.
pub fn render(board: &Board, viewer: &Department, site: Option<&Site>, lang: Lang) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = format!(
        "{} {} — {}",
        board.fiscal_year,
        lang.pick("年部门预算公开", "budget disclosures"),
        lang.pick("报送进度", "submissions")
    );
    let refresh = (board.in_flight() > 0).then_some(REFRESH_IN_FLIGHT_SECONDS);
    head(&mut out, &title, refresh, lang);
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        out,
        "<p>{}：{}（{}）</p>",
        lang.pick("当前用户", "Signed in as"),
        escape(&viewer.name),
        match viewer.role {
            Role::Bureau => lang.pick("财政局，查看全部部门", "bureau, all departments"),
            Role::Department => lang.pick("仅本部门", "own department only"),
        }
    );
    year_selector(&mut out, board, lang);
    counts(&mut out, board, lang);
    departments(&mut out, board, site, lang);
    out.push_str("</body>\n</html>\n");
    out
}

/// The sign-in form, with an optional message (a wrong token).
pub fn sign_in(message: Option<&str>, lang: Lang) -> String {
    let mut out = String::new();
    head(&mut out, lang.pick("登录", "Sign in"), None, lang);
    let _ = writeln!(
        out,
        "<h1>{}</h1>",
        lang.pick("部门预算公开报送进度", "Budget disclosure submissions")
    );
    if let Some(message) = message {
        let _ = writeln!(
            out,
            "<p class=\"sev-error\" role=\"alert\">{}</p>",
            escape(message)
        );
    }
    let _ = writeln!(
        out,
        "<form method=\"post\" action=\"/dashboard/sign-in\">\n\
         <label for=\"token\">{}</label><br>\n\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required>\n\
         <button type=\"submit\">{}</button>\n</form>\n</body>\n</html>",
        lang.pick("访问令牌（API token）", "API token"),
        lang.pick("登录", "Sign in"),
    );
    out
}

/// `refresh`: seconds until the page reloads itself, if it should.
fn head(out: &mut String, title: &str, refresh: Option<u32>, lang: Lang) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        lang.pick("zh-CN", "en")
    );
    if let Some(seconds) = refresh {
        let _ = writeln!(out, "<meta http-equiv=\"refresh\" content=\"{seconds}\">");
    }
    let _ = write!(
        out,
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    );
}

/// `?lang=en` for links when the page is in English (Chinese is the default).
fn lang_query(lang: Lang) -> &'static str {
    lang.pick("", "&lang=en")
}

/// The fiscal years to move between, as links; the shown one is marked.
fn year_selector(out: &mut String, board: &Board, lang: Lang) {
    let mut years = board.years.clone();
    if !years.contains(&board.fiscal_year) {
        years.push(board.fiscal_year);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    let _ = write!(
        out,
        "<nav aria-label=\"{}\"><ul class=\"years\" id=\"years\">",
        lang.pick("年度", "fiscal year")
    );
    for year in years {
        if year == board.fiscal_year {
            let _ = write!(
                out,
                "<li><strong aria-current=\"page\" id=\"year-{year}\">{year}</strong></li>"
            );
        } else {
            let _ = write!(
                out,
                "<li><a id=\"year-{year}\" href=\"/dashboard?year={year}{}\">{year}</a></li>",
                lang_query(lang)
            );
        }
    }
    out.push_str("</ul></nav>\n");
}

fn counts(out: &mut String, board: &Board, lang: Lang) {
    let _ = writeln!(
        out,
        "<ul class=\"counts\" aria-label=\"{}\">",
        lang.pick("各状态数量", "count per state")
    );
    let _ = writeln!(
        out,
        "<li id=\"count-departments\"><span class=\"n\">{}</span>{}</li>",
        board.rows.len(),
        lang.pick("部门", "departments")
    );
    let _ = writeln!(
        out,
        "<li id=\"count-none\"><span class=\"n\">{}</span>{}</li>",
        board.rows.iter().filter(|r| r.latest.is_none()).count(),
        lang.pick("未报送", "not submitted")
    );
    for (state, _, key) in STATES {
        let _ = writeln!(
            out,
            "<li id=\"count-{key}\"><span class=\"n\">{}</span>{}</li>",
            board.count(state),
            state_name(state, lang)
        );
    }
    out.push_str("</ul>\n");
}

fn departments(out: &mut String, board: &Board, site: Option<&Site>, lang: Lang) {
    let _ = writeln!(
        out,
        "<table>\n<caption>{}</caption>\n<thead><tr>{}</tr></thead>\n<tbody>",
        lang.pick("各部门最新一次报送", "Latest submission of each department"),
        [
            lang.pick("部门代码", "Code"),
            lang.pick("部门", "Department"),
            lang.pick("状态", "State"),
            lang.pick("版本", "Version"),
            lang.pick("更新时间", "Updated"),
            lang.pick("审核意见", "Findings"),
            lang.pick("公开页面", "Published page"),
        ]
        .iter()
        .map(|h| format!("<th scope=\"col\">{h}</th>"))
        .collect::<String>()
    );
    for row in &board.rows {
        department_row(out, row, site, lang);
    }
    out.push_str("</tbody>\n</table>\n");
}

fn department_row(out: &mut String, row: &DepartmentRow, site: Option<&Site>, lang: Lang) {
    let code = escape(row.department.code.as_str());
    let _ = write!(
        out,
        "<tr id=\"dept-{code}\"><td>{code}</td><th scope=\"row\">{}</th>",
        escape(&row.department.name)
    );
    let Some(latest) = &row.latest else {
        let _ = writeln!(
            out,
            "<td class=\"state state-none\">{}</td><td></td><td></td><td></td><td></td></tr>",
            lang.pick("未报送", "not submitted")
        );
        return;
    };
    let summary = &latest.summary;
    let _ = write!(
        out,
        "<td class=\"state state-{}\">{}</td><td>{}",
        summary.state.as_str(),
        state_name(summary.state, lang),
        summary.version,
    );
    if summary.version > 1 {
        let _ = write!(
            out,
            " <a class=\"diff\" href=\"/dashboard/submissions/{}/diff{}\">{}</a>",
            summary.id,
            lang.pick("", "?lang=en"),
            lang.pick("与上一版本比较", "changes since the version before")
        );
    }
    let _ = write!(
        out,
        "</td><td>{}</td><td>",
        escape(&readable_time(&summary.updated_at))
    );
    if let Some(failure) = &summary.failure {
        let _ = write!(
            out,
            "<p class=\"failure\">{}（{}）：{}</p>",
            lang.pick("处理失败", "Failed"),
            escape(&failure.stage),
            escape(&failure.reason)
        );
    }
    findings(out, &latest.findings, lang);
    out.push_str("</td><td>");
    if let Some(href) = published_page(&latest.publication, site, &row.department.code) {
        let _ = write!(
            out,
            "<a href=\"{}\">{}</a>",
            html_escape::encode_double_quoted_attribute(&href),
            lang.pick("查看", "open")
        );
    }
    out.push_str("</td></tr>\n");
}

/// The findings of the validator as collapsed lists, errors first: the checks of the document
/// itself (`n 错误 · m 警告 · k 提示`), then, apart, those against last year's disclosure
/// (与上年比较) — which rules those are, the catalog says (their family).
fn findings(out: &mut String, findings: &Value, lang: Lang) {
    let Some(list) = findings.get("findings").and_then(Value::as_array) else {
        return;
    };
    let (year_over_year, own): (Vec<&Value>, Vec<&Value>) =
        list.iter().partition(|f| is_year_over_year(f));
    finding_group(out, &own, None, lang);
    if !year_over_year.is_empty() {
        finding_group(
            out,
            &year_over_year,
            Some(lang.pick("与上年比较", "Compared with last year")),
            lang,
        );
    }
}

fn is_year_over_year(finding: &Value) -> bool {
    finding
        .get("rule")
        .and_then(Value::as_str)
        .and_then(budgetflow_validate::rule)
        .is_some_and(|rule| rule.family == Family::YearOverYear)
}

fn severity_of(finding: &Value) -> &'static str {
    match finding.get("severity").and_then(Value::as_str) {
        Some("error") => "error",
        Some("warning") => "warning",
        _ => "info",
    }
}

/// One collapsed list of findings with its counts, under `label` when it is a group apart.
fn finding_group(out: &mut String, list: &[&Value], label: Option<&str>, lang: Lang) {
    let count = |severity: &str| list.iter().filter(|f| severity_of(f) == severity).count();
    let _ = write!(
        out,
        "<details{}><summary>",
        if label.is_some() {
            " class=\"yoy\""
        } else {
            ""
        }
    );
    if let Some(label) = label {
        let _ = write!(
            out,
            "<strong>{}</strong>{}",
            escape(label),
            lang.pick("：", ": ")
        );
    }
    let _ = write!(
        out,
        "{} {} · {} {} · {} {}</summary><ol>",
        count("error"),
        lang.pick("错误", "errors"),
        count("warning"),
        lang.pick("警告", "warnings"),
        count("info"),
        lang.pick("提示", "infos"),
    );
    let rank = |f: &&Value| match severity_of(f) {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    let mut ordered: Vec<&Value> = list.to_vec();
    ordered.sort_by_key(rank);
    for finding in ordered.iter().take(FINDINGS_SHOWN) {
        let message = finding.get("message").and_then(Value::as_str).unwrap_or("");
        let rule = finding.get("rule").and_then(Value::as_str).unwrap_or("");
        let _ = write!(
            out,
            "<li class=\"sev-{}\"><code>{}</code> {}</li>",
            severity_of(finding),
            escape(rule),
            escape(message)
        );
    }
    if list.len() > FINDINGS_SHOWN {
        let _ = write!(
            out,
            "<li>{} {}</li>",
            lang.pick("另有", "and"),
            list.len() - FINDINGS_SHOWN
        );
    }
    out.push_str("</ol></details>");
}

/// A page that only says why it cannot show what was asked (a bad year, a missing version).
pub fn problem(message: &str, lang: Lang) -> String {
    let mut out = String::new();
    let title = lang.pick("无法显示", "Cannot show this");
    head(&mut out, title, None, lang);
    let _ = writeln!(
        out,
        "<h1>{title}</h1>\n<p class=\"sev-error\" role=\"alert\">{}</p>\n\
         <p><a href=\"/dashboard{}\">{}</a></p>\n</body>\n</html>",
        escape(message),
        lang.pick("", "?lang=en"),
        lang.pick("返回报送进度", "Back to the submissions"),
    );
    out
}

fn amount(value: Option<Amount>, lang: Lang) -> String {
    value.map_or_else(|| lang.pick("空", "blank").to_owned(), Amount::grouped)
}

/// The diff page: what version `new` changed since version `old` of a department's year —
/// the changed cells (table, row code and name, column, old and new), the rows added,
/// removed or relabelled, the changed paragraphs, and the findings resolved, new and still
/// open. Every text comes from the submitted documents and is escaped.
pub fn diff(compared: &Compared, department: &str, lang: Lang) -> String {
    let (old, new, diff) = (&compared.old, &compared.new, &compared.diff);
    let mut out = String::with_capacity(16 * 1024);
    let title = match lang {
        Lang::Zh => format!(
            "{department} {} 年 第{}版 → 第{}版",
            new.fiscal_year, old.version, new.version
        ),
        Lang::En => format!(
            "{department} {}: version {} → version {}",
            new.fiscal_year, old.version, new.version
        ),
    };
    head(&mut out, &title, None, lang);
    let _ = writeln!(
        out,
        "<p><a href=\"/dashboard?year={}{}\">{}</a></p>\n<h1>{}</h1>",
        new.fiscal_year,
        lang_query(lang),
        lang.pick("返回报送进度", "Back to the submissions"),
        escape(&title)
    );
    if diff.is_empty() {
        let _ = writeln!(
            out,
            "<p id=\"no-changes\">{}</p>",
            lang.pick(
                "两个版本内容一致，没有差异。",
                "The two versions say the same things: no differences."
            )
        );
    }
    let th = |cells: &[&str]| -> String {
        cells
            .iter()
            .map(|c| format!("<th scope=\"col\">{c}</th>"))
            .collect()
    };
    let _ = writeln!(
        out,
        "<h2>{} ({})</h2>\n<table id=\"changed-cells\">\n<thead><tr>{}</tr></thead>\n<tbody>",
        lang.pick("单元格变动", "Changed cells"),
        diff.cells.len(),
        th(&[
            lang.pick("表", "Table"),
            lang.pick("行", "Row"),
            lang.pick("栏目", "Column"),
            lang.pick("原值", "Old"),
            lang.pick("新值", "New"),
            lang.pick("单位", "Unit"),
        ])
    );
    for cell in &diff.cells {
        let _ = writeln!(
            out,
            "<tr class=\"cell-change\"><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"old\">{}</td><td class=\"new\">{}</td><td>{}</td></tr>",
            escape(&cell.table.label(lang)),
            escape(&cell.row.label(lang)),
            escape(cell.column.label),
            amount(cell.old, lang),
            amount(cell.new, lang),
            cell.unit.label()
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if !diff.rows.is_empty() {
        let _ = writeln!(
            out,
            "<h2>{} ({})</h2>\n<ul id=\"changed-rows\">",
            lang.pick("增删或改名的行", "Rows added, removed or relabelled"),
            diff.rows.len()
        );
        for row in &diff.rows {
            let change = match row.change {
                RowChangeKind::Added => lang.pick("新增", "added").to_owned(),
                RowChangeKind::Removed => lang.pick("删除", "removed").to_owned(),
                RowChangeKind::Relabelled => format!(
                    "{}“{}”",
                    lang.pick("原为", "was "),
                    row.old_row
                        .as_ref()
                        .map(|o| o.label(lang))
                        .unwrap_or_default()
                ),
            };
            let _ = writeln!(
                out,
                "<li>{} · {}{}{}</li>",
                escape(&row.table.label(lang)),
                escape(&row.row.label(lang)),
                lang.pick("：", ": "),
                escape(&change)
            );
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(
        out,
        "<h2>{} ({})</h2>\n<ol id=\"changed-paragraphs\">",
        lang.pick("段落变动", "Changed paragraphs"),
        diff.paragraphs.len()
    );
    for paragraph in &diff.paragraphs {
        let change = match paragraph.change {
            ParagraphChangeKind::Changed => lang.pick("修改", "changed"),
            ParagraphChangeKind::Added => lang.pick("新增", "added"),
            ParagraphChangeKind::Removed => lang.pick("删除", "removed"),
        };
        let position = paragraph
            .new_position
            .or(paragraph.old_position)
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li>{} {}{position}{}{}",
            escape(&paragraph.section.label(lang)),
            lang.pick("第", "paragraph "),
            lang.pick("段：", ": "),
            change
        );
        if let Some(text) = &paragraph.old {
            let _ = write!(
                out,
                "<p class=\"old\">{}{}</p>",
                lang.pick("原：", "old: "),
                escape(text)
            );
        }
        if let Some(text) = &paragraph.new {
            let _ = write!(
                out,
                "<p class=\"new\">{}{}</p>",
                lang.pick("新：", "new: "),
                escape(text)
            );
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    let f = &diff.findings;
    for (list, id, zh, en) in [
        (
            &f.resolved,
            "findings-resolved",
            "已解决的问题",
            "Resolved findings",
        ),
        (&f.new, "findings-new", "新出现的问题", "New findings"),
        (
            &f.still_open,
            "findings-still-open",
            "仍未解决的问题",
            "Findings still open",
        ),
    ] {
        let _ = writeln!(
            out,
            "<h2>{} ({})</h2>\n<ol id=\"{id}\">",
            lang.pick(zh, en),
            list.len()
        );
        for finding in list.iter() {
            finding_item(&mut out, finding, lang);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn finding_item(out: &mut String, finding: &FindingRef, lang: Lang) {
    let severity = match finding.severity {
        budgetflow_validate::Severity::Error => "error",
        budgetflow_validate::Severity::Warning => "warning",
        budgetflow_validate::Severity::Info => "info",
    };
    let _ = writeln!(
        out,
        "<li class=\"sev-{severity}\"><code>{}</code> {}</li>",
        escape(finding.rule),
        escape(finding.message(lang))
    );
}

/// Where the published page is, from the publication the publish stage recorded: its `url`
/// when a portal gave one (`https://` or `http://` only), else its `page` file as a link into
/// the served site built from the department's `code` (a page outside the code's directory
/// is not linked).
fn published_page(
    publication: &Value,
    site: Option<&Site>,
    code: &DepartmentCode,
) -> Option<String> {
    if let Some(url) = publication.get("url").and_then(Value::as_str) {
        let web = ["https://", "http://"].iter().any(|scheme| {
            url.get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
        });
        return web.then(|| url.to_owned());
    }
    let page = publication.get("page").and_then(Value::as_str)?;
    site?.link(page, code)
}

/// `2026-11-27T11:01:51.825307Z` → `2026-11-27 11:01:51 UTC` (the ledger's RFC 3339 times).
fn readable_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..19)) {
        (Some(date), Some(time)) if rfc3339.ends_with('Z') => format!("{date} {time} UTC"),
        _ => rfc3339.to_owned(),
    }
}

/// Escapes text for an HTML element or a quoted attribute.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_safe(text)
}

#[cfg(test)]
mod tests {
    use budgetflow_ledger::{Failure, Submission, SubmissionSummary};
    use serde_json::json;

    use super::*;

    fn department(code: &str, name: &str, role: Role) -> Department {
        Department {
            code: DepartmentCode::new(code).unwrap(),
            name: name.into(),
            role,
            created_at: "2025-01-01T00:00:00Z".into(),
            rotated_at: None,
        }
    }

    fn submitted(code: &str, state: SubmissionState, findings: Value) -> Submission {
        Submission {
            summary: SubmissionSummary {
                id: uuid::Uuid::nil(),
                department: DepartmentCode::new(code).unwrap(),
                fiscal_year: 2025,
                version: 2,
                state,
                received_at: "2025-01-20T08:00:00Z".into(),
                updated_at: "2025-01-20T08:00:05Z".into(),
                failure: None,
            },
            department_name: String::new(),
            content_type: "text/plain".into(),
            content_sha256: String::new(),
            bytes: 1,
            findings,
            scores: Value::Null,
            publication: json!({"page": format!("/srv/public/{code}/2025/34d0446794c62ebc/index.html")}),
            history: Vec::new(),
        }
    }

    fn board(states: &[Option<SubmissionState>]) -> Board {
        let rows = states
            .iter()
            .enumerate()
            .map(|(i, state)| {
                let code = format!("d{i}");
                DepartmentRow {
                    department: department(&code, &format!("部门<{i}>"), Role::Department),
                    latest: state.map(|s| submitted(&code, s, Value::Null)),
                }
            })
            .collect();
        Board {
            fiscal_year: 2025,
            years: vec![2026, 2025],
            rows,
        }
    }

    fn count(page: &str, key: &str) -> String {
        let marker = format!("<li id=\"count-{key}\"><span class=\"n\">");
        let start = page.find(&marker).expect(key) + marker.len();
        page[start..page[start..].find('<').unwrap() + start].to_string()
    }

    #[test]
    fn counts_each_state_and_the_departments_that_have_not_submitted() {
        use SubmissionState::*;
        let board = board(&[
            Some(Published),
            Some(Published),
            Some(Rejected),
            Some(Received),
            None,
        ]);
        let bureau = department("bureau", "财政局", Role::Bureau);
        let site = Site {
            dir: "/srv/public".into(),
            url: "/site".into(),
            served: true,
        };
        let page = render(&board, &bureau, Some(&site), Lang::Zh);
        assert_eq!(count(&page, "departments"), "5");
        assert_eq!(count(&page, "published"), "2");
        assert_eq!(count(&page, "rejected"), "1");
        assert_eq!(count(&page, "received"), "1");
        assert_eq!(count(&page, "none"), "1");
        assert_eq!(count(&page, "failed"), "0");
        // names are escaped, the published page linked
        assert!(page.contains("部门&lt;0&gt;"), "{page}");
        assert!(page.contains("<td>2025-01-20 08:00:05 UTC</td>"), "{page}");
        assert!(
            page.contains("href=\"/site/d0/2025/34d0446794c62ebc/index.html\""),
            "{page}"
        );
    }

    #[test]
    fn reloads_itself_while_something_is_in_flight_and_stops_when_all_have_ended() {
        use SubmissionState::*;
        let bureau = department("bureau", "财政局", Role::Bureau);
        let moving = render(
            &board(&[Some(Validated), Some(Published)]),
            &bureau,
            None,
            Lang::Zh,
        );
        assert!(
            moving.contains("http-equiv=\"refresh\" content=\"2\""),
            "{moving}"
        );
        let mut ended = board(&[Some(Failed), Some(Published), Some(Rejected), None]);
        ended.rows[0].latest.as_mut().unwrap().summary.failure = Some(Failure {
            stage: "publish".into(),
            reason: "File name too long <os error 36>".into(),
        });
        let settled = render(&ended, &bureau, None, Lang::En);
        assert!(!settled.contains("http-equiv"), "{settled}");
        assert!(settled.contains("not submitted"));
        assert!(
            settled.contains("<p class=\"failure\">Failed（publish）：File name too long &lt;os error 36&gt;</p>"),
            "{settled}"
        );
        assert!(!sign_in(None, Lang::Zh).contains("http-equiv"));
    }

    #[test]
    fn hostile_names_and_findings_stay_text_and_links_come_from_the_code() {
        let bureau = department("bureau", "财政局", Role::Bureau);
        let hostile = [
            "javascript:alert(document.domain)<!--",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
        ];
        let mut board = board(&[Some(SubmissionState::Published); 3]);
        for (row, name) in board.rows.iter_mut().zip(hostile) {
            row.department.name = name.into();
            let latest = row.latest.as_mut().unwrap();
            latest.findings = json!({"errors": 0, "warnings": 1, "infos": 0, "findings": [
                {"severity": "warning\" onmouseover=\"alert(1)", "rule": name, "message": name},
            ]});
        }
        board.rows[1].latest.as_mut().unwrap().publication = json!({"url": "javascript:alert(1)"});
        board.rows[2].latest.as_mut().unwrap().publication =
            json!({"page": format!("/srv/public/{}/2025/v/index.html", hostile[0])});
        let site = Site {
            dir: "/srv/public".into(),
            url: "/site".into(),
            served: true,
        };
        let page = render(&board, &bureau, Some(&site), Lang::Zh);
        for name in hostile {
            assert!(!page.contains(name), "{name} unescaped in {page}");
        }
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("href=\"javascript:"), "{page}");
        assert!(!page.contains("onmouseover=\""), "{page}");
        assert_eq!(page.matches("<a href=").count(), 1, "{page}");
        assert!(page.contains("<a href=\"/site/d0/2025/34d0446794c62ebc/index.html\">"));
        assert!(page.contains("class=\"sev-info\""), "{page}");
    }

    #[test]
    fn the_policy_allows_the_pages_own_style_and_no_script() {
        use base64::Engine;
        use sha2::Digest;
        let policy = content_security_policy();
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE));
        assert!(
            policy.contains(&format!("style-src 'sha256-{hash}'")),
            "{policy}"
        );
        assert!(policy.contains("default-src 'none'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("script-src"));
        assert!(!policy.contains("unsafe"));
        // the style block the pages carry is exactly the hashed one
        assert!(sign_in(None, Lang::Zh).contains(&format!("<style>{STYLE}</style>")));
    }

    #[test]
    fn the_year_selector_lists_every_year_and_marks_the_one_shown() {
        let bureau = department("bureau", "财政局", Role::Bureau);
        let mut shown = board(&[None]);
        shown.years = vec![2026, 2025, 2024];
        let page = render(&shown, &bureau, None, Lang::Zh);
        assert!(
            page.contains("<strong aria-current=\"page\" id=\"year-2025\">2025</strong>"),
            "{page}"
        );
        assert!(page.contains("<a id=\"year-2026\" href=\"/dashboard?year=2026\">2026</a>"));
        assert!(page.contains("<a id=\"year-2024\" href=\"/dashboard?year=2024\">2024</a>"));
        // a year nobody filed for, asked for by hand, is still shown as the current one
        shown.fiscal_year = 2030;
        let page = render(&shown, &bureau, None, Lang::En);
        assert!(page.contains("id=\"year-2030\">2030</strong>"), "{page}");
        assert!(
            page.contains("href=\"/dashboard?year=2025&lang=en\""),
            "{page}"
        );
    }

    #[test]
    fn findings_against_last_year_are_a_group_of_their_own() {
        let findings = json!({"errors": 2, "warnings": 0, "infos": 0, "findings": [
            {"severity": "error", "rule": "T1.balance", "message": "表1 收入总计应为 100.00"},
            {"severity": "error", "rule": "Y.stated-change", "message": "所述较上年增减<b>"},
        ]});
        let mut board = board(&[None]);
        board.rows[0].latest = Some(submitted("d0", SubmissionState::Rejected, findings));
        let bureau = department("bureau", "财政局", Role::Bureau);
        let page = render(&board, &bureau, None, Lang::Zh);
        let group = page.find("<details class=\"yoy\">").expect("the group");
        assert!(page[..group].contains("表1 收入总计应为 100.00"));
        assert!(!page[..group].contains("Y.stated-change"));
        let rest = &page[group..];
        assert!(
            rest.starts_with(
                "<details class=\"yoy\"><summary><strong>与上年比较</strong>：1 错误 · 0 警告 · 0 提示"
            ),
            "{rest}"
        );
        assert!(rest.contains("所述较上年增减&lt;b&gt;"), "{rest}");
        // the version link, for a second version
        assert!(page
            .contains("href=\"/dashboard/submissions/00000000-0000-0000-0000-000000000000/diff\""));
    }

    #[test]
    fn the_diff_page_lists_the_changed_cell_and_keeps_hostile_text_as_text() {
        let old = budgetflow_formats::read_any(
            include_str!("../../../../samples/urumqi-miit-2025.txt").as_bytes(),
        )
        .unwrap();
        let mut new = old.clone();
        let t2 = new.tables.revenue.as_mut().unwrap();
        let total = t2.rows.iter_mut().find(|r| r.code.is_none()).unwrap();
        total.amounts.general_budget = Some("2800.00".parse().unwrap());
        let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";
        let paragraph = new
            .narrative
            .sections
            .iter_mut()
            .flat_map(|s| s.blocks.iter_mut())
            .find_map(|b| match b {
                budgetflow_model::narrative::Block::Paragraph(p) => Some(p),
                _ => None,
            })
            .unwrap();
        paragraph.text = hostile.to_owned();
        let summary = |version| SubmissionSummary {
            version,
            ..submitted("d0", SubmissionState::Rejected, Value::Null).summary
        };
        let compared = Compared {
            old: summary(1),
            new: summary(2),
            diff: budgetflow_validate::diff(&old, &new),
        };
        let page = diff(&compared, "部门<0>", Lang::Zh);
        assert_eq!(
            page.matches("<tr class=\"cell-change\">").count(),
            1,
            "{page}"
        );
        assert!(
            page.contains("<td class=\"old\">2,794.98</td><td class=\"new\">2,800.00</td>"),
            "{page}"
        );
        assert!(
            page.contains("部门&lt;0&gt; 2025 年 第1版 → 第2版"),
            "{page}"
        );
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(page.contains("&lt;script&gt;"), "{page}");
    }

    #[test]
    fn findings_are_readable_in_place_errors_first() {
        let findings = json!({"errors": 1, "warnings": 1, "infos": 1, "findings": [
            {"severity": "info", "rule": "T6.hierarchy", "message": "取整差异"},
            {"severity": "warning", "rule": "C.unknown", "message": "未知科目"},
            {"severity": "error", "rule": "T1.balance", "message": "表1 收入总计应为 100.00，实为 90.00"},
        ]});
        let mut board = board(&[None]);
        board.rows[0].latest = Some(submitted("d0", SubmissionState::Rejected, findings));
        let page = render(
            &board,
            &department("d0", "部门", Role::Department),
            None,
            Lang::Zh,
        );
        assert!(page.contains("1 错误 · 1 警告 · 1 提示"), "{page}");
        let error = page.find("表1 收入总计应为 100.00").unwrap();
        let warning = page.find("未知科目").unwrap();
        let info = page.find("取整差异").unwrap();
        assert!(error < warning && warning < info);
        assert!(page.contains("仅本部门"));
    }
}
