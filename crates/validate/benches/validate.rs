//! Validating the already-parsed sample (target ≤ 50 µs) and parsing + validating it (target
//! ≤ 300 µs), on one core.

/// The allocator the product binaries ship with (docs/performance.md).
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn sample_bytes() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/urumqi-miit-2025.txt"
    ))
    .expect("sample present")
}

fn bench(c: &mut Criterion) {
    let bytes = sample_bytes();
    let doc = budgetflow_formats::text::read(&bytes).expect("sample parses");
    c.bench_function("validate parsed sample", |b| {
        b.iter(|| budgetflow_validate::validate(black_box(&doc)))
    });
    c.bench_function("parse + validate sample", |b| {
        b.iter(|| {
            let doc = budgetflow_formats::text::read(black_box(&bytes)).expect("sample parses");
            budgetflow_validate::validate(&doc)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
