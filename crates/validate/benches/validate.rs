//! Validating the already-parsed sample (target ≤ 50 µs) and parsing + validating it (target
//! ≤ 500 µs), on one core; and each real PDF read + validated, in the same run as poppler's
//! `pdftotext -layout` extracting the same file's text (the reference the PDF path must beat,
//! issue 15; needs poppler-utils).

/// The allocator the product binaries ship with (docs/performance.md).
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::process::{Command, Stdio};

const PDFS: [&str; 3] = [
    "putuo-commerce-unit-2025.pdf",
    "putuo-govoffice-dept-2025.pdf",
    "putuo-justice-unit-2026.pdf",
];

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

/// Read + validate each given PDF, then `pdftotext -layout FILE /dev/null` on it (a process per
/// iteration, as a user runs it: its start-up is part of what it costs).
fn pdfs(c: &mut Criterion) {
    let mut group = c.benchmark_group("pdf");
    for name in PDFS {
        let path = format!(
            "{}/../../samples/shanghai/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&path).expect("the PDF is bundled");
        group.bench_with_input(
            BenchmarkId::new("read + validate", name),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    let doc =
                        budgetflow_formats::read_pdf(black_box(bytes)).expect("the PDF reads");
                    budgetflow_validate::validate(&doc)
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("pdftotext -layout", name),
            &path,
            |b, path| {
                b.iter(|| {
                    let status = Command::new("pdftotext")
                        .args(["-layout", path, "/dev/null"])
                        .stdout(Stdio::null())
                        .status()
                        .expect("poppler-utils installed");
                    assert!(status.success());
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench, pdfs);
criterion_main!(benches);
