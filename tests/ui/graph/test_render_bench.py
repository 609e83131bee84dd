"""The render benchmark's measuring code runs and returns sane figures (no timing targets here:
speed is checked by ``nnviz bench render``, never by assertions on a shared machine)."""

import numpy as np

from nnviz.bench import render_bench


def test_nnviz_and_naive_frames_measure_something(qapp, mnist):
    sizes = [784, 6, 10]
    live, full = render_bench.nnviz_frames(sizes, mnist, 3)
    naive = render_bench.naive_frames([784, 2, 10], 1)
    for ms in (live, full, naive):
        assert np.isfinite(ms) and ms > 0


def test_the_draw_benchmark_times_every_pen_movement(qapp):
    from nnviz.bench import draw_bench

    lines = []
    out = draw_bench.run(log=lines.append)
    assert out["updates"] == sum(len(s) - 1 for s in draw_bench._STROKES)
    for key in ("update_ms", "update_p95_ms", "update_max_ms", "preprocess_ms", "forward_ms",
                "bars_ms"):
        assert np.isfinite(out[key]) and out[key] > 0
    assert out["update_ms"] <= out["update_p95_ms"] <= out["update_max_ms"]
    assert lines[-1].startswith("target: update ≤ 5 ms")
