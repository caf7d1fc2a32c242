"""``bp.checkpoints``: state on disk.

``save_pytree(filename, target)`` writes a nested dict of arrays (such as ``bp.save_state(net)``)
as a safetensors file: arrays become tensors keyed by their path joined with ``/`` (``'N/V'``),
other leaves (ints, floats, strings) go into the header's metadata as JSON. The file records the
brainrs version and a structure fingerprint, is written to a temporary file and renamed (a crash
mid-save leaves the old file intact), and is read back by any safetensors reader, Rust's
``brainrs::Checkpoint`` included. No pickle anywhere.
"""

import json
import os

import numpy as np

from . import _core
from .errors import CheckpointError, ParameterError
from .math.variable import Variable

__all__ = ["save_pytree", "load_pytree", "Checkpoint"]

_SCALARS_KEY = "brainrs_scalars"


class Checkpoint(dict):
    """A loaded checkpoint: the nested dict, plus the file's ``metadata`` (version, fingerprint)."""

    metadata = {}


def _flatten(tree, prefix, tensors, scalars):
    for key, value in tree.items():
        if not isinstance(key, str) or "/" in key:
            raise ParameterError(f"checkpoint keys must be strings without '/', got {key!r}")
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(value, path, tensors, scalars)
            continue
        if isinstance(value, Variable):
            value = value.value
        if isinstance(value, np.ndarray):
            if value.dtype not in (np.float32, np.bool_):
                raise ParameterError(
                    f"checkpoint arrays must be float32 or bool, got {value.dtype} at {path!r}"
                )
            tensors.append((path, np.ascontiguousarray(value).reshape(-1), list(value.shape)))
        elif value is None or isinstance(value, (bool, int, float, str)):
            scalars[path] = value
        elif isinstance(value, np.generic):
            scalars[path] = value.item()
        else:
            raise ParameterError(
                f"checkpoint leaves must be arrays or numbers, got {type(value).__name__} "
                f"at {path!r}"
            )


def _insert(tree, path, value):
    *parents, leaf = path.split("/")
    for p in parents:
        tree = tree.setdefault(p, {})
        if not isinstance(tree, dict):
            raise ValueError(f"key {path!r} runs through a leaf")
    if leaf in tree:
        raise ValueError(f"key {path!r} appears twice")
    tree[leaf] = value


def save_pytree(filename, target, overwrite=True):
    """Writes ``target`` (a nested dict of arrays and numbers) to ``filename``."""
    if not isinstance(target, dict):
        raise ParameterError(f"target must be a dict, got {type(target).__name__}")
    tensors, scalars = [], {}
    _flatten(target, "", tensors, scalars)
    metadata = {_SCALARS_KEY: json.dumps(scalars)}
    _core.save_checkpoint(os.fspath(filename), tensors, metadata, bool(overwrite))


def load_pytree(filename):
    """Reads a checkpoint written by :func:`save_pytree` (or the Rust engine)."""
    filename = os.fspath(filename)
    tensors, metadata = _core.load_checkpoint(filename)
    try:
        scalars = json.loads(metadata.get(_SCALARS_KEY, "{}"))
        if not isinstance(scalars, dict):
            raise ValueError(f"a JSON object is expected, got {type(scalars).__name__}")
        tree = Checkpoint()
        for path, (flat, shape) in tensors.items():
            _insert(tree, path, flat.reshape(shape))
        for path, value in scalars.items():
            _insert(tree, path, value)
    except (ValueError, TypeError, AttributeError) as e:
        # a header that the safetensors reader accepts but that brainrs did not write
        raise CheckpointError(
            f"checkpoint {filename}: its metadata {_SCALARS_KEY!r} or keys are not brainrs's "
            f"({e})"
        ) from None
    tree.metadata = dict(metadata)
    return tree
