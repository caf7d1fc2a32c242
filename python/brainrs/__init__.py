"""brainrs: BrainPy-style brain-dynamics models on a Rust engine.

Change ``import brainpy as bp`` to ``import brainrs as bp`` (and ``brainpy.math`` to
``brainrs.math``): the names, parameters and behaviour are BrainPy's, documented with the few
deliberate differences in docs/semantics.md. Each built-in node runs its kernel in the Rust
engine (the ``brainrs`` crate, bound as ``brainrs._core``).
"""

from . import checkpoints, dnn, dyn, errors, init, math, visualize
from ._core import __version__
from ._node import (
    Collector,
    DynamicalSystem,
    DynSysGroup,
    Network,
    NodeDict,
    NodeList,
    reset_level,
    reset_state,
)
from ._share import share
from ._state import load_state, save_state
from .delay import VarDelay
from .runner import DSRunner

__all__ = [
    "DynamicalSystem", "DynSysGroup", "Network", "NodeList", "NodeDict", "Collector",
    "VarDelay", "DSRunner", "reset_state", "reset_level", "share", "dyn", "dnn", "init", "math",
    "visualize", "errors", "__version__", "save_state", "load_state", "checkpoints",
]
