"""Argument checks shared by the Python API: each raises a typed error that names the parameter,
what was expected and what was given, before anything is built or changed."""

import math
import numbers

import numpy as np

from .errors import ParameterError, ShapeError


def number(name, value, *, positive=False, non_negative=False):
    """A finite real scalar (optionally > 0 or >= 0), as a Python float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise ParameterError(f"{name} must be a finite number, got {value!r}")
    arr = np.asarray(value)
    if arr.ndim != 0:
        raise ParameterError(
            f"{name} must be a scalar (brainrs takes one value for the whole group), "
            f"got an array of shape {arr.shape}"
        )
    v = float(arr)
    if not math.isfinite(v):
        raise ParameterError(f"{name} must be a finite number, got {v}")
    if positive and not v > 0:
        raise ParameterError(f"{name} must be a finite number > 0, got {v}")
    if non_negative and not v >= 0:
        raise ParameterError(f"{name} must be a finite number >= 0, got {v}")
    return v


def probability(name, value):
    """A probability in (0, 1]."""
    try:
        v = number(name, value)
    except ParameterError:
        v = float("nan") if isinstance(value, float) else value
    if not (isinstance(v, float) and 0.0 < v <= 1.0):
        raise ParameterError(f"{name} must be a probability in (0, 1], got {v!r}")
    return v


def count(name, value):
    """A positive integer (a number of neurons, inputs or outputs)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral,)):
        raise ParameterError(f"{name} must be a positive integer, got {value!r}")
    if int(value) < 1:
        raise ParameterError(f"{name} must be a positive integer, got {value}")
    return int(value)


def shape(name, size):
    """A population size: an int or a tuple of ints, each >= 1. Returns a tuple."""
    if isinstance(size, (tuple, list)):
        if not size:
            raise ShapeError(f"{name} must be a positive int or a non-empty tuple, got {size!r}")
        return tuple(count(name, s) for s in size)
    return (count(name, size),)


def exp_euler(method):
    """Built-in models integrate with exponential Euler only (BrainPy's 'exp_auto')."""
    if method != "exp_auto":
        raise ParameterError(f"method must be 'exp_auto' (exponential Euler), got {method!r}")


def population(size):
    """``(varshape, num)`` of a population of ``size`` (an int or a tuple of ints)."""
    varshape = shape("size", size)
    return varshape, math.prod(varshape)
