//! What the command's tests share: running `budgetflow`, the bundled sample, a scratch
//! directory per test.

use std::path::PathBuf;
use std::process::{Command, Output};

/// `budgetflow` with `args`, run to the end.
pub fn budgetflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_budgetflow"))
        .args(args)
        .output()
        .expect("budgetflow runs")
}

/// The path of the bundled sample disclosure.
pub fn sample() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/urumqi-miit-2025.txt"
    )
    .to_string()
}

/// A directory of this test process named `name` (names are unique across the modules).
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("budgetflow-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
