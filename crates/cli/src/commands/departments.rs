//! `budgetflow departments add|list|rotate-token [--database URL]`: who may submit.
//!
//! Each department gets an API token for the ingestion API; the finance bureau (`add
//! --bureau`) gets one that reads every department's submissions. A token is printed once,
//! alone on standard output (so `… > token.txt` keeps just the token), and only its SHA-256
//! is stored; a lost token is replaced with `rotate-token`, which stops the old one at once.
//! The database is the ledger `budgetflow-ingest` uses (`--database`, `DATABASE_URL`, or the
//! SQLite file the service uses by default).

use budgetflow_ledger::{DepartmentCode, Ledger, LedgerError, Role};
use budgetflow_model::Lang;

use crate::args::DepartmentsAction;
use crate::exit::{CliError, Outcome};

/// A refusal (a code or name taken or invalid, an unknown department) is a finding, said
/// here; a database that fails is an error.
pub async fn run(
    action: DepartmentsAction,
    database: &str,
    lang: Lang,
) -> Result<Outcome, CliError> {
    match act(action, database, lang).await {
        Ok(printed) => {
            let mut out = crate::output::stdout();
            out.text(&printed)?;
            out.finish()?;
            Ok(Outcome::Clean)
        }
        Err(error) if refused(&error) => {
            eprintln!("{}", message(&error, database, lang));
            Ok(Outcome::Findings)
        }
        Err(error @ LedgerError::UnsupportedUrl(_)) => {
            Err(CliError::usage(|lang| message(&error, database, lang)))
        }
        Err(error) => Err(CliError::failed(|lang| message(&error, database, lang))),
    }
}

/// The ledger said no to what was asked, rather than failing.
fn refused(error: &LedgerError) -> bool {
    matches!(
        error,
        LedgerError::DuplicateDepartment(_)
            | LedgerError::UnknownDepartment(_)
            | LedgerError::InvalidCode(_)
            | LedgerError::InvalidName(_)
    )
}

/// Does what was asked; what to print on stdout (a token alone, or the list).
async fn act(action: DepartmentsAction, database: &str, lang: Lang) -> Result<String, LedgerError> {
    let ledger = Ledger::connect(database).await?;
    let result = match action {
        DepartmentsAction::Add { code, name, bureau } => {
            let code = DepartmentCode::new(&code)?;
            let role = if bureau {
                Role::Bureau
            } else {
                Role::Department
            };
            let token = ledger.add_department(&code, &name, role).await?;
            eprintln!(
                "{}",
                match (role, lang) {
                    (Role::Bureau, Lang::Zh) => format!(
                        "已登记财政局 {code}（{name}）。以下令牌只显示这一次，可查看所有部门的提交："
                    ),
                    (Role::Bureau, Lang::En) => format!(
                        "registered the bureau {code} ({name}). Its token, shown this once, reads every department's submissions:"
                    ),
                    (Role::Department, Lang::Zh) => format!(
                        "已登记部门 {code}（{name}）。以下令牌只显示这一次，请安全地交给该部门："
                    ),
                    (Role::Department, Lang::En) => format!(
                        "registered department {code} ({name}). Its token, shown this once — hand it over safely:"
                    ),
                }
            );
            Ok(format!("{}\n", token.expose()))
        }
        DepartmentsAction::List => {
            let departments = ledger.departments().await?;
            if departments.is_empty() {
                eprintln!(
                    "{}",
                    lang.pick("尚未登记任何部门", "no department registered yet")
                );
            }
            let mut listed = String::new();
            for department in departments {
                let role = match department.role {
                    Role::Bureau => lang.pick("财政局", "bureau"),
                    Role::Department => lang.pick("部门", "department"),
                };
                let rotated = department.rotated_at.as_deref().unwrap_or("-");
                listed.push_str(&format!(
                    "{}\t{}\t{role}\t{}\t{rotated}\n",
                    department.code, department.name, department.created_at
                ));
            }
            Ok(listed)
        }
        DepartmentsAction::RotateToken { code } => {
            let code = DepartmentCode::new(&code)?;
            let token = ledger.rotate_token(&code).await?;
            eprintln!(
                "{}",
                match lang {
                    Lang::Zh =>
                        format!("已为 {code} 更换令牌，旧令牌即刻失效。新令牌只显示这一次："),
                    Lang::En => format!(
                        "new token for {code}; the old one no longer works. Shown this once:"
                    ),
                }
            );
            Ok(format!("{}\n", token.expose()))
        }
    };
    ledger.close().await;
    result
}

fn message(error: &LedgerError, database: &str, lang: Lang) -> String {
    match (error, lang) {
        (LedgerError::DuplicateDepartment(what), Lang::Zh) => {
            format!("部门 {what} 已登记（代码和名称都不能重复）")
        }
        (LedgerError::UnknownDepartment(code), Lang::Zh) => {
            format!("没有代码为 {code} 的部门：先用 budgetflow departments add 登记")
        }
        (LedgerError::InvalidCode(code), Lang::Zh) => {
            format!("部门代码 `{code}` 无效：应为 1–32 个英文字母、数字、- 或 _")
        }
        (LedgerError::InvalidName(name), Lang::Zh) => {
            format!("部门名称 `{name}` 无效：应为 1–200 个字符，且与其预算公开文件首行一致")
        }
        (LedgerError::UnsupportedUrl(url), Lang::Zh) => {
            format!("不支持的数据库地址 `{url}`：应为 sqlite://路径 或 postgres://…")
        }
        (other, Lang::Zh) => format!("台账数据库（{database}）操作失败：{other}"),
        (other, Lang::En) => format!("ledger database ({database}): {other}"),
    }
}
