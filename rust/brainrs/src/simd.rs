//! Wider vectors where the CPU has them: the neuron step is compiled a second time for AVX2
//! (`neuron::lif`) and chosen at run time by [`wide_vectors`].
//!
//! Wheels are built for the x86-64 baseline (SSE2, four float32 lanes). The LIF step is a loop
//! of float32 arithmetic that the compiler vectorises; compiled with AVX2 it runs eight lanes
//! and is about 1.6x faster (criterion bench `neuron_step`, `baseline` vs `avx2`). Both builds
//! perform the same IEEE operations in the same order (no fused multiply-add: Rust never
//! contracts `a * b + c`), so results are bit-identical whichever runs; a test compares them.
//! [`set_wide_vectors`]`(false)` forces the baseline build (for that comparison and for
//! benchmarks).

use std::sync::atomic::{AtomicBool, Ordering};

static WIDE: AtomicBool = AtomicBool::new(true);

/// Allows (the default) or forbids the AVX2 build of the kernels.
pub fn set_wide_vectors(enabled: bool) {
    WIDE.store(enabled, Ordering::Relaxed);
}

/// Whether the kernels run their AVX2 build: allowed and supported by this CPU.
pub fn wide_vectors() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        WIDE.load(Ordering::Relaxed) && std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
