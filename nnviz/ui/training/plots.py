"""The live plots of training: the error (cost) and the accuracy against epochs, with earlier
runs overlaid, and their export as PNG and CSV."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.session import Curve, TrainingState
from ...core.training import BatchReport, EpochReport
from .axes import MIN_SPAN, MIN_SPAN_FRACTION, least_span, legend_above  # noqa: F401
from .controller import TrainingController


class PlotsPanel(QWidget):
    """Error (cost) and accuracy against epochs, live, with earlier runs overlaid."""

    COLOURS = {"batch": (150, 150, 150), "train": (0, 0, 0), "test": (213, 94, 0),
               "validation": (0, 114, 178), "diverged": (176, 0, 32)}

    def __init__(self, controller: TrainingController, sweep_plot: QWidget | None = None) -> None:
        super().__init__()
        self.ctl = controller
        self.sweep_plot = sweep_plot  # shown once a sweep starts
        pg.setConfigOptions(antialias=True)
        self.error_plot = pg.PlotWidget(background="w")
        self.error_plot.setLabel("left", "error (cost per sample)")
        self.error_plot.setLabel("bottom", "epoch")
        legend_above(self.error_plot, columns=2)  # four entries: two rows fit a narrow plot
        self.acc_plot = pg.PlotWidget(background="w")
        self.acc_plot.setLabel("left", "accuracy", units="%")
        self.acc_plot.setLabel("bottom", "epoch")
        legend_above(self.acc_plot)
        def curve(plot, name, colour, symbol):
            c = self.COLOURS[colour]
            return plot.plot(name=name, symbol=symbol, symbolSize=5, symbolBrush=c,
                             symbolPen=None, pen=pg.mkPen(c, width=2))

        # Up to MAX_POINTS points redrawn ~12 times a second: not antialiased (cheaper). Its
        # first values (a random net's error, up to 1.5-8) stop setting the y range once there
        # are epoch points, or those would lie flat at the bottom for the rest of the run
        # (see _batches_set_range).
        batch = pg.PlotDataItem(name="mini-batches (smoothed)", antialias=False,
                                pen=pg.mkPen(self.COLOURS["batch"], width=1))
        self.error_plot.addItem(batch)
        self.curves = {
            "batch": batch,
            "train": curve(self.error_plot, "training", "train", "o"),
            "test": curve(self.error_plot, "test", "test", "s"),
            "validation": curve(self.error_plot, "validation", "validation", "t"),
            "train_acc": curve(self.acc_plot, "training", "train", "o"),
            "test_acc": curve(self.acc_plot, "test", "test", "s"),
            "validation_acc": curve(self.acc_plot, "validation", "validation", "t"),
        }
        self.overlays: list = []
        self.marks: list = []  # divergence markers of the current run
        self.log_box = QCheckBox("Log scale")
        self.log_box.setToolTip("Show the error on a logarithmic axis")
        self.log_box.toggled.connect(lambda on: self.error_plot.setLogMode(y=on))
        self.png_button = QPushButton("Export PNG…")
        self.csv_button = QPushButton("Export CSV…")
        self.png_button.clicked.connect(self._ask_png)
        self.csv_button.clicked.connect(self._ask_csv)
        self.hover = QLabel(" ")
        self.runs = QListWidget()
        self.runs.setToolTip("Runs that ended: tick to overlay their test curves (dashed)")
        self.runs.setWordWrap(True)  # long run names wrap rather than being cut
        self.runs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.runs.itemChanged.connect(lambda _: self.redraw_overlays())
        top = QHBoxLayout()
        top.addWidget(self.log_box)
        top.addWidget(self.hover, 1)
        top.addWidget(self.png_button)
        top.addWidget(self.csv_button)
        plots = QHBoxLayout()
        plots.addWidget(self.error_plot, 1)
        plots.addWidget(self.acc_plot, 1)
        if sweep_plot is not None:
            plots.addWidget(sweep_plot, 1)
            sweep_plot.hide()
        runs = QVBoxLayout()
        runs_title = QLabel("Runs (tick to overlay)")
        runs.addWidget(runs_title)
        runs.addWidget(self.runs)
        self.runs.setMaximumWidth(300)
        plots.addLayout(runs)
        # Presentation mode: the run's progress in large type above the plots.
        self.readout = QLabel()
        self.readout.setObjectName("trainingReadout")
        self.readout.hide()
        self._run_widgets = [self.log_box, self.hover, self.png_button, self.csv_button,
                             self.runs, runs_title]
        self.presenting_px = 0.0  # text size in presentation mode (0: not presenting)
        self._appearance = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.readout)
        layout.addLayout(top)
        layout.addLayout(plots, 1)
        self._smooth = None
        self._range_by_epochs = False  # the error axis follows the epoch points (else batches)
        self._stale = False  # a new run has started but not reported: the last one shows
        self._dirty = set()  # plots with new data, redrawn at their next frame
        self.smoothed = Curve()
        controller.batchReported.connect(self._on_batch)
        controller.epochReported.connect(self._on_epoch)
        controller.frameDue.connect(self._on_frame_due)
        controller.finished.connect(self._on_finished)
        controller.stateChanged.connect(self._on_state)
        controller.divergedAt.connect(self.mark_divergence)
        controller.runOpened.connect(self.show_run)
        for plot in (self.error_plot, self.acc_plot):
            plot.scene().sigMouseMoved.connect(lambda pos, p=plot: self._on_hover(p, pos))
            plot.getPlotItem().vb.sigRangeChangedManually.connect(
                lambda *_, p=plot: self._steady.discard(p))  # the user's zoom wins
        self._steady: set = set()  # plots whose axes stay put during the run (see keep_steady)
        self._spans: dict = {}  # plot → the least y span it is held to (see hold_span)
        self._unset_y: set = set()  # steady plots that have had no data yet
        self.log_box.toggled.connect(self._on_log_toggled)

    def mark_divergence(self, x: float) -> None:
        """A red dashed line on the error plot where the run diverged."""
        c = self.COLOURS["diverged"]
        line = pg.InfiniteLine(x, angle=90, label="diverged",
                               pen=pg.mkPen(c, width=2, style=Qt.PenStyle.DashLine),
                               labelOpts={"position": 0.5, "color": c})
        self.error_plot.addItem(line)
        self.marks.append(line)

    def set_appearance(self, appearance) -> None:
        """Backgrounds, axes, legends and curve colours of the two plots for a
        ``theme.Appearance`` (its theme and contrast; sizes follow the window's font)."""
        self._appearance = appearance
        c = appearance.colours()
        self.COLOURS = dict(c.curves)  # this panel's own copy
        for plot in (self.error_plot, self.acc_plot):
            plot.setBackground(c.plot_background)
        self._style_text()
        for key, curve in self.curves.items():
            colour = self.COLOURS[key.removesuffix("_acc")]
            curve.setPen(pg.mkPen(colour, width=1 if key == "batch" else 2))
            if key != "batch":
                curve.setSymbolBrush(colour)
        for line in self.marks:
            line.setPen(pg.mkPen(self.COLOURS["diverged"], width=2, style=Qt.PenStyle.DashLine))
            line.label.setColor(self.COLOURS["diverged"])

    def set_presenting(self, on: bool, px: float = 0.0) -> None:
        """Presentation mode (``px``: its body text in pixels): axis and legend text that far
        rows read, dark on light, the run's progress in large type above the plots, and
        nothing to click."""
        self.presenting_px = px if on else 0.0
        for widget in self._run_widgets:
            widget.setVisible(not on)
        self.readout.setVisible(on)
        if on:
            font = QFont(self.font())
            font.setPixelSize(round(1.5 * px))
            font.setBold(True)
            self.readout.setFont(font)
            self._update_readout()
        self._style_text()

    def _foreground(self) -> tuple:
        """Axis and legend text: the theme's plot text, its high-contrast one when presenting."""
        appearance = self._appearance
        if appearance is None:
            return (20, 20, 20) if self.presenting_px else (150, 150, 150)
        if self.presenting_px:
            appearance = replace(appearance, high_contrast=True)
        return appearance.colours().plot_foreground

    def _style_text(self) -> None:
        fg, px = self._foreground(), self.presenting_px
        labels = {self.error_plot: ("error" if px else "error (cost per sample)", None),
                  self.acc_plot: ("accuracy", "%")}
        tick_font = None
        if px:
            tick_font = QFont(self.font())
            tick_font.setPixelSize(round(0.85 * px))
        css = {"color": "#" + "".join(f"{v:02x}" for v in fg[:3])}
        if px:
            css["font-size"] = f"{round(px)}px"
        for plot in (self.error_plot, self.acc_plot):
            item = plot.getPlotItem()
            for name in ("left", "bottom"):
                axis = item.getAxis(name)
                axis.setPen(fg)
                axis.setTextPen(fg)
                axis.setTickFont(tick_font)
            text, units = labels[plot]
            item.setLabel("left", text, units=units, **css)
            item.setLabel("bottom", "epoch", **css)
            legend = item.legend
            if legend is not None:
                legend.setLabelTextColor(fg)
                legend.setLabelTextSize(f"{round(0.85 * px)}px" if px else "9pt")
                for _sample, label in legend.items:
                    label.setText(label.text)

    def _update_readout(self, r: EpochReport | None = None) -> None:
        """"Epoch 12 / 30 · test accuracy 91.20 %" (the error without an accuracy)."""
        if not self.presenting_px:
            return
        run = self.ctl.run
        if r is None:
            r = run.epochs[-1] if run is not None and run.epochs else None
        if r is None:
            self.readout.setText("Training starts…" if self.ctl.state.active else " ")
            return
        acc = r.test_accuracy if r.test_accuracy is not None else r.validation_accuracy
        which = "test" if r.test_accuracy is not None else "validation"
        result = (f"{which} accuracy {100 * acc:.2f} %" if acc is not None
                  else f"error {r.train_cost:.4g}")
        self.readout.setText(f"Epoch {r.epoch} / {r.epochs}  ·  {result}")

    def _on_state(self, state: TrainingState) -> None:
        self._update_readout()
        if state is TrainingState.STARTING:
            # regression data (the approximation's f) have no accuracy: the error plot
            # takes the room
            self.acc_plot.setVisible(self.ctl.has_accuracy)
        if state is TrainingState.STARTING and not self.ctl.continuing:
            # The last run's curves stay until the new run reports (its first mini-batch or
            # epoch): a lecture never looks at empty axes while the worker starts.
            self._stale = True
            self._begin_steady()
        elif not state.active:
            self._end_steady()
        if state is TrainingState.FAILED and self.ctl.run is not None:
            self._list_run(self.ctl.run, " (ended by an error)")

    # Steady axes while a run is live: the x axis spans the whole run from its start and the y
    # axis only grows (with headroom) when data leaves it. When an axis changes pyqtgraph
    # repaints the whole plot with its tick labels (6 ms in the software renderer); with steady
    # axes a new point repaints only the curve (nnviz bench gui: event-loop p99 6.7 → 2.7 ms).
    # Autoscaling, which shows all the data too, comes back when the run ends.
    def _begin_steady(self) -> None:
        self._steady = {p for p in (self.error_plot, self.acc_plot)
                        if p.getPlotItem().vb.autoRangeEnabled()[1]
                        and not (p is self.error_plot and self.log_box.isChecked())}
        self._unset_y = set(self._steady)  # y ranges come from the first data
        for plot in self._steady:
            plot.getPlotItem().vb.disableAutoRange()
            plot.setXRange(0, max(self.ctl.total_epochs, 1), padding=0)

    def _on_log_toggled(self, on: bool) -> None:
        self.log_box.setText("Log scale")
        if on and self.error_plot in self._steady:  # log axes: pyqtgraph's autoscale again
            self._steady.discard(self.error_plot)
            self.error_plot.getPlotItem().vb.enableAutoRange()
        self._spans.pop(self.error_plot, None)  # decades or values: held anew
        self.redraw("error plot")

    def hold_span(self, plot, values) -> None:
        """Keep ``plot``'s y range at least least_span(values) wide, whoever sets it (the
        steady axes, autoscale after the run, the user's zoom). The limit is only renewed
        when it is off by more than a factor of 2 (setting it makes pyqtgraph re-range)."""
        log = plot is self.error_plot and self.log_box.isChecked()
        span = least_span(values, log)
        old = self._spans.get(plot)
        if old is None or not old / 2 <= span <= old * 2:
            self._spans[plot] = span
            plot.getPlotItem().vb.setLimits(minYRange=span)

    def _end_steady(self) -> None:
        for plot in self._steady:
            plot.getPlotItem().vb.enableAutoRange()
        self._steady = set()

    def keep_steady(self, plot, values, floor: float | None = None,
                    ceiling: float | None = None, zero_based: bool = False) -> None:
        """Grow ``plot``'s y range when ``values`` (all its data) leave it, by 15 % of the data's
        span; ``floor`` / ``ceiling`` bound the new range (accuracies in 0 … 101 %);
        ``zero_based``: the range starts at 0 (errors)."""
        if plot not in self._steady:
            return
        finite = values[np.isfinite(values)]
        if not finite.size:
            return
        lo, hi = float(finite.min()), float(finite.max())
        (x0, x1), (y0, y1) = plot.getPlotItem().vb.viewRange()
        total = max(self.ctl.total_epochs, 1)
        if (x0, x1) != (0, total):
            plot.setXRange(0, total, padding=0)
        if plot in self._unset_y:  # the first data: a range just around it
            self._unset_y.discard(plot)
            y0, y1 = math.inf, -math.inf
        if lo < y0 or hi > y1:
            pad = 0.15 * max(hi - lo, 1e-9) if math.isfinite(y0) else \
                0.1 * max(hi - lo, abs(hi), 1e-9)
            new_lo = min(y0, lo - pad) if floor is None else max(floor, min(y0, lo - pad))
            if zero_based:
                new_lo = 0.0
            new_hi = max(y1, hi + pad) if ceiling is None else min(ceiling, max(y1, hi + pad))
            plot.setYRange(new_lo, new_hi, padding=0)

    def _batches_set_range(self, on: bool) -> None:
        """Whether the mini-batch curve counts for the error axis' autoscale (pyqtgraph's
        ViewBox autoscales over its ``addedItems``; ignoreBounds items are not in it)."""
        vb = self.error_plot.getPlotItem().vb
        item = self.curves["batch"]
        if on and item not in vb.addedItems:
            vb.addedItems.append(item)
        elif not on and item in vb.addedItems:
            vb.addedItems.remove(item)
        vb.updateAutoRange()

    def _forget_last_run(self) -> None:
        """The new run has data: the last run's curves and marks go."""
        self._stale = False
        if self._range_by_epochs:
            self._range_by_epochs = False
            self._batches_set_range(True)
        for line in self.marks:
            self.error_plot.removeItem(line)
        self.marks = []
        self._smooth = None
        self.smoothed = Curve()

    @property
    def showing_last_run(self) -> bool:
        """Whether the curves still show the last run while a new one starts."""
        return self._stale

    def _on_batch(self, r: BatchReport) -> None:
        if self._stale:
            self._forget_last_run()
        if math.isfinite(r.cost):
            self._smooth = r.cost if self._smooth is None else 0.5 * self._smooth + 0.5 * r.cost
            self.smoothed.add(r.epoch - 1 + r.batch / r.n_batches, self._smooth)
        self._dirty.add("error plot")

    def _on_epoch(self, r: EpochReport) -> None:
        if self._stale:
            self._forget_last_run()
        self._update_readout(r)
        self._dirty.update(("error plot", "accuracy plot"))

    def _on_frame_due(self, part: str) -> None:
        if part in self._dirty:
            self._dirty.discard(part)
            self.redraw(part)

    def redraw(self, part: str | None = None) -> None:
        """Put the run's data into the curves of ``part`` ("error plot", "accuracy plot") or
        of both."""
        run = self.ctl.run
        if self._stale:
            return  # the last run's curves stay until the new run reports
        if run is None:
            for c in self.curves.values():
                c.setData([], [])
            return
        if part in (None, "error plot"):
            batch = self.smoothed.arrays()
            self.curves["batch"].setData(*batch)
            data = []
            for key in ("train", "test", "validation"):
                xs, ys = run.epoch_series(f"{key}_cost")
                self.curves[key].setData(xs, ys)
                data.append(ys)
            data = np.concatenate(data)
            by_epochs = bool(np.isfinite(data).any())
            if not by_epochs:  # before the first epoch the mini-batches give the range
                data = np.asarray(batch[1], dtype=np.float64)
            if by_epochs != self._range_by_epochs:
                self._range_by_epochs = by_epochs
                self._batches_set_range(not by_epochs)
                if self.error_plot in self._steady:
                    self._unset_y.add(self.error_plot)  # a range around the epoch points
            self.hold_span(self.error_plot, data)
            self.keep_steady(self.error_plot, data, zero_based=True)
        if part in (None, "accuracy plot"):
            data = []
            for key in ("train", "test", "validation"):
                xs, ys = run.epoch_series(f"{key}_accuracy")
                self.curves[f"{key}_acc"].setData(xs, 100 * ys)
                data.append(100 * ys)
            data = np.concatenate(data)
            self.hold_span(self.acc_plot, data)
            self.keep_steady(self.acc_plot, data, floor=0.0, ceiling=101.0)

    def _on_finished(self, _result) -> None:
        self._dirty.clear()
        self.redraw()
        self._list_run(self.ctl.run)
        self._offer_log_scale()

    def _offer_log_scale(self) -> None:
        """Errors that are tiny or span decades read on a log axis: say so on its box."""
        ys = np.concatenate([self.ctl.run.epoch_series(f"{k}_cost")[1]
                             for k in ("train", "test", "validation")])
        ys = ys[np.isfinite(ys) & (ys > 0)]
        decades = np.log10(ys.max() / ys.min()) if ys.size else 0.0
        offer = ys.size > 1 and not self.log_box.isChecked() and (ys.max() < 1e-3
                                                                  or decades >= 3)
        self.log_box.setText("Log scale (suggested: " + (f"errors span {decades:.0f} decades)"
                             if decades >= 3 else "tiny errors)") if offer else "Log scale")

    def _list_run(self, run, ending: str = "") -> None:
        """Add ``run`` to the run list, with its last test accuracy or how it ended."""
        last = run.epochs[-1].test_accuracy if run.epochs else None
        item = QListWidgetItem(run.name + (f" → {100 * last:.2f}% test" if last is not None
                                           else "") + ending)
        item.setToolTip(item.text())
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        item.setData(Qt.ItemDataRole.UserRole, self.ctl.runs.index(run))
        self.runs.addItem(item)

    def redraw_overlays(self) -> None:
        for plot, item in self.overlays:
            plot.removeItem(item)
        self.overlays = []
        for i in range(self.runs.count()):
            it = self.runs.item(i)
            if it.checkState() != Qt.CheckState.Checked:
                continue
            run = self.ctl.runs[it.data(Qt.ItemDataRole.UserRole)]
            colour = pg.intColor(i, hues=8)
            for plot, key, scale in ((self.error_plot, "test_cost", 1),
                                     (self.acc_plot, "test_accuracy", 100)):
                xs, ys = run.epoch_series(key)
                item = plot.plot(xs, scale * ys, name=f"{run.name} (test)",
                                 pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine))
                self.overlays.append((plot, item))

    def _on_hover(self, plot, pos) -> None:
        vb = plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        best = None
        for item in plot.getPlotItem().listDataItems():
            xs, ys = item.getData()
            if xs is None or len(xs) == 0:
                continue
            i = int(np.argmin(np.abs(xs - p.x())))
            name = item.name() or ""
            if best is None or abs(ys[i] - p.y()) < best[0]:
                best = (abs(ys[i] - p.y()), name, xs[i], ys[i])
        if best is not None:
            self.hover.setText(f"{best[1]}: epoch {best[2]:.3g}, {best[3]:.4g}")

    def show_run(self, run) -> None:
        """Show ``run`` (one opened from a file): its curves, the mini-batches smoothed as they
        are live, and its entry in the run list."""
        self._forget_last_run()
        for x, y in zip(run.batch_cost.xs, run.batch_cost.ys):
            if math.isfinite(y):
                self._smooth = y if self._smooth is None else 0.5 * self._smooth + 0.5 * y
                self.smoothed.add(x, self._smooth)
        self.acc_plot.setVisible(any(e.test_accuracy is not None or e.train_accuracy is not None
                                     for e in run.epochs))
        for x in ([run.batch_cost.xs[-1]] if run.diverged and run.batch_cost.xs else []):
            self.mark_divergence(x)
        self._dirty.clear()
        self.redraw()
        self._list_run(run, " (opened)")
        self._offer_log_scale()
        self._update_readout()

    # -- export ------------------------------------------------------------------------------
    def _ask_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plots as PNG", "training.png",
                                              "PNG images (*.png)")
        if path and not self.grab().save(path, "PNG"):
            QMessageBox.warning(self, "Export failed", f"Could not write {path}.")

    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export curves as CSV", "training.csv",
                                              "CSV files (*.csv)")
        if path:
            from .run_files import export_csv

            try:
                export_csv(self.ctl.run, path)
            except OSError as exc:
                QMessageBox.warning(self, "Export failed", f"Could not write {path}: {exc}")

