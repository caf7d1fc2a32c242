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
        Error::NonFinite { .. } => "NumericalError",
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
        (
            "NonFinite",
            Error::NonFinite {
                node: s(),
                variable: s(),
                index: 0,
                step: 0,
                value: f32::NAN,
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
            Ok(class) => {
                let err = PyErr::from_type(class, e.to_string());
                if let Error::NonFinite {
                    node,
                    variable,
                    index,
                    step,
                    value,
                } = &e
                {
                    // what a user needs to find the fault, as attributes too; setting them on
                    // a fresh exception cannot fail in practice, and if it did the message
                    // still says everything
                    let value_obj = err.value(py);
                    let _ = value_obj.setattr("node", node);
                    let _ = value_obj.setattr("variable", variable);
                    let _ = value_obj.setattr("index", *index);
                    let _ = value_obj.setattr("step", *step);
                    let _ = value_obj.setattr("value", *value);
                }
                err
            }
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
