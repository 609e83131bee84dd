"""The walk (nnviz.core.stepper) against arithmetic done by hand, stage by stage.

The expected numbers below are written out with math.exp and the chain rule, not taken from the
network, so that a slip in Network.forward/backward or in the walk shows up here.
"""

import itertools
import math
import zlib

import numpy as np
import pytest

from nnviz.core import Network, check_gradient
from nnviz.core.presets import get_preset
from nnviz.core.stepper import Stage, Walk
from tests.helpers import HIDDEN, PAIRS


def sigma(z):
    return 1.0 / (1.0 + math.exp(-z))


def approx(value):
    return pytest.approx(value, rel=1e-12, abs=1e-300)


# -- chain: x → a¹ → a² → a³, one sigmoid neuron per layer ---------------------------------------

def chain_by_hand(x, y, eta):
    """Every number of the chain preset's walk (w = 2, 1.5, 2.5; b = −1, −0.5, −1), by hand."""
    w1, w2, w3 = 2.0, 1.5, 2.5
    b1, b2, b3 = -1.0, -0.5, -1.0

    def forward(w1, b1, w2, b2, w3, b3):
        z1 = w1 * x + b1
        a1 = sigma(z1)
        z2 = w2 * a1 + b2
        a2 = sigma(z2)
        z3 = w3 * a2 + b3
        a3 = sigma(z3)
        return z1, a1, z2, a2, z3, a3

    z1, a1, z2, a2, z3, a3 = forward(w1, b1, w2, b2, w3, b3)
    E = 0.5 * (a3 - y) ** 2
    # BP1: δ³ = (a³ − y) σ'(z³), σ' = σ(1 − σ); BP2: δ^l = w^(l+1) δ^(l+1) σ'(z^l).
    d3 = (a3 - y) * a3 * (1 - a3)
    d2 = w3 * d3 * a2 * (1 - a2)
    d1 = w2 * d2 * a1 * (1 - a1)
    # BP4: ∂E/∂w^l = a^(l−1) δ^l; BP3: ∂E/∂b^l = δ^l.
    gw1, gw2, gw3 = x * d1, a1 * d2, a2 * d3
    gb1, gb2, gb3 = d1, d2, d3
    new = (w1 - eta * gw1, b1 - eta * gb1, w2 - eta * gw2, b2 - eta * gb2,
           w3 - eta * gw3, b3 - eta * gb3)
    a3_after = forward(*new)[-1]
    E_after = 0.5 * (a3_after - y) ** 2
    return dict(z=[z1, z2, z3], a=[x, a1, a2, a3], E=E, delta=[d1, d2, d3],
                grad_w=[gw1, gw2, gw3], grad_b=[gb1, gb2, gb3],
                w_after=[new[0], new[2], new[4]], b_after=[new[1], new[3], new[5]],
                E_after=E_after)


@pytest.mark.parametrize("x,y,eta", [(1.0, 0.0, 0.5), (-0.7, 0.9, 0.1), (2.0, 1.0, 3.0)])
def test_chain_walk_matches_hand_arithmetic(x, y, eta):
    walk = Walk(get_preset("chain").build(), [x], [y], eta=eta)
    hand = chain_by_hand(x, y, eta)
    for l in (1, 2, 3):
        assert walk.trace.z[l][0] == approx(hand["z"][l - 1])
        assert walk.trace.a[l][0] == approx(hand["a"][l])
        assert walk.grads.delta[l][0] == approx(hand["delta"][l - 1])
        assert walk.grads.weights[l - 1][0, 0] == approx(hand["grad_w"][l - 1])
        assert walk.grads.biases[l - 1][0] == approx(hand["grad_b"][l - 1])
        assert walk.params_after[0][l - 1][0, 0] == approx(hand["w_after"][l - 1])
        assert walk.params_after[1][l - 1][0] == approx(hand["b_after"][l - 1])
    assert walk.trace.a[0][0] == x
    assert walk.E_before == approx(hand["E"])
    assert walk.E_after == approx(hand["E_after"])
    assert walk.output_error[0] == approx(hand["a"][3] - y)


