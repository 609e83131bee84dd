"""`nnviz train` and friends: argument errors are one line with exit code 2; runs report JSON."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.netfile import load_network


@pytest.mark.parametrize("args,message", [
    (["--eta", "abc"], "expected a number"),
    (["--eta", "-1"], "η must be a positive number"),
    (["--eta", "inf"], "finite"),
    (["--batch", "0"], "≥ 1"),
    (["--epochs", "two"], "whole number"),
    (["--layers", "784,x,10"], "whole numbers"),
    (["--layers", "784"], "at least an input and an output"),
    (["--layers", "100,30,10"], "first size must be 784"),
    (["--layers", "784,30,9"], "last 10"),
    (["--layers", "784,5000,10"], "between 1 and 4096"),
    (["--activation", "swish"], "unknown activation"),
    (["--activation", "relu,relu,relu"], "lists 3 names but the network has 2"),
    (["--activation", "relu,relu"], "needs a softmax output layer"),
    (["--activation", "softmax,softmax"], "only allowed on the output layer"),
    (["--cost", "hinge"], "invalid choice"),
    (["--cost", "cross-entropy", "--activation", "relu,tanh"], "needs a sigmoid output"),
    (["--momentum", "1"], "momentum"),
    (["--l2", "-2"], "L2"),
    (["--early-stop", "3"], "needs a validation set"),
    (["--validation", "70000"], "leaves no training images"),
    (["--data", "/definitely/not/here"], "not/here"),
    (["--schedule", "warp"], "invalid choice"),
    (["--nonsense"], "unrecognized arguments"),
])
def test_bad_arguments_exit_2_with_one_line(args, message, capsys):
    with pytest.raises(SystemExit) as exc:
        code = main(["train", *args])
        raise SystemExit(code)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_short_run_prints_epochs_and_json(tmp_path, capsys, mnist):
    path = tmp_path / "net.npz"
    code = main(["train", "--layers", "784,20,10", "--train-size", "2000", "--test-size", "500",
                 "--epochs", "2", "--seed", "3", "--validation", "200", "--batch", "64",
                 "--eta", "0.1", "--save", str(path), "--json"])
    assert code == 0
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == 1 and "epoch   1/2" in captured.err  # progress on stderr
    summary = json.loads(lines[-1])
    for key in ("test_accuracy", "best_test_accuracy", "epochs", "seconds",
                "samples_per_second", "history"):
        assert key in summary
    assert summary["epochs"] == 2 and len(summary["history"]) == 2
    assert set(summary["history"][0]) >= {"epoch", "train_cost", "test_cost", "test_accuracy"}
    assert summary["best_test_accuracy"] > 0.7
    assert summary["samples_per_second"] == pytest.approx(2 * 1800 / summary["seconds"])
    assert summary["config"]["train_size"] == 1800 and summary["seed"] == 3
    net = load_network(path)
    assert net.sizes == [784, 20, 10] and net.activation_names == ["relu", "softmax"]
    # The saved network is the trained one: it scores what the last epoch reported.
    acc = net.evaluate(mnist.test.subset(slice(0, 500)))[1]
    assert acc == pytest.approx(summary["test_accuracy"], abs=0.004)


def test_same_seed_same_run(capsys):
    args = ["train", "--layers", "784,10,10", "--train-size", "500", "--test-size", "200",
            "--epochs", "1", "--seed", "11", "--json"]
    main(args)
    first = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    main(args)
    second = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert first["history"][0]["test_cost"] == second["history"][0]["test_cost"]


def test_articles_network_from_flags(capsys):
    code = main(["train", "--layers", "784,30,10", "--activation", "sigmoid", "--cost",
                 "quadratic", "--init", "standard", "--eta", "3", "--batch", "10",
                 "--momentum", "0", "--schedule", "constant", "--train-size", "3000",
                 "--test-size", "500", "--epochs", "1", "--seed", "0", "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["network"]["activations"] == ["sigmoid", "sigmoid"]
    assert summary["network"]["init"] == "standard"


def test_divergence_exits_1_with_reason(capsys):
    code = main(["train", "--layers", "784,10,10", "--activation", "linear,linear", "--cost",
                 "quadratic", "--eta", "50", "--momentum", "0.9", "--train-size", "500",
                 "--test-size", "100", "--epochs", "3", "--seed", "0", "--json"])
    assert code == 1
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["reason"] == "diverged" and "smaller η" in summary["message"]


def test_python_dash_m_is_the_same_command():
    out = subprocess.run([sys.executable, "-m", "nnviz", "train", "--batch", "0"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "batch" in out.stderr and "Traceback" not in out.stderr
    out = subprocess.run([sys.executable, "-m", "nnviz", "--version"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("nnviz ")


# -- nnviz info ---------------------------------------------------------------------------------

def test_info_describes_a_saved_network(tmp_path, capsys):
    from nnviz.core import Network
    from nnviz.core.netfile import save_network

    path = tmp_path / "net.npz"
    save_network(Network([784, 30, 10], "sigmoid", "quadratic", seed=0), path)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"{path}: nnviz network, format version 1",
        "layers: 784-30-10 (sigmoid, sigmoid), cost quadratic, init standard",
        "parameters: 23,860",
        "provenance: none (not saved by a training run: a preset, a network made by hand or an "
        "imported one)",
    ]
    assert out.err == ""
    assert main(["info", str(path), "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == {
        "path": str(path), "format": "nnviz-network", "version": 1, "sizes": [784, 30, 10],
        "activations": ["sigmoid", "sigmoid"], "cost": "quadratic", "init": "standard",
        "n_parameters": 23860, "provenance": None, "edited_after_training": None}


@pytest.mark.parametrize("content,message", [
    (None, "no such file"),
    (b"PK\x03\x04 this is not really a zip archive", "damaged or not an nnviz network file"),
    ("truncated", "damaged or not an nnviz network file"),
    ("pickled", "w1 holds Python objects (pickled data)"),
])
def test_info_on_a_bad_file_is_one_line_and_exit_2(content, message, tmp_path, capsys):
    from nnviz.core import Network
    from nnviz.core.netfile import save_network

    path = tmp_path / "net.npz"
    if content == "truncated":
        save_network(Network([4, 3, 2], seed=0), path)
        path.write_bytes(path.read_bytes()[:-100])
    elif content == "pickled":
        header = {"format": "nnviz-network", "version": 1, "sizes": [1, 1],
                  "activations": ["sigmoid"], "cost": "quadratic", "init": "standard"}
        np.savez(path, header=np.frombuffer(json.dumps(header).encode(), np.uint8),
                 w1=np.array([[None]], dtype=object), b1=np.zeros(1))
    elif content is not None:
        path.write_bytes(content)
    for extra in ([], ["--json"]):
        assert main(["info", str(path), *extra]) == 2
        out = capsys.readouterr()
        assert out.out == ""
        assert out.err.startswith(f"nnviz info: error: {path}: ") and message in out.err
        assert len(out.err.strip().splitlines()) == 1 and "Traceback" not in out.err


def test_info_needs_a_path_and_never_imports_qt(tmp_path):
    out = subprocess.run([sys.executable, "-m", "nnviz", "info"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2 and "PATH" in out.stderr and "Traceback" not in out.stderr
    code = ("import sys; from nnviz.cli import main; from nnviz.core import Network; "
            "from nnviz.core.netfile import save_network; "
            f"save_network(Network([3, 2], seed=0), {str(tmp_path / 'n.npz')!r}); "
            f"code = main(['info', {str(tmp_path / 'n.npz')!r}]); "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]; "
            "sys.exit(code)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "layers: 3-2 (sigmoid), cost quadratic, init standard" in out.stdout


def test_a_screenshot_at_the_update_stage_exits(tmp_path):
    """The update stage takes a gradient step (an undo step): the screenshot run must still end
    by itself, not wait on the "unsaved changes?" question."""
    out = tmp_path / "update.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "nnviz", "--preset", "xor", "--stage", "99",
                           "--screenshot", str(out), "--size", "800x600"],
                          capture_output=True, text=True, timeout=120, env=env,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0 and out.stat().st_size > 0, done.stderr
