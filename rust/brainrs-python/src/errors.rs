//! The one place where engine errors become Python exceptions: each `brainrs::Error` variant maps
//! to a class of `brainrs.errors` (which also subclasses the matching builtin).

use brainrs::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyType;

/// The `brainrs.errors` class name for an engine error.
fn class_name(e: &Error) -> &'static str {
    match e {
        Error::Parameter { .. } => "ParameterError",
        Error::Shape { .. } => "ShapeError",
        Error::DType { .. } => "DTypeError",
        Error::Unknown { .. } => "UnknownNameError",
        Error::Structure(_) => "StructureError",
        Error::Checkpoint { .. } => "CheckpointError",
    }
}

/// Every engine error variant with the `brainrs.errors` class it maps to (for the tests that
/// check each row of the mapping against the Python hierarchy).
#[pyfunction]
pub fn _engine_error_classes() -> Vec<(&'static str, &'static str)> {
    let s = String::new;
    [
        (
            "Parameter",
            Error::Parameter {
                param: s(),
                expected: s(),
                got: s(),
            },
        ),
        (
            "Shape",
            Error::Shape {
                param: s(),
                expected: s(),
                got: s(),
            },
        ),
        (
            "DType",
            Error::DType {
                param: s(),
                expected: s(),
                got: s(),
            },
        ),
        (
            "Unknown",
            Error::Unknown {
                what: s(),
                name: s(),
                known: s(),
            },
        ),
        ("Structure", Error::Structure(s())),
        (
            "Checkpoint",
            Error::Checkpoint {
                path: s(),
                reason: s(),
            },
        ),
    ]
    .iter()
    .map(|(variant, e)| (*variant, class_name(e)))
    .collect()
}

/// Converts an engine error into an instance of its `brainrs.errors` class.
pub fn to_py(e: Error) -> PyErr {
    Python::attach(|py| {
        let class = py
            .import("brainrs.errors")
            .and_then(|m| m.getattr(class_name(&e)))
            .and_then(|c| c.cast_into::<PyType>().map_err(PyErr::from));
        match class {
            Ok(class) => PyErr::from_type(class, e.to_string()),
            // Only reachable if the Python package is broken; still no panic.
            Err(_) => PyRuntimeError::new_err(e.to_string()),
        }
    })
}

/// `Result` conversion for binding functions.
pub trait IntoPyResult<T> {
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for brainrs::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}
