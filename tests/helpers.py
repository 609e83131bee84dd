"""Helpers shared by the tests: copies of a document's parameters and their comparison.

Import them as ``from tests.helpers import params, same, assert_same``.
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
