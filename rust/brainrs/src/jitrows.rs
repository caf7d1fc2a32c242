//! The event mat-vec of the JIT operators, and the row table that can spare its generator.
//!
//! Generating a row costs 128 stream starts (4 chunks x 32 lanes) whatever its length, so the
//! targets of every row are kept in a [`RowTable`] when they fit a memory budget
//! ([`set_row_cache_budget`]) and regenerated on every use beyond it. Either way the result is
//! the same: each output is the sum of its active rows' weights in increasing row order
//! (semantics.md §6). The outputs are cut into the generator's chunks, which receive only from
//! their own streams, so chunks are filled in parallel without atomics and without any order
//! that depends on scheduling.
//!
//! The table cuts each chunk further into tiles of at most 65,536 outputs (256 KiB of float32,
//! which stays in a core's L2 cache while every active row adds its targets in that tile) and
//! stores a target as its 16-bit offset in its tile: 2 bytes per connection plus 4 per (row,
//! tile). Tiling changes only the order in which outputs are visited, never the order of the
//! rows summed into one output.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::jitconn::JitConnectivity;
use crate::parallel;

/// Default budget of one operator's row table: 256 MiB (about 100 million connections).
pub const DEFAULT_ROW_CACHE_BUDGET: usize = 256 << 20;

/// Outputs per tile: offsets within a tile fit 16 bits.
const TILE: usize = 1 << 16;

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

/// The tiles of one chunk: `n` tiles, the first numbered `first` in the table.
#[derive(Debug, Clone, Copy)]
struct ChunkTiles {
    first: usize,
    n: usize,
}

/// The targets of every (row, tile), as 16-bit offsets within the tile.
#[derive(Debug, Clone)]
pub struct RowTable {
    /// `starts[r * n_tiles + t]..starts[r * n_tiles + t + 1]` indexes `targets`.
    starts: Vec<u32>,
    targets: Vec<u16>,
    n_tiles: usize,
    chunks: Vec<ChunkTiles>,
}

/// Rows generated per task when a table is built in parallel.
const BUILD_BLOCK: usize = 512;
/// Blocks generated before they are appended to the table.
const BUILD_WAVE: usize = 32;

fn chunk_tiles(conn: &JitConnectivity) -> Vec<ChunkTiles> {
    let chunk = conn.chunk_len();
    let mut first = 0;
    (0..conn.n_chunks())
        .map(|c| {
            let width = chunk.min(conn.num_out() - c * chunk);
            let n = width.div_ceil(TILE);
            let tiles = ChunkTiles { first, n };
            first += n;
            tiles
        })
        .collect()
}

impl RowTable {
    /// Generates every row of `conn` if the table fits the budget (and 32-bit offsets).
    pub fn build(conn: &JitConnectivity) -> Option<RowTable> {
        let chunks = chunk_tiles(conn);
        let n_tiles: usize = chunks.iter().map(|c| c.n).sum();
        let n = conn.num_in();
        let expected = conn.expected_connections() * 1.1 + 1024.0;
        let bytes = expected * 2.0 + (n * n_tiles + 1) as f64 * 4.0;
        if bytes > row_cache_budget() as f64 || expected >= f64::from(u32::MAX) {
            return None;
        }
        let block = |rows: std::ops::Range<usize>| {
            let mut counts = Vec::with_capacity(rows.len() * n_tiles);
            let mut targets = Vec::new();
            let mut row_chunk = Vec::new();
            for r in rows {
                for (c, tiles) in chunks.iter().enumerate() {
                    row_chunk.clear();
                    conn.for_each_target_in_chunk(r, c, |j| row_chunk.push(j));
                    row_chunk.sort_unstable();
                    let mut rest = &row_chunk[..];
                    for t in 0..tiles.n {
                        let end = rest.partition_point(|&j| j < (t + 1) * TILE);
                        targets.extend(rest[..end].iter().map(|&j| (j - t * TILE) as u16));
                        counts.push(end as u32);
                        rest = &rest[end..];
                    }
                }
            }
            (counts, targets)
        };
        let blocks: Vec<_> = (0..n)
            .step_by(BUILD_BLOCK)
            .map(|s| s..(s + BUILD_BLOCK).min(n))
            .collect();
        let split = parallel::worth_splitting(n * 64);
        // Rows are generated a wave of blocks at a time (in parallel) and appended in order:
        // the table plus one wave is all the memory a build takes (the freed parts of a wave
        // are reused by the next one instead of piling up in the allocator's arenas).
        let expected_total = (conn.expected_connections() * 1.05) as usize;
        let mut starts = Vec::with_capacity(n * n_tiles + 1);
        let mut targets: Vec<u16> = Vec::with_capacity(expected_total);
        let mut at = 0u32;
        for wave in blocks.chunks(BUILD_WAVE) {
            let parts: Vec<(Vec<u32>, Vec<u16>)> = if split {
                parallel::install(|| wave.par_iter().cloned().map(block).collect()).ok()?
            } else {
                wave.iter().cloned().map(block).collect()
            };
            for (counts, t) in parts {
                for count in counts {
                    starts.push(at);
                    at = at.checked_add(count)?;
                }
                targets.extend_from_slice(&t);
            }
        }
        targets.shrink_to_fit();
        let total_u32 = at;
        starts.push(total_u32);
        Some(RowTable {
            starts,
            targets,
            n_tiles,
            chunks,
        })
    }

