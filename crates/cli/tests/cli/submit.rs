//! `budgetflow submit` against the real API with the pipeline behind it (in this process):
//! a department's folder of disclosures, uploaded, followed to the end, summarised.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use budgetflow_bus::{MemoryTransport, Topology};
use budgetflow_ingest::api::Limits;
use budgetflow_ledger::scratch::Scratch;
use budgetflow_ledger::{DepartmentCode, Role};
use budgetflow_pipeline::system::System;

use crate::support::budgetflow;

const SAMPLE: &str = include_str!("../../../../samples/urumqi-miit-2025.txt");
const SAMPLE_DEPARTMENT: &str = "乌鲁木齐市工业和信息化局";

async fn submit(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_budgetflow"))
            .arg("submit")
            .args(args)
            .output()
            .expect("budgetflow runs")
    })
    .await
    .expect("the command finished")
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).expect("written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_is_submitted_followed_and_summarised() {
    let scratch = Scratch::sqlite().await.expect("a scratch ledger");
    let token = scratch
        .ledger
        .add_department(
            &DepartmentCode::new("miit").unwrap(),
            SAMPLE_DEPARTMENT,
            Role::Department,
        )
        .await
        .unwrap()
        .expose()
        .to_owned();
    let published = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let system = System::start(
        listener,
        scratch.ledger.clone(),
        Arc::new(MemoryTransport::new(Topology::new("submitcli"), 256)),
        published.path(),
        Limits::default(),
        budgetflow_model::Lang::Zh,
    )
    .unwrap();

    // the sample; the sample with a wrong 表1 total; another department's disclosure; noise
    let inbox = tempfile::tempdir().unwrap();
    write(inbox.path(), "1-sample.txt", SAMPLE);
    let mut faulty = budgetflow_formats::text::read_str(SAMPLE).unwrap();
    faulty.tables.overall.as_mut().unwrap().revenue_total = Some("6800.00".parse().unwrap());
    write(
        inbox.path(),
        "2-faulty.json",
        budgetflow_formats::json::write(&faulty),
    );
    let other = budgetflow_synth::document(5, 0);
    write(
        inbox.path(),
        "3-other.txt",
        budgetflow_formats::text::write(&other),
    );
    write(inbox.path(), "4-noise.txt", "这不是预算公开文件\n");
    write(
        inbox.path(),
        "notes.md",
        "skipped: not a disclosure extension",
    );

    let args = |dir: &Path| {
        vec![
            dir.display().to_string(),
            "--url".into(),
            system.url.clone(),
            "--token".into(),
            token.clone(),
            "--wait".into(),
            "120".into(),
        ]
    };
    let out = submit(args(inbox.path())).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no row for {name}: {stdout}"))
            .to_owned()
    };
    assert!(line("1-sample.txt").contains("已发布"), "{stdout}");
    let faulty_row = line("2-faulty.json");
    assert!(faulty_row.contains("未通过审核"), "{stdout}");
    assert!(
        faulty_row.contains("6,800.00"),
        "the first error names the figure: {stdout}"
    );
    assert!(line("3-other.txt").contains("被拒收 403"), "{stdout}");
    let noise = line("4-noise.txt");
    assert!(
        noise.contains("被拒收 422") && noise.contains("（第 1 行）"),
        "{stdout}"
    );
    assert!(!stdout.contains("notes.md"), "{stdout}");
    assert!(
        stdout.contains("合计：4 份，已发布 1，退回或拒收 3，失败或未完成 0"),
        "{stdout}"
    );

    // the sample alone, again: the same submission, already published — exit 0
    let again = tempfile::tempdir().unwrap();
    write(again.path(), "sample.txt", SAMPLE);
    let out = submit(args(again.path())).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // a wrong token: refused, and said so
    let mut wrong = args(again.path());
    wrong[4] = "bft_wrong".into();
    let out = submit(wrong).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("被拒收 401"));

    system.stop().await.expect("stopped cleanly");
}

#[test]
fn serve_is_the_whole_system_in_one_process_until_sigterm() {
    use std::io::BufRead;

    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let out = dir.path().join("public");
    let added = budgetflow(&[
        "departments",
        "add",
        "miit",
        SAMPLE_DEPARTMENT,
        "--database",
        &database,
    ]);
    assert!(added.status.success());
    let token = String::from_utf8(added.stdout).unwrap().trim().to_owned();

    let mut server = Command::new(env!("CARGO_BIN_EXE_budgetflow"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database", &database])
        .arg("--out")
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // the first line says where it listens: `已启动： http://127.0.0.1:PORT  (…)`
    let mut log = std::io::BufReader::new(server.stderr.take().unwrap());
    let mut first = String::new();
    log.read_line(&mut first).unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();

    let sample = dir.path().join("sample.txt");
    std::fs::write(&sample, SAMPLE).unwrap();
    let submitted = budgetflow(&[
        "submit",
        sample.to_str().unwrap(),
        "--url",
        &url,
        "--token",
        &token,
        "--wait",
        "120",
    ]);
    assert_eq!(
        submitted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&submitted.stdout)
    );
    assert!(out.join("index.html").is_file());

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server.wait().unwrap();
    assert!(status.success(), "serve stops cleanly on SIGTERM: {status}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut log, &mut rest).unwrap();
    assert!(rest.contains("正在停止"), "{rest}");
}
