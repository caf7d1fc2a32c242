//! The leaky integrate-and-fire family: `Lif`, `LifLTC`, `LifRef`, `LifRefLTC` (semantics.md §3).
//!
//! One struct serves the four models; the step is monomorphised per model (`LTC`, `REF` const
//! parameters) so that the per-neuron loop has no model branches.

use crate::error::{check_finite, check_non_negative, check_positive, check_size, Result};
use crate::init::Initializer;
use crate::integrate::{exp_euler, exprel};
use crate::neuron::{check_currents, Input, NeuronGroup, StepContext};
use crate::output::{Current, SynOut};
use crate::random::Generator;
use crate::state::{unknown_var, Stateful, VarData, VarDataMut};

/// Which member of the LIF family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifModel {
    /// No refractoriness; synaptic current evaluated at the old V.
    Lif,
    /// No refractoriness; synaptic current inside the integration ("liquid time constant").
    LifLtc,
    /// Refractory; synaptic current evaluated at the old V.
    LifRef,
    /// Refractory; synaptic current inside the integration (the seed network's neuron).
    LifRefLtc,
}

impl LifModel {
    fn refractory(self) -> bool {
        matches!(self, LifModel::LifRef | LifModel::LifRefLtc)
    }

    /// BrainPy's class name.
    pub fn name(self) -> &'static str {
        match self {
            LifModel::Lif => "Lif",
            LifModel::LifLtc => "LifLTC",
            LifModel::LifRef => "LifRef",
            LifModel::LifRefLtc => "LifRefLTC",
        }
    }
}

/// LIF parameters, in BrainPy's names and units (mV, ms, resistance R).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LifParams {
    pub v_rest: f32,
    pub v_reset: f32,
    pub v_th: f32,
    pub r: f32,
    /// Membrane time constant (ms), > 0.
    pub tau: f32,
    /// Refractory period (ms), >= 0; ignored by `Lif` and `LifLTC`.
    pub tau_ref: f32,
}

impl Default for LifParams {
    /// BrainPy's defaults: V_rest 0, V_reset -5, V_th 20, R 1, tau 10, tau_ref 0.
    fn default() -> Self {
        LifParams {
            v_rest: 0.0,
            v_reset: -5.0,
            v_th: 20.0,
            r: 1.0,
            tau: 10.0,
            tau_ref: 0.0,
        }
    }
}

impl LifParams {
    fn validate(&self) -> Result<()> {
        check_finite("V_rest", self.v_rest)?;
        check_finite("V_reset", self.v_reset)?;
        check_finite("V_th", self.v_th)?;
        check_finite("R", self.r)?;
        check_positive("tau", self.tau)?;
        check_non_negative("tau_ref", self.tau_ref)?;
        Ok(())
    }
}

/// A population of LIF neurons (struct of arrays).
#[derive(Debug, Clone)]
pub struct Lif {
    model: LifModel,
    params: LifParams,
    v_initializer: Initializer,
    v: Vec<f32>,
    spike: Vec<bool>,
    /// Time of each neuron's last spike (ms); -1e7 means "never" (BrainPy's value).
    t_last_spike: Vec<f32>,
    /// Kept only with `ref_var` (BrainPy's `refractory` Variable).
    refractory: Option<Vec<bool>>,
}

/// "Never spiked", as BrainPy initialises `t_last_spike` (ms).
pub const NEVER_SPIKED: f32 = -1e7;

impl Lif {
    /// Builds `size` neurons of `model`, drawing V from `v_initializer` with `rng`.
    pub fn new(
        model: LifModel,
        size: usize,
        params: LifParams,
        v_initializer: Initializer,
        ref_var: bool,
        rng: &mut Generator,
    ) -> Result<Self> {
        check_size("size", size)?;
        params.validate()?;
        let mut lif = Lif {
            model,
            params,
            v_initializer,
            v: vec![0.0; size],
            spike: vec![false; size],
            t_last_spike: vec![NEVER_SPIKED; size],
            refractory: (ref_var && model.refractory()).then(|| vec![false; size]),
        };
        lif.reset_state(rng);
        Ok(lif)
    }

    /// The model of this group.
    pub fn model(&self) -> LifModel {
        self.model
    }

