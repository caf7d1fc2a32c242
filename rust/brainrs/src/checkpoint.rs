//! Checkpoints: a network's state in a safetensors file, readable from Rust, from Python with
//! or without brainrs (the `safetensors` package) and by any safetensors reader.
//!
//! Layout: one tensor per variable, keyed `"<node path>/<variable>"` (`"N/V"`, `"E.syn/g"`,
//! `"delay/data"`; the paths are the nodes' attribute paths from the root), float32 as `F32`,
//! spikes as `BOOL`. The header's metadata holds `brainrs_version`, `fingerprint` (of the
//! structure: every key with its dtype and shape) and whatever else the writer adds (the step
//! index, the random generator's seed and position).
//!
//! Writing goes to a temporary file beside the target which is then renamed over it, so a crash
//! mid-save leaves the old checkpoint intact. Reading checks the whole file before anything is
//! returned; a truncated or corrupted file is an [`Error::Checkpoint`], never a panic.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use crate::error::{Error, Result};
use crate::state::{DType, VarData};

/// Metadata key of the brainrs version that wrote a checkpoint.
pub const VERSION_KEY: &str = "brainrs_version";
/// Metadata key of the structure fingerprint.
pub const FINGERPRINT_KEY: &str = "fingerprint";

/// An owned tensor of a checkpoint (flat values plus shape).
#[derive(Debug, Clone, PartialEq)]
pub enum TensorData {
    F32(Vec<f32>),
    Bool(Vec<bool>),
}

impl TensorData {
    /// The values as an engine view.
    pub fn view(&self) -> VarData<'_> {
        match self {
            TensorData::F32(v) => VarData::F32(v),
            TensorData::Bool(v) => VarData::Bool(v),
        }
    }

    /// A copy of an engine view.
    pub fn from_view(data: VarData<'_>) -> Self {
        match data {
            VarData::F32(v) => TensorData::F32(v.to_vec()),
            VarData::Bool(v) => TensorData::Bool(v.to_vec()),
        }
    }
}

/// One saved variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    pub shape: Vec<usize>,
    pub data: TensorData,
}

impl Tensor {
    pub fn dtype(&self) -> DType {
        self.data.view().dtype()
    }
}

/// A checkpoint in memory: tensors by key (sorted) and string metadata.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checkpoint {
    pub tensors: BTreeMap<String, Tensor>,
    pub metadata: BTreeMap<String, String>,
}

