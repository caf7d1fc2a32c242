"""The engine's thread count: ``bm.set_num_threads(n)``, ``bm.get_num_threads()``.

The engine starts with ``BRAINRS_NUM_THREADS`` threads if that environment variable is set, else
one per core. Results are bit-identical for any thread count; small networks stay on one thread
whatever the setting (splitting them costs more than it saves).
"""

import numbers

from .. import _core
from ..errors import ParameterError

__all__ = ["set_num_threads", "get_num_threads"]


def set_num_threads(n):
    """Runs the engine's kernels on ``n`` (an integer from 1 to 1024) threads from now on."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= 1024:
        raise ParameterError(f"num_threads must be an integer from 1 to 1024, got {n!r}")
    _core.set_num_threads(int(n))


def get_num_threads():
    """The number of threads the engine's kernels use."""
    return _core.get_num_threads()
