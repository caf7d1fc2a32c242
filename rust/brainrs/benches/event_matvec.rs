//! The event mat-vec of `EventJitFPHomoLinear` at the seed network's sizes and activity (0.2%
//! of the inputs spike in a step at 20 Hz and dt 0.1 ms): rows kept in the row table against
//! rows regenerated from the BrainPy-compatible generator on every use. Throughput is in
//! synaptic events.
//!
//! `cargo bench -p brainrs --bench event_matvec`

#![allow(clippy::expect_used)] // a benchmark stops at the first failure
use brainrs::jitrows::{row_cache_budget, set_row_cache_budget};
use brainrs::EventJitFPHomoLinear;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn event_matvec(c: &mut Criterion) {
    let mut group = c.benchmark_group("event_matvec");
    let default_budget = row_cache_budget();
    // (inputs, outputs, prob): the seed's E projection, and scale 25 (100,000 neurons)
    for (num_in, num_out, prob) in [(3_200usize, 4_000usize, 0.02f32), (80_000, 100_000, 0.0008)] {
        let spikes: Vec<bool> = (0..num_in).map(|r| r % 500 == 7).collect();
        let active = spikes.iter().filter(|&&s| s).count() as u64;
        let events = (active as f64 * num_out as f64 * f64::from(prob)) as u64;
        for (rows, budget) in [("kept", default_budget), ("regenerated", 0)] {
            set_row_cache_budget(budget);
            // a fresh operator decides on its table when it first runs, under this budget
            let op = EventJitFPHomoLinear::new(num_in, num_out, prob, 0.6, 121_958)
                .expect("valid operator");
            let mut out = vec![0f32; num_out];
            op.apply(&spikes, &mut out).expect("valid input");
            group.throughput(Throughput::Elements(events));
            group.bench_function(BenchmarkId::new(rows, num_out), |b| {
                b.iter(|| op.apply(&spikes, &mut out).expect("valid input"))
            });
        }
    }
    set_row_cache_budget(default_budget);
    group.finish();
}

criterion_group!(benches, event_matvec);
criterion_main!(benches);
