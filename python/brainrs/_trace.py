"""Traced mode: call the user's ``update()`` once with symbolic handles, then run every step in
Rust (architecture.md, "Traced mode").

While a :class:`Tracer` is active, built-in nodes do not compute: each call appends an
instruction and returns a :class:`Handle` (a symbolic 1-D vector: a population's spikes, a
synapse's g, a delay entry, a connectivity operator's output; slicing ``spk[:3200]`` gives
another handle). Operands of the loop are :class:`OperandHandle`s. Anything else done with a
handle (a Python ``if``, NumPy arithmetic, assigning a Variable) raises :class:`TraceFallback`
with the reason; the loop then runs eagerly with one warning, or raises ``TraceError`` when
strict tracing was asked for.

The recorded program is a ``brainrs._core.Program`` over the very engine objects the nodes own:
traced and eager runs call the same kernels in the same order and are bit-identical.
"""

import contextlib
import numbers
import warnings

import numpy as np

from . import _core
from .errors import DTypeError, TraceError, node_in_use

__all__ = ["Tracer", "Handle", "CountHandle", "OperandHandle", "TraceFallback",
           "TraceFallbackWarning", "current", "run_traced", "NOT_TRACED", "SpikeEvents"]

_current = None
NOT_TRACED = object()


def current():
    """The active tracer, or None in eager mode."""
    return _current


class TraceFallback(Exception):
    """Raised inside tracing when the update cannot be traced; carries the reason."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class TraceFallbackWarning(UserWarning):
    """An update() that could not be traced ran eagerly (correct, but slower)."""


def _untraceable(what):
    def refuse(self, *args, **kwargs):
        raise TraceFallback(f"{what} on a traced value")

    return refuse


class _Symbolic:
    """Common refusals: a symbolic value has no concrete value at trace time."""

    __array__ = _untraceable("converting to a NumPy array")
    __bool__ = _untraceable("a Python `if`/`and`/`or` (data-dependent control flow)")
    __float__ = _untraceable("float()")
    __int__ = _untraceable("int()")
    __index__ = _untraceable("using it as an index")
    __iter__ = _untraceable("iterating")
    __setitem__ = _untraceable("item assignment")
    __eq__ = _untraceable("comparison")
    __ne__ = _untraceable("comparison")
    __hash__ = object.__hash__


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
              "xor", "lt", "le", "gt", "ge"):
    setattr(_Symbolic, f"__{_name}__", _untraceable(f"arithmetic ({_name})"))
    setattr(_Symbolic, f"__r{_name}__", _untraceable(f"arithmetic ({_name})"))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(_Symbolic, f"__{_name}__", _untraceable(f"arithmetic ({_name})"))


class Handle(_Symbolic):
    """A symbolic 1-D vector: ``vector[start:stop]`` of an engine value."""

    __slots__ = ("vector", "start", "stop", "dtype")

    def __init__(self, vector, start, stop, dtype):
        self.vector, self.start, self.stop, self.dtype = vector, start, stop, np.dtype(dtype)

    @property
    def shape(self):
        return (self.stop - self.start,)

    @property
    def size(self):
        return self.stop - self.start

    ndim = 1

    def __len__(self):
        return self.stop - self.start

    @property
    def value(self):
        return self

    def slice(self):
        """The engine's encoding: ``(vector, start, stop)``."""
        return (self.vector, self.start, self.stop)

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TraceFallback(f"indexing with {key!r} (only contiguous slices are traced)")
        start, stop, _ = key.indices(len(self))
        stop = max(stop, start)
        return Handle(self.vector, self.start + start, self.start + stop, self.dtype)

    def sum(self, axis=None, dtype=None, out=None, **kwargs):
        """The number of True values of a bool vector per step (``spikes.sum()``, also reached
        by ``np.sum`` / ``bm.sum``); recorded by the engine as one count per step."""
        if self.dtype != np.bool_ or axis not in (None, 0, -1) or out is not None or kwargs:
            raise TraceFallback("a sum other than the count of a spike vector")
        return CountHandle(self, dtype)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise TraceFallback(f"`.{name}` (NumPy) on a traced value")

    def __repr__(self):
        return f"Handle({self.vector}, {self.start}:{self.stop}, {self.dtype})"


class CountHandle(_Symbolic):
    """The per-step count of True values of a bool handle (a population's spike count)."""

    __slots__ = ("handle", "dtype")

    def __init__(self, handle, dtype=None):
        self.handle = handle
        # NumPy's sum of bools is int64 (the platform's int); an explicit dtype is kept
        self.dtype = np.dtype(np.int64 if dtype is None else dtype)

    def __repr__(self):
        return f"CountHandle({self.handle!r})"


class OperandHandle(_Symbolic):
    """Element ``k`` of the loop's operands at the current step."""

    __slots__ = ("k", "dtype")

    def __init__(self, k, dtype):
        self.k, self.dtype = k, np.dtype(dtype)

    def __repr__(self):
        return f"OperandHandle({self.k})"


