import numpy as np
import pytest

from nnviz.core import Network
from nnviz.core.edits import MAX_ABS, check_value, layer_action, switched_off


def test_values_typed_by_hand_must_be_finite_and_sane():
    assert check_value("1.5") == 1.5 and check_value(-MAX_ABS) == -MAX_ABS
    for bad, words in [("abc", "not a number"), (float("nan"), "finite"),
                       (float("inf"), "finite"), (MAX_ABS * 2, "between"), (None, "not a")]:
        with pytest.raises(ValueError, match=words):
            check_value(bad)


def test_layer_actions_compute_new_arrays_and_leave_the_network_alone():
    net = Network([3, 4, 2], ["tanh", "softmax"], "log-likelihood", seed=0)
    w0, b0 = net.weights[0].copy(), net.biases[0].copy()
    w, b = layer_action(net, 1, "scale", 2.0)
    np.testing.assert_array_equal(w, 2 * w0)
    np.testing.assert_array_equal(b, 2 * b0)
    w, b = layer_action(net, 1, "zero")
    assert not w.any() and not b.any()
    w1, _ = layer_action(net, 1, "noise", 0.1, seed=3)
    w2, _ = layer_action(net, 1, "noise", 0.1, seed=3)
    np.testing.assert_array_equal(w1, w2)
    assert 0 < np.abs(w1 - w0).max() < 1
    w, b = layer_action(net, 2, "randomise", seed=1)  # the softmax output layer too
    assert w.shape == (2, 4) and not np.array_equal(w, net.weights[1])
    np.testing.assert_array_equal(net.weights[0], w0)  # untouched
    with pytest.raises(ValueError, match="between"):
        layer_action(net, 1, "scale", 1e6)  # the factor itself
    with pytest.raises(ValueError, match="within"):
        layer_action(net, 1, "scale", 900)  # the weights it would make
    with pytest.raises(ValueError, match="unknown"):
        layer_action(net, 1, "shuffle")
    with pytest.raises(ValueError, match="layer"):
        layer_action(net, 3, "zero")
    with pytest.raises(ValueError, match="≥ 0"):
        layer_action(net, 1, "noise", -1)


def test_switching_a_neuron_off_zeroes_what_it_feeds():
    net = Network([3, 4, 2], seed=0)
    w = switched_off(net, 1, 2)
    assert not w[:, 2].any()
    np.testing.assert_array_equal(np.delete(w, 2, axis=1), np.delete(net.weights[1], 2, axis=1))
    assert switched_off(net, 0, 1)[:, 1].sum() == 0  # an input can be switched off too
    with pytest.raises(ValueError, match="feed"):
        switched_off(net, 2, 0)
