//! The LIF step of the seed network (LifRefLTC with two COBA currents), per neuron-step, at the
//! seed size (4,000, one thread) and at 100,000 neurons; the kernel's AVX2 build against its
//! baseline (SSE2) build, and 1 against 2 threads.
//!
//! `cargo bench -p brainrs --bench neuron_step`

#![allow(clippy::expect_used)] // a benchmark stops at the first failure
use brainrs::parallel::set_num_threads;
use brainrs::simd::{set_wide_vectors, wide_vectors};
use brainrs::{
    Current, Expon, Generator, Initializer, Input, Lif, LifModel, LifParams, NeuronGroup,
    StepContext, SynOut,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn seed_group(n: usize) -> Lif {
    let params = LifParams {
        v_rest: -60.,
        v_reset: -60.,
        v_th: -50.,
        r: 1.,
        tau: 20.,
        tau_ref: 5.,
    };
    let mut rng = Generator::new(1);
    let v0 = Initializer::normal(-55., 2.).expect("valid initializer");
    Lif::new(LifModel::LifRefLtc, n, params, v0, false, &mut rng).expect("valid group")
}

fn neuron_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("neuron_step");
    for (n, threads) in [(4_000usize, 1usize), (100_000, 1), (100_000, 2)] {
        let builds: &[(&str, bool)] = if wide_vectors() {
            &[("baseline", false), ("avx2", true)]
        } else {
            &[("baseline", false)]
        };
        for &(build, wide) in builds {
            set_num_threads(threads).expect("threads");
            set_wide_vectors(wide);
            let mut lif = seed_group(n);
            // conductances of a network in its asynchronous state (about 0.1 to 0.5)
            let ge: Vec<f32> = (0..n).map(|i| 0.1 + (i % 7) as f32 * 0.05).collect();
            let gi: Vec<f32> = (0..n).map(|i| 0.05 + (i % 5) as f32 * 0.05).collect();
            let currents = [
                Current {
                    out: SynOut::Coba { e: 0. },
                    g: &ge,
                },
                Current {
                    out: SynOut::Coba { e: -80. },
                    g: &gi,
                },
            ];
            let mut i = 0u64;
            group.throughput(Throughput::Elements(n as u64));
            let id = BenchmarkId::new(format!("{build}/{threads}T"), n);
            group.bench_function(id, |b| {
                b.iter(|| {
                    i += 1;
                    let ctx = StepContext::new(i, 0.1);
                    lif.update(&ctx, Input::Scalar(20.), &currents)
                        .expect("valid step")
                })
            });
        }
    }
    set_wide_vectors(true);
    let mut syn = Expon::new(100_000, 5.).expect("valid synapse");
    let x = vec![0.01f32; 100_000];
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("expon/100000", |b| {
        b.iter(|| syn.update(0.1, Some(&x)).expect("valid step"))
    });
    group.finish();
}

criterion_group!(benches, neuron_step);
criterion_main!(benches);
