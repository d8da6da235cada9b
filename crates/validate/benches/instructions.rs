//! The loops the instruction counts of docs/performance.md come from: reading the sample,
//! validating it once read, or both in turn, each in a function of its own so that callgrind
//! can count it alone. Wall-clock figures come from the criterion bench beside this one; these
//! counts do not move with the machine's load, so every change to a hot path is judged by
//! them first.
//!
//! ```sh
//! cargo bench -p budgetflow-validate --bench instructions --no-run   # prints the executable
//! valgrind --tool=callgrind --toggle-collect='instructions::counted_*' \
//!     target/release/deps/instructions-<hash> pair 10                 # parse | validate | pair
//! ```
//!
//! Each loop is warmed up outside the counted function. Run without a loop name (as
//! `cargo bench` does), it times each loop and prints microseconds per iteration.

#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

use std::hint::black_box;
use std::time::Instant;

use budgetflow_model::Document;

const SAMPLE: &[u8] = include_bytes!("../../../samples/urumqi-miit-2025.txt");

fn parse() -> Document {
    budgetflow_formats::text::read(black_box(SAMPLE)).expect("the sample parses")
}

#[inline(never)]
fn counted_parse(times: usize) {
    for _ in 0..times {
        black_box(parse());
    }
}

#[inline(never)]
fn counted_validate(doc: &Document, times: usize) {
    for _ in 0..times {
        black_box(budgetflow_validate::validate(black_box(doc)));
    }
}

#[inline(never)]
fn counted_pair(times: usize) {
    for _ in 0..times {
        let doc = parse();
        black_box(budgetflow_validate::validate(&doc));
    }
}

/// Runs loop `name` `times` times; false when there is no such loop.
fn run(name: &str, doc: &Document, times: usize) -> bool {
    match name {
        "parse" => counted_parse(times),
        "validate" => counted_validate(doc, times),
        "pair" => counted_pair(times),
        _ => return false,
    }
    true
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let doc = parse();
    // warm-up outside the counted functions: the catalogs, the allocator's pages, the caches
    for _ in 0..20 {
        black_box(budgetflow_validate::validate(&parse()));
    }
    match args.first().map(String::as_str) {
        Some(name) if !name.starts_with('-') => {
            let times = args.get(1).and_then(|t| t.parse().ok()).unwrap_or(10);
            if !run(name, &doc, times) {
                eprintln!("unknown loop `{name}`: parse, validate or pair");
                std::process::exit(2);
            }
        }
        _ => {
            for name in ["parse", "validate", "pair"] {
                let times = 1_000;
                let start = Instant::now();
                run(name, &doc, times);
                let micros = start.elapsed().as_secs_f64() * 1e6 / times as f64;
                println!("{name:>8}: {micros:.1} µs per iteration ({times} iterations)");
            }
        }
    }
}
