"""The document refuses a target its cost cannot take, with a message for the user; a cost
changed under an existing target turns the walk into a stated problem."""

import numpy as np
import pytest

from nnviz.core.network import Network


def test_a_typed_target_the_cost_cannot_take_is_refused(doc):
    net = Network([2, 3, 3], ["tanh", "softmax"], "log-likelihood", seed=0)
    doc.set_network(net)
    doc.set_input(np.array([0.2, 0.4]), target=np.array([0.0, 1.0, 0.0]))
    with pytest.raises(ValueError, match="needs a target that sums to 1"):
        doc.set_target([0.5, 0.2, 0.0])
    np.testing.assert_array_equal(doc.target, [0.0, 1.0, 0.0])  # unchanged
    doc.set_target([0.2, 0.3, 0.5])  # a distribution is fine
    assert doc.start_stepping() and doc.walk is not None


def test_a_cost_change_under_the_target_becomes_the_walk_problem(doc):
    doc.set_target([2.0])  # fine for the quadratic cost
    assert doc.start_stepping() and doc.walk is not None
    net = Network(doc.net.sizes, doc.net.activation_names, "cross-entropy")
    net.set_parameters(doc.net.weights, doc.net.biases)
    doc.change_structure(net, "cross-entropy cost")
    assert doc.walk is None
    assert doc.walk_problem.startswith("The cross-entropy cost needs targets between 0 and 1")
    with pytest.raises(ValueError, match="between 0 and 1"):
        doc.set_target([1.5])
    doc.set_target([1.0])
    assert doc.walk is not None and doc.walk_problem == ""
