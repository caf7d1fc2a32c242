"""The node tree: ``DynamicalSystem``, ``DynSysGroup``, containers, traversal and resetting.

This is the BrainPy-shaped part that lives in Python (architecture.md, "Flat typed arenas, not an
object graph"): nodes own Variables and child nodes in attribute-assignment order; built-in nodes
hold an engine object from ``brainrs._core`` whose kernels they call.

Reset semantics (docs/semantics.md, section 1), the subject of the seed document:

- ``bp.reset_state(net)`` runs every unique node's *local* ``reset_state`` (traversal order, then
  ``@bp.reset_level(k)`` nodes for k = 0..9);
- ``node.reset_state()`` resets only the node's own Variables; a group that owns none is left
  unchanged, children included (as the seed states; BrainPy >= 2.5 differs);
- ``node.reset()`` is the recursive form.
"""

from . import _trace
from ._share import share, step_time
from .errors import ParameterError, node_in_use
from .math.environment import get_dt
from .math.variable import Variable, _LocalStore

__all__ = [
    "DynamicalSystem", "DynSysGroup", "Network", "Dynamic", "Projection", "NodeList",
    "NodeDict", "Collector", "reset_state", "reset_level",
]

_RESET_LEVELS = range(10)


class Collector(dict):
    """An ordered mapping of paths to nodes or Variables (BrainPy's ``Collector``)."""

    def subset(self, cls):
        """The entries that are instances of ``cls``."""
        return Collector((k, v) for k, v in self.items() if isinstance(v, cls))

    def not_subset(self, cls):
        """The entries that are not instances of ``cls``."""
        return Collector((k, v) for k, v in self.items() if not isinstance(v, cls))

    def unique(self):
        """The first entry of each distinct object."""
        seen, out = set(), Collector()
        for k, v in self.items():
            if id(v) not in seen:
                seen.add(id(v))
                out[k] = v
        return out


class NodeList(list):
    """A list whose nodes are children of the node that holds it."""


class NodeDict(dict):
    """A dict whose nodes are children of the node that holds it."""


def _is_container(value):
    return isinstance(value, (NodeList, NodeDict))


