"""``bp.dnn``: connectivity operators. The just-in-time random ones never store their matrix:
each call regenerates the connections of the active inputs from ``seed`` with BrainPy's own
generator (docs/semantics.md, section 6), so the same seed gives BrainPy's matrix.
"""

import numpy as np

from . import _checks, _core, _trace
from ._node import DynamicalSystem
from .errors import DTypeError, ParameterError
from .math.variable import Variable

__all__ = ["EventJitFPHomoLinear", "JitFPHomoLinear"]


def _jit_seed(seed):
    """``seed``, or BrainPy's default: one draw of ``numpy.random.randint(0, 1000000)``."""
    if seed is None:
        return int(np.random.randint(0, 1000000))
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise ParameterError(f"seed must be an integer in [0, 2**32) or None, got {seed!r}")
    if not 0 <= int(seed) < 2**32:
        raise ParameterError(f"seed must be an integer in [0, 2**32) or None, got {seed}")
    return int(seed)


class _JitHomo(DynamicalSystem):
    _core_class = None

    def __init__(self, num_in, num_out, prob, weight, seed=None, sharding=None, mode=None,
                 name=None, transpose=False, atomic=False):
        super().__init__(name=name, mode=mode)
        self.num_in = _checks.count("num_in", num_in)
        self.num_out = _checks.count("num_out", num_out)
        self.prob = _checks.probability("prob", prob)
        self.weight = _checks.number("weight", weight)
        if transpose:
            raise ParameterError("transpose must be False in brainrs, got True")
        # the seed is drawn only once every other argument is valid (no lost numpy draw)
        self.seed = _jit_seed(seed)
        self._core = self._core_class(self.num_in, self.num_out, self.prob, self.weight,
                                      self.seed)

    def conn_matrix(self):
        """The dense (num_in, num_out) bool connection matrix (for inspection; O(n^2) memory)."""
        m = np.zeros((self.num_in, self.num_out), dtype=bool)
        for row in range(self.num_in):
            m[row, self._core.targets(row)] = True
        return m

    get_conn_matrix = conn_matrix

    def _traced_or_array(self, x, event):
        """While tracing, the handle of this operator's output; else ``x`` as an array."""
        x = x.value if isinstance(x, Variable) else x
        tracer = _trace.current()
        if tracer is not None:
            return tracer.comm(self, x, event=event)
        return np.asarray(x)

    def _apply(self, x):
        return self._core.apply(np.ascontiguousarray(x).reshape(-1) if x.ndim else x)


class EventJitFPHomoLinear(_JitHomo):
    """``y = W @ x`` for bool spikes ``x`` (num_in); each connection weighs ``weight``."""

    _core_class = _core.EventJitFPHomoLinear

    def update(self, x):
        x = self._traced_or_array(x, event=True)
        if isinstance(x, _trace.Handle):
            return x
        if x.dtype != np.bool_:
            raise DTypeError(
                f"EventJitFPHomoLinear input must be bool spikes, got dtype {x.dtype} "
                f"(use JitFPHomoLinear for float input)"
            )
        return self._apply(x)


class JitFPHomoLinear(_JitHomo):
    """``y = W @ x`` for float32 ``x`` (num_in); each connection weighs ``weight``."""

    _core_class = _core.JitFPHomoLinear

    def update(self, x):
        x = self._traced_or_array(x, event=False)
        if isinstance(x, _trace.Handle):
            return x
        if x.dtype.kind in "iu" or x.dtype == np.float64:
            x = x.astype(np.float32)
        return self._apply(x)
