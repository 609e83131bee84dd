"""Edits by hand through the document: forward values follow, every edit is one undo step that
restores bit for bit, a drag merges into one step, bad values change nothing."""

import numpy as np
import pytest

from nnviz.core.notation import weight_name
from tests.helpers import params, same


def test_names_are_the_articles_symbols():
    assert weight_name(2, 3, 1) == "w²₃₁"
    assert weight_name(1, 12, 3) == "w¹₁₂,₃"
    assert weight_name(3, 0, kind="b") == "b³₀"


def test_an_edit_reruns_the_forward_pass_and_undoes_exactly(doc_without_target):
    before = params(doc_without_target)
    doc_without_target.set_weight(2, 0, 1, -1.5)
    assert doc_without_target.net.weights[1][0, 1] == -1.5
    np.testing.assert_array_equal(doc_without_target.trace.output,
                                  doc_without_target.net.feedforward(doc_without_target.x))
    assert doc_without_target.undo_stack.undoText() == "Set w²₀₁ to −1.5"
    doc_without_target.set_bias(1, 0, 0.25)
    assert doc_without_target.undo_stack.count() == 2
    after = params(doc_without_target)
    doc_without_target.undo()
    doc_without_target.undo()
    assert same(params(doc_without_target), before)
    np.testing.assert_array_equal(doc_without_target.trace.output,
                                  doc_without_target.net.feedforward(doc_without_target.x))
    doc_without_target.redo()
    doc_without_target.redo()
    assert same(params(doc_without_target), after)


def test_a_drag_is_one_undo_step(doc_without_target):
    before = params(doc_without_target)
    g = doc_without_target.begin_gesture()
    for v in np.linspace(0.1, 2.0, 25):
        doc_without_target.set_weight(1, 1, 0, v, gesture=g)
    assert doc_without_target.undo_stack.count() == 1
    assert doc_without_target.undo_stack.undoText() == "Set w¹₁₀ to 2"
    g2 = doc_without_target.begin_gesture()  # the next drag is a step of its own
    doc_without_target.set_weight(1, 1, 0, 3.0, gesture=g2)
    assert doc_without_target.undo_stack.count() == 2
    doc_without_target.undo()
    assert doc_without_target.net.weights[0][1, 0] == 2.0
    doc_without_target.undo()
    assert same(params(doc_without_target), before)


def test_bad_values_change_nothing(doc_without_target):
    before = params(doc_without_target)
    for bad in (float("nan"), float("inf"), 1e9, "x"):
        with pytest.raises(ValueError):
            doc_without_target.set_weight(1, 0, 0, bad)
        with pytest.raises(ValueError):
            doc_without_target.set_bias(1, 0, bad)
    with pytest.raises(ValueError):
        # wrong length: neuron 0 of layer 2 has 2 inputs
        doc_without_target.set_incoming(2, 0, [1.0])
    with pytest.raises(ValueError):
        doc_without_target.set_weight(9, 0, 0, 1.0)  # no such layer
    assert same(params(doc_without_target), before) and doc_without_target.undo_stack.count() == 0


def test_layer_actions_switch_off_and_reset(doc_without_target):
    before = params(doc_without_target)
    doc_without_target.layer_action(1, "scale", 2.0)
    np.testing.assert_array_equal(doc_without_target.net.weights[0], 2 * before[0][0])
    assert doc_without_target.undo_stack.undoText() == "Scale layer 1 by 2"
    doc_without_target.switch_off(1, 0)
    assert not doc_without_target.net.weights[1][:, 0].any()
    doc_without_target.set_bias(1, 0, 5.0)
    doc_without_target.reset_neuron(1, 0)  # back to before the edits: incoming, bias and outgoing
    np.testing.assert_array_equal(doc_without_target.net.weights[0][0], before[0][0][0])
    assert doc_without_target.net.biases[0][0] == before[1][0][0]
    np.testing.assert_array_equal(doc_without_target.net.weights[1][:, 0], before[0][1][:, 0])
    for _ in range(4):
        doc_without_target.undo()
    assert same(params(doc_without_target), before)


def test_edits_are_refused_while_locked_and_restart_a_walk(doc_without_target):
    doc_without_target.set_target(np.zeros(doc_without_target.net.sizes[-1]))
    doc_without_target.start_stepping()
    doc_without_target.walk_go(3)
    doc_without_target.set_weight(1, 0, 0, 0.5)
    assert doc_without_target.walk.index == 0  # the walk restarts from the edited network
    np.testing.assert_array_equal(doc_without_target.walk.params_before[0][0],
                                  doc_without_target.net.weights[0])
    doc_without_target.lock("training is running")
    with pytest.raises(PermissionError):
        doc_without_target.set_weight(1, 0, 0, 0.7)
    with pytest.raises(PermissionError):
        doc_without_target.layer_action(1, "zero")
    assert doc_without_target.net.weights[0][0, 0] == 0.5


def test_several_values_at_once_are_one_undo_step(doc_without_target):
    doc = doc_without_target
    before = params(doc)
    g = doc.begin_gesture()
    for v in (0.5, 1.0, 1.5):  # a drag over a two-parameter slice
        doc.set_values([("w", 2, 1, 0, v), ("b", 3, 0, None, -v)], gesture=g)
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Set w²₁₀ to 1.5 and b³₀ to −1.5"
    assert (doc.net.weights[1][1, 0], doc.net.biases[2][0]) == (1.5, -1.5)
    np.testing.assert_array_equal(doc.trace.output, doc.net.feedforward(doc.x))
    with pytest.raises(ValueError):
        doc.set_values([("w", 2, 1, 0, 0.0), ("b", 3, 0, None, float("nan"))])
    assert doc.net.weights[1][1, 0] == 1.5  # nothing changed
    doc.undo()
    assert same(params(doc), before)
