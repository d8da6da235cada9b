//! `budgetflow run` as a user runs it: files in, a summary table out, artifacts written.

use std::process::Command;

use budgetflow_model::DepartmentCode;

use crate::support::{binaries, corpus, is_faulty};

#[test]
fn run_processes_a_directory_and_prints_the_summary_in_chinese_and_english() {
    let inputs = tempfile::tempdir().unwrap();
    let corpus = corpus(12);
    for (i, bytes) in corpus.iter().enumerate() {
        std::fs::write(inputs.path().join(format!("{i:02}.txt")), bytes).unwrap();
    }
    // The same bytes twice are one submission; garbage is reported, not submitted.
    std::fs::write(inputs.path().join("dup.txt"), &corpus[1]).unwrap();
    std::fs::write(inputs.path().join("zz-garbage.txt"), b"not a disclosure").unwrap();
    let out = tempfile::tempdir().unwrap();

    let run = Command::new(binaries().join("budgetflow"))
        .arg("run")
        .arg(inputs.path())
        .arg("--out")
        .arg(out.path())
        .env_remove("AMQP_URL")
        .env_remove("BUDGETFLOW__AMQP__URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert_eq!(
        run.status.code(),
        Some(2),
        "unreadable input → exit 2\n{stdout}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("部门"), "{stdout}");
    for header in ["年度", "错误", "警告", "状态", "发布位置"] {
        assert!(lines[0].contains(header), "{stdout}");
    }
    let faulty = (0..12).filter(|&i| is_faulty(i)).count();
    let published = 13 - faulty;
    // One row each, plus the total line.
    assert_eq!(stdout.matches("已发布").count(), published + 1, "{stdout}");
    assert_eq!(stdout.matches("未通过审核").count(), faulty + 1, "{stdout}");
    let total =
        format!("合计：14 份，已发布 {published}，未通过审核 {faulty}，处理失败 0，无法读取 1");
    assert!(stdout.contains(&total), "{stdout}");
    assert!(stdout.contains("zz-garbage.txt"), "{stdout}");
    let departments = std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .count();
    assert_eq!(departments, published, "one directory per department");
    assert!(out.path().join("index.html").is_file(), "the site index");

    // Again, in English, on the bundled sample: nothing to install, nothing to give.
    let sample_out = tempfile::tempdir().unwrap();
    let run = Command::new(binaries().join("budgetflow"))
        .args(["--lang", "en", "run", "--out"])
        .arg(sample_out.path())
        .env_remove("AMQP_URL")
        .env_remove("BUDGETFLOW__AMQP__URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(run.status.success(), "{stdout}");
    assert!(stdout.starts_with("Department"), "{stdout}");
    assert!(stdout.contains("乌鲁木齐市工业和信息化局"), "{stdout}");
    assert!(stdout.contains("published"), "{stdout}");
    let code = DepartmentCode::derived("乌鲁木齐市工业和信息化局");
    let archive = budgetflow_publish::archive::Archive::new(sample_out.path());
    let current = archive.current(&code, 2025).expect("the sample is current");
    let page = std::fs::read_to_string(archive.year_dir(&code, 2025).join(&current.page))
        .expect("the page is written");
    assert!(
        page.contains("<html lang=\"en\""),
        "the page in the language asked for"
    );
    let index = std::fs::read_to_string(sample_out.path().join("index.html")).unwrap();
    assert!(
        index.contains("<html lang=\"en\""),
        "the index in the language asked for"
    );
}
