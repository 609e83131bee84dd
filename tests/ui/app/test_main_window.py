"""Main window: the New network dialog's validation, settings that persist, screenshots."""

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialogButtonBox

from nnviz.ui.files.new_network_dialog import NewNetworkDialog, parse_sizes
from nnviz.ui.model.selection import Change


@pytest.mark.parametrize("text,message", [
    ("", "Enter the layer sizes"),
    ("784", "at least an input and an output"),
    ("784, 0, 10", "between 1 and 4096"),
    ("784, 5000, 10", "between 1 and 4096"),
    ("784, abc, 10", "“abc” is not a whole number"),
    ("1,2,3,4,5,6,7,8,9,10,11", "At most 10 layers"),
    ("3, -4, 1", "between 1 and 4096"),
])
def test_sizes_are_validated(text, message):
    with pytest.raises(ValueError, match=message):
        parse_sizes(text)


def test_parse_sizes_accepts_common_separators():
    assert parse_sizes("784, 30, 10") == [784, 30, 10]
    assert parse_sizes("2-3-1") == [2, 3, 1]
    assert parse_sizes("2 3 1") == [2, 3, 1]


def test_dialog_disables_ok_with_a_message(qtbot):
    dialog = NewNetworkDialog(sizes="2, 3, 1")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.message.text() == ""
    assert len(dialog.act_boxes) == 2
    dialog.sizes_edit.setText("2, 0, 1")
    assert not ok.isEnabled() and "between 1 and 4096" in dialog.message.text()
    dialog.sizes_edit.setText("2, 4, 4, 3")
    assert ok.isEnabled() and len(dialog.act_boxes) == 3
    dialog.act_boxes[0].setCurrentText("softmax")  # softmax on a hidden layer
    assert not ok.isEnabled() and "output layer" in dialog.message.text()
    dialog.act_boxes[0].setCurrentText("relu")
    dialog.cost_box.setCurrentText("log-likelihood")  # needs softmax output
    assert not ok.isEnabled() and "softmax output" in dialog.message.text()
    dialog.act_boxes[2].setCurrentText("softmax")
    assert ok.isEnabled()
    dialog.seed_box.setValue(42)
    net = dialog.network()
    assert net.sizes == [2, 4, 4, 3] and net.activation_names == ["relu", "sigmoid", "softmax"]
    assert (net.weights[0] == dialog.network().weights[0]).all()  # seeded: reproducible


def test_new_network_replaces_the_document(window, qtbot, monkeypatch):
    def fake_exec(self):
        self.sizes_edit.setText("3, 5, 2")
        return NewNetworkDialog.DialogCode.Accepted

    monkeypatch.setattr(NewNetworkDialog, "exec", fake_exec)
    with qtbot.waitSignal(window.doc.changed, check_params_cb=lambda c: bool(c & Change.NETWORK)):
        window.act_new.trigger()
    assert window.doc.net.sizes == [3, 5, 2]
    assert not any(a.isChecked() for a in window.preset_actions.actions())


