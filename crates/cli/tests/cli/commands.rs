//! Parsing, facts, validation, synthesis, scoring and publishing: outputs and exit codes.

use budgetflow_model::DepartmentCode;

use crate::support::{budgetflow, sample, scratch};

/// The sample's department, as the archive files it without a ledger.
fn sample_code() -> DepartmentCode {
    DepartmentCode::derived("乌鲁木齐市工业和信息化局")
}

#[test]
fn parse_prints_the_canonical_json() {
    let out = budgetflow(&["parse", &sample()]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "budgetflow.document/1");
    assert_eq!(doc["identity"]["department"], "乌鲁木齐市工业和信息化局");
    assert_eq!(doc["tables"]["overall"]["revenue_total"], "6724.07");
}

#[test]
fn facts_prints_one_object_per_printed_number() {
    let out = budgetflow(&["facts", &sample()]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 387);
    let fact = lines
        .iter()
        .find(|f| f["table"] == "6" && f["code"] == "30217" && f["column"] == "公用经费")
        .unwrap();
    assert_eq!(
        (fact["name"].as_str(), fact["value"].as_str()),
        (Some("公务接待费"), Some("0.30"))
    );
}

/// A real Shanghai PDF through the commands a reviewer uses: its facts carry pages, its
/// report names pages, and `layout` shows what a profile writer needs.
#[test]
fn a_pdf_disclosure_reads_with_pages_and_shows_its_layout() {
    let pdf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/shanghai/putuo-justice-unit-2026.pdf"
    );
    let facts = budgetflow(&["facts", pdf]);
    assert!(facts.status.success());
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8(facts.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["page"], 8);
    assert_eq!(first["title"], "2026年预算单位财务收支预算总表");
    assert_eq!(first["unit"], "元");

    let report = budgetflow(&["validate", pdf]);
    assert_eq!(
        report.status.code(),
        Some(1),
        "the justice budget has real errors"
    );
    let text = String::from_utf8(report.stdout).unwrap();
    assert!(text.contains("2040601 行政运行 / 合计 · 第11页"), "{text}");

    let layout = budgetflow(&["layout", pdf]);
    assert!(layout.status.success());
    let text = String::from_utf8(layout.stdout).unwrap();
    assert!(text.contains("profile shanghai-district-unit"), "{text}");
    assert!(
        text.contains("功能分类科目编码 / 类  → code.class"),
        "{text}"
    );
    assert_eq!(budgetflow(&["layout", &sample()]).status.code(), Some(2));
}

