//! `budgetflow departments add|list|rotate-token [--database URL]`: who may submit.
//!
//! Each department gets an API token for the ingestion API; the finance bureau (`add
//! --bureau`) gets one that reads every department's submissions. A token is printed once,
//! alone on standard output (so `… > token.txt` keeps just the token), and only its SHA-256
//! is stored; a lost token is replaced with `rotate-token`, which stops the old one at once.
//! The database is the ledger `budgetflow-ingest` uses (`--database`, `DATABASE_URL`, or the
//! SQLite file the service uses by default).

use std::process::ExitCode;

use budgetflow_ledger::{DepartmentCode, Ledger, LedgerError, Role};
use budgetflow_model::Lang;

use crate::args::DepartmentsAction;

pub fn run(action: DepartmentsAction, database: &str, lang: Lang) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{}: {error}", lang.pick("无法启动", "cannot start"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(act(action, database, lang)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", message(&error, database, lang));
            ExitCode::FAILURE
        }
    }
}

async fn act(action: DepartmentsAction, database: &str, lang: Lang) -> Result<(), LedgerError> {
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
            println!("{}", token.expose());
            Ok(())
        }
        DepartmentsAction::List => {
            let departments = ledger.departments().await?;
            if departments.is_empty() {
                eprintln!(
                    "{}",
                    lang.pick("尚未登记任何部门", "no department registered yet")
                );
            }
            for department in departments {
                let role = match department.role {
                    Role::Bureau => lang.pick("财政局", "bureau"),
                    Role::Department => lang.pick("部门", "department"),
                };
                let rotated = department.rotated_at.as_deref().unwrap_or("-");
                println!(
                    "{}\t{}\t{role}\t{}\t{rotated}",
                    department.code, department.name, department.created_at
                );
            }
            Ok(())
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
            println!("{}", token.expose());
            Ok(())
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
