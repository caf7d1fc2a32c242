"""``bm.Variable``: a named piece of state.

A Variable either owns a NumPy array (user state) or stands for one variable of an engine node
(``LifRefLTC.V``, ``Expon.g``, ...), whose values live in Rust. Either way:

- ``var.value`` returns a snapshot (a fresh array), like BrainPy's immutable JAX array: a value
  printed before a reset does not change after it;
- ``var.value = x`` checks shape and dtype first (``ShapeError`` / ``DTypeError``, naming the
  Variable) and only then writes, so a refused assignment changes nothing;
- the object keeps its identity for its whole life: resets and loads write values in place.
"""

import numpy as np

from .. import _trace
from ..errors import DTypeError, ShapeError, node_in_use

__all__ = ["Variable"]


class _LocalStore:
    """Values held by the Variable itself."""

    def __init__(self, array):
        self.array = array

    def read(self):
        return self.array.copy()

    def write(self, array):
        self.array = array.copy()

    def shape(self):
        return self.array.shape

    def dtype(self):
        return self.array.dtype


class _EngineStore:
    """Values held by an engine node (``brainrs._core``), read and written flat."""

    def __init__(self, node, name, shape):
        self.node = node
        self.name = name
        self._shape = shape  # a tuple, or a callable for shapes that grow (delay buffers)

    def shape(self):
        return self._shape() if callable(self._shape) else self._shape

    def read(self):
        return self.node.get_var(self.name).reshape(self.shape())

    def write(self, array):
        self.node.set_var(self.name, np.ascontiguousarray(array).reshape(-1))

    def dtype(self):
        return np.dtype(self.node.var_dtype(self.name))


def _as_array(value, like_dtype):
    """``value`` as an ndarray. Arrays keep their dtype (and are checked); Python scalars and
    lists take the Variable's dtype when they are of the same kind, or ints given to a float
    Variable (a Python float is a float32 here, as in JAX's default mode)."""
    if isinstance(value, Variable):
        return value.value
    if isinstance(value, np.ndarray):
        return value
    array = np.asarray(value)
    same_kind = array.dtype.kind == like_dtype.kind
    int_to_float = like_dtype.kind == "f" and array.dtype.kind in "iu"
    return array.astype(like_dtype) if (same_kind or int_to_float) else array


def _operand(other):
    return other.value if isinstance(other, Variable) else other


class Variable:
    """State of a node: ``bm.Variable(value)`` or an engine node's variable."""

    __slots__ = ("_store", "_label", "__weakref__")

    def __init__(self, value, dtype=None, *, _store=None, _label=None):
        if _store is None:
            array = np.array(value.value if isinstance(value, Variable) else value, dtype=dtype)
            if dtype is None and array.dtype == np.float64:
                array = array.astype(np.float32)  # BrainPy's default precision
            _store = _LocalStore(array)
        self._store = _store
        self._label = _label or "Variable"

    @classmethod
    def _of_engine(cls, node, name, shape, label):
        return cls(None, _store=_EngineStore(node, name, shape), _label=label)

    # -- value -----------------------------------------------------------------------------
    @property
    def value(self):
        """A snapshot of the values (a new array each time); a symbolic handle while a loop is
        being traced."""
        tracer = _trace.current()
        if tracer is not None:
            if isinstance(self._store, _EngineStore):
                return tracer.variable(self._store)
            raise _trace.TraceFallback(f"reading the user Variable {self._label}")
        with node_in_use:
            return self._store.read()

    @value.setter
    def value(self, value):
        if _trace.current() is not None:
            raise _trace.TraceFallback(f"assigning {self._label}")
        checked = self._checked(value)
        with node_in_use:
            self._store.write(checked)

    def _checked(self, value):
        """``value`` as an array of this Variable's shape and dtype, or a typed error."""
        dtype = self.dtype
        array = _as_array(value, dtype)
        if array.shape != self.shape:
            raise ShapeError(
                f"{self._label}: the value must have shape {self.shape}, got shape {array.shape}"
            )
        if array.dtype != dtype:
            raise DTypeError(
                f"{self._label}: the value must have dtype {dtype}, got dtype {array.dtype} "
                f"(cast it first, e.g. x.astype('{dtype}'))"
            )
        return array

    def update(self, value):
        """BrainPy's alias of ``var.value = value``."""
        self.value = value

    @property
    def shape(self):
        return tuple(self._store.shape())

    @property
    def dtype(self):
        return self._store.dtype()

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(np.prod(self.shape, dtype=np.int64))

    def __len__(self):
        return self.shape[0]

    def __repr__(self):
        return f"{self._label}(value={self.value!r})"

    # -- NumPy interoperability: a Variable reads as its value ------------------------------
    def __array__(self, dtype=None, copy=None):
        v = self.value
        return v if dtype is None else v.astype(dtype)

    def __getitem__(self, index):
        return self.value[index]

    def __setitem__(self, index, value):
        v = self.value
        v[index] = value
        self.value = v

    def __iter__(self):
        return iter(self.value)

    def __bool__(self):
        return bool(self.value)

    def __float__(self):
        return float(self.value)

    def __int__(self):
        return int(self.value)

    def __getattr__(self, name):
        # sum(), mean(), astype(), T, ... of the current value
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.value, name)

    # in-place operators write back through the checked setter
    def __iadd__(self, other):
        self.value = self.value + _operand(other)
        return self

    def __isub__(self, other):
        self.value = self.value - _operand(other)
        return self

    def __imul__(self, other):
        self.value = self.value * _operand(other)
        return self

    def __itruediv__(self, other):
        self.value = self.value / _operand(other)
        return self

    # identity semantics: Variables are hashable objects, not arrays
    __hash__ = object.__hash__


def _binary(name):
    def forward(self, other):
        if isinstance(other, Variable):
            other = other.value
        return getattr(self.value, name)(other)

    forward.__name__ = name
    return forward


for _op in (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
    "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
    "__rpow__", "__matmul__", "__rmatmul__", "__and__", "__rand__", "__or__", "__ror__",
    "__xor__", "__rxor__", "__lt__", "__le__", "__gt__", "__ge__",
):
    setattr(Variable, _op, _binary(_op))

Variable.__neg__ = lambda self: -self.value
Variable.__pos__ = lambda self: +self.value
Variable.__abs__ = lambda self: abs(self.value)
Variable.__invert__ = lambda self: ~self.value
