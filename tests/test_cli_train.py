"""`nnviz train`: the summary describes the returned (saved) network, one activation name means
the hidden layers, the step schedule's period, JSON alone on stdout, Ctrl-C, checks before
training."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.constants import TRAIN_DEFAULTS
from nnviz.core.netfile import load_network, network_info
from nnviz.data.idx import write_idx
from nnviz.data.mnist import MNIST_FILES

#: A small run: mini-batches of 64 (the default 256 would make 4 updates an epoch of 1,000).
SMALL = ["--layers", "784,20,10", "--train-size", "1000", "--test-size", "300", "--batch", "64"]
ROOT = Path(__file__).resolve().parents[1]


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_json_test_accuracy_is_the_saved_networks_after_early_stopping(tmp_path, capsys, mnist):
    path = tmp_path / "net.npz"
    code = main(["train", "--layers", "784,20,10", "--train-size", "2000", "--test-size", "500",
                 "--epochs", "6", "--seed", "1", "--validation", "300", "--early-stop", "1",
                 "--eta", "0.5", "--batch", "64", "--save", str(path), "--json"])
    assert code == 0
    summary = _json(capsys)
    assert summary["reason"] == "early-stopped" and "epoch 1" in summary["message"]
    last = summary["history"][-1]["test_accuracy"]
    kept = summary["history"][0]["test_accuracy"]
    assert kept != last
    assert summary["test_accuracy"] == kept
    assert summary["best_epoch"] == 1
    saved = load_network(path).evaluate(mnist.test.subset(slice(0, 500)))[1]
    assert saved == pytest.approx(summary["test_accuracy"], abs=0.004)
    prov = network_info(path)["provenance"]  # the saved (kept) network's figures, not the last
    assert prov["training"]["kept_epoch"] == 1 and prov["training"]["stopped"] == "early-stopped"
    assert prov["result"]["test_accuracy"] == summary["test_accuracy"]
    assert prov["result"]["validation_accuracy"] == summary["validation_accuracy"]


def test_summary_reports_the_saved_network_and_labels_the_best_epoch(tmp_path, capsys, mnist):
    path = tmp_path / "net.npz"
    code = main(["train", *SMALL, "--epochs", "4", "--seed", "1", "--eta", "0.5",
                 "--schedule", "constant", "--save", str(path)])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    accs = [float(line.split("test accuracy ")[1].split("%")[0]) for line in lines
            if line.startswith("epoch")]
    assert len(accs) == 4 and max(accs) > accs[-1]
    saved = load_network(path).evaluate(mnist.test.subset(slice(0, 300)))[1]
    summary = lines[-1]
    assert f"Test accuracy of the saved network: {saved:.2%}" in summary
    assert f"Best epoch by test accuracy {accs.index(max(accs)) + 1}: {max(accs):.2f}%" in summary
    assert "not a fair estimate" in summary and "--validation" in summary
    assert f"Saved the final weights to {path}" in summary


@pytest.mark.parametrize("activation,cost,expected", [
    ("relu", "quadratic", ["relu", "sigmoid"]),
    (None, "quadratic", ["relu", "sigmoid"]),  # the default spelled out or not: the same net
    ("tanh", "log-likelihood", ["tanh", "softmax"]),
    ("relu,linear", "quadratic", ["relu", "linear"]),  # a full list sets the output too
    ("sigmoid,sigmoid", "quadratic", ["sigmoid", "sigmoid"]),
])
def test_one_activation_means_the_hidden_layers(activation, cost, expected, capsys):
    args = ["train", *SMALL, "--epochs", "1", "--seed", "0", "--cost", cost, "--json"]
    if activation is not None:
        args += ["--activation", activation]
    assert main(args) == 0
    assert _json(capsys)["network"]["activations"] == expected


def test_step_schedule_halves_every_step_epochs(capsys):
    code = main(["train", *SMALL, "--epochs", "4", "--seed", "0", "--schedule", "step",
                 "--step-epochs", "2", "--eta", "0.2"])
    assert code == 0
    out = capsys.readouterr().out
    assert "η = 0.2 halves every 2 epochs" in out
    main(["train", *SMALL, "--epochs", "4", "--seed", "0", "--schedule", "step",
          "--step-epochs", "2", "--eta", "0.2", "--json"])
    captured = capsys.readouterr()
    assert [h["eta"] for h in json.loads(captured.out)["history"]] == [0.2, 0.2, 0.1, 0.1]
    assert "halves every 2 epochs" in captured.err
    main(["train", *SMALL, "--epochs", "3", "--seed", "0", "--schedule", "step"])
    assert "halves every 10 epochs (not within this run)" in capsys.readouterr().out


def test_step_epochs_needs_the_step_schedule(capsys):
    assert main(["train", "--step-epochs", "2"]) == 2
    err = capsys.readouterr().err
    assert "--step-epochs needs --schedule step" in err and len(err.strip().splitlines()) == 1


def test_json_alone_on_stdout(capsys):
    code = main(["train", *SMALL, "--epochs", "2", "--seed", "0", "--json"])
    assert code == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["epochs"] == 2  # the whole of stdout is one JSON document
    assert len(captured.out.strip().splitlines()) == 1
    assert "epoch   1/2" in captured.err and "epoch   2/2" in captured.err


@pytest.mark.parametrize("where,message", [
    ("missing/net.npz", "does not exist"),
    (".", "is a folder"),
])
def test_a_bad_save_path_fails_before_training(where, message, tmp_path, capsys):
    code = main(["train", *SMALL, "--epochs", "1", "--save", str(tmp_path / where)])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing trained
    assert message in captured.err and len(captured.err.strip().splitlines()) == 1
    assert ".tmp" not in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("empty", ["train", "test"])
def test_an_empty_idx_set_is_one_line_and_exit_2(empty, tmp_path, capsys):
    for part in ("train", "test"):
        n = 0 if part == empty else 5
        write_idx(tmp_path / MNIST_FILES[f"{part}_images"], np.zeros((n, 28, 28), np.uint8))
        write_idx(tmp_path / MNIST_FILES[f"{part}_labels"], np.arange(n, dtype=np.uint8))
    code = main(["train", "--data", str(tmp_path), "--epochs", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "has no images" in err and len(err.strip().splitlines()) == 1


def test_ctrl_c_stops_cleanly_saves_and_exits_130(tmp_path):
    path = tmp_path / "net.npz"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "nnviz", "train", "--layers", "784,64,10", "--epochs", "1000",
         "--seed", "0", "--train-size", "5000", "--test-size", "500", "--save", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("epoch"):
            proc.send_signal(signal.SIGINT)
            break
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err == ""
    summary = (("".join(lines) + out).strip().splitlines())[-1]
    assert summary.startswith("cancelled: cancelled by the user.")
    assert "Saved the weights" in summary and str(path) in summary
    assert load_network(path).sizes == [784, 64, 10]


def _settings(text: str) -> dict:
    """The settings block printed before the first epoch, as {key: value}."""
    lines = text.splitlines()
    start = lines.index("settings:")
    block = {}
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        key, _, value = line.strip().partition(" ")
        block[key] = value.strip()
    return block


def test_every_setting_in_effect_is_printed_before_training(capsys, monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    code = main(["train", "--layers", "784,16,10", "--train-size", "600", "--test-size", "200",
                 "--validation", "100", "--epochs", "2", "--seed", "5", "--eta", "0.3",
                 "--batch", "32", "--momentum", "0.5", "--l2", "0.25", "--schedule", "step",
                 "--step-epochs", "1", "--early-stop", "3", "--dtype", "float64", "--json"])
    assert code == 0
    captured = capsys.readouterr()
    json.loads(captured.out)  # stdout stays pure JSON: the block goes to stderr
    assert captured.err.index("settings:") < captured.err.index("epoch   1/2")
    block = _settings(captured.err)
    assert list(block) == ["network", "training", "schedule", "stopping", "data", "threads"]
    assert block["network"] == ("784-16-10 (relu, softmax), cost log-likelihood, init he (by "
                                "--init auto)")
    assert block["training"] == ("η 0.3, mini-batch 32, epochs 2, momentum 0.5, L2 λ 0.25, "
                                 "dtype float64, seed 5")
    assert block["schedule"] == "step: η = 0.3 halves every 1 epochs"
    assert block["stopping"].startswith("after 2 epochs, or 3 epochs without validation")
    assert block["data"].startswith("MNIST (bundled with nnviz) (train-images-idx3-ubyte")
    assert ("500 training images (first 600 of 60000), 100 validation" in block["data"]
            and "200 test (first 200 of 10000)" in block["data"])
    # One thread: faster for these small products (see nnviz.core.blas)
    assert block["threads"].startswith("one process, numpy BLAS with 1 thread(s) (one is faster")
    main(["train", *SMALL, "--epochs", "1", "--seed", "0", "--cost", "quadratic",
          "--init", "scaled", "--schedule", "constant"])
    out = capsys.readouterr().out
    assert out.index("settings:") < out.index("epoch   1/1")
    block = _settings(out)
    assert block["network"] == "784-20-10 (relu, sigmoid), cost quadratic, init scaled"
    assert block["schedule"] == f"constant: η = {TRAIN_DEFAULTS['eta']:g} throughout"
    assert block["stopping"] == "after 1 epochs"


def test_saved_network_carries_its_provenance_and_info_shows_it(tmp_path, capsys, mnist):
    path = tmp_path / "net.npz"
    code = main(["train", *SMALL, "--epochs", "2", "--seed", "4", "--eta", "0.2",
                 "--validation", "100", "--save", str(path), "--json"])
    assert code == 0
    summary = _json(capsys)
    info = network_info(path)
    prov, net = info["provenance"], load_network(path)
    assert info["edited_after_training"] is False
    assert prov["made_by"] == "nnviz train" and prov["nnviz_version"]
    assert prov["training"] == {
        "eta": 0.2, "batch_size": 64, "epochs_asked": 2, "epochs_completed": 2,
        "momentum": 0.9, "schedule": "cosine", "l2": 0.0, "dtype": "float32", "seed": 4,
        "stopped": "completed", "kept_epoch": 2,
        "train_seconds": prov["training"]["train_seconds"]}
    assert prov["data"]["train_images"] == 900 and prov["data"]["validation_images"] == 100
    assert prov["data"]["test_images"] == 300 and prov["data"]["train_subset"] == 1000
    assert prov["data"]["train_images_file"].startswith("train-images-idx3-ubyte")
    assert prov["result"]["test_accuracy"] == summary["test_accuracy"]
    assert prov["result"]["validation_accuracy"] == summary["validation_accuracy"]
    train = mnist.train.subset(slice(0, 1000)).split(100, seed=4)[0]
    assert prov["result"]["train_accuracy"] == pytest.approx(net.evaluate(train)[1])
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "provenance: made by nnviz train" in out
    assert "seed 4" in out and "weights:   as trained" in out
    assert main(["info", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["provenance"] == prov


def test_an_effective_step_far_above_what_the_cost_tolerates_is_warned_about(capsys):
    """The articles' η = 3 with the default momentum 0.9 is an effective step of 30."""
    main(["train", *SMALL, "--epochs", "1", "--seed", "0", "--eta", "3"])
    err = capsys.readouterr().err
    assert "warning: the effective step η/(1 − μ) = 3/(1 − 0.9) = 30 is far above" in err
    assert "add --momentum 0" in err
    main(["train", *SMALL, "--epochs", "1", "--seed", "0", "--eta", "3", "--json"])
    assert json.loads(capsys.readouterr().out)["warnings"][0].startswith("nnviz train: warning")
    main(["train", *SMALL, "--epochs", "1", "--seed", "0", "--eta", "3", "--momentum", "0",
          "--cost", "quadratic", "--activation", "sigmoid"])  # the articles' recipe
    main(["train", *SMALL, "--epochs", "1", "--seed", "0"])  # the defaults: effective 1
    assert "warning" not in capsys.readouterr().err