def test_chain_preset_numbers():
    """The preset's own example, x = 1 and y = 0, with a few values written out."""
    walk = Walk(get_preset("chain").build(), [1.0], [0.0])
    assert walk.eta == 0.5
    assert walk.trace.z[1][0] == 1.0  # 2·1 − 1
    assert walk.trace.a[1][0] == approx(1 / (1 + math.exp(-1)))
    assert walk.E_before == pytest.approx(0.2102, abs=1e-4)
    assert walk.E_after == pytest.approx(0.1889, abs=1e-4)


# -- xor: 2-2-1, hidden OR and NAND, output AND ------------------------------------------------

def xor_by_hand(x, y, eta):
    x0, x1 = x
    W1 = [[20.0, 20.0], [-20.0, -20.0]]
    B1 = [-10.0, 30.0]
    W2 = [20.0, 20.0]
    B2 = -30.0

    def forward(W1, B1, W2, B2):
        z1 = [W1[j][0] * x0 + W1[j][1] * x1 + B1[j] for j in (0, 1)]
        a1 = [sigma(z) for z in z1]
        z2 = W2[0] * a1[0] + W2[1] * a1[1] + B2
        return z1, a1, z2, sigma(z2)

    z1, a1, z2, a2 = forward(W1, B1, W2, B2)
    E = 0.5 * (a2 - y) ** 2
    d2 = (a2 - y) * a2 * (1 - a2)  # BP1
    d1 = [W2[j] * d2 * a1[j] * (1 - a1[j]) for j in (0, 1)]  # BP2
    gW1 = [[d1[j] * x0, d1[j] * x1] for j in (0, 1)]  # BP4
    gW2 = [d2 * a1[0], d2 * a1[1]]
    W1n = [[W1[j][k] - eta * gW1[j][k] for k in (0, 1)] for j in (0, 1)]
    B1n = [B1[j] - eta * d1[j] for j in (0, 1)]  # BP3: ∂E/∂b = δ
    W2n = [W2[k] - eta * gW2[k] for k in (0, 1)]
    B2n = B2 - eta * d2
    a2_after = forward(W1n, B1n, W2n, B2n)[-1]
    return dict(z1=z1, a1=a1, z2=z2, a2=a2, E=E, d1=d1, d2=d2, gW1=gW1, gW2=gW2, W1n=W1n,
                B1n=B1n, W2n=W2n, B2n=B2n, E_after=0.5 * (a2_after - y) ** 2)


@pytest.mark.parametrize("x,y,eta", [((1.0, 0.0), 1.0, 0.5), ((1.0, 0.0), 0.0, 0.5),
                                     ((0.3, 0.6), 0.0, 2.0), ((0.5, 0.45), 1.0, 0.05)])
def test_xor_walk_matches_hand_arithmetic(x, y, eta):
    walk = Walk(get_preset("xor").build(), x, [y], eta=eta)
    h = xor_by_hand(x, y, eta)
    for j in (0, 1):
        assert walk.trace.z[1][j] == approx(h["z1"][j])
        assert walk.trace.a[1][j] == approx(h["a1"][j])
        assert walk.grads.delta[1][j] == approx(h["d1"][j])
        assert walk.grads.biases[0][j] == approx(h["d1"][j])
        assert walk.grads.weights[1][0, j] == approx(h["gW2"][j])
        assert walk.params_after[0][1][0, j] == approx(h["W2n"][j])
        assert walk.params_after[1][0][j] == approx(h["B1n"][j])
        for k in (0, 1):
            assert walk.grads.weights[0][j, k] == approx(h["gW1"][j][k])
            assert walk.params_after[0][0][j, k] == approx(h["W1n"][j][k])
    assert walk.trace.z[2][0] == approx(h["z2"])
    assert walk.trace.a[2][0] == approx(h["a2"])
    assert walk.grads.delta[2][0] == approx(h["d2"])
    assert walk.grads.biases[1][0] == approx(h["d2"])
    assert walk.params_after[1][1][0] == approx(h["B2n"])
    assert walk.E_before == approx(h["E"])
    assert walk.E_after == pytest.approx(h["E_after"], rel=1e-9, abs=1e-300)


