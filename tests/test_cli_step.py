"""`nnviz step`: one example through the passes, as JSON or as a readable walk; one-line errors."""

import json

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.constants import STEP_ETA
from nnviz.core.presets import get_preset
from nnviz.core.stepper import Walk

KEYS = {"sizes", "activations", "cost", "eta", "input", "target", "E_before", "E_after",
        "layers", "input_gradient"}
LAYER_KEYS = {"w", "b", "z", "a", "delta", "grad_w", "grad_b"}


def run(capsys, *args):
    code = main(["step", *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_xor_json_matches_a_walk(capsys):
    data = json.loads(run(capsys, "--preset", "xor", "--json"))
    assert set(data) >= KEYS
    walk = Walk(get_preset("xor").build(), [1.0, 0.0], [1.0], eta=STEP_ETA)
    assert data == {"preset": "xor", **json.loads(json.dumps(walk.to_dict()))}
    assert data["sizes"] == [2, 2, 1] and data["eta"] == 0.5
    assert data["input"] == [1.0, 0.0] and data["target"] == [1.0]
    assert len(data["layers"]) == 2
    for l, layer in enumerate(data["layers"], start=1):
        assert set(layer) >= LAYER_KEYS
        assert np.array(layer["w"]).shape == (data["sizes"][l], data["sizes"][l - 1])
        assert layer["z"] == walk.trace.z[l].tolist()
        assert layer["delta"] == walk.grads.delta[l].tolist()
        assert layer["grad_w"] == walk.grads.weights[l - 1].tolist()
    assert data["layers"][0]["w"] == [[20.0, 20.0], [-20.0, -20.0]]  # before the update
    assert data["E_before"] == walk.E_before and data["E_after"] == walk.E_after
    # ∂E/∂x = (w¹)ᵀ δ¹, from the file's own numbers
    w1, d1 = np.array(data["layers"][0]["w"]), np.array(data["layers"][0]["delta"])
    np.testing.assert_allclose(data["input_gradient"], w1.T @ d1, rtol=1e-12)
    assert data["input_gradient"] == walk.input_gradient.tolist()


def test_custom_input_target_and_eta(capsys):
    data = json.loads(run(capsys, "--preset", "chain", "--input=-0.5", "--target", "0.25",
                          "--eta", "0.1", "--json"))
    walk = Walk(get_preset("chain").build(), [-0.5], [0.25], eta=0.1)
    assert data["input"] == [-0.5] and data["target"] == [0.25] and data["eta"] == 0.1
    assert data["E_after"] == walk.E_after
    assert [layer["a"] for layer in data["layers"]] == [a.tolist() for a in walk.trace.a[1:]]


def test_medal_with_a_target_of_its_own_choice(capsys):
    data = json.loads(run(capsys, "--preset", "medal", "--target", "1", "--json"))
    assert data["input"] == [30.0, 2.0, 50.0] and data["target"] == [1.0]
    assert data["layers"][0]["delta"] == [0.0]  # a step unit passes no gradient


def test_mnist_example(capsys, mnist):
    test = mnist.test
    data = json.loads(run(capsys, "--preset", "mnist-30", "--example", "3", "--json"))
    label = int(test.y[3])
    assert data["example"] == 3 and data["label"] == label
    assert data["input"] == test.inputs(slice(3, 4))[0].tolist()
    assert data["target"] == np.eye(10)[label].tolist()
    assert data["sizes"] == [784, 30, 10]
    assert np.array(data["layers"][0]["w"]).shape == (30, 784)
    walk = Walk(get_preset("mnist-30").build(), data["input"], data["target"])
    assert data["E_before"] == walk.E_before and data["E_after"] == walk.E_after
    # Without --example: test image 0.
    assert json.loads(run(capsys, "--preset", "mnist-100", "--json"))["example"] == 0


def test_readable_walk(capsys):
    out = run(capsys, "--preset", "chain")
    walk = Walk(get_preset("chain").build(), [1.0], [0.0])
    for i, stage in enumerate(walk.stages, start=1):
        assert f"[{i}/11] {stage.title}" in out
    assert "[9/11] Backward, input: δ⁰ = ∂E/∂x" in out
    assert "Backward pass, input (∂E/∂x) · neuron 0" in out
    assert "x = (1), y = (0)" in out
    assert "Forward pass, layer 1 · neuron 0" in out and "= 2 · 1 + (−1)" in out
    assert "(BP1)" in out and "(BP2)" in out and "(BP3)" in out and "(BP4)" in out
    assert "E = 0.2102 → 0.1889" in out
    out = run(capsys, "--preset", "mnist-30", "--example", "0")
    assert "MNIST test image 0 (label 7)" in out and "(780 more, sum" in out


def _error(capsys, args):
    try:
        code = main(["step", *args])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


@pytest.mark.parametrize("args,message", [
    ([], "one of the arguments --preset --open is required"),
    (["--preset", "nope"], "unknown preset 'nope'"),
    (["--preset", "xor", "--input", "1"], "--input needs 2 values for the xor preset, got 1"),
    (["--preset", "xor", "--input", "1,2,3"], "--input needs 2 values"),
    (["--preset", "xor", "--input", "1,x"], "--input must be numbers separated by commas"),
    (["--preset", "xor", "--input", "1,,2"], "--input must be numbers"),
    (["--preset", "xor", "--input", "1,nan"], "must be finite numbers, got 'nan'"),
    (["--preset", "xor", "--input", "inf,0"], "must be finite"),
    (["--preset", "xor", "--target", "1,0"], "--target needs 1 value for the xor preset, got 2"),
    (["--preset", "xor", "--target", "yes"], "--target must be numbers"),
    (["--preset", "xor", "--eta", "0"], "η must be a positive number"),
    (["--preset", "xor", "--eta", "-1"], "η must be a positive number"),
    (["--preset", "xor", "--eta", "abc"], "expected a number"),
    (["--preset", "xor", "--eta", "nan"], "finite"),
    (["--preset", "xor", "--example", "2"], "--example is only for the MNIST presets"),
    (["--preset", "mnist-30", "--example", "10000"], "--example must be between 0 and 9999"),
    (["--preset", "mnist-30", "--example", "-1"], "expected a number ≥ 0"),
    (["--preset", "mnist-30", "--input", ",".join(["0"] * 784)], "needs a --target"),
    (["--preset", "mnist-30", "--input", "0,1"], "--input needs 784 values"),
    (["--preset", "xor", "--bogus"], "unrecognized arguments"),
])
def test_bad_values_exit_2_with_one_line(args, message, capsys):
    assert message in _error(capsys, args)


def test_a_closed_pipe_ends_quietly():
    """``nnviz step | head -1``: the reader goes away; no traceback, the shell's SIGPIPE code."""
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "nnviz", "step", "--preset", "xor"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # before the interpreter has started: every write finds no reader
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 141
    assert b"Traceback" not in err and b"BrokenPipe" not in err


# --- nnviz step --open FILE: any saved network, e.g. one written by nnviz train --save ---


def _saved(tmp_path, sizes, name="net.npz", **description):
    from nnviz.core.netfile import save_network
    from nnviz.core.network import Network

    path = tmp_path / name
    net = Network(sizes, seed=1)
    save_network(net, path, **description)
    return path, net


def test_open_a_trained_mnist_network_with_an_example(tmp_path, capsys, mnist):
    path, net = _saved(tmp_path, [784, 16, 10])
    data = json.loads(run(capsys, "--open", str(path), "--example", "5", "--json"))
    label = int(mnist.test.y[5])
    assert data["file"] == str(path) and "preset" not in data
    assert data["example"] == 5 and data["label"] == label
    assert data["sizes"] == [784, 16, 10]
    assert data["target"] == np.eye(10)[label].tolist()
    walk = Walk(net, mnist.test.inputs(slice(5, 6))[0], np.eye(10)[label])
    assert data["layers"][0]["w"] == net.weights[0].tolist()
    assert data["E_before"] == walk.E_before and data["E_after"] == walk.E_after
    # The readable walk names the file and the test image.
    out = run(capsys, "--open", str(path))
    assert out.startswith(f"{path}: ") and "x = MNIST test image 0" in out
    assert "[1/" in out and "(BP1)" in out


def test_open_a_small_network_with_input_and_target(tmp_path, capsys):
    path, net = _saved(tmp_path, [2, 3, 1])
    data = json.loads(run(capsys, "--open", str(path), "--input=-1,0.5", "--target", "1",
                          "--eta", "0.2", "--json"))
    walk = Walk(net, [-1.0, 0.5], [1.0], eta=0.2)
    assert data["input"] == [-1.0, 0.5] and data["target"] == [1.0]
    assert data["E_after"] == walk.E_after


def test_open_a_file_with_its_own_example(tmp_path, capsys):
    path, net = _saved(tmp_path, [2, 1], example=[0.25, 0.75], target=[1.0])
    data = json.loads(run(capsys, "--open", str(path), "--json"))
    assert data["input"] == [0.25, 0.75] and data["target"] == [1.0]


@pytest.mark.parametrize("content,message", [
    (b"not a zip", "not an nnviz network file"),
    (None, "No such file"),
])
def test_open_a_bad_file_is_the_info_error(content, message, tmp_path, capsys):
    path = tmp_path / "bad.npz"
    if content is not None:
        path.write_bytes(content)
    step_err = _error(capsys, ["--open", str(path)])
    assert main(["info", str(path)]) == 2
    info_err = capsys.readouterr().err
    assert step_err.split(": error: ", 1)[1] == info_err.split(": error: ", 1)[1]
    assert step_err.startswith(f"nnviz step: error: {path}: ")
    assert message.lower() in step_err.lower()


def test_open_needs_an_example_for_a_small_network(tmp_path, capsys):
    path, _ = _saved(tmp_path, [2, 3, 1])
    assert "has no example of its own: give one with --input (2 values)" in _error(
        capsys, ["--open", str(path), "--target", "1"])
    assert "no target for its example: give one with --target (1 value)" in _error(
        capsys, ["--open", str(path), "--input", "1,2"])
    assert "--input needs 2 values for the " in _error(
        capsys, ["--open", str(path), "--input", "1", "--target", "1"])
    assert "--example is only for the MNIST presets and 784-input networks" in _error(
        capsys, ["--open", str(path), "--example", "1"])
    assert "not allowed with argument" in _error(
        capsys, ["--open", str(path), "--preset", "xor"])


def test_open_before_step_is_step_open(tmp_path, capsys):
    path, _ = _saved(tmp_path, [2, 3, 1])
    given = ["--input", "1,0", "--target", "1", "--json"]
    before = json.loads(run_top(capsys, "--open", str(path), "step", *given))
    after = json.loads(run(capsys, "--open", str(path), *given))
    assert before == after and before["file"] == str(path)
    # --preset before step is step --preset (not the random preset the app would open).
    assert json.loads(run_top(capsys, "--preset", "xor", "step", "--json"))["preset"] == "xor"


def run_top(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.mark.parametrize("key", [k for k in __import__("nnviz.core.presets", fromlist=["x"])
                                 .PRESETS])
def test_every_preset_steps_out_of_the_box(key, capsys):
    data = json.loads(run(capsys, "--preset", key, "--json"))
    assert data["preset"] == key and len(data["layers"]) >= 1
    assert np.isfinite(data["E_before"]) and np.isfinite(data["E_after"])
