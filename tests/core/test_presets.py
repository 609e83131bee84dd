"""Presets: every one builds the same network every time, and the hand-set ones do what the
articles (and their captions) say."""

import ast
import itertools
import math
import re
import shlex
from pathlib import Path

import numpy as np
import pytest

from nnviz.core import Network
from nnviz.core.presets import (
    PRESETS,
    STEPS_POSITIONS,
    STEPS_SAMPLES,
    Preset,
    get_preset,
    steps_target,
)
from nnviz.data import Dataset

KEYS = list(PRESETS)
SMALL = [k for k, p in PRESETS.items() if p.example is not None]


def test_menu_has_the_expected_presets_in_order():
    assert KEYS == ["concert", "medal", "and", "or", "xor", "xor-random", "chain",
                    "running-example",
                    "2-3-1", "steps", "mnist-30", "mnist-100"]
    assert all(isinstance(p, Preset) and p.key == k for k, p in PRESETS.items())


@pytest.mark.parametrize("key", KEYS)
def test_key_is_a_command_line_word(key):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key), key
    assert shlex.split(key) == [key] and not key.startswith("-")


def test_keys_and_titles_are_unique():
    assert len({k.lower() for k in KEYS}) == len(KEYS)
    assert len({p.title for p in PRESETS.values()}) == len(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_preset_builds_deterministically_with_consistent_metadata(key):
    p = PRESETS[key]
    assert p.title.strip() and p.caption.strip() and p.source.strip()
    sentences = [s for s in re.split(r"(?<=[.?!])\s+(?=[A-Z\"])", p.caption.strip()) if s]
    assert 2 <= len(sentences) <= 4, sentences
    a, b = p.build(), p.build()
    assert isinstance(a, Network) and a is not b
    assert a.sizes == b.sizes and a.activation_names == b.activation_names
    for wa, wb, ba, bb in zip(a.weights, b.weights, a.biases, b.biases):
        assert np.array_equal(wa, wb) and np.array_equal(ba, bb)
        assert wa is not wb  # a fresh copy, so editing one build leaves the next untouched
    n0, nL = a.sizes[0], a.sizes[-1]
    if p.example is None:
        assert n0 == 784 and nL == 10 and p.dataset is None and p.target is None
    else:
        assert len(p.example) == n0
        assert a.feedforward(p.example).shape == (nL,)
    if p.target is not None:
        assert p.example is not None and len(p.target) == nL
    if p.input_labels is not None:
        assert len(p.input_labels) == n0
    if p.output_labels is not None:
        assert len(p.output_labels) == nL
    if p.dataset is not None:
        ds = p.dataset()
        assert isinstance(ds, Dataset) and ds.n_inputs == n0 and ds.n_outputs == nL


def test_builds_do_not_share_state():
    p = get_preset("concert")
    net = p.build()
    net.weights[0][0, 0] = 99.0
    assert p.build().weights[0][0, 0] == 1.0


def test_get_preset_unknown_key_names_the_valid_ones():
    with pytest.raises(ValueError) as err:
        get_preset("nope")
    message = str(err.value)
    assert "nope" in message
    for key in KEYS:
        assert key in message


def test_get_preset_finds_each_key_ignoring_case_and_spaces():
    for key in KEYS:
        assert get_preset(key) is PRESETS[key]
    assert get_preset("  XOR ") is PRESETS["xor"]


def test_module_imports_only_numpy_stdlib_and_nnviz():
    import nnviz.core.presets as mod

    tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("nnviz" if node.level else node.module)  # relative = nnviz.core
    top = {n.split(".")[0] for n in names}
    assert top <= {"__future__", "math", "collections", "dataclasses", "typing", "numpy",
                   "nnviz"}, top
    assert not any(n.startswith(("PySide", "PyQt", "pickle")) for n in names)


# -- concert: article 004 ------------------------------------------------------------------------
def test_concert_matches_the_articles_rule_for_all_eight_answers():
    """"The decision to attend the concert will depend on the sum of each factor times its weight
    being greater than the threshhold" (6), weights 1, 4, 3."""
    net = get_preset("concert").build()
    assert net.activation_names == ["step"] and net.cost_name == "quadratic"
    assert net.weights[0].tolist() == [[1.0, 4.0, 3.0]] and net.biases[0].tolist() == [-6.0]
    decisions = {}
    for x in itertools.product([0, 1], repeat=3):
        total = 1 * x[0] + 4 * x[1] + 3 * x[2]
        assert total != 6  # why the step unit's "≥ 0" gives the article's "> threshold"
        out = net.feedforward(np.array(x, float))
        assert out.tolist() == [1.0 if total > 6 else 0.0], (x, total)
        decisions[x] = int(out[0])
    # The article's worked case: no snacks, partner goes, feel like driving → 7 > 6 → 1.
    assert decisions[(0, 1, 1)] == 1
    assert net.forward(np.array([0.0, 1.0, 1.0])).z[1].tolist() == [1.0]  # 7 − 6
    # Going needs both the partner (4) and driving (3); snacks alone (1) never tip it.
    assert sorted(x for x, d in decisions.items() if d) == [(0, 1, 1), (1, 1, 1)]
    p = get_preset("concert")
    assert p.example == (0.0, 1.0, 1.0) and p.target == (1.0,)


# -- medal: article 000 --------------------------------------------------------------------------
def test_medal_weights_are_excitatory_inhibitory_and_near_zero():
    net = get_preset("medal").build()
    w1, w2, w3 = net.weights[0][0]
    assert w1 > 0 and w2 < 0 and abs(w3) < 0.1 * min(abs(w1), abs(w2))
    assert net.activation_names == ["step"]
    x = np.array(get_preset("medal").example)
    assert net.feedforward(x)[0] == 1.0
    # The caption's experiment: one more donut flips the prediction; 10 more streams do not.
    assert net.feedforward(x + [0, 1, 0])[0] == 0.0
    assert net.feedforward(x + [0, 0, 10])[0] == 1.0
    assert net.feedforward(x + [0, 1, 10])[0] == 0.0


# -- and / or ------------------------------------------------------------------------------------
@pytest.mark.parametrize("key,truth", [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1])])
def test_gate_truth_table_is_exact(key, truth):
    p = get_preset(key)
    net = p.build()
    assert net.sizes == [2, 1] and net.activation_names == ["step"]
    ds = p.dataset()
    assert ds.inputs().tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert ds.targets().ravel().tolist() == truth
    assert net.feedforward(ds.inputs()).ravel().tolist() == truth
    assert net.cost(net.forward(ds.inputs()), ds.targets()) == 0.0
    assert net.feedforward(p.example).tolist() == list(p.target)


