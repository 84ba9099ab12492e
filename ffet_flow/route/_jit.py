"""`njit`: numba's nopython compiler when it is installed and not switched off, else the plain
Python function (the same code; the router's kernels are written in numba's subset).

Set `FFET_NO_JIT=1` to run the kernels as Python (slow; for tests that compare the two paths
and for debugging).
"""

from __future__ import annotations

import os


def _identity(*args, **kwargs):
    if args and callable(args[0]) and len(args) == 1 and not kwargs:
        return args[0]
    return lambda f: f


if os.environ.get("FFET_NO_JIT"):
    njit = _identity
    JIT = False
else:
    try:
        from numba import njit  # noqa: F401
        JIT = True
    except ImportError:  # pragma: no cover - numba is a declared dependency
        njit = _identity
        JIT = False
