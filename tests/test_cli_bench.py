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


# -- nnviz bench train ----------------------------------------------------------------------------

def test_train_bench_without_torch_reports_nnviz_alone(mnist, monkeypatch):
    """A tiny run of the real benchmark with torch unavailable: every configuration's figures,
    test accuracy evaluated the same way, the targets stated, and torch said to be missing."""
    import nnviz.bench.train_bench as train_bench
    from nnviz.core.blas import blas_threads

    monkeypatch.setattr(train_bench, "torch_available", lambda: False)
    lines = []
    train, test = mnist.train.subset(slice(0, 300)), mnist.test.subset(slice(0, 100))
    out = train_bench.run(train, test, repeats=1, log=lines.append)
    json.dumps(out)  # plain JSON
    assert out["torch"].startswith("not installed") and "torch==2.13.0" in out["torch"]
    assert out["threads"] == blas_threads() and out["test_samples"] == 100
    for key, batch, eta, momentum in train_bench.CONFIGS:
        row = out[key]
        assert (row["batch"], row["eta"], row["momentum"]) == (batch, eta, momentum)
        assert row["nnviz_s"] > 0 and 0 <= row["nnviz_test_accuracy"] <= 1
        assert "torch_s" not in row and "speedup_vs_torch" not in row
        assert ("per_sample_s" in row) == (momentum == 0)
    _, net = train_bench.nnviz_epoch(train, 10)  # the same run as the first repeat
    assert out["batch_10"]["nnviz_test_accuracy"] == train_bench.evaluated_accuracy(
        net.weights, net.biases, test)
    targets = out["targets"]
    assert targets["speedup_vs_torch"]["met"] is None  # not measured without torch
    assert isinstance(targets["speedup_vs_per_sample"]["met"], bool)
    assert targets["momentum_cost"]["at_most"] and targets["momentum_cost"]["target"] == 1.15
    assert any(line.startswith("torch: not installed") for line in lines)
    assert any("batch  10, η 3, μ 0: nnviz" in line for line in lines)


def test_bench_train_measures_test_accuracy_on_the_test_set(mnist, monkeypatch, capsys):
    class Small:
        train, test = mnist.train.subset(slice(0, 200)), mnist.test.subset(slice(0, 50))

    monkeypatch.setattr(nnviz.data, "load_mnist", lambda: Small)
    code = main(["bench", "train", "--json", "--repeats", "1", "--no-reference", "--no-torch"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["samples"], out["test_samples"]) == (200, 50)
    assert out["torch"].startswith("skipped")


def test_bench_open_reports_seconds_and_peak_memory_against_the_targets(monkeypatch, capsys):
    """The real benchmark opens a 269 MB network; here two small ones, in real processes."""
    import nnviz.bench.open_bench as open_bench

    real = open_bench.run
    monkeypatch.setattr(open_bench, "run", lambda repeats, log: real(
        repeats, networks=((20, 30, 10), (5, 4, 3)), log=log))
    assert main(["bench", "open", "--repeats", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [r["network"] for r in result["networks"]] == ["20-30-10", "5-4-3"]
    small = result["networks"][0]
    assert small["parameters"] == 20 * 30 + 30 + 30 * 10 + 10
    assert small["target_peak_mb"] == (2 * 8 * small["parameters"] + 400e6) / 1e6
    assert small["target_seconds"] == 4.0
    assert 0 < small["seconds"] and 0 < small["cpu_seconds"]
    assert 50 < small["peak_mb"] < small["target_peak_mb"]  # a Qt process, far from the target
    assert small["met"] == (small["seconds"] <= 4.0)
    assert result["met"] == all(r["met"] for r in result["networks"])


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


# -- targets in every benchmark's JSON ---------------------------------------------------------

def test_targets_state_the_measured_value_and_whether_it_was_met():
    from nnviz.bench.targets import state, target

    lines = []
    out = state({}, {"p99": target(7.5, 5.0, at_most=True),
                     "ratio": target(0.97, 0.95, at_most=False),
                     "torch": target(None, 2.0, at_most=False)}, lines.append)
    json.dumps(out)
    assert out["targets"]["p99"] == {"target": 5.0, "at_most": True, "measured": 7.5,
                                     "met": False}
    assert out["targets"]["ratio"]["met"] is True and out["targets"]["torch"]["met"] is None
    assert out["reached"] is False
    assert lines == ["target p99 ≤ 5: 7.5, NOT met", "target ratio ≥ 0.95: 0.97, met",
                     "target torch ≥ 2: not measured, not measured"]
    assert state({}, {"ratio": target(0.97, 0.95, at_most=False)})["reached"] is True


def test_time_to_accuracy_states_its_targets_with_the_seconds_to_98_percent(mnist):
    from nnviz.bench.fidelity import time_to_accuracy

    class Small:
        train, test = mnist.train.subset(slice(0, 200)), mnist.test.subset(slice(0, 50))

    out = time_to_accuracy(Small, seeds=1, log=lambda line: None)
    json.dumps(out)
    assert set(out["targets"]) == {"one_epoch_min_accuracy", "one_epoch_max_seconds",
                                   "default_min_accuracy", "default_max_seconds",
                                   "seconds_to_98"}
    t = out["targets"]["seconds_to_98"]
    assert t["target"] == 3.0 and t["at_most"]
    full = [r for r in out["runs"] if r["epochs"] > 1][0]
    if max(acc for _, acc in full["curve"]) < 0.98:  # 200 images: 98% is out of reach
        assert t["measured"] is None and t["met"] is False and out["reached"] is False
    else:
        assert t["measured"] == next(s for s, acc in full["curve"] if acc >= 0.98)
