"""The graph view: presets open, hover/click pick the right thing, zoom/fit, the colour scale,
the level of detail for big layers."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from nnviz.core import Network
from nnviz.core.notation import format_number
from nnviz.core.presets import PRESETS
from nnviz.ui.graph.edges import FULL_EDGES, LIVE_EDGES
from nnviz.ui.look import style
from nnviz.ui.model.selection import Change, Selection


@pytest.mark.parametrize("key", list(PRESETS))
def test_window_opens_with_each_preset(window, key):
    window.load_preset(key)
    expected = PRESETS[key].build()
    assert window.doc.net.sizes == expected.sizes
    for w, e in zip(window.doc.net.weights, expected.weights):
        np.testing.assert_array_equal(w, e)
    assert window.windowTitle() == f"nnviz — {PRESETS[key].title}[*]"
    assert not window.isWindowModified()
    assert window.about.caption.text() == PRESETS[key].caption
    assert len(window.view.edge_items) == expected.L


def test_hover_and_click_pick_neurons_and_edges(window, qtbot):
    view, doc = window.view, window.doc
    lay = view.layout.layers[1]
    x, y = lay.pos[1]
    assert view.item_at(x, y) == Selection("neuron", 1, 1)
    # A quarter of the way along w^1_{1,0} (input 0 → hidden 1) is on that edge only (the
    # midpoint is where it crosses w^1_{0,1}).
    e = view.edge_items[0]
    i = 1 * e.prev.n + 0
    seg = e.seg_all[i]
    mx, my = seg[0] + 0.25 * (seg[2] - seg[0]), seg[1] + 0.25 * (seg[3] - seg[1])
    assert view.item_at(mx, my) == Selection("edge", 1, 1, 0)
    text = view.describe(Selection("edge", 1, 1, 0))
    assert text.startswith(f"w^1_1,0 = {doc.net.weights[0][1, 0]:.10g}")
    # Hover emits the same explanation; a click selects through the document.
    with qtbot.waitSignal(view.hovered) as hovered:
        view.hover_at(view.vb.mapViewToScene(QPointF(x, y)))
    assert "neuron 1 of layer 1" in hovered.args[0] and "a = " in hovered.args[0]
    with qtbot.waitSignal(doc.changed) as changed:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.view_point(mx, my))
    assert changed.args[0] == Change.SELECTION and doc.selection == Selection("edge", 1, 1, 0)
    assert view.selection_item.shape_kind == "edge"
    far = view.layout.bounds()
    assert view.item_at(far[0] + 1, far[1] + 1) is None


def test_neuron_tooltip_shows_the_core_numbers(window):
    doc = window.doc
    text = window.view.describe(Selection("neuron", 2, 0))
    assert f"z = {doc.trace.z[2][0]:.10g}" in text
    assert f"a = {doc.trace.a[2][0]:.10g}" in text
    assert f"b = {doc.net.biases[1][0]:.10g}" in text


def test_bias_edges_are_hit_and_hideable(window):
    view = window.view
    seg = view.edge_items[0].bias_seg[0]
    mx, my = (seg[0] + seg[2]) / 2, (seg[1] + seg[3]) / 2
    assert view.item_at(mx, my) == Selection("bias", 1, 0)
    window.act_bias.setChecked(False)
    assert view.layout.layers[0].bias_pos is None
    assert view.edge_items[0].bias_seg is None


def test_zoom_and_fit(window):
    view = window.view
    (x0, x1), _ = view.vb.viewRange()
    view.zoom(2.0)
    (z0, z1), _ = view.vb.viewRange()
    assert (z1 - z0) == pytest.approx((x1 - x0) / 2, rel=0.01)
    view.fit()
    (f0, f1), (g0, g1) = view.vb.viewRange()
    bx0, by0, bx1, by1 = view.layout.bounds()
    assert f0 <= bx0 and f1 >= bx1 and g0 <= by0 and g1 >= by1
    assert min(f1 - f0 - (bx1 - bx0), g1 - g0 - (by1 - by0)) < 0.1 * (bx1 - bx0)


def test_colour_and_width_follow_sign_and_magnitude():
    assert tuple(style.diverging_rgb(-1.0)) == style.NEGATIVE
    assert tuple(style.diverging_rgb(1.0)) == style.POSITIVE
    assert tuple(style.diverging_rgb(0.0)) == style.NEUTRAL
    w = np.array([-2.0, -0.1, 0.0, 0.1, 1.0, 2.0])
    levels = style.edge_levels(w, 2.0)
    assert levels.tolist() == [7, 0, 8, 8, 12, 15]
    rgb_neg, alpha_neg, width_neg = style.level_style(7)
    rgb_pos, alpha_pos, width_pos = style.level_style(15)
    rgb_weak, alpha_weak, width_weak = style.level_style(8)
    assert rgb_neg[0] > rgb_neg[2] and rgb_pos[2] > rgb_pos[0]  # orange vs blue
    assert width_pos > width_weak and alpha_pos > alpha_weak
    assert width_neg == width_pos  # sign changes colour only, magnitude sets width


def test_edges_are_binned_by_the_document_weights(window):
    net = Network([2, 2], "sigmoid")
    net.set_parameters([np.array([[-2.0, 0.0], [0.5, 2.0]])], [np.array([0.0, 0.0])])
    window.doc.set_network(net, "test")
    item = window.view.edge_items[0]
    widths = {}
    for pen, lines in item.bins:
        for seg in lines.ndarray():
            widths[tuple(np.round(seg, 3))] = (pen.color().blue() > pen.color().red(),
                                               pen.widthF())
    strong_pos = widths[tuple(np.round(item.seg_all[3], 3))]  # w_11 = 2
    strong_neg = widths[tuple(np.round(item.seg_all[0], 3))]  # w_00 = −2
    weak_pos = widths[tuple(np.round(item.seg_all[2], 3))]    # w_10 = 0.5
    assert strong_pos[0] and not strong_neg[0]
    assert strong_pos[1] == strong_neg[1] > weak_pos[1]


def test_big_layers_use_a_level_of_detail(window):
    window.load_preset("mnist-100")
    view = window.view
    first = view.edge_items[0]
    assert first.dense and len(first.shown) == LIVE_EDGES
    # The strongest edges are the ones drawn.
    w = np.abs(window.doc.net.weights[0]).ravel()
    assert w[first.shown].min() >= np.sort(w)[-LIVE_EDGES]
    window.act_all_edges.setChecked(True)  # every edge, up to the strongest FULL_EDGES
    assert len(first.shown) == min(784 * 100, FULL_EDGES)
    view.set_live(True)  # while live, the level of detail returns
    assert len(first.shown) == LIVE_EDGES
    assert "strongest edges only, per layer:" in window.view.legend.text_lines()


def test_input_image_and_strongest_w_times_a(window, mnist):
    window.load_preset("mnist-30")
    window.use_mnist(mnist)
    doc, first = window.doc, window.view.edge_items[0]
    assert doc.x is not None and doc.trace is not None
    score = np.abs(doc.net.weights[0] * doc.x).ravel()
    assert np.all(score[first.shown] > 0)
    assert score[first.shown].min() >= np.sort(score)[-LIVE_EDGES]
    window.act_next.trigger()
    assert doc.example_index == 1 and "label" in doc.input_description


def test_small_nets_show_numbers(window):
    labels = window.view.labels_item.texts
    texts = [t[2] for t in labels]
    net = window.doc.net
    assert format_number(net.weights[0][0, 0]) in texts
    assert format_number(window.doc.trace.a[2][0]) in texts
    window.act_numbers.setChecked(False)
    assert len(window.view.labels_item.texts) < len(labels)


def test_the_legend_says_why_every_number_has_vanished(window, qtbot):
    from PySide6.QtWidgets import QDockWidget

    from nnviz.ui.graph.legend import NUMBERS_HIDDEN

    view = window.view
    for dock in window.findChildren(QDockWidget):  # the graph alone: room for its numbers
        dock.hide()
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: view.width() > 1200)
    view.fit()
    view.grab()  # paints: the labels decide what is readable at this zoom
    qtbot.wait(0)
    labels = view.labels_item
    assert labels.mask.any() and not view.numbers_hidden
    assert NUMBERS_HIDDEN not in view.legend.text_lines()
    view.zoom(0.1)  # as in a narrow graph: every number too small to draw
    view.grab()
    qtbot.waitUntil(lambda: view.numbers_hidden)
    number = np.array([t.number for t in labels.texts])
    assert number.any() and not labels.mask[number].any()
    assert NUMBERS_HIDDEN in view.legend.text_lines()
    assert view.legend.width() >= view.legend.fontMetrics().horizontalAdvance(NUMBERS_HIDDEN)
    window.act_numbers.setChecked(False)  # no numbers asked for: nothing to explain
    qtbot.waitUntil(lambda: not view.numbers_hidden)
    assert NUMBERS_HIDDEN not in view.legend.text_lines()
    window.act_numbers.setChecked(True)
    view.grab()
    qtbot.waitUntil(lambda: view.numbers_hidden)
    view.fit()  # readable again
    view.grab()
    qtbot.waitUntil(lambda: not view.numbers_hidden)
    assert NUMBERS_HIDDEN not in view.legend.text_lines()


def test_per_layer_scale_switch(window):
    window.load_preset("steps")
    legend = window.view.legend
    assert not legend.per_layer and len(set(legend.scales)) == 1
    window.act_per_layer.setChecked(True)
    assert legend.per_layer and legend.scales[0] != legend.scales[1]
    assert any(line.startswith("w¹") for line in legend.text_lines())


def _edge_point(view, l, j, k, t=0.25):
    e = view.edge_items[l - 1]
    seg = e.seg_all[j * e.prev.n + k]
    return seg[0] + t * (seg[2] - seg[0]), seg[1] + t * (seg[3] - seg[1])


def test_the_wheel_on_the_selected_edge_nudges_its_weight_in_one_undo_step(window, qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view, doc = window.view, window.doc
    doc.select(Selection("edge", 1, 1, 0))
    w0 = doc.net.weights[0][1, 0]
    pos = QPointF(view.view_point(*_edge_point(view, 1, 1, 0)))
    vp = view.viewport()
    for _ in range(3):
        ev = QWheelEvent(pos, QPointF(vp.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                         QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                         Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(vp, ev)
    assert doc.net.weights[0][1, 0] == pytest.approx(w0 + 3 * 0.1 * max(abs(w0), 1))
    assert doc.undo_stack.count() == 1
    doc.undo()
    assert doc.net.weights[0][1, 0] == w0


def test_dragging_the_selected_bias_neuron_nudges_its_bias(window, qtbot):
    view, doc = window.view, window.doc
    lay = view.layout.layers[1]
    doc.select(Selection("neuron", 1, 0))
    b0 = doc.net.biases[0][0]
    start = view.view_point(*lay.pos[0])
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for dy in (10, 30, 50):
        _move(vp, start.x(), start.y() - dy)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=start - QPoint(0, 50))
    assert doc.net.biases[0][0] == pytest.approx(b0 + 50 * view.DRAG_STEP * max(abs(b0), 1))
    assert doc.undo_stack.count() == 1 and doc.undo_stack.undoText().startswith("Set b¹₀")
    assert doc.selection == Selection("neuron", 1, 0)
    doc.undo()
    assert doc.net.biases[0][0] == b0


def test_nothing_is_nudged_while_training_runs_or_off_the_selection(window, qtbot):
    view, doc = window.view, window.doc
    doc.select(Selection("neuron", 1, 0))
    lay = view.layout.layers[1]
    lock = doc.lock("training is running")
    start = view.view_point(*lay.pos[0])
    vp = view.viewport()
    b0 = doc.net.biases[0][0]
    with qtbot.waitSignal(view.hovered) as said:
        qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
        _move(vp, start.x(), start.y() - 20)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=start)
    assert "Not now" in said.args[0] and doc.net.biases[0][0] == b0
    lock.release("Training")
    other = view.view_point(*lay.pos[1])  # a neuron that is not selected: a plain click
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=other)
    assert doc.selection == Selection("neuron", 1, 1) and doc.undo_stack.count() == 0


def _move(vp, x, y, modifiers=Qt.KeyboardModifier.NoModifier):
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    p = QPointF(x, y)
    ev = QMouseEvent(QMouseEvent.Type.MouseMove, p, QPointF(vp.mapToGlobal(p.toPoint())),
                     Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, modifiers)
    QApplication.sendEvent(vp, ev)


@pytest.mark.parametrize("modifiers,per_pixel", [
    (Qt.KeyboardModifier.NoModifier, 0.2),  # 1 % of |w| = 20 per pixel: 20 → 0 in 100 px
    (Qt.KeyboardModifier.ShiftModifier, 0.02),
    (Qt.KeyboardModifier.ControlModifier, 2.0),
])
def test_a_drag_nudges_a_large_weight_in_steps_its_size(window, qtbot, modifiers, per_pixel):
    view, doc = window.view, window.doc
    doc.set_weight(1, 1, 0, 20.0)
    doc.select(Selection("edge", 1, 1, 0))
    start = view.view_point(*_edge_point(view, 1, 1, 0))
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for dy in (10, 30, 50):  # the step is the start's: moves add up linearly
        _move(vp, start.x(), start.y() + dy, modifiers)
    assert doc.net.weights[0][1, 0] == pytest.approx(20.0 - 50 * per_pixel)
    _move(vp, start.x(), start.y(), modifiers)  # back where it started: the value too
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=start)
    assert doc.net.weights[0][1, 0] == pytest.approx(20.0)


def test_the_wheel_nudges_a_large_weight_in_steps_its_size(window):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view, doc = window.view, window.doc
    doc.set_weight(1, 1, 0, -20.0)
    doc.select(Selection("edge", 1, 1, 0))
    pos = QPointF(view.view_point(*_edge_point(view, 1, 1, 0)))
    vp = view.viewport()
    for mods, notches in ((Qt.KeyboardModifier.NoModifier, 3),
                          (Qt.KeyboardModifier.ShiftModifier, 1),
                          (Qt.KeyboardModifier.ControlModifier, -1)):
        for _ in range(abs(notches)):
            ev = QWheelEvent(pos, QPointF(vp.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                             QPoint(0, 120 if notches > 0 else -120), Qt.MouseButton.NoButton,
                             mods, Qt.ScrollPhase.NoScrollPhase, False)
            QApplication.sendEvent(vp, ev)
    # 10 % of |w| = 20 a notch (the burst's start), a tenth with Shift, ten times with Ctrl
    assert doc.net.weights[0][1, 0] == pytest.approx(-20.0 + 3 * 2.0 + 0.2 - 20.0)


def test_the_input_image_is_remade_only_when_the_input_changes(window, monkeypatch, mnist):
    window.load_preset("mnist-30")
    window.use_mnist(mnist)
    image, doc = window.view.image_item, window.doc
    made = []
    original = type(image).setImage
    monkeypatch.setattr(type(image), "setImage",
                        lambda self, *a, **k: (made.append(1), original(self, *a, **k)))
    doc.replace_parameters([w * 1.01 for w in doc.net.weights], doc.net.biases, "Scale")
    assert made == []  # weights changed, the input did not
    window.act_next.trigger()
    assert made == [1]
    shown = image.image
    assert shown is not None and shown.shape == (28, 28)
