"""``bp.init``: initializers. Called with a shape they return float32 arrays; given to a built-in
node they become the engine's initializer, which draws again at every reset.

Random initializers draw from ``bm.random``'s generator, or from a generator of their own when
built with ``seed=`` (a stream of their own started from that seed: reproducible whatever
else draws from ``bm.random``).
"""

import numpy as np

from . import _checks, _core
from .errors import ParameterError, ShapeError
from .math import random as _random

__all__ = ["Initializer", "ZeroInit", "OneInit", "Constant", "Normal", "Uniform"]


class Initializer:
    """Base class: ``init(shape, dtype=None)`` returns an array of that shape."""

    _core: "_core.Initializer"

    def __call__(self, shape, dtype=None):
        dims = _checks.shape("shape", shape)
        n = int(np.prod(dims, dtype=np.int64))
        values = self._core.fill(n, _random.get_rng()).reshape(dims)
        return values if dtype is None else values.astype(dtype)

    def __repr__(self):
        return f"{type(self).__name__}()"


class ZeroInit(Initializer):
    """Zeros."""

    def __init__(self):
        self._core = _core.Initializer.zero()


class Constant(Initializer):
    """One value everywhere."""

    def __init__(self, value=0.0):
        self.value = _checks.number("value", value)
        self._core = _core.Initializer.constant(self.value)

    def __repr__(self):
        return f"{type(self).__name__}(value={self.value})"


class OneInit(Constant):
    """``value`` (1 by default) everywhere."""

    def __init__(self, value=1.0):
        super().__init__(value)


def _seed(seed):
    if seed is None:
        return None
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"seed must be a non-negative integer or None, got {seed!r}")
    return int(seed)


class Normal(Initializer):
    """Draws from Normal(mean, scale)."""

    def __init__(self, mean=0.0, scale=1.0, seed=None):
        self.mean = _checks.number("mean", mean)
        self.scale = _checks.number("scale", scale, non_negative=True)
        self.seed = _seed(seed)
        self._core = _core.Initializer.normal(self.mean, self.scale, self.seed)

    def __repr__(self):
        return f"Normal(mean={self.mean}, scale={self.scale})"


class Uniform(Initializer):
    """Draws from Uniform[min_val, max_val)."""

    def __init__(self, min_val=0.0, max_val=1.0, seed=None):
        self.min_val = _checks.number("min_val", min_val)
        self.max_val = _checks.number("max_val", max_val)
        self.seed = _seed(seed)
        self._core = _core.Initializer.uniform(self.min_val, self.max_val, self.seed)

    def __repr__(self):
        return f"Uniform(min_val={self.min_val}, max_val={self.max_val})"


def engine_initializer(init, name, shape):
    """Splits a node's initializer argument into (engine initializer, Python fill or None).

    Built-in initializers run in the engine; a number, an array or any other callable
    ``f(shape)`` is evaluated in Python and written into the Variable (checked for shape)."""
    if isinstance(init, Initializer):
        return init._core, None
    if callable(init):
        return _core.Initializer.zero(), lambda: np.asarray(init(shape), dtype=np.float32)
    value = np.asarray(init, dtype=np.float32)
    if value.ndim == 0:
        return _core.Initializer.constant(_checks.number(name, float(value))), None
    if value.shape != tuple(shape):
        raise ShapeError(f"{name} must have shape {tuple(shape)}, got {value.shape}")
    return _core.Initializer.zero(), lambda: value.copy()
