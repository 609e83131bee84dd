"""Background training in the window: reports reach the panel and the plots in order, the
trained weights become the document's, manual changes are refused while it runs, pause/stop,
live η, divergence, closing mid-run."""

import os

import numpy as np
import pytest

from nnviz.core import Network
from nnviz.core.session import MAX_POINTS, Curve, TrainingState
from nnviz.data.dataset import Dataset

TIMEOUT = 60000


def finish(qtbot, window):
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT) as blocker:
        pass
    return blocker.args[0]


def test_a_short_toy_run_reports_in_order_and_hands_over_its_weights(window, qtbot):
    window.load_preset("2-3-1")
    panel, ctl = window.training, window.trainer
    assert window.doc.preset_dataset is not None  # the preset brings its own points
    panel.epochs.setValue(40)
    panel.batch.setValue(4)
    panel.eta.setValue(2.0)
    epochs = []
    ctl.epochReported.connect(lambda r: epochs.append(r.epoch))
    before = [w.copy() for w in window.doc.net.weights]
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT) as blocker:
        panel.start()
        assert window.doc.locked_reason
    result = blocker.args[0]
    assert result.reason == "completed"
    assert epochs == list(range(1, 41))
    assert not window.doc.locked_reason and ctl.job is None
    # The plots hold one point per epoch; the run is listed for comparison.
    xs, ys = window.plots.curves["train"].getData()
    assert list(xs) == list(range(1, 41))
    np.testing.assert_allclose(ys, [e.train_cost for e in ctl.run.epochs])
    assert window.plots.runs.count() == 1
    # The trained weights are the document's, and the whole run is one undoable step.
    trained = [w.copy() for w in window.doc.net.weights]
    assert any(not np.array_equal(a, b) for a, b in zip(trained, before))
    assert window.doc.undo_stack.count() == 1
    assert window.act_undo.isEnabled() and "Training" in window.act_undo.text()
    window.act_undo.trigger()
    for a, b in zip(window.doc.net.weights, before):
        np.testing.assert_array_equal(a, b)
    window.act_redo.trigger()
    for a, b in zip(window.doc.net.weights, trained):
        np.testing.assert_array_equal(a, b)


def test_mnist_subset_run_and_manual_changes_refused_while_running(window, qtbot):
    window.load_preset("mnist-30")
    panel, ctl, doc = window.training, window.trainer, window.doc
    panel.subset.setValue(600)
    panel.validation.setValue(100)
    panel.epochs.setValue(2)
    panel.batch.setValue(10)
    panel.start()
    assert ctl.state is TrainingState.STARTING
    with pytest.raises(PermissionError, match="training"):
        doc.replace_parameters(doc.net.weights, doc.net.biases, "Edit")
    window.load_preset("xor")  # refused with a message, nothing changes
    assert doc.net.sizes == [784, 30, 10]
    assert "Not now" in window.statusBar().currentMessage()
    assert not doc.start_stepping()
    epochs = []
    ctl.epochReported.connect(epochs.append)
    result = finish(qtbot, window)
    assert result.epochs_completed == 2 and len(epochs) == 2
    assert epochs[-1].test_accuracy is not None and epochs[-1].validation_accuracy is not None
    xs, ys = window.plots.curves["test_acc"].getData()
    assert list(xs) == [1, 2] and 0 <= ys.min() <= ys.max() <= 100
    assert window.plots.smoothed.xs  # per-batch points arrived
    assert "epoch" in panel.status.text().lower()


def test_pause_resume_and_stop(window, qtbot):
    window.load_preset("mnist-30")
    panel, ctl = window.training, window.trainer
    panel.subset.setValue(2000)
    panel.epochs.setValue(50)
    panel.start()
    qtbot.waitUntil(lambda: ctl.state is TrainingState.RUNNING, timeout=TIMEOUT)
    with qtbot.waitSignal(ctl.batchReported, timeout=TIMEOUT):
        pass
    panel.toggle_pause()
    qtbot.waitUntil(lambda: ctl.state is TrainingState.PAUSED, timeout=TIMEOUT)
    assert panel.pause_button.text() == "Resume"
    n = len(ctl.run.batch_cost.xs)
    qtbot.wait(300)
    assert len(ctl.run.batch_cost.xs) == n  # nothing trains while paused
    panel.toggle_pause()
    qtbot.waitUntil(lambda: len(ctl.run.batch_cost.xs) > n, timeout=TIMEOUT)
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT) as blocker:
        panel.stop_button.click()
    assert blocker.args[0].reason == "cancelled"
    assert not window.doc.locked_reason


