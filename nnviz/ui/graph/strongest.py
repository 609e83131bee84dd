"""The level of detail of a dense layer's edges: which of its n_l·n_(l−1) edges are the
strongest ``cap`` by |w_jk| (times |a_k| when the activations feeding them are known).

A 4096×4096 layer has 16.8M edges: scoring them all at once and partitioning the scores
allocates over 500 MB and takes about a second. Instead the scores are made a block of rows
at a time (a few MB), against a threshold estimated from an evenly spread sample, so that only
the few candidates at or above it are kept and partitioned; the result is exactly the strongest
``cap`` (up to ties), as a partition of every score would give. numpy only.
"""

from __future__ import annotations

import numpy as np

#: Scores are made this many at a time.
BLOCK = 1 << 19
#: The sample's threshold aims at this many times ``cap`` candidates.
MARGIN = 3
#: At most about this many scores in the sample.
SAMPLE = 1 << 18


def strongest_edges(w: np.ndarray, a_prev: np.ndarray | None, cap: int) -> np.ndarray:
    """Indices into ``w.ravel()`` (row j, column k → j·n_in + k) of the ``cap`` edges with the
    largest score |w_jk|·|a_k| (|w_jk| when ``a_prev`` is None), leaving out edges whose score
    is 0 (an input at 0 shows none of its edges); all edges with a score above 0 when there
    are at most ``cap`` of them. Sorted ascending. w: (n_out, n_in); a_prev: (n_in,)."""
    n_out, n_in = w.shape
    weight = None if a_prev is None else np.abs(np.asarray(a_prev, dtype=float))
    rows = max(1, BLOCK // max(n_in, 1))

    def scores(r0: int, r1: int) -> np.ndarray:
        s = np.abs(w[r0:r1])
        if weight is not None:
            s *= weight
        return s.ravel()

    threshold = _threshold(w, weight, cap)
    while True:
        found = []
        for r0 in range(0, n_out, rows):
            s = scores(r0, min(n_out, r0 + rows))
            keep = np.flatnonzero((s >= threshold) & (s > 0))
            found.append((keep + r0 * n_in, s[keep]))
        idx = np.concatenate([i for i, _ in found]) if found else np.zeros(0, np.int64)
        val = np.concatenate([v for _, v in found]) if found else np.zeros(0)
        if idx.size >= cap or threshold == 0:
            break
        threshold = 0.0  # the sample misjudged: every edge with a score is a candidate
    if idx.size > cap:
        idx = idx[np.argpartition(val, -cap)[-cap:]]
    return np.sort(idx)


def _threshold(w: np.ndarray, weight: np.ndarray | None, cap: int) -> float:
    """A score that about MARGIN·cap edges reach, from every step-th edge (0: keep every
    edge with a score, when the layer is not much bigger than that)."""
    n = w.size
    if n <= 4 * MARGIN * cap:
        return 0.0
    step = max(1, n // min(64 * MARGIN * cap, SAMPLE))
    flat = np.abs(w.reshape(-1)[::step])
    if weight is not None:
        flat *= weight[(np.arange(0, n, step) % w.shape[1])]
    want = int(np.ceil(MARGIN * cap * flat.size / n))  # sample size × MARGIN·cap / n
    # Only the scores above 0 can reach it: leaving out the zeros (inputs at 0, most of an
    # MNIST digit) first makes the partition several times faster than over their ties.
    flat = flat[flat > 0]
    if want >= flat.size:
        return 0.0
    return float(np.partition(flat, flat.size - want)[flat.size - want])
