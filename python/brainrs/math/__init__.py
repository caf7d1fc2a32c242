"""``brainrs.math`` (``bm``): Variables, the time step, random numbers, loops.

NumPy functions that are not defined here are reached through this module too (``bm.exp``,
``bm.sum``, ...); array constructors default to float32, BrainPy's precision.
"""

import numpy as _np

from . import random
from .environment import get_dt, set_dt
from .loops import for_loop
from .threads import get_num_threads, set_num_threads
from .variable import Variable

__all__ = [
    "Variable", "random", "get_dt", "set_dt", "for_loop", "jit", "arange", "zeros", "ones",
    "full", "asarray", "array", "zeros_like", "ones_like", "float_", "int_", "bool_",
    "set_num_threads", "get_num_threads",
]

float_ = _np.float32  # BrainPy's default float type
int_ = _np.int32
bool_ = _np.bool_


def _float32(dtype):
    return float_ if dtype is None else dtype


def zeros(shape, dtype=None):
    return _np.zeros(shape, dtype=_float32(dtype))


def ones(shape, dtype=None):
    return _np.ones(shape, dtype=_float32(dtype))


def full(shape, fill_value, dtype=None):
    return _np.full(shape, fill_value, dtype=_float32(dtype))


def zeros_like(x, dtype=None):
    return _np.zeros_like(_np.asarray(x), dtype=dtype)


def ones_like(x, dtype=None):
    return _np.ones_like(_np.asarray(x), dtype=dtype)


def asarray(x, dtype=None):
    """An ndarray of ``x``; Python floats become float32 (BrainPy's default precision)."""
    a = _np.asarray(x.value if isinstance(x, Variable) else x, dtype=dtype)
    return a.astype(float_) if dtype is None and a.dtype == _np.float64 else a


array = asarray


def arange(*args, **kwargs):
    """``numpy.arange``; float results are float32."""
    a = _np.arange(*args, **kwargs)
    return a.astype(float_) if "dtype" not in kwargs and a.dtype == _np.float64 else a


def jit(func=None, **kwargs):
    """Accepted for BrainPy compatibility: eager calls already run in compiled Rust kernels."""
    return func if func is not None else (lambda f: f)


def __getattr__(name):
    if name == "dt":
        return get_dt()
    try:
        return getattr(_np, name)
    except AttributeError:
        raise AttributeError(f"module 'brainrs.math' has no attribute {name!r}") from None