def test_live_learning_rate_reaches_the_worker(window, qtbot):
    window.load_preset("mnist-30")
    panel, ctl = window.training, window.trainer
    panel.subset.setValue(2000)
    panel.epochs.setValue(50)
    etas = []
    ctl.batchReported.connect(lambda r: etas.append(r.eta))
    panel.start()
    qtbot.waitUntil(lambda: len(etas) > 0, timeout=TIMEOUT)
    assert etas[-1] == pytest.approx(3.0)
    panel.eta.setValue(0.25)
    qtbot.waitUntil(lambda: etas[-1] == pytest.approx(0.25), timeout=TIMEOUT)
    ctl.stop()
    finish(qtbot, window)


def test_divergence_pauses_with_a_message_and_keeps_finite_weights(window, qtbot):
    rng = np.random.default_rng(0)
    wild = Dataset(rng.normal(size=(64, 3)) * 50, rng.normal(size=(64, 1)) * 50, name="wild")
    net = Network([3, 8, 1], ["linear", "linear"], "quadratic", seed=0)
    window.doc.set_network(net, "wild", dataset=wild)
    panel, ctl = window.training, window.trainer
    panel.eta.setValue(5.0)
    panel.batch.setValue(8)
    panel.epochs.setValue(6)
    with qtbot.waitSignal(ctl.problem, timeout=TIMEOUT) as blocker:
        panel.start()
    assert "lower η" in blocker.args[0]
    qtbot.waitUntil(lambda: ctl.state is TrainingState.PAUSED, timeout=TIMEOUT)
    assert all(np.isfinite(w).all() for w in window.doc.net.weights)
    assert "lower η" in panel.message.text()
    assert len(window.plots.marks) == 1  # the error plot marks where it happened
    assert window.plots.marks[0].value() <= 6
    ctl.stop()
    ctl.resume()
    finish(qtbot, window)


def test_closing_mid_run_ends_the_worker(qtbot, settings):
    from nnviz.ui.app.main_window import MainWindow

    win = MainWindow(settings=settings, preset="mnist-30", load_data=False)
    qtbot.addWidget(win)
    win.show()
    win.training.subset.setValue(5000)
    win.training.epochs.setValue(50)
    win.training.start()
    qtbot.waitUntil(lambda: win.trainer.state is TrainingState.RUNNING, timeout=TIMEOUT)
    job = win.trainer.job
    pid, shm = job.pid, job.shared_memory_name
    win.close()
    assert win.trainer.job is None and not job.is_alive()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, not a zombie waiting for us
    from multiprocessing.shared_memory import SharedMemory

    with pytest.raises(FileNotFoundError):
        SharedMemory(name=shm)


def test_no_data_for_an_odd_network_is_a_clear_message(window):
    window.doc.set_network(Network([5, 3, 2]), "odd")
    window.training.start()
    assert "no training data" in window.training.message.text()
    assert window.trainer.job is None


def test_curves_stay_bounded():
    c = Curve()
    for i in range(10 * MAX_POINTS):
        c.add(i, float(i))
    assert len(c.xs) <= MAX_POINTS
    xs, ys = c.arrays()
    assert np.all(np.diff(xs) > 0) and xs[-1] == 10 * MAX_POINTS - 1
    np.testing.assert_allclose(xs, ys)  # averaging pairs keeps the curve's shape


def test_axes_stay_put_during_a_run_and_autoscale_after(window, qtbot):
    window.load_preset("2-3-1")
    panel, ctl, plots = window.training, window.trainer, window.plots
    panel.epochs.setValue(400)
    panel.batch.setValue(4)
    panel.pace.setValue(200)  # two seconds: time to look at the plots mid-run
    ranges = []
    ctl.epochReported.connect(
        lambda r: ranges.append(plots.error_plot.getPlotItem().vb.viewRange()))
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
        panel.start()
        qtbot.waitUntil(lambda: len(ctl.run.epochs) >= 50, timeout=TIMEOUT)
        vb = plots.error_plot.getPlotItem().vb
        assert not any(vb.autoRangeEnabled())
        (x0, x1), (y0, y1) = vb.viewRange()
        assert (x0, x1) == (0, 400)  # the whole run from its start
        costs = np.array([e.train_cost for e in ctl.run.epochs])
        assert y0 == 0 and costs.max() <= y1  # every point inside
        # the y range changed only a few times: it grows with headroom, never shrinks
        assert len({tuple(r[1]) for r in ranges}) <= 5
        acc = plots.acc_plot.getPlotItem().vb.viewRange()[1]
        assert acc[1] <= 101
    assert all(plots.error_plot.getPlotItem().vb.autoRangeEnabled())  # autoscale again


