"""The playground and the approximation panel in the window, with real background runs:
Train buttons, settings kept in step with the Training dock, and changes made "live" (the run
stops, the change is made, the next run goes on from the weights reached)."""

import numpy as np
from PySide6.QtWidgets import QApplication

from nnviz.core import approximation as ap
from nnviz.core import playground as pg
from nnviz.core.session import TrainingState
from nnviz.ui.model.selection import Change

TIMEOUT = 60000


def running(qtbot, window):
    qtbot.waitUntil(lambda: window.trainer.state is TrainingState.RUNNING, timeout=TIMEOUT)


def stop(qtbot, window):
    if window.trainer.state.active:
        window.trainer.stop()
        qtbot.waitUntil(lambda: window.trainer.job is None, timeout=TIMEOUT)


def test_playground_settings_follow_the_training_dock_both_ways(window):
    pgp, tr = window.playground, window.training
    pgp.eta_spin.setValue(0.07)
    assert tr.eta.value() == 0.07
    tr.l2.setValue(0.5)
    assert pgp.l2_spin.value() == 0.5
    pgp.batch_spin.setValue(25)
    assert tr.batch.value() == 25
    tr.batch.setValue(7)
    assert pgp.batch_spin.value() == 7
    pgp.pace_spin.setValue(30)
    assert tr.pace.value() == 30 and tr.config().pace == 30
    tr.pace.setValue(0)
    assert pgp.pace_spin.value() == 0 and tr.config().pace is None


def test_choosing_a_data_set_brings_its_suggested_training(window):
    pgp, tr = window.playground, window.training
    pgp.make_xor_network()
    assert pgp.choose_dataset("circle")
    hint = pg.suggested_training("circle")
    assert (tr.eta.value(), tr.batch.value(), tr.epochs.value()) == \
        (hint.eta, hint.batch_size, hint.epochs)
    assert pgp.eta_spin.value() == hint.eta
    assert "circle" in tr.data_label.text() and "test" in tr.data_label.text()
    tr.eta.setValue(0.2)  # the user's own choice stays when more data comes in
    pgp.add_point(0.1, 0.1, 1)
    assert tr.eta.value() == 0.2


def test_structure_changes_while_training_restart_the_run_from_the_weights_reached(
        window, qtbot):
    pgp, doc, ctl = window.playground, window.doc, window.trainer
    pgp.make_xor_network()
    window.training.epochs.setValue(1000)
    pgp.train_button.click()
    running(qtbot, window)
    assert pgp.train_button.text() == "Pause" and doc.locked_reason
    qtbot.waitUntil(lambda: doc.undo_stack.count() == 0 and len(ctl.run.epochs) >= 2,
                    timeout=TIMEOUT)
    runs, run = len(ctl.runs), ctl.run
    pgp.layer_spins[0].setValue(6)
    assert doc.net.sizes == [2, 6, 4, 1]
    # the first job's weights were kept as one step, the new neuron is another
    texts = [doc.undo_stack.text(i) for i in range(doc.undo_stack.count())]
    assert texts[0].startswith("Training") and texts[1] == "6 neurons in layer 1"
    # the same run goes on: epochs count on from where it was, for the epochs it had left
    done = ctl.offset
    assert done >= 2 and run.epochs[-1].epoch == done
    assert len(ctl.runs) == runs and ctl.run is run and run.settings["sizes"] == [2, 6, 4, 1]
    assert ctl.job.config.epochs == 1000 - done and ctl.total_epochs == 1000
    qtbot.waitUntil(lambda: run.epochs[-1].epoch > done + 1, timeout=TIMEOUT)
    numbers = [e.epoch for e in run.epochs]
    assert numbers == list(range(1, len(numbers) + 1))  # one continuous series
    assert run.epochs[-1].epochs == 1000
    assert doc.locked_reason  # training again
    # the batch size, which the running trainer cannot change, goes through a new job too
    pgp.batch_spin.setValue(3)
    assert ctl.run is run and run.settings["batch_size"] == 3 and ctl.offset > done
    # η changes the running job in place: no new job
    job = ctl.job
    pgp.eta_spin.setValue(0.05)
    assert ctl.job is job and ctl.job.config.eta == 0.05 and len(ctl.runs) == runs
    pgp.train_button.click()  # pause
    qtbot.waitUntil(lambda: ctl.state is TrainingState.PAUSED, timeout=TIMEOUT)
    assert pgp.train_button.text() == "Resume"
    pgp.activation_combo.textActivated.emit("relu")
    assert doc.net.activation_names[:2] == ["relu", "relu"]
    qtbot.waitUntil(lambda: ctl.state is TrainingState.PAUSED, timeout=TIMEOUT)  # still paused
    stop(qtbot, window)
    assert not doc.locked_reason


