"""The learning-speed plot: one curve per layer, live from the worker (the start's speeds and
every epoch's), and the sigmoid-vs-ReLU comparison in one click."""

import numpy as np

TIMEOUT = 60000


def test_each_layer_has_a_curve_from_the_start_to_the_last_epoch(window, qtbot):
    window.load_preset("2-3-1")
    panel, ctl, plot = window.training, window.trainer, window.learning.speed
    panel.epochs.setValue(12)
    panel.pace.setValue(0)
    got = []
    ctl.speedsReported.connect(lambda: got.append(ctl.run.initial_speed))
    panel.start()
    qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)  # the start's, from the worker
    assert ctl.run.initial_speed is not None and len(ctl.run.initial_speed) == 2
    qtbot.waitUntil(lambda: ctl.run.result is not None and ctl.job is None, timeout=TIMEOUT)
    run = ctl.run
    assert len(plot.curves) == 2
    xs, ys = plot.curves[0].getOriginalDataset()
    measured = [e for e in run.epochs if e.learning_speed is not None]
    assert xs[0] == 0 and ys[0] == run.initial_speed[0]
    assert list(xs[1:]) == [e.epoch for e in measured] and xs[-1] == 12
    np.testing.assert_allclose(plot.curves[1].getOriginalDataset()[1][1:],
                               [e.learning_speed[1] for e in measured])
    assert plot.plot.getPlotItem().ctrl.logYCheck.isChecked()  # log y


def test_one_click_compares_a_deep_sigmoid_net_with_a_relu_net(window):
    pair = window.learning.speed.compare()
    sigmoid, relu = pair.values()
    assert sigmoid[0] < sigmoid[2] / 10  # the vanishing gradient
    assert max(relu[:3]) < 3 * min(relu[:3])
    assert window.learning.speed.pair_plot.isVisibleTo(window.learning.speed)
