//! The services' tokio runtime (and the CLI's, for its asynchronous commands).
//!
//! tokio lets up to 512 threads run blocking work at once by default. A stage does blocking
//! work for every message it holds (the idempotency store's reads and flushed writes,
//! publish's archive), so with `prefetch` messages in flight the pool grew to about that many
//! threads, and every thread keeps an allocator heap of its own: the service's memory grew by
//! megabytes per message in flight, not by the message's size (docs/performance.md, "The
//! services' memory"). The pool is bounded to twice the cores, and at least four; blocking
//! work beyond that waits in tokio's queue, which costs no throughput while the cores are busy
//! anyway.

use std::num::NonZeroUsize;

use tokio::runtime::{Builder, Runtime};

/// The fewest blocking threads a service runs with, whatever its cores.
const MIN_BLOCKING_THREADS: usize = 4;

/// A multi-threaded runtime with every driver enabled and the blocking pool bounded.
pub fn runtime() -> std::io::Result<Runtime> {
    Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking_threads(cores()))
        .build()
}

/// The cores this process may run on (1 when the system does not say): what the runtime's
/// pool and a stage's CPU-bound work are sized by.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

fn blocking_threads(cores: usize) -> usize {
    (2 * cores).max(MIN_BLOCKING_THREADS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blocking_pool_grows_with_the_cores_from_a_floor() {
        for (cores, threads) in [(1, 4), (2, 4), (3, 6), (8, 16)] {
            assert_eq!(blocking_threads(cores), threads, "{cores} cores");
        }
    }
}
