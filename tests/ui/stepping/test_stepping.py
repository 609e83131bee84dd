"""Stepping through the passes in the window: keys, the graph's stage display, the update stage
and stepping back, the equations panel and the gradient check, the input fields."""

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.core.equations import explain
from nnviz.core.formulas import factor
from nnviz.core.notation import fmt
from nnviz.core.presets import get_preset
from nnviz.core.stepper import Stage, Walk
from nnviz.ui.model.selection import Selection
from tests.helpers import assert_same, params


def key(qtbot, widget, k):
    qtbot.keyClick(widget, k)


def test_keys_walk_forward_and_back_from_any_panel(window, qtbot):
    doc = window.doc
    assert doc.walk is None
    for target in (window.view, window.stepping.edges, window.stepping.pace):
        target.setFocus()
        doc.stop_stepping()
        key(qtbot, target, Qt.Key.Key_Right)  # starts at the input stage
        assert doc.walk is not None and doc.walk.index == 0
        key(qtbot, target, Qt.Key.Key_Space)
        key(qtbot, target, Qt.Key.Key_PageDown)
        assert doc.walk.index == 2
        key(qtbot, target, Qt.Key.Key_Left)
        assert doc.walk.index == 1
        key(qtbot, target, Qt.Key.Key_PageUp)
        assert doc.walk.index == 0
        key(qtbot, target, Qt.Key.Key_End)
        assert doc.walk.at_end and doc.walk.stage.kind == "update"
        key(qtbot, target, Qt.Key.Key_Home)
        assert doc.walk.index == 0


def test_text_fields_keep_their_editing_keys_but_clickers_still_step(window, qtbot):
    doc, field = window.doc, window.stepping.x_field
    doc.start_stepping()
    field.setFocus()
    field.setCursorPosition(0)
    key(qtbot, field, Qt.Key.Key_Right)
    assert field.cursorPosition() == 1 and doc.walk.index == 0
    key(qtbot, field, Qt.Key.Key_PageDown)
    assert doc.walk.index == 1


def test_graph_shows_only_what_the_stage_has_computed(window):
    doc, view = window.doc, window.view  # xor: 2-2-1, L = 2
    doc.walk_go(0)
    fills = view.neurons_item.fills
    assert 0 in fills and 1 not in fills and 2 not in fills  # hidden/output: not yet computed
    assert view.band_item.band is not None and view.band_item.caption == "a⁰ = x"
    doc.walk_go(1)
    assert set(view.neurons_item.fills) == {0, 1}
    assert view.band_item.caption == "z¹, a¹"
    doc.walk_go(3)  # error
    assert set(view.neurons_item.fills) == {0, 1, 2} and not view.neurons_item.rings
    texts = [t[2] for t in view.labels_item.texts]
    assert "target y = 1" in texts
    doc.walk_go(4)  # backward, layer 2: δ² only
    assert set(view.neurons_item.rings) == {2}
    delta2 = doc.walk.grads.delta[2][0]
    assert any(t == f"δ = {_fmt(delta2)}" for t in _texts(view))
    doc.walk_go(5)
    assert set(view.neurons_item.rings) == {1, 2}
    assert "δ = ∂E/∂z" in " ".join(view.legend.text_lines())


def _texts(view):
    return [t[2] for t in view.labels_item.texts]


def _fmt(v):
    from nnviz.core.notation import format_number

    return format_number(v)


def test_edges_show_w_gradient_or_pending_step(window):
    doc, view = window.doc, window.view
    doc.walk_go(6)  # δ⁰ = ∂E/∂x: the edges still show w
    assert doc.walk.stage == Stage("backward", 0)
    assert view.shown_quantity == "w"
    doc.walk_go(7)  # gradients
    assert doc.walk.stage.kind == "gradients"
    assert window.stepping.edges.currentData() == "auto"
    assert view.shown_quantity == "grad"  # the stage changes the picture
    doc.walk_go(8)  # the update: the new weights
    assert view.shown_quantity == "w" and view.legend.title == "weights w"
    doc.walk_go(7)
    window.stepping.edges.setCurrentIndex(window.stepping.edges.findData("w"))
    assert view.shown_quantity == "w"  # the user's choice
    window.stepping.edges.setCurrentIndex(window.stepping.edges.findData("grad"))
    assert view.shown_quantity == "grad" and view.legend.title == "gradients ∂E/∂w"
    g = doc.walk.grads.weights[0][1, 0]
    assert _fmt(g) in _texts(view)
    window.stepping.edges.setCurrentIndex(window.stepping.edges.findData("step"))
    step = -doc.walk.eta * g
    assert _fmt(step) in _texts(view)
    doc.walk_go(2)  # before the gradients are known the edges show w again
    assert view.shown_quantity == "w" and view.legend.title == "weights w"


