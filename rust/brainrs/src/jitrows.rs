//! The event mat-vec of the JIT operators, and the row table that can spare its generator.
//!
//! Generating a row costs 128 stream starts (4 chunks x 32 lanes) whatever its length, so the
//! targets of every row are kept in a [`RowTable`] when they fit a memory budget (4 bytes per
//! connection; [`set_row_cache_budget`]) and regenerated on every use beyond it. Either way the
//! result is the same: each output is the sum of its active rows' weights in increasing row
//! order (semantics.md §6). The outputs are cut into the generator's chunks, which receive only
//! from their own streams, so chunks are filled in parallel without atomics and without any
//! order that depends on scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::jitconn::JitConnectivity;
use crate::parallel;

/// Default budget of one operator's row table: 256 MiB (64 million connections).
pub const DEFAULT_ROW_CACHE_BUDGET: usize = 256 << 20;

static ROW_CACHE_BUDGET: AtomicUsize = AtomicUsize::new(DEFAULT_ROW_CACHE_BUDGET);

/// Sets the largest row table (bytes) one operator keeps; 0 never keeps rows. Operators decide
/// when they first run.
pub fn set_row_cache_budget(bytes: usize) {
    ROW_CACHE_BUDGET.store(bytes, Ordering::Relaxed);
}

/// The current row-table budget in bytes.
pub fn row_cache_budget() -> usize {
    ROW_CACHE_BUDGET.load(Ordering::Relaxed)
}

/// The targets of every (row, chunk), as offsets within the chunk.
#[derive(Debug, Clone)]
pub struct RowTable {
    /// `starts[r * n_chunks + c]..starts[r * n_chunks + c + 1]` indexes `targets`.
    starts: Vec<u32>,
    targets: Vec<u32>,
    n_chunks: usize,
}

/// Rows generated per task when a table is built in parallel.
const BUILD_BLOCK: usize = 512;

impl RowTable {
    /// Generates every row of `conn` if the table fits the budget (and u32 offsets).
    pub fn build(conn: &JitConnectivity) -> Option<RowTable> {
        let expected = conn.expected_connections() * 1.1 + 1024.0;
        if expected * 4.0 > row_cache_budget() as f64 || expected >= f64::from(u32::MAX) {
            return None;
        }
        let n_chunks = conn.n_chunks();
        let block = |rows: std::ops::Range<usize>| {
            let mut counts = Vec::with_capacity(rows.len() * n_chunks);
            let mut targets = Vec::new();
            for r in rows {
                for c in 0..n_chunks {
                    let before = targets.len();
                    conn.for_each_target_in_chunk(r, c, |j| targets.push(j as u32));
                    counts.push((targets.len() - before) as u32);
                }
            }
            (counts, targets)
        };
        let n = conn.num_in();
        let blocks: Vec<_> = (0..n)
            .step_by(BUILD_BLOCK)
            .map(|s| s..(s + BUILD_BLOCK).min(n))
            .collect();
        let parts: Vec<(Vec<u32>, Vec<u32>)> = if parallel::worth_splitting(n * 64) {
            parallel::install(|| blocks.into_par_iter().map(block).collect())
                .unwrap_or_else(|_| Vec::new())
        } else {
            blocks.into_iter().map(block).collect()
        };
        if parts.is_empty() && n > 0 {
            return None;
        }
        let total: usize = parts.iter().map(|p| p.1.len()).sum();
        let total_u32 = u32::try_from(total).ok()?;
        let mut starts = Vec::with_capacity(n * n_chunks + 1);
        let mut targets = Vec::with_capacity(total);
        let mut at = 0u32;
        for (counts, t) in parts {
            for count in counts {
                starts.push(at);
                at += count;
            }
            targets.extend_from_slice(&t);
        }
        starts.push(total_u32);
        Some(RowTable {
            starts,
            targets,
            n_chunks,
        })
    }

    #[inline]
    fn chunk_targets(&self, row: usize, c: usize) -> &[u32] {
        let k = row * self.n_chunks + c;
        &self.targets[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        4 * (self.starts.len() + self.targets.len())
    }
}

/// `out = W @ x` where `active` lists the nonzero inputs in increasing row order with the
/// weight each adds (`weight` for spikes, `weight * x[r]` for floats).
pub(crate) fn scatter(
    conn: &JitConnectivity,
    table: Option<&RowTable>,
    active: &[(usize, f32)],
    out: &mut [f32],
) {
    let chunk = conn.chunk_len();
    let fill = |c: usize, block: &mut [f32]| {
        block.fill(0.0);
        for &(row, w) in active {
            match table {
                Some(t) => {
                    for &j in t.chunk_targets(row, c) {
                        block[j as usize] += w;
                    }
                }
                None => conn.for_each_target_in_chunk(row, c, |j| block[j] += w),
            }
        }
    };
    // work: the outputs cleared plus the events added (128 stream starts per regenerated row)
    let per_row = if table.is_some() { 0 } else { 128 };
    let events = (conn.expected_connections() / conn.num_in() as f64) as usize + per_row;
    if parallel::worth_splitting(out.len() + active.len() * events) {
        let done = parallel::install(|| {
            out.par_chunks_mut(chunk)
                .enumerate()
                .for_each(|(c, block)| fill(c, block))
        });
        if done.is_ok() {
            return;
        }
    }
    for (c, block) in out.chunks_mut(chunk).enumerate() {
        fill(c, block);
    }
}
