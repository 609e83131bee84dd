"""The graph shows which neuron the Equations panel is about (a dashed ring), and names the
running example's neurons as the equations do."""

import re

from PySide6.QtGui import QFont, QFontMetrics

from nnviz.core import presets
from nnviz.ui.model.selection import Selection


def ring_at(item, view, layer, j):
    lay = view.layout.layers[layer]
    x, y = lay.pos[j]
    return item.shape_kind == "neuron" and item.data[:2] == (x, y)


def test_the_neuron_the_equations_explain_is_ringed_in_the_graph(window):
    window.load_preset("running-example")
    doc, view = window.doc, window.view
    ring = view.subject_item
    assert ring.shape_kind is None  # not stepping: nothing explained
    doc.walk_go(6)  # backward, layer 2: the default is the neuron with the largest |δ|
    heading = window.equations.text.toPlainText().splitlines()[0]
    layer, j = map(int, re.search(r"layer (\d+).*neuron (\d+)", heading).groups())
    assert ring.dashed and ring_at(ring, view, layer, j)
    # The selection outside the stage's layer: the equations keep the default, and say so
    # with the ring, while the selection keeps its own outline.
    doc.select(Selection("neuron", 3, 0))
    assert ring_at(ring, view, layer, j) and ring_at(view.selection_item, view, 3, 0)
    # A selection the equations explain: its outline is the one ring.
    doc.select(Selection("neuron", 2, 1))
    assert "neuron 1" in window.equations.text.toPlainText().splitlines()[0]
    assert ring.shape_kind is None and ring_at(view.selection_item, view, 2, 1)
    doc.select(None)
    doc.walk_go(3)  # forward, layer 3: the output
    assert ring_at(ring, view, 3, 0)
    doc.stop_stepping()
    assert ring.shape_kind is None


def test_the_running_example_names_its_neurons_as_the_equations_do():
    p = presets.get_preset("running-example")
    assert p.output_labels == ("neuron 0",)  # the equations' "layer 3 · neuron 0"
    assert "counts from 0" in p.caption and "neuron 9 is layer 3 · neuron 0" in p.caption


def test_the_output_label_fits_in_the_fitted_view(window):
    window.load_preset("xor")  # a long name: "x1 XOR x2"
    view = window.view
    x0, y0, x1, y1 = view.bounds()
    labels = view.labels_item
    label = next(t for t in labels.texts if "XOR" in t.text)
    font = QFont()
    font.setPixelSize(round(view.colours.font_label))
    assert label.x + QFontMetrics(font).horizontalAdvance(label.text) <= x1
