//! Named state variables: how a node's Variables (`V`, `spike`, `g`, a delay's history) are read,
//! written and reset from outside the engine (Python's `bm.Variable`, a checkpoint, a Rust user).

use crate::error::{Error, Result};
use crate::random::Generator;

/// The element type of a state variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    Bool,
}

impl DType {
    /// NumPy's name for the type.
    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "float32",
            DType::Bool => "bool",
        }
    }
}

/// A read-only view of a state variable's values (flat, row-major).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VarData<'a> {
    F32(&'a [f32]),
    Bool(&'a [bool]),
}

impl VarData<'_> {
    pub fn dtype(&self) -> DType {
        match self {
            VarData::F32(_) => DType::F32,
            VarData::Bool(_) => DType::Bool,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            VarData::F32(x) => x.len(),
            VarData::Bool(x) => x.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A writable view of a state variable's values.
#[derive(Debug, PartialEq)]
pub enum VarDataMut<'a> {
    F32(&'a mut [f32]),
    Bool(&'a mut [bool]),
}

impl VarDataMut<'_> {
    /// Copies `value` in after checking its dtype and length; nothing is written on error.
    pub fn assign(self, name: &str, value: VarData<'_>) -> Result<()> {
        match (self, value) {
            (VarDataMut::F32(dst), VarData::F32(src)) if dst.len() == src.len() => {
                dst.copy_from_slice(src);
                Ok(())
            }
            (VarDataMut::Bool(dst), VarData::Bool(src)) if dst.len() == src.len() => {
                dst.copy_from_slice(src);
                Ok(())
            }
            (VarDataMut::F32(dst), VarData::F32(src)) => {
                Err(Error::length(name, dst.len(), src.len()))
            }
            (VarDataMut::Bool(dst), VarData::Bool(src)) => {
                Err(Error::length(name, dst.len(), src.len()))
            }
            (dst, src) => Err(Error::DType {
                param: name.to_owned(),
                expected: dst.dtype().name().to_owned(),
                got: src.dtype().name().to_owned(),
            }),
        }
    }

    fn dtype(&self) -> DType {
        match self {
            VarDataMut::F32(_) => DType::F32,
            VarDataMut::Bool(_) => DType::Bool,
        }
    }
}

/// A node that owns state variables: the unit of `reset_state` and of state access.
pub trait Stateful {
    /// The names of the node's variables, in a fixed order.
    fn var_names(&self) -> Vec<&'static str>;

    /// Reads a variable by name.
    fn var(&self, name: &str) -> Result<VarData<'_>>;

    /// Borrows a variable for writing by name.
    fn var_mut(&mut self, name: &str) -> Result<VarDataMut<'_>>;

    /// The variable's shape as the user sees it (a delay's history is `[rows, size]`).
    fn var_shape(&self, name: &str) -> Result<Vec<usize>> {
        Ok(vec![self.var(name)?.len()])
    }

    /// Writes a variable after checking dtype and length (nothing changes on error).
    fn write_var(&mut self, name: &str, value: VarData<'_>) -> Result<()> {
        self.var_mut(name)?.assign(name, value)
    }

    /// The node's local reset (`node.reset_state()`): its own variables only.
    fn reset_state(&mut self, rng: &mut Generator);
}

pub(crate) fn unknown_var(node: &str, name: &str, known: &[&str]) -> Error {
    Error::unknown(&format!("variable of {node}"), name, known.iter().copied())
}
