"""Saving and loading state (BrainPy's ``save_state`` / ``load_state`` / ``state_dict``).

A network's state is every Variable, keyed by node path then attribute (``{'N': {'V': ...},
'E.syn': {'g': ...}}``, the paths of ``net.nodes()``), plus the position of ``bm.random``'s
generator under ``'__random__'``. Loading checks every key, shape and dtype (and the structure
fingerprint of a checkpoint read from disk) before it writes anything, so a refused load
changes nothing.
"""

from collections import namedtuple

import numpy as np

from . import _core
from .errors import ParameterError, UnknownNameError
from .math import random as _random

__all__ = ["save_state", "load_state", "StateLoadResult", "RANDOM_KEY", "fingerprint_of"]

RANDOM_KEY = "__random__"
StateLoadResult = namedtuple("StateLoadResult", ["missing_keys", "unexpected_keys"])


def _node_vars(net):
    """``{node path: {attr: Variable}}`` for every node that owns Variables."""
    out = {}
    for path, node in net.nodes().unique().items():
        own = node._registry()[1]
        if own:
            out[path] = dict(own)
    return out


def fingerprint_of(net):
    """The structure fingerprint of ``net``'s state (keys, dtypes, shapes), as the engine
    computes it for checkpoints."""
    entries = [(f"{path}/{attr}", str(var.dtype), list(var.shape))
               for path, own in _node_vars(net).items() for attr, var in own.items()]
    return _core.structure_fingerprint(entries)


def save_state(target):
    """Every node's Variables (copies) plus the random generator's position."""
    state = {path: {attr: var.value for attr, var in own.items()}
             for path, own in _node_vars(target).items()}
    rng = _random.get_rng()
    state[RANDOM_KEY] = {"seed": int(rng.current_seed()), "position": int(rng.word_pos())}
    return state


def load_state(target, state_dict, strict=True):
    """Writes ``state_dict`` (from :func:`save_state` or a checkpoint) into ``target``.

    Everything is checked first: with ``strict`` a missing or unexpected key raises
    ``UnknownNameError`` naming the first one; a shape or dtype mismatch always raises
    (``ShapeError``/``DTypeError`` naming the Variable). Returns the missing and unexpected
    keys (``'N.V'`` style).
    """
    if not isinstance(state_dict, dict):
        raise ParameterError(
            f"state_dict must be a dict such as bp.save_state(net) returns, got "
            f"{type(state_dict).__name__}"
        )
    nodes = _node_vars(target)
    metadata = getattr(state_dict, "metadata", {}) or {}
    if strict and "fingerprint" in metadata and metadata["fingerprint"] != fingerprint_of(target):
        from .errors import StructureError

        raise StructureError(
            f"the checkpoint was saved from a network of another structure (fingerprint "
            f"{metadata['fingerprint']}, this network {fingerprint_of(target)}); "
            f"first difference: {_first_difference(nodes, state_dict)}"
        )
    missing, unexpected, writes = [], [], []
    for path, own in nodes.items():
        saved = state_dict.get(path)
        for attr, var in own.items():
            key = f"{path}.{attr}" if path else attr
            if saved is None or attr not in saved:
                missing.append(key)
                continue
            value = np.asarray(saved[attr])
            writes.append((var, var._checked(value)))  # raises before anything is written
        for attr in (saved or {}):
            if attr not in own:
                unexpected.append(f"{path}.{attr}" if path else attr)
    unexpected += [p for p in state_dict if p not in nodes and p != RANDOM_KEY]
    if strict and (missing or unexpected):
        first = (missing or unexpected)[0]
        kind = "missing from the state" if missing else "not in this network"
        raise UnknownNameError(f"state key {first!r} is {kind} (missing: {missing}, "
                               f"unexpected: {unexpected})")
    random_state = state_dict.get(RANDOM_KEY)
    for var, value in writes:
        var._store.write(value)
    if random_state is not None:
        rng = _random.get_rng()
        rng.seed(int(random_state["seed"]))
        rng.set_word_pos(int(random_state["position"]))
    return StateLoadResult(missing, unexpected)


def _first_difference(nodes, state_dict):
    for path, own in nodes.items():
        saved = state_dict.get(path, {})
        for attr, var in own.items():
            if attr not in saved:
                return f"{path}.{attr} missing"
            value = np.asarray(saved[attr])
            if value.shape != var.shape or value.dtype != var.dtype:
                return (f"{path}.{attr}: saved {value.dtype}{list(value.shape)}, "
                        f"here {var.dtype}{list(var.shape)}")
    return "extra keys in the checkpoint"
