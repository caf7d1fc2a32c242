"""``bp.dyn``: neurons, synapses, synaptic outputs and projections."""

from .neurons import Lif, LifLTC, LifRef, LifRefLTC
from .outputs import COBA, CUBA
from .projections import FullProjAlignPost, HalfProjAlignPost, ProjAlignPost1, ProjAlignPost2
from .synapses import Expon

__all__ = [
    "LifRefLTC", "LifRef", "Lif", "LifLTC", "Expon", "COBA", "CUBA", "ProjAlignPost1",
    "ProjAlignPost2", "HalfProjAlignPost", "FullProjAlignPost",
]