#[test]
fn validate_exit_codes_and_json_contract() {
    let clean = budgetflow(&["validate", "--format", "json", &sample()]);
    assert_eq!(clean.status.code(), Some(0));
    let line: serde_json::Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(
        (line["errors"].as_u64(), line["warnings"].as_u64()),
        (Some(0), Some(0))
    );
    let f = &line["findings"][0];
    for key in [
        "rule", "severity", "table", "location", "expected", "actual", "message",
    ] {
        assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
    }

    let dir = scratch("validate");
    let broken = dir.join("broken.txt");
    let text = std::fs::read_to_string(sample()).unwrap().replace(
        "302\t17\t公务接待费\t0.30\t\t0.30",
        "302\t17\t公务接待费\t0.40\t\t0.40",
    );
    std::fs::write(&broken, text).unwrap();
    let out = budgetflow(&["validate", "--lang", "en", &broken.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("302") && report.contains("error"),
        "{report}"
    );

    let missing = budgetflow(&[
        "validate",
        "--format",
        "json",
        &sample(),
        "/nonexistent.txt",
    ]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "unreadable input wins over a clean one"
    );
    assert_eq!(
        String::from_utf8(missing.stdout).unwrap().lines().count(),
        2,
        "one line per input file"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// The sample cut off in the middle of a 表7 row, as an interrupted upload would leave it.
fn cut_inside_a_table_row() -> Vec<u8> {
    let text = std::fs::read_to_string(sample()).unwrap();
    let at =
        text.find("机动车智能服务平台终止资产评").unwrap() + "机动车智能服务平台终止资产评".len();
    text.as_bytes()[..at].to_vec()
}

#[test]
fn unreadable_inputs_exit_2_with_a_clear_message() {
    let dir = scratch("bad");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.txt", Vec::new(), "empty"),
        (
            "binary.bin",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 1],
            "binary",
        ),
        ("cut.txt", cut_inside_a_table_row(), "truncated"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        for cmd in ["parse", "facts", "validate"] {
            let out = budgetflow(&["--lang", "en", cmd, &path.display().to_string()]);
            assert_eq!(out.status.code(), Some(2), "{cmd} {name}");
            let err = String::from_utf8(out.stderr).unwrap();
            assert!(
                err.contains(expected) && err.contains(name),
                "{cmd} {name}: {err}"
            );
        }
    }
    let huge = dir.join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let out = budgetflow(&["parse", &huge.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("104857600"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn synth_writes_text_and_json_that_read_back() {
    let dir = scratch("synth");
    let out = budgetflow(&[
        "synth",
        "--departments",
        "3",
        "--seed",
        "5",
        "--out",
        &dir.display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6);
    for n in names.iter().filter(|n| n.ends_with(".txt")) {
        let v = budgetflow(&[
            "validate",
            "--format",
            "json",
            &dir.join(n).display().to_string(),
        ]);
        assert_eq!(
            v.status.code(),
            Some(0),
            "{n}: {}",
            String::from_utf8_lossy(&v.stdout)
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn publish_writes_the_full_publication_once_and_refuses_a_document_with_errors() {
    let dir = scratch("publish");
    let out = dir.join("site");
    let broken = dir.join("broken.txt");
    let text = std::fs::read_to_string(sample()).unwrap().replace(
        "302\t17\t公务接待费\t0.30\t\t0.30",
        "302\t17\t公务接待费\t0.40\t\t0.40",
    );
    std::fs::write(&broken, text).unwrap();
    let run = budgetflow(&[
        "publish",
        &sample(),
        &broken.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(run.status.code(), Some(1), "one refused → exit 1");
    let stdout = String::from_utf8(run.stdout).unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("broken.txt") && stderr.contains("拒绝发布"),
        "{stderr}"
    );
    assert!(stdout.contains("新版本"), "{stdout}");
    assert!(stdout.contains("站点索引"), "{stdout}");

    let year_dir = out.join(sample_code().as_str()).join("2025");
    let current: serde_json::Value =
        serde_json::from_slice(&std::fs::read(year_dir.join("current.json")).unwrap()).unwrap();
    assert_eq!(current["submission_version"], 1);
    let page = year_dir.join(current["page"].as_str().unwrap());
    assert!(stdout.contains(&page.display().to_string()), "{stdout}");
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(year_dir.join(current["manifest"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    for artifact in manifest["artifacts"].as_array().unwrap() {
        let path = page
            .parent()
            .unwrap()
            .join(artifact["path"].as_str().unwrap());
        assert_eq!(
            std::fs::metadata(&path).unwrap().len(),
            artifact["bytes"].as_u64().unwrap()
        );
    }
    assert!(out.join("index.html").is_file());
    let departments = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    assert_eq!(departments, 1, "the refused document is nowhere");

    let modified = std::fs::metadata(&page).unwrap().modified().unwrap();
    let in_english = || {
        budgetflow(&[
            "--lang",
            "en",
            "publish",
            &sample(),
            "--out",
            &out.display().to_string(),
        ])
    };
    // in English the page is another version, beside the Chinese one, and the index English
    let english = in_english();
    assert!(english.status.success());
    let stdout = String::from_utf8(english.stdout).unwrap();
    assert!(stdout.contains("new version"), "{stdout}");
    let current: serde_json::Value =
        serde_json::from_slice(&std::fs::read(year_dir.join("current.json")).unwrap()).unwrap();
    let english_page = year_dir.join(current["page"].as_str().unwrap());
    assert_ne!(english_page, page);
    assert_eq!(
        current["submission_version"], 2,
        "published after the first"
    );
    let html = std::fs::read_to_string(&english_page).unwrap();
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("<html lang=\"en\">"), "{index}");
    assert_eq!(
        std::fs::metadata(&page).unwrap().modified().unwrap(),
        modified
    );
    // the same content in the same language again writes nothing
    let modified = std::fs::metadata(&english_page)
        .unwrap()
        .modified()
        .unwrap();
    let again = in_english();
    assert!(again.status.success());
    let stdout = String::from_utf8(again.stdout).unwrap();
    assert!(
        stdout.contains("already published, not rewritten"),
        "{stdout}"
    );
    let pointer: serde_json::Value =
        serde_json::from_slice(&std::fs::read(year_dir.join("current.json")).unwrap()).unwrap();
    assert_eq!(pointer, current, "the current content again moves nothing");
    assert_eq!(
        std::fs::metadata(&english_page)
            .unwrap()
            .modified()
            .unwrap(),
        modified
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn run_makes_the_input_given_last_current_whatever_order_the_stages_finish_in() {
    let dir = scratch("run-newest");
    let out = dir.join("site");
    let original = sample();
    let corrected = dir.join("corrected.txt");
    let text = std::fs::read_to_string(&original).unwrap().replacen(
        "\n2025 年部门预算公开\n",
        "\n2025 年部门预算公开（更正）\n",
        1,
    );
    assert!(text.contains("（更正）"));
    std::fs::write(&corrected, text).unwrap();
    let corrected = corrected.display().to_string();
    let run = |inputs: [&str; 2]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_budgetflow"))
            .arg("run")
            .args(inputs)
            .arg("--out")
            .arg(&out)
            .env_remove("AMQP_URL")
            .env_remove("BUDGETFLOW__AMQP__URL")
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let year_dir = out.join(sample_code().as_str()).join("2025");
        let current: serde_json::Value =
            serde_json::from_slice(&std::fs::read(year_dir.join("current.json")).unwrap()).unwrap();
        let page =
            std::fs::read_to_string(year_dir.join(current["page"].as_str().unwrap())).unwrap();
        let index = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            index.contains(current["version"].as_str().unwrap()),
            "the index links the current version"
        );
        (current["submission_version"].as_u64().unwrap(), page)
    };
    let (version, page) = run([&original, &corrected]);
    assert_eq!(version, 2, "two submissions of one department: 1 and 2");
    assert!(
        page.contains("（更正）"),
        "the correction, given last, is current"
    );
    let (version, page) = run([&corrected, &original]);
    assert_eq!(version, 4, "a later run is newer than what is current");
    assert!(
        !page.contains("（更正）"),
        "the original, given last, is current"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn validate_checks_stated_changes_against_the_previous_years_disclosure() {
    let dir = scratch("validate-previous");
    // the sample as the department's 2024 disclosure: it prints this year's figures, so the
    // changes the 2025 text states on last year are not borne out
    let parsed = budgetflow(&["parse", &sample()]);
    let mut previous: serde_json::Value = serde_json::from_slice(&parsed.stdout).unwrap();
    previous["identity"]["fiscal_year"] = 2024.into();
    let previous_file = dir.join("previous.json");
    std::fs::write(&previous_file, previous.to_string()).unwrap();
    let previous_file = previous_file.display().to_string();

    let out = budgetflow(&["validate", "--previous", &previous_file, &sample()]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("Y.stated-change"), "{report}");
    assert!(report.contains("上年文件 表2"), "{report}");

    let missing = dir.join("nowhere.json").display().to_string();
    let out = budgetflow(&["validate", "--previous", &missing, &sample()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("nowhere.json"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn synth_writes_consecutive_years_and_the_plants_validate_reports() {
    let dir = scratch("synth-years");
    let run = |plants: &[&str], out: &std::path::Path| {
        let mut args = vec![
            "synth".to_string(),
            "--departments".into(),
            "2".into(),
            "--seed".into(),
            "11".into(),
            "--years".into(),
            "2024-2025".into(),
            "--out".into(),
            out.display().to_string(),
        ];
        if !plants.is_empty() {
            args.extend(["--plant-yoy".to_string(), plants.join(",")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = budgetflow(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let validate = |dir: &std::path::Path, previous: &str, current: &str| {
        let out = budgetflow(&[
            "validate",
            "--previous",
            &dir.join(previous).display().to_string(),
            &dir.join(current).display().to_string(),
        ]);
        String::from_utf8(out.stdout).unwrap()
    };

    // consistent: two years per department, and nothing to say year over year
    let consistent = dir.join("consistent");
    run(&[], &consistent);
    let mut names: Vec<_> = std::fs::read_dir(&consistent)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(!consistent.join("planted.json").exists());
    for pair in names.chunks(2) {
        assert!(pair[0].ends_with("-2024.txt") && pair[1].ends_with("-2025.txt"));
        let report = validate(&consistent, &pair[0], &pair[1]);
        assert!(!report.contains("Y."), "{report}");
    }

    // planted: every plant listed, and reported where it was planted
    let planted_dir = dir.join("planted");
    run(
        &[
            "stated-change",
            "staffing",
            "project-dropped",
            "class-appears",
        ],
        &planted_dir,
    );
    let planted: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(planted_dir.join("planted.json")).unwrap())
            .unwrap();
    assert_eq!(planted.len(), 8);
    for p in &planted {
        let report = validate(
            &planted_dir,
            p["previous"].as_str().unwrap(),
            p["current"].as_str().unwrap(),
        );
        let (rule, subject) = (p["rule"].as_str().unwrap(), p["subject"].as_str().unwrap());
        assert!(
            report
                .lines()
                .any(|l| l.contains(rule) && l.contains(subject)),
            "{rule} {subject}: {report}"
        );
    }

    // the years must be consecutive, and a plant needs years
    let bad = budgetflow(&["synth", "--years", "2024-2026", "--out", "unused"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("consecutive"));
    let bad = budgetflow(&["synth", "--plant-yoy", "staffing", "--out", "unused"]);
    assert_eq!(bad.status.code(), Some(2));
    std::fs::remove_dir_all(dir).ok();
}
