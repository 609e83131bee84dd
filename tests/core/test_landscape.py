"""The cost landscape: E over one or two parameters, its slope against backpropagation, a step
and descent paths on the slice."""

import zlib

import numpy as np
import pytest

from nnviz.core import Network
from nnviz.core.landscape import Parameter, Slice, curve, grid, span
from nnviz.core.presets import get_preset
from nnviz.core.stepper import Walk
from tests.helpers import HIDDEN, PAIRS, random_data


def _net_and_data(sizes, activations, cost, rng, m=4):
    """A network and data away from ReLU kinks, with no dead ReLU layer (every gradient 0)."""
    for seed in range(200):
        net = Network(sizes, activations, cost, seed=seed, init="scaled")
        x, y = random_data(net, m, rng, onehot=cost != "quadratic")
        zs = net.forward(x).z[1:]
        if min(np.abs(z).min() for z in zs) > 1e-3 and all((z > 0).mean() > 0.3 for z in zs):
            return net, x, y
    pytest.fail("no network and sample away from the kinks")


def _all_parameters(net):
    for l in range(1, net.L + 1):
        n_out, n_in = net.weights[l - 1].shape
        for j in range(n_out):
            yield Parameter("b", l, j)
            for k in range(n_in):
                yield Parameter("w", l, j, k)


def _naive(net, x, y, params, point):
    """E by a full forward pass with the parameters set to ``point``."""
    other = net.copy()
    for p, v in zip(params, point):
        if p.kind == "w":
            other.weights[p.layer - 1][p.j, p.k] = v
        else:
            other.biases[p.layer - 1][p.j] = v
    return other.cost(other.forward(x), y)


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("cost,output", PAIRS)
def test_curve_slope_is_the_backpropagated_gradient(hidden, cost, output):
    """The slope of E(w) at the value (a central difference of the curve itself) equals
    backprop's ∂E/∂w, for every weight and bias, every activation and cost."""
    rng = np.random.default_rng(zlib.crc32(f"{hidden}/{cost}/{output}".encode()))
    net, x, y = _net_and_data([3, 3, 2], [hidden, output], cost, rng)
    grads = net.backward(net.forward(x), y)
    h = 1e-5
    nonzero = 0
    for p in _all_parameters(net):
        c = curve(net, x, y, p, half_width=h, points=3)
        numeric = (c.E[2] - c.E[0]) / (2 * h)
        assert c.slope == pytest.approx(p.gradient(grads), rel=1e-12, abs=1e-17)
        assert abs(numeric - c.slope) <= 1e-8 + 1e-5 * abs(c.slope), p
        nonzero += abs(c.slope) > 1e-5
    assert nonzero > 5  # not vacuous


@pytest.mark.parametrize("cost,output", PAIRS)
def test_slice_gradient_matches_backprop_away_from_the_value(cost, output):
    """The descent's own backward pass (layers lo..L only) gives the network's ∂E/∂p at any
    point of the slice, for one parameter and for two in different layers."""
    rng = np.random.default_rng(7)
    net = Network([2, 3, 3, 2], ["tanh", "sigmoid", output], cost, seed=3, init="scaled")
    x, y = random_data(net, 5, rng, onehot=cost != "quadratic")
    for params in ([Parameter("w", 1, 2, 0)], [Parameter("b", 2, 1)],
                   [Parameter("w", 1, 0, 1), Parameter("w", 3, 1, 2)],
                   [Parameter("w", 2, 1, 0), Parameter("b", 2, 1)]):
        s = Slice(net, x, y, params)
        point = s.value + rng.uniform(-0.7, 0.7, len(params))
        E, g = s.at(point)
        other = net.copy()
        for p, v in zip(params, point):
            (other.weights if p.kind == "w" else other.biases)[p.layer - 1][
                (p.j, p.k) if p.kind == "w" else p.j] = v
        grads = other.backward(other.forward(x), y)
        np.testing.assert_allclose(g, [p.gradient(grads) for p in params], rtol=1e-10,
                                   atol=1e-14)
        assert E == pytest.approx(other.cost(other.forward(x), y), rel=1e-12)