# -- stages and what is known ------------------------------------------------------------------

def test_stage_order_and_count():
    walk = Walk(get_preset("chain").build(), [1.0], [0.0])
    L = 3
    assert len(walk.stages) == 2 * L + 5
    assert walk.stages == [
        Stage("input"), Stage("forward", 1), Stage("forward", 2), Stage("forward", 3),
        Stage("error"), Stage("backward", 3), Stage("backward", 2), Stage("backward", 1),
        Stage("backward", 0), Stage("gradients"), Stage("update"),
    ]
    xor = Walk(get_preset("xor").build(), [1, 0], [1])
    assert len(xor.stages) == 9
    assert [s.kind for s in xor.stages] == ["input", "forward", "forward", "error", "backward",
                                           "backward", "backward", "gradients", "update"]
    assert [s.layer for s in xor.stages] == [None, 1, 2, None, 2, 1, 0, None, None]
    assert all(s.title for s in walk.stages)
    assert walk.stages[8].title == "Backward, input: δ⁰ = ∂E/∂x"


def test_known_flags_at_each_stage():
    walk = Walk(get_preset("chain").build(), [1.0], [0.0])
    # (forward_known, error_known, delta_known, gradients_known, updated, current_layer)
    expected = [
        (0, False, None, False, False, 0),
        (1, False, None, False, False, 1),
        (2, False, None, False, False, 2),
        (3, False, None, False, False, 3),
        (3, True, None, False, False, 3),
        (3, True, 3, False, False, 3),
        (3, True, 2, False, False, 2),
        (3, True, 1, False, False, 1),
        (3, True, 0, False, False, 0),
        (3, True, 0, True, False, None),
        (3, True, 0, True, True, None),
    ]
    for i, flags in enumerate(expected):
        walk.go(i)
        got = (walk.forward_known, walk.error_known, walk.delta_known, walk.gradients_known,
               walk.updated, walk.current_layer)
        assert got == flags, f"stage {i} {walk.stage}"
        for l in range(4):
            assert walk.is_forward_known(l) == (l <= flags[0])
        for l in range(4):
            assert walk.is_delta_known(l) == (flags[2] is not None and l >= flags[2])
    assert walk.at_end and not walk.at_start


def _snapshot(walk):
    d = walk.to_dict()
    d.pop("stages")
    return d


def test_moving_never_changes_the_numbers():
    net = get_preset("running-example").build()
    walk = Walk(net, [0.5], [1.0])
    start = _snapshot(walk)
    trace_z = [None] + [z.copy() for z in walk.trace.z[1:]]
    seen = []
    while not walk.at_end:
        seen.append(walk.index)
        walk.next()
        assert _snapshot(walk) == start
    assert walk.next() == walk.stages[-1]  # clamped at the end
    while not walk.at_start:
        walk.back()
        assert _snapshot(walk) == start
    assert walk.back() == walk.stages[0]  # clamped at the start
    assert walk.go(-5) == walk.stages[0] and walk.index == 0
    assert walk.go(99) == walk.stages[-1] and walk.index == len(walk.stages) - 1
    walk.first()
    assert walk.index == 0
    walk.last()
    assert walk.updated
    for i in [3, 7, 1, 9, 0, 5]:
        walk.go(i)
        assert walk.index == i
        assert _snapshot(walk) == start
    assert seen == list(range(len(walk.stages) - 1))
    for l in range(1, 4):
        assert np.array_equal(walk.trace.z[l], trace_z[l])
    # A second walk of the same example gives bit-identical numbers.
    assert _snapshot(Walk(net, [0.5], [1.0])) == start


