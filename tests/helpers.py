"""Helpers shared by the tests: copies of a document's parameters and their comparison, and
the activation/cost combinations the gradient tests run over with their random data.

Import them as ``from tests.helpers import params, same, assert_same`` (and ``HIDDEN``,
``PAIRS``, ``random_data``).
"""

import numpy as np


def params(doc):
    """Copies of the document's weights and biases: ``([w¹, w², …], [b¹, b², …])``."""
    return [w.copy() for w in doc.net.weights], [b.copy() for b in doc.net.biases]


def same(a, b) -> bool:
    """Whether two ``params`` results are equal bit for bit."""
    return all(np.array_equal(x, y) for xs, ys in zip(a, b) for x, y in zip(xs, ys))


def assert_same(a, b) -> None:
    """Assert two ``params`` results equal bit for bit (numpy names the first array that
    differs)."""
    for xs, ys in zip(a, b):
        for x, y in zip(xs, ys):
            np.testing.assert_array_equal(x, y)


#: Hidden-layer activations the gradient tests run over.
HIDDEN = ["sigmoid", "tanh", "relu", "leaky-relu", "linear"]
#: Every cost with every output activation it accepts.
PAIRS = [("quadratic", out) for out in ["sigmoid", "tanh", "relu", "leaky-relu", "linear",
                                        "softmax"]]
PAIRS += [("cross-entropy", "sigmoid"), ("log-likelihood", "softmax")]


def random_data(net, m, rng, onehot):
    """``m`` inputs in [−1, 1] for ``net`` and their targets: one-hot rows, or values in
    [0.1, 0.9] (for the quadratic cost)."""
    x = rng.uniform(-1, 1, (m, net.sizes[0]))
    if onehot:
        y = np.eye(net.sizes[-1])[rng.integers(0, net.sizes[-1], m)]
    else:
        y = rng.uniform(0.1, 0.9, (m, net.sizes[-1]))
    return x, y
