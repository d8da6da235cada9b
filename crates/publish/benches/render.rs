//! Rendering every artifact of the sample's publication (`bundle::render`: page with charts,
//! public JSON, eleven CSVs, data package, XLSX workbook), and the workbook alone — the part
//! that was most of the time (docs/performance.md). Target: render ≤ 5 ms on one core. Also
//! the leak check every publication passes through (`leak::check`): on the sample, which
//! carries nothing withheld, and on the sample whose classified project carries an
//! implementer, so every artifact (the workbook unzipped) is searched.

/// The allocator the product binaries ship with (docs/performance.md).
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

use budgetflow_model::Block;
use budgetflow_publish::{bundle, leak, open_data};
use criterion::{criterion_group, criterion_main, Criterion};

fn render(c: &mut Criterion) {
    let text = include_str!("../../../samples/urumqi-miit-2025.txt");
    let doc = budgetflow_formats::text::read_str(text).expect("the sample reads");
    c.bench_function("bundle::render(sample)", |b| {
        b.iter(|| bundle::render(std::hint::black_box(&doc)))
    });
    let public = open_data::redacted(&doc);
    c.bench_function("budgetflow_workbook::write_public(public sample)", |b| {
        b.iter(|| budgetflow_workbook::write_public(std::hint::black_box(&public)))
    });
    let rendered = bundle::render(&doc);
    c.bench_function("leak::check(sample)", |b| {
        b.iter(|| leak::check(std::hint::black_box(&doc), &rendered))
    });
    let mut carrying = doc.clone();
    let classified = carrying
        .narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .find_map(|block| match block {
            Block::Project(p) if p.name.is_classified() => Some(p),
            _ => None,
        })
        .expect("the sample has a classified project");
    classified.implementer = Some("乌鲁木齐市天山保密专网建设中心".to_owned());
    let carrying_bundle = bundle::render(&carrying);
    c.bench_function("leak::check(sample carrying an implementer)", |b| {
        b.iter(|| {
            leak::check(std::hint::black_box(&carrying), &carrying_bundle)
                .expect("nothing is printed")
        })
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