def test_geometry_dock_layout_and_options_persist(qtbot, tmp_path):
    from nnviz.ui.app.main_window import MainWindow

    path = str(tmp_path / "s.ini")
    win = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat), preset="xor",
                     load_data=False)
    qtbot.addWidget(win)
    win.show()
    # the offscreen screen is 800x600; XOR's Step through panel (its four rows to step through
    # with [ and ]) needs a little over 540 px of height, the workspace tabs' row 30 more
    win.resize(760, 580)
    win.removeDockWidget(win.about_dock)
    win.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, win.about_dock)
    win.about_dock.show()
    win.stepping_dock.hide()
    win.act_per_layer.setChecked(True)
    win.close()
    again = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat), load_data=False)
    qtbot.addWidget(again)
    assert (again.size().width(), again.size().height()) == (760, 580)
    assert again.dockWidgetArea(again.about_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert not again.stepping_dock.isVisibleTo(again)
    assert again.view.options["per_layer_scale"]
    assert again.doc.preset_key == "xor"  # the last preset opens again


def test_screenshot_writes_a_png_of_the_requested_size(qapp, tmp_path):
    from nnviz.app import main

    path = tmp_path / "shot.png"
    assert main(screenshot=str(path), preset="xor", size=(900, 600)) == 0
    image = QImage(str(path))
    assert not image.isNull() and (image.width(), image.height()) == (900, 600)
    # Not blank: the graph has coloured edges.
    colours = {image.pixelColor(x, y).name() for x in range(0, 900, 7) for y in range(0, 600, 7)}
    assert len(colours) > 20


def test_cli_rejects_unknown_presets_and_bad_sizes(capsys):
    from nnviz.cli import main

    assert main(["--preset", "nope", "--screenshot", "x.png"]) == 2
    assert "unknown preset 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["--size", "12by5"])
    assert exc.value.code == 2
    assert main(["--list-presets"]) == 0
    assert "concert" in capsys.readouterr().out


def test_cli_open_starts_with_the_file_and_refuses_a_bad_one(qapp, tmp_path, capsys):
    from nnviz.cli import main
    from nnviz.core import Network
    from nnviz.core.netfile import save_network

    net = Network([3, 5, 2], ["tanh", "sigmoid"], seed=4)
    path = tmp_path / "opened.npz"
    save_network(net, path)
    shot = tmp_path / "shot.png"
    assert main(["--open", str(path), "--screenshot", str(shot), "--size", "700x500"]) == 0
    assert QImage(str(shot)).width() == 700
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 broken")
    assert main(["--open", str(bad), "--screenshot", str(shot)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0]


def test_app_opens_the_given_file(qapp, tmp_path, monkeypatch):
    from nnviz.core import Network
    from nnviz.core.netfile import save_network
    from nnviz.ui.app.main_window import MainWindow

    seen = {}
    original = MainWindow.open_file

    def spy(self, path, loaded=None):
        ok = original(self, path, loaded)
        seen["sizes"], seen["title"] = self.doc.net.sizes, self.windowTitle()
        return ok

    monkeypatch.setattr(MainWindow, "open_file", spy)
    path = tmp_path / "seen.npz"
    save_network(Network([2, 3, 1], seed=0), path)
    from nnviz.app import main

    assert main(screenshot=str(tmp_path / "s.png"), open_path=str(path)) == 0
    assert seen == {"sizes": [2, 3, 1], "title": "nnviz — seen[*]"}


def test_cli_screenshot_in_presentation_mode(qapp, tmp_path):
    from nnviz.cli import main

    shot = tmp_path / "p.png"
    assert main(["--preset", "xor", "--presentation", "--screenshot", str(shot), "--size",
                 "1000x700"]) == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1000, 700)
    # No menu bar: the top row of pixels is the graph's background, not the menu's grey.
    assert image.pixelColor(500, 2).name() == image.pixelColor(500, 40).name()


def test_the_window_fits_a_laptop_screen_with_training_and_a_construction_shown(window):
    """The Training form (530 px) scrolls inside its dock: showing it, the plots and the
    function approximation must not push the window's minimum height past a 768-px screen."""
    for dock in (window.training_dock, window.plots_dock, window.approximation_dock):
        dock.show()
    assert window.minimumSizeHint().height() < 720
    # and the run's buttons and progress bar come first in it, above the settings
    layout = window.training.layout()
    first = [layout.itemAt(i).widget() or layout.itemAt(i).layout() for i in range(3)]
    assert window.training.progress in first


def test_no_key_is_given_twice(window):
    """Redo's standard key is Ctrl+Shift+Z on X11: listed again, Qt found the shortcut ambiguous
    and Ctrl+Shift+Z did nothing. So did "?" in presentation mode, bound as "?" and "Shift+/",
    one key on X11. No action holds a key twice, and no two actions that are on at the same
    time hold the same key, in the normal window and in presentation mode."""
    from PySide6.QtGui import QKeySequence

    from nnviz.ui.app.actions import key_identity, unique_keys

    redo = QKeySequence(QKeySequence.StandardKey.Redo).toString()
    assert [k.toString() for k in unique_keys([QKeySequence.StandardKey.Redo, redo, "Ctrl+Y"])] \
        == list(dict.fromkeys([redo, "Ctrl+Y"]))
    assert [k.toString() for k in unique_keys(["?", "Shift+/", "Shift+?"])] == ["?"]
    assert key_identity("Ctrl+Shift+=") == key_identity("Ctrl++") != key_identity("Ctrl+=")
    assert key_identity("Shift+Z") != key_identity("Z")
    assert_each_key_once(window)
    window.presentation.enter(full_screen=False)
    assert_each_key_once(window)
    assert window.presentation.act_keys.isEnabled()
    window.presentation.leave()
    assert_each_key_once(window)


def assert_each_key_once(window):
    from PySide6.QtGui import QAction

    from nnviz.ui.app.actions import key_identity

    seen = {}
    for act in window.findChildren(QAction):
        keys = [key_identity(k) for k in act.shortcuts()]
        assert len(keys) == len(set(keys)), (act.text(), keys)
        if act.isEnabled():
            for key in keys:
                assert seen.setdefault(key, act) is act, (key, act.text(), seen[key].text())


def test_undo_while_stepping_says_that_the_walk_restarted(window):
    """Regression: Ctrl+Z during stepping started the walk again without a word."""
    doc = window.doc
    doc.set_weight(1, 0, 0, 0.25)
    doc.start_stepping()
    doc.walk_go(3)
    text = doc.undo_stack.undoText()
    window.act_undo.trigger()
    assert doc.walk.index == 0
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Undid “{text}”") and "walk restarted" in message
    doc.walk_go(2)
    window.act_redo.trigger()
    assert window.statusBar().currentMessage().startswith(f"Redid “{text}”")
    window.statusBar().clearMessage()
    doc.stop_stepping()
    window.act_undo.trigger()  # not stepping: nothing to say about a walk
    assert "walk" not in window.statusBar().currentMessage()


def test_the_status_bar_stops_saying_training_runs_when_it_ends(window):
    bar = window.statusBar()
    lock = window.doc.lock("training is running")
    assert bar.currentMessage() == "Manual changes are off while training is running."
    lock.release("Training")
    assert "training is running" not in bar.currentMessage()
    assert bar.currentMessage() == "Manual changes are on again."
    lock = window.doc.lock("training is running")
    window.act_new.setEnabled(True)
    window.new_network()  # refused: "Not now: training is running."
    assert bar.currentMessage() == "Not now: training is running."
    lock.release("Training")
    assert bar.currentMessage() == "Manual changes are on again."
    lock = window.doc.lock("training is running")
    bar.showMessage("Saved somewhere")
    lock.release("Training")
    assert bar.currentMessage() == "Saved somewhere"  # another message is left alone


def test_the_window_has_the_nnviz_icon(window):
    from nnviz.constants import asset

    path = asset("nnviz.svg")
    assert path is not None and "<svg" in path.read_text(encoding="utf-8")
    icon = window.windowIcon()
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage()
    assert image.width() == 64 and len({image.pixelColor(x, 32).name()
                                        for x in range(0, 64, 4)}) > 3  # drawn, not blank
