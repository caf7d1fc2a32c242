"""Projections with the synapse aligned to the post population (docs/semantics.md, section 4).

``ProjAlignPost1(comm, syn, out, post)``: ``update(x)`` runs ``g = syn(comm(x))``; ``out`` (bound
to ``syn``) is registered as a current input of ``post``, which evaluates it in its own update.
``ProjAlignPost2(pre, delay, comm, syn, out, post)`` does the same with ``x`` read from a delay
of ``pre``'s output, pushed after each update of ``pre``.

``post`` and ``pre`` are references, not children: ``net.nodes()`` reaches them only through
their owners, so a population resets once.
"""

from .. import _checks
from .._node import DynamicalSystem, Projection
from ..delay import VarDelay
from ..errors import ParameterError, StructureError
from .outputs import _SynOut

__all__ = ["ProjAlignPost1", "ProjAlignPost2", "HalfProjAlignPost", "FullProjAlignPost"]


def _require(name, value, cls, what):
    if not isinstance(value, cls):
        raise ParameterError(f"{name} must be {what}, got {type(value).__name__}")


def _check_sizes(comm, syn, post):
    """comm's output, syn and post must all have post's number of neurons."""
    n_post = getattr(post, "num", None)
    n_syn = getattr(syn, "num", None)
    if n_post is None or not hasattr(post, "cur_inputs"):
        raise ParameterError(f"post must be a neuron population, got {type(post).__name__}")
    if n_syn != n_post:
        raise StructureError(
            f"syn has {n_syn} units but post has {n_post} neurons: the synapse is aligned to "
            f"post and needs one g per post neuron"
        )
    num_out = getattr(comm, "num_out", None)
    if num_out is not None and num_out != n_post:
        raise StructureError(
            f"comm produces {num_out} outputs but post has {n_post} neurons"
        )


def _input_key(post, out_label):
    """The key under which the output is registered on post; refused before anything changes."""
    key = f"proj{len(post.cur_inputs)}" if out_label is None else str(out_label)
    if key in post.cur_inputs:
        raise StructureError(f"post already has a current input labelled {key!r}")
    return key


class ProjAlignPost1(Projection):
    """``comm`` then ``syn`` (one g per post neuron); ``out`` feeds ``post``."""

    def __init__(self, comm, syn, out, post, out_label=None, name=None, mode=None):
        super().__init__(name=name, mode=mode)
        _require("comm", comm, DynamicalSystem, "a connectivity node (bp.dnn.*)")
        _require("syn", syn, DynamicalSystem, "a synapse node (bp.dyn.Expon, ...)")
        _require("out", out, _SynOut, "a synaptic output (bp.dyn.COBA, bp.dyn.CUBA)")
        _require("post", post, DynamicalSystem, "a neuron population")
        _check_sizes(comm, syn, post)
        if out._syn is not None:
            raise StructureError("out is already bound to another projection's synapse")
        key = _input_key(post, out_label)
        # all checks done: only now change post
        self.comm = comm
        self.syn = syn
        self.out = out
        out.bind(syn)
        post.add_inp_fun(key, out)
        self.refs = {"post": post, "out": out, "syn": syn, "comm": comm}  # plain dict: not children

    def update(self, x):
        """``g = syn(comm(x))``; returns g."""
        return self.syn(self.comm(x))


HalfProjAlignPost = ProjAlignPost1


class ProjAlignPost2(Projection):
    """``pre``'s output, delayed by ``delay`` ms, through ``comm`` and ``syn``; ``out`` feeds
    ``post``."""

    def __init__(self, pre, delay, comm, syn, out, post, out_label=None, name=None, mode=None):
        super().__init__(name=name, mode=mode)
        _require("pre", pre, DynamicalSystem, "a neuron population")
        _require("comm", comm, DynamicalSystem, "a connectivity node (bp.dnn.*)")
        _require("syn", syn, DynamicalSystem, "a synapse node (bp.dyn.Expon, ...)")
        _require("out", out, _SynOut, "a synaptic output (bp.dyn.COBA, bp.dyn.CUBA)")
        _require("post", post, DynamicalSystem, "a neuron population")
        if not hasattr(pre, "spike"):
            raise ParameterError(f"pre must have a spike Variable, got {type(pre).__name__}")
        if delay is not None:
            _checks.number("delay", delay, non_negative=True)
        _check_sizes(comm, syn, post)
        num_in = getattr(comm, "num_in", None)
        if num_in is not None and num_in != pre.num:
            raise StructureError(f"comm takes {num_in} inputs but pre has {pre.num} neurons")
        if out._syn is not None:
            raise StructureError("out is already bound to another projection's synapse")
        key = _input_key(post, out_label)
        # one delay of pre's spikes, shared by every projection from pre, pushed after pre runs
        pre_delay = pre.get_after_update("spike_delay")
        entry = f"proj{len(pre_delay.entries) if pre_delay is not None else 0}"
        if pre_delay is None:
            pre_delay = VarDelay(pre.spike, entries={entry: delay})  # validates delay fully
            pre.add_after_update("spike_delay", pre_delay)
        else:
            pre_delay.register_entry(entry, delay)
        self.comm = comm
        self.syn = syn
        self.out = out
        out.bind(syn)
        post.add_inp_fun(key, out)
        self._entry = entry
        self.refs = {"pre": pre, "post": post, "out": out, "delay": pre_delay}

    def update(self):
        """``g = syn(comm(delayed pre spikes))``; returns g."""
        x = self.refs["delay"].at(self._entry)
        return self.syn(self.comm(x))


FullProjAlignPost = ProjAlignPost2
