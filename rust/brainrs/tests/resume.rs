//! A network saved after 500 ms and loaded into a freshly built one continues exactly as the
//! uninterrupted run (`examples/resume.rs`); a checkpoint of another structure is refused
//! whole.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may stop at the first failure

#[path = "../examples/resume.rs"]
#[allow(dead_code)]
mod resume;

use brainrs::{Checkpoint, Error, VarData};
use resume::ei_net;

#[test]
fn resumed_run_is_bit_identical_to_the_uninterrupted_one() {
    let dir = std::env::temp_dir().join(format!("brainrs-resume-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("half.safetensors");
    let (whole, resumed, same, size) = resume::compare(&path).unwrap();
    assert!(whole > 10_000, "{whole} spikes");
    assert_eq!(whole, resumed);
    assert!(same);
    // 4000 x (V, t_last_spike, 2 g) float32 + spikes + delay: about 66 kB plus the header
    assert!((60_000..80_000).contains(&size), "{size} bytes");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn state_round_trips_with_generator_and_step() {
    let (mut net, neurons) = ei_net::build(42).unwrap();
    resume::run(&mut net, neurons, 100).unwrap();
    let saved = net.save_state().unwrap();
    net.reset_state();
    net.load_state(&saved).unwrap();
    assert_eq!(net.step_index(), 100);
    // the generator continues where it was: the same next reset as without the detour
    let (mut reference, neurons) = ei_net::build(42).unwrap();
    resume::run(&mut reference, neurons, 100).unwrap();
    net.reset_state();
    reference.reset_state();
    assert_eq!(net.var("N.V").unwrap(), reference.var("N.V").unwrap());
}

#[test]
fn mismatched_checkpoints_are_refused_and_change_nothing() {
    let (mut net, _) = ei_net::build(42).unwrap();
    let saved = net.save_state().unwrap();
    let before = match net.var("N.V").unwrap() {
        VarData::F32(v) => v.to_vec(),
        VarData::Bool(_) => unreachable!(),
    };
    let mut other = net.save_state().unwrap();
    other.tensors.get_mut("N/V").unwrap().data = brainrs::TensorData::F32(vec![0.0; 3]);
    other.tensors.get_mut("N/V").unwrap().shape = vec![3];
    // a tensor of the wrong length: a ShapeError naming the key
    let err = net.load_state(&other).unwrap_err();
    assert!(
        matches!(&err, Error::Shape { param, .. } if param == "N/V"),
        "{err}"
    );
    // a missing tensor, an extra one
    let mut missing = saved.clone();
    missing.tensors.remove("E.syn/g");
    assert!(
        matches!(net.load_state(&missing), Err(Error::Unknown { name, .. }) if name == "E.syn/g")
    );
    let mut extra = saved.clone();
    extra
        .tensors
        .insert("W/w".into(), saved.tensors["N/V"].clone());
    assert!(matches!(net.load_state(&extra), Err(Error::Unknown { name, .. }) if name == "W/w"));
    // a fingerprint that is not this structure's
    let mut forged: Checkpoint = saved.clone();
    forged
        .metadata
        .insert("fingerprint".into(), "0000000000000000".into());
    assert!(matches!(
        net.load_state(&forged),
        Err(Error::Checkpoint { .. })
    ));
    assert_eq!(net.var("N.V").unwrap(), VarData::F32(&before));
}