def test_the_users_zoom_wins_over_steady_axes(window, qtbot):
    window.load_preset("2-3-1")
    panel, ctl, plots = window.training, window.trainer, window.plots
    panel.epochs.setValue(400)
    panel.pace.setValue(200)
    panel.start()
    qtbot.waitUntil(lambda: len(ctl.run.epochs) >= 5, timeout=TIMEOUT)
    vb = plots.error_plot.getPlotItem().vb
    vb.setXRange(10, 20, padding=0)
    vb.sigRangeChangedManually.emit([True, True])  # what a mouse zoom emits
    qtbot.waitUntil(lambda: len(ctl.run.epochs) >= 30, timeout=TIMEOUT)
    plots.redraw()
    assert vb.viewRange()[0] == [10, 20]
    ctl.stop()
    qtbot.waitUntil(lambda: ctl.job is None, timeout=TIMEOUT)


def test_a_run_continued_after_a_structure_change_reports_as_a_whole(window, qtbot):
    pgp, ctl, panel = window.playground, window.trainer, window.training
    pgp.make_xor_network()
    panel.epochs.setValue(30)
    panel.pace.setValue(20)  # slow enough to change the network mid-run
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT) as blocker:
        pgp.train_button.click()
        qtbot.waitUntil(lambda: ctl.run is not None and len(ctl.run.epochs) >= 2,
                        timeout=TIMEOUT)
        run = ctl.run
        assert run.name.startswith("run 1: 2-4-4-1")
        pgp.layer_spins[0].setValue(6)  # the run goes on with a 2-6-4-1 network
        assert ctl.offset >= 2 and ctl.run is run
        assert run.name.startswith("run 1: 2-6-4-1, ")  # the name follows the sizes
        panel.pace.setValue(0)
    result = blocker.args[0]
    assert result.reason == "completed" and result.epochs_completed == 30
    assert result.message == "finished 30 epochs"
    assert [e.epoch for e in result.history] == list(range(1, 31))
    assert panel.status.text().startswith("finished 30 epochs (30 epochs, ")
    assert run.result is result and len(ctl.runs) == 1
    assert window.plots.runs.item(0).text().startswith("run 1: 2-6-4-1, ")


def test_a_continued_runs_messages_number_its_epochs_from_the_start():
    from nnviz.core.training import EpochReport, TrainingResult
    from nnviz.ui.training.controller import whole_run_result

    job = TrainingResult("early-stopped", "no improvement on the validation set for 3 epochs; "
                         "kept the weights of epoch 7", 10, [], 7, 1.0, 100)
    history = [EpochReport(e, 50, 0.1, None, None, None, None, None, 0.1, 0.1 * e, 0.0, 0.5)
               for e in range(1, 51)]
    whole = whole_run_result(job, 40, history)
    assert whole.message == ("no improvement on the validation set for 3 epochs; kept the "
                             "weights of epoch 47")
    assert whole.epochs_completed == 50 and whole.best_epoch == 47 and whole.history == history


def test_autoscale_after_a_run_does_not_magnify_a_change_of_1e_8(window, qtbot):
    """xor's hand-made ±20 weights with one output weight broken: every sigmoid saturates and
    a run changes the error (≈ 0.25) by ~10⁻⁷. After the run the axes autoscale, but to no
    less than 10⁻³ of the error, so the flat curve stays flat instead of a steep "drop"."""
    from nnviz.ui.training.plots import MIN_SPAN_FRACTION, least_span

    doc, panel, ctl, plots = window.doc, window.training, window.trainer, window.plots
    doc.set_weight(2, 0, 0, 0.0)
    panel.epochs.setValue(20)
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
        panel.start()
    vb, acc_vb = plots.error_plot.getPlotItem().vb, plots.acc_plot.getPlotItem().vb
    assert all(vb.autoRangeEnabled())
    vb.updateAutoRange()  # what the next paint does
    acc_vb.updateAutoRange()
    costs = np.array([e.train_cost for e in ctl.run.epochs])
    assert 0 < np.ptp(costs) < 1e-5 * costs.max()  # the run barely moved the error
    y0, y1 = vb.viewRange()[1]
    assert y1 - y0 >= 0.99 * MIN_SPAN_FRACTION * costs.max()
    assert y0 <= costs.min() and costs.max() <= y1
    # the accuracy plot: flat at 50 %, never a range of a hair's breadth
    a0, a1 = acc_vb.viewRange()[1]
    assert a1 - a0 >= 0.99 * MIN_SPAN_FRACTION * 50
    # the least span: a fraction of the largest |value|, a floor for zeros, decades on log axes
    assert least_span(np.array([0.5, -2.0, np.nan])) == pytest.approx(2e-3)
    assert least_span(np.zeros(3)) > 0 and least_span(np.array([])) > 0
    assert least_span(np.array([1e6]), log=True) == least_span(np.array([1e-6]), log=True)


