"""How many threads numpy's BLAS (OpenBLAS) uses in this process: printed by ``nnviz train`` and
given to the PyTorch loop ``nnviz bench train`` compares with, so both use the same number.

``nnviz train`` and ``nnviz bench`` train with one BLAS thread (``prefer_one_thread``) unless
the user set OPENBLAS_NUM_THREADS or OMP_NUM_THREADS: the products of the networks nnviz trains
are small (784×30 weights, mini-batches of 10–1000), so a second thread buys almost nothing on a
quiet machine and costs many times the work on a busy one, where OpenBLAS's threads wait for a
core (784-30-10 on 2 cores under load: batch-100 steps 15–45x slower with two threads than with
one, batch 10 the same, the test set's evaluation 4–10x slower). The worker process of the app
starts with one thread for the same reason (nnviz.worker.child)."""

from __future__ import annotations

import ctypes
import os

#: The thread-count getters of the OpenBLAS builds numpy ships (plain, and 64-bit-integer
#: builds with their symbol suffix and prefix).
_GETTERS = ("openblas_get_num_threads", "openblas_get_num_threads64_",
            "scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads")


#: Environment variables with which a user chooses the thread count (kept when set).
USER_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")


def _libraries():
    """The OpenBLAS libraries loaded in this process (Linux), as ctypes handles."""
    import numpy  # noqa: F401  (loads the library)

    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[5] for line in f
                     if len(line.split()) == 6 and "openblas" in line.split()[5].lower()}
    except OSError:
        paths = set()
    for path in sorted(paths):
        try:
            yield ctypes.CDLL(path)
        except OSError:
            continue


def set_blas_threads(n: int) -> bool:
    """Set numpy's OpenBLAS in this process to ``n`` threads now; True if a loaded library
    took it."""
    for lib in _libraries():
        for name in _GETTERS:
            setter = getattr(lib, name.replace("_get_", "_set_"), None)
            if setter is not None:
                setter(int(n))
                return True
    return False


def prefer_one_thread(environ=None) -> bool:
    """One BLAS thread unless the user chose a count in ``environ`` (default os.environ);
    True if this set it."""
    environ = os.environ if environ is None else environ
    if any(environ.get(var) for var in USER_VARIABLES):
        return False
    set_blas_threads(1)
    return True


def blas_threads() -> int:
    """The threads of numpy's OpenBLAS as it reports them (Linux: the library loaded in this
    process); elsewhere what OPENBLAS_NUM_THREADS or OMP_NUM_THREADS say, else the CPU count
    (OpenBLAS's default)."""
    for lib in _libraries():
        for name in _GETTERS:
            getter = getattr(lib, name, None)
            if getter is not None:
                n = int(getter())
                if n >= 1:
                    return n
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        try:
            n = int(os.environ.get(var, ""))
        except ValueError:
            continue
        if n >= 1:
            return n
    return os.cpu_count() or 1
