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


def test_render_reports_every_net_beside_its_targets(monkeypatch, mnist):
    """The four networks, each with live_ms, full_ms and naive_ms, printed beside the
    targets (stand-in timings: the measuring itself is tested above)."""
    timings = {784 * 30: (12.0, 90.0), 784 * 100: (15.0, 160.0)}
    monkeypatch.setattr(render_bench, "nnviz_frames",
                        lambda sizes, m, frames: timings.get(sizes[0] * sizes[1], (5.0, 50.0)))
    monkeypatch.setattr(render_bench, "naive_frames", lambda sizes, frames: 3000.0)
    monkeypatch.setattr("nnviz.data.load_mnist", lambda: mnist)
    lines = []
    out = render_bench.run_render(frames=2, log=lines.append)
    assert list(out) == ["784-30-10", "784-100-10", "784-256-10", "784-100-100-100-10"]
    for row in out.values():
        assert {"live_ms", "full_ms", "naive_ms"} <= set(row)
    assert out["784-100-10"]["full_ms"] == 160.0
    assert lines[1].startswith("784-100-10: live 15.0 ms/frame (target ≤ 20: met), full "
                               "160.0 ms/frame (target ≤ 150: NOT met)")
    assert lines[-1].startswith("targets: live ≤ 20 ms for every net: met; full ≤ 150 ms for "
                                "every net: NOT met")