def test_update_stage_applies_and_stepping_back_restores_exactly(window):
    doc = window.doc
    before_w, before_b = params(doc)
    doc.walk_go(10 ** 6)
    walk = doc.walk
    assert walk.updated
    for w, wa in zip(doc.net.weights, walk.params_after[0]):
        np.testing.assert_array_equal(w, wa)
    assert walk.E_after < walk.E_before  # η = 0.5 on xor lowers E
    assert np.isclose(doc.net.cost(doc.trace, doc.target), walk.E_after)
    doc.walk_step(-1)
    for w, w0 in zip(doc.net.weights, before_w):
        assert np.array_equal(w, w0)  # bit for bit
    for b, b0 in zip(doc.net.biases, before_b):
        assert np.array_equal(b, b0)
    # η changed at the update stage re-applies the update with the new η.
    doc.walk_go(10 ** 6)
    window.stepping.eta.setValue(0.05)
    assert doc.walk.eta == pytest.approx(0.05)
    expected = before_w[0] - 0.05 * doc.walk.grads.weights[0]
    np.testing.assert_allclose(doc.net.weights[0], expected, rtol=0, atol=1e-15)
    # Leaving at the update stage keeps the step that was taken.
    window.step_actions["stop"].trigger()
    assert doc.walk is None
    np.testing.assert_allclose(doc.net.weights[0], expected, rtol=0, atol=1e-15)


def test_walk_numbers_are_the_cores(window):
    doc = window.doc
    doc.walk_go(5)
    p = get_preset("xor")
    ref = Walk(p.build(), p.example, p.target, doc.step_eta)
    for l in (1, 2):
        np.testing.assert_array_equal(doc.walk.trace.z[l], ref.trace.z[l])
        np.testing.assert_array_equal(doc.walk.grads.delta[l], ref.grads.delta[l])
    assert doc.walk.E_before == ref.E_before


def test_new_example_or_network_restarts_the_walk(window):
    doc = window.doc
    doc.walk_go(4)
    doc.set_input(np.array([0.0, 1.0]), "x = (0, 1)", np.array([1.0]))
    assert doc.walk is not None and doc.walk.index == 0
    np.testing.assert_array_equal(doc.walk.x, [0.0, 1.0])
    doc.walk_go(3)
    window.load_preset("chain")
    assert doc.walk is not None and doc.walk.index == 0 and doc.walk.L == 3


def test_typed_input_and_target_are_validated(window, qtbot):
    doc, panel = window.doc, window.stepping
    x_before = doc.x.copy()
    panel.x_field.setText("1, banana")
    panel.use_typed_input()
    assert "not a list of numbers" in panel.message.text()
    np.testing.assert_array_equal(doc.x, x_before)
    panel.x_field.setText("1, 2, 3")
    panel.use_typed_input()
    assert "needs 2 numbers, got 3" in panel.message.text()
    panel.x_field.setText("0, 0")
    panel.y_field.setText("inf")
    panel.use_typed_input()
    assert "finite" in panel.message.text()
    panel.y_field.setText("0")
    panel.use_typed_input()
    assert panel.message.text() == ""
    np.testing.assert_array_equal(doc.x, [0.0, 0.0])
    np.testing.assert_array_equal(doc.target, [0.0])


def test_a_typed_target_the_cost_cannot_take_is_explained(window):
    window.load_preset("2-3-1")  # cross-entropy: targets are probabilities
    doc, panel = window.doc, window.stepping
    panel.x_field.setText("0.5, 0.5")
    panel.y_field.setText("1.5")
    panel.use_typed_input()
    assert panel.message.text().startswith("The cross-entropy cost needs targets between 0 "
                                           "and 1")
    assert doc.target is None or doc.target[0] != 1.5
    panel.y_field.setText("0.7")
    panel.use_typed_input()
    assert panel.message.text() == ""
    np.testing.assert_array_equal(doc.target, [0.7])