def test_the_step_warning_follows_the_cost_and_the_momentum():
    from nnviz.cli.train import step_warning
    from nnviz.core.costs import get_cost

    quadratic = get_cost("quadratic")
    assert step_warning(3.0, 0.0, quadratic) is None
    assert step_warning(0.3, 0.9, quadratic) is None  # the same effective step
    assert "try a smaller --eta" in step_warning(30.0, 0.0, quadratic)
    assert "30" in step_warning(3.0, 0.9, get_cost("log-likelihood"))


def test_json_carries_each_layers_learning_speed(capsys):
    """The issue's check: 784-30-30-30-10 sigmoid's first layer learns over 10x slower than its
    third; ReLU's hidden layers within 3x of each other."""
    deep = ["--layers", "784,30,30,30,10", "--train-size", "1000", "--test-size", "100",
            "--epochs", "1", "--seed", "3", "--json"]
    assert main(["train", *deep, "--activation", "sigmoid", "--cost", "cross-entropy",
                 "--init", "scaled", "--weight-speed"]) == 0
    summary = _json(capsys)
    first, _, third, _ = summary["initial_learning_speed"]
    assert first < third / 10
    assert len(summary["history"][0]["learning_speed"]) == 4
    assert len(summary["initial_weight_speed"]) == 4
    assert len(summary["history"][0]["weight_speed"]) == 4
    assert main(["train", *deep, "--activation", "relu", "--cost", "log-likelihood",
                 "--init", "he"]) == 0
    summary = _json(capsys)
    hidden = summary["initial_learning_speed"][:3]
    assert max(hidden) < 3 * min(hidden)
    assert "initial_weight_speed" not in summary


