//! Synaptic outputs (`bp.dyn.COBA`, `bp.dyn.CUBA`): how a conductance becomes a current in the
//! post-synaptic neuron. The neuron evaluates them inside its own update, at its own V.

use crate::error::{check_finite, Result};

/// How a synapse's g acts on its post-synaptic neurons.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SynOut {
    /// Conductance based: `I = g * (E - V)`, reversal potential `E` in mV.
    Coba { e: f32 },
    /// Current based: `I = g`.
    Cuba,
}

impl SynOut {
    /// `COBA(E)`; `E` must be finite.
    pub fn coba(e: f32) -> Result<Self> {
        Ok(SynOut::Coba {
            e: check_finite("E", e)?,
        })
    }
}

/// One current input of a neuron group for one step: an output bound to its synapse's g.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    pub out: SynOut,
    pub g: &'a [f32],
}
