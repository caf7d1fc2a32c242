//! Just-in-time random connectivity (`bp.dnn.EventJitFPHomoLinear`, `JitFPHomoLinear`).
//!
//! The weight matrix is never stored: the targets of an input neuron are regenerated from
//! `(seed, row)` on every use with BrainPy 2.8.2 / brainevent 0.2.1's generator, so the same seed
//! gives the same matrix in both (semantics.md §6). All generator arithmetic is uint32 with
//! wrap-around.

use std::sync::OnceLock;

use crate::error::{check_finite, check_size, Error, Result};
use crate::jitrows::{scatter_then, RowTable};

/// Lanes per chunk: each lane walks the columns `l, l + 32, l + 64, ...` of its chunk.
const LANES: u32 = 32;
/// The output range is cut into (at most) this many chunks.
const CHUNKS: usize = 4;

#[inline(always)]
fn mix32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^= x >> 16;
    x
}

#[inline(always)]
fn stream_init(seed: u32, row: u32, chunk: u32, lane: u32) -> u32 {
    let x = seed
        ^ 0xd1b5_4a35
        ^ row.wrapping_mul(0x85eb_ca6b)
        ^ chunk.wrapping_mul(0xc2b2_ae35)
        ^ lane.wrapping_mul(0x27d4_eb2d);
    match mix32(x) {
        0 => 0x6d2b_79f5,
        x => x,
    }
}

/// xorshift32 (13, 17, 5), never 0.
#[inline(always)]
fn next(mut s: u32) -> u32 {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    if s == 0 {
        0x6d2b_79f5
    } else {
        s
    }
}

/// A draw in `0..b` from a 32-bit `r` (multiply-shift).
#[inline(always)]
fn bounded(r: u32, b: u32) -> u32 {
    ((u64::from(r) * u64::from(b)) >> 32) as u32
}

/// The connection pattern of a JIT operator: which outputs each input reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct JitConnectivity {
    num_in: usize,
    num_out: usize,
    prob: f32,
    seed: u32,
    /// Mean gap between connections is `clen / 2`: `max(2, ceil(2 / prob))`.
    clen: u32,
    chunk: usize,
    n_chunks: usize,
}

impl JitConnectivity {
    /// `num_in -> num_out` connections with probability `prob` in (0, 1], from `seed`.
    pub fn new(num_in: usize, num_out: usize, prob: f32, seed: u64) -> Result<Self> {
        check_size("num_in", num_in)?;
        check_size("num_out", num_out)?;
        if !(prob > 0.0 && prob <= 1.0) {
            return Err(Error::parameter("prob", "a probability in (0, 1]", prob));
        }
        let seed = u32::try_from(seed)
            .map_err(|_| Error::parameter("seed", "an integer in [0, 2**32)", seed))?;
        let (Ok(_), Ok(_)) = (u32::try_from(num_in), u32::try_from(num_out)) else {
            return Err(Error::parameter(
                "num_in/num_out",
                "sizes below 2**32",
                format!("{num_in}/{num_out}"),
            ));
        };
        let clen = ((2.0f32 / prob).ceil() as i32).max(2) as u32;
        let chunk = num_out.div_ceil(CHUNKS).max(1);
        Ok(JitConnectivity {
            num_in,
            num_out,
            prob,
            seed,
            clen,
            chunk,
            n_chunks: num_out.div_ceil(chunk),
        })
    }

    pub fn num_in(&self) -> usize {
        self.num_in
    }

    pub fn num_out(&self) -> usize {
        self.num_out
    }

    pub fn prob(&self) -> f32 {
        self.prob
    }

    pub fn seed(&self) -> u32 {
        self.seed
    }

    /// Calls `f` with every target of input `row`, chunk by chunk, lane by lane. Each target
    /// appears once. `row` must be below `num_in` (callers index rows they validated).
    #[inline]
    pub fn for_each_target(&self, row: usize, mut f: impl FnMut(usize)) {
        for c in 0..self.n_chunks {
            let base = c * self.chunk;
            self.for_each_target_in_chunk(row, c, |j| f(base + j));
        }
    }

