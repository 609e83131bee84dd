"""Network files in the window: save and open round-trip, a bad file changes nothing and says
why, unsaved changes are marked and asked about, recent files, drag-and-drop."""

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from nnviz.core.netfile import load_network
from nnviz.ui.files.network_files import NetworkFiles
from tests.helpers import params


def test_save_then_open_round_trips_and_clears_the_unsaved_mark(window, tmp_path):
    doc, files = window.doc, window.files
    doc.set_weight(1, 0, 1, -1.25)
    assert window.isWindowModified() and files.modified
    path = tmp_path / "mine.npz"
    assert files.save_to(str(path))
    assert not window.isWindowModified() and window.windowTitle() == "nnviz — mine[*]"
    saved = params(doc)
    np.testing.assert_array_equal(load_network(path).weights[0], saved[0][0])
    window.load_preset("chain")
    assert window.open_file(str(path))
    for a, b in zip(params(doc)[0] + params(doc)[1], saved[0] + saved[1]):
        np.testing.assert_array_equal(a, b)
    assert doc.path == str(path.resolve()) and not files.modified
    assert files.recent()[0] == str(path.resolve())
    assert doc.undo_stack.count() == 0  # a fresh history for the opened network


def test_a_bad_file_is_refused_with_its_reason_and_changes_nothing(window, tmp_path,
                                                                   warnings_shown):
    doc = window.doc
    before, title = params(doc), doc.title
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"this is not a network")
    assert not window.open_file(str(bad))
    assert warnings_shown and str(bad) in warnings_shown[-1][1]
    assert doc.title == title
    for a, b in zip(params(doc)[0], before[0]):
        np.testing.assert_array_equal(a, b)
    assert not window.open_file(str(tmp_path / "missing.npz"))
    assert "no such file" in warnings_shown[-1][1]


def test_unsaved_changes_are_asked_about_before_they_could_be_lost(window, tmp_path,
                                                                   monkeypatch):
    doc, files = window.doc, window.files
    path = tmp_path / "a.npz"
    files.save_to(str(path))
    doc.set_weight(1, 0, 0, 0.5)
    asked = []
    monkeypatch.setattr(NetworkFiles, "ask", lambda self, doing: asked.append(doing) or "cancel")
    window.load_preset("chain")  # cancelled: the edited network stays
    assert asked == ["switch networks"] and doc.net.weights[0][0, 0] == 0.5
    assert not window.open_file(str(path)) and doc.net.weights[0][0, 0] == 0.5
    window.close()  # cancelled too: the window stays open
    assert window.isVisible()
    monkeypatch.setattr(NetworkFiles, "ask", lambda self, doing: "save")
    window.load_preset("chain")  # saved first, then switched
    assert load_network(path).weights[0][0, 0] == 0.5 and doc.preset_key == "chain"


def test_a_failed_save_keeps_the_mark_and_says_why(window, tmp_path, warnings_shown):
    window.doc.set_weight(1, 0, 0, 0.5)
    assert not window.files.save_to(str(tmp_path / "no" / "such" / "dir.npz"))
    assert window.isWindowModified() and "Could not save" == warnings_shown[-1][0]


def test_recent_files_forget_what_is_gone(window, tmp_path):
    files = window.files
    for name in ("one.npz", "two.npz"):
        files.save_to(str(tmp_path / name))
    assert [p.rsplit("/", 1)[-1] for p in files.recent()] == ["two.npz", "one.npz"]
    files.fill_recent_menu()
    assert [a.text() for a in files.recent_menu.actions()] == ["&1 two.npz", "&2 one.npz"]
    (tmp_path / "two.npz").unlink()
    assert not files.open(str(tmp_path / "two.npz"))
    assert [p.rsplit("/", 1)[-1] for p in files.recent()] == ["one.npz"]


def test_dropping_a_file_on_the_window_opens_it(window, tmp_path):
    path = tmp_path / "dropped.npz"
    window.files.save_to(str(path))
    window.load_preset("chain")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                    Qt.KeyboardModifier.NoModifier)
    window.dropEvent(ev)
    assert window.doc.title == "dropped" and window.doc.path == str(path.resolve())


def test_nothing_opens_while_training_runs(window, tmp_path, warnings_shown):
    path = tmp_path / "x.npz"
    window.files.save_to(str(path))
    lock = window.doc.lock("training is running")
    assert not window.open_file(str(path))
    assert "training is running" in warnings_shown[-1][1]
    lock.release("Training")


@pytest.mark.parametrize("typed", ["mine  ", "  mine", "mine.npz  ", "mine .npz", " mine\t"])
def test_save_as_drops_spaces_around_a_typed_name(window, tmp_path, monkeypatch, typed):
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / typed), "nnviz networks (*.npz)"))
    assert window.files.ask_save_as()
    assert [p.name for p in tmp_path.glob("*.npz")] == ["mine.npz"]
    assert window.doc.path == str((tmp_path / "mine.npz").resolve())
    assert window.doc.title == "mine"


def test_save_as_refuses_a_name_of_spaces(window, tmp_path, monkeypatch, warnings_shown):
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "   "), "nnviz networks (*.npz)"))
    assert not window.files.ask_save_as()
    assert list(tmp_path.glob("*npz")) == [] and warnings_shown[-1][1] == "The file needs a name."


@pytest.mark.parametrize("preset", ["xor", "running-example", "steps", "medal"])
def test_a_saved_preset_opens_with_the_same_labels(window, tmp_path, preset):
    """The names of the output neurons (and the input's numbers) drawn when the network was
    made are there again when its file is opened."""
    doc = window.doc
    window.load_preset(preset)
    before = sorted(t.text for t in window.view.labels_item.texts)
    names = doc.input_labels, doc.output_labels
    path = tmp_path / "net.npz"
    assert window.files.save_to(str(path))
    window.load_preset("chain" if preset != "chain" else "xor")
    assert window.files.open(str(path))
    assert (doc.input_labels, doc.output_labels) == names
    assert sorted(t.text for t in window.view.labels_item.texts) == before


def test_an_opened_files_provenance_is_kept_until_the_weights_change(window, tmp_path):
    from nnviz.core import Network, provenance
    from nnviz.core.netfile import network_info, save_network

    net = Network([2, 3, 1], seed=0)
    prov = provenance.from_training("nnviz train", net, {"seed": 3}, {"source": "toy"},
                                    {"test_accuracy": 0.75})
    path, again = tmp_path / "trained.npz", tmp_path / "again.npz"
    save_network(net, path, provenance=prov)
    assert window.open_file(str(path))
    assert window.files.save_to(str(again))
    assert network_info(again)["provenance"] == prov  # opened and saved: kept as it was
    window.doc.set_weight(1, 0, 1, -1.25)
    assert window.files.save_to(str(again))
    info = network_info(again)
    assert info["edited_after_training"] is True
    assert info["provenance"] == {**prov, "edited_after_training": True}
