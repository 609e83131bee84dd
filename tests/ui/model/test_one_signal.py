"""One change, one signal: the document announces each change once, with what it touched, and
each view redraws once for it (an edit made while stepping used to rebuild the inspector page
2-3 times and the graph's labels 2-4 times)."""

import numpy as np
import pytest

from nnviz.ui.model.selection import Change, Selection


@pytest.fixture
def stepping_window(window):
    """The XOR net stepped to its first backward stage, with w¹₀₀ selected."""
    doc = window.doc
    doc.select(Selection("edge", 1, 0, 0))
    doc.walk_go(doc.net.L + 2)
    assert doc.walk is not None and doc.walk.delta_known is not None
    return window


def count_calls(monkeypatch, obj, name):
    calls = []
    original = getattr(obj, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, counted)
    return calls


def test_a_typed_edit_while_stepping_is_one_signal_one_inspector_page_and_one_label_pass(
        stepping_window, monkeypatch):
    window = stepping_window
    doc = window.doc
    emitted = []
    doc.changed.connect(emitted.append)
    pages = count_calls(monkeypatch, window.inspector, "refresh")
    labels = count_calls(monkeypatch, window.view.labels_item, "set_texts")
    field = window.inspector.value_field
    field.setText("0.75")
    field.editingFinished.emit()
    assert doc.net.weights[0][0, 0] == 0.75
    assert emitted == [Change.PARAMETERS | Change.WALK]  # the walk restarts from the edit
    assert len(pages) == 1 and len(labels) == 1


@pytest.mark.parametrize("change", ["input", "selection", "undo", "eta", "step"])
def test_every_change_is_announced_once(stepping_window, change):
    doc = stepping_window.doc
    doc.set_weight(1, 0, 0, 0.5)
    emitted = []
    doc.changed.connect(emitted.append)
    if change == "input":
        doc.set_input(np.array([1.0, 0.0]), "x", [1.0])
    elif change == "selection":
        doc.select(Selection("neuron", 1, 1))
    elif change == "undo":
        doc.undo()
    elif change == "eta":
        doc.set_step_eta(1.5)
    else:
        doc.walk_go(10 ** 6)  # into the update stage: a gradient step is pushed and applied
    assert len(emitted) == 1, emitted


def test_save_as_is_announced_as_a_change_of_file(window, tmp_path):
    emitted = []
    window.doc.changed.connect(emitted.append)
    window.files.save_to(str(tmp_path / "net.npz"))
    assert emitted == [Change.FILE]