def test_a_preset_trains_with_its_articles_settings_and_prints_them(capsys):
    code = main(["train", "--preset", "mnist-100", "--epochs", "1", "--train-size", "500",
                 "--test-size", "100", "--seed", "0", "--json"])
    assert code == 0
    captured = capsys.readouterr()
    block = _settings(captured.err)
    assert block["network"].startswith("784-100-10 (sigmoid, sigmoid), cost cross-entropy, init "
                                       "scaled, the weights of preset mnist-100; article's")
    assert block["training"] == ("η 0.1, mini-batch 10, epochs 1, momentum 0, L2 λ 5, "
                                 "dtype float32, seed 0")  # --epochs overrides the recipe's 60
    assert block["schedule"] == "constant: η = 0.1 throughout"
    summary = json.loads(captured.out)
    assert summary["config"]["l2"] == 5 and summary["config"]["momentum"] == 0
    main(["train", "--preset", "mnist-30", "--recipe", "fast", "--epochs", "1",
          "--train-size", "300", "--test-size", "100", "--seed", "0"])
    block = _settings(capsys.readouterr().out)
    assert "fast modern settings" in block["network"]
    assert "momentum 0.9" in block["training"] and block["schedule"].startswith("cosine")


def test_a_small_preset_trains_on_its_own_data(capsys):
    assert main(["train", "--preset", "chain", "--json", "--seed", "0"]) == 0
    summary = _json(capsys)
    assert summary["epochs"] == 100 and summary["config"]["batch"] == 1
    assert summary["history"][-1]["train_cost"] < summary["history"][0]["train_cost"] / 10
    assert summary["config"]["train_size"] == 1


@pytest.mark.parametrize("argv, message", [
    (["--preset", "and"], "has no training recipe"),
    (["--preset", "nope"], "unknown preset"),
    (["--preset", "mnist-30", "--layers", "784,10"], "leave out --layers"),
    (["--recipe", "fast"], "--recipe needs --preset"),
])
def test_preset_misuse_is_one_line(argv, message, capsys):
    assert main(["train", *argv]) == 2
    assert message in capsys.readouterr().err
