"""The exceptions brainrs raises.

Every error is a :class:`BrainrsError` and also a subclass of the builtin a NumPy or BrainPy user
would catch (``ShapeError`` is a ``ValueError``, ``DTypeError`` a ``TypeError``, ...). The Rust
engine's errors are mapped onto these classes in one place (``rust/brainrs-python/src/errors.rs``);
the message names the parameter, what was expected and what was given.
"""

__all__ = [
    "BrainrsError",
    "ParameterError",
    "ShapeError",
    "DTypeError",
    "UnknownNameError",
    "StructureError",
    "TraceError",
    "CheckpointError",
    "NumericalError",
]


class BrainrsError(Exception):
    """Base class of every brainrs error."""


class ParameterError(BrainrsError, ValueError):
    """A parameter outside its domain: ``tau <= 0``, NaN, ``prob`` outside (0, 1]."""


class ShapeError(BrainrsError, ValueError):
    """An array whose shape or length does not fit the node or Variable it is given to."""


class DTypeError(BrainrsError, TypeError):
    """An array of the wrong element type (float where bool spikes are needed, ...)."""


class UnknownNameError(BrainrsError, KeyError):
    """A name that does not exist: a delay entry, a variable, a model."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class StructureError(BrainrsError, ValueError):
    """A network that cannot be built as asked (a projection onto a population of another size)."""


class TraceError(BrainrsError, TypeError):
    """``update()`` code that cannot be traced when strict tracing was requested."""


class NumericalError(BrainrsError, FloatingPointError):
    """A V or g became NaN or infinite in a run with ``check_finite=True``; ``node``,
    ``variable``, ``index`` (the neuron), ``step`` and ``value`` say where."""


class CheckpointError(BrainrsError, ValueError):
    """A checkpoint file that cannot be read or written: truncated, corrupted, not a brainrs
    checkpoint, or an I/O failure. The message names the path and the cause."""


class _NodeInUse:
    """Turns PyO3's borrow errors ("Already borrowed", raised when an engine node is used
    while a run in another thread holds it) into a StructureError that says what happened."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if kind is RuntimeError and "borrowed" in str(error):
            raise StructureError(
                "a node of this network is in use by another run (in another thread); wait for "
                "that run to finish"
            ) from error
        return False


node_in_use = _NodeInUse()
