//! The seed network of BrainPy's "State Resetting" tutorial, built and run from Rust alone:
//! 4000 LifRefLTC neurons (3200 excitatory, 800 inhibitory), JIT random E and I projections
//! (prob 0.02) with exponential synapses and conductance-based outputs, a zero-delay spike
//! delay, input current 20 to every neuron.
//!
//! ```text
//! cargo run --release --example ei_net
//! ```
//!
//! It mirrors `examples/seed_network.py` after `bm.random.seed(42)`: the same generator seed
//! gives the same initial V, the JIT seeds are the ones NumPy draws for BrainPy after that seed
//! (121958, 671155), and the run gives the same spikes as the Python program.

use std::time::Instant;

use brainrs::{
    Comm, EventJitFPHomoLinear, Expon, Initializer, Lif, LifModel, LifParams, Network, Op, PopId,
    Source, SynOut, VarData,
};

const N_EXC: usize = 3200;
const N_INH: usize = 800;
const DT_MS: f32 = 0.1;
const DURATION_MS: f32 = 1000.0;

/// The network of `EINet.__init__` plus the step of `EINet.update` as a program.
pub fn build(seed: u64) -> brainrs::Result<(Network, PopId)> {
    let n = N_EXC + N_INH;
    let mut net = Network::new(DT_MS, seed)?;
    let params = LifParams {
        v_rest: -60.0, // mV
        v_reset: -60.0,
        v_th: -50.0,
        r: 1.0,
        tau: 20.0, // ms
        tau_ref: 5.0,
    };
    let group = Lif::new(
        LifModel::LifRefLtc,
        n,
        params,
        Initializer::normal(-55.0, 2.0)?,
        false,
        net.rng(),
    )?;
    let neurons = net.add_neurons("N", group)?;
    let delay = net.add_delay("delay", neurons, &[("I", None)])?;
    let exc = net.add_projection(
        "E",
        Comm::EventJitFPHomoLinear(EventJitFPHomoLinear::new(N_EXC, n, 0.02, 0.6, 121958)?),
        Expon::new(n, 5.0)?,
        SynOut::coba(0.0)?, // reversal potential, mV
        neurons,
    )?;
    let inh = net.add_projection(
        "I",
        Comm::EventJitFPHomoLinear(EventJitFPHomoLinear::new(N_INH, n, 0.02, 6.7, 671155)?),
        Expon::new(n, 10.0)?,
        SynOut::coba(-80.0)?,
        neurons,
    )?;
    let spk = || Source::Delay {
        delay,
        entry: "I".to_string(),
    };
    net.set_program(vec![
        Op::Project {
            proj: exc,
            source: spk(),
            start: 0,
            end: N_EXC,
        },
        Op::Project {
            proj: inh,
            source: spk(),
            start: N_EXC,
            end: n,
        },
        Op::Update {
            pop: neurons,
            input: 20.0,
        },
        Op::Push { delay },
    ])?;
    Ok((net, neurons))
}

fn first_values(net: &Network, path: &str) -> brainrs::Result<String> {
    Ok(match net.var(path)? {
        VarData::F32(v) => format!("{:?} ...", &v[..3]),
        VarData::Bool(v) => format!("{:?} ...", &v[..3]),
    })
}

fn main() -> brainrs::Result<()> {
    let start = Instant::now();
    let (mut net, neurons) = build(42)?;
    println!("built in {:.1} ms", start.elapsed().as_secs_f64() * 1e3);

    // The seed's demonstration: a reset redraws V from Normal(-55, 2).
    println!("Before reset: N.V = {}", first_values(&net, "N.V")?);
    net.reset_state();
    println!("After reset:  N.V = {}", first_values(&net, "N.V")?);

    let steps = (DURATION_MS / DT_MS).round() as u64;
    let mut n_spikes = 0usize;
    let mut raster_head = Vec::new(); // (step, neuron) of the first spikes, for a look
    let start = Instant::now();
    net.run(steps, |net| {
        let step = net.step_index() - 1;
        for (i, _) in net
            .spikes(neurons)
            .into_iter()
            .flatten()
            .enumerate()
            .filter(|(_, &s)| s)
        {
            n_spikes += 1;
            if raster_head.len() < 5 {
                raster_head.push((step, i));
            }
        }
    })?;
    let elapsed = start.elapsed().as_secs_f64();
    let rate_hz = n_spikes as f64 / (N_EXC + N_INH) as f64 / (f64::from(DURATION_MS) / 1000.0);
    println!("first spikes (step, neuron): {raster_head:?}");
    println!("spikes: {n_spikes}");
    println!("mean rate (Hz): {rate_hz}");
    println!("{DURATION_MS} ms simulated in {elapsed:.2} s (one thread)");

    // State access by path, as Python's net.vars(): conductances after the run.
    if let VarData::F32(g) = net.var("E.syn.g")? {
        let mean = g.iter().map(|&x| f64::from(x)).sum::<f64>() / g.len() as f64;
        println!("mean E.syn.g at the end: {mean:.4}");
    }
    Ok(())
}
