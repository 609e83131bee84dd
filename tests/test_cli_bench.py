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
