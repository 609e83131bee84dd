"""A run's curves with each layer's learning speed, and the histograms, as CSV."""

import csv

import numpy as np

from nnviz.core.learning import BINS
from nnviz.ui.training.run_files import export_csv

TIMEOUT = 60000


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_the_curves_csv_carries_the_learning_speeds(window, qtbot, tmp_path):
    window.load_preset("2-3-1")
    window.training.epochs.setValue(5)
    window.training.pace.setValue(0)
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT):
        window.training.start()
    run = window.trainer.run
    path = tmp_path / "run.csv"
    export_csv(window.trainer.run, str(path))
    rows = _rows(path)
    assert rows[0][0] == "epoch" and rows[0][-2:] == ["speed_1", "speed_2"]
    assert rows[1][0] == "0" and [float(v) for v in rows[1][-2:]] == run.initial_speed
    assert [r[0] for r in rows[2:]] == ["1", "2", "3", "4", "5"]
    last = run.epochs[-1]
    assert [float(v) for v in rows[-1][-2:]] == last.learning_speed
    assert float(rows[-1][1]) == last.train_cost


def test_the_histograms_csv_has_every_bin(window, qtbot, tmp_path):
    window.load_preset("2-3-1")
    panel = window.learning.histograms
    window.learning.histograms_dock.show()
    qtbot.waitUntil(lambda: len(panel.stats) == 2, timeout=TIMEOUT)
    path = tmp_path / "h.csv"
    panel.export_csv(str(path))
    rows = _rows(path)
    assert rows[0] == ["layer", "activation", "quantity", "bin_low", "bin_high", "count",
                       "saturated", "dead"]
    assert len(rows) == 1 + 2 * 3 * BINS
    weights1 = [r for r in rows[1:] if r[0] == "1" and r[2] == "weights"]
    assert sum(int(r[5]) for r in weights1) == window.doc.net.weights[0].size
    assert np.isclose(float(weights1[0][3]), window.doc.net.weights[0].min())
