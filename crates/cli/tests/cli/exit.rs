//! The one exit-status contract (`crate::exit` in the command, docs/operations.md), as a
//! script sees it: 0 clean, 1 findings, 2 unreadable input or a usage error; and a reader
//! that stops early (`| head`) is not a failure.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::support::{budgetflow, sample, scratch};

/// Every bundled text sample, each a clean disclosure.
fn text_samples() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let mut samples: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| path.display().to_string())
        .collect();
    samples.sort();
    samples
}

#[test]
fn clean_samples_exit_0() {
    let samples = text_samples();
    assert!(!samples.is_empty());
    for sample in &samples {
        let out = budgetflow(&["validate", "--format", "json", sample]);
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(line["errors"], 0, "{sample}: {line}");
        assert_eq!(out.status.code(), Some(0), "{sample}");
    }
}

#[test]
fn a_changed_figure_is_a_finding_exit_1() {
    let dir = scratch("exit-findings");
    let changed = dir.join("changed.txt");
    let text = std::fs::read_to_string(sample()).unwrap();
    let text = text.replacen(
        "302\t17\t公务接待费\t0.30\t\t0.30",
        "302\t17\t公务接待费\t0.40\t\t0.40",
        1,
    );
    std::fs::write(&changed, text).unwrap();
    let changed = changed.display().to_string();
    for args in [
        vec!["validate", changed.as_str()],
        vec!["validate", "--format", "json", changed.as_str()],
    ] {
        let out = budgetflow(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "a finding is the report, not an error"
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn unreadable_input_and_usage_errors_exit_2() {
    for command in ["parse", "facts", "validate", "score", "layout"] {
        let out = budgetflow(&["--lang", "en", command, "/nonexistent/disclosure.txt"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("cannot read") && err.contains("/nonexistent/disclosure.txt"),
            "{command}: {err}"
        );
    }
    let out = budgetflow(&["parse", "/nonexistent/disclosure.txt"]);
    assert!(String::from_utf8(out.stderr).unwrap().contains("无法读取"));

    for usage in [
        vec!["no-such-command"],
        vec!["parse"],
        vec!["validate", "--format", "yaml", "x.txt"],
        vec!["--lang", "fr", "parse", "x.txt"],
    ] {
        let out = budgetflow(&usage);
        assert_eq!(out.status.code(), Some(2), "{usage:?}");
        assert!(!out.stderr.is_empty(), "{usage:?}: clap says why");
    }
    let help = budgetflow(&["--help"]);
    assert_eq!(help.status.code(), Some(0));

    // the commands that need a broker, given none
    for command in [vec!["dlq", "list"], vec!["bench"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_budgetflow"))
            .args(["--lang", "en"])
            .args(&command)
            .env_remove("AMQP_URL")
            .env_remove("BUDGETFLOW__AMQP__URL")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("--amqp URL") && err.contains("BUDGETFLOW__AMQP__URL"),
            "{command:?}: {err}"
        );
    }
}

/// The sample's canonical JSON (some 200 KB) is more than a pipe holds, so the command is
/// still writing when the reader leaves.
#[test]
fn a_reader_that_stops_early_is_not_a_failure() {
    for args in [vec!["parse"], vec!["parse", "--compact"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_budgetflow"))
            .args(&args)
            .arg(sample())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).unwrap();
        // `| head -c 16`: the reader goes away with most of the output unread
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{args:?}: nothing to complain about");
    }
}
