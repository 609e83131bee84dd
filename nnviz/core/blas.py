"""How many threads numpy's BLAS (OpenBLAS) uses in this process: printed by ``nnviz train`` and
given to the PyTorch loop ``nnviz bench train`` compares with, so both use the same number."""

from __future__ import annotations

import ctypes
import os

#: The thread-count getters of the OpenBLAS builds numpy ships (plain, and 64-bit-integer
#: builds with their symbol suffix and prefix).
_GETTERS = ("openblas_get_num_threads", "openblas_get_num_threads64_",
            "scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads")


def blas_threads() -> int:
    """The threads of numpy's OpenBLAS as it reports them (Linux: the library loaded in this
    process); elsewhere what OPENBLAS_NUM_THREADS or OMP_NUM_THREADS say, else the CPU count
    (OpenBLAS's default)."""
    import numpy  # noqa: F401  (loads the library)

    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[5] for line in f
                     if len(line.split()) == 6 and "openblas" in line.split()[5].lower()}
    except OSError:
        paths = set()
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
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
