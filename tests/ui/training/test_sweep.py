"""Sweeps in the window: runs one after another, the result plot, the network on screen left
alone, a diverging run skipped, stop ends the series."""

import math

import numpy as np
from PySide6.QtWidgets import QDialogButtonBox

from nnviz.core import Network
from nnviz.core.session import TrainingState
from nnviz.core.sweep import parse_values
from nnviz.data import Dataset
from nnviz.ui.training.sweep import SweepDialog

TIMEOUT = 60000


def test_a_hidden_size_sweep_trains_each_size_and_plots_the_final_accuracy(window, qtbot):
    doc, panel, sweeper = window.doc, window.training, window.sweeper
    before = [w.copy() for w in doc.net.weights]
    panel.epochs.setValue(20)
    panel.eta.setValue(4.0)
    with qtbot.waitSignal(sweeper.finished, timeout=TIMEOUT) as blocker:
        assert panel.start_sweep(parse_values("hidden", "1, 4"))
        assert not doc.locked_reason  # the network on screen is not being trained
    assert blocker.args == [True]
    assert [v for v, _ in sweeper.results] == [1, 4]
    assert all(0 <= y <= 100 for _, y in sweeper.results)
    names = [run.name for run in window.trainer.runs]
    assert "2-1-1" in names[0] and "2-4-1" in names[1] and "sweep" in names[0]
    plot = window.plots.sweep_plot.points
    xs, ys = plot.xData, plot.yData  # (getData gives log10 x on the log axis)
    assert list(xs) == [1, 4]
    np.testing.assert_allclose(ys, [y for _, y in sweeper.results])
    assert window.plots.runs.count() == 2  # each run can be overlaid
    assert "Sweep done" in panel.status.text()
    for a, b in zip(doc.net.weights, before):
        np.testing.assert_array_equal(a, b)
    assert doc.undo_stack.count() == 0


def test_a_diverging_run_is_skipped_and_stop_ends_the_sweep(window, qtbot):
    rng = np.random.default_rng(0)
    wild = Dataset(rng.normal(size=(64, 3)) * 50, rng.normal(size=(64, 1)) * 50, name="wild")
    window.doc.set_network(Network([3, 8, 1], ["linear", "linear"], "quadratic", seed=0),
                           "wild", dataset=wild)
    panel, sweeper = window.training, window.sweeper
    panel.batch.setValue(8)
    panel.epochs.setValue(3)
    with qtbot.waitSignal(sweeper.finished, timeout=TIMEOUT) as blocker:
        assert panel.start_sweep(parse_values("eta", "5, 1e-6"))
    assert blocker.args == [True]
    (v1, y1), (v2, y2) = sweeper.results
    assert (v1, v2) == (5, 1e-6) and math.isnan(y1) and math.isfinite(y2)
    assert "That run of the sweep is ended" in panel.message.text()
    # Stop during a sweep ends the whole series.
    panel.epochs.setValue(1000)
    with qtbot.waitSignal(sweeper.finished, timeout=TIMEOUT) as blocker:
        panel.start_sweep(parse_values("seed", "1, 2, 3"))
        qtbot.waitUntil(lambda: window.trainer.state is TrainingState.RUNNING, timeout=TIMEOUT)
        panel.stop_button.click()
    assert blocker.args == [False]
    qtbot.waitUntil(lambda: window.trainer.job is None, timeout=TIMEOUT)
    assert not sweeper.running and len(sweeper.results) <= 1


def test_the_dialog_refuses_bad_values_at_the_field(qtbot):
    dialog = SweepDialog(kind="eta")
    qtbot.addWidget(dialog)
    assert dialog.values.text() == "0.1, 1, 3, 10"
    dialog.values.setText("0.1, -3")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert "positive" in dialog.error.text() and dialog.plan is None and dialog.result() == 0
    dialog.values.setText("0.1, 3")
    dialog.accept()
    assert dialog.plan.values == (0.1, 3.0)


def test_a_sweep_that_cannot_run_says_why(window):
    window.doc.set_network(Network([2, 1], seed=0), "tiny",
                           dataset=Dataset(np.zeros((4, 2)), np.zeros((4, 1)), name="d"))
    assert not window.training.start_sweep(parse_values("hidden", "2, 3"))
    assert "no hidden layer" in window.training.message.text()
    assert window.trainer.job is None
