//! The engine's thread count (`bm.set_num_threads`, `bm.get_num_threads`).

use pyo3::prelude::*;

use crate::errors::IntoPyResult;

/// Runs the engine's kernels on `threads` (>= 1) threads from now on.
#[pyfunction]
pub fn set_num_threads(threads: usize) -> PyResult<()> {
    brainrs::parallel::set_num_threads(threads).py()
}

/// The number of threads the engine's kernels use (`BRAINRS_NUM_THREADS` or every core until
/// `set_num_threads` is called).
#[pyfunction]
pub fn get_num_threads() -> PyResult<usize> {
    brainrs::parallel::configured_num_threads().py()
}