    /// Calls `f` with the targets of input `row` in output chunk `c`, as offsets from the
    /// chunk's start (`c * chunk_len()`). Chunks are independent: a chunk's outputs receive
    /// only from its own streams, which is what lets output blocks be filled in parallel.
    #[inline]
    pub fn for_each_target_in_chunk(&self, row: usize, c: usize, mut f: impl FnMut(usize)) {
        let gap = self.clen - 1;
        let row = row as u32;
        let width = self.chunk.min(self.num_out - c * self.chunk) as u64;
        for lane in 0..LANES {
            let mut s = stream_init(self.seed, row, c as u32, lane);
            // The first column is drawn with a rejection step so that it is uniform over the
            // lane's first gap (brainevent's `initial_q`).
            let mut q = loop {
                s = next(s);
                let q = bounded(s, gap);
                s = next(s);
                let gate = bounded(s, gap);
                if gate < gap - q {
                    break q;
                }
            };
            while u64::from(lane) + u64::from(LANES) * u64::from(q) < width {
                f((lane + LANES * q) as usize);
                s = next(s);
                q += 1 + bounded(s, gap);
            }
        }
    }

    /// The length of an output chunk (the last may be shorter).
    pub fn chunk_len(&self) -> usize {
        self.chunk
    }

    /// The number of output chunks.
    pub fn n_chunks(&self) -> usize {
        self.n_chunks
    }

    /// The expected number of connections (`num_in * num_out * prob`).
    pub fn expected_connections(&self) -> f64 {
        self.num_in as f64 * self.num_out as f64 * f64::from(self.prob)
    }

    /// The targets of input `row`, sorted.
    pub fn targets(&self, row: usize) -> Result<Vec<usize>> {
        if row >= self.num_in {
            return Err(Error::parameter(
                "row",
                &format!("an input index below {}", self.num_in),
                row,
            ));
        }
        let mut t = Vec::new();
        self.for_each_target(row, |j| t.push(j));
        t.sort_unstable();
        Ok(t)
    }
}

/// The rows of an operator, generated once when they fit the budget (see [`crate::jitrows`]).
#[derive(Debug, Clone, Default)]
struct Rows(OnceLock<Option<RowTable>>);

impl Rows {
    fn get(&self, conn: &JitConnectivity) -> Option<&RowTable> {
        self.0.get_or_init(|| RowTable::build(conn)).as_ref()
    }
}

/// `y = W @ x` for a spike vector `x`, every connection of weight `weight`.
#[derive(Debug, Clone)]
pub struct EventJitFPHomoLinear {
    conn: JitConnectivity,
    weight: f32,
    rows: Rows,
}

impl PartialEq for EventJitFPHomoLinear {
    fn eq(&self, other: &Self) -> bool {
        self.conn == other.conn && self.weight == other.weight
    }
}

impl EventJitFPHomoLinear {
    pub fn new(num_in: usize, num_out: usize, prob: f32, weight: f32, seed: u64) -> Result<Self> {
        Ok(EventJitFPHomoLinear {
            conn: JitConnectivity::new(num_in, num_out, prob, seed)?,
            weight: check_finite("weight", weight)?,
            rows: Rows::default(),
        })
    }

    pub fn conn(&self) -> &JitConnectivity {
        &self.conn
    }

    pub fn weight(&self) -> f32 {
        self.weight
    }

    /// Writes `W @ spikes` into `out` (overwritten). Active rows are added in increasing order,
    /// so `out[j]` is `weight` summed k times in float32 (semantics.md §6).
    pub fn apply(&self, spikes: &[bool], out: &mut [f32]) -> Result<()> {
        let active = self.active_rows(spikes)?;
        self.scatter_then(&active, out, vec![(); self.conn.n_chunks()], |_, ()| {})
    }

    /// The spiking inputs in increasing order, each with the weight it adds.
    pub(crate) fn active_rows(&self, spikes: &[bool]) -> Result<Vec<(usize, f32)>> {
        if spikes.len() != self.conn.num_in {
            return Err(Error::length("x", self.conn.num_in, spikes.len()));
        }
        let w = self.weight;
        let mut active: Vec<(usize, f32)> = Vec::new();
        crate::events::for_each_spike(spikes, |r| active.push((r, w)));
        Ok(active)
    }

    /// The sums of [`active_rows`](Self::active_rows) into `out` (overwritten), then
    /// `then(chunk of out, item)` for every output chunk ([`JitConnectivity::chunk_len`]
    /// outputs; `items` has [`JitConnectivity::n_chunks`] entries) in the task that filled it.
    pub(crate) fn scatter_then<T: Send>(
        &self,
        active: &[(usize, f32)],
        out: &mut [f32],
        items: Vec<T>,
        then: impl Fn(&[f32], T) + Sync,
    ) -> Result<()> {
        scatter_checked(&self.conn, &self.rows, active, out, items, then)
    }
}

/// `y = W @ x` for a float vector `x`, every connection of weight `weight`.
#[derive(Debug, Clone)]
pub struct JitFPHomoLinear {
    conn: JitConnectivity,
    weight: f32,
    rows: Rows,
}

