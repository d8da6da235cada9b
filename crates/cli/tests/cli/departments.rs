//! `budgetflow departments`: tokens printed once and alone, stored hashed, rotated.

use std::process::{Command, Output};

use budgetflow_ledger::Ledger;

fn budgetflow(database: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_budgetflow"))
        .args(args)
        .args(["--database", database])
        .env_remove("DATABASE_URL")
        .env_remove("BUDGETFLOW__INGEST__DATABASE_URL")
        .output()
        .expect("budgetflow runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[tokio::test]
async fn tokens_are_issued_listed_and_rotated() {
    let dir = std::env::temp_dir().join(format!("budgetflow-departments-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let database = format!("sqlite://{}", dir.join("nested/ledger.db").display());

    let added = budgetflow(
        &database,
        &["departments", "add", "miit", "乌鲁木齐市工业和信息化局"],
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let token = stdout(&added).trim().to_owned();
    assert!(
        token.starts_with("bft_") && token.len() == 68,
        "only the token on stdout: {token}"
    );
    let bureau = budgetflow(
        &database,
        &[
            "departments",
            "add",
            "bureau",
            "乌鲁木齐市财政局",
            "--bureau",
        ],
    );
    assert!(bureau.status.success());

    let listed = budgetflow(&database, &["departments", "list"]);
    assert!(listed.status.success());
    let lines: Vec<_> = stdout(&listed).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("bureau\t乌鲁木齐市财政局\t财政局\t"));
    assert!(lines[1].starts_with("miit\t乌鲁木齐市工业和信息化局\t部门\t"));
    assert!(
        !stdout(&listed).contains(&token[4..]),
        "list never shows a token"
    );

    let again = budgetflow(&database, &["departments", "add", "miit", "另一个局"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已登记"));
    let bad = budgetflow(
        &database,
        &["departments", "add", "工信局", "乌鲁木齐市工业和信息化局"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("部门代码"));

    let rotated = budgetflow(&database, &["departments", "rotate-token", "miit"]);
    assert!(rotated.status.success());
    let new_token = stdout(&rotated).trim().to_owned();
    assert_ne!(new_token, token);
    let unknown = budgetflow(&database, &["departments", "rotate-token", "nobody"]);
    assert_eq!(unknown.status.code(), Some(1));

    let ledger = Ledger::connect(&database).await.unwrap();
    assert!(
        ledger.authenticate(&token).await.unwrap().is_none(),
        "the old token stopped"
    );
    let who = ledger.authenticate(&new_token).await.unwrap().unwrap();
    assert_eq!(who.code.as_str(), "miit");
    ledger.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The services' variable names the database, as it does for `budgetflow-ingest`; the old
/// name `DATABASE_URL` still does when the new one is not set.
#[test]
fn the_services_variable_names_the_database_and_database_url_is_its_alias() {
    let dir = tempfile::tempdir().unwrap();
    let url = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
    let departments = |variables: &[(&str, String)], args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_budgetflow"));
        command
            .arg("departments")
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("BUDGETFLOW__INGEST__DATABASE_URL");
        for (name, value) in variables {
            command.env(name, value);
        }
        let output = command.output().expect("budgetflow runs");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout(&output)
    };
    departments(
        &[("DATABASE_URL", url("alias.db"))],
        &["add", "alias", "别名局"],
    );
    departments(
        &[("BUDGETFLOW__INGEST__DATABASE_URL", url("named.db"))],
        &["add", "named", "正名局"],
    );
    let both = [
        ("DATABASE_URL", url("alias.db")),
        ("BUDGETFLOW__INGEST__DATABASE_URL", url("named.db")),
    ];
    let listed = departments(&both, &["list"]);
    assert!(
        listed.starts_with("named\t") && !listed.contains("alias"),
        "the services' name wins over the alias: {listed}"
    );
    let listed = departments(&both[..1], &["list"]);
    assert!(listed.starts_with("alias\t"), "{listed}");
}
