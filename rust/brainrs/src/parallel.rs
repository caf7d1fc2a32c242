//! The engine's thread pool and the rule for when a kernel goes parallel.
//!
//! Kernels split their work into fixed blocks whose results do not depend on which thread
//! computes them (elementwise updates; event sums per output block in row order), so results
//! are bit-identical for any number of threads. Small networks stay on one thread: per-step
//! synchronisation costs more than it saves below a few tens of thousands of elements.

use std::sync::{Arc, RwLock};

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::error::{Error, Result};

/// Elements (neurons, synapses, synaptic events) below which a kernel stays on one thread.
pub const PARALLEL_MIN_WORK: usize = 32 * 1024;

/// The pool and the process that started it: a process forked from that one inherits the
/// value but not the threads, so it must start a pool of its own (see [`pool`]).
struct Slot {
    pool: Arc<ThreadPool>,
    pid: u32,
}

static POOL: RwLock<Option<Slot>> = RwLock::new(None);

fn build(threads: usize) -> Result<Arc<ThreadPool>> {
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("brainrs-{i}"))
        .build()
        .map(Arc::new)
        .map_err(|e| Error::Structure(format!("cannot start {threads} threads: {e}")))
}

/// The most threads the pool takes (far above any useful count; a bound so that a typo
/// such as 10**9 is an error, not an attempt to start a billion threads).
pub const MAX_THREADS: usize = 1024;

/// Uses `threads` (1 to [`MAX_THREADS`]) threads from now on (`bm.set_num_threads`).
pub fn set_num_threads(threads: usize) -> Result<()> {
    if threads == 0 || threads > MAX_THREADS {
        return Err(Error::parameter(
            "threads",
            "a number of threads from 1 to 1024",
            threads,
        ));
    }
    let pool = build(threads)?;
    let mut slot = POOL
        .write()
        .map_err(|_| Error::Structure("thread pool lock poisoned".into()))?;
    replace(&mut slot, pool);
    Ok(())
}

/// Installs `pool` as this process's pool. A pool inherited through `fork` is leaked, not
/// dropped: its threads do not exist in this process, and dropping it would signal them
/// through locks that the parent's threads may have held at the fork.
fn replace(slot: &mut Option<Slot>, pool: Arc<ThreadPool>) {
    let pid = std::process::id();
    if let Some(old) = slot.take() {
        if old.pid != pid {
            std::mem::forget(old);
        }
    }
    *slot = Some(Slot { pool, pid });
}

/// Environment variable that sets the number of threads before the first kernel runs.
pub const NUM_THREADS_ENV: &str = "BRAINRS_NUM_THREADS";

/// The thread count the pool starts with: `BRAINRS_NUM_THREADS` if set (an integer >= 1),
/// else every core.
pub fn default_num_threads() -> Result<usize> {
    match std::env::var(NUM_THREADS_ENV) {
        Ok(text) => match text.trim().parse::<usize>() {
            Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
            _ => Err(Error::parameter(
                NUM_THREADS_ENV,
                "an integer from 1 to 1024",
                text,
            )),
        },
        Err(_) => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

/// This process's pool, started on first use (and anew in a process forked after it started).
fn pool() -> Result<Arc<ThreadPool>> {
    let pid = std::process::id();
    if let Some(slot) = POOL.read().ok().as_ref().and_then(|p| p.as_ref()) {
        if slot.pid == pid {
            return Ok(slot.pool.clone());
        }
    }
    let mut slot = POOL
        .write()
        .map_err(|_| Error::Structure("thread pool lock poisoned".into()))?;
    let threads = match slot.as_ref() {
        Some(s) if s.pid == pid => return Ok(s.pool.clone()),
        // forked from the process that started this pool: the same number of threads, anew
        Some(s) => s.pool.current_num_threads(),
        None => default_num_threads()?,
    };
    let pool = build(threads)?;
    replace(&mut slot, pool.clone());
    Ok(pool)
}

/// The number of threads kernels use, or why the pool cannot start (a bad
/// `BRAINRS_NUM_THREADS`).
pub fn configured_num_threads() -> Result<usize> {
    pool().map(|p| p.current_num_threads())
}

/// The number of threads kernels use (1 when the pool cannot start).
pub fn num_threads() -> usize {
    pool().map_or(1, |p| p.current_num_threads())
}

/// Runs `f` on the engine's pool (inline when already on it), so that the parallel iterators
/// inside use the configured number of threads.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> Result<R> {
    Ok(pool()?.install(f))
}

/// Runs `f` on every item: on the engine's threads when `split` is true (and the pool runs),
/// else in order on this thread. Callers pass independent items (disjoint blocks of output),
/// so the results are the same either way.
pub fn for_each<T: Send>(items: Vec<T>, split: bool, f: impl Fn(T) + Sync + Send) {
    if split {
        if let Ok(pool) = pool() {
            pool.install(|| items.into_par_iter().for_each(f));
            return;
        }
    }
    items.into_iter().for_each(f);
}

/// The length of the blocks that `n` elements are cut into for [`for_each`]: two blocks per
/// thread of equal length (a multiple of `align`) when `split`, else one block.
pub fn block_len(n: usize, split: bool, align: usize) -> usize {
    let align = align.max(1);
    if !split {
        return n.max(1);
    }
    let per = n.div_ceil(2 * num_threads());
    per.div_ceil(align).max(1) * align
}

/// Whether `work` elements are worth splitting across the engine's threads.
#[inline]
pub fn worth_splitting(work: usize) -> bool {
    work >= PARALLEL_MIN_WORK && num_threads() > 1
}
