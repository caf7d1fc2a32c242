"""The global time step ``dt`` (ms) shared by every node, as ``bm.get_dt()`` / ``bm.set_dt()``."""

from .. import _checks

_DEFAULT_DT = 0.1  # ms, BrainPy's default
_dt = _DEFAULT_DT


def get_dt():
    """The integration time step in ms (0.1 unless changed with :func:`set_dt`)."""
    return _dt


def set_dt(dt):
    """Sets the integration time step in ms; it must be a finite number > 0."""
    global _dt
    _dt = _checks.number("dt", dt, positive=True)