    #[inline]
    fn tile_targets(&self, row: usize, tile: usize) -> &[u16] {
        let k = row * self.n_tiles + tile;
        &self.targets[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        4 * self.starts.len() + 2 * self.targets.len()
    }
}

/// `out = W @ x` where `active` lists the nonzero inputs in increasing row order with the
/// weight each adds (`weight` for spikes, `weight * x[r]` for floats).
#[cfg(test)]
pub(crate) fn scatter(
    conn: &JitConnectivity,
    table: Option<&RowTable>,
    active: &[(usize, f32)],
    out: &mut [f32],
) {
    let n_chunks = out.len().div_ceil(conn.chunk_len().max(1));
    scatter_then(conn, table, active, out, vec![(); n_chunks], |_, ()| {});
}

/// [`scatter`], then `then(chunk of out, item)` for each chunk in the task that filled it:
/// whatever consumes the result chunk by chunk (a synapse's update) runs while the chunk is
/// still in cache and without a second round of tasks. `items` has one entry per chunk.
pub(crate) fn scatter_then<T: Send>(
    conn: &JitConnectivity,
    table: Option<&RowTable>,
    active: &[(usize, f32)],
    out: &mut [f32],
    items: Vec<T>,
    then: impl Fn(&[f32], T) + Sync,
) {
    let chunk = conn.chunk_len();
    let fill = |c: usize, block: &mut [f32]| {
        block.fill(0.0);
        match table {
            Some(t) => {
                let tiles = t.chunks[c];
                for (k, tile) in block.chunks_mut(TILE).enumerate().take(tiles.n) {
                    for &(row, w) in active {
                        for &j in t.tile_targets(row, tiles.first + k) {
                            if let Some(y) = tile.get_mut(usize::from(j)) {
                                *y += w;
                            }
                        }
                    }
                }
            }
            None => {
                for &(row, w) in active {
                    conn.for_each_target_in_chunk(row, c, |j| block[j] += w);
                }
            }
        }
    };
    // work: the outputs cleared plus the events added (128 stream starts per regenerated row)
    let per_row = if table.is_some() { 0 } else { 128 };
    let events = (conn.expected_connections() / conn.num_in() as f64) as usize + per_row;
    let split = parallel::worth_splitting(out.len() + active.len() * events);
    let tasks: Vec<_> = out.chunks_mut(chunk).enumerate().zip(items).collect();
    parallel::for_each(tasks, split, |((c, block), item)| {
        fill(c, block);
        then(block, item);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Row by row over the whole output, as semantics.md §6 states the sum.
    fn reference(conn: &JitConnectivity, active: &[(usize, f32)]) -> Vec<f32> {
        let mut y = vec![0.0f32; conn.num_out()];
        for &(row, w) in active {
            conn.for_each_target(row, |j| y[j] += w);
        }
        y
    }

    fn bits(x: &[f32]) -> Vec<u32> {
        x.iter().map(|v| v.to_bits()).collect()
    }

    #[test]
    fn table_and_generator_give_the_reference_sums() {
        // 600,000 outputs: chunks of 150,000, each cut into 3 tiles
        for (num_in, num_out, prob) in [(300, 600_000, 0.002), (50, 4000, 0.3), (7, 3, 1.0)] {
            let conn = JitConnectivity::new(num_in, num_out, prob, 121_958).unwrap();
            let table = RowTable::build(&conn).expect("fits the default budget");
            // uneven weights, so that any change in the order of a sum would show
            let active: Vec<(usize, f32)> = (0..num_in)
                .filter(|r| r % 3 != 1)
                .map(|r| (r, 0.1 + r as f32 * 0.37))
                .collect();
            let want = reference(&conn, &active);
            let mut with_table = vec![f32::NAN; num_out];
            scatter(&conn, Some(&table), &active, &mut with_table);
            let mut regenerated = vec![f32::NAN; num_out];
            scatter(&conn, None, &active, &mut regenerated);
            assert_eq!(bits(&with_table), bits(&want), "table {num_in}x{num_out}");
            assert_eq!(
                bits(&regenerated),
                bits(&want),
                "generator {num_in}x{num_out}"
            );
            assert!(want.iter().filter(|&&y| y != 0.0).count() > num_out.min(1000) / 10);
        }
    }

    #[test]
    fn a_zero_budget_keeps_no_table() {
        let conn = JitConnectivity::new(100, 100, 0.1, 1).unwrap();
        let before = row_cache_budget();
        set_row_cache_budget(0);
        let table = RowTable::build(&conn);
        set_row_cache_budget(before);
        assert!(table.is_none());
    }
}
