"""The edges' level of detail on big networks: "strongest edges only" ranks weights against
weights and biases against biases within each layer, full detail caps what it draws, and the
legend says which is shown."""

import numpy as np
import pytest

from nnviz.core import Network
from nnviz.ui.graph.edges import FULL_EDGES, LIVE_EDGES, SHARE, detail_lines, select_edges

DEEP = [784, 100, 100, 100, 10]


@pytest.fixture
def deep(window, mnist):
    """The window showing a 784-100-100-100-10 sigmoid net (weights N(0, 1/n), biases
    N(0, 1)) on a test digit."""
    window.doc.set_network(Network(DEEP, "sigmoid", seed=3, init="scaled"), "deep",
                           input_shape=(28, 28))
    window.use_mnist(mnist)
    assert window.doc.trace is not None
    return window


def _drawn(item) -> int:
    return sum(len(lines.ndarray()) for _, lines in item.bins)


@pytest.mark.parametrize("live", [False, True])
def test_every_layer_keeps_its_strongest_weights_and_its_strongest_biases(deep, live):
    view, net, doc = deep.view, deep.doc.net, deep.doc
    view.set_live(live)
    for l, item in enumerate(view.edge_items, start=1):
        w, b = net.weights[l - 1], net.biases[l - 1]
        if not item.dense:  # 100 → 10: every edge
            assert len(item.shown) == w.size and len(item.shown_bias) == b.size
            continue
        assert item.limited
        # The strongest 5% of the biases, ranked among the biases only (by |b|) …
        k = int(np.ceil(SHARE * b.size))
        assert sorted(item.shown_bias) == sorted(np.argsort(-np.abs(b))[:k])
        # … and the strongest 5% (at most LIVE_EDGES) of the weights by |w·a|, ranked among
        # the weights: between the hidden layers as many as from the image.
        n = min(LIVE_EDGES, int(np.ceil(SHARE * w.size)))
        score = (np.abs(w) * np.abs(doc.activations(l - 1))).ravel()
        assert len(item.shown) == n
        assert score[item.shown].min() >= np.sort(score)[-n]
        assert _drawn(item) == len(item.shown) + len(item.shown_bias)
    # Biases (N(0, 1)) do not crowd out the weights between hidden layers (N(0, 1/100)).
    for item in view.edge_items[1:3]:
        assert len(item.shown) >= 10 * len(item.shown_bias) > 0
    assert view.legend.detail == ["strongest edges only, per layer:",
                                  "top 5% of weights (≤ 1,500) and of biases"]
    assert set(view.legend.detail) <= set(view.legend.text_lines())


def test_the_drawn_bias_edges_are_the_ones_hit(deep):
    view = deep.view
    item = view.edge_items[1]
    hidden = np.setdiff1d(np.arange(100), item.shown_bias)
    for j, expect in ((int(item.shown_bias[0]), True), (int(hidden[0]), False)):
        x0, y0, x1, y1 = item.bias_seg[j]
        hit = item.edge_at(x0 + 0.9 * (x1 - x0), y0 + 0.9 * (y1 - y0), 0.5)
        assert (hit == ("bias", j, None)) is expect


def test_full_detail_caps_huge_layers_at_their_strongest_weights(deep):
    view, net = deep.view, deep.doc.net
    deep.act_all_edges.setChecked(True)
    first, second = view.edge_items[:2]
    assert not first.limited and len(first.shown) == FULL_EDGES < first.j_all.size
    w = np.abs(net.weights[0]).ravel()
    assert w[first.shown].min() >= np.sort(w)[-FULL_EDGES]
    assert len(first.shown_bias) == 100
    assert len(second.shown) == 100 * 100  # under the cap: every edge
    assert view.legend.detail == [f"at most the {FULL_EDGES:,} strongest weights per layer"]


def test_select_edges_on_a_small_layer_and_without_an_input():
    w = np.array([[0.1, -3.0, 0.2], [0.0, 0.5, -0.4]])
    b = np.array([5.0, -0.1])
    shown, bias = select_edges(w, b, None, limited=False)
    assert shown.tolist() == [0, 1, 2, 3, 4, 5] and bias.tolist() == [0, 1]
    shown, bias = select_edges(w, b, None, limited=True)  # one of each: |w| = 3, |b| = 5
    assert shown.tolist() == [1] and bias.tolist() == [0]
    shown, _ = select_edges(w, b, np.array([1.0, 0.0, 1.0]), limited=True)  # |w·a|: 0.4
    assert shown.tolist() == [5]
    assert detail_lines([]) == []