class TimeHandle(_Symbolic):
    """``t`` of a traced step (computed by the engine from the step index)."""

    __slots__ = ()


class SpikeEvents:
    """A compact spike record: ``steps[k]`` (index into the run) and ``indices[k]`` (neuron)
    for every spike, in time order. ``to_dense()`` gives the (steps, neurons) bool matrix."""

    def __init__(self, steps, indices, shape):
        self.steps, self.indices, self.shape = steps, indices, tuple(shape)

    def to_dense(self):
        out = np.zeros(self.shape, dtype=bool)
        out[self.steps, self.indices] = True
        return out

    def sum(self):
        return int(self.steps.size)

    def __len__(self):
        return self.shape[0]

    def __repr__(self):
        return f"SpikeEvents({self.steps.size} spikes, shape={self.shape})"


_KINDS = ((_core.Lif, "pop"), (_core.Expon, "syn"), (_core.VarDelay, "delay"))


class Tracer:
    """Records the instructions of one call of a loop body."""

    def __init__(self, operand_dtypes):
        self.nodes = {"pop": [], "syn": [], "delay": [], "comm": []}
        self._ids = {}
        self.instrs = []
        self.buffers = []
        self.operands = [OperandHandle(k, d) for k, d in enumerate(operand_dtypes)]
        self.step_operand = None
        self.labels = {}  # id(engine object) -> the node's class name, for messages

    @contextlib.contextmanager
    def active(self):
        global _current
        if _current is not None:
            raise TraceFallback("a loop inside a traced loop")
        _current = self
        try:
            yield self
        finally:
            _current = None

    def index(self, kind, core):
        """The program's index of engine object ``core`` (registered on first use)."""
        key = id(core)
        if key not in self._ids:
            self._ids[key] = len(self.nodes[kind])
            self.nodes[kind].append(core)
        return self._ids[key]

    def buffer(self, size):
        self.buffers.append(size)
        return len(self.buffers) - 1

    # -- reads --------------------------------------------------------------------------------
    def variable(self, store):
        """The handle of an engine-backed Variable (its ``_EngineStore``)."""
        kind = next((k for cls, k in _KINDS if isinstance(store.node, cls)), None)
        if kind is None:
            raise TraceFallback("reading a Variable that is not a built-in node's")
        idx = self.index(kind, store.node)
        n = int(np.prod(store.shape(), dtype=np.int64))
        if kind == "pop" and store.name == "spike":
            vector = ("spike", idx)
        elif kind == "syn" and store.name == "g":
            vector = ("g", idx)
        else:
            vector = ("var", kind, idx, store.name)
        return Handle(vector, 0, n, store.dtype())

    # -- node calls ---------------------------------------------------------------------------
    def neuron(self, node, x):
        from ._share import share

        i = share.load("i", None)
        if not isinstance(i, OperandHandle):
            raise TraceFallback(
                "the step index is not the loop's operand (call net.step_run(i, ...))"
            )
        if self.step_operand not in (None, i.k):
            raise TraceFallback("two different operands used as the step index")
        self.step_operand = i.k
        if x is None:
            inp = None
        elif isinstance(x, OperandHandle):
            inp = ("operand", x.k)
        elif isinstance(x, (numbers.Real, np.number)) and not isinstance(x, (bool, np.bool_)):
            inp = ("const", float(np.float32(x)))
        else:
            raise TraceFallback(f"a neuron input of type {type(x).__name__}")
        currents = [out._current() for out in node.cur_inputs.values()]
        currents = [(e, self.index("syn", syn)) for e, syn in currents]
        self.labels.setdefault(id(node._core), type(node).__name__)
        pop = self.index("pop", node._core)
        self.instrs.append(("neuron", pop, inp, currents))
        return Handle(("spike", pop), 0, node.num, np.bool_)

    def synapse(self, node, x):
        self.labels.setdefault(id(node._core), type(node).__name__)
        syn = self.index("syn", node._core)
        if x is None:
            buf = None
        elif (isinstance(x, Handle) and x.vector[0] == "current" and x.start == 0
              and x.stop == self.buffers[x.vector[1]]):
            buf = x.vector[1]
        else:
            raise TraceFallback(f"a synapse input of type {type(x).__name__}")
        self.instrs.append(("syn", syn, buf))
        return Handle(("g", syn), 0, node.num, np.float32)

    def comm(self, node, x, event):
        if not isinstance(x, Handle):
            raise TraceFallback(f"a connectivity input of type {type(x).__name__}")
        want = np.bool_ if event else np.float32
        if x.dtype != want:
            raise DTypeError(f"{type(node).__name__} input must be {np.dtype(want)}, "
                             f"got dtype {x.dtype}")
        comm = self.index("comm", node._core)
        buf = self.buffer(node.num_out)
        self.instrs.append(("comm", comm, x.slice(), buf))
        return Handle(("current", buf), 0, node.num_out, np.float32)

    def delay_at(self, delay, steps):
        if steps == 0:
            return delay.target.value  # the live target: a handle too
        idx = self.index("delay", delay._core)
        return Handle(("delayed", idx, steps), 0, delay.target.size, delay.target.dtype)

    def push(self, delay, value):
        if not isinstance(value, Handle):
            raise TraceFallback(f"pushing a {type(value).__name__} into a delay")
        self.instrs.append(("push", self.index("delay", delay._core), value.slice()))

    # -- the loop's outputs -------------------------------------------------------------------
    def probes(self, out):
        """The probes of ``out`` (handles in nested tuples/lists/dicts) and a function that
        rebuilds the same structure from the recorded arrays."""
        probes = []

        def walk(x):
            if x is None:
                return lambda recs: None
            if isinstance(x, (Handle, CountHandle)):
                probes.append(x)
                k = len(probes) - 1
                return lambda recs: recs[k]
            if isinstance(x, (tuple, list)):
                parts = [walk(v) for v in x]
                return lambda recs: type(x)(p(recs) for p in parts)
            if isinstance(x, dict):
                parts = {key: walk(v) for key, v in x.items()}
                return lambda recs: {key: p(recs) for key, p in parts.items()}
            raise TraceFallback(f"returning a {type(x).__name__} from the loop body")

        return probes, walk(out)


