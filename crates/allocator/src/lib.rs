//! The global allocator of every budgetflow binary and bench.
//!
//! Reading a disclosure makes about three thousand small allocations (names, cells, the
//! statements of each sentence), and with the system allocator malloc/free were a quarter of
//! a parse's instructions; mimalloc brought that down (docs/performance.md). The `mimalloc`
//! crate's allocator sends every request through `mi_malloc_aligned`, about 46 instructions
//! a request in a parse against about 25 for the plain `mi_malloc`: this one calls
//! the plain entry points whenever the alignment asked for is one every mimalloc block has
//! anyway, and the aligned ones otherwise. Each binary declares it:
//!
//! ```
//! #[global_allocator]
//! static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;
//!
//! fn main() {
//!     let captions: Vec<String> = (1..=11).map(|n| format!("表{n}")).collect();
//!     assert_eq!(captions.concat().chars().count(), 11 + 11 + 2);
//! }
//! ```

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every block mimalloc hands out has: block sizes are whole machine words and
/// every page starts on a 16-byte boundary.
const BLOCK_ALIGN: usize = std::mem::size_of::<usize>();

/// mimalloc, through `mi_malloc`/`mi_realloc` for word-aligned requests.
#[derive(Debug, Default, Clone, Copy)]
pub struct Allocator;

// SAFETY: every method forwards to mimalloc, which returns blocks of at least the requested
// size, aligned to `BLOCK_ALIGN` by the plain entry points and to `layout.align()` by the
// aligned ones; `mi_free` releases blocks from either.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            unsafe { mi::mi_malloc(layout.size()) as *mut u8 }
        } else {
            unsafe { mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8 }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            unsafe { mi::mi_zalloc(layout.size()) as *mut u8 }
        } else {
            unsafe { mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8 }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            unsafe { mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8 }
        } else {
            unsafe {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requests of every alignment from 1 to 4096 and sizes around it come back aligned,
    /// writable over their whole size, grow and shrink with their contents kept, and free.
    #[test]
    fn blocks_have_the_alignment_asked_for_and_keep_their_contents() {
        let a = Allocator;
        for shift in 0..=12 {
            let align = 1usize << shift;
            for size in [1, 3, 8, 24, 100, align, align + 8, 5000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                unsafe {
                    for zeroed in [false, true] {
                        let p = if zeroed {
                            a.alloc_zeroed(layout)
                        } else {
                            a.alloc(layout)
                        };
                        assert!(!p.is_null(), "size {size} align {align}");
                        assert_eq!(p as usize % align, 0, "size {size} align {align}");
                        if zeroed {
                            assert!((0..size).all(|i| *p.add(i) == 0), "zeroed {size}/{align}");
                        }
                        for i in 0..size {
                            *p.add(i) = i as u8;
                        }
                        let grown = a.realloc(p, layout, size * 3);
                        assert_eq!(grown as usize % align, 0, "grown {size}/{align}");
                        assert!((0..size).all(|i| *grown.add(i) == i as u8));
                        let grown_layout = Layout::from_size_align(size * 3, align).unwrap();
                        let shrunk = a.realloc(grown, grown_layout, size.div_ceil(2));
                        assert_eq!(shrunk as usize % align, 0, "shrunk {size}/{align}");
                        assert!((0..size.div_ceil(2)).all(|i| *shrunk.add(i) == i as u8));
                        a.dealloc(
                            shrunk,
                            Layout::from_size_align(size.div_ceil(2), align).unwrap(),
                        );
                    }
                }
            }
        }
    }
}
