//! A counting allocator for the tests that bound memory: the hostile-file suites of the
//! readers (a far cell, a newline flood, a billion-laughs entity must be refused within a
//! fixed ceiling) and the reader's memory test on the sample. It wraps the system allocator
//! and keeps the bytes currently held and the highest mark since it was last reset.
//!
//! The allocator is global to a process, so a test installs it in a test binary of its own and
//! measures one thing at a time (other threads' allocations would count too):
//!
//! ```text
//! #[global_allocator]
//! static ALLOCATOR: budgetflow_peak_memory::Counting = budgetflow_peak_memory::Counting;
//!
//! let (doc, peak) = budgetflow_peak_memory::peak_of(|| read(bytes));
//! ```
//!
//! It is a test tool only: the product's binaries use `budgetflow-allocator`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting.
pub struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; the counters are only
// arithmetic beside it.
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

/// What [`peak_of`] measured of one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measured {
    /// The most the call held at once, in bytes, beyond what was held before it.
    pub peak: usize,
    /// What it still held when it returned (its result), in bytes.
    pub kept: usize,
}

/// Runs `f` and measures its memory (zero unless [`Counting`] is the global allocator).
pub fn peak_of<T>(f: impl FnOnce() -> T) -> (T, Measured) {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = f();
    let measured = Measured {
        peak: PEAK.load(Ordering::Relaxed).saturating_sub(before),
        kept: CURRENT.load(Ordering::Relaxed).saturating_sub(before),
    };
    (result, measured)
}