    /// The parameters of this group.
    pub fn params(&self) -> &LifParams {
        &self.params
    }

    /// Membrane potentials (mV).
    pub fn v(&self) -> &[f32] {
        &self.v
    }

    fn step<const LTC: bool, const REF: bool>(
        &mut self,
        ctx: &StepContext,
        input: Input<'_>,
        currents: &[Current<'_>],
    ) {
        let p = self.params;
        let dt = ctx.dt;
        // Without LTC the linear coefficient is the same for every neuron: -1/tau (1/ms).
        let phi_const = exprel(dt * (-1.0 / p.tau));
        let mut refr_out = self.refractory.as_deref_mut();
        for i in 0..self.v.len() {
            let v = self.v[i];
            // I(V) = x + sum_k out_k(V), in registration order (semantics.md §3).
            let mut current = input.at(i);
            let mut g_coba = 0.0f32;
            for c in currents {
                let g = c.g[i];
                match c.out {
                    SynOut::Coba { e } => {
                        current += g * (e - v);
                        g_coba += g;
                    }
                    SynOut::Cuba => current += g,
                }
            }
            let f = (-v + p.v_rest + p.r * current) / p.tau;
            let v_new = if LTC {
                let l = -(1.0 + p.r * g_coba) / p.tau;
                exp_euler(v, dt, l, f)
            } else {
                v + dt * phi_const * f
            };
            let (v_new, in_refractory) = if REF {
                let refr = (ctx.t - self.t_last_spike[i]) <= p.tau_ref;
                (if refr { v } else { v_new }, refr)
            } else {
                (v_new, false)
            };
            let spike = v_new >= p.v_th;
            self.v[i] = if spike { p.v_reset } else { v_new };
            self.spike[i] = spike;
            if REF {
                if spike {
                    self.t_last_spike[i] = ctx.t;
                }
                if let Some(r) = refr_out.as_deref_mut() {
                    r[i] = in_refractory || spike;
                }
            }
        }
    }
}

impl NeuronGroup for Lif {
    fn model_name(&self) -> &'static str {
        self.model.name()
    }

    fn size(&self) -> usize {
        self.v.len()
    }

    fn update(
        &mut self,
        ctx: &StepContext,
        input: Input<'_>,
        currents: &[Current<'_>],
    ) -> Result<()> {
        input.check(self.size())?;
        check_currents(self.size(), currents)?;
        match self.model {
            LifModel::Lif => self.step::<false, false>(ctx, input, currents),
            LifModel::LifLtc => self.step::<true, false>(ctx, input, currents),
            LifModel::LifRef => self.step::<false, true>(ctx, input, currents),
            LifModel::LifRefLtc => self.step::<true, true>(ctx, input, currents),
        }
        Ok(())
    }

    fn spike(&self) -> &[bool] {
        &self.spike
    }
}

impl Stateful for Lif {
    fn var_names(&self) -> Vec<&'static str> {
        let mut names = vec!["V", "spike"];
        if self.model.refractory() {
            names.push("t_last_spike");
            if self.refractory.is_some() {
                names.push("refractory");
            }
        }
        names
    }

