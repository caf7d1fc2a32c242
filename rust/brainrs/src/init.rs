//! Initializers (`bp.init.*`): how a state variable is filled at construction and at reset.

use crate::error::{check_finite, Error, Result};
use crate::random::Generator;

/// The distribution an [`Initializer`] draws from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InitDist {
    /// All zeros (`ZeroInit`).
    Zero,
    /// One value everywhere (`Constant`, `OneInit`).
    Constant(f32),
    /// Normal(mean, scale) draws (`Normal`).
    Normal { mean: f32, scale: f32 },
    /// Uniform[low, high) draws (`Uniform`).
    Uniform { low: f32, high: f32 },
}

/// Fills a state variable. Random initializers draw from the generator they are given, unless
/// they were built with a seed of their own ([`Initializer::with_seed`]).
#[derive(Debug, Clone)]
pub struct Initializer {
    dist: InitDist,
    own_generator: Option<Generator>,
}

impl Initializer {
    /// `ZeroInit()`.
    pub fn zero() -> Self {
        Self::from_dist(InitDist::Zero)
    }

    /// `Constant(value)` / `OneInit(value)`.
    pub fn constant(value: f32) -> Result<Self> {
        Ok(Self::from_dist(InitDist::Constant(check_finite(
            "value", value,
        )?)))
    }

    /// `Normal(mean, scale)`; `scale` must be finite and >= 0.
    pub fn normal(mean: f32, scale: f32) -> Result<Self> {
        check_finite("mean", mean)?;
        if !(scale.is_finite() && scale >= 0.0) {
            return Err(Error::parameter("scale", "a finite number >= 0", scale));
        }
        Ok(Self::from_dist(InitDist::Normal { mean, scale }))
    }

    /// `Uniform(min_val, max_val)`; needs `min_val <= max_val`, both finite.
    pub fn uniform(low: f32, high: f32) -> Result<Self> {
        check_finite("min_val", low)?;
        check_finite("max_val", high)?;
        if low > high {
            return Err(Error::parameter(
                "max_val",
                &format!("a number >= min_val ({low})"),
                high,
            ));
        }
        Ok(Self::from_dist(InitDist::Uniform { low, high }))
    }

    fn from_dist(dist: InitDist) -> Self {
        Initializer {
            dist,
            own_generator: None,
        }
    }

    /// Gives the initializer a generator of its own, started from `seed` (BrainPy's `seed=`).
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.own_generator = Some(Generator::new(seed));
        self
    }

    /// The distribution drawn from.
    pub fn dist(&self) -> InitDist {
        self.dist
    }

    /// Fills `out`, drawing from `rng` (or from the initializer's own generator if it has one).
    pub fn fill(&mut self, out: &mut [f32], rng: &mut Generator) {
        let rng = self.own_generator.as_mut().unwrap_or(rng);
        match self.dist {
            InitDist::Zero => out.fill(0.0),
            InitDist::Constant(c) => out.fill(c),
            InitDist::Normal { mean, scale } => rng.fill_normal(mean, scale, out),
            InitDist::Uniform { low, high } => rng.fill_uniform(low, high, out),
        }
    }
}

impl Default for Initializer {
    fn default() -> Self {
        Self::zero()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_parameters() {
        assert!(
            matches!(Initializer::normal(0.0, -1.0), Err(Error::Parameter { param, .. }) if param == "scale")
        );
        assert!(Initializer::normal(f32::NAN, 1.0).is_err());
        assert!(Initializer::uniform(2.0, 1.0).is_err());
        assert!(Initializer::constant(f32::INFINITY).is_err());
    }

    #[test]
    fn seeded_initializer_ignores_the_shared_generator() {
        let mut shared = Generator::new(1);
        let mut a = Initializer::normal(0.0, 1.0).unwrap().with_seed(9);
        let mut b = Initializer::normal(0.0, 1.0).unwrap().with_seed(9);
        let (mut xa, mut xb) = (vec![0.0; 8], vec![0.0; 8]);
        a.fill(&mut xa, &mut shared);
        shared.fill_normal(0.0, 1.0, &mut xb);
        b.fill(&mut xb, &mut shared);
        assert_eq!(xa, xb);
    }
}