def test_parameters_before_are_copies_not_aliases():
    net = get_preset("xor").build()
    original = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    walk = Walk(net, [1, 0], [1])
    (wb, bb), (wa, ba) = walk.params_before, walk.params_after
    for l in range(2):
        assert np.array_equal(wb[l], net.weights[l]) and np.array_equal(bb[l], net.biases[l])
        for arr in (wb[l], bb[l], wa[l], ba[l]):
            assert not np.shares_memory(arr, net.weights[l])
            assert not np.shares_memory(arr, net.biases[l])
        assert not np.shares_memory(wb[l], wa[l]) and not np.shares_memory(bb[l], ba[l])
    # Changing the walk's copies does not change the network ...
    wb[0][0, 0] = 123.0
    bb[1][0] = -7.0
    assert np.array_equal(net.weights[0], original[0][0])
    assert np.array_equal(net.biases[1], original[1][1])
    # ... and changing the network does not change the walk.
    walk2 = Walk(net, [1, 0], [1])
    net.weights[0][1, 1] = 55.0
    net.biases[0][0] = 9.0
    assert walk2.params_before[0][0][1, 1] == -20.0
    assert walk2.params_before[1][0][0] == -10.0
    # The input and target are copied too.
    x, y = np.array([1.0, 0.0]), np.array([1.0])
    walk3 = Walk(get_preset("xor").build(), x, y)
    x[0], y[0] = 5.0, 0.0
    assert walk3.x.tolist() == [1.0, 0.0] and walk3.y.tolist() == [1.0]
    assert walk3.trace.a[0].tolist() == [1.0, 0.0]


def test_owner_applying_params_after_then_before_restores_exactly():
    net = get_preset("running-example").build()
    before = [w.copy() for w in net.weights]
    walk = Walk(net, [0.5], [1.0])
    walk.last()
    net.set_parameters(*walk.params_after)
    assert net.cost(net.forward(walk.x), walk.y) == walk.E_after
    walk.back()
    net.set_parameters(*walk.params_before)
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, before))
    assert net.cost(net.forward(walk.x), walk.y) == walk.E_before


def test_delta_params_is_minus_eta_gradient():
    walk = Walk(get_preset("running-example").build(), [0.5], [1.0], eta=0.3)
    dw, db = walk.delta_params()
    for l in range(3):
        assert np.array_equal(dw[l], -0.3 * walk.grads.weights[l])
        assert np.array_equal(db[l], -0.3 * walk.grads.biases[l])
        assert np.allclose(walk.params_before[0][l] + dw[l], walk.params_after[0][l],
                           rtol=0, atol=1e-15)


# -- the update lowers E -----------------------------------------------------------------------

@pytest.mark.parametrize("key", ["chain", "xor", "running-example", "2-3-1", "steps"])
def test_small_step_lowers_E_on_presets(key):
    preset = get_preset(key)
    walk = Walk(preset.build(), preset.example, preset.target, eta=1e-3)
    assert walk.E_after < walk.E_before


@pytest.mark.parametrize("key", ["concert", "and", "or"])
def test_step_presets_cannot_learn(key):
    preset = get_preset(key)
    walk = Walk(preset.build(), preset.example, [0.0], eta=0.5)  # a wrong target
    assert walk.E_before > 0
    assert all(not g.any() for g in walk.grads.weights + walk.grads.biases)
    assert walk.E_after == walk.E_before


@pytest.mark.parametrize("hidden,pair", list(itertools.product(HIDDEN, PAIRS)))
def test_small_step_lowers_E_on_random_nets(hidden, pair):
    cost, output = pair
    rng = np.random.default_rng(zlib.crc32(f"{hidden}/{cost}/{output}".encode()))
    for seed in range(20):
        net = Network([3, 4, 3], [hidden, output], cost, seed=seed, init="scaled")
        x = rng.uniform(-1, 1, 3)
        y = (np.eye(3)[rng.integers(3)] if cost == "log-likelihood"
             else rng.uniform(0.1, 0.9, 3))
        walk = Walk(net, x, y, eta=1e-4)
        g2 = sum(float(np.sum(g**2)) for g in walk.grads.weights + walk.grads.biases)
        if g2 > 1e-8:
            break
    assert walk.E_after < walk.E_before
    # To first order the decrease is η‖∇E‖²: the update really steps along −∇E.
    assert (walk.E_before - walk.E_after) == pytest.approx(1e-4 * g2, rel=0.05)


