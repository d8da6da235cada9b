//! Rendering every artifact of the sample's publication (`bundle::render`: page with charts,
//! public JSON, eleven CSVs, data package, XLSX workbook), and the workbook alone — the part
//! that was most of the time (docs/performance.md). Target: render ≤ 5 ms on one core.

/// The allocator the product binaries ship with (docs/performance.md).
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

use budgetflow_publish::{bundle, open_data};
use criterion::{criterion_group, criterion_main, Criterion};

fn render(c: &mut Criterion) {
    let text = include_str!("../../../samples/urumqi-miit-2025.txt");
    let doc = budgetflow_formats::text::read_str(text).expect("the sample reads");
    c.bench_function("bundle::render(sample)", |b| {
        b.iter(|| bundle::render(std::hint::black_box(&doc)))
    });
    let public = open_data::redacted(&doc);
    c.bench_function("budgetflow_workbook::write(public sample)", |b| {
        b.iter(|| budgetflow_workbook::write(std::hint::black_box(&public)))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
