//! `read` on each of the three real Shanghai disclosures (WPS exports, 21–22 landscape pages,
//! CID fonts). The figures and the `pdftotext -layout` comparison are in docs/performance.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SAMPLES: [(&str, &[u8]); 3] = [
    (
        "commerce-unit-2025",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/shanghai/putuo-commerce-unit-2025.pdf"
        )),
    ),
    (
        "govoffice-dept-2025",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/shanghai/putuo-govoffice-dept-2025.pdf"
        )),
    ),
    (
        "justice-unit-2026",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/shanghai/putuo-justice-unit-2026.pdf"
        )),
    ),
];

fn read(c: &mut Criterion) {
    let mut group = c.benchmark_group("pdf_read");
    for (name, bytes) in SAMPLES {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                budgetflow_pdf::read(std::hint::black_box(bytes)).expect("a real disclosure reads")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
