"""The universal-approximation panel: construction through the document, curves, drawing."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from nnviz.core import approximation as ap
from nnviz.core.network import Network
from nnviz.ui.constructions.approximation import XS, ApproximationPanel
from tests.helpers import params


@pytest.fixture
def panel(qtbot, doc_1_20_1):
    p = ApproximationPanel(doc_1_20_1)
    p.resize(700, 500)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_construct_sets_core_weights_as_one_undo_step(panel, doc_1_20_1):
    before = params(doc_1_20_1)
    panel.set_target_name("bump")
    panel.n_spin.setValue(20)
    count = doc_1_20_1.undo_stack.count()
    panel.construct()
    weights, biases = ap.construct(ap.TARGETS["bump"], 20, panel.steepness())
    for got, want in zip(doc_1_20_1.net.weights + doc_1_20_1.net.biases, weights + biases):
        np.testing.assert_array_equal(got, want)
    assert doc_1_20_1.undo_stack.count() == count + 1
    assert doc_1_20_1.undo_stack.undoText() == "Construct 20 steps"
    doc_1_20_1.undo()
    for got, want in zip(doc_1_20_1.net.weights + doc_1_20_1.net.biases, before[0] + before[1]):
        np.testing.assert_array_equal(got, want)


def test_output_curve_is_the_networks_feedforward(panel, doc_1_20_1):
    panel.construct()
    xs, ys = panel.output_curve.getData()
    np.testing.assert_array_equal(xs, XS)
    np.testing.assert_allclose(ys, doc_1_20_1.net.feedforward(XS.reshape(-1, 1))[:, 0])
    visible = [it for it in panel.hidden_items if it.isVisible()]
    assert len(visible) == 20
    np.testing.assert_allclose(visible[3].getData()[1], ap.hidden_curves(doc_1_20_1.net, XS)[3])


def test_changing_n_then_construct_changes_the_network_size(panel, doc_1_20_1):
    panel.n_spin.setValue(7)
    panel.construct()
    assert doc_1_20_1.net.sizes == [1, 7, 1]
    weights, _ = ap.construct(ap.TARGETS["bump"], 7, panel.steepness())
    np.testing.assert_array_equal(doc_1_20_1.net.weights[1], weights[1])
    assert sum(it.isVisible() for it in panel.hidden_items) == 7


def test_construct_replaces_a_linear_output_network(panel, doc_1_20_1):
    doc_1_20_1.load_preset("steps")  # 1-5-1 with a linear output: the construction needs σ there
    panel.construct()
    assert doc_1_20_1.net.activation_names == ["sigmoid", "sigmoid"]


def test_other_networks_show_the_message(panel, doc_1_20_1):
    doc_1_20_1.set_network(Network([2, 3, 1], seed=0))
    assert panel.message_box.isVisible() and not panel.plot.isVisible()
    assert "1-N-1" in panel.message.text()
    panel.n_spin.setValue(4)
    panel.make_button.click()
    assert doc_1_20_1.net.sizes == [1, 4, 1]
    assert panel.plot.isVisible() and not panel.message_box.isVisible()


def test_linear_network_shows_the_collapsed_map(panel, doc_1_20_1):
    assert not panel.linear_label.isVisible()
    doc_1_20_1.set_network(Network([2, 3, 1], "linear", seed=0))
    _, b = ap.collapsed_linear(doc_1_20_1.net)
    assert panel.linear_label.isVisible()
    assert "W x + b" in panel.linear_label.text()
    assert f"{b[0]:.3f}"[:4] in panel.linear_label.text()


def test_drawing_with_the_mouse_changes_the_target(qtbot, panel):
    panel.set_target_name("bump")
    before = panel.target_curve.getData()[1].copy()
    panel.set_drawing(True)
    vb = panel.plot.getPlotItem().vb

    def to_widget(x, y):
        scene = vb.mapViewToScene(QPointF(x, y))
        return panel.plot.mapFromScene(scene)  # viewport coordinates (no scroll)

    viewport = panel.plot.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=to_widget(0.1, 0.8))
    for x in np.linspace(0.1, 0.3, 6):
        qtbot.mouseMove(viewport, pos=to_widget(x, 0.8))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=to_widget(0.3, 0.8))
    after = panel.target_curve.getData()[1]
    assert panel.target_combo.currentData() == "drawn"
    inside = (XS > 0.12) & (XS < 0.28)
    np.testing.assert_allclose(after[inside], 0.8, atol=0.02)
    assert not np.allclose(after, before)
    np.testing.assert_allclose(after[XS > 0.4], before[XS > 0.4], atol=1e-3)  # untouched, resampled


def test_draw_to_clips_and_construct_uses_the_drawn_target(panel, doc_1_20_1):
    panel.begin_stroke()
    panel.draw_to(0.5, 1.7)
    panel.draw_to(0.7, -0.3)
    f = panel.target()
    assert f(0.5) == pytest.approx(0.98)
    assert f(0.7) == pytest.approx(0.02)
    panel.construct()
    weights, _ = ap.construct(f, 20, panel.steepness())
    np.testing.assert_array_equal(doc_1_20_1.net.weights[1], weights[1])


def test_error_table_is_shown(panel):
    text = panel.error_label.text()
    for n, e in ap.error_table(ap.TARGETS["bump"], steepness=panel.steepness()):
        assert f"N={n}: {e:.3g}" in text


def test_locked_document_disables_construct(panel, doc_1_20_1):
    lock = doc_1_20_1.lock("training is running")
    assert not panel.construct_button.isEnabled()
    lock.release("Training")
    assert panel.construct_button.isEnabled()