def test_e_at_the_value_is_the_networks_e_and_e_after_is_e_of_step_to():
    p = get_preset("chain")
    net = p.build()
    walk_E = net.cost(net.forward(p.example), p.target)
    for param in _all_parameters(net):
        c = curve(net, p.example, p.target, param, eta=2.0)
        mid = len(c.values) // 2
        assert c.values[mid] == c.value == param.value(net)
        assert c.E[mid] == pytest.approx(walk_E, rel=1e-13)
        assert c.E_value == walk_E
        assert c.step_to == c.value - 2.0 * c.slope
        assert c.E_after == pytest.approx(
            _naive(net, p.example, p.target, [param], [c.step_to]), rel=1e-12)


@pytest.mark.parametrize("output,cost", [("sigmoid", "quadratic"), ("softmax", "log-likelihood"),
                                         ("relu", "quadratic")])
def test_vectorised_curve_and_grid_equal_a_full_forward_per_point(output, cost):
    rng = np.random.default_rng(11)
    net = Network([4, 3, 3, 3], ["sigmoid", "relu", output], cost, seed=5)
    x, y = random_data(net, 6, rng, onehot=cost != "quadratic")
    x[:3, 2] = 0.0  # some examples a weight from input 2 does not reach
    for param in (Parameter("w", 1, 1, 2), Parameter("b", 2, 0), Parameter("w", 3, 2, 1)):
        c = curve(net, x, y, param, half_width=3.0, points=9)
        naive = [_naive(net, x, y, [param], [v]) for v in c.values]
        np.testing.assert_allclose(c.E, naive, rtol=1e-12)
    for pair in ((Parameter("w", 1, 1, 2), Parameter("w", 1, 2, 0)),  # one layer, two neurons
                 (Parameter("w", 1, 1, 2), Parameter("b", 1, 1)),  # one neuron
                 (Parameter("w", 1, 0, 2), Parameter("w", 2, 2, 0)),  # layers 1 and 2
                 (Parameter("b", 2, 1), Parameter("w", 3, 0, 1))):
        g = grid(net, x, y, *pair, half_width=2.0, points=5, steps=0)
        naive = [[_naive(net, x, y, pair, [u, v]) for v in g.values[1]] for u in g.values[0]]
        np.testing.assert_allclose(g.E, naive, rtol=1e-12)
        assert g.E[2, 2] == pytest.approx(g.E_value, rel=1e-13)
        assert g.E_after == pytest.approx(_naive(net, x, y, pair, g.step_to), rel=1e-12)


def test_grid_of_two_neurons_into_a_sigmoid_layer_equals_a_full_forward_per_point():
    """Two first-layer weights of different neurons feeding a sigmoid layer (MNIST's case):
    σ of a sum over the grid is taken as 1 / (1 + e^(−u) e^(−v)); also for large values."""
    rng = np.random.default_rng(5)
    net = Network([5, 4, 3], "sigmoid", "quadratic", seed=2)
    x, y = random_data(net, 7, rng, onehot=False)
    pair = (Parameter("w", 1, 0, 1), Parameter("w", 1, 3, 4))
    for half_width in (2.0, 900.0):
        g = grid(net, x, y, *pair, half_width=half_width, points=7, steps=0)
        naive = [[_naive(net, x, y, pair, [u, v]) for v in g.values[1]] for u in g.values[0]]
        np.testing.assert_allclose(g.E, naive, rtol=1e-12)


def test_single_example_and_batch_of_one_agree():
    p = get_preset("running-example")
    net = p.build()
    param = Parameter("w", 2, 0, 1)
    one = curve(net, p.example, p.target, param, points=11)
    batch = curve(net, [p.example], [p.target], param, points=11)
    np.testing.assert_allclose(one.E, batch.E, rtol=1e-14)
    assert one.slope == pytest.approx(batch.slope, rel=1e-14)
    # for one example the slope is the network's own backpropagation, bit for bit
    walk = Walk(net, p.example, p.target)
    assert one.slope == walk.grads.weights[1][0, 1]


