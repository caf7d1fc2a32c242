//! The engine's one error type. Every public fallible function returns [`Result`]; the Python
//! binding maps each variant to one exception class (`brainrs.errors`), so a variant's fields are
//! what a user needs to fix the call: the parameter, what was expected and what was given.

use thiserror::Error;

/// Everything that can go wrong in the engine. No variant is ever produced by a panic.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Error {
    /// A scalar parameter outside its domain (`tau <= 0`, NaN, a probability outside (0, 1]).
    #[error("{param} must be {expected}, got {got}")]
    Parameter {
        param: String,
        expected: String,
        got: String,
    },
    /// An array whose length (or shape) does not fit the node it is given to.
    #[error("{param} must have {expected}, got {got}")]
    Shape {
        param: String,
        expected: String,
        got: String,
    },
    /// An array of the wrong element type (float32 where bool is needed, ...).
    #[error("{param} must have dtype {expected}, got {got}")]
    DType {
        param: String,
        expected: String,
        got: String,
    },
    /// A name that does not exist: a delay entry, a variable, a node.
    #[error("unknown {what} {name:?}; known: [{known}]")]
    Unknown {
        what: String,
        name: String,
        known: String,
    },
    /// An id that belongs to another network, or an operation that the network's structure
    /// cannot perform (a projection onto a population of another size, ...).
    #[error("{0}")]
    Structure(String),
    /// A state variable became NaN or infinite (found by a run's opt-in finiteness check).
    #[error("{node}.{variable}[{index}] is {value} after step {step}")]
    NonFinite {
        node: String,
        variable: String,
        index: usize,
        step: u64,
        value: f32,
    },
    /// A checkpoint that cannot be read or written: truncated, corrupted, not a brainrs
    /// checkpoint, or an I/O failure (the path and the cause are in the message).
    #[error("checkpoint {path}: {reason}")]
    Checkpoint { path: String, reason: String },
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn parameter(param: &str, expected: &str, got: impl std::fmt::Display) -> Self {
        Error::Parameter {
            param: param.to_owned(),
            expected: expected.to_owned(),
            got: got.to_string(),
        }
    }

    pub(crate) fn length(param: &str, expected: usize, got: usize) -> Self {
        Error::Shape {
            param: param.to_owned(),
            expected: format!("length {expected}"),
            got: format!("length {got}"),
        }
    }

    /// `name` is not among `known` (a delay entry, a variable, a model name).
    pub fn unknown_name(what: &str, name: &str, known: &[&str]) -> Self {
        Self::unknown(what, name, known.iter().copied())
    }

    pub(crate) fn unknown<'a>(
        what: &str,
        name: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        Error::Unknown {
            what: what.to_owned(),
            name: name.to_owned(),
            known: known
                .into_iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// Checks a time constant or step (ms): finite and strictly positive.
pub(crate) fn check_positive(param: &str, value: f32) -> Result<f32> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::parameter(param, "a finite number > 0", value))
    }
}

/// Checks a value that may be zero but must be finite and not negative (a refractory period).
pub(crate) fn check_non_negative(param: &str, value: f32) -> Result<f32> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::parameter(param, "a finite number >= 0", value))
    }
}

/// Checks a potential, a reversal potential, a weight: any finite number.
pub(crate) fn check_finite(param: &str, value: f32) -> Result<f32> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::parameter(param, "a finite number", value))
    }
}

/// Checks a population size: at least one element.
pub(crate) fn check_size(param: &str, value: usize) -> Result<usize> {
    if value >= 1 {
        Ok(value)
    } else {
        Err(Error::parameter(param, "a size >= 1", value))
    }
}
