//! The seed network built from Rust (`examples/ei_net.rs`) gives exactly what the Python
//! program gives after `bm.random.seed(42)` (tests/test_parity.py pins the same count): the same
//! initial V from the same generator seed, the same JIT matrices, the same spikes.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may stop at the first failure

#[path = "../examples/ei_net.rs"]
#[allow(dead_code)]
mod ei_net;

use brainrs::{VarData, NEVER_SPIKED};

#[test]
fn seed_network_from_rust_matches_the_python_program() {
    let (mut net, neurons) = ei_net::build(42).unwrap();
    net.reset_state(); // the seed program's bp.reset_state(net)
    let mut spikes = 0usize;
    net.run(10_000, |net| {
        spikes += net.spikes(neurons).unwrap().iter().filter(|&&s| s).count()
    })
    .unwrap();
    assert_eq!(spikes, 82_115); // 20.52875 Hz; BrainPy 2.8.2: 20.19 Hz with its own V draw
}

#[test]
fn reset_and_state_access_from_rust() {
    let (mut net, neurons) = ei_net::build(7).unwrap();
    net.run(200, |_| ()).unwrap();
    let v_before: Vec<f32> = match net.var("N.V").unwrap() {
        VarData::F32(v) => v.to_vec(),
        VarData::Bool(_) => unreachable!(),
    };
    net.reset_state();
    let VarData::F32(v) = net.var("N.V").unwrap() else {
        panic!("N.V is float32")
    };
    assert_ne!(v, &v_before[..]);
    let mean = v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64;
    assert!((mean + 55.0).abs() < 0.15, "mean V after reset {mean}");
    for path in ["E.syn.g", "I.syn.g"] {
        let VarData::F32(g) = net.var(path).unwrap() else {
            panic!("g is float32")
        };
        assert!(g.iter().all(|&x| x == 0.0), "{path}");
    }
    let VarData::F32(t) = net.var("N.t_last_spike").unwrap() else {
        panic!("t_last_spike is float32")
    };
    assert!(t.iter().all(|&x| x == NEVER_SPIKED));
    assert!(!net.spikes(neurons).unwrap().iter().any(|&s| s));
    assert_eq!(net.step_index(), 0);

    // writing state by path is checked: wrong length is a typed error, nothing changes
    let err = net.set_var("N.V", VarData::F32(&[0.0; 3])).unwrap_err();
    assert!(matches!(err, brainrs::Error::Shape { .. }), "{err}");
    net.set_var("N.V", VarData::F32(&vec![-70.0; 4000]))
        .unwrap();
    assert!(matches!(net.var("N.V").unwrap(), VarData::F32(v) if v.iter().all(|&x| x == -70.0)));
    assert!(matches!(
        net.var("N.W"),
        Err(brainrs::Error::Unknown { .. })
    ));
}
