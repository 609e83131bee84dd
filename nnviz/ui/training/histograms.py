"""Histograms per layer of the network shown: its weights w^l, its activations a^l (with the
share of saturated sigmoid/tanh outputs or of dead ReLU units) and its errors δ^l, on a fixed
sample of the training data. Redrawn when the parameters change, at most a few times a second
(while a run trains, the document shows its weights ~30 times a second)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.learning import LayerStats, histogram_rows, layer_stats
from ...data.dataset import Dataset
from ..model.document import Document
from ..model.selection import Change
from .axes import theme_plots

#: At most this many redraws a second.
MAX_RATE = 3.0
#: Samples the activations and errors are measured on (the first ones of the data).
SAMPLE = 200
KINDS = (("weights", "weights wˡ", (0, 114, 178)), ("activations", "activations aˡ",
                                                     (0, 158, 115)),
         ("deltas", "errors δˡ", (213, 94, 0)))


def share_text(stats: LayerStats) -> str:
    """"saturated 12%" / "dead 3%" / "" for one layer."""
    if stats.saturated is not None:
        return f"saturated {100 * stats.saturated:.0f}%"
    if stats.dead is not None:
        return f"dead {100 * stats.dead:.0f}%"
    return ""


class HistogramPanel(QWidget):
    """A grid: one row per layer l = 1..L, one column each for w^l, a^l and δ^l."""

    def set_appearance(self, appearance) -> None:
        """The plots in the theme's colours (``theme.apply_appearance`` calls it)."""
        theme_plots(self, appearance)

    def __init__(self, doc: Document, data: Callable[[], Dataset | None] | None = None) -> None:
        """``data`` returns the data set to sample (None: the document's own data, if any)."""
        super().__init__()
        self.doc = doc
        self._data = data
        self.stats: list[LayerStats] = []
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.grid = QGridLayout()
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setToolTip("Every bin of every histogram, one row each")
        self.csv_button.clicked.connect(self._ask_csv)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.grid, 1)
        self.plots: list[list[pg.PlotWidget]] = []
        self.labels: list[QLabel] = []
        self._last = -1e9  # perf_counter of the last redraw
        self.redraws = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.redraw)
        doc.changed.connect(self._on_changed)
        self._stale = True  # drawn when first shown

    def _on_changed(self, change: Change) -> None:
        if change & (Change.NETWORK | Change.PARAMETERS | Change.DATASET | Change.EXAMPLES):
            if self.isVisible():
                self.schedule()
            else:
                self._stale = True  # redrawn when shown

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.schedule()

    def schedule(self) -> None:
        """Redraw now, or when MAX_RATE allows (one redraw for all changes until then)."""
        if self.timer.isActive():
            return
        wait = self._last + 1.0 / MAX_RATE - time.perf_counter()
        self.timer.start(max(0, int(1000 * wait)))

    def sample(self) -> tuple[np.ndarray | None, np.ndarray | None, str]:
        """(x, y, description) of the sample: the first SAMPLE samples of the data; the
        current input alone without data; (None, None, "") without either."""
        ds = self._data() if self._data is not None else None
        net = self.doc.net
        if ds is None or ds.n_inputs != net.sizes[0] or ds.n_outputs != net.sizes[-1]:
            ds = self.doc.preset_dataset
        if ds is not None and len(ds):
            n = min(SAMPLE, len(ds))
            return ds.inputs(slice(0, n)), ds.targets(slice(0, n)), f"the first {n} of {ds.name}"
        if self.doc.x is not None:
            y = None if self.doc.target is None else np.atleast_2d(self.doc.target)
            return np.atleast_2d(self.doc.x), y, "the current input"
        return None, None, ""

    def redraw(self) -> None:
        self._last = time.perf_counter()
        self.redraws += 1
        x, y, what = self.sample()
        net = self.doc.net
        if x is None:
            self.stats = []
            self.title.setText("No input to measure the activations on.")
        else:
            self.stats = layer_stats(net, x, y)
            self.title.setText(f"Each layer's weights, activations and errors δ on {what}"
                               + ("" if y is not None else " (no targets: no δ)") + ".")
        self._ensure_rows(len(self.stats))
        for stats, row, label in zip(self.stats, self.plots, self.labels):
            label.setText(f"layer {stats.layer} ({stats.activation})"
                          + (f"\n{share_text(stats)}" if share_text(stats) else ""))
            for (kind, _, colour), plot in zip(KINDS, row):
                h = getattr(stats, kind)
                plot.clear()
                if h.total:
                    plot.addItem(pg.BarGraphItem(x0=h.edges[:-1], x1=h.edges[1:],
                                                 height=h.counts, brush=colour, pen=None))

    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export histograms as CSV",
                                              "histograms.csv", "CSV files (*.csv)")
        if path:
            try:
                self.export_csv(path)
            except OSError as exc:
                QMessageBox.warning(self, "Export failed", f"Could not write {path}: {exc}")

    def export_csv(self, path: str) -> None:
        """The histograms shown, one row per bin (see core.learning.histogram_rows)."""
        import csv

        header, rows = histogram_rows(self.stats)
        with open(path, "w", newline="") as f:
            csv.writer(f).writerows([header, *rows])

    def _ensure_rows(self, n: int) -> None:
        while len(self.plots) > n:
            for w in (*self.plots.pop(), self.labels.pop()):
                self.grid.removeWidget(w)
                w.deleteLater()
        while len(self.plots) < n:
            r = len(self.plots) + 1  # grid row 0 holds the column titles
            if r == 1:
                for c, (_, title, _) in enumerate(KINDS, start=1):
                    self.grid.addWidget(QLabel(title), 0, c)
            label = QLabel()
            self.grid.addWidget(label, r, 0)
            row = []
            for c in range(1, len(KINDS) + 1):
                plot = pg.PlotWidget(background="w")
                plot.setMinimumHeight(60)
                plot.getPlotItem().hideAxis("left")
                plot.setMouseEnabled(False, False)
                self.grid.addWidget(plot, r, c)
                row.append(plot)
            self.plots.append(row)
            self.labels.append(label)
