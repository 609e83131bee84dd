"""File › Save Run… and Open Run…: a run saved next to its network opens again as the current
run, with its curves in the plots and its timeline to scrub, bit for bit; a bad file is refused
with its problem and nothing changes."""

import numpy as np
from PySide6.QtWidgets import QMessageBox

from nnviz.core.runfile import run_path_for

TIMEOUT = 60000


def _train(window, qtbot, epochs=5):
    window.training.epochs.setValue(epochs)
    window.training.pace.setValue(0)
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT):
        window.training.start()
    return window.trainer.run


def test_a_saved_run_opens_as_the_current_run_with_its_timeline(window, qtbot, tmp_path):
    window.load_preset("2-3-1")
    unsaved = window.run_files.default_path()  # named after the network, in the home folder
    assert unsaved.endswith("/2-3-1-network-matrix-shapes.run.npz")
    net_path = tmp_path / "xor.npz"
    assert window.files.save_to(str(net_path))
    run = _train(window, qtbot)
    files = window.run_files
    assert files.default_path() == str(run_path_for(window.doc.path))
    assert files.save_to(files.default_path())
    assert (tmp_path / "xor.run.npz").exists()
    epoch2 = run.timeline.get(2)
    _train(window, qtbot, epochs=3)  # another run: the saved one is no longer current
    n_runs = len(window.trainer.runs)

    assert files.open(str(tmp_path / "xor.run.npz"))
    opened = window.trainer.run
    assert opened is not run and len(window.trainer.runs) == n_runs + 1
    assert [e.as_dict() for e in opened.epochs] == [e.as_dict() for e in run.epochs]
    plots = window.plots
    xs, ys = plots.curves["train"].getData()
    assert list(xs) == [1, 2, 3, 4, 5] and np.allclose(ys, [e.train_cost for e in run.epochs])
    assert plots.runs.item(plots.runs.count() - 1).text().endswith("(opened)")
    bar = window.learning.timeline
    assert bar.epochs() == [0, 1, 2, 3, 4, 5] and bar.slider.isEnabled()
    bar.show_epoch(2)
    assert all(np.array_equal(a, b) for a, b in zip(window.doc.net.weights, epoch2[0]))
    assert all(np.array_equal(a, b) for a, b in zip(window.doc.net.biases, epoch2[1]))
    bar.back_to_latest()


def test_a_bad_run_file_is_refused_and_nothing_changes(window, qtbot, tmp_path, monkeypatch):
    window.load_preset("2-3-1")
    run = _train(window, qtbot, epochs=2)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    bad = tmp_path / "bad.run.npz"
    bad.write_bytes(b"PK\x03\x04 not really")
    assert not window.run_files.open(str(bad))
    assert window.trainer.run is run and "damaged or not an nnviz run file" in warned[-1]
    assert not window.run_files.save_to(str(tmp_path / "no such folder" / "x.run.npz"))
    assert "x.run.npz" in warned[-1]


def test_a_run_cannot_be_saved_or_opened_while_one_goes_on(window, qtbot, tmp_path,
                                                          monkeypatch):
    window.load_preset("2-3-1")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    assert not window.run_files.save_to(str(tmp_path / "x.run.npz"))
    assert "no run yet" in warned[-1]
    window.training.epochs.setValue(1000)
    window.training.pace.setValue(5)
    window.training.start()
    qtbot.waitUntil(lambda: window.trainer.state.active, timeout=TIMEOUT)
    assert not window.run_files.act_save.isEnabled()
    assert not window.run_files.open(str(tmp_path / "x.run.npz"))
    assert "going on" in warned[-1]
    window.trainer.stop()
    qtbot.waitUntil(lambda: not window.trainer.state.active, timeout=TIMEOUT)
    assert window.run_files.act_save.isEnabled()