impl PartialEq for JitFPHomoLinear {
    fn eq(&self, other: &Self) -> bool {
        self.conn == other.conn && self.weight == other.weight
    }
}

impl JitFPHomoLinear {
    pub fn new(num_in: usize, num_out: usize, prob: f32, weight: f32, seed: u64) -> Result<Self> {
        Ok(JitFPHomoLinear {
            conn: JitConnectivity::new(num_in, num_out, prob, seed)?,
            weight: check_finite("weight", weight)?,
            rows: Rows::default(),
        })
    }

    pub fn conn(&self) -> &JitConnectivity {
        &self.conn
    }

    pub fn weight(&self) -> f32 {
        self.weight
    }

    /// Writes `W @ x` into `out` (overwritten): `out[j] += weight * x[r]` for rows in increasing
    /// order; rows with `x[r] == 0` are skipped (they add exactly 0).
    pub fn apply(&self, x: &[f32], out: &mut [f32]) -> Result<()> {
        let active = self.active_rows(x)?;
        self.scatter_then(&active, out, vec![(); self.conn.n_chunks()], |_, ()| {})
    }

    /// The nonzero inputs in increasing order, each with the weight it adds (`weight * x[r]`;
    /// rows with `x[r] == 0` would add exactly 0).
    pub(crate) fn active_rows(&self, x: &[f32]) -> Result<Vec<(usize, f32)>> {
        if x.len() != self.conn.num_in {
            return Err(Error::length("x", self.conn.num_in, x.len()));
        }
        Ok(x.iter()
            .enumerate()
            .filter(|(_, &xr)| xr != 0.0)
            .map(|(r, &xr)| (r, self.weight * xr))
            .collect())
    }

    /// The sums of [`active_rows`](Self::active_rows) into `out` (overwritten), then
    /// `then(chunk of out, item)` for every output chunk ([`JitConnectivity::chunk_len`]
    /// outputs; `items` has [`JitConnectivity::n_chunks`] entries) in the task that filled it.
    pub(crate) fn scatter_then<T: Send>(
        &self,
        active: &[(usize, f32)],
        out: &mut [f32],
        items: Vec<T>,
        then: impl Fn(&[f32], T) + Sync,
    ) -> Result<()> {
        scatter_checked(&self.conn, &self.rows, active, out, items, then)
    }
}

/// [`scatter_then`] after checking the output length and the number of per-chunk items.
fn scatter_checked<T: Send>(
    conn: &JitConnectivity,
    rows: &Rows,
    active: &[(usize, f32)],
    out: &mut [f32],
    items: Vec<T>,
    then: impl Fn(&[f32], T) + Sync,
) -> Result<()> {
    check_io(conn, conn.num_in, out.len())?;
    check_items(conn, items.len())?;
    scatter_then(conn, rows.get(conn), active, out, items, then);
    Ok(())
}

fn check_items(conn: &JitConnectivity, n_items: usize) -> Result<()> {
    if n_items != conn.n_chunks() {
        return Err(Error::length("per-chunk items", conn.n_chunks(), n_items));
    }
    Ok(())
}

fn check_io(conn: &JitConnectivity, n_in: usize, n_out: usize) -> Result<()> {
    if n_in != conn.num_in {
        return Err(Error::length("x", conn.num_in, n_in));
    }
    if n_out != conn.num_out {
        return Err(Error::length("out", conn.num_out, n_out));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_parameters() {
        for prob in [0.0, -0.1, 1.5, f32::NAN] {
            assert!(
                JitConnectivity::new(10, 10, prob, 1).is_err(),
                "prob {prob}"
            );
        }
        assert!(JitConnectivity::new(0, 10, 0.1, 1).is_err());
        assert!(JitConnectivity::new(10, 10, 0.1, 1 << 40).is_err());
        assert!(EventJitFPHomoLinear::new(10, 10, 0.1, f32::INFINITY, 1).is_err());
    }

    #[test]
    fn prob_one_connects_everything() {
        let c = JitConnectivity::new(3, 37, 1.0, 5).unwrap();
        assert_eq!(c.targets(1).unwrap(), (0..37).collect::<Vec<_>>());
    }

    #[test]
    fn wrong_lengths_are_errors() {
        let op = EventJitFPHomoLinear::new(4, 6, 0.5, 1.0, 3).unwrap();
        let mut out = vec![0.0; 6];
        assert!(op.apply(&[true; 3], &mut out).is_err());
        assert!(op.apply(&[true; 4], &mut out[..5]).is_err());
    }
}