def test_descent_on_a_convex_slice_goes_downhill():
    """The output weights of a linear network with the quadratic cost: E is a convex quadratic
    of them, so a small η decreases E at every step, towards the minimum."""
    rng = np.random.default_rng(2)
    net = Network([3, 2], "linear", "quadratic", seed=0)
    x, y = rng.uniform(-1, 1, (8, 3)), rng.uniform(-1, 1, (8, 2))
    params = [Parameter("w", 1, 0, 0), Parameter("w", 1, 0, 1)]
    g = grid(net, x, y, *params, eta=0.1, steps=40, restarts=3, seed=4)
    for path in [g.path, *g.restarts]:
        assert not path.diverged and len(path.E) == 41
        assert np.all(np.diff(path.E) < 0)
        assert path.E[-1] < path.E[0]
    np.testing.assert_allclose(g.path.points[0], g.value)
    assert g.path.points[1] == pytest.approx(g.step_to, rel=1e-12)
    # the restarts start at different points, inside the grid
    starts = np.array([r.points[0] for r in g.restarts])
    assert len(np.unique(starts[:, 0])) == 3
    for i in range(2):
        assert np.all((starts[:, i] >= g.values[i][0]) & (starts[:, i] <= g.values[i][-1]))


def test_too_large_a_step_overshoots_and_diverges():
    rng = np.random.default_rng(2)
    net = Network([3, 1], "linear", "quadratic", seed=0)
    x, y = rng.uniform(-1, 1, (8, 3)), rng.uniform(-1, 1, (8, 1))
    param = Parameter("w", 1, 0, 0)
    s = Slice(net, x, y, [param])
    curvature = np.mean(x[:, 0] ** 2)  # E'' in w
    small = s.descend(s.value, 0.5 / curvature, 20)
    assert np.all(np.diff(small.E) <= 1e-15)
    jumpy = s.descend(s.value, 2.5 / curvature, 200)  # jumps over the minimum, further each time
    assert jumpy.diverged and np.all(np.diff(jumpy.E[:5]) > 0)
    sides = np.sign(jumpy.points[1:6, 0] - jumpy.points[:5, 0])
    assert np.all(sides[1:] == -sides[:-1])


def test_span_is_centred_on_the_value():
    v = span(0.3, 1.0, 201)
    assert v[100] == 0.3 and v[0] == pytest.approx(-0.7) and v[-1] == pytest.approx(1.3)
    assert span(-4.0)[0] == pytest.approx(-12.0)  # default: ±max(2, 2|value|)
    with pytest.raises(ValueError, match="range"):
        span(0.0, 0.0)


@pytest.mark.parametrize("text,message", [
    ("x:1:0", "w:L:J:K"), ("w:1:0", "w:L:J:K"), ("b:1:0:0", "w:L:J:K"),
    ("w:a:0:0", "whole numbers"), ("w:4:0:0", "between 1 and 3"),
    ("b:2:5", "neurons 0…1"), ("w:1:0:3", "layer 0 has neurons 0…0"),
])
def test_bad_parameters_are_refused(text, message):
    net = get_preset("running-example").build()
    with pytest.raises(ValueError, match=message):
        Parameter.parse(text, net)


def test_parameter_names():
    p = Parameter.parse(" W:2:0:1 ")
    assert (p.kind, p.layer, p.j, p.k, p.spec, p.name) == ("w", 2, 0, 1, "w:2:0:1", "w²₀₁")
    assert Parameter.parse("b:1:0").name == "b¹₀"
    net = get_preset("running-example").build()
    with pytest.raises(ValueError, match="same"):
        Slice(net, [0.5], [1.0], [p, Parameter("w", 2, 0, 1)])
