"""The level of detail of dense layers: exactly the strongest edges, without scoring a huge
layer all at once."""

import tracemalloc

import numpy as np
import pytest

from nnviz.core import Network
from nnviz.ui.graph.strongest import strongest_edges


def brute_force(w, a, cap):
    score = np.abs(w) * (np.abs(a) if a is not None else 1.0)
    score = score.ravel()
    nonzero = np.flatnonzero(score)
    if nonzero.size <= cap:
        return nonzero
    return np.sort(nonzero[np.argsort(-score[nonzero], kind="stable")[:cap]])


@pytest.mark.parametrize("shape,cap", [((30, 784), 1500), ((100, 100), 1500),
                                       ((256, 784), 1500), ((300, 2000), 250_000),
                                       ((40, 40), 1500), ((1000, 1000), 7)])
@pytest.mark.parametrize("with_input", [False, True])
def test_the_strongest_edges_are_those_a_full_sort_finds(shape, cap, with_input):
    rng = np.random.default_rng(shape[0] * 7 + cap)
    w = rng.standard_normal(shape)
    a = None
    if with_input:  # an MNIST-like input: most pixels 0
        a = np.where(rng.random(shape[1]) < 0.2, rng.random(shape[1]), 0.0)
    got = strongest_edges(w, a, cap)
    np.testing.assert_array_equal(got, brute_force(w, a, cap))


def test_a_sample_that_misjudges_still_gives_the_strongest():
    """Nearly every weight 0 and a few large ones far from where the sample looks."""
    w = np.zeros((500, 4000))
    rng = np.random.default_rng(1)
    spots = rng.choice(w.size, 2500, replace=False)
    spots = spots[spots % 7 != 0]  # never in an evenly spaced sample of step 7
    w.flat[spots] = rng.uniform(1, 2, spots.size)
    got = strongest_edges(w, None, 1500)
    np.testing.assert_array_equal(got, brute_force(w, None, 1500))
    w2 = np.zeros((10, 10))
    assert strongest_edges(w2, None, 5).size == 0  # all 0: nothing to show


def test_a_huge_layer_is_scored_a_block_at_a_time():
    w = np.random.default_rng(2).standard_normal((2048, 4096))  # 67 MB
    a = np.random.default_rng(3).random(4096)
    tracemalloc.start()
    try:
        got = strongest_edges(w, a, 1500)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 0.25 * w.nbytes, peak  # a full score array alone would be w.nbytes
    np.testing.assert_array_equal(got, brute_force(w, a, 1500))


def test_a_big_network_draws_without_an_object_per_edge(window, qtbot):
    """A 2048-2048-10 network (4.2M edges): its graph is built without per-edge arrays (the
    segments of every edge alone were 134 MB), shows its strongest edges, and hover, click
    and selection of an edge still work."""
    from nnviz.ui.graph.edges import LIVE_EDGES
    from nnviz.ui.model.selection import Selection

    net = Network([2048, 2048, 10], seed=0, init="scaled")
    size = sum(w.nbytes + b.nbytes for w, b in zip(net.weights, net.biases))
    tracemalloc.start()
    try:
        window.doc.set_network(net, "big")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the document's baseline copy of the parameters is the one big allocation
    assert peak < 1.4 * size, (peak, size)
    view = window.view
    big = view.edge_items[0]
    assert big.n_edges == 2048 * 2048 and big.shown.size == LIVE_EDGES
    np.testing.assert_array_equal(big.shown, strongest_edges(net.weights[0], None, LIVE_EDGES))
    i = int(big.shown[0])
    j, k = divmod(i, 2048)
    x0, y0, x1, y1 = big.segments([i])[0]
    assert (x0, y0) == tuple(big.prev.pos[k]) and y1 == big.cur.pos[j][1]
    found = big.edge_at(0.5 * (x0 + x1), 0.5 * (y0 + y1), 1e-6)
    assert found is not None and found[0] == "edge"
    window.doc.select(Selection("edge", 1, j, k))
    assert big._all is None  # no array over every edge was made