# -- xor -----------------------------------------------------------------------------------------
def test_xor_solves_all_four_points_with_margin():
    p = get_preset("xor")
    net = p.build()
    assert net.sizes == [2, 2, 1] and net.activation_names == ["sigmoid", "sigmoid"]
    ds = p.dataset()
    out = net.feedforward(ds.inputs()).ravel()
    want = ds.targets().ravel()
    assert want.tolist() == [0, 1, 1, 0]
    assert np.all(out[want == 0] < 0.1) and np.all(out[want == 1] > 0.9), out
    assert net.cost(net.forward(ds.inputs()), ds.targets()) < 1e-6
    # The hidden neurons are OR and NAND, as the caption says.
    hidden = net.forward(ds.inputs()).a[1]
    assert np.array_equal(hidden.round(), [[0, 1], [1, 1], [1, 1], [1, 0]])


def test_no_single_perceptron_weights_near_the_xor_preset_solve_xor():
    """Caption: a single perceptron cannot do it. Check a grid of step units."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    grid = np.linspace(-2, 2, 17)
    for w1, w2, b in itertools.product(grid, grid, grid):
        out = (x @ [w1, w2] + b >= 0).astype(int)
        assert out.tolist() != [0, 1, 1, 0]


# -- xor-random -------------------------------------------------------------------------------
def _outputs(net, ds):
    return net.feedforward(ds.inputs()).ravel()


def test_xor_random_starts_from_chance_and_is_not_saturated():
    p = get_preset("xor-random")
    net, ds = p.build(), p.dataset()
    assert net.sizes == [2, 2, 1] and net.activation_names == ["sigmoid", "sigmoid"]
    assert net.cost_name == "quadratic" and ds.targets().ravel().tolist() == [0, 1, 1, 0]
    assert np.all(np.abs(_outputs(net, ds) - 0.5) < 0.05)  # every output near ½: chance
    assert max(np.abs(w).max() for w in net.weights + net.biases) < 2  # small weights
    # σ' is far from 0 everywhere, so one step of the stepping η moves E visibly (the hand-made
    # xor's saturated sigmoids move it by ~1e-8).
    from nnviz.constants import STEP_ETA

    x, y = np.array(p.example), np.array(p.target)
    before = net.cost(net.forward(x), y)
    stepped = net.copy()
    stepped.set_parameters(*net.gradient_step(x, y, STEP_ETA))
    assert before - stepped.cost(stepped.forward(x), y) > 1e-3


def test_xor_random_learns_xor_one_example_at_a_time_with_the_stepping_eta():
    from nnviz.constants import STEP_ETA

    p = get_preset("xor-random")
    net, ds = p.build(), p.dataset()
    x, y = ds.inputs(), ds.targets()
    for _ in range(1500):  # passes over the four examples, in order, as [ and ] step them
        for i in range(4):
            net.set_parameters(*net.gradient_step(x[i], y[i], STEP_ETA))
    out = _outputs(net, ds)
    assert np.all(np.abs(out - y.ravel()) < 0.3), out


@pytest.mark.parametrize("shuffle", range(5))
def test_xor_random_learns_xor_with_its_training_settings(shuffle):
    from dataclasses import replace

    from nnviz.core.training import Trainer

    p = get_preset("xor-random")
    net, ds = p.build(), p.dataset()
    assert p.training is not None and p.training.pace  # slow enough to watch
    trainer = Trainer(net, ds, replace(p.training, seed=shuffle))
    for _ in trainer.run():
        pass
    out = _outputs(net, ds)
    assert np.all(np.abs(out - ds.targets().ravel()) < 0.2), out
    # the caption: the hidden neurons become NOR and NAND
    hidden = net.forward(ds.inputs()).a[1].round()
    assert hidden.T.tolist() == [[1, 0, 0, 0], [1, 1, 1, 0]]


# -- chain: article 000 --------------------------------------------------------------------------
def test_chain_is_one_neuron_per_layer_and_backprop_is_the_articles_chain_rule():
    p = get_preset("chain")
    net = p.build()
    assert net.sizes == [1, 1, 1, 1] and net.cost_name == "quadratic"
    assert net.activation_names == ["sigmoid"] * 3
    x, t = np.array(p.example), np.array(p.target)
    trace = net.forward(x)
    y = trace.output[0]
    assert abs(y - t[0]) > 0.2  # a visible error to backpropagate
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    dsig = lambda z: sig(z) * (1 - sig(z))  # noqa: E731
    w = [float(m[0, 0]) for m in net.weights]
    z = [None] + [float(v[0]) for v in trace.z[1:]]
    # ∂y/∂z^3 ... back through the chain: ∂y/∂a^(l−1) = ∂y/∂a^l σ'(z^l) w^l.
    dy_da = {3: 1.0}
    for l in (3, 2, 1):
        dy_da[l - 1] = dy_da[l] * dsig(z[l]) * w[l - 1]
    g = net.backward(trace, t)
    for l in (1, 2, 3):
        a_prev = float(trace.a[l - 1][0])
        dy_dw = dy_da[l] * dsig(z[l]) * a_prev
        dy_db = dy_da[l] * dsig(z[l])
        assert g.weights[l - 1][0, 0] == pytest.approx((y - t[0]) * dy_dw, rel=1e-12)
        assert g.biases[l - 1][0] == pytest.approx((y - t[0]) * dy_db, rel=1e-12)


# -- running example: article 003 ----------------------------------------------------------------
def test_running_example_shape_and_missing_edge():
    p = get_preset("running-example")
    net = p.build()
    assert net.sizes == [1, 2, 2, 1]
    assert net.activation_names == ["sigmoid"] * 3
    # No edge from neuron 3 (layer 1, j = 0) to neuron 7 (layer 2, j = 1): w^2_10 = 0.
    assert net.weights[1][1, 0] == 0.0
    assert np.count_nonzero(net.weights[1]) == 3 and np.all(net.weights[0] != 0)
    # Neuron 4 (layer 1, j = 1) feeds both 6 and 7.
    assert np.all(net.weights[1][:, 1] != 0)
    assert np.all(net.biases[0] != 0) and np.all(net.biases[1] != 0)


# -- 2-3-1: article 001 --------------------------------------------------------------------------
def test_two_three_one_is_seeded_random_and_has_the_articles_shapes():
    net = get_preset("2-3-1").build()
    assert net.sizes == [2, 3, 1]
    assert [w.shape for w in net.weights] == [(3, 2), (1, 3)]
    assert net.activation_names == ["sigmoid", "sigmoid"] and net.cost_name == "cross-entropy"
    ref = Network([2, 3, 1], "sigmoid", "cross-entropy", seed=0, init="standard")
    for a, b in zip(net.weights + net.biases, ref.weights + ref.biases):
        assert np.array_equal(a, b)
    other = Network([2, 3, 1], "sigmoid", "cross-entropy", seed=1, init="standard")
    assert not np.array_equal(net.weights[0], other.weights[0])


# -- steps: article 000 --------------------------------------------------------------------------
def _staircase(x):
    """f sampled at 0, 1/5, ..., 1 and held constant between the midpoints."""
    samples = np.array(STEPS_SAMPLES)
    values = steps_target(samples)
    idx = np.searchsorted(np.array(STEPS_POSITIONS), x, side="right")
    return values[idx]


def test_steps_construction_follows_the_article():
    net = get_preset("steps").build()
    assert net.sizes == [1, 5, 1] and net.activation_names == ["sigmoid", "linear"]
    assert np.allclose(STEPS_POSITIONS, [0.1, 0.3, 0.5, 0.7, 0.9])
    assert np.all(net.weights[0] == 100.0)
    assert np.allclose(-net.biases[0] / net.weights[0][:, 0], STEPS_POSITIONS)
    f = steps_target(np.array(STEPS_SAMPLES))
    assert net.biases[1][0] == pytest.approx(f[0])  # g at the left endpoint
    assert np.allclose(net.weights[1][0], np.diff(f))  # the jump over each interval
    assert np.all(net.weights[1] != 0)  # every hidden neuron does some work


def test_steps_output_is_the_staircase_away_from_the_steps():
    net = get_preset("steps").build()
    x = np.linspace(0, 1, 2001)
    dist = np.min(np.abs(x[:, None] - np.array(STEPS_POSITIONS)[None, :]), axis=1)
    away = dist >= 0.05
    y = net.feedforward(x[:, None]).ravel()
    assert np.max(np.abs(y[away] - _staircase(x[away]))) < 0.005
    # At a step the sigmoid is halfway, so the output is the mean of the two levels.
    s = STEPS_POSITIONS[0]
    levels = _staircase(np.array([s - 0.05, s + 0.05]))
    assert levels[0] != pytest.approx(levels[1], abs=0.1)
    assert net.feedforward([s])[0] == pytest.approx(levels.mean(), abs=1e-3)


def test_steps_output_follows_f_within_the_staircase_resolution():
    p = get_preset("steps")
    net = p.build()
    x = np.linspace(0, 1, 2001)
    y = net.feedforward(x[:, None]).ravel()
    f = steps_target(x)
    # f moves by at most max|f'| · (half an interval) between x and the nearest sample point.
    resolution = 0.4 * 2 * math.pi * 0.1
    assert np.max(np.abs(y - f)) <= resolution + 0.01
    assert np.corrcoef(y, f)[0, 1] > 0.95
    # A flat output (or a badly built net) would be far off somewhere.
    assert np.max(np.abs(y - f)) < 0.5 * (f.max() - f.min())
    ds = p.dataset()
    assert np.allclose(ds.targets().ravel(), steps_target(ds.inputs().ravel()))
    assert net.feedforward(p.example)[0] == pytest.approx(float(steps_target(0.2)), abs=0.005)
    assert p.target[0] == pytest.approx(float(steps_target(0.25)))


# -- MNIST ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("key,hidden,cost,init", [("mnist-30", 30, "quadratic", "standard"),
                                                  ("mnist-100", 100, "cross-entropy", "scaled")])
def test_mnist_presets(key, hidden, cost, init):
    p = get_preset(key)
    net = p.build()
    assert net.sizes == [784, hidden, 10]
    assert net.activation_names == ["sigmoid", "sigmoid"] and net.cost_name == cost
    ref = Network([784, hidden, 10], "sigmoid", cost, seed=0, init=init)
    for a, b in zip(net.weights + net.biases, ref.weights + ref.biases):
        assert np.array_equal(a, b)
    assert p.example is None and p.dataset is None and p.output_labels == tuple("0123456789")
    assert str(hidden) in p.caption
