"""The inspector: shows the core's numbers for the selection exactly as format_number does,
edits through the document as one undo step each (a slider drag, a paint stroke: one step),
refuses bad values without changing anything, and follows the lock."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from nnviz.core import Network
from nnviz.core.edits import MAX_ABS
from nnviz.core.notation import format_number
from nnviz.ui.inspector import panel as inspector_module
from nnviz.ui.inspector.panel import HINT, InspectorPanel, slider_span
from nnviz.ui.inspector.weight_painter import brush_coverage
from nnviz.ui.model.document import Document
from nnviz.ui.model.selection import Change, Selection
from tests.helpers import params, same

LOCK = ("training is running: stop it (Train › Stop training, Ctrl+.) to change the "
        "network")


@pytest.fixture
def panel(qtbot, doc):
    p = InspectorPanel(doc)
    qtbot.addWidget(p)
    p.resize(360, 700)
    p.show()
    return p


@pytest.fixture
def mnist_doc(qapp):
    d = Document()
    d.set_network(Network([784, 30, 10], seed=0), "m", input_shape=(28, 28))
    d.set_input(np.random.default_rng(0).random(784))
    return d


def visible(panel, widget):
    return widget.isVisibleTo(panel)


def shown_with(qtbot, doc, selection):
    """A panel on screen at dock size with ``selection`` selected and laid out."""
    p = InspectorPanel(doc)
    qtbot.addWidget(p)
    p.resize(360, 700)
    p.show()
    qtbot.waitExposed(p)
    doc.select(selection)
    QApplication.processEvents()  # the layout places the newly shown widgets
    return p


# -- showing ---------------------------------------------------------------------------------
def test_nothing_selected_shows_the_hint(panel):
    assert visible(panel, panel.hint) and panel.hint.text() == HINT
    assert not visible(panel, panel.neuron_page) and not visible(panel, panel.edge_page)


def test_a_neuron_shows_z_a_b_as_the_core_computed_them(panel, doc):
    doc.select(Selection("neuron", 2, 1))
    z, a, b = doc.trace.z[2][1], doc.trace.a[2][1], doc.net.biases[1][1]
    assert panel.z_value.text() == format_number(z) and panel.z_value.toolTip() == repr(float(z))
    assert panel.a_value.text() == format_number(a) and panel.a_value.toolTip() == repr(float(a))
    assert panel.bias_field.text() == format_number(b)
    assert repr(float(b)) in panel.bias_field.toolTip()
    assert panel.activation.text() == "sigmoid"
    assert panel.title.text() == "Neuron 1 of layer 2 (hidden)"
    assert panel.delta_value.text() == "—"  # not stepping
    t = panel.table
    assert t.rowCount() == 2
    for k in range(2):
        assert t.item(k, 0).text() == str(k)
        assert t.item(k, 1).text() == format_number(doc.trace.a[1][k])
        assert t.item(k, 2).text() == format_number(doc.net.weights[1][1, k])
    assert visible(panel, t) and not visible(panel, panel.paint_box)


def test_without_an_input_numbers_are_dashes(qtbot, doc):
    doc.x, doc.trace = None, None  # as before any input is chosen
    p = InspectorPanel(doc)
    qtbot.addWidget(p)
    doc.select(Selection("neuron", 1, 0))
    assert p.z_value.text() == p.a_value.text() == "—"
    assert "no input" in p.z_value.toolTip()


def test_an_input_neuron_shows_only_a_and_can_be_switched_off(panel, doc):
    doc.select(Selection("neuron", 0, 0))
    assert panel.a_value.text() == format_number(doc.x[0])
    assert not visible(panel, panel.bias_field) and not visible(panel, panel.table)
    assert not visible(panel, panel.layer_box)
    assert panel.switch_button.isEnabled()
    assert panel.switch_off()
    assert np.all(doc.net.weights[0][:, 0] == 0) and doc.undo_stack.count() == 1


def test_the_walk_fills_in_delta_and_gradients(panel, doc):
    doc.set_target([1.0])
    doc.start_stepping()
    doc.walk_go(100)
    walk = doc.walk
    doc.select(Selection("neuron", 2, 1))
    assert panel.delta_value.text() == format_number(walk.grads.delta[2][1])
    doc.select(Selection("edge", 2, 1, 0))
    assert panel.gradient.text() == format_number(walk.grads.weights[1][1, 0])
    assert panel.gradient.toolTip() == repr(float(walk.grads.weights[1][1, 0]))
    doc.select(Selection("bias", 2, 1))
    assert panel.gradient.text() == format_number(walk.grads.biases[1][1])
    doc.walk_go(0)  # back before the backward pass: not known yet
    assert panel.gradient.text() == "—"


def test_an_input_neuron_shows_its_input_gradient_once_the_walk_reaches_it(panel, doc):
    doc.set_target([1.0])
    doc.start_stepping()
    doc.select(Selection("neuron", 0, 0))
    assert not visible(panel, panel.delta_value)  # an input has no z, no δ of its own
    walk = doc.walk
    doc.walk_go(2 * doc.net.L + 2)  # the last backward stage: δ⁰ = ∂E/∂x
    assert walk.stage.kind == "backward" and walk.stage.layer == 0
    assert visible(panel, panel.delta_value)
    assert panel.delta_value.text() == format_number(walk.input_gradient[0])
    assert panel.delta_value.toolTip() == repr(float(walk.input_gradient[0]))
    label = panel.neuron_form.labelForField(panel.delta_value).text()
    assert label == "δ⁰₀ = ∂E/∂x₀"
    doc.walk_go(2 * doc.net.L + 1)  # one stage back: δ¹ only
    assert not visible(panel, panel.delta_value)


def test_an_edge_shows_its_name_ends_and_value(panel, doc):
    doc.select(Selection("edge", 2, 1, 0))
    assert panel.title.text() == "Weight w²₁₀"
    assert "neuron 0 of layer 1" in panel.subtitle.text()
    assert "neuron 1 of layer 2" in panel.subtitle.text()
    w = doc.net.weights[1][1, 0]
    assert panel.value_field.text() == format_number(w) and repr(float(w)) in \
        panel.value_field.toolTip()
    assert panel.source_value.text() == format_number(doc.trace.a[1][0])
    assert panel.slider_range() == slider_span(w)
    assert panel.gradient.text() == "—"


def test_changes_from_elsewhere_show_at_once(panel, doc):
    doc.select(Selection("edge", 2, 1, 0))
    doc.set_weight(2, 1, 0, 0.375)
    assert panel.value_field.text() == "0.375"
    doc.undo()
    assert panel.value_field.text() != "0.375"
    doc.load_preset("xor")  # a new network clears the selection
    assert visible(panel, panel.hint)


# -- editing ---------------------------------------------------------------------------------
def type_into(qtbot, field, text):
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_the_bias_field_sets_the_bias_exactly_as_one_step(qtbot, panel, doc):
    doc.select(Selection("neuron", 2, 1))
    before = params(doc)
    type_into(qtbot, panel.bias_field, "-0.125")
    assert doc.net.biases[1][1] == -0.125
    assert doc.undo_stack.count() == 1 and panel.message.text() == ""
    assert panel.bias_field.text() == "−0.125"
    assert panel.z_value.text() == format_number(doc.trace.z[2][1])
    doc.undo()
    assert same(params(doc), before)


def test_a_table_cell_sets_the_weight_exactly(panel, doc):
    doc.select(Selection("neuron", 2, 1))
    panel.table.item(0, 2).setText("0.75")
    assert doc.net.weights[1][1, 0] == 0.75 and doc.undo_stack.count() == 1
    assert panel.table.item(0, 2).text() == format_number(0.75)


@pytest.mark.parametrize("bad", ["abc", "nan", "1e9", "inf"])
def test_bad_values_are_refused_at_the_field_and_change_nothing(qtbot, panel, doc, bad):
    before = params(doc)
    doc.select(Selection("neuron", 2, 1))
    shown = panel.bias_field.text()
    type_into(qtbot, panel.bias_field, bad)
    assert panel.message.text() and visible(panel, panel.message)
    assert panel.bias_field.text() == shown  # back to the model's value
    cell = panel.table.item(1, 2).text()
    panel.table.item(1, 2).setText(bad)
    assert panel.table.item(1, 2).text() == cell  # the cell reverts
    doc.select(Selection("edge", 2, 1, 0))
    type_into(qtbot, panel.value_field, bad)
    assert panel.message.text()
    assert doc.undo_stack.count() == 0 and same(params(doc), before)


def test_an_untouched_field_never_rounds_the_value(qtbot, panel, doc):
    doc.select(Selection("neuron", 2, 1))
    b = doc.net.biases[1][1]
    panel.bias_field.editingFinished.emit()  # Enter or leaving the field without a change
    qtbot.keyClick(panel.bias_field, Qt.Key.Key_Return)
    assert doc.net.biases[1][1] == b and doc.undo_stack.count() == 0


def test_the_message_names_the_rule(qtbot, panel, doc):
    doc.select(Selection("bias", 1, 0))
    type_into(qtbot, panel.value_field, "1e9")
    assert "1000" in panel.message.text()
    type_into(qtbot, panel.value_field, "abc")
    assert "“abc” is not a number" in panel.message.text()
    panel.value_field.setText("−0.5")  # a real minus sign (QTest types ASCII only)
    panel.value_field.editingFinished.emit()  # a good value clears the message
    assert panel.message.text() == "" and doc.net.biases[0][0] == -0.5


def test_a_slider_drag_is_one_undo_step_and_the_range_holds_still(panel, doc):
    doc.select(Selection("edge", 2, 1, 0))
    before = params(doc)
    lo, hi = panel.slider_range()
    panel.slider.sliderPressed.emit()
    for tick in (600, 700, 900, 1000):
        panel.slider.setValue(tick)
        assert panel.slider_range() == (lo, hi)  # the range holds still during the drag
        assert doc.net.weights[1][1, 0] == lo + (hi - lo) * tick / 1000
    panel.slider.sliderReleased.emit()
    assert doc.undo_stack.count() == 1
    assert doc.net.weights[1][1, 0] == hi
    assert panel.slider_range() == (lo, hi)  # and after it: no re-centring on the new value
    assert panel.slider.value() == 1000
    doc.undo()
    assert same(params(doc), before) and panel.slider_range() == (lo, hi)


def test_the_slider_range_is_decided_on_selection_and_widens_only_when_left(qtbot, panel, doc):
    doc.set_weight(2, 1, 0, 20.0)
    doc.select(Selection("edge", 2, 1, 0))
    assert panel.slider_range() == (-20.0, 60.0)
    for _ in range(2):  # to the top and back to the bottom, twice: the ends stay where they are
        for tick in (1000, 0):
            panel.slider.sliderPressed.emit()
            panel.slider.setValue(tick)
            panel.slider.sliderReleased.emit()
            assert panel.slider_range() == (-20.0, 60.0)
    assert doc.net.weights[1][1, 0] == -20.0
    type_into(qtbot, panel.value_field, "100")  # the value leaves the range: it widens
    assert panel.slider_range() == (-20.0, 300.0)
    assert panel.slider_low.text() == format_number(-20.0)
    type_into(qtbot, panel.value_field, "5")  # back inside: kept
    assert panel.slider_range() == (-20.0, 300.0) and panel.slider.value() == round(25 / 320 * 1000)
    doc.select(Selection("bias", 2, 0))
    doc.select(Selection("edge", 2, 1, 0))  # selected afresh: decided afresh
    assert panel.slider_range() == slider_span(5.0) == (-5.0, 15.0)


def test_a_value_below_the_range_moves_only_the_lower_end():
    from nnviz.ui.inspector.edge_page import steady_span

    assert steady_span((-20.0, 60.0), -100.0) == (-300.0, 60.0)
    assert steady_span((-20.0, 60.0), 60.0) == (-20.0, 60.0)
    assert steady_span((-1.0, 1.0), 999.0) == (-1.0, 1000.0)  # never past ±MAX_ABS


def test_wheel_steps_close_together_are_one_undo_step(qtbot, panel, doc):
    doc.select(Selection("bias", 2, 0))
    span = panel.slider_range()
    for tick in (510, 520, 530):
        panel.slider.setValue(tick)
    qtbot.waitUntil(lambda: not panel.slider_gesture_open, timeout=3000)
    assert doc.undo_stack.count() == 1
    assert panel.slider_range() == span


def test_switch_off_reset_and_layer_actions(panel, doc):
    doc.select(Selection("neuron", 1, 0))
    baseline = params(doc)
    assert panel.switch_off()
    assert np.all(doc.net.weights[1][:, 0] == 0)
    doc.set_bias(1, 0, 3.0)
    assert panel.reset_neuron()
    assert same(params(doc), baseline) and doc.undo_stack.count() == 3
    w, b = doc.net.weights[0].copy(), doc.net.biases[0].copy()
    assert panel.run_layer_action("scale", 2.0)
    np.testing.assert_array_equal(doc.net.weights[0], 2 * w)
    np.testing.assert_array_equal(doc.net.biases[0], 2 * b)
    assert panel.run_layer_action("zero")
    assert not doc.net.weights[0].any() and not doc.net.biases[0].any()
    assert panel.run_layer_action("randomise", seed=1) and doc.net.weights[0].any()
    assert panel.run_layer_action("noise", 0.1, seed=2)
    count = doc.undo_stack.count()
    assert not panel.run_layer_action("noise", -1.0)  # refused, with the reason
    assert "standard deviation" in panel.message.text() and doc.undo_stack.count() == count


def test_the_output_layer_cannot_be_switched_off(panel, doc):
    doc.select(Selection("neuron", 3, 0))
    assert not panel.switch_button.isEnabled()
    assert "feeds nothing" in panel.switch_button.toolTip()


def test_the_layer_buttons_ask_then_act(panel, doc, monkeypatch):
    asked = []

    def get_double(parent, title, label, value, lo, hi, decimals):
        asked.append(title)
        return 0.5, True

    monkeypatch.setattr(inspector_module.QInputDialog, "getDouble", staticmethod(get_double))
    doc.select(Selection("neuron", 2, 0))
    w = doc.net.weights[1].copy()
    panel.layer_buttons["scale"].click()
    assert asked == ["Scale layer 2"]
    np.testing.assert_array_equal(doc.net.weights[1], 0.5 * w)
    panel.layer_buttons["zero"].click()
    assert asked == ["Scale layer 2"] and not doc.net.weights[1].any()


def test_locked_means_every_edit_widget_is_disabled_with_the_reason(panel, doc):
    doc.select(Selection("neuron", 2, 1))
    lock = doc.lock(LOCK)
    assert visible(panel, panel.lock_label) and LOCK in panel.lock_label.text()
    assert not panel.bias_field.isEnabled() and not panel.switch_button.isEnabled()
    assert not panel.reset_button.isEnabled()
    assert not any(b.isEnabled() for b in panel.layer_buttons.values())
    assert panel.table.editTriggers() == panel.table.EditTrigger.NoEditTriggers
    assert not panel.run_layer_action("zero")
    assert LOCK.lower() in panel.message.text().lower()
    doc.select(Selection("edge", 2, 1, 0))
    assert not panel.value_field.isEnabled() and not panel.slider.isEnabled()
    lock.release("Training")
    assert not visible(panel, panel.lock_label)
    assert panel.value_field.isEnabled() and panel.slider.isEnabled()


# -- large fan-ins ---------------------------------------------------------------------------
def test_a_large_fan_in_without_an_image_lists_the_largest_weights(qtbot):
    d = Document()
    d.set_network(Network([100, 3, 2], seed=0), "wide")
    d.set_input(np.linspace(0, 1, 100))
    p = InspectorPanel(d)
    qtbot.addWidget(p)
    d.select(Selection("neuron", 1, 2))
    row = d.net.weights[0][2]
    assert p.table.rowCount() == 64 and p.summary.isVisibleTo(p)
    assert format_number(row.max()) in p.summary.text()
    ks = [int(p.table.item(r, 0).text()) for r in range(64)]
    assert sorted(np.abs(row)[ks]) == sorted(np.sort(np.abs(row))[-64:])
    k = ks[5]
    p.table.item(5, 2).setText("0.001")
    assert d.net.weights[0][2, k] == 0.001 and d.undo_stack.count() == 1


def test_a_weight_image_is_shown_for_an_image_input(qtbot, mnist_doc):
    p = shown_with(qtbot, mnist_doc, Selection("neuron", 1, 3))
    assert p.paint_box.isVisible() and not p.table.isVisible()
    row = mnist_doc.net.weights[0][3]
    assert p.painter.scale == np.abs(row).max()
    assert p.painter.cell() >= 8  # big enough to paint on
    assert p.painter.grab().width() >= 28 * 8


def stroke(qtbot, painter, cells, button=Qt.MouseButton.LeftButton,
           modifier=Qt.KeyboardModifier.NoModifier):
    """Press on the first (row, column), move through the rest, release on the last."""
    points = [painter.pixel_centre(r, c) for r, c in cells]
    qtbot.mousePress(painter, button, modifier, points[0])
    for pt in points[1:]:
        qtbot.mouseMove(painter, pt)
    qtbot.mouseRelease(painter, button, modifier, points[-1])


@pytest.mark.parametrize("button, modifier, sign", [
    (Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, 1),
    (Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, -1),
    (Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, -1)])
def test_a_paint_stroke_is_one_undo_step_near_the_pixels(qtbot, mnist_doc, button, modifier,
                                                         sign):
    p = shown_with(qtbot, mnist_doc, Selection("neuron", 1, 3))
    before = params(mnist_doc)
    changes = []
    mnist_doc.changed.connect(lambda change: changes.append(change & Change.PARAMETERS))
    cells = [(10, 8), (10, 10), (11, 12), (12, 14)]
    stroke(qtbot, p.painter, cells, button, modifier)
    assert len(changes) == len(cells)  # the press and every move edit live
    assert mnist_doc.undo_stack.count() == 1
    assert mnist_doc.undo_stack.undoText() == "Paint the weights into neuron 3 of layer 1"
    diff = (mnist_doc.net.weights[0][3] - before[0][0][3]).reshape(28, 28)
    for r, c in cells:
        assert sign * diff[r, c] > 0.5 * p.painter.strength
    assert sign * diff.min(initial=0) >= 0 if sign > 0 else diff.max() <= 0
    assert diff[0, 0] == 0 and diff[27, 27] == 0 and diff[20, 10] == 0  # far away: untouched
    others = [w.copy() for w in mnist_doc.net.weights]
    assert np.array_equal(np.delete(others[0], 3, axis=0), np.delete(before[0][0], 3, axis=0))
    assert p.painter.scale == np.abs(mnist_doc.net.weights[0][3]).max()  # the image follows
    mnist_doc.undo()
    assert same(params(mnist_doc), before)
    stroke(qtbot, p.painter, [(3, 3)])  # the next stroke is a step of its own
    assert mnist_doc.undo_stack.count() == 1 and mnist_doc.undo_stack.canUndo()


def test_painting_is_refused_while_locked(qtbot, mnist_doc):
    p = shown_with(qtbot, mnist_doc, Selection("neuron", 1, 0))
    mnist_doc.lock(LOCK)
    before = params(mnist_doc)
    stroke(qtbot, p.painter, [(5, 5), (6, 6)])
    assert same(params(mnist_doc), before) and mnist_doc.undo_stack.count() == 0
    assert not p.paint_box.strength.isEnabled()


def test_painting_clamps_to_the_limit(qtbot, mnist_doc):
    p = InspectorPanel(mnist_doc)
    qtbot.addWidget(p)
    mnist_doc.select(Selection("neuron", 1, 0))
    row = np.zeros(784)
    row[14 * 28 + 14] = MAX_ABS - 1
    mnist_doc.set_incoming(1, 0, row)
    p.paint_box.strength.setValue(50)
    p.painter.begin_stroke(14.5, 14.5)
    p.painter.end_stroke()
    assert mnist_doc.net.weights[0][0].max() == MAX_ABS
    assert p.message.text() == ""


def test_the_brush_is_soft_round_and_zero_outside():
    c = brush_coverage((28, 28), (10.5, 10.5), (10.5, 10.5), 2.0)
    assert c[10, 10] == 1.0 and 0 < c[10, 11] < 1 and c[10, 11] == c[11, 10]
    assert c[10, 13] == 0 and np.count_nonzero(c) < 20
    line = brush_coverage((28, 28), (5.5, 5.5), (20.5, 5.5), 1.0)
    assert np.all(line[5, 5:21] == 1.0) and line[5, 21:].max() < 1


def test_an_unfinished_edit_lands_on_what_it_showed_when_the_selection_moves(qtbot, panel,
                                                                               doc):
    doc.select(Selection("edge", 2, 1, 0))
    panel.value_field.setText("0.25")  # typed, Enter not pressed yet
    doc.select(Selection("neuron", 2, 0))
    panel.value_field.editingFinished.emit()  # e.g. the hidden field loses the focus
    assert doc.net.weights[1][1, 0] == 0.25 and doc.undo_stack.count() == 1
    before = params(doc)
    panel.table.setCurrentCell(1, 2)  # as a double-click does: an open cell editor, typed into
    panel.table.editItem(panel.table.item(1, 2))
    editor = panel.table.findChild(QLineEdit)
    editor.setText("0.5")
    doc.select(Selection("neuron", 1, 1))
    assert doc.net.weights[1][0, 1] == 0.5  # w²₀₁, the cell that was being edited
    assert same(params(doc), (before[0][:1] + [doc.net.weights[1]] + before[0][2:], before[1]))
    assert doc.undo_stack.count() == 2


# -- undo keys in a field ----------------------------------------------------------------------
@pytest.fixture
def in_window(qtbot, doc):
    """The panel in a window whose Edit › Undo / Redo have the standard keys, as the app's."""
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMainWindow

    win = QMainWindow()
    p = InspectorPanel(doc)
    win.setCentralWidget(p)
    for keys, slot in (([QKeySequence.StandardKey.Undo], doc.undo),
                       ([QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z"], doc.redo)):
        act = QAction(win)
        act.setShortcuts([QKeySequence(k) for k in keys])
        act.triggered.connect(slot)
        win.addAction(act)
    qtbot.addWidget(win)
    win.resize(400, 700)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    yield p  # the window stays referenced while the test runs


def test_ctrl_z_in_a_field_after_enter_undoes_the_edit(qtbot, in_window, doc):
    doc.select(Selection("neuron", 2, 1))
    b = doc.net.biases[1][1]
    field = in_window.bias_field
    field.setFocus()
    type_into(qtbot, field, "0.5")
    assert doc.net.biases[1][1] == 0.5 and field.hasFocus()
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.net.biases[1][1] == b and doc.undo_stack.index() == 0
    assert field.text() == format_number(b)
    qtbot.keyClick(field, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert doc.net.biases[1][1] == 0.5 and field.text() == format_number(0.5)


def test_ctrl_z_while_typing_undoes_the_typing_first(qtbot, in_window, doc):
    doc.select(Selection("edge", 2, 1, 0))
    field = in_window.value_field
    type_into(qtbot, field, "0.25")
    shown = field.text()
    qtbot.keyClicks(field, "7")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == shown and doc.net.weights[1][1, 0] == 0.25  # the typing went
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.undo_stack.index() == 0 and doc.net.weights[1][1, 0] != 0.25  # then the edit
