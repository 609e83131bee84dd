"""`nnviz landscape`: E over one or two parameters as JSON or lines; one-line errors, exit 2."""

import json

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.constants import STEP_ETA
from nnviz.core.presets import get_preset
from nnviz.core.stepper import Walk

ONE_KEYS = {"param", "value", "values", "E", "slope", "eta", "step_to", "E_after"}
TWO_KEYS = {"params", "value", "values", "E", "gradient", "eta", "step_to", "E_after", "path",
            "restarts"}


def run(capsys, *args):
    code = main(["landscape", *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_one_parameter_json_has_the_walks_numbers(capsys):
    data = json.loads(run(capsys, "--preset", "chain", "--param", "w:2:0:0", "--json"))
    assert set(data) >= ONE_KEYS and data["preset"] == "chain"
    walk = Walk(get_preset("chain").build(), [1.0], [0.0], eta=STEP_ETA)
    assert data["param"] == "w:2:0:0" and data["name"] == "w²₀₀"
    assert data["value"] == 1.5 and data["eta"] == STEP_ETA
    assert len(data["values"]) == len(data["E"]) == 201
    assert data["values"][100] == 1.5 and data["E"][100] == pytest.approx(walk.E_before,
                                                                         rel=1e-13)
    # the slope is the gradient nnviz step prints
    assert data["slope"] == walk.grads.weights[1][0, 0]
    assert data["step_to"] == 1.5 - STEP_ETA * data["slope"]
    other = get_preset("chain").build()
    other.weights[1][0, 0] = data["step_to"]
    assert data["E_after"] == pytest.approx(other.cost(other.forward([1.0]), [0.0]), rel=1e-12)


def test_options_shape_the_curve(capsys):
    data = json.loads(run(capsys, "--preset", "running-example", "--param", "b:1:1",
                          "--range", "0.5", "--points", "11", "--eta", "3", "--input", "0.2",
                          "--target", "0", "--steps", "4", "--restarts", "2", "--json"))
    assert len(data["values"]) == 11 and data["eta"] == 3.0
    assert data["values"][0] == pytest.approx(0.4 - 0.5) and data["values"][-1] == (
        pytest.approx(0.4 + 0.5))
    net = get_preset("running-example").build()
    assert data["slope"] == net.backward(net.forward([0.2]), [0.0]).biases[0][1]
    assert len(data["path"]["E"]) == 5 and len(data["restarts"]) == 2


def test_two_parameters_json_has_the_grid_and_the_paths(capsys):
    data = json.loads(run(capsys, "--preset", "running-example", "--param", "w:2:0:1",
                          "--param2", "b:3:0", "--points", "7", "--json"))
    assert set(data) >= TWO_KEYS and data["params"] == ["w:2:0:1", "b:3:0"]
    assert np.array(data["E"]).shape == (7, 7)
    assert [len(v) for v in data["values"]] == [7, 7]
    assert len(data["path"]["points"]) == 31 and len(data["restarts"]) == 4
    walk = Walk(get_preset("running-example").build(), [0.5], [1.0])
    assert data["gradient"] == [walk.grads.weights[1][0, 1], walk.grads.biases[2][0]]
    assert data["E"][3][3] == pytest.approx(walk.E_before, rel=1e-13)
    assert data["path"]["E"][-1] < data["path"]["E"][0]


def test_samples_take_the_presets_data(capsys):
    data = json.loads(run(capsys, "--preset", "xor", "--param", "b:2:0", "--samples", "4",
                          "--points", "5", "--json"))
    assert data["samples"] == 4
    net = get_preset("xor").build()
    ds = get_preset("xor").dataset()
    assert data["E"][2] == pytest.approx(net.cost(net.forward(ds.inputs()), ds.targets()),
                                         rel=1e-12)


def test_lines_name_the_slope_and_the_step(capsys):
    out = run(capsys, "--preset", "chain", "--param", "w:1:0:0", "--eta", "2")
    assert "slope ∂E/∂w¹₀₀ = 0.02496 (backpropagation)" in out
    assert "step η = 2: w¹₀₀ → 1.95" in out


@pytest.mark.parametrize("args,message", [
    (["--param", "w:4:0:0"], "--param: w:4:0:0: the layer must be between 1 and 3"),
    (["--param", "w:1:1:0"], "--param: w:1:1:0: layer 1 has neurons 0…0"),
    (["--param", "v:1:0"], "--param: a parameter is w:L:J:K (a weight) or b:L:J (a bias)"),
    (["--param", "w:1:0:0", "--param2", "w:1:0:0"], "another parameter"),
    (["--param", "w:1:0:0", "--param2", "b:9:0"], "--param2: b:9:0"),
    (["--param", "w:1:0:0", "--range", "0"], "--range must be a positive number"),
    (["--param", "w:1:0:0", "--points", "1"], "--points must be between 2"),
    (["--param", "w:1:0:0", "--eta", "-1"], "--eta must be a positive number"),
])
def test_bad_arguments_give_one_line_and_exit_2(capsys, args, message):
    assert main(["landscape", "--preset", "chain", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("nnviz landscape: error: ")
    assert message in err


def test_samples_need_a_preset_with_data(capsys):
    """The concert perceptron has one example and no data set of its own."""
    assert get_preset("concert").dataset is None
    assert main(["landscape", "--preset", "concert", "--param", "w:1:0:0", "--samples",
                 "3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--samples needs data" in err


def test_a_network_is_required(capsys):
    assert main(["landscape", "--param", "w:1:0:0"]) == 2
    assert "--preset --open is required" in capsys.readouterr().err


def test_a_saved_network_file(capsys, tmp_path):
    from nnviz.core import save_network

    path = tmp_path / "net.npz"
    save_network(get_preset("running-example").build(), path)
    out = run(capsys, "--open", str(path), "--param", "b:3:0", "--input", "0.5", "--target",
              "1")
    assert out.startswith(f"{path}: E as a function of b³₀ (all other parameters fixed), on "
                          "x = (0.5)")
    data = json.loads(run(capsys, "--open", str(path), "--param", "b:3:0", "--input", "0.5",
                          "--target", "1", "--json"))
    assert data["file"] == str(path)
    walk = Walk(get_preset("running-example").build(), [0.5], [1.0])
    assert data["slope"] == walk.grads.biases[2][0]
    assert main(["landscape", "--open", str(tmp_path / "none.npz"), "--param", "b:3:0"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
