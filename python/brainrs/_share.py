"""``bp.share``: the values shared by every node during one step (``i``, ``t``, ``dt``).

``net.step_run(i, ...)`` saves ``i`` and ``t = float32(i) * float32(dt)`` before calling
``update``; built-in nodes read the step from here.
"""

import numpy as np

from .errors import UnknownNameError
from .math.environment import get_dt

__all__ = ["share", "ShareContext"]


class ShareContext:
    """A small key-value store (BrainPy's ``bp.share``)."""

    def __init__(self):
        self._values = {}

    def save(self, *args, **kwargs):
        """``save(i=..., t=...)`` or ``save('i', 3, 't', 0.3)``."""
        if len(args) % 2:
            raise UnknownNameError(
                f"share.save takes key, value pairs, got an odd number of arguments ({len(args)})"
            )
        for k in range(0, len(args), 2):
            self._values[args[k]] = args[k + 1]
        self._values.update(kwargs)

    def load(self, key, *default):
        """The saved value of ``key``; ``dt`` defaults to ``bm.get_dt()``."""
        if key in self._values:
            return self._values[key]
        if key == "dt":
            return get_dt()
        if default:
            return default[0]
        raise UnknownNameError(
            f"share has no value {key!r} (saved: {sorted(self._values)}); "
            f"call the network through step_run(i, ...) or bp.share.save({key}=...)"
        )

    def get_shargs(self):
        out = dict(self._values)
        out.setdefault("dt", get_dt())
        return out

    def clear_shargs(self, *keys):
        for k in keys or list(self._values):
            self._values.pop(k, None)

    def __getitem__(self, key):
        return self.load(key)

    def step_index(self):
        """The current step index ``i`` (derived from ``t`` and ``dt`` if only ``t`` was saved)."""
        if "i" in self._values:
            return int(self._values["i"])
        t = self.load("t")
        return int(round(float(t) / float(self.load("dt"))))


share = ShareContext()


def step_time(i, dt):
    """``t = float32(i) * float32(dt)``, the engine's time of step ``i`` (ms)."""
    return np.float32(i) * np.float32(dt)
