import numpy as np
import pytest

from nnviz.core import Network


def test_gradient_step_is_w_minus_eta_gradient_and_leaves_the_network_alone():
    net = Network([3, 4, 2], "sigmoid", "quadratic", seed=1)
    x, y = np.array([0.2, -0.5, 0.9]), np.array([1.0, 0.0])
    before = [w.copy() for w in net.weights]
    w1, b1 = net.gradient_step(x, y, 0.5)
    grads = net.backward(net.forward(x), y)
    for w, w0, g in zip(w1, before, grads.weights):
        np.testing.assert_array_equal(w, w0 - 0.5 * g)
    for w, w0 in zip(net.weights, before):
        np.testing.assert_array_equal(w, w0)
    after = net.copy()
    after.set_parameters(w1, b1)
    assert after.cost(after.forward(x), y) < net.cost(net.forward(x), y)
    with pytest.raises(ValueError, match="positive"):
        net.gradient_step(x, y, float("nan"))


def test_misclassified_lists_exactly_the_wrong_answers():
    from nnviz.data import Dataset

    rng = np.random.default_rng(0)
    net = Network([5, 3], seed=2)
    data = Dataset(rng.normal(size=(2500, 5)), rng.integers(0, 3, 2500), name="d")
    idx, answers = net.misclassified(data, batch=1000)
    predicted = net.predict(data.inputs())
    np.testing.assert_array_equal(idx, np.flatnonzero(predicted != data.y))
    np.testing.assert_array_equal(answers, predicted[idx])
    with pytest.raises(ValueError, match="labels"):
        net.misclassified(Dataset(np.zeros((2, 5)), np.zeros((2, 3)), name="r"))


def test_a_network_can_start_from_given_parameters():
    src = Network([3, 4, 2], "tanh", seed=5)
    net = Network([3, 4, 2], "tanh", parameters=(src.weights, src.biases))
    for a, b in zip(net.weights + net.biases, src.weights + src.biases):
        np.testing.assert_array_equal(a, b)
        assert a is not b
    with pytest.raises(ValueError, match="shape"):
        Network([3, 5, 2], parameters=(src.weights, src.biases))


def test_binary_targets_get_an_accuracy_from_the_network_and_the_trainers_kernel():
    from nnviz.core.kernel import Kernel
    from nnviz.data.dataset import Dataset

    rng = np.random.default_rng(4)
    x = rng.normal(size=(50, 2))
    y = (rng.random((50, 1)) > 0.5).astype(float)
    ds = Dataset(x, y, name="yes/no")
    assert ds.is_binary and ds.has_accuracy and not ds.is_classification
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "cross-entropy", seed=2)
    expected = np.mean((net.feedforward(x)[:, 0] > 0.5) == (y[:, 0] == 1))
    cost, acc = net.evaluate(ds)
    assert acc == expected and 0 < acc < 1
    k_cost, k_acc = Kernel(net, np.float64).evaluate(ds)
    assert k_acc == expected and k_cost == pytest.approx(cost)
    # targets that are not all 0 or 1 have no accuracy
    soft = Dataset(x, np.clip(y, 0.1, 0.9), name="soft")
    assert not soft.is_binary and net.evaluate(soft)[1] is None
    assert Kernel(net, np.float64).evaluate(soft)[1] is None
