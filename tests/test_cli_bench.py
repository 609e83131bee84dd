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
