//! Synapse dynamics (`bp.dyn.Expon`): one conductance per post-synaptic neuron.

use crate::error::{check_positive, check_size, Error, Result};
use crate::integrate::exp_euler;
use crate::random::Generator;
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

    /// One step of `dt` ms: decay every g, then add the input `x` (one value per g) if given.
    pub fn update(&mut self, dt: f32, x: Option<&[f32]>) -> Result<()> {
        if let Some(x) = x {
            if x.len() != self.g.len() {
                return Err(Error::length("x", self.g.len(), x.len()));
            }
        }
        // L = d(-g/tau)/dg = -1/tau for every g.
        let l = -1.0 / self.tau;
        for g in self.g.iter_mut() {
            *g = exp_euler(*g, dt, l, -*g / self.tau);
        }
        if let Some(x) = x {
            for (g, x) in self.g.iter_mut().zip(x) {
                *g += *x;
            }
        }
        Ok(())
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
