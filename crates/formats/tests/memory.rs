//! Peak memory of reading the sample, measured by a counting allocator. A test binary of its
//! own, because the allocator is global and other tests running beside it would disturb the
//! count.

use budgetflow_peak_memory::peak_of;

#[global_allocator]
static ALLOCATOR: budgetflow_peak_memory::Counting = budgetflow_peak_memory::Counting;

const SAMPLE: &[u8] = include_bytes!("../../../samples/urumqi-miit-2025.txt");

#[test]
fn reading_the_sample_peaks_under_ten_times_its_size() {
    // warm the lazily built pattern tables and catalogs: they are process-wide, not per document
    drop(budgetflow_formats::text::read(SAMPLE).unwrap());
    let (doc, measured) = peak_of(|| budgetflow_formats::text::read(SAMPLE).unwrap());
    let (peak, kept) = (measured.peak, measured.kept);
    drop(doc);
    println!(
        "sample {} bytes: peak {peak} bytes ({:.1}×), model {kept} bytes",
        SAMPLE.len(),
        peak as f64 / SAMPLE.len() as f64
    );
    assert!(
        peak < 10 * SAMPLE.len(),
        "peak {peak} bytes for a {}-byte input",
        SAMPLE.len()
    );
}
