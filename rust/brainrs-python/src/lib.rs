//! `brainrs._core`: the PyO3 binding of the `brainrs` engine. Conversion, error mapping and
//! nothing else; the BrainPy-shaped API is the pure-Python package `brainrs`.

mod checkpoint;
mod convert;
mod errors;
mod nodes;
mod program;
mod threads;

use pyo3::prelude::*;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(errors::_engine_error_classes, m)?)?;
    m.add_function(wrap_pyfunction!(checkpoint::save_checkpoint, m)?)?;
    m.add_function(wrap_pyfunction!(checkpoint::load_checkpoint, m)?)?;
    m.add_function(wrap_pyfunction!(checkpoint::structure_fingerprint, m)?)?;
    m.add_function(wrap_pyfunction!(threads::set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(threads::get_num_threads, m)?)?;
    m.add_class::<program::PyProgram>()?;
    m.add_class::<nodes::PyGenerator>()?;
    m.add_class::<nodes::PyInitializer>()?;
    m.add_class::<nodes::PyLif>()?;
    m.add_class::<nodes::PyExpon>()?;
    m.add_class::<nodes::PyVarDelay>()?;
    m.add_class::<nodes::PyEventJit>()?;
    m.add_class::<nodes::PyJit>()?;
    Ok(())
}