def test_xor_random_brings_training_settings_that_learn_it(window, qtbot):
    """The preset's own settings reach the panel (and go again with the next preset), and a run
    with them takes the four outputs from chance to XOR."""
    window.load_preset("xor-random")
    panel, ctl, doc = window.training, window.trainer, window.doc
    assert (panel.eta.value(), panel.batch.value(), panel.epochs.value()) == (3.0, 1, 300)
    assert panel.pace.value() == 30
    panel.pace.setValue(0)  # full speed for the test
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
        panel.start()
    out = doc.net.feedforward(doc.preset_dataset.inputs()).ravel()
    assert np.all(np.abs(out - [0, 1, 1, 0]) < 0.2), out
    window.load_preset("xor")
    assert panel.pace.value() == 0


def test_the_epoch_points_set_the_error_axis_not_the_first_mini_batches(window, qtbot):
    """A run that starts far off (the output saturated the wrong way): the first smoothed
    mini-batch errors are many times the epochs' errors. Once there are epoch points they set
    the y range, so the epoch curves do not lie flat at the bottom."""
    window.load_preset("2-3-1")
    doc, panel, ctl, plots = window.doc, window.training, window.trainer, window.plots
    doc.set_bias(2, 0, 12.0)  # the output starts near 1 where the targets are near 0
    panel.epochs.setValue(40)
    panel.batch.setValue(4)
    panel.eta.setValue(3.0)
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
        panel.start()
    epoch_costs = np.array([e.train_cost for e in ctl.run.epochs]
                           + [e.test_cost for e in ctl.run.epochs if e.test_cost is not None])
    batch = plots.curves["batch"].getData()[1]
    assert batch.max() > 2 * epoch_costs.max()  # the case: a high start
    vb = plots.error_plot.getPlotItem().vb
    assert all(vb.autoRangeEnabled())
    vb.updateAutoRange()
    y0, y1 = vb.viewRange()[1]
    assert y0 <= epoch_costs.min() and epoch_costs.max() <= y1 < 1.5 * epoch_costs.max()


def test_the_run_list_wraps_long_names_and_lists_a_run_ended_by_an_error(window, qtbot):
    import signal

    plots, ctl, panel = window.plots, window.trainer, window.training
    assert plots.runs.wordWrap()
    window.load_preset("2-3-1")
    panel.epochs.setValue(400)
    panel.pace.setValue(200)
    panel.start()
    qtbot.waitUntil(lambda: len(ctl.run.epochs) >= 2, timeout=TIMEOUT)
    os.kill(ctl.job.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: ctl.state is TrainingState.FAILED, timeout=TIMEOUT)
    assert plots.runs.count() == 1
    item = plots.runs.item(0)
    assert item.text().startswith(ctl.run.name) and "ended by an error" in item.text()


def test_a_run_of_tiny_errors_offers_the_log_scale(window, qtbot):
    """XOR's hand-made ±20 weights: errors near 1e-9. The run ends offering the log axis."""
    panel, ctl, plots = window.training, window.trainer, window.plots
    panel.epochs.setValue(5)
    assert plots.log_box.text() == "Log scale"
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
        panel.start()
    assert max(e.train_cost for e in ctl.run.epochs) < 1e-3
    assert plots.log_box.text().startswith("Log scale (suggested")
    plots.log_box.setChecked(True)
    assert plots.log_box.text() == "Log scale"


def test_the_graph_takes_new_weights_and_repaints_on_different_ticks(window, qtbot):
    """While training, the weights reach the graph on one tick and it repaints on a later one
    (each event-loop pass stays short); what it paints is the weights of the snapshot; it is
    never left without repainting when the run ends."""
    window.load_preset("mnist-30")
    panel, ctl, view = window.training, window.trainer, window.view
    none = view.ViewportUpdateMode.NoViewportUpdate
    panel.subset.setValue(2000)
    panel.epochs.setValue(2)
    seen, grabs = [], []

    def on_part(part):
        seen.append((part, view.viewportUpdateMode() != none))
        if part == "graph":  # held, but a grab paints the graph as it is
            grabs.append(view.grab().toImage())

    ctl.frameDue.connect(on_part)
    painted = []
    ctl.frameDue.connect(lambda part: part == "graph paint" and painted.append(
        window.view.grab().toImage()))
    panel.start()
    finish(qtbot, window)
    held = [i for i, (part, enabled) in enumerate(seen) if part == "graph" and not enabled]
    assert held, "the graph took new weights while training"
    for i in held:  # after each, the next graph part is its repaint, not another snapshot
        later = [part for part, _ in seen[i + 1:] if part.startswith("graph")]
        assert not later or later[0] == "graph paint"
    assert view.viewportUpdateMode() != none
    assert painted[0] != painted[-1]
    image = grabs[-1]  # not black: the graph's background around its discs
    background = image.pixelColor(5, image.height() // 2)
    assert background.lightness() > 200
