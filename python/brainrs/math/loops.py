"""``bm.for_loop``: call a function once per element of its operands and stack the outputs.

This is the eager loop (each call runs the engine kernels at once); the traced fast path that
runs the whole loop in Rust is built on the same signature.
"""

import numpy as np

from .. import _trace

__all__ = ["for_loop"]


def _length(operands):
    lengths = {len(op) for op in operands}
    if len(lengths) != 1:
        from ..errors import ShapeError

        raise ShapeError(
            f"operands must all have the same length along axis 0, got lengths {sorted(lengths)}"
        )
    return lengths.pop()


def _stack(outputs):
    """Stacks a list of per-step outputs, keeping tuples, lists and dicts as containers."""
    first = outputs[0]
    if first is None:
        return None
    if isinstance(first, tuple):
        return tuple(_stack([o[k] for o in outputs]) for k in range(len(first)))
    if isinstance(first, list):
        return [_stack([o[k] for o in outputs]) for k in range(len(first))]
    if isinstance(first, dict):
        return {k: _stack([o[k] for o in outputs]) for k in first}
    return np.stack([np.asarray(o) for o in outputs])


def for_loop(body, operands, reverse=False, unroll=1, remat=False, jit=None,
             progress_bar=False, unroll_kwargs=None, strict=False, check_finite=False):
    """``body(*xs)`` for each slice ``xs`` of ``operands`` along axis 0; the outputs stacked.

    ``operands`` is one array or a tuple/list of arrays of equal length. By default (``jit``
    None or True) the body is traced once and every step runs in Rust; a body that cannot be
    traced runs eagerly after one ``TraceFallbackWarning`` saying why, or raises ``TraceError``
    with ``strict=True``. ``jit=False`` runs eagerly. ``progress_bar`` shows a tqdm bar.
    ``unroll``, ``remat`` and ``unroll_kwargs`` are accepted for BrainPy compatibility.
    ``check_finite=True`` (traced loops) stops the loop at the end of the first step after which
    a population's V or a synapse's g is NaN or infinite, with a ``NumericalError`` naming the
    node, the neuron and the step (the state keeps that step; use ``bp.DSRunner`` to check an
    eager run too).
    """
    single = not isinstance(operands, (tuple, list))
    ops = [operands] if single else list(operands)
    ops = [op.value if hasattr(op, "_store") else op for op in ops]
    n = _length(ops)
    if jit is not False and not reverse and n > 0:
        traced = _trace.run_traced(
            (lambda x: body(x)) if single else body, ops, progress_bar=progress_bar,
            strict=strict, check_finite=check_finite,
        )
        if traced is not _trace.NOT_TRACED:
            return traced
    if check_finite:
        from ..errors import ParameterError

        raise ParameterError("check_finite needs a traced loop (this one runs eagerly); "
                             "bp.DSRunner(check_finite=True) also checks eager runs")
    order = range(n - 1, -1, -1) if reverse else range(n)
    if progress_bar:
        from tqdm.auto import tqdm

        order = tqdm(order, total=n)
    outputs = []
    for k in order:
        xs = [op[k] for op in ops]
        outputs.append(body(xs[0]) if single else body(*xs))
    if reverse:
        outputs.reverse()
    if n == 0:
        return None
    return _stack(outputs)
