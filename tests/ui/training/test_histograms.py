"""The Histograms dock: one row per layer, bounded bins that count every value, redrawn for the
network shown when idle and at most MAX_RATE times a second while a run trains."""

import numpy as np

from nnviz.core.learning import BINS
from nnviz.ui.training import histograms

TIMEOUT = 60000


def test_idle_histograms_show_the_current_network(window, qtbot):
    window.load_preset("2-3-1")
    panel = window.learning.histograms
    window.learning.histograms_dock.show()
    qtbot.waitUntil(lambda: len(panel.stats) == 2, timeout=TIMEOUT)
    n = min(histograms.SAMPLE, len(window.doc.preset_dataset))
    for stats, w in zip(panel.stats, window.doc.net.weights):
        assert stats.weights.total == w.size and stats.weights.counts.shape == (BINS,)
        assert stats.activations.total == n * w.shape[0] == stats.deltas.total
    assert "saturated" in panel.labels[0].text()
    before = panel.redraws
    w = [x.copy() for x in window.doc.net.weights]
    w[0][0, 0] += 5.0
    window.doc.replace_parameters(w, [b.copy() for b in window.doc.net.biases], "edit")
    qtbot.waitUntil(lambda: panel.redraws > before, timeout=TIMEOUT)
    assert panel.stats[0].weights.edges[-1] >= w[0][0, 0] - 1e-12  # the new largest weight


def test_while_training_they_redraw_at_most_a_few_times_a_second(window, qtbot, monkeypatch):
    window.load_preset("2-3-1")
    panel, ctl = window.learning.histograms, window.trainer
    window.learning.histograms_dock.show()
    qtbot.waitUntil(lambda: panel.redraws >= 1, timeout=TIMEOUT)
    times = []
    real = panel.redraw

    def counted():
        times.append(histograms.time.perf_counter())
        real()

    monkeypatch.setattr(panel, "redraw", counted)
    panel.timer.timeout.disconnect()
    panel.timer.timeout.connect(counted)
    window.training.epochs.setValue(200)
    window.training.pace.setValue(100)
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
        window.training.start()  # the Train workspace: shown there too, it stays with it
        window.learning.histograms_dock.show()
    assert len(times) >= 2  # it followed the run
    gaps = np.diff(times)
    assert np.all(gaps >= 1.0 / histograms.MAX_RATE - 0.02)
