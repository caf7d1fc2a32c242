//! The engine's random generator, from which initializers draw.
//!
//! ChaCha8 is counter based: a stream is fully described by its seed and word position, so a
//! checkpoint can record where a generator stands and a resumed run continues the same sequence.
//! Draws happen on one thread, in index order, so they do not depend on the thread count.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal, StandardUniform};

/// A seeded random generator (ChaCha8).
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
    rng: ChaCha8Rng,
}

impl Generator {
    /// A generator at the start of the stream of `seed`.
    pub fn new(seed: u64) -> Self {
        Generator {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// Restarts the generator at the start of the stream of `seed`.
    pub fn reseed(&mut self, seed: u64) {
        *self = Generator::new(seed);
    }

    /// The seed this generator was started from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How far the generator has advanced in its stream (32-bit words consumed).
    pub fn word_pos(&self) -> u128 {
        self.rng.get_word_pos()
    }

    /// Moves the generator to a position of its stream (as returned by [`Generator::word_pos`]).
    pub fn set_word_pos(&mut self, pos: u128) {
        self.rng.set_word_pos(pos);
    }

    /// Fills `out` with draws from Normal(`mean`, `scale`) in float32.
    pub fn fill_normal(&mut self, mean: f32, scale: f32, out: &mut [f32]) {
        for x in out.iter_mut() {
            let z: f32 = StandardNormal.sample(&mut self.rng);
            *x = mean + scale * z;
        }
    }

    /// Fills `out` with draws from Uniform[`low`, `high`) in float32.
    pub fn fill_uniform(&mut self, low: f32, high: f32, out: &mut [f32]) {
        let width = high - low;
        for x in out.iter_mut() {
            let u: f32 = StandardUniform.sample(&mut self.rng);
            *x = low + width * u;
        }
    }
}

impl Default for Generator {
    fn default() -> Self {
        Generator::new(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_draws_and_position_restores_stream() {
        let mut a = Generator::new(42);
        let mut b = Generator::new(42);
        let mut xa = vec![0.0; 100];
        let mut xb = vec![0.0; 100];
        a.fill_normal(-55.0, 2.0, &mut xa);
        b.fill_normal(-55.0, 2.0, &mut xb);
        assert_eq!(xa, xb);
        let pos = a.word_pos();
        a.fill_uniform(0.0, 1.0, &mut xa);
        b.set_word_pos(pos);
        b.fill_uniform(0.0, 1.0, &mut xb);
        assert_eq!(xa, xb);
        assert!(xa.iter().all(|&u| (0.0..1.0).contains(&u)));
    }

    #[test]
    fn normal_draws_have_the_requested_moments() {
        let mut g = Generator::new(1);
        let mut x = vec![0.0f32; 100_000];
        g.fill_normal(-55.0, 2.0, &mut x);
        let n = x.len() as f64;
        let mean = x.iter().map(|&v| v as f64).sum::<f64>() / n;
        let var = x.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
        assert!((mean + 55.0).abs() < 0.03, "mean {mean}");
        assert!((var.sqrt() - 2.0).abs() < 0.03, "sd {}", var.sqrt());
    }
}
