//! Checkpoint files from Python: the engine's safetensors reader and writer
//! (`brainrs::checkpoint`), with file I/O done without the GIL.

use std::collections::BTreeMap;
use std::path::PathBuf;

use brainrs::{Checkpoint, Tensor, TensorData};
use pyo3::prelude::*;

use crate::convert::{to_numpy, Array};
use crate::errors::IntoPyResult;

/// Writes `tensors` (`(key, flat float32 or bool array, shape)`) and `metadata` to `path`
/// atomically.
#[pyfunction]
pub fn save_checkpoint(
    py: Python<'_>,
    path: PathBuf,
    tensors: Vec<(String, Bound<'_, PyAny>, Vec<usize>)>,
    metadata: BTreeMap<String, String>,
    overwrite: bool,
) -> PyResult<()> {
    let mut checkpoint = Checkpoint {
        metadata,
        ..Checkpoint::default()
    };
    for (key, array, shape) in tensors {
        let array = Array::extract(&key, &array)?;
        let data = TensorData::from_view(array.view(&key)?);
        checkpoint.tensors.insert(key, Tensor { shape, data });
    }
    py.detach(|| checkpoint.save(&path, overwrite)).py()
}

/// Reads and checks the checkpoint at `path`: `({key: (flat array, shape)}, metadata)`.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn load_checkpoint<'py>(
    py: Python<'py>,
    path: PathBuf,
) -> PyResult<(
    BTreeMap<String, (Bound<'py, PyAny>, Vec<usize>)>,
    BTreeMap<String, String>,
)> {
    let checkpoint = py.detach(|| Checkpoint::load(&path)).py()?;
    let tensors = checkpoint
        .tensors
        .into_iter()
        .map(|(key, t)| (key, (to_numpy(py, t.data.view()), t.shape)))
        .collect();
    Ok((tensors, checkpoint.metadata))
}

/// The structure fingerprint of `(key, dtype name, shape)` entries (as the engine computes it).
#[pyfunction]
pub fn structure_fingerprint(entries: Vec<(String, String, Vec<usize>)>) -> PyResult<String> {
    let mut typed = Vec::with_capacity(entries.len());
    for (key, dtype, shape) in &entries {
        let dtype = match dtype.as_str() {
            "float32" => brainrs::DType::F32,
            "bool" => brainrs::DType::Bool,
            other => {
                return Err(crate::errors::to_py(brainrs::Error::DType {
                    param: key.clone(),
                    expected: "float32 or bool".into(),
                    got: other.into(),
                }))
            }
        };
        typed.push((key.as_str(), dtype, shape.as_slice()));
    }
    Ok(brainrs::checkpoint::fingerprint(typed))
}
