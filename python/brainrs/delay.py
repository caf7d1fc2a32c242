"""``bp.VarDelay``: the history of a Variable, read back through named entries.

The buffer lives in the engine (``brainrs._core.VarDelay``, push-indexed: docs/semantics.md,
section 5). An entry of ``time`` ms reads ``d = ceil(time/dt)`` pushes back; ``None`` reads the
live target.
"""

import numpy as np

from . import _core, _trace
from ._node import DynamicalSystem, check_batch
from .errors import ParameterError, UnknownNameError
from .math.environment import get_dt
from .math.variable import Variable

__all__ = ["VarDelay"]


class VarDelay(DynamicalSystem):
    """Delays of ``target`` (a Variable): ``at(name)`` reads an entry, ``delay(x)`` pushes.

    ``entries`` maps entry names to delays in ms (or None for no delay).
    """

    def __init__(self, target, time=None, init=None, entries=None, name=None, mode=None):
        super().__init__(name=name, mode=mode)
        if not isinstance(target, Variable):
            raise ParameterError(f"target must be a bm.Variable, got {type(target).__name__}")
        if init is not None:
            raise ParameterError(
                f"init must be None (delay buffers start at zero in brainrs), got {init!r}"
            )
        if not isinstance(entries, (dict, type(None))):
            raise ParameterError(f"entries must be a dict of name -> delay, got {entries!r}")
        dtype = target.dtype
        if dtype not in (np.float32, np.bool_):
            raise ParameterError(f"target must be a float32 or bool Variable, got dtype {dtype}")
        self.target = target
        core = _core.VarDelay(target.size, str(dtype))
        # register every entry on a scratch check first, so a bad entry leaves nothing behind
        dt = get_dt()
        wanted = dict(entries or {})
        if time is not None:
            wanted.setdefault("_default", time)
        for entry, t in wanted.items():
            _core.VarDelay(1, "bool").register_entry(str(entry), _delay_time(entry, t), dt)
        for entry, t in wanted.items():
            core.register_entry(str(entry), _delay_time(entry, t), dt)
        self._core = core
        self.data = Variable._of_engine(
            core, "data", lambda: (core.var_shape("data")[0],) + target.shape,
            f"{self.name}.data",
        )

    def register_entry(self, entry, delay_time=None):
        """Adds entry ``entry`` reading ``delay_time`` ms back (None: the live value)."""
        self._core.register_entry(str(entry), _delay_time(entry, delay_time), get_dt())
        return self

    @property
    def entries(self):
        """``{name: delay in steps}``."""
        return dict(self._core.entries())

    def at(self, entry):
        """The value of ``entry``: the live target for a zero delay, else the stored value."""
        tracer = _trace.current()
        if tracer is not None:
            entries = self.entries
            if str(entry) not in entries:
                raise UnknownNameError(
                    f"unknown delay entry {str(entry)!r}; known: {sorted(entries)}"
                )
            return tracer.delay_at(self, entries[str(entry)])
        stored = self._core.at(str(entry))
        if stored is None:
            return self.target.value
        return stored.reshape(self.target.shape)

    def update(self, latest_value=None):
        """Pushes ``latest_value`` (default: the target's current value)."""
        tracer = _trace.current()
        if tracer is not None:
            latest = self.target.value if latest_value is None else latest_value
            return tracer.push(self, latest.value if isinstance(latest, Variable) else latest)
        value = self.target.value if latest_value is None else latest_value
        value = np.asarray(value.value if isinstance(value, Variable) else value)
        self._core.push(np.ascontiguousarray(value).reshape(-1))
        return None

    def reset_state(self, batch_size=None, **kwargs):
        """Zeros the history buffer; entries are kept."""
        check_batch(batch_size)
        from .math.random import get_rng

        self._core.reset_state(get_rng())


def _delay_time(entry, time):
    if time is None:
        return None
    if isinstance(time, (bool, np.bool_)):
        raise ParameterError(f"delay of entry {entry!r} must be a time in ms or None, got {time}")
    try:
        return float(time)
    except (TypeError, ValueError):
        raise ParameterError(
            f"delay of entry {entry!r} must be a time in ms or None, got {time!r}"
        ) from None