def _operand_columns(ops):
    """The operands as per-step scalar columns, or a reason why they cannot be traced."""
    columns = []
    for op in ops:
        a = np.asarray(op)
        if a.ndim != 1 or a.dtype.kind not in "iuf":
            raise TraceFallback(f"an operand of shape {a.shape} and dtype {a.dtype} "
                                f"(traced loops take 1-D numeric operands)")
        columns.append(a)
    return columns


def run_traced(body, ops, *, progress_bar=False, strict=False, compact=False, where="for_loop",
               progress=None, check_finite=False, root=None):
    """Traces ``body`` over ``ops`` and runs it in Rust; returns the stacked outputs or
    ``NOT_TRACED`` (after one warning) when it cannot be traced. ``compact=True`` records every
    bool output as :class:`SpikeEvents` instead of a dense steps x N array. ``check_finite``
    stops at the first NaN or infinite V or g (``NumericalError``; nodes are named by their path
    from ``root`` when given, else by their class)."""
    from ._share import share
    from .math.environment import get_dt

    saved = dict(share._values)
    try:
        columns = _operand_columns(ops)
        tracer = Tracer([c.dtype for c in columns])
        with tracer.active(), node_in_use:
            dt = get_dt()
            out = body(*tracer.operands)
        probes, rebuild = tracer.probes(out)
        if tracer.instrs and tracer.step_operand is None and tracer.nodes["pop"]:
            raise TraceFallback("no step index")
    except TraceFallback as e:
        if strict:
            raise TraceError(f"{where}: the update cannot be traced: {e.reason}") from None
        warnings.warn(f"{where}: the update cannot be traced ({e.reason}); running it eagerly, "
                      f"step by step in Python (correct but slower)",
                      TraceFallbackWarning, stacklevel=3)
        return NOT_TRACED
    finally:
        share._values = saved
    n_steps = len(columns[0]) if columns else 0
    if tracer.step_operand is not None:
        index_col = columns[tracer.step_operand]
        if index_col.dtype.kind not in "iu" or (n_steps and index_col.min() < 0):
            raise TraceError(f"{where}: the step index operand must hold integers >= 0")
        indices = np.ascontiguousarray(index_col, dtype=np.uint64)
    else:
        indices = np.arange(n_steps, dtype=np.uint64)
    operands = np.ascontiguousarray(np.stack(columns, axis=1) if columns
                                    else np.zeros((n_steps, 0)), dtype=np.float32)
    modes = ["count" if isinstance(p, CountHandle)
             else "events" if compact and p.dtype == np.bool_ else "dense" for p in probes]
    paths = {}
    if root is not None:
        paths = {id(n._core): path for path, n in root.nodes().items() if hasattr(n, "_core")}

    def labels(kind):
        return [paths.get(id(c)) or tracer.labels.get(id(c), kind) for c in tracer.nodes[kind]]

    program = _core.Program(tracer.nodes["pop"], tracer.nodes["syn"], tracer.nodes["delay"],
                            tracer.nodes["comm"], tracer.instrs, tracer.buffers,
                            [(p.handle if isinstance(p, CountHandle) else p).slice()
                             for p in probes], len(columns), np.float32(dt),
                            labels("pop"), labels("syn"))
    bar = None
    if progress_bar:
        from tqdm.auto import tqdm

        bar = tqdm(total=n_steps)

        def progress(n):
            bar.update(n - bar.n)

    try:
        done, recs = program.run(indices, operands, modes, progress, check_finite)
    finally:
        if bar is not None:
            bar.close()
    if n_steps:
        last = int(indices[-1])
        from ._share import step_time

        share.save(i=last, t=step_time(last, dt), dt=dt)
    recs = [SpikeEvents(r[0], r[1], (done, probes[k].size)) if modes[k] == "events"
            else r.astype(probes[k].dtype) if modes[k] == "count" else r
            for k, r in enumerate(recs)]
    return rebuild(recs)