class DynamicalSystem:
    """Base class of every node: owns Variables and children, and knows how to step and reset.

    Subclasses call ``super().__init__()`` first, then assign Variables and child nodes as
    attributes; the assignment order is the traversal order.
    """

    def __init__(self, name=None, mode=None):
        object.__setattr__(self, "_children", {})
        object.__setattr__(self, "_variables", {})
        object.__setattr__(self, "_initial_values", {})
        self.name = type(self).__name__ if name is None else str(name)
        self.mode = mode

    # -- registration ----------------------------------------------------------------------
    def _registry(self):
        try:
            return self.__dict__["_children"], self.__dict__["_variables"]
        except KeyError:
            raise TypeError(
                f"{type(self).__name__}.__init__ must call super().__init__() before assigning "
                f"attributes"
            ) from None

    def __setattr__(self, name, value):
        if isinstance(value, Variable) or isinstance(value, DynamicalSystem) or _is_container(
            value
        ):
            children, variables = self._registry()
            children.pop(name, None)
            variables.pop(name, None)
            if isinstance(value, Variable):
                variables[name] = value
                if isinstance(value._store, _LocalStore):
                    self._initial_values[name] = value.value  # what the local reset restores
            else:
                children[name] = value
        elif "_children" in self.__dict__:
            self._children.pop(name, None)
            self._variables.pop(name, None)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if "_children" in self.__dict__:
            self._children.pop(name, None)
            self._variables.pop(name, None)
        object.__delattr__(self, name)

    def _direct_children(self):
        """``(relative key, node)`` for each child, in assignment order."""
        out = []
        for attr, value in self._registry()[0].items():
            if isinstance(value, DynamicalSystem):
                out.append((attr, value))
            elif isinstance(value, NodeList):
                out.extend((f"{attr}.{k}", v) for k, v in enumerate(value)
                           if isinstance(v, DynamicalSystem))
            else:
                out.extend((f"{attr}.{k}", v) for k, v in value.items()
                           if isinstance(v, DynamicalSystem))
        return out

    # -- traversal -------------------------------------------------------------------------
    def nodes(self, method="relative", level=-1, include_self=True):
        """Every node below this one, each once, keyed by its attribute path ('' for self).

        Order: this node, its direct children, then the children of each child in turn (so a
        node reached twice keeps its first, shallowest path). ``level`` limits the depth
        (1: direct children only; -1: unlimited). Keys are paths, not BrainPy's global names:
        brainrs has no global name registry, so only ``method='relative'`` exists.
        """
        if method != "relative":
            raise ParameterError(
                f"method must be 'relative' (brainrs keys nodes by attribute path), got {method!r}"
            )
        out, seen = Collector(), {id(self)}
        if include_self:
            out[""] = self

        def visit(node, prefix, depth):
            if 0 <= level <= depth:
                return
            fresh = []
            for key, child in node._direct_children():
                if id(child) not in seen:
                    seen.add(id(child))
                    out[prefix + key] = child
                    fresh.append((prefix + key, child))
            for path, child in fresh:
                visit(child, path + ".", depth + 1)

        visit(self, "", 0)
        return out

    def vars(self, method="relative", level=-1, include_self=True):
        """Every Variable below this node, keyed ``'path.attr'`` (``'N.V'``, ``'E.syn.g'``)."""
        out, seen = Collector(), set()
        for path, node in self.nodes(method, level, include_self).items():
            for attr, var in node._registry()[1].items():
                if id(var) not in seen:
                    seen.add(id(var))
                    out[f"{path}.{attr}" if path else attr] = var
        return out

    # -- stepping --------------------------------------------------------------------------
    def update(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define update()")

    def __call__(self, *args, **kwargs):
        """``update(...)``, then every node registered to run after it (e.g. the delay of this
        node's output that a ``ProjAlignPost2`` reads) with its return value."""
        with node_in_use:
            ret = self.update(*args, **kwargs)
            after = self.__dict__.get("after_updates")
            if after:
                for node in after.values():
                    node(ret)
        return ret

    def add_after_update(self, key, node):
        """Runs ``node(ret)`` after each update of this node (BrainPy's ``add_aft_update``)."""
        if "after_updates" not in self.__dict__:
            self.after_updates = NodeDict()
        self.after_updates[key] = node

    def get_after_update(self, key):
        return self.__dict__.get("after_updates", {}).get(key)

    def step_run(self, i, *args, **kwargs):
        """One step: saves ``i`` and ``t = float32(i) * float32(dt)`` in ``bp.share``, then
        returns ``self.update(*args, **kwargs)``."""
        dt = get_dt()
        if isinstance(i, _trace.OperandHandle):  # traced: t is the engine's, from i
            share.save(i=i, t=_trace.TimeHandle(), dt=dt)
        else:
            share.save(i=i, t=step_time(i, dt), dt=dt)
        return self.update(*args, **kwargs)

    # -- resetting -------------------------------------------------------------------------
    def reset_state(self, *args, **kwargs):
        """Resets this node's own Variables (not its children's): user Variables go back to the
        values they were created with. Built-in nodes redraw from their initializers."""
        variables = self._registry()[1]
        for attr, initial in self._initial_values.items():
            var = variables.get(attr)
            if var is not None:
                var.value = initial

    def save_state(self, **kwargs):
        """This node's own Variables (copies), by attribute name."""
        return {attr: var.value for attr, var in self._registry()[1].items()}

    def load_state(self, state_dict, **kwargs):
        """Writes this node's own Variables from ``state_dict`` (as from :meth:`save_state`).
        Every key, shape and dtype is checked before anything is written."""
        own = self._registry()[1]
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if missing or unexpected:
            from .errors import UnknownNameError

            first = (missing or unexpected)[0]
            raise UnknownNameError(
                f"state key {first!r} of {type(self).__name__} is "
                f"{'missing' if missing else 'unexpected'} (missing: {missing}, "
                f"unexpected: {unexpected})"
            )
        writes = [(var, var._checked(state_dict[k])) for k, var in own.items()]
        for var, value in writes:
            var._store.write(value)

    def state_dict(self, **kwargs):
        """Every node's Variables below this one, plus ``bm.random``'s position
        (``bp.save_state(self)``)."""
        from ._state import save_state

        return save_state(self)

    def load_state_dict(self, state_dict, warn=True, compatible="v2", strict=True):
        """``bp.load_state(self, state_dict)``: returns the missing and unexpected keys."""
        from ._state import load_state

        return load_state(self, state_dict, strict=strict)

    def reset(self, *args, **kwargs):
        """Resets every node below this one (``bp.reset_state(self)``)."""
        reset_state(self, *args, **kwargs)

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


class Dynamic(DynamicalSystem):
    """A node with dynamics of its own over ``size`` units (neurons, synapses)."""


class Projection(DynamicalSystem):
    """A node that carries activity from one population to another."""


class DynSysGroup(DynamicalSystem):
    """A container of nodes. Without an ``update`` override it steps its direct children in
    BrainPy's order: projections, then dynamics (neurons, synapses), then the rest (delays),
    each called with no arguments."""

    def __init__(self, *children_as_tuple, name=None, mode=None, **children_as_dict):
        super().__init__(name=name, mode=mode)
        if children_as_tuple:
            self.children = NodeDict()
            for k, child in enumerate(children_as_tuple):
                _require_node("children", child)
                key = child.name if child.name not in self.children else f"{child.name}{k}"
                self.children[key] = child
        for key, child in children_as_dict.items():
            _require_node(key, child)
            setattr(self, key, child)

    def update(self, *args, **kwargs):
        direct = self.nodes(level=1, include_self=False).unique()
        projections = direct.subset(Projection)
        dynamics = direct.subset(Dynamic)
        others = direct.not_subset(Projection).not_subset(Dynamic)
        for group in (projections, dynamics, others):
            for node in group.values():
                node()


Network = DynSysGroup


def _require_node(name, value):
    if not isinstance(value, DynamicalSystem):
        raise ParameterError(f"{name} must be a DynamicalSystem, got {type(value).__name__}")


def reset_level(level=0):
    """Decorates a ``reset_state`` so that ``bp.reset_state`` runs it at ``level`` (0..9), after
    every node without a level and before higher levels."""
    if isinstance(level, bool) or not isinstance(level, int) or level not in _RESET_LEVELS:
        raise ParameterError(f"level must be an integer in 0..9, got {level!r}")

    def wrap(fn):
        fn.reset_level = level
        return fn

    return wrap


def reset_state(target, *args, **kwargs):
    """Resets every node below ``target`` (``target`` included), each exactly once, through its
    own local ``reset_state(*args, **kwargs)``."""
    _require_node("target", target)
    nodes = list(target.nodes().unique().values())
    levels = [getattr(node.reset_state, "reset_level", None) for node in nodes]
    for node, lvl in zip(nodes, levels):
        if lvl is None:
            node.reset_state(*args, **kwargs)
    for k in _RESET_LEVELS:
        for node, lvl in zip(nodes, levels):
            if lvl == k:
                node.reset_state(*args, **kwargs)


def check_batch(batch_or_mode):
    """Built-ins run unbatched: ``reset_state(batch_size)`` accepts only None."""
    if batch_or_mode is not None:
        raise ParameterError(
            f"batch_size must be None (brainrs runs unbatched), got {batch_or_mode!r}"
        )


