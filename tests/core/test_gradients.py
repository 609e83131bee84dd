"""Backpropagation against finite differences, and the δ/gradient contract on hand-made nets."""

import zlib

import numpy as np
import pytest

from nnviz.core import ACTIVATIONS, Network, check_all, check_gradient
from tests.helpers import HIDDEN, PAIRS, random_data


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("cost,output", PAIRS)
def test_backprop_matches_finite_differences(hidden, cost, output):
    rng = np.random.default_rng(zlib.crc32(f"{hidden}/{cost}/{output}".encode()))
    net = Network([3, 4, 3, 2], [hidden, hidden, output], cost, seed=1, init="scaled")
    # A finite difference straddling a ReLU kink is meaningless: draw data until every z is
    # well away from 0 (deterministic for a given seed).
    for _ in range(100):
        x, y = random_data(net, 5, rng, onehot=cost != "quadratic")
        if min(np.abs(z).min() for z in net.forward(x).z[1:]) > 1e-4:
            break
    else:
        pytest.fail("no sample away from the kinks")
    checks = check_all(net, x, y, eps=1e-6)
    assert len(checks) == net.n_parameters
    bad = [c for c in checks if not c.agrees(rtol=1e-5, atol=1e-8)]
    assert not bad, bad[:3]
    # The check is not vacuous: a good share of the gradients are far from zero.
    assert np.mean([abs(c.backprop) > 1e-5 for c in checks]) > 0.25


@pytest.mark.parametrize("cost,output", PAIRS)
def test_single_sample_and_batch_agree(cost, output):
    rng = np.random.default_rng(3)
    net = Network([4, 3, 2], ["tanh", output], cost, seed=2)
    x, y = random_data(net, 6, rng, onehot=cost != "quadratic")
    batch = net.backward(net.forward(x), y)
    singles = [net.backward(net.forward(x[i]), y[i]) for i in range(6)]
    for l in (1, 2):
        # delta[l] of a batch holds each sample's own δ
        np.testing.assert_allclose(batch.delta[l], np.stack([s.delta[l] for s in singles]))
        # the batch gradient is the mean of per-sample gradients
        np.testing.assert_allclose(batch.weights[l - 1],
                                   np.mean([s.weights[l - 1] for s in singles], axis=0))
        np.testing.assert_allclose(batch.biases[l - 1],
                                   np.mean([s.biases[l - 1] for s in singles], axis=0))
    assert batch.delta[2].shape == (6, 2) and singles[0].delta[2].shape == (2,)


def test_step_activation_passes_no_gradient():
    net = Network([2, 3, 1], ["step", "sigmoid"], "quadratic", seed=0)
    x, y = np.array([0.3, -0.7]), np.array([1.0])
    trace = net.forward(x)
    assert set(np.unique(trace.a[1])) <= {0.0, 1.0}
    grads = net.backward(trace, y)
    assert np.all(grads.delta[1] == 0)
    assert np.all(grads.weights[0] == 0) and np.all(grads.biases[0] == 0)
    assert np.any(grads.weights[1] != 0)  # the sigmoid output layer still learns
    # ... and the finite difference agrees (away from the threshold the step is flat).
    check = check_gradient(net, x, y, 1, 0, 1)
    assert check.numeric == 0 and check.backprop == 0


def test_one_neuron_per_layer_chain_by_hand():
    """The articles' chain x → a1 → a2 with sigmoids and E = ½(a2 − y)², computed by hand."""
    net = Network([1, 1, 1], "sigmoid", "quadratic")
    w1, b1, w2, b2, x, y = 0.5, -0.2, 1.5, 0.1, 0.8, 1.0
    net.set_parameters([[[w1]], [[w2]]], [[b1], [b2]])
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z1 = w1 * x + b1
    a1 = s(z1)
    z2 = w2 * a1 + b2
    a2 = s(z2)
    d2 = (a2 - y) * a2 * (1 - a2)
    d1 = w2 * d2 * a1 * (1 - a1)
    trace = net.forward([x])
    assert trace.z[1][0] == pytest.approx(z1) and trace.a[2][0] == pytest.approx(a2)
    assert net.cost(trace, [y]) == pytest.approx(0.5 * (a2 - y) ** 2)
    g = net.backward(trace, [y])
    assert g.delta[2][0] == pytest.approx(d2) and g.delta[1][0] == pytest.approx(d1)
    assert g.weights[1][0, 0] == pytest.approx(a1 * d2)
    assert g.weights[0][0, 0] == pytest.approx(x * d1)
    assert g.biases[0][0] == pytest.approx(d1) and g.biases[1][0] == pytest.approx(d2)


def test_weight_indexing_follows_the_articles():
    """w^l_jk is weights[l-1][j, k]: from neuron k of layer l−1 to neuron j of layer l."""
    net = Network([3, 2], "linear", "quadratic")
    w = np.zeros((2, 3))
    w[1, 2] = 2.0  # w^1_{12}: input 2 → output 1
    net.set_parameters([w], [np.zeros(2)])
    out = net.feedforward([0.0, 0.0, 1.5])
    assert out.tolist() == [0.0, 3.0]