def test_a_typed_x_takes_its_target_from_the_own_data_or_has_none(window, qtbot):
    """Regression: a new x typed kept the old target: XOR(1, 1) was stepped against y = 1."""
    doc, panel = window.doc, window.stepping
    doc.start_stepping()
    assert doc.target.tolist() == [1.0] and panel.y_field.text() == "1"
    panel.x_field.setFocus()
    panel.x_field.selectAll()
    qtbot.keyClicks(panel.x_field, "1, 1")
    key(qtbot, panel.x_field, Qt.Key.Key_Return)
    assert doc.x.tolist() == [1.0, 1.0] and doc.target.tolist() == [0.0]  # XOR's truth table
    assert panel.y_field.text() == "0" and doc.walk is not None
    panel.x_field.setText("0.5, 0.5")  # not one of XOR's points: no target, and a question
    panel.use_typed_input()
    assert doc.target is None and doc.walk is None and panel.y_field.text() == ""
    assert "target" in panel.message.text()
    panel.y_field.setText("1")  # y typed for the same x
    panel.use_typed_input()
    assert doc.x.tolist() == [0.5, 0.5] and doc.target.tolist() == [1.0]
    assert doc.walk is not None
    panel.x_field.setText("1, 1")  # both typed: the typed y wins, even against the data
    panel.y_field.setText("1")
    panel.y_field.setModified(True)
    panel.use_typed_input()
    assert doc.x.tolist() == [1.0, 1.0] and doc.target.tolist() == [1.0]


def test_brackets_step_through_xors_rows_in_the_window(window, qtbot):
    doc = window.doc
    doc.start_stepping()
    doc.walk_go(3)
    key(qtbot, window.view, Qt.Key.Key_BracketRight)
    assert doc.x.tolist() == [1.0, 1.0] and doc.target.tolist() == [0.0]
    assert doc.walk.index == 0 and "XOR" in window.stepping.example_label.text()
    key(qtbot, window.view, Qt.Key.Key_BracketLeft)
    key(qtbot, window.view, Qt.Key.Key_BracketLeft)
    assert doc.x.tolist() == [0.0, 1.0] and doc.target.tolist() == [1.0]


def test_no_target_says_so(window):
    from nnviz.core import Network

    window.doc.set_network(Network([3, 1], seed=0), "3-1", "", None)
    window.doc.set_input([30.0, 2.0, 50.0])  # an input, and no target for it
    assert window.doc.target is None
    assert not window.doc.start_stepping()
    assert "target" in window.stepping.message.text()
    window.stepping.y_field.setText("1")
    window.stepping.use_typed_input()
    assert window.doc.walk is not None


def test_equations_panel_and_gradient_check(window):
    doc, eq = window.doc, window.equations
    doc.walk_go(1)
    doc.select(Selection("neuron", 1, 0))
    text = eq.text.toPlainText()
    assert f"{doc.walk.trace.z[1][0]:.4g}" in text
    doc.walk_go(7)  # the gradients
    doc.select(Selection("edge", 2, 0, 1))
    assert eq.check_button.isEnabled()
    window.act_check_gradient.trigger()
    result = eq.last_check
    assert result.backprop == doc.walk.grads.weights[1][0, 1]
    assert result.rel_diff < 1e-6
    assert "agree" in eq.check_result.text() and "relative difference" in eq.check_result.text()
    doc.select(Selection("neuron", 0, 0))  # an input neuron has no parameter to check
    assert not eq.check_button.isEnabled()


def test_equations_panel_at_the_input_gradient_stage(window):
    window.load_preset("running-example")  # 1-2-2-1: δ⁰ = w¹₀₀ δ¹₀ + w¹₁₀ δ¹₁
    doc, eq = window.doc, window.equations
    doc.walk_go(2 * doc.net.L + 2)
    assert window.stepping.stage_label.text() == "Stage 9 of 11: Backward, input: δ⁰ = ∂E/∂x"
    doc.select(Selection("neuron", 0, 0))
    text = eq.text.toPlainText()
    walk = doc.walk
    w1, d1 = walk.params_before[0][0], walk.grads.delta[1]
    assert "Backward pass, input (∂E/∂x) · neuron 0" in text
    assert f"= {fmt(w1[0, 0])} · {factor(d1[0])} + {factor(w1[1, 0])} · {factor(d1[1])}" \
        in text
    assert f"= {fmt(walk.input_gradient[0])}" in text
    assert eq.html == explain(walk, ("neuron", 0, 0)).html()
    assert not eq.check_button.isEnabled()  # an input has no parameter to check


def test_step_activation_shows_zero_delta_and_why(window):
    window.load_preset("concert")
    doc = window.doc
    doc.walk_go(3)  # L = 1: input, forward, error, backward 1
    assert doc.walk.stage.kind == "backward"
    assert np.all(doc.walk.grads.delta[1] == 0)
    assert set(window.view.neurons_item.rings) == {1}
    text = window.equations.text.toPlainText()
    assert "δ" in text and "0" in text and "sigmoid" in text.lower()


def test_autoplay_runs_to_the_end_and_stops(window, qtbot):
    panel = window.stepping
    panel.pace.setValue(panel.pace.minimum())
    window.step_actions["play"].setChecked(True)
    qtbot.waitUntil(lambda: window.doc.walk is not None and window.doc.walk.at_end, timeout=10000)
    qtbot.waitUntil(lambda: not panel.timer.isActive(), timeout=2000)
    assert not window.step_actions["play"].isChecked()


