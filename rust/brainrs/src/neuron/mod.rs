//! Neuron groups: a population's state as struct-of-arrays, advanced one step at a time.
//!
//! [`NeuronGroup`] is the extension point for Rust users: implement it for a new model and the
//! [`Network`](crate::Network) drives it like the built-in LIF family ([`lif`]).

pub mod lif;

use crate::error::{Error, Result};
use crate::output::Current;
use crate::state::Stateful;

/// The shared arguments of one step (BrainPy's `share`): step index `i`, time `t = i * dt` (ms,
/// float32 as BrainPy computes it) and `dt` (ms).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepContext {
    pub i: u64,
    pub t: f32,
    pub dt: f32,
}

impl StepContext {
    /// The context of step `i` at step size `dt`: `t = float32(i) * float32(dt)`.
    pub fn new(i: u64, dt: f32) -> Self {
        StepContext {
            i,
            t: i as f32 * dt,
            dt,
        }
    }
}

/// The external input current of a step: nothing, one value for every neuron, or one each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input<'a> {
    None,
    Scalar(f32),
    Array(&'a [f32]),
}

impl Input<'_> {
    /// Checks that an array input has one value per neuron.
    pub fn check(&self, size: usize) -> Result<()> {
        match self {
            Input::Array(x) if x.len() != size => Err(Error::length("input", size, x.len())),
            _ => Ok(()),
        }
    }
}

/// A population of neurons.
pub trait NeuronGroup: Stateful + Send + std::fmt::Debug {
    /// BrainPy's class name of the model (`"LifRefLTC"`), used in messages and checkpoints.
    fn model_name(&self) -> &'static str;

    /// Number of neurons.
    fn size(&self) -> usize;

    /// Advances every neuron by one step with the external `input` and the synaptic `currents`
    /// registered on the group (each `g` has one value per neuron).
    fn update(
        &mut self,
        ctx: &StepContext,
        input: Input<'_>,
        currents: &[Current<'_>],
    ) -> Result<()>;

    /// This step's spikes.
    fn spike(&self) -> &[bool];
}

pub(crate) fn check_currents(size: usize, currents: &[Current<'_>]) -> Result<()> {
    for (k, c) in currents.iter().enumerate() {
        if c.g.len() != size {
            return Err(Error::length(
                &format!("current input {k} (g)"),
                size,
                c.g.len(),
            ));
        }
    }
    Ok(())
}
