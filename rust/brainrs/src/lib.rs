//! # brainrs: a spiking brain-network engine
//!
//! The engine behind the `brainrs` Python package (a BrainPy-compatible API), usable on its own
//! from Rust: LIF neuron groups, exponential synapses, conductance- and current-based outputs,
//! delays and just-in-time random connectivity that reproduces BrainPy 2.8.2's matrices from the
//! same seed. State is float32 struct-of-arrays; every fallible call returns [`Result`].
//!
//! ## A network from Rust
//!
//! The E/I network of BrainPy's "State Resetting" tutorial (here with 400 neurons): build,
//! run 100 ms, read state, reset.
//!
//! ```
//! use brainrs::{Comm, EventJitFPHomoLinear, Expon, Initializer, Lif, LifModel, LifParams,
//!               Network, Op, Source, SynOut};
//!
//! # fn main() -> brainrs::Result<()> {
//! let (n_exc, n_inh) = (320, 80);
//! let n = n_exc + n_inh;
//! let mut net = Network::new(0.1, 42)?; // dt = 0.1 ms, initializer seed 42
//! let params = LifParams { v_rest: -60., v_reset: -60., v_th: -50., r: 1., tau: 20., tau_ref: 5. };
//! let group = Lif::new(LifModel::LifRefLtc, n, params, Initializer::normal(-55., 2.)?,
//!                      false, net.rng())?;
//! let neurons = net.add_neurons("N", group)?;
//! let delay = net.add_delay("delay", neurons, &[("I", None)])?;
//! let exc = net.add_projection("E",
//!     Comm::EventJitFPHomoLinear(EventJitFPHomoLinear::new(n_exc, n, 0.2, 0.6, 121958)?),
//!     Expon::new(n, 5.)?, SynOut::coba(0.)?, neurons)?;
//! let inh = net.add_projection("I",
//!     Comm::EventJitFPHomoLinear(EventJitFPHomoLinear::new(n_inh, n, 0.2, 6.7, 671155)?),
//!     Expon::new(n, 10.)?, SynOut::coba(-80.)?, neurons)?;
//! // The body of EINet.update(): read the delay, project, update the neurons, push.
//! let spk = || Source::Delay { delay, entry: "I".to_string() };
//! net.set_program(vec![
//!     Op::Project { proj: exc, source: spk(), start: 0, end: n_exc },
//!     Op::Project { proj: inh, source: spk(), start: n_exc, end: n },
//!     Op::Update { pop: neurons, input: 20. },
//!     Op::Push { delay },
//! ])?;
//!
//! let mut n_spikes = 0usize;
//! net.run(1000, |net| {
//!     n_spikes += net.spikes(neurons).map_or(0, |s| s.iter().filter(|&&x| x).count())
//! })?;
//! let rate_hz = n_spikes as f64 / n as f64 / 0.1; // 1000 steps of 0.1 ms = 0.1 s
//! assert!(rate_hz > 1.0);
//!
//! net.reset_state(); // bp.reset_state(net): V redrawn, g = 0, spikes cleared
//! assert!(matches!(net.var("E.syn.g")?, brainrs::VarData::F32(g) if g.iter().all(|&g| g == 0.)));
//! # Ok(())
//! # }
//! ```
//!
//! The full 4,000-neuron network with a spike raster is `examples/ei_net.rs`
//! (`cargo run --release --example ei_net`).
//!
//! ## Modules
//!
//! - [`neuron`]: the [`NeuronGroup`] trait and the LIF family ([`Lif`]);
//! - [`synapse`]: [`Expon`]; [`output`]: [`SynOut`] (COBA, CUBA);
//! - [`delay`]: [`VarDelay`]; [`jitconn`]: the JIT connectivity operators;
//! - [`init`], [`random`]: initializers and the generator they draw from;
//! - [`network`]: [`Network`], the arena of nodes and its step program;
//! - [`state`]: named variables ([`Stateful`]), read and written by name.
// One `unsafe` call in the crate: `simd::dispatch` runs the AVX2 build of a kernel after
// checking that the CPU has AVX2 (see that module for the benchmark and the equality test).
#![deny(unsafe_code)]

pub mod checkpoint;
pub mod delay;
pub mod error;
pub mod events;
pub mod expf;
pub mod init;
pub mod integrate;
pub mod jitconn;
pub mod jitrows;
pub mod network;
pub mod network_state;
pub mod neuron;
pub mod output;
pub mod parallel;
pub mod program;
pub mod random;
pub mod simd;
pub mod state;
pub mod synapse;

pub use checkpoint::{Checkpoint, Tensor, TensorData};
pub use delay::{DelayRead, VarDelay};
pub use error::{Error, Result};
pub use init::{InitDist, Initializer};
pub use jitconn::{EventJitFPHomoLinear, JitConnectivity, JitFPHomoLinear};
pub use network::{Comm, DelayId, Network, Op, PopId, ProjId, Source};
pub use neuron::lif::{Lif, LifModel, LifParams, NEVER_SPIKED};
pub use neuron::{Input, NeuronGroup, StepContext};
pub use output::{Current, SynOut};
pub use program::{
    CommRef, Instr, NeuronInput, NodeKind, Nodes, Program, RecordMode, Recording, RunSpec, Slice,
    Vector,
};
pub use random::Generator;
pub use state::{DType, Stateful, VarData, VarDataMut};
pub use synapse::Expon;