/// The fingerprint of a structure: FNV-1a (64 bit) over `key dtype shape` lines in key order,
/// as 16 hex digits. Two networks with the same variables, dtypes and shapes share it.
pub fn fingerprint<'a>(entries: impl IntoIterator<Item = (&'a str, DType, &'a [usize])>) -> String {
    let mut lines: Vec<String> = entries
        .into_iter()
        .map(|(key, dtype, shape)| format!("{key} {} {shape:?}\n", dtype.name()))
        .collect();
    lines.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in lines.concat().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn corrupt(path: &str, reason: impl std::fmt::Display) -> Error {
    Error::Checkpoint {
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

impl Checkpoint {
    /// The fingerprint of this checkpoint's tensors.
    pub fn fingerprint(&self) -> String {
        fingerprint(
            self.tensors
                .iter()
                .map(|(k, t)| (k.as_str(), t.dtype(), t.shape.as_slice())),
        )
    }

    /// The safetensors bytes, with the version and the fingerprint added to the metadata.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut buffers: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = Vec::new();
        for (key, tensor) in &self.tensors {
            let expected: usize = tensor.shape.iter().product();
            let (dtype, bytes) = match &tensor.data {
                TensorData::F32(v) => {
                    (Dtype::F32, v.iter().flat_map(|x| x.to_le_bytes()).collect())
                }
                TensorData::Bool(v) => (Dtype::BOOL, v.iter().map(|&b| u8::from(b)).collect()),
            };
            if tensor.data.view().len() != expected {
                return Err(Error::length(key, expected, tensor.data.view().len()));
            }
            buffers.push((key.clone(), dtype, tensor.shape.clone(), bytes));
        }
        let mut views = Vec::with_capacity(buffers.len());
        for (key, dtype, shape, bytes) in &buffers {
            let view = TensorView::new(*dtype, shape.clone(), bytes)
                .map_err(|e| corrupt("(in memory)", e))?;
            views.push((key.clone(), view));
        }
        let mut metadata: HashMap<String, String> = self.metadata.clone().into_iter().collect();
        metadata.insert(VERSION_KEY.into(), env!("CARGO_PKG_VERSION").into());
        metadata.insert(FINGERPRINT_KEY.into(), self.fingerprint());
        safetensors::serialize(views, Some(metadata)).map_err(|e| corrupt("(in memory)", e))
    }

    /// Parses safetensors bytes; `origin` names the source in errors.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Self> {
        let (_, header) = SafeTensors::read_metadata(bytes).map_err(|e| corrupt(origin, e))?;
        let file = SafeTensors::deserialize(bytes).map_err(|e| corrupt(origin, e))?;
        let metadata: BTreeMap<String, String> = header
            .metadata()
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect();
        if !metadata.contains_key(VERSION_KEY) {
            return Err(corrupt(
                origin,
                "not a brainrs checkpoint (no brainrs_version)",
            ));
        }
        let mut tensors = BTreeMap::new();
        for (key, view) in file.tensors() {
            let data = match view.dtype() {
                Dtype::F32 => TensorData::F32(
                    view.data()
                        .chunks_exact(4)
                        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect(),
                ),
                Dtype::BOOL => TensorData::Bool(view.data().iter().map(|&b| b != 0).collect()),
                other => {
                    return Err(corrupt(
                        origin,
                        format!("tensor {key:?} has dtype {other:?}"),
                    ))
                }
            };
            tensors.insert(
                key,
                Tensor {
                    shape: view.shape().to_vec(),
                    data,
                },
            );
        }
        let checkpoint = Checkpoint { tensors, metadata };
        if checkpoint.metadata.get(FINGERPRINT_KEY) != Some(&checkpoint.fingerprint()) {
            return Err(corrupt(
                origin,
                "the fingerprint does not match the tensors",
            ));
        }
        Ok(checkpoint)
    }

    /// Writes the checkpoint to `path` atomically (temporary file, fsync, rename). With
    /// `overwrite` false an existing file is an error.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<()> {
        let shown = path.display().to_string();
        if !overwrite && path.exists() {
            return Err(corrupt(
                &shown,
                "exists already (pass overwrite=True to replace it)",
            ));
        }
        let bytes = self.to_bytes()?;
        let file_name = path
            .file_name()
            .ok_or_else(|| corrupt(&shown, "is not a file path"))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(file_name);
        tmp_name.push(format!(".tmp{}", std::process::id()));
        let tmp = path.with_file_name(tmp_name);
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp); // best effort: the old checkpoint is untouched
            corrupt(&shown, e)
        })
    }

    /// Reads and checks the checkpoint at `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| corrupt(&shown, e))?;
        Self::from_bytes(&bytes, &shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Checkpoint {
        let mut c = Checkpoint::default();
        c.tensors.insert(
            "N/V".into(),
            Tensor {
                shape: vec![3],
                data: TensorData::F32(vec![-55.0, 1.5, f32::MIN_POSITIVE]),
            },
        );
        c.tensors.insert(
            "N/spike".into(),
            Tensor {
                shape: vec![3],
                data: TensorData::Bool(vec![true, false, true]),
            },
        );
        c.metadata.insert("i".into(), "42".into());
        c
    }

    #[test]
    fn round_trips_bit_for_bit() {
        let c = sample();
        let back = Checkpoint::from_bytes(&c.to_bytes().unwrap(), "test").unwrap();
        assert_eq!(back.tensors, c.tensors);
        assert_eq!(back.metadata["i"], "42");
        assert_eq!(back.metadata[FINGERPRINT_KEY], c.fingerprint());
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let bytes = sample().to_bytes().unwrap();
        for n in 0..bytes.len() {
            assert!(matches!(
                Checkpoint::from_bytes(&bytes[..n], "t"),
                Err(Error::Checkpoint { .. })
            ));
        }
    }

    #[test]
    fn flipped_bytes_never_panic() {
        let bytes = sample().to_bytes().unwrap();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x5a;
            let _ = Checkpoint::from_bytes(&b, "t"); // an error or a (different) checkpoint
        }
    }

    #[test]
    fn fingerprint_depends_on_keys_dtypes_and_shapes_only() {
        let a = sample();
        let mut b = sample();
        if let Some(t) = b.tensors.get_mut("N/V") {
            t.data = TensorData::F32(vec![0.0; 3]);
        }
        assert_eq!(a.fingerprint(), b.fingerprint());
        b.tensors.remove("N/spike");
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
