"""`nnviz bench fidelity`'s exit code says whether the published accuracies were reached (the
real benchmark trains for minutes: here its result is a stand-in)."""

import json

import pytest

import nnviz.bench.fidelity as fidelity
import nnviz.data
from nnviz.cli import main


def _row(name, best, target):
    return {"name": name, "published": target + 0.004, "target": target,
            "best_test_accuracy": best, "final_test_accuracy": best, "best_epoch": 3,
            "train_seconds": 1.0, "reached": best >= target}


@pytest.fixture
def fake_result(monkeypatch):
    rows = []
    monkeypatch.setattr(nnviz.data, "load_mnist", lambda: "mnist")

    def run(mnist, seed=0, log=print):
        assert mnist == "mnist"
        return {"seed": seed, "runs": list(rows),
                "reached": all(row["reached"] for row in rows)}

    monkeypatch.setattr(fidelity, "run", run)
    return rows


def test_a_missed_target_exits_1_naming_the_run(fake_result, capsys):
    fake_result += [_row("network.py", 0.955, 0.95), _row("network2.py", 0.97, 0.978)]
    assert main(["bench", "fidelity", "--json"]) == 1
    out = capsys.readouterr()
    assert json.loads(out.out)["reached"] is False
    assert out.err.strip().splitlines() == [
        "nnviz bench fidelity: target missed: network2.py: best test accuracy 97.00% is below "
        "the target 97.8%"]


def test_reached_targets_exit_0(fake_result, capsys):
    fake_result += [_row("network.py", 0.955, 0.95), _row("network2.py", 0.98, 0.978)]
    assert main(["bench", "fidelity"]) == 0
    assert capsys.readouterr().err == ""


def test_missed_lists_each_miss():
    result = {"runs": [_row("a", 0.5, 0.9), _row("b", 0.95, 0.9), _row("c", 0.1, 0.2)]}
    assert [line.split(":")[0] for line in fidelity.missed(result)] == ["a", "c"]


def test_landscape_bench_reports_its_figures():
    """`nnviz bench landscape` on a stand-in for MNIST (a few random images, some pixels
    blank): every figure, and the share of images the weight reaches."""
    import numpy as np

    from nnviz.bench.landscape_bench import PIXEL, run
    from nnviz.data.dataset import Dataset

    rng = np.random.default_rng(0)
    x = rng.random((20, 784))
    x[:5, PIXEL] = 0.0
    data = Dataset(x, rng.integers(0, 10, 20), name="stand-in", n_classes=10)
    lines = []
    out = run(type("MNIST", (), {"train": data})(), log=lines.append, samples=20)
    assert out["reached"] == 0.75 and out["reached_grid"] == 1.0
    assert out["samples"] == 20 and out["curve_points"] == 201 and out["grid_points"] == 1681
    for key in ("curve_ms", "curve_cpu_ms", "curve_bias_ms", "grid_ms", "grid_cpu_ms",
                "naive_curve_ms", "naive_grid_ms"):
        assert out[key] > 0
    assert lines[-1].startswith("targets: curve ≤ 50 ms")


def test_bench_landscape_prints_its_result_as_json(monkeypatch, capsys):
    import nnviz.bench.landscape_bench as landscape_bench

    monkeypatch.setattr(nnviz.data, "load_mnist", lambda: "mnist")
    monkeypatch.setattr(landscape_bench, "run",
                        lambda mnist, log=print: {"curve_ms": 1.0, "mnist": mnist})
    assert main(["bench", "landscape", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"curve_ms": 1.0, "mnist": "mnist"}