def test_epochs_show_in_the_playground(window, qtbot):
    pgp = window.playground
    pgp.make_xor_network()
    window.training.epochs.setValue(3)
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT):
        pgp.train_button.click()
    assert pgp.readout.text().startswith("Epoch 3/3") and "test accuracy" in pgp.readout.text()
    assert pgp.train_button.text() == "Train"


def test_approximation_train_learns_the_target_from_random_weights(window, qtbot):
    ax, doc = window.approximation, window.doc
    window.approximation_dock.show()
    ax.set_target_name("bump")
    ax.n_spin.setValue(10)
    ax.randomise()
    assert doc.net.sizes == [1, 10, 1] and doc.preset_dataset is not None
    np.testing.assert_allclose(doc.preset_dataset.y[:, 0],
                               ap.clip_target(ap.TARGETS["bump"](doc.preset_dataset.x[:, 0])))
    assert window.training.epochs.value() == ap.SUGGESTED_TRAINING.epochs
    before = ap.max_error(doc.net, ap.TARGETS["bump"])
    window.training.epochs.setValue(300)
    updates = []
    doc.changed.connect(lambda change: updates.append(ax.output_curve.getData()[1].copy())
                        if change & Change.PARAMETERS else None)
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT):
        ax.train_button.click()
    after = ap.max_error(doc.net, ap.TARGETS["bump"])
    assert after < before
    # the plotted curve is the trained network's
    np.testing.assert_allclose(ax.output_curve.getData()[1],
                               ap.network_curve(doc.net, ax.output_curve.getData()[0]))
    assert updates  # it moved while training


def test_a_new_target_becomes_the_training_data(window):
    ax, doc = window.approximation, window.doc
    ax.make_network()
    ax.set_target_name("sine")
    np.testing.assert_allclose(doc.preset_dataset.y[:, 0],
                               ap.clip_target(ap.TARGETS["sine"](doc.preset_dataset.x[:, 0])))
    assert "sine" in doc.preset_dataset.name
    ax.construct()
    assert doc.undo_stack.count() == 1 and "sine" in doc.preset_dataset.name


def test_a_network_made_by_the_approximation_panel_can_be_stepped(window):
    ax, doc = window.approximation, window.doc
    ax.set_target_name("bump")
    ax.make_network()
    assert doc.target is not None
    np.testing.assert_allclose(doc.target, ap.clip_target(ap.TARGETS["bump"](0.5)))
    assert doc.start_stepping() and doc.walk is not None
    doc.stop_stepping()


def test_hidden_panels_do_no_work_while_training_and_catch_up_when_shown(window, qtbot):
    ax, pgp, doc = window.approximation, window.playground, window.doc
    window.approximation_dock.show()
    ax.make_network()
    window.approximation_dock.hide()
    stale = ax.output_curve.getData()[1].copy()
    doc.replace_parameters([w + 0.5 for w in doc.net.weights], doc.net.biases, "Shift")
    np.testing.assert_array_equal(ax.output_curve.getData()[1], stale)  # nothing computed
    window.approximation_dock.show()
    qtbot.waitUntil(lambda: ax.isVisible(), timeout=5000)
    np.testing.assert_allclose(ax.output_curve.getData()[1],
                               ap.network_curve(doc.net, ax.output_curve.getData()[0]))
    # the playground likewise
    window.playground_dock.show()
    pgp.make_xor_network()
    window.playground_dock.hide()
    updates = pgp.updates
    doc.replace_parameters([w * 0.5 for w in doc.net.weights], doc.net.biases, "Halve")
    qtbot.wait(100)
    assert pgp.updates == updates
    window.playground_dock.show()
    qtbot.waitUntil(lambda: pgp.updates > updates, timeout=5000)
    np.testing.assert_array_equal(pgp.maps[-1],
                                  pg.neuron_maps(doc.net, pgp.points, pgp.shape)[-1])


def test_changes_at_odd_moments_keep_training_consistent(window, qtbot):
    pgp, doc, ctl = window.playground, window.doc, window.trainer
    window.playground_dock.show()
    pgp.make_xor_network()
    window.training.epochs.setValue(500)
    pgp.train_button.click()
    assert ctl.state is TrainingState.STARTING
    pgp.layer_spins[1].setValue(2)  # before the worker has even started
    assert doc.net.sizes == [2, 4, 2, 1]
    running(qtbot, window)
    assert doc.locked_reason
    pgp.remove_layer_button.click()
    pgp.remove_layer_button.click()
    assert doc.net.sizes == [2, 1] and not pgp.remove_layer_button.isEnabled()
    running(qtbot, window)
    pgp.add_layer_button.click()
    assert doc.net.sizes == [2, 4, 1]  # DEFAULT_LAYER_SIZE with no hidden neighbour
    running(qtbot, window)
    assert len(ctl.runs) == 1  # all one run
    stop(qtbot, window)
    for _ in range(doc.undo_stack.count()):
        doc.undo()
    assert doc.net.sizes == [2, 4, 4, 1]


