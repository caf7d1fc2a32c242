//! Property tests (issue 5): random parameters build or are refused exactly as documented, and
//! random sequences of calls on a network (run, reset, save, load, writes of the wrong length,
//! loads of foreign checkpoints) never panic; a call that fails changes nothing.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may stop at the first failure

use brainrs::{
    Checkpoint, Comm, EventJitFPHomoLinear, Expon, Generator, Initializer, Lif, LifModel,
    LifParams, Network, Op, Source, SynOut, TensorData, VarData,
};
use proptest::prelude::*;

fn odd_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        -100.0f32..100.0,
        Just(0.0f32),
        Just(-0.0f32),
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        Just(1e-30f32),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn lif_builds_iff_its_parameters_are_valid(
        size in 0usize..50, tau in odd_f32(), tau_ref in odd_f32(), v_th in odd_f32(),
        v_reset in odd_f32(),
    ) {
        let params = LifParams { v_rest: -60., v_reset, v_th, r: 1., tau, tau_ref };
        let mut rng = Generator::new(1);
        let built = Lif::new(LifModel::LifRefLtc, size, params, Initializer::zero(), false,
                             &mut rng);
        let valid = size >= 1 && tau.is_finite() && tau > 0.0 && tau_ref.is_finite()
            && tau_ref >= 0.0 && v_th.is_finite() && v_reset.is_finite();
        prop_assert_eq!(built.is_ok(), valid);
    }

    #[test]
    fn connectivity_builds_iff_valid(
        num_in in 0usize..40, num_out in 0usize..40, prob in odd_f32(), weight in odd_f32(),
    ) {
        let op = EventJitFPHomoLinear::new(num_in, num_out, prob, weight, 3);
        let valid = num_in >= 1 && num_out >= 1 && prob > 0.0 && prob <= 1.0
            && weight.is_finite();
        prop_assert_eq!(op.is_ok(), valid);
        if let Ok(op) = op {
            let spikes: Vec<bool> = (0..num_in).map(|r| r % 3 == 0).collect();
            let mut out = vec![0.0; num_out];
            prop_assert!(op.apply(&spikes, &mut out).is_ok());
            prop_assert!(op.apply(&spikes[..num_in - 1], &mut out).is_err());
        }
    }
}

/// A small seed network: 32 E + 8 I neurons.
fn network() -> (Network, brainrs::PopId) {
    let mut net = Network::new(0.1, 5).unwrap();
    let params = LifParams {
        v_rest: -60.,
        v_reset: -60.,
        v_th: -50.,
        r: 1.,
        tau: 20.,
        tau_ref: 5.,
    };
    let init = Initializer::normal(-55., 2.).unwrap();
    let group = Lif::new(LifModel::LifRefLtc, 40, params, init, false, net.rng()).unwrap();
    let n = net.add_neurons("N", group).unwrap();
    let delay = net.add_delay("delay", n, &[("I", None)]).unwrap();
    let e = net
        .add_projection(
            "E",
            Comm::EventJitFPHomoLinear(EventJitFPHomoLinear::new(32, 40, 0.5, 0.6, 11).unwrap()),
            Expon::new(40, 5.).unwrap(),
            SynOut::coba(0.).unwrap(),
            n,
        )
        .unwrap();
    let spk = || Source::Delay {
        delay,
        entry: "I".into(),
    };
    net.set_program(vec![
        Op::Project {
            proj: e,
            source: spk(),
            start: 0,
            end: 32,
        },
        Op::Update { pop: n, input: 20. },
        Op::Push { delay },
    ])
    .unwrap();
    (net, n)
}

fn snapshot(net: &Network) -> Vec<(String, Vec<u32>)> {
    net.var_paths()
        .into_iter()
        .map(|p| {
            let bits = match net.var(&p).unwrap() {
                VarData::F32(v) => v.iter().map(|x| x.to_bits()).collect(),
                VarData::Bool(v) => v.iter().map(|&b| u32::from(b)).collect(),
            };
            (p, bits)
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Call {
    Run(u64),
    Reset,
    Save,
    Load,
    SetV(usize),
    LoadTruncated(usize),
    LoadRenamed,
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        (0u64..40).prop_map(Call::Run),
        Just(Call::Reset),
        Just(Call::Save),
        Just(Call::Load),
        (0usize..80).prop_map(Call::SetV),
        (0usize..80).prop_map(Call::LoadTruncated),
        Just(Call::LoadRenamed),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn call_sequences_never_panic_and_failures_change_nothing(
        calls in proptest::collection::vec(call(), 1..10)
    ) {
        let (mut net, _) = network();
        let mut saved: Checkpoint = net.save_state().unwrap();
        for c in calls {
            let before = snapshot(&net);
            let step_before = net.step_index();
            let result = match &c {
                Call::Run(k) => net.run(*k, |_| {}),
                Call::Reset => {
                    net.reset_state();
                    Ok(())
                }
                Call::Save => net.save_state().map(|s| saved = s),
                Call::Load => net.load_state(&saved),
                Call::SetV(len) => net.set_var("N.V", VarData::F32(&vec![-55.0; *len])),
                Call::LoadTruncated(len) => {
                    let mut bad = saved.clone();
                    let t = bad.tensors.get_mut("N/V").unwrap();
                    t.data = TensorData::F32(vec![0.0; *len]);
                    t.shape = vec![*len];
                    net.load_state(&bad)
                }
                Call::LoadRenamed => {
                    let mut bad = saved.clone();
                    let t = bad.tensors.remove("E.syn/g").unwrap();
                    bad.tensors.insert("E.syn/h".into(), t);
                    net.load_state(&bad)
                }
            };
            match (&c, result) {
                (_, Ok(())) => {
                    // only a write of the right length and a load of the right shape succeed
                    if let Call::SetV(len) = c { prop_assert_eq!(len, 40); }
                    if let Call::LoadTruncated(len) = c { prop_assert_eq!(len, 40); }
                    prop_assert!(!matches!(c, Call::LoadRenamed));
                }
                (_, Err(_)) => {
                    prop_assert_eq!(snapshot(&net), before, "{:?} failed but changed state", c);
                    prop_assert_eq!(net.step_index(), step_before);
                }
            }
        }
    }
}
