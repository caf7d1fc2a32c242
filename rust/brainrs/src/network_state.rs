//! A [`Network`]'s state as a [`Checkpoint`], in the file format the Python package writes
//! (`bp.checkpoints.save_pytree(f, bp.save_state(net))`): the same layout, key scheme and
//! metadata. (The key sets of a Python network and the equivalent Rust `Network` differ where
//! their nodes do: Python's `VarDelay` also saves its `target`, `delay/target`.)
//!
//! Tensors are keyed `"<node>/<variable>"` (the variable path `"E.syn.g"` becomes
//! `"E.syn/g"`); the metadata's `brainrs_scalars` is a JSON object that holds the generator's
//! `"__random__/seed"` and `"__random__/position"` (as Python's `bp.save_state` does) and the
//! network's `"__network__/step"` (the index of the next step). Loading checks everything
//! before it writes anything.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::checkpoint::{Checkpoint, Tensor, TensorData, FINGERPRINT_KEY};
use crate::error::{Error, Result};
use crate::network::Network;

/// Metadata key of the JSON object of scalar leaves (shared with the Python package).
pub const SCALARS_KEY: &str = "brainrs_scalars";
const RANDOM_SEED: &str = "__random__/seed";
const RANDOM_POSITION: &str = "__random__/position";
const STEP: &str = "__network__/step";

/// `"E.syn.g"` -> `"E.syn/g"`.
fn tensor_key(var_path: &str) -> String {
    match var_path.rsplit_once('.') {
        Some((node, var)) => format!("{node}/{var}"),
        None => var_path.to_owned(),
    }
}

fn scalar_u64(scalars: &Map<String, Value>, key: &str) -> Result<Option<u64>> {
    match scalars.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| Error::parameter(key, "an integer >= 0", v)),
    }
}

impl Network {
    /// Every variable, the generator's position and the step index, as a checkpoint.
    pub fn save_state(&self) -> Result<Checkpoint> {
        let mut tensors = BTreeMap::new();
        for path in self.var_paths() {
            let data = TensorData::from_view(self.var(&path)?);
            let len = data.view().len();
            tensors.insert(
                tensor_key(&path),
                Tensor {
                    shape: vec![len],
                    data,
                },
            );
        }
        let rng = self.generator();
        let position = u64::try_from(rng.word_pos())
            .map_err(|_| Error::Structure("the generator's position exceeds 2^64".into()))?;
        let mut scalars = Map::new();
        scalars.insert(RANDOM_SEED.into(), rng.seed().into());
        scalars.insert(RANDOM_POSITION.into(), position.into());
        scalars.insert(STEP.into(), self.step_index().into());
        let mut checkpoint = Checkpoint {
            tensors,
            metadata: BTreeMap::new(),
        };
        let fingerprint = checkpoint.fingerprint();
        checkpoint
            .metadata
            .insert(SCALARS_KEY.into(), Value::Object(scalars).to_string());
        checkpoint
            .metadata
            .insert(FINGERPRINT_KEY.into(), fingerprint);
        Ok(checkpoint)
    }

    /// Loads a checkpoint of this network's structure. Every variable must be present with its
    /// dtype and length, no other tensor may be, and the recorded structure fingerprint must be
    /// this network's; the first mismatch is an error naming its key, and then nothing has
    /// changed. The generator's position and the step index are restored when recorded.
    pub fn load_state(&mut self, checkpoint: &Checkpoint) -> Result<()> {
        let paths = self.var_paths();
        let keys: Vec<String> = paths.iter().map(|p| tensor_key(p)).collect();
        for (path, key) in paths.iter().zip(&keys) {
            let tensor = checkpoint
                .tensors
                .get(key)
                .ok_or_else(|| Error::unknown("checkpoint key (missing)", key, Vec::new()))?;
            let want = self.var(path)?;
            let got = tensor.data.view();
            if got.dtype() != want.dtype() {
                return Err(Error::DType {
                    param: key.clone(),
                    expected: want.dtype().name().into(),
                    got: got.dtype().name().into(),
                });
            }
            if tensor.shape != [want.len()] || got.len() != want.len() {
                return Err(Error::Shape {
                    param: key.clone(),
                    expected: format!("shape [{}]", want.len()),
                    got: format!("shape {:?}", tensor.shape),
                });
            }
        }
        if let Some(extra) = checkpoint.tensors.keys().find(|k| !keys.contains(k)) {
            return Err(Error::unknown(
                "checkpoint key (not in the network)",
                extra,
                keys.iter().map(String::as_str),
            ));
        }
        if let Some(recorded) = checkpoint.metadata.get(FINGERPRINT_KEY) {
            let own = checkpoint.fingerprint();
            if *recorded != own {
                return Err(Error::Checkpoint {
                    path: "(in memory)".into(),
                    reason: format!(
                        "the recorded structure fingerprint {recorded} is not this network's ({own})"
                    ),
                });
            }
        }
        let scalars = match checkpoint.metadata.get(SCALARS_KEY) {
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => map,
                _ => return Err(Error::parameter(SCALARS_KEY, "a JSON object", text)),
            },
            None => Map::new(),
        };
        let seed = scalar_u64(&scalars, RANDOM_SEED)?;
        let position = scalar_u64(&scalars, RANDOM_POSITION)?;
        let step = scalar_u64(&scalars, STEP)?;
        // everything checked: write
        for (path, key) in paths.iter().zip(&keys) {
            if let Some(tensor) = checkpoint.tensors.get(key) {
                self.set_var(path, tensor.data.view())?;
            }
        }
        if let (Some(seed), Some(position)) = (seed, position) {
            let rng = self.rng();
            rng.reseed(seed);
            rng.set_word_pos(u128::from(position));
        }
        if let Some(step) = step {
            self.set_step_index(step);
        }
        Ok(())
    }

    /// [`Network::save_state`] written to `path` (atomically: a temporary file renamed).
    pub fn save_checkpoint(&self, path: &Path, overwrite: bool) -> Result<()> {
        self.save_state()?.save(path, overwrite)
    }

    /// Reads `path` and [`Network::load_state`]s it.
    pub fn load_checkpoint(&mut self, path: &Path) -> Result<()> {
        self.load_state(&Checkpoint::load(path)?)
    }
}
