"""Opening a big network file: a progress dialog while it is read and its graph drawn, the
file read once even when the command line checked it first."""

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog

from nnviz.cli import main
from nnviz.core import Network, netfile, save_network
from nnviz.ui.files import opening


@pytest.fixture
def recorded(monkeypatch):
    """Every OpeningProgress made, and every dialog shown by one, while the test runs."""
    made, dialogs = [], []
    real_init, real_show = opening.OpeningProgress.__init__, opening.OpeningProgress._show

    def init(self, *args):
        real_init(self, *args)
        made.append(self)

    def show(self, *args):
        real_show(self, *args)
        dialogs.append((self.dialog, self.dialog.isVisible()))

    monkeypatch.setattr(opening.OpeningProgress, "__init__", init)
    monkeypatch.setattr(opening.OpeningProgress, "_show", show)
    return made, dialogs


def test_a_big_file_shows_its_progress_then_closes_it(window, tmp_path, monkeypatch,
                                                      recorded):
    made, dialogs = recorded
    net = Network([300, 1000, 10], seed=1)
    path = tmp_path / "net.npz"
    save_network(net, path)
    monkeypatch.setattr(opening, "BIG_FILE_BYTES", 1000)  # this file counts as big
    monkeypatch.setattr(opening, "UPDATES_PER_SECOND", 1e9)  # every report updates
    assert window.open_file(str(path))
    steps = made[0].steps
    reading = [s for s in steps if s[0].startswith("Reading net.npz (2 MB)…")]
    assert len(reading) > 3 and reading[-1][1:] == (1000, 1000)
    values = [v for _, v, _ in reading]
    assert values == sorted(values)
    assert steps[-1] == (f"Drawing the graph of {net.n_parameters:,} parameters…", 0, 0)
    assert all(visible for _, visible in dialogs)  # on screen while working
    assert made[0].dialog is None  # closed when done
    QApplication.processEvents()
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QProgressDialog) and w.isVisible()]
    np.testing.assert_array_equal(window.doc.net.weights[0], net.weights[0])


def test_a_small_file_opens_without_a_dialog(window, tmp_path, recorded):
    made, dialogs = recorded
    path = tmp_path / "small.npz"
    save_network(Network([4, 3, 2], seed=1), path)
    assert window.open_file(str(path))
    assert made and not made[0].steps and not dialogs


def test_a_refused_file_closes_the_dialog(window, tmp_path, monkeypatch, recorded,
                                          warnings_shown):
    made, _ = recorded
    path = tmp_path / "bad.npz"
    save_network(Network([300, 1000, 10], seed=1), path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # damaged in the middle of w¹
    path.write_bytes(bytes(data))
    monkeypatch.setattr(opening, "BIG_FILE_BYTES", 1000)
    before = window.doc.net
    assert not window.open_file(str(path))
    assert warnings_shown and warnings_shown[-1][0] == "Cannot open this file"
    assert made[0].dialog is None and window.doc.net is before


def test_the_command_line_reads_its_file_once(tmp_path, qapp, monkeypatch):
    path = tmp_path / "net.npz"
    save_network(Network([20, 30, 10], seed=2), path)
    calls = []
    real = netfile._load

    def counting(*args, **kwargs):
        calls.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(netfile, "_load", counting)  # what every loader reads with
    shot = tmp_path / "shot.png"
    assert main(["--open", str(path), "--screenshot", str(shot), "--size", "800x600"]) == 0
    assert shot.exists() and calls == [str(path)]