def test_softmax_outputs_sum_to_one_and_loglik_delta():
    net = Network([4, 5, 3], ["relu", "softmax"], "log-likelihood", seed=4)
    x = np.random.default_rng(0).uniform(size=(7, 4))
    y = np.eye(3)[[0, 1, 2, 0, 1, 2, 0]]
    tr = net.forward(x)
    np.testing.assert_allclose(tr.output.sum(axis=1), 1.0)
    np.testing.assert_allclose(net.backward(tr, y).delta[2], tr.output - y)


def test_invalid_structures_are_refused():
    with pytest.raises(ValueError, match="output layer"):
        Network([2, 3, 2], ["softmax", "softmax"], "log-likelihood")
    with pytest.raises(ValueError, match="softmax output"):
        Network([2, 3, 2], "sigmoid", "log-likelihood")
    with pytest.raises(ValueError, match="sigmoid output"):
        Network([2, 2], "tanh", "cross-entropy")
    with pytest.raises(ValueError, match="unknown activation"):
        Network([2, 2], "swish")
    with pytest.raises(ValueError, match="between 1 and"):
        Network([2, 0, 1])
    with pytest.raises(ValueError, match="need 2 activations"):
        Network([2, 3, 1], ["relu"])
    net = Network([2, 3, 1])
    with pytest.raises(ValueError, match="shape"):
        net.set_parameters([np.zeros((3, 3)), np.zeros((1, 3))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match="finite"):
        net.set_parameters([np.full((3, 2), np.nan), np.zeros((1, 3))], [np.zeros(3), np.zeros(1)])


def test_all_activations_are_covered():
    assert set(HIDDEN) | {"softmax", "step"} == set(ACTIVATIONS)


def test_initialisations():
    std = Network([400, 300], seed=0, init="standard")
    scaled = Network([400, 300], seed=0, init="scaled")
    he = Network([400, 300], seed=0, init="he")
    assert std.weights[0].std() == pytest.approx(1.0, rel=0.02)
    assert scaled.weights[0].std() == pytest.approx(1 / 20, rel=0.02)
    assert he.weights[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert np.all(he.biases[0] == 0) and std.biases[0].std() == pytest.approx(1.0, rel=0.2)
    assert np.array_equal(Network([3, 2], seed=7).weights[0], Network([3, 2], seed=7).weights[0])


@pytest.mark.parametrize("target", ["soft", "negative"])
def test_log_likelihood_gradient_is_right_for_targets_that_do_not_sum_to_1(target):
    """δ^L = a^L Σy − y, which is a^L − y only when y sums to 1: against finite differences."""
    rng = np.random.default_rng(7)
    net = Network([3, 4, 3], ["tanh", "softmax"], "log-likelihood", seed=1, init="scaled")
    x = rng.uniform(-1, 1, (4, 3))
    y = rng.uniform(0.1, 0.9, (4, 3)) if target == "soft" else rng.uniform(-1, 1, (4, 3))
    assert np.abs(y.sum(axis=1) - 1).max() > 0.5
    checks = check_all(net, x, y, eps=1e-6)
    bad = [c for c in checks if not c.agrees(rtol=1e-5, atol=1e-8)]
    assert not bad, bad[:3]
    assert np.mean([abs(c.backprop) > 1e-5 for c in checks]) > 0.25


def test_log_likelihood_with_a_zero_target_has_no_gradient():
    """E = −Σ 0·ln a is 0 whatever the weights, so δ^L is 0 (not a^L)."""
    net = Network([3, 4, 3], ["tanh", "softmax"], "log-likelihood", seed=1)
    grads = net.backward(net.forward(np.array([0.2, -0.4, 0.9])), np.zeros(3))
    np.testing.assert_array_equal(grads.delta[2], np.zeros(3))
    np.testing.assert_array_equal(grads.weights[0], np.zeros((4, 3)))


@pytest.mark.parametrize("cost,output,y,message", [
    ("log-likelihood", "softmax", [0.5, 0.2, 0.0], "sums to 1"),
    ("log-likelihood", "softmax", [0.0, 0.0, 0.0], "sums to 1"),
    ("log-likelihood", "softmax", [1.5, -0.5, 0.0], "≥ 0"),
    ("cross-entropy", "sigmoid", [1.5, 0.0, 0.0], "between 0 and 1"),
    ("cross-entropy", "sigmoid", [0.5, -0.1, 0.0], "between 0 and 1"),
])
def test_a_walk_refuses_targets_its_cost_cannot_take(cost, output, y, message):
    from nnviz.core.stepper import Walk

    net = Network([2, 3, 3], ["tanh", output], cost, seed=0)
    with pytest.raises(ValueError, match=message):
        Walk(net, [0.1, 0.2], y)


@pytest.mark.parametrize("cost,output,y", [
    ("log-likelihood", "softmax", [0.0, 1.0, 0.0]),
    ("log-likelihood", "softmax", [0.25, 0.25, 0.5]),
    ("cross-entropy", "sigmoid", [0.3, 1.0, 0.0]),
    ("quadratic", "linear", [5.0, -2.0, 0.5]),
])
def test_a_walk_takes_targets_its_cost_accepts(cost, output, y):
    from nnviz.core.stepper import Walk

    Walk(Network([2, 3, 3], ["tanh", output], cost, seed=0), [0.1, 0.2], y)
