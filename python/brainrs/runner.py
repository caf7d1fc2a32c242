"""``bp.DSRunner``: run a network for a duration or over inputs, recording monitors.

The runner steps ``target.step_run(i, *inputs[k])`` for ``i`` continuing from the previous run
(BrainPy's behaviour) and records every monitor after each step. With ``jit=True`` (the
default) the step is traced once and the whole loop runs in Rust (see ``bm.for_loop``); an
update that cannot be traced runs eagerly after one warning (``strict=True``: TraceError).
"""

import numpy as np

from . import _checks, _trace
from ._node import DynamicalSystem
from ._share import step_time
from .errors import NumericalError, ParameterError, ShapeError, UnknownNameError
from .math import environment
from .math.loops import for_loop
from .math.variable import Variable

__all__ = ["DSRunner", "Monitors"]


class Monitors(dict):
    """The recorded values of the last run by monitor key, and ``ts`` (ms) of its steps."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _monitor_items(target, monitors):
    """Normalises BrainPy's monitor forms into ``{key: Variable}``."""
    if monitors is None:
        return {}
    paths = target.vars()
    by_id = {id(v): k for k, v in paths.items()}

    def resolve(key, spec):
        if isinstance(spec, Variable):
            return spec
        if isinstance(spec, str):
            if spec not in paths:
                raise UnknownNameError(
                    f"monitor {key!r}: no Variable {spec!r} in the target; known: {list(paths)}"
                )
            return paths[spec]
        raise ParameterError(
            f"monitor {key!r} must be a Variable or a path such as 'N.spike', got {spec!r}"
        )

    if isinstance(monitors, dict):
        return {str(k): resolve(k, v) for k, v in monitors.items()}
    if isinstance(monitors, (list, tuple)):
        out = {}
        for k, spec in enumerate(monitors):
            var = resolve(spec, spec)
            key = spec if isinstance(spec, str) else by_id.get(id(spec), f"var{k}")
            out[key] = var
        return out
    raise ParameterError(f"monitors must be a dict, a list or None, got {type(monitors).__name__}")


