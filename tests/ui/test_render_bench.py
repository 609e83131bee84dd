"""The render benchmark's measuring code runs and returns sane figures (no timing targets here:
speed is checked by ``nnviz bench render``, never by assertions on a shared machine)."""

import numpy as np

from nnviz.bench import render_bench
from nnviz.data import load_mnist


def test_nnviz_and_naive_frames_measure_something(qapp):
    sizes = [784, 6, 10]
    live, full = render_bench.nnviz_frames(sizes, load_mnist(), 3)
    naive = render_bench.naive_frames([784, 2, 10], 1)
    for ms in (live, full, naive):
        assert np.isfinite(ms) and ms > 0
