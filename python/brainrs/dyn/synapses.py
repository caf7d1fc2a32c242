"""``bp.dyn.Expon``: the exponential synapse, ``g`` decaying with ``tau`` ms and stepped up by
its input (docs/semantics.md, section 3)."""

import numpy as np

from .. import _checks, _core, _trace
from .._node import Dynamic, check_batch
from ..math.environment import get_dt
from ..math.random import get_rng
from ..math.variable import Variable

__all__ = ["Expon"]


class Expon(Dynamic):
    """``g <- exp-Euler(g, -g/tau)`` then ``g += x``; returns g."""

    def __init__(self, size, keep_size=False, sharding=None, method="exp_auto", name=None,
                 mode=None, tau=8.0):
        super().__init__(name=name, mode=mode)
        _checks.exp_euler(method)
        self.varshape, self.num = _checks.population(size)
        self.size = self.varshape
        self.tau = _checks.number("tau", tau, positive=True)
        self._core = _core.Expon(self.num, self.tau)
        self.g = Variable._of_engine(self._core, "g", self.varshape, "Expon.g")

    def update(self, x=None):
        """Decays g over one step of dt ms, then adds ``x`` (None, a number or one per g)."""
        tracer = _trace.current()
        if tracer is not None:
            return tracer.synapse(self, x)
        if x is not None:
            x = np.asarray(x.value if isinstance(x, Variable) else x)
            if x.ndim == 0:
                x = np.full(self.num, x, dtype=np.float32)
            x = np.ascontiguousarray(x).reshape(-1) if x.size == self.num else x
        self._core.update(np.float32(get_dt()), x)
        return self.g.value

    def reset_state(self, batch_size=None, **kwargs):
        """g <- 0."""
        check_batch(batch_size)
        self._core.reset_state(get_rng())

    def _conductance(self):
        """The engine synapse whose g an output reads."""
        return self._core