def test_step_hidden_layer_passes_no_gradient():
    net = Network([2, 3, 1], ["step", "sigmoid"], seed=0)
    walk = Walk(net, [0.3, -0.8], [1.0])
    assert not walk.grads.delta[1].any()
    assert not walk.grads.weights[0].any() and not walk.grads.biases[0].any()
    assert walk.grads.delta[2].any()


# -- η -----------------------------------------------------------------------------------------

def test_set_eta_recomputes_the_update_only():
    walk = Walk(get_preset("chain").build(), [1.0], [0.0], eta=0.5)
    first = _snapshot(walk)
    walk.go(4)
    walk.set_eta(2.0)
    assert walk.eta == 2.0 and walk.index == 4
    hand = chain_by_hand(1.0, 0.0, 2.0)
    assert walk.E_after == approx(hand["E_after"])
    for l in range(3):
        assert walk.params_after[0][l][0, 0] == approx(hand["w_after"][l])
    assert walk.E_before == first["E_before"]
    assert [p.tolist() for p in walk.params_before[0]] == [d["w"] for d in first["layers"]]
    walk.set_eta(0.5)
    assert _snapshot(walk) == first


@pytest.mark.parametrize("eta", [0, -0.1, float("nan"), float("inf"), "abc", None])
def test_bad_eta_raises_and_leaves_the_walk_as_it_was(eta):
    walk = Walk(get_preset("chain").build(), [1.0], [0.0], eta=0.5)
    before = _snapshot(walk)
    with pytest.raises(ValueError, match="η must be a positive number"):
        walk.set_eta(eta)
    assert _snapshot(walk) == before
    with pytest.raises(ValueError, match="η must be a positive number"):
        Walk(get_preset("chain").build(), [1.0], [0.0], eta=eta)


@pytest.mark.parametrize("x,y,message", [
    ([1.0, 2.0], [0.0], "the input needs 1 value, got shape"),
    ([], [0.0], "the input needs 1 value"),
    ([[1.0]], [0.0], "the input needs 1 value"),
    ([1.0], [0.0, 1.0], "the target needs 1 value, got shape"),
    ([float("nan")], [0.0], "must be finite"),
    ([1.0], [float("inf")], "must be finite"),
    (["one"], [0.0], "the input must be numbers"),
    ([1.0], ["zero"], "the target must be numbers"),
    ([1.0], None, "the target needs 1 value"),
])
def test_bad_input_or_target_raises(x, y, message):
    with pytest.raises(ValueError, match=message):
        Walk(get_preset("chain").build(), x, y)


# -- against finite differences ----------------------------------------------------------------

@pytest.mark.parametrize("key,x,y", [("chain", [1.0], [0.0]), ("running-example", [0.5], [1.0]),
                                     ("2-3-1", [0.5, 0.5], [1.0])])
def test_gradients_agree_with_finite_differences(key, x, y):
    net = get_preset(key).build()
    walk = Walk(net, x, y)
    for l in range(1, net.L + 1):
        n_out, n_in = net.weights[l - 1].shape
        for j, k in [(0, 0), (n_out - 1, n_in - 1)]:
            check = check_gradient(net, x, y, l, j, k)
            assert check.numeric == pytest.approx(walk.grads.weights[l - 1][j, k],
                                                  rel=1e-6, abs=1e-10)
        check = check_gradient(net, x, y, l, n_out - 1)
        assert check.numeric == pytest.approx(walk.grads.biases[l - 1][-1], rel=1e-6, abs=1e-10)
