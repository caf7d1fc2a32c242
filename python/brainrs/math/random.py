"""``bm.random``: the global random generator that initializers and resets draw from.

brainrs's generator lives in the engine (ChaCha8, float32 draws). ``seed(s)`` restarts it and
also seeds NumPy's global generator, from which JIT connectivity operators draw their own seeds,
as BrainPy does: the same seed gives the same connectivity as BrainPy and the same sequence of
draws from run to run.
"""

import secrets

import numpy as np

from .. import _core
from .._checks import number, shape
from ..errors import ParameterError

__all__ = ["seed", "get_rng", "normal", "uniform", "rand", "randn"]

_rng = _core.Generator(secrets.randbits(32))


def get_rng():
    """The engine generator (``brainrs._core.Generator``) behind ``bm.random``."""
    return _rng


def seed(seed=None):
    """Restarts brainrs's generator and NumPy's global generator from ``seed``.

    ``seed`` is an integer in [0, 2**32) (NumPy's range) or None for a fresh random seed.
    """
    if seed is None:
        seed = secrets.randbits(32)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise ParameterError(f"seed must be an integer in [0, 2**32) or None, got {seed!r}")
    if not 0 <= int(seed) < 2**32:
        raise ParameterError(f"seed must be an integer in [0, 2**32) or None, got {seed}")
    np.random.seed(int(seed))
    _rng.seed(int(seed))


def _size(size):
    if size is None:
        return ()
    return shape("size", size)


def _draw(fill, size):
    dims = _size(size)
    n = int(np.prod(dims, dtype=np.int64))
    return fill(n).reshape(dims)


def normal(loc=0.0, scale=1.0, size=None):
    """float32 draws from Normal(loc, scale)."""
    loc = number("loc", loc)
    scale = number("scale", scale, non_negative=True)
    return _draw(lambda n: _rng.normal(loc, scale, n), size)


def uniform(low=0.0, high=1.0, size=None):
    """float32 draws from Uniform[low, high)."""
    low, high = number("low", low), number("high", high)
    if low > high:
        raise ParameterError(f"high must be >= low ({low}), got {high}")
    return _draw(lambda n: _rng.uniform(low, high, n), size)


def rand(*dims):
    """float32 draws from Uniform[0, 1) of shape ``dims``."""
    return uniform(0.0, 1.0, dims or None)


def randn(*dims):
    """float32 draws from Normal(0, 1) of shape ``dims``."""
    return normal(0.0, 1.0, dims or None)
