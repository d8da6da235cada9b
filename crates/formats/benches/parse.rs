//! Parse throughput on the bundled sample (target: ≤ 250 µs per parse on one core).

/// The allocator the product binaries ship with (docs/performance.md).
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SAMPLE: &str = include_str!("../../../samples/urumqi-miit-2025.txt");

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("formats");
    g.throughput(Throughput::Bytes(SAMPLE.len() as u64));
    g.bench_function("read_sample_text", |b| {
        b.iter(|| budgetflow_formats::text::read(std::hint::black_box(SAMPLE.as_bytes())).unwrap())
    });
    let doc = budgetflow_formats::text::read_str(SAMPLE).unwrap();
    g.bench_function("write_sample_text", |b| {
        b.iter(|| budgetflow_formats::text::write(std::hint::black_box(&doc)))
    });
    let json = budgetflow_formats::json::write_compact(&doc);
    g.bench_function("read_sample_json", |b| {
        b.iter(|| budgetflow_formats::json::read_str(std::hint::black_box(&json)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
