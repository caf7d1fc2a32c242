"""Synaptic outputs: how a projection's conductance g becomes a current into its post neurons.

An output is bound to its projection's synapse and registered on the post population, which
evaluates it inside its own update (``COBA``: ``g*(E - V)``, mV; ``CUBA``: ``g``)."""

from .. import _checks
from .._node import DynamicalSystem
from ..errors import StructureError

__all__ = ["COBA", "CUBA"]


class _SynOut(DynamicalSystem):
    _reversal = None  # E in mV, or None for a current-based output

    def __init__(self, name=None, mode=None):
        super().__init__(name=name, mode=mode)
        self.refs = {"syn": None}  # a plain dict: the synapse is a reference, not a child

    @property
    def _syn(self):
        return self.refs["syn"]

    def bind(self, syn):
        """Binds the synapse whose g this output turns into a current."""
        self.refs["syn"] = syn

    def _current(self):
        """``(E or None, engine synapse)`` for the post population's kernel."""
        if self._syn is None:
            raise StructureError(
                f"{type(self).__name__} is not bound to a synapse: create it through a projection"
            )
        return (self._reversal, self._syn._conductance())

    def update(self, *args, **kwargs):
        return None  # evaluated by the post population, not stepped on its own


class COBA(_SynOut):
    """Conductance-based output ``g * (E - V)`` with reversal potential ``E`` (mV)."""

    def __init__(self, E=0.0, sharding=None, name=None, mode=None):
        super().__init__(name=name, mode=mode)
        self.E = _checks.number("E", E)
        self._reversal = self.E


class CUBA(_SynOut):
    """Current-based output: the current is g itself."""

    def __init__(self, scale=1.0, name=None, mode=None):
        super().__init__(name=name, mode=mode)
        if _checks.number("scale", scale) != 1.0:
            raise _checks.ParameterError(f"scale must be 1 in brainrs's CUBA, got {scale}")
