//! `budgetflow`: a thin entry point; every command lives in the library.

/// mimalloc: the document readers allocate many small strings; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

fn main() -> std::process::ExitCode {
    budgetflow_cli::main()
}