def test_the_stepping_panel_names_the_playgrounds_data(window):
    window.playground.make_xor_network()
    window.playground.choose_dataset("circle")
    window.stepping.refresh()
    text = window.stepping.example_label.text()
    assert "circle" in text and "140 samples" in text and "own target" in text
    assert "one-hot" not in text and "test set" not in text


def test_regression_runs_hide_the_empty_accuracy_plot(window, qtbot):
    window.approximation_dock.show()
    window.approximation.make_network()
    window.training.epochs.setValue(5)
    window.training.pace.setValue(0)
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT):
        window.training.start()
        assert not window.plots.acc_plot.isVisible()
    window.playground.make_xor_network()
    window.training.epochs.setValue(5)
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT):
        window.training.start()
        assert window.plots.acc_plot.isVisible()


def test_a_suggested_pace_ends_with_its_data(window):
    window.playground.make_xor_network()
    assert window.training.pace.value() == pg.suggested_training("xor").pace
    window.load_preset("xor")  # the article's XOR net: its own 4 points, no suggestion
    assert window.training.pace.value() == 0 and window.training.config().pace is None


def test_use_this_data_says_it_replaces_the_weights_and_so_does_the_caption(window):
    """On the hand-made xor preset, "Use this data" draws fresh weights: the button and its
    tooltip say so, and the About text stops describing the hand-made OR / NAND solution."""
    pgp, doc = window.playground, window.doc
    assert "fresh weights" in pgp.use_button.text()
    assert "hand-made" in pgp.use_button.toolTip() and "Undo" in pgp.use_button.toolTip()
    assert "NAND" in doc.caption and "NAND" in window.about.caption.text()
    changes = []
    doc.changed.connect(changes.append)
    pgp.dataset_combo.setCurrentText("xor")
    pgp.use_button.click()
    assert doc.preset_dataset is pgp.data.train
    caption = window.about.caption.text()
    assert caption == doc.caption and "NAND" not in caption and "±20" not in caption
    assert "fresh random weights" in caption and "the xor data" in caption
    assert any(c & Change.FILE for c in changes)
    # A network without a caption keeps the panel's own words for it.
    pgp.make_xor_network()
    assert doc.caption == ""
    pgp.use_button.click()
    assert doc.caption == "" and window.about.caption.text().startswith("A network you made")


def _places(window):
    """Where the playground's buttons are in the window: (x, y, width, height) each."""
    p = window.playground
    buttons = (p.use_button, p.add_layer_button, p.remove_layer_button, p.train_button,
               p.reset_button)
    return [(b.mapTo(window, b.rect().topLeft()).toTuple(), b.size().toTuple())
            for b in buttons]


def test_the_playgrounds_buttons_stay_put_when_data_is_chosen_and_training_starts(window, qtbot):
    """Choosing data brought the About panel its Previous / Next row, which pushed the
    playground below it down by one row: a click meant for Reset landed on "+ layer". With the
    About panel beside it (the playground opened from the Explore workspace's layout) and in
    the Constructions workspace, where training brings the plots but not the Training dock
    (the playground has its own controls)."""
    window.resize(1400, 900)
    window.about_dock.show()
    window.playground_dock.show()
    qtbot.waitUntil(lambda: window.playground.isVisible())
    assert window.workspaces.current == "constructions"
    window.about_dock.show()
    QApplication.processEvents()  # the docks' layout settles
    window.playground.pace_spin.setValue(0)
    before = _places(window)
    window.playground.use_button.click()
    assert window.doc.examples is not None and window.about.next_button.isVisible()
    assert _places(window) == before
    window.playground.train_button.click()
    qtbot.waitUntil(lambda: window.trainer.run is not None and bool(window.trainer.run.epochs),
                    timeout=TIMEOUT)
    assert window.plots_dock.isVisible() and not window.training_dock.isVisible()
    assert _places(window) == before
    stop(qtbot, window)
    assert _places(window) == before


def test_a_net_too_small_for_the_data_is_told_so(window):
    """The xor preset's 2-2-1 cuts the plane along two lines: the XOR quadrants need more."""
    pgp = window.playground
    assert window.doc.net.sizes == [2, 2, 1]
    assert pgp.choose_dataset("xor")
    assert "2 straight lines" in pgp.status.text() and "too few" in pgp.status.text()
    assert pgp.choose_dataset("two gaussians")  # one line does
    assert pgp.status.text() == ""
    pgp.make_xor_network()  # 2-4-4-1
    assert pgp.choose_dataset("circle") and pgp.status.text() == ""
