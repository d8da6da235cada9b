//! Peak memory of reading the sample, measured by a counting allocator. A test binary of its
//! own, because the allocator is global and other tests running beside it would disturb the
//! count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SAMPLE: &[u8] = include_bytes!("../../../samples/urumqi-miit-2025.txt");

#[test]
fn reading_the_sample_peaks_under_ten_times_its_size() {
    // warm the lazily built pattern tables and catalogs: they are process-wide, not per document
    drop(budgetflow_formats::text::read(SAMPLE).unwrap());
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let doc = budgetflow_formats::text::read(SAMPLE).unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let kept = CURRENT.load(Ordering::Relaxed) - before;
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