def test_autoplay_at_the_update_plays_the_next_step_of_descent(window, qtbot):
    doc = window.doc
    doc.walk_go(10 ** 6)
    first = doc.walk
    window.stepping.set_playing(True)  # from the update: on from the new weights
    assert doc.walk is not first and doc.undo_stack.count() == 1
    assert_same(doc.walk.params_before, first.params_after)
    qtbot.waitUntil(lambda: not window.stepping.timer.isActive(), timeout=30000)
    assert doc.walk.at_end and doc.undo_stack.count() == 2


def test_the_eta_field_follows_eta_set_elsewhere(window):
    doc, panel = window.doc, window.stepping
    doc.nudge_step_eta(1)
    assert panel.eta.value() == doc.step_eta == 1.0
    doc.start_stepping()
    doc.nudge_step_eta(-1)
    assert panel.eta.value() == 0.5 and doc.walk.eta == 0.5


def test_mnist_walk_uses_the_label_as_target(window, mnist):
    window.load_preset("mnist-30")
    window.use_mnist(mnist)
    doc = window.doc
    doc.walk_go(0)
    label = int(mnist.test.y[doc.example_index])
    assert doc.walk.y.argmax() == label and doc.walk.y.sum() == 1
    doc.walk_go(2)
    assert set(window.view.neurons_item.fills) == {1, 2}  # the input is the image
    doc.walk_go(4)  # backward, layer 2
    assert set(window.view.neurons_item.rings) == {2}
    doc.step_example(1)
    assert doc.walk.index == 0 and doc.walk.y.argmax() == int(mnist.test.y[doc.example_index])


@pytest.mark.parametrize("preset", ["concert", "and", "xor", "chain", "running-example",
                                    "2-3-1", "steps", "mnist-100"])
def test_every_stage_of_every_preset_draws(window, qtbot, preset, mnist):
    window.load_preset(preset)
    if window.doc.x is None:
        window.use_mnist(mnist)
    doc = window.doc
    assert doc.start_stepping()
    sels = [Selection("neuron", doc.net.L, 0), Selection("edge", 1, 0, 0),
            Selection("bias", 1, 0), None]
    for i in range(len(doc.walk.stages)):
        doc.walk_go(i)
        for sel in sels:
            doc.select(sel)
            assert window.equations.text.toPlainText().strip()
        window.view.viewport().repaint()
    assert doc.walk.updated


def test_selection_outside_the_network_is_refused(window):
    with pytest.raises(ValueError, match="no neuron 5 of layer 1"):
        window.doc.select(Selection("neuron", 1, 5))
    with pytest.raises(ValueError):
        window.doc.select(Selection("edge", 3, 0, 0))


def test_cli_screenshot_of_a_stage_with_a_selection(qapp, tmp_path, capsys):
    from PySide6.QtGui import QImage

    from nnviz.cli import main

    out = tmp_path / "stage.png"
    assert main(["--preset", "chain", "--stage", "5", "--select", "neuron:2:0",
                 "--screenshot", str(out), "--size", "900x700"]) == 0
    img = QImage(str(out))
    assert (img.width(), img.height()) == (900, 700)
    assert main(["--preset", "chain", "--select", "neuron:4:0", "--screenshot",
                 str(out)]) == 2
    assert "no neuron 0 of layer 4" in capsys.readouterr().err


def test_a_tiny_update_on_saturated_sigmoids_shows_the_change_itself(window):
    """xor with one output weight broken: every sigmoid saturates, E ≈ ½ and the step changes
    it by ~10⁻⁸; the panel tells the two values apart and shows ΔE, not "E → E (lower)"."""
    doc = window.doc
    doc.set_weight(2, 0, 0, 0.0)  # the output no longer listens to OR: a = σ(−10) for (1, 0)
    doc.walk_go(10 ** 6)
    walk = doc.walk
    change = walk.E_after - walk.E_before
    assert walk.E_after < walk.E_before and -1e-6 < change < 0
    text = window.stepping.error_label.text()
    found = re.search(r": E = (\S+) → (\S+) \(ΔE = (\S+), (lower|not lower)\)", text)
    assert found, text
    before, after, shown, verdict = found.groups()
    assert before != after and verdict == "lower"
    assert float(before) == pytest.approx(walk.E_before, abs=abs(change) / 4)
    assert float(after) == pytest.approx(walk.E_after, abs=abs(change) / 4)
    assert shown.startswith("−")
    assert float(shown.replace("−", "-")) == pytest.approx(change, rel=0.05)
