"""The playground's input features: computed from the plane's points, the input layer changed
keeping what stays, and the circle separable without a hidden layer given x₁² and x₂²."""

import numpy as np
import pytest

from nnviz.core import plane_features as fx
from nnviz.core import playground as pg
from nnviz.core.network import Network, initial_layer
from nnviz.core.training import TrainConfig, train


def test_features_of_points():
    p = np.array([[0.5, -2.0], [1.0, 3.0]])
    keys = fx.check_keys(["sin x2", "x1", "x1x2", "x2^2", "x1^2", "x2", "sin x1"])
    assert keys == tuple(fx.FEATURES)  # in the controls' order
    m = fx.feature_matrix(p, keys)
    expected = np.stack([p[:, 0], p[:, 1], p[:, 0] ** 2, p[:, 1] ** 2, p[:, 0] * p[:, 1],
                         np.sin(p[:, 0]), np.sin(p[:, 1])], axis=1)
    np.testing.assert_array_equal(m, expected)
    assert fx.labels(("x1^2", "x1x2")) == ("x₁²", "x₁x₂")
    assert fx.keys_for_labels(("x₁²", "x₁x₂")) == ("x1^2", "x1x2")
    assert fx.keys_for_labels(("x1", "x2")) is None
    for bad in ([], ["x3"], ["x1", "x1"]):
        with pytest.raises(ValueError):
            fx.check_keys(bad)


def test_a_data_set_fed_features_keeps_its_points_and_targets():
    data = pg.make_data("circle")
    ds = fx.with_features(data.train, ("x1^2", "x2^2"))
    np.testing.assert_array_equal(ds.plane, data.train.x)
    np.testing.assert_array_equal(ds.x, data.train.x ** 2)
    assert ds.y is data.train.y and ds.n_inputs == 2
    points, keys = fx.plane_of(ds)
    assert keys == ("x1^2", "x2^2")
    again = fx.with_features(ds, ("x1", "x2", "x1x2"))  # from features back to others
    np.testing.assert_allclose(again.x[:, 2], data.train.x[:, 0] * data.train.x[:, 1])
    # the point of an input: read off it, or looked up among the data's points
    i = 7
    assert fx.point_of(again.x[i], again.features) == tuple(data.train.x[i])
    assert fx.point_of(ds.x[i], ds.features, ds) == tuple(data.train.x[i])
    assert fx.point_of(ds.x[i] + 1, ds.features, ds) is None


@pytest.mark.parametrize("init", ["standard", "scaled", "he"])
def test_set_inputs_keeps_the_weights_of_inputs_that_stay(init):
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "cross-entropy", seed=1, init=init)
    new = fx.set_inputs(net, ("x1", "x2"), ("x2", "x1^2", "sin x1"), seed=5)
    assert new.sizes == [3, 3, 1] and new.activation_names == net.activation_names
    assert new.cost_name == net.cost_name and new.init == init
    np.testing.assert_array_equal(new.weights[0][:, 0], net.weights[0][:, 1])  # x2 kept
    fresh, _ = initial_layer(init, 3, 3, np.random.default_rng(5))
    np.testing.assert_array_equal(new.weights[0][:, 1:], fresh[:, 1:])  # as the init draws
    np.testing.assert_array_equal(new.biases[0], net.biases[0])
    np.testing.assert_array_equal(new.weights[1], net.weights[1])
    assert net.sizes == [2, 3, 1]  # the network given is left alone
    with pytest.raises(ValueError):
        fx.set_inputs(net, ("x1",), ("x1", "x2"))


def _zero_hidden_accuracy(data, keys, seed):
    train_set, test_set = (fx.with_features(d, keys) for d in (data.train, data.test))
    net = Network([len(keys), 1], ["sigmoid"], "cross-entropy", seed=seed, init="scaled")
    train(net, train_set, TrainConfig(eta=0.1, batch_size=10, epochs=200, momentum=0.9,
                                      seed=0))
    return pg.accuracy(net, train_set), pg.accuracy(net, test_set)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_circle_is_separable_without_a_hidden_layer_given_the_squares(seed):
    clean = pg.make_data("circle", noise=0.0)
    assert min(_zero_hidden_accuracy(clean, ("x1^2", "x2^2"), seed)) >= 0.95
    assert max(_zero_hidden_accuracy(clean, ("x1", "x2"), seed)) <= 0.7  # a line cannot
    noisy = pg.make_data("circle")  # the playground's own noise: a few points lie across
    assert _zero_hidden_accuracy(noisy, ("x1^2", "x2^2"), seed)[0] >= 0.95
    assert _zero_hidden_accuracy(noisy, ("x1", "x2"), seed)[0] <= 0.7
