//! Synapse dynamics (`bp.dyn.Expon`): one conductance per post-synaptic neuron.

use crate::error::{check_positive, check_size, Error, Result};
use crate::integrate::exprel;
use crate::parallel;
use crate::random::Generator;
use crate::simd;
use crate::state::{unknown_var, Stateful, VarData, VarDataMut};

/// Exponentially decaying conductance: `dg/dt = -g / tau`, then `g += x` (semantics.md §3).
#[derive(Debug, Clone)]
pub struct Expon {
    tau: f32,
    g: Vec<f32>,
}

impl Expon {
    /// `Expon(size, tau)`; tau in ms, > 0.
    pub fn new(size: usize, tau: f32) -> Result<Self> {
        check_size("size", size)?;
        Ok(Expon {
            tau: check_positive("tau", tau)?,
            g: vec![0.0; size],
        })
    }

    /// Number of conductances (post-synaptic neurons).
    pub fn size(&self) -> usize {
        self.g.len()
    }

    /// The decay time constant (ms).
    pub fn tau(&self) -> f32 {
        self.tau
    }

    /// The conductances.
    pub fn g(&self) -> &[f32] {
        &self.g
    }

    /// The decay of one step of `dt` ms. L = d(-g/tau)/dg = -1/tau for every g, so
    /// exprel(dt * L) is one number; it is computed once and the rest is exp_euler's arithmetic
    /// in its order (same bits).
    fn decay(&self, dt: f32) -> Decay {
        Decay {
            dt_phi: dt * exprel(dt * (-1.0 / self.tau)),
            tau: self.tau,
        }
    }

    /// [`Expon::update`] cut into chunks of `chunk_len` conductances, for a caller that
    /// computes the input chunk by chunk (a connectivity operator's `scatter_then`): call
    /// [`ChunkedUpdate::run`] on each chunk with its input.
    pub(crate) fn chunked(
        &mut self,
        dt: f32,
        chunk_len: usize,
    ) -> (ChunkedUpdate, Vec<&mut [f32]>) {
        let decay = self.decay(dt);
        let chunks = self.g.chunks_mut(chunk_len.max(1)).collect();
        (
            ChunkedUpdate {
                decay,
                wide: simd::wide_vectors(),
            },
            chunks,
        )
    }

    /// One step of `dt` ms: decay every g, then add the input `x` (one value per g) if given.
    pub fn update(&mut self, dt: f32, x: Option<&[f32]>) -> Result<()> {
        if let Some(x) = x {
            if x.len() != self.g.len() {
                return Err(Error::length("x", self.g.len(), x.len()));
            }
        }
        let decay = self.decay(dt);
        let split = parallel::worth_splitting(self.g.len() * 4);
        let block_len = parallel::block_len(self.g.len(), split, 64);
        let blocks: Vec<(&mut [f32], Option<&[f32]>)> = match x {
            Some(x) => self
                .g
                .chunks_mut(block_len)
                .zip(x.chunks(block_len))
                .map(|(g, x)| (g, Some(x)))
                .collect(),
            None => self.g.chunks_mut(block_len).map(|g| (g, None)).collect(),
        };
        let wide = simd::wide_vectors();
        parallel::for_each(blocks, split, |(g, x)| decay.run(g, x, wide));
        Ok(())
    }
}

/// The step of one chunk of an [`Expon`] (see [`Expon::chunked`]).
pub(crate) struct ChunkedUpdate {
    decay: Decay,
    wide: bool,
}

impl ChunkedUpdate {
    /// Decays the chunk `g` and adds its input `x` (of the same length).
    pub(crate) fn run(&self, g: &mut [f32], x: &[f32]) {
        self.decay.run(g, Some(x), self.wide);
    }
}

/// One step of exponential decay, `g <- g + dt * exprel(-dt/tau) * (-g / tau)`, then `g += x`.
struct Decay {
    /// `dt * exprel(-dt / tau)` (ms).
    dt_phi: f32,
    tau: f32,
}

impl Decay {
    /// [`Decay::block`] in its AVX2 build when `wide` (see [`crate::simd`]); the same bits.
    fn run(&self, g: &mut [f32], x: Option<&[f32]>, wide: bool) {
        #[cfg(target_arch = "x86_64")]
        if wide {
            // SAFETY: `block_avx2` only requires a CPU with AVX2, and `wide` comes from
            // `simd::wide_vectors`, which checked it with `is_x86_feature_detected!`.
            #[allow(unsafe_code)]
            unsafe {
                self.block_avx2(g, x)
            };
            return;
        }
        let _ = wide;
        self.block(g, x)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn block_avx2(&self, g: &mut [f32], x: Option<&[f32]>) {
        self.block(g, x)
    }

    #[inline(always)]
    fn block(&self, g: &mut [f32], x: Option<&[f32]>) {
        let (dt_phi, tau) = (self.dt_phi, self.tau);
        match x {
            Some(x) => {
                for (g, &x) in g.iter_mut().zip(x) {
                    *g = (*g + dt_phi * (-*g / tau)) + x;
                }
            }
            None => {
                for g in g.iter_mut() {
                    *g += dt_phi * (-*g / tau);
                }
            }
        }
    }
}

impl Stateful for Expon {
    fn var_names(&self) -> Vec<&'static str> {
        vec!["g"]
    }

    fn var(&self, name: &str) -> Result<VarData<'_>> {
        match name {
            "g" => Ok(VarData::F32(&self.g)),
            _ => Err(unknown_var("Expon", name, &["g"])),
        }
    }

    fn var_mut(&mut self, name: &str) -> Result<VarDataMut<'_>> {
        match name {
            "g" => Ok(VarDataMut::F32(&mut self.g)),
            _ => Err(unknown_var("Expon", name, &["g"])),
        }
    }

    fn reset_state(&mut self, _rng: &mut Generator) {
        self.g.fill(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_step_matches_brainpy() {
        // BrainPy 2.8.2: g0 = 1, x = 0.6, dt 0.1, tau 5 gives 1.5801988.
        let mut syn = Expon::new(1, 5.0).unwrap();
        syn.write_var("g", VarData::F32(&[1.0])).unwrap();
        syn.update(0.1, Some(&[0.6])).unwrap();
        assert_eq!(syn.g()[0], 1.580_198_8);
    }

    #[test]
    fn rejects_bad_tau_and_input() {
        assert!(Expon::new(3, 0.0).is_err());
        assert!(Expon::new(3, f32::NAN).is_err());
        let mut syn = Expon::new(3, 5.0).unwrap();
        assert!(syn.update(0.1, Some(&[1.0])).is_err());
    }
}
