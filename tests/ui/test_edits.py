"""Edits by hand through the document: forward values follow, every edit is one undo step that
restores bit for bit, a drag merges into one step, bad values change nothing."""

import numpy as np
import pytest

from nnviz.core.notation import weight_name
from nnviz.ui.model.document import Document


@pytest.fixture
def doc(qapp):
    d = Document()
    d.load_preset("running-example")
    d.set_input(np.full(d.net.sizes[0], 0.5))
    return d


def params(doc):
    return [w.copy() for w in doc.net.weights], [b.copy() for b in doc.net.biases]


def same(a, b):
    return all(np.array_equal(x, y) for xs, ys in zip(a, b) for x, y in zip(xs, ys))


def test_names_are_the_articles_symbols():
    assert weight_name(2, 3, 1) == "w²₃₁"
    assert weight_name(1, 12, 3) == "w¹₁₂,₃"
    assert weight_name(3, 0, kind="b") == "b³₀"


def test_an_edit_reruns_the_forward_pass_and_undoes_exactly(doc):
    before = params(doc)
    doc.set_weight(2, 0, 1, -1.5)
    assert doc.net.weights[1][0, 1] == -1.5
    np.testing.assert_array_equal(doc.trace.output, doc.net.feedforward(doc.x))
    assert doc.undo_stack.undoText() == "Set w²₀₁ to −1.5"
    doc.set_bias(1, 0, 0.25)
    assert doc.undo_stack.count() == 2
    after = params(doc)
    doc.undo()
    doc.undo()
    assert same(params(doc), before)
    np.testing.assert_array_equal(doc.trace.output, doc.net.feedforward(doc.x))
    doc.redo()
    doc.redo()
    assert same(params(doc), after)


def test_a_drag_is_one_undo_step(doc):
    before = params(doc)
    g = doc.begin_gesture()
    for v in np.linspace(0.1, 2.0, 25):
        doc.set_weight(1, 1, 0, v, gesture=g)
    assert doc.undo_stack.count() == 1 and doc.undo_stack.undoText() == "Set w¹₁₀ to 2"
    g2 = doc.begin_gesture()  # the next drag is a step of its own
    doc.set_weight(1, 1, 0, 3.0, gesture=g2)
    assert doc.undo_stack.count() == 2
    doc.undo()
    assert doc.net.weights[0][1, 0] == 2.0
    doc.undo()
    assert same(params(doc), before)


def test_bad_values_change_nothing(doc):
    before = params(doc)
    for bad in (float("nan"), float("inf"), 1e9, "x"):
        with pytest.raises(ValueError):
            doc.set_weight(1, 0, 0, bad)
        with pytest.raises(ValueError):
            doc.set_bias(1, 0, bad)
    with pytest.raises(ValueError):
        doc.set_incoming(2, 0, [1.0])  # wrong length: neuron 0 of layer 2 has 2 inputs
    with pytest.raises(ValueError):
        doc.set_weight(9, 0, 0, 1.0)  # no such layer
    assert same(params(doc), before) and doc.undo_stack.count() == 0


def test_layer_actions_switch_off_and_reset(doc):
    before = params(doc)
    doc.layer_action(1, "scale", 2.0)
    np.testing.assert_array_equal(doc.net.weights[0], 2 * before[0][0])
    assert doc.undo_stack.undoText() == "Scale layer 1 by 2"
    doc.switch_off(1, 0)
    assert not doc.net.weights[1][:, 0].any()
    doc.set_bias(1, 0, 5.0)
    doc.reset_neuron(1, 0)  # back to before the edits: incoming, bias and outgoing
    np.testing.assert_array_equal(doc.net.weights[0][0], before[0][0][0])
    assert doc.net.biases[0][0] == before[1][0][0]
    np.testing.assert_array_equal(doc.net.weights[1][:, 0], before[0][1][:, 0])
    for _ in range(4):
        doc.undo()
    assert same(params(doc), before)


def test_edits_are_refused_while_locked_and_restart_a_walk(doc):
    doc.set_target(np.zeros(doc.net.sizes[-1]))
    doc.start_stepping()
    doc.walk_go(3)
    doc.set_weight(1, 0, 0, 0.5)
    assert doc.walk.index == 0  # the walk restarts from the edited network
    np.testing.assert_array_equal(doc.walk.params_before[0][0], doc.net.weights[0])
    lock = doc.lock("training is running")
    with pytest.raises(PermissionError):
        doc.set_weight(1, 0, 0, 0.7)
    with pytest.raises(PermissionError):
        doc.layer_action(1, "zero")
    assert doc.net.weights[0][0, 0] == 0.5
