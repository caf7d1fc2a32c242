//! NumPy <-> engine views: snapshots out (copies, like BrainPy's immutable arrays), checked
//! writes in.

use brainrs::{DType, Error, Stateful, VarData};
use numpy::{PyArray1, PyReadonlyArray1, PyUntypedArrayMethods};
use pyo3::prelude::*;

use crate::errors::{to_py, IntoPyResult};

/// A copy of `data` as a 1-D NumPy array.
pub fn to_numpy<'py>(py: Python<'py>, data: VarData<'_>) -> Bound<'py, PyAny> {
    match data {
        VarData::F32(x) => PyArray1::from_slice(py, x).into_any(),
        VarData::Bool(x) => PyArray1::from_slice(py, x).into_any(),
    }
}

/// A 1-D contiguous NumPy array of float32 or bool, borrowed read-only.
pub enum Array<'py> {
    F32(PyReadonlyArray1<'py, f32>),
    Bool(PyReadonlyArray1<'py, bool>),
}

impl<'py> Array<'py> {
    /// Borrows `obj` as a 1-D float32 or bool array; anything else is a `DTypeError` naming
    /// `param`.
    pub fn extract(param: &str, obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        if let Ok(a) = obj.extract::<PyReadonlyArray1<'py, f32>>() {
            return Ok(Array::F32(a));
        }
        if let Ok(a) = obj.extract::<PyReadonlyArray1<'py, bool>>() {
            return Ok(Array::Bool(a));
        }
        let got = obj
            .getattr("dtype")
            .and_then(|d| d.str().map(|s| s.to_string()))
            .unwrap_or_else(|_| {
                obj.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            });
        Err(to_py(Error::DType {
            param: param.to_owned(),
            expected: "a 1-D float32 or bool array".into(),
            got,
        }))
    }

    /// The array's values as an engine view (fails on a non-contiguous array).
    pub fn view(&self, param: &str) -> PyResult<VarData<'_>> {
        let contiguous = |ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(to_py(Error::Shape {
                    param: param.to_owned(),
                    expected: "a contiguous array".into(),
                    got: "a strided view".into(),
                }))
            }
        };
        match self {
            Array::F32(a) => {
                contiguous(a.is_contiguous())?;
                Ok(VarData::F32(a.as_slice().map_err(PyErr::from)?))
            }
            Array::Bool(a) => {
                contiguous(a.is_contiguous())?;
                Ok(VarData::Bool(a.as_slice().map_err(PyErr::from)?))
            }
        }
    }
}

/// The variable methods shared by every node class: `var_names`, `get_var`, `set_var`,
/// `var_shape`, `var_dtype`.
pub fn get_var<'py>(
    py: Python<'py>,
    node: &dyn Stateful,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(to_numpy(py, node.var(name).py()?))
}

pub fn set_var(node: &mut dyn Stateful, name: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let array = Array::extract(name, value)?;
    node.write_var(name, array.view(name)?).py()
}

pub fn var_dtype(node: &dyn Stateful, name: &str) -> PyResult<&'static str> {
    Ok(match node.var(name).py()?.dtype() {
        DType::F32 => "float32",
        DType::Bool => "bool",
    })
}
