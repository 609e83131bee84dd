"""Each layer's signal: the share of saturated or dead units on the forward pass and ‖δ^l‖
(RMS) on the backward pass, checked against values worked out by hand."""

import numpy as np
import pytest

from nnviz.core import Network, Walk
from nnviz.core.activations import get_activation
from nnviz.core.layer_stats import (
    Share,
    batch_delta_norms,
    batch_shares,
    delta_norms,
    delta_rms,
    forward_shares,
    layer_share,
)


def test_sigmoid_units_within_0_02_of_0_or_1_are_saturated():
    a = np.array([0.0, 0.019, 0.02, 0.021, 0.5, 0.979, 0.98, 1.0])
    # 0, 0.019, 0.02 (≤ 0.02) and 0.98, 1.0 (≥ 0.98): 5 of 8
    assert layer_share(get_activation("sigmoid"), a) == Share("saturated", 5 / 8, 8)


def test_tanh_saturates_near_minus_one_and_one():
    a = np.array([-1.0, -0.99, -0.97, 0.0, 0.5, 0.981])
    assert layer_share(get_activation("tanh"), a) == Share("saturated", 3 / 6, 6)


def test_relu_units_at_zero_are_dead():
    a = np.array([0.0, 0.0, 0.0, 1e-9, 2.5])
    assert layer_share(get_activation("relu"), a) == Share("dead", 0.6, 5)


def test_step_units_are_always_saturated_and_some_activations_have_no_share():
    assert layer_share(get_activation("step"), np.array([0.0, 1.0, 1.0])).share == 1.0
    for name in ("leaky-relu", "linear", "softmax"):
        assert layer_share(get_activation(name), np.array([0.0, 0.5, 1.0])) is None


def test_a_batch_counts_every_unit_of_every_sample():
    a = np.array([[0.0, 0.5], [0.99, 0.3], [0.6, 0.01]])  # 3 saturated of 6
    assert layer_share(get_activation("sigmoid"), a) == Share("saturated", 0.5, 6)


def test_forward_shares_of_a_network():
    # 1 input → 2 relu → 2 sigmoid, weights chosen so that the hand computation is short.
    net = Network([1, 2, 2], ["relu", "sigmoid"], seed=0)
    net.set_parameters([np.array([[1.0], [-1.0]]), np.array([[10.0, 0.0], [0.0, 0.0]])],
                       [np.zeros(2), np.array([0.0, 0.0])])
    # x = 1: z¹ = (1, −1), a¹ = (1, 0): one dead of two; z² = (10, 0), a² = (σ(10), 0.5):
    # σ(10) = 0.99995 ≥ 0.98, one saturated of two.
    shares = forward_shares(net, net.forward(np.array([1.0])))
    assert shares == [None, Share("dead", 0.5, 2), Share("saturated", 0.5, 2)]
    # Over the batch x = 1, x = −1: a¹ = (1, 0) and (0, 1), 2 dead of 4; z² = (10, 0) and
    # (0, 0): 1 saturated of 4.
    shares = batch_shares(net, np.array([[1.0], [-1.0]]))
    assert shares[1] == Share("dead", 0.5, 4) and shares[2] == Share("saturated", 0.25, 4)
    with pytest.raises(ValueError):
        batch_shares(net, np.array([1.0]))


def test_delta_rms_is_the_root_mean_square_over_the_neurons():
    assert delta_rms(np.array([3.0, -4.0])) == pytest.approx(np.sqrt(12.5))
    assert delta_rms(np.array([[1.0, -1.0], [1.0, 1.0]])) == pytest.approx(1.0)
    assert delta_rms(np.zeros(0)) == 0.0
    assert delta_norms([None, np.array([0.0, 2.0])]) == [None, pytest.approx(np.sqrt(2.0))]


def test_delta_norms_of_a_walk_and_of_a_batch():
    # 1 → 1 → 1 linear, quadratic cost, w = (2, 3), b = 0: x = 1, y = 0 gives a¹ = 2,
    # a² = 6, δ² = a² − y = 6, δ¹ = w² δ² = 18.
    net = Network([1, 1, 1], "linear", seed=0)
    net.set_parameters([np.array([[2.0]]), np.array([[3.0]])], [np.zeros(1), np.zeros(1)])
    walk = Walk(net, [1.0], [0.0])
    # The walk goes on to the pixels: δ⁰ = ∂E/∂x = w¹ δ¹ = 36 (the trainer's backward pass
    # stops at δ¹, as the batch below shows).
    assert delta_norms(walk.grads.delta) == [pytest.approx(36.0), pytest.approx(18.0),
                                             pytest.approx(6.0)]
    # Batch x = (1, −1), y = (0, 0): δ² = (6, −6), δ¹ = (18, −18): RMS 6 and 18.
    norms = batch_delta_norms(net, np.array([[1.0], [-1.0]]), np.zeros((2, 1)))
    assert norms == [None, pytest.approx(18.0), pytest.approx(6.0)]
