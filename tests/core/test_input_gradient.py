"""δ⁰ = ∂E/∂x, the walk's last backward stage, against finite differences on the input."""

import zlib

import numpy as np
import pytest

from nnviz.core import Network, Walk
from nnviz.core.equations import explain
from nnviz.core.network import input_gradient
from nnviz.core.notation import fmt

HIDDEN = ["sigmoid", "tanh", "relu", "leaky-relu", "linear"]
PAIRS = [("quadratic", "sigmoid"), ("quadratic", "linear"), ("quadratic", "softmax"),
         ("cross-entropy", "sigmoid"), ("log-likelihood", "softmax")]


def _finite_difference(net, x, y, eps=1e-6):
    """∂E/∂x_k by central differences of the network's own cost, one input at a time."""
    g = np.zeros_like(x)
    for k in range(len(x)):
        up, down = x.copy(), x.copy()
        up[k] += eps
        down[k] -= eps
        g[k] = (net.cost(net.forward(up), y) - net.cost(net.forward(down), y)) / (2 * eps)
    return g


def _away_from_kinks(net, rng, cost):
    """An example (x, y) whose z are all well away from 0, so a finite difference does not
    straddle a ReLU kink (deterministic for a given rng)."""
    for _ in range(100):
        x = rng.uniform(-1, 1, net.sizes[0])
        if min(np.abs(z).min() for z in net.forward(x).z[1:]) > 1e-4:
            break
    else:
        pytest.fail("no sample away from the kinks")
    n = net.sizes[-1]
    y = np.eye(n)[rng.integers(0, n)] if cost != "quadratic" else rng.uniform(0.1, 0.9, n)
    return x, y


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("cost,output", PAIRS)
def test_input_gradient_matches_finite_differences(hidden, cost, output):
    rng = np.random.default_rng(zlib.crc32(f"dx/{hidden}/{cost}/{output}".encode()))
    net = Network([5, 4, 3, 3], [hidden, hidden, output], cost, seed=3, init="scaled")
    x, y = _away_from_kinks(net, rng, cost)
    walk = Walk(net, x, y)
    fd = _finite_difference(net, x, y)
    np.testing.assert_allclose(walk.input_gradient, fd, rtol=1e-5, atol=1e-9)
    assert np.abs(fd).max() > 1e-4  # not vacuous
    assert walk.grads.delta[0] is walk.input_gradient
    # the network's own backward pass (training) does not compute it
    assert net.backward(net.forward(x), y).delta[0] is None


def test_input_gradient_on_pixels_of_a_mnist_shaped_net():
    net = Network([784, 30, 10], "sigmoid", "quadratic", seed=4, init="scaled")
    rng = np.random.default_rng(5)
    x = np.zeros(784)
    x[rng.choice(784, 150, replace=False)] = rng.uniform(0, 1, 150)
    y = np.eye(10)[7]
    walk = Walk(net, x, y)
    assert walk.input_gradient.shape == (784,)
    pixels = [0, 300, 405, 783, int(np.argmax(np.abs(walk.input_gradient)))]
    for k in pixels:
        up, down = x.copy(), x.copy()
        up[k] += 1e-6
        down[k] -= 1e-6
        fd = (net.cost(net.forward(up), y) - net.cost(net.forward(down), y)) / 2e-6
        assert walk.input_gradient[k] == pytest.approx(fd, rel=1e-5, abs=1e-10)


def test_input_gradient_of_a_batch_is_each_samples_own():
    net = Network([3, 4, 2], "tanh", seed=1)
    rng = np.random.default_rng(2)
    x, y = rng.uniform(-1, 1, (5, 3)), rng.uniform(0, 1, (5, 2))
    batch = net.backward(net.forward(x), y)
    g = input_gradient(net.weights[0], batch.delta[1])
    assert g.shape == (5, 3)
    for i in range(5):
        np.testing.assert_allclose(g[i], Walk(net, x[i], y[i]).input_gradient)


def test_the_last_backward_stage_and_its_equation():
    net = Network([3, 2, 1], "sigmoid", seed=7)
    walk = Walk(net, [0.2, -0.5, 0.9], [1.0])
    walk.go(2 * net.L + 2)
    assert (walk.stage.kind, walk.stage.layer) == ("backward", 0)
    assert walk.delta_known == 0 and walk.current_layer == 0
    assert walk.is_delta_known(0)
    e = explain(walk, ("neuron", 0, 1))
    w1, d1 = walk.params_before[0][0], walk.grads.delta[1]
    assert e.heading == "Backward pass, input (∂E/∂x) · neuron 1"
    assert e.focus == ("neuron", 0, 1)
    assert e.lines[0].startswith("δ⁰₁ = ∂E/∂x₁ = Σᵢ w¹ᵢ₁ δ¹ᵢ")
    assert "σ'" not in e.lines[1] + e.lines[2]  # no slope for the input
    # the terms are w¹ᵢ₁ δ¹ᵢ with the walk's numbers, and the total is δ⁰₁
    assert "w¹₀₁ δ¹₀ + w¹₁₁ δ¹₁" in e.lines[1]
    assert fmt(w1[0, 1] * d1[0] + w1[1, 1] * d1[1]) in e.lines[-2]
    assert e.lines[-1] == f"δ⁰₁ = {fmt(walk.input_gradient[1])}"
    # without a focus: the input with the largest |∂E/∂x|
    assert explain(walk).focus == ("neuron", 0, int(np.argmax(np.abs(walk.input_gradient))))
    # the next stage is the gradients, then the update
    assert [s.kind for s in walk.stages[walk.index + 1:]] == ["gradients", "update"]


def test_the_equation_of_a_784_input_shortens_its_sum():
    net = Network([784, 30, 10], "sigmoid", seed=4, init="scaled")
    x = np.linspace(0, 1, 784)
    walk = Walk(net, x, np.eye(10)[3])
    walk.go(2 * net.L + 2)
    e = explain(walk)
    j = e.focus[2]
    assert j == int(np.argmax(np.abs(walk.input_gradient)))
    assert any("… (26 more" in line for line in e.lines)
    assert e.lines[-1] == f"δ⁰{''.join('₀₁₂₃₄₅₆₇₈₉'[int(c)] for c in str(j))} = " \
                          f"{fmt(walk.input_gradient[j])}"


def test_to_dict_has_the_input_gradient():
    net = Network([2, 3, 1], "sigmoid", seed=1)
    walk = Walk(net, [0.3, 0.7], [1.0])
    d = walk.to_dict()
    assert d["input_gradient"] == walk.input_gradient.tolist()
    assert d["stages"][-3] == "Backward, input: δ⁰ = ∂E/∂x"
