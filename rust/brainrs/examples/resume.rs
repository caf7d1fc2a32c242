//! Save, load and resume from Rust: the seed network (`ei_net.rs`) runs 500 ms, its state is
//! written to a checkpoint (the safetensors format of Python's `bp.checkpoints.save_pytree`), a
//! freshly built network loads it and runs the next 500 ms; its spikes and final state are
//! those of one uninterrupted 1000 ms run, bit for bit.
//!
//! ```text
//! cargo run --release --example resume [checkpoint.safetensors]
//! ```

use std::path::PathBuf;

use brainrs::{Network, PopId};

#[path = "ei_net.rs"]
#[allow(dead_code)]
pub mod ei_net;

const HALF_STEPS: u64 = 5_000; // 500 ms at dt = 0.1 ms

/// Runs `steps` steps; every spike as (step, neuron).
pub fn run(net: &mut Network, neurons: PopId, steps: u64) -> brainrs::Result<Vec<(u64, usize)>> {
    let mut spikes = Vec::new();
    net.run(steps, |net| {
        let step = net.step_index() - 1;
        if let Ok(s) = net.spikes(neurons) {
            spikes.extend(
                s.iter()
                    .enumerate()
                    .filter(|(_, &x)| x)
                    .map(|(i, _)| (step, i)),
            );
        }
    })?;
    Ok(spikes)
}

/// The whole run and the resumed one: (spikes of the whole second half, of the resumed half,
/// whether every variable ended equal, the checkpoint's size in bytes).
pub fn compare(path: &std::path::Path) -> brainrs::Result<(usize, usize, bool, u64)> {
    let (mut whole, neurons) = ei_net::build(42)?;
    run(&mut whole, neurons, HALF_STEPS)?;
    let second_half = run(&mut whole, neurons, HALF_STEPS)?;

    let (mut first, neurons) = ei_net::build(42)?;
    run(&mut first, neurons, HALF_STEPS)?;
    first.save_checkpoint(path, true)?;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());

    // the same program builds the same structure (JIT seeds are structure); its state, here
    // fresh from a different generator seed, all comes from the file
    let (mut resumed, neurons) = ei_net::build(7)?;
    resumed.load_checkpoint(path)?;
    let resumed_half = run(&mut resumed, neurons, HALF_STEPS)?;

    let mut same_state = resumed_half == second_half;
    for var in whole.var_paths() {
        same_state &= whole.var(&var)? == resumed.var(&var)?;
    }
    Ok((second_half.len(), resumed_half.len(), same_state, size))
}

fn main() -> brainrs::Result<()> {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("brainrs_seed_500ms.safetensors"));
    let (whole, resumed, same, size) = compare(&path)?;
    println!("checkpoint: {} ({size} bytes)", path.display());
    println!("spikes in 500..1000 ms: uninterrupted {whole}, resumed {resumed}");
    println!("bit-identical spikes and final state: {same}");
    Ok(())
}
