"""`nnviz train`: the summary describes the returned (saved) network, one activation name means
the hidden layers, the step schedule's period, JSON alone on stdout, Ctrl-C, checks before
training."""

import json
from pathlib import Path

import pytest

from nnviz.cli import main

SMALL = ["--layers", "784,20,10", "--train-size", "1000", "--test-size", "300"]
ROOT = Path(__file__).resolve().parents[1]


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


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
