"""LIF-family neurons (``bp.dyn.LifRefLTC``, ``LifRef``, ``Lif``, ``LifLTC``).

State and kernels live in the engine (``brainrs._core.Lif``); this class holds the BrainPy
parameters, the Variables and the current inputs registered by projections. Units: V in mV,
tau and tau_ref in ms, R in ohm-like units so that R*I is mV.
"""

import numpy as np

from .. import _checks, _core, _trace
from .._node import Dynamic, NodeDict, check_batch
from .._share import share
from ..init import ZeroInit, engine_initializer
from ..math.environment import get_dt
from ..math.random import get_rng
from ..math.variable import Variable

__all__ = ["LifRefLTC", "LifRef", "LifLTC", "Lif"]


class _LifBase(Dynamic):
    _model = None  # engine model name
    _refractory = True

    def __init__(self, size, sharding=None, keep_size=False, mode=None, name=None,
                 spk_fun=None, spk_dtype=None, spk_reset="soft", detach_spk=False,
                 method="exp_auto", V_rest=0.0, V_reset=-5.0, V_th=20.0, R=1.0, tau=10.0,
                 tau_ref=0.0, V_initializer=None, ref_var=False, **unsupported):
        super().__init__(name=name, mode=mode)
        if unsupported:
            raise _checks.ParameterError(
                f"{type(self).__name__} got parameters brainrs does not support: "
                f"{sorted(unsupported)}"
            )
        _checks.exp_euler(method)
        self.varshape, self.num = _checks.population(size)
        self.size = self.varshape
        self.V_rest = _checks.number("V_rest", V_rest)
        self.V_reset = _checks.number("V_reset", V_reset)
        self.V_th = _checks.number("V_th", V_th)
        self.R = _checks.number("R", R)
        self.tau = _checks.number("tau", tau, positive=True)
        self.tau_ref = _checks.number("tau_ref", tau_ref, non_negative=True)
        self.ref_var = bool(ref_var) and self._refractory
        init = ZeroInit() if V_initializer is None else V_initializer
        self._v_core_init, self._v_python_init = engine_initializer(
            init, "V_initializer", self.varshape
        )
        self.V_initializer = init
        python_v = self._v_python_init() if self._v_python_init else None
        self._core = _core.Lif(self._model, self.num, self.V_rest, self.V_reset, self.V_th,
                               self.R, self.tau, self.tau_ref, self._v_core_init, self.ref_var,
                               get_rng())
        label = type(self).__name__
        for var in self._core.var_names():
            setattr(self, var, Variable._of_engine(self._core, var, self.varshape,
                                                   f"{label}.{var}"))
        if python_v is not None:
            self.V.value = python_v
        # current inputs: outputs (COBA/CUBA) registered by projections, evaluated in order
        self.cur_inputs = NodeDict()

    def add_inp_fun(self, key, fun):
        """Registers a current input (a COBA/CUBA output bound to a synapse) under ``key``."""
        if key in self.cur_inputs:
            raise _checks.ParameterError(f"current input {key!r} is already registered")
        self.cur_inputs[key] = fun

    def update(self, x=None):
        """One step at ``bp.share``'s step: integrate V with input ``x`` (mV/R: a number or one
        value per neuron) plus the registered currents; returns the spikes (bool)."""
        tracer = _trace.current()
        if tracer is not None:
            return tracer.neuron(self, x)
        if x is not None and not np.isscalar(x):
            x = np.asarray(x.value if isinstance(x, Variable) else x)
            x = float(x) if x.ndim == 0 else np.ascontiguousarray(x).reshape(-1)
        currents = [out._current() for out in self.cur_inputs.values()]
        self._core.update(share.step_index(), np.float32(get_dt()), x, currents)
        return self.spike.value

    def reset_state(self, batch_size=None, **kwargs):
        """V redrawn from V_initializer, spike False, t_last_spike -1e7, refractory False."""
        check_batch(batch_size)
        python_v = self._v_python_init() if self._v_python_init else None
        self._core.reset_state(get_rng())
        if python_v is not None:
            self.V.value = python_v


class LifRefLTC(_LifBase):
    """LIF with refractoriness; synaptic currents evaluated inside the integration (LTC)."""

    _model = "LifRefLTC"


class LifRef(_LifBase):
    """LIF with refractoriness; synaptic current held at its value for the old V."""

    _model = "LifRef"


class LifLTC(_LifBase):
    """LIF without refractoriness, LTC integration."""

    _model = "LifLTC"
    _refractory = False


class Lif(_LifBase):
    """LIF without refractoriness."""

    _model = "Lif"
    _refractory = False
