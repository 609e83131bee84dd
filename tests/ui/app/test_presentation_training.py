"""Training in presentation mode: the finished run's curves stay on screen, a new run keeps
them until it reports, and a run without a pace of its own lasts long enough to be watched."""

import numpy as np
import pytest
from PySide6.QtWidgets import QDockWidget

from nnviz.core.session import TrainingState
from nnviz.ui.app.presentation import WATCHABLE_SECONDS

TIMEOUT = 60000


def shown(window):
    return {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()}


def test_the_finished_runs_curves_stay_and_a_new_run_keeps_them_until_it_reports(window,
                                                                                  qtbot):
    window.load_preset("2-3-1")
    panel, ctl, plots, pm = window.training, window.trainer, window.plots, window.presentation
    panel.epochs.setValue(12)
    panel.pace.setValue(1000)  # a pace of its own: fast
    pm.enter(full_screen=False)
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
        pm.toggle_training()
    # The run has ended, and its curves are still on screen with all its data.
    assert ctl.state is TrainingState.FINISHED
    assert "plotsDock" in shown(window) and plots.isVisible()
    xs, ys = plots.curves["train"].getData()
    assert list(xs) == list(range(1, 13))
    np.testing.assert_allclose(ys, [e.train_cost for e in ctl.run.epochs])
    old_run = ctl.run
    # A new run, started paused, has not reported: the last run's curves stay.
    with qtbot.waitSignal(ctl.stateChanged, timeout=TIMEOUT):
        ctl.start_from_settings(paused=True)
    assert ctl.run is not old_run and not ctl.run.epochs
    qtbot.waitUntil(lambda: ctl.state is TrainingState.PAUSED, timeout=TIMEOUT)
    for _ in range(4):
        plots.redraw()  # whatever redraws, the curves are not emptied
    assert list(plots.curves["train"].getData()[0]) == list(range(1, 13))
    assert plots.showing_last_run and "plotsDock" in shown(window)
    # Its first epoch replaces them.
    with qtbot.waitSignal(ctl.epochReported, timeout=TIMEOUT):
        ctl.step_epoch()
    plots.redraw()
    assert not plots.showing_last_run
    xs, ys = plots.curves["train"].getData()
    assert list(xs) == [1] and ys[0] == pytest.approx(ctl.run.epochs[0].train_cost)
    ctl.close()
    # Something else is done (stepping): the plots make room for it, and stay away after.
    assert window.doc.start_stepping()
    assert "equationsDock" in shown(window) and "plotsDock" not in shown(window)
    window.doc.stop_stepping()
    assert "plotsDock" not in shown(window)
    pm.leave()


def test_a_run_without_a_pace_is_paced_to_be_watched_in_presentation_mode(window, qtbot):
    window.load_preset("2-3-1")
    panel, ctl, pm = window.training, window.trainer, window.presentation
    panel.epochs.setValue(40)
    panel.pace.setValue(0)  # full speed: a blink
    pm.enter(full_screen=False)
    ctl.start_from_settings(paused=True)
    assert ctl.job.config.pace == pytest.approx(40 / WATCHABLE_SECONDS)
    assert "epochs/s" in panel.status.text()
    panel.eta.setValue(1.5)  # a live change keeps the pace
    assert ctl.job.config.pace == pytest.approx(40 / WATCHABLE_SECONDS)
    ctl.close()
    pm.leave()
    ctl.start_from_settings(paused=True)  # outside presentation mode: full speed again
    assert ctl.job.config.pace is None
    ctl.close()
