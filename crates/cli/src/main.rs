//! `budgetflow`: a thin entry point; every command lives in the library.

fn main() -> std::process::ExitCode {
    budgetflow_cli::main()
}
