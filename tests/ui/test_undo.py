"""The document's undo stack: a gradient step kept from stepping and a training run are each one
step; undo/redo restore the parameters bit for bit; nothing is undone while training runs."""

import numpy as np
import pytest


def params(doc):
    return [w.copy() for w in doc.net.weights], [b.copy() for b in doc.net.biases]


def assert_same(a, b):
    for xs, ys in zip(a, b):
        for x, y in zip(xs, ys):
            np.testing.assert_array_equal(x, y)


def test_a_gradient_step_kept_from_stepping_is_one_undoable_step(window):
    doc = window.doc
    before = params(doc)
    doc.start_stepping()
    doc.walk_go(10 ** 6)  # the update stage: w − η∂E/∂w is in the network
    after = params(doc)
    assert doc.undo_stack.count() == 0  # still stepping: the step can be stepped back
    window.step_actions["stop"].trigger()
    assert doc.undo_stack.count() == 1
    assert window.act_undo.text() == f"&Undo Gradient step (η = {doc.step_eta:g})"
    window.act_undo.trigger()
    assert_same(params(doc), before)
    window.act_redo.trigger()
    assert_same(params(doc), after)


def test_leaving_stepping_before_the_update_records_nothing(window):
    doc = window.doc
    doc.start_stepping()
    doc.walk_go(2)
    doc.stop_stepping()
    assert doc.undo_stack.count() == 0 and not window.act_undo.isEnabled()


def test_undo_is_refused_while_the_network_is_locked(window):
    doc = window.doc
    before = params(doc)
    w, b = params(doc)
    w[0][0, 0] += 1.0
    doc.set_parameters(w, b)
    doc.record_parameters(before, "Edit")
    assert window.act_undo.isEnabled()
    doc.lock("training is running")
    assert not window.act_undo.isEnabled() and not window.history.isEnabled()
    with pytest.raises(PermissionError):
        doc.undo()
    window._undo(doc.undo)  # the menu path: a status message, nothing changed
    assert "Not now" in window.statusBar().currentMessage()
    assert doc.net.weights[0][0, 0] == w[0][0, 0]
    doc.unlock()
    assert window.act_undo.isEnabled()
    doc.undo()
    assert_same(params(doc), before)


def test_a_new_network_starts_a_new_history(window):
    doc = window.doc
    before = params(doc)
    w, b = params(doc)
    w[0] *= 2
    doc.set_parameters(w, b)
    doc.record_parameters(before, "Scale")
    assert doc.undo_stack.count() == 1
    window.load_preset("chain")
    assert doc.undo_stack.count() == 0 and not window.act_undo.isEnabled()


def test_recording_an_unchanged_network_adds_nothing(window):
    doc = window.doc
    doc.record_parameters(params(doc), "Nothing")
    assert doc.undo_stack.count() == 0