    fn var(&self, name: &str) -> Result<VarData<'_>> {
        match (name, &self.refractory) {
            ("V", _) => Ok(VarData::F32(&self.v)),
            ("spike", _) => Ok(VarData::Bool(&self.spike)),
            ("t_last_spike", _) if self.model.refractory() => Ok(VarData::F32(&self.t_last_spike)),
            ("refractory", Some(r)) => Ok(VarData::Bool(r)),
            _ => Err(unknown_var(self.model.name(), name, &self.var_names())),
        }
    }

    fn var_mut(&mut self, name: &str) -> Result<VarDataMut<'_>> {
        let known = self.var_names();
        let refractory_model = self.model.refractory();
        match (name, &mut self.refractory) {
            ("V", _) => Ok(VarDataMut::F32(&mut self.v)),
            ("spike", _) => Ok(VarDataMut::Bool(&mut self.spike)),
            ("t_last_spike", _) if refractory_model => Ok(VarDataMut::F32(&mut self.t_last_spike)),
            ("refractory", Some(r)) => Ok(VarDataMut::Bool(r)),
            _ => Err(unknown_var(self.model.name(), name, &known)),
        }
    }

    fn reset_state(&mut self, rng: &mut Generator) {
        self.v_initializer.fill(&mut self.v, rng);
        self.spike.fill(false);
        self.t_last_spike.fill(NEVER_SPIKED);
        if let Some(r) = self.refractory.as_mut() {
            r.fill(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_params() -> LifParams {
        LifParams {
            v_rest: -60.0,
            v_reset: -60.0,
            v_th: -50.0,
            r: 1.0,
            tau: 20.0,
            tau_ref: 5.0,
        }
    }

    fn group(model: LifModel, v0: f32) -> Lif {
        let mut rng = Generator::new(0);
        Lif::new(
            model,
            1,
            seed_params(),
            Initializer::constant(v0).unwrap(),
            true,
            &mut rng,
        )
        .unwrap()
    }

    #[test]
    fn rejects_bad_parameters() {
        let mut rng = Generator::new(0);
        for (tau, tau_ref) in [
            (0.0, 5.0),
            (-1.0, 5.0),
            (f32::NAN, 5.0),
            (20.0, -1.0),
            (20.0, f32::NAN),
        ] {
            let p = LifParams {
                tau,
                tau_ref,
                ..seed_params()
            };
            let err = Lif::new(
                LifModel::LifRefLtc,
                4,
                p,
                Initializer::zero(),
                false,
                &mut rng,
            );
            assert!(err.is_err(), "tau {tau} tau_ref {tau_ref}");
        }
        assert!(Lif::new(
            LifModel::Lif,
            0,
            seed_params(),
            Initializer::zero(),
            false,
            &mut rng
        )
        .is_err());
    }

    #[test]
    fn threshold_is_inclusive_and_refractory_holds_v_for_50_steps() {
        let mut lif = group(LifModel::LifRefLtc, -50.0);
        // V exactly at V_th with a drive that keeps it there spikes (V >= V_th).
        lif.update(&StepContext::new(0, 0.1), Input::Scalar(10.0), &[])
            .unwrap();
        assert!(lif.spike()[0]);
        assert_eq!(lif.v()[0], -60.0);
        let mut held = 0;
        for i in 1..200u64 {
            // a drive that moves V off V_reset as soon as the neuron may integrate again
            lif.update(&StepContext::new(i, 0.1), Input::Scalar(10.0), &[])
                .unwrap();
            if lif.v()[0] == -60.0 {
                held += 1;
            } else {
                break;
            }
        }
        assert!((49..=50).contains(&held), "held {held}");
    }

    #[test]
    fn ltc_and_plain_models_differ_only_under_conductance() {
        let g = [0.5f32];
        let cur = [Current {
            out: SynOut::Coba { e: 0.0 },
            g: &g,
        }];
        let mut ltc = group(LifModel::LifLtc, -55.0);
        let mut plain = group(LifModel::Lif, -55.0);
        ltc.update(&StepContext::new(0, 0.1), Input::None, &cur)
            .unwrap();
        plain
            .update(&StepContext::new(0, 0.1), Input::None, &cur)
            .unwrap();
        assert_ne!(ltc.v()[0], plain.v()[0]);
        let mut ltc = group(LifModel::LifLtc, -55.0);
        let mut plain = group(LifModel::Lif, -55.0);
        ltc.update(&StepContext::new(0, 0.1), Input::Scalar(3.0), &[])
            .unwrap();
        plain
            .update(&StepContext::new(0, 0.1), Input::Scalar(3.0), &[])
            .unwrap();
        assert_eq!(ltc.v()[0], plain.v()[0]);
    }

    #[test]
    fn wrong_lengths_are_errors_and_change_nothing() {
        let mut lif = group(LifModel::LifRefLtc, -55.0);
        let before = lif.v().to_vec();
        assert!(lif
            .update(&StepContext::new(0, 0.1), Input::Array(&[1.0, 2.0]), &[])
            .is_err());
        let g = [0.1f32, 0.2];
        let cur = [Current {
            out: SynOut::Cuba,
            g: &g,
        }];
        assert!(lif
            .update(&StepContext::new(0, 0.1), Input::None, &cur)
            .is_err());
        assert_eq!(lif.v(), &before[..]);
    }
}