class DSRunner:
    """Runs ``target`` step by step from step 0, continuing across ``run`` calls.

    ``monitors``: a list of Variables or paths (``['N.spike', net.N.V]``) or a dict
    ``{key: Variable or path}``. ``spike_events=True`` keeps bool monitors and bool return
    values of ``update`` compactly as :class:`~brainrs._trace.SpikeEvents` (steps and indices)
    instead of steps x N booleans.
    ``dt`` (ms) defaults to ``bm.get_dt()``. ``check_finite=True`` stops a run at the end of the
    first step after which a V or g is NaN or infinite, with a ``NumericalError`` naming the
    node (its path), the neuron and the step; the steps run so far count for the time index.
    """

    def __init__(self, target, monitors=None, inputs=(), jit=True, progress_bar=True, dt=None,
                 numpy_mon_after_run=True, strict=False, spike_events=False, check_finite=False,
                 **unsupported):
        if not isinstance(target, DynamicalSystem):
            raise ParameterError(
                f"target must be a DynamicalSystem, got {type(target).__name__}"
            )
        if inputs not in ((), [], None):
            raise ParameterError(
                "inputs=(...) specs of the DSRunner constructor are not supported: give "
                "per-step inputs to run(inputs=...) and let update() take them"
            )
        if unsupported:
            raise ParameterError(f"DSRunner got unsupported parameters: {sorted(unsupported)}")
        self.target = target
        self.monitors = _monitor_items(target, monitors)
        self.jit = jit
        self.progress_bar = bool(progress_bar)
        self.dt = environment.get_dt() if dt is None else _checks.number("dt", dt, positive=True)
        self.strict = strict
        self.spike_events = bool(spike_events)
        self.check_finite = bool(check_finite)
        self.i0 = 0
        self.mon = Monitors()

    def reset(self):
        """Restarts the time index at step 0 (the network's state is not touched)."""
        self.i0 = 0

    def state_dict(self):
        """The runner's state: the time index of its next step. Saved beside the network's
        (``save_pytree(f, {'net': bp.save_state(net), 'runner': runner.state_dict()})``), it
        lets a resumed run continue the clock exactly."""
        return {"i0": int(self.i0)}

    def load_state_dict(self, state_dict):
        """Restores :meth:`state_dict`; the index must be an integer >= 0."""
        if not isinstance(state_dict, dict) or set(state_dict) != {"i0"}:
            raise ParameterError(
                f"a DSRunner state is {{'i0': step}}, got {state_dict!r}"
            )
        i0 = state_dict["i0"]
        if isinstance(i0, (bool, np.bool_)) or not isinstance(i0, (int, np.integer)) or i0 < 0:
            raise ParameterError(f"DSRunner state 'i0' must be an integer >= 0, got {i0!r}")
        self.i0 = int(i0)

    def _steps(self, duration, inputs):
        if inputs is not None:
            ops = list(inputs) if isinstance(inputs, (tuple, list)) else [inputs]
            ops = [np.asarray(x.value if isinstance(x, Variable) else x) for x in ops]
            lengths = {len(x) if x.ndim else -1 for x in ops}
            if len(lengths) != 1 or -1 in lengths:
                raise ShapeError(
                    f"inputs must be arrays with one row per step and the same length, "
                    f"got shapes {[x.shape for x in ops]}"
                )
            steps = lengths.pop()
            if duration is not None and steps != _whole_steps(duration, self.dt):
                raise ShapeError(
                    f"inputs have {steps} steps but duration {duration} ms is "
                    f"{_whole_steps(duration, self.dt)} steps of {self.dt} ms"
                )
            return steps, ops
        if duration is None:
            raise ParameterError("run needs a duration (ms) or inputs")
        return _whole_steps(duration, self.dt), []

    def run(self, duration=None, inputs=None):
        """Runs ``duration`` ms (or one step per row of ``inputs``, passed to ``update``).
        Returns the stacked return values of ``update``; monitors go to ``self.mon``."""
        steps, ops = self._steps(duration, inputs)
        indices = np.arange(self.i0, self.i0 + steps, dtype=np.int64)
        monitors = self.monitors
        target = self.target

        def body(i, *xs):
            out = target.step_run(i, *xs)
            return out, {key: var.value for key, var in monitors.items()}

        old_dt = environment.get_dt()
        environment.set_dt(self.dt)
        try:
            result = self._loop(body, [indices, *ops], steps)
        finally:
            environment.set_dt(old_dt)
        out, mon = result if result is not None else (None, {k: None for k in monitors})
        for key, var in monitors.items():  # traced records are flat per step
            if isinstance(mon[key], np.ndarray):
                mon[key] = mon[key].reshape((steps,) + var.shape)
        self.mon = Monitors(mon)
        self.mon["ts"] = np.asarray(step_time(indices, self.dt), dtype=np.float32)
        self.i0 += steps
        return out

    def _loop(self, body, ops, steps):
        if steps == 0:
            return None
        first = int(ops[0][0])
        if self.jit is not False:
            try:
                traced = _trace.run_traced(body, ops, progress_bar=self.progress_bar,
                                           strict=self.strict, compact=self.spike_events,
                                           where="DSRunner.run", check_finite=self.check_finite,
                                           root=self.target)
            except KeyboardInterrupt as e:
                self.i0 += getattr(e, "brainrs_steps_done", 0)
                raise
            except NumericalError as e:
                self.i0 += e.step - first + 1
                raise
            if traced is not _trace.NOT_TRACED:
                return traced
        if self.check_finite:
            body = self._checked_body(body)
        try:
            out, mon = for_loop(body, ops, jit=False, progress_bar=self.progress_bar)
        except NumericalError as e:
            self.i0 += e.step - first + 1
            raise
        if self.spike_events:
            mon = {key: _spike_events(m) for key, m in mon.items()}
            out = _spike_events(out)
        return out, mon

    def _checked_body(self, body):
        """``body`` followed by the finiteness check of every V and g (eager runs)."""
        watched = {path: var for path, var in self.target.vars().items()
                   if path.rsplit(".", 1)[-1] in ("V", "g") and var.dtype == np.float32}

        def checked(i, *xs):
            result = body(i, *xs)
            for path, var in watched.items():
                values = var.value.reshape(-1)
                bad = np.flatnonzero(~np.isfinite(values))
                if bad.size:
                    node, variable = path.rsplit(".", 1)
                    value = values[bad[0]]
                    shown = "NaN" if np.isnan(value) else str(float(value))  # as the engine says
                    err = NumericalError(
                        f"{node}.{variable}[{bad[0]}] is {shown} after step {int(i)}")
                    err.node, err.variable, err.index = node, variable, int(bad[0])
                    err.step, err.value = int(i), float(values[bad[0]])
                    raise err
            return result

        return checked

    def __repr__(self):
        return f"DSRunner(target={self.target!r}, monitors={list(self.monitors)})"


def _spike_events(x):
    """A dense (steps, ...) bool record as SpikeEvents; anything else unchanged."""
    if not isinstance(x, np.ndarray) or x.dtype != np.bool_:
        return x
    flat = x.reshape(x.shape[0], -1)
    s, j = np.nonzero(flat)
    return _trace.SpikeEvents(s.astype(np.uint32), j.astype(np.uint32), flat.shape)


def _whole_steps(duration, dt):
    """``duration`` ms as a number of steps of ``dt`` ms: rounded to the nearest step; a
    duration more than 1e-6 steps from a whole number of steps is refused."""
    duration = _checks.number("duration", duration, non_negative=True)
    exact = duration / dt
    steps = int(round(exact))
    if abs(exact - steps) > 1e-6 * max(1.0, exact):
        raise ParameterError(
            f"duration must be a whole number of steps of dt = {dt} ms, got {duration} ms "
            f"({exact} steps)"
        )
    return steps

