//! `budgetflow bench` end to end on a tiny run, when a broker is given in `AMQP_URL`.
//! Only the report's shape is checked: speed is never asserted in tests.

use std::process::Command;

#[test]
fn bench_reports_the_pipeline_and_the_relay() {
    let Ok(url) = std::env::var("AMQP_URL") else {
        eprintln!("AMQP_URL is not set: skipping the bench test");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_budgetflow"))
        .args(["bench", "--amqp", &url, "--json"])
        .args([
            "--documents",
            "6",
            "--window",
            "3",
            "--prefetch",
            "2",
            "--backlog",
            "6",
        ])
        .output()
        .expect("budgetflow runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pipeline = &report["pipelines"][0];
    assert_eq!(pipeline["host"], "in-process", "{report}");
    for (side, measured) in [("pipeline", pipeline), ("relay", &report["relay"])] {
        for figure in ["per_second", "p50_ms", "p99_ms"] {
            let value = measured[figure].as_f64();
            assert!(value.is_some_and(|v| v > 0.0), "{side}.{figure}: {report}");
        }
    }
    assert_eq!(pipeline["published"], 6);
    assert!(pipeline["ratio"].as_f64().is_some());
    let memory = &report["backlog"]["rss_bytes"][0];
    assert_eq!(memory["process"], "budgetflow bench");
    assert!(memory["peak"].as_u64().is_some(), "{report}");
}
