"""Sweeps in the app: the dialog that plans one, the runner that trains its runs one after
another in the background worker, and the plot of the final result against the swept value."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.session import TrainingState
from ...core.sweep import DEFAULT_VALUES, SWEEPS, SweepPlan, parse_values, run_setup
from ...core.training import TrainConfig
from ...data.spec import DataSpec
from ..look import style
from .controller import TrainingController


class SweepDialog(QDialog):
    """Choose what to vary and its values; refuses bad values at the field."""

    def __init__(self, parent: QWidget | None = None, kind: str = "hidden") -> None:
        super().__init__(parent)
        self.setWindowTitle("Sweep")
        self.kind = QComboBox()
        for key, label in SWEEPS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.values = QLineEdit(DEFAULT_VALUES[self.kind.currentData()])
        self.values.setToolTip("Values separated by commas; one training run each")
        self.kind.currentIndexChanged.connect(
            lambda _: self.values.setText(DEFAULT_VALUES[self.kind.currentData()]))
        self.error = QLabel()
        self.error.setStyleSheet(style.ERROR_CSS)
        self.error.setWordWrap(True)
        note = QLabel("Each run starts from fresh random weights and uses the training "
                      "settings of the panel (data, η, mini-batch, epochs…) except the value "
                      "swept. The network on screen is not changed.")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Vary", self.kind)
        form.addRow("Values", self.values)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start sweep")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.plan: SweepPlan | None = None

    def accept(self) -> None:
        try:
            self.plan = parse_values(self.kind.currentData(), self.values.text())
        except ValueError as exc:
            self.error.setText(str(exc))
            self.values.setFocus()
            return
        super().accept()


class SweepRunner(QObject):
    """Trains the runs of a SweepPlan one after another with the controller (detached from
    the document) and collects (value, final result) pairs."""

    started = Signal(object)  # SweepPlan
    progressed = Signal(int, int, object)  # run index (0-based), number of runs, value
    resultAdded = Signal(object, float)  # value, final test accuracy (or cost)
    finished = Signal(bool)  # True: all runs done; False: stopped or failed
    problem = Signal(str)

    def __init__(self, controller: TrainingController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctl = controller
        self.plan: SweepPlan | None = None
        self.results: list[tuple] = []  # (value, result) per finished run
        self.metric = "test accuracy"
        self._base = self._config = self._data = None
        self._index = 0
        controller.finished.connect(self._on_run_finished)
        controller.stateChanged.connect(self._on_state_changed)

    @property
    def running(self) -> bool:
        return self.plan is not None

    def start(self, plan: SweepPlan, config: TrainConfig, data: DataSpec) -> None:
        """Start the first run now (ValueError, nothing started, for a plan that does not fit
        the network, e.g. a hidden-size sweep of a net with no hidden layer)."""
        base = self.ctl.doc.net.copy()
        for value in plan.values:
            run_setup(base, config, plan, value)  # check every run before the first starts
        self.plan, self._base, self._config, self._data = plan, base, config, data
        self.results, self._index = [], 0
        self.started.emit(plan)
        self._start_run()

    def stop(self) -> None:
        """Stop the current run and the sweep."""
        if self.plan is not None:
            self.plan = None
            self.ctl.stop()
            self.finished.emit(False)

    def _start_run(self) -> None:
        plan, value = self.plan, self.plan.values[self._index]
        net, config = run_setup(self._base, self._config, plan, value)
        self.progressed.emit(self._index, len(plan.values), value)
        try:
            # The run's name already shows the sizes and η; a seed needs saying.
            label = f"initial weights seed {value}" if plan.kind == "seed" else "sweep"
            self.ctl.start(config, self._data, net=net, label=label)
        except ValueError as exc:
            self.plan = None
            self.problem.emit(str(exc))
            self.finished.emit(False)

    def _on_run_finished(self, result) -> None:
        if self.plan is None:
            return
        run = self.ctl.run
        last = run.epochs[-1] if run.epochs else None
        value = self.plan.values[self._index]
        if run.diverged:
            y = math.nan
        elif last is not None and last.test_accuracy is not None:
            y, self.metric = 100 * last.test_accuracy, "test accuracy (%)"
        elif last is not None and last.test_cost is not None:
            y, self.metric = last.test_cost, "test error"
        else:
            y = math.nan
        self.results.append((value, y))
        self._index += 1
        go_on = result.reason in ("completed", "early-stopped") or run.diverged
        # Carry on once every view has taken this run's end (the controller's signal).
        QTimer.singleShot(0, lambda: self._after_run(value, y, go_on))

    def _after_run(self, value, y: float, go_on: bool) -> None:
        if self.plan is None:
            return
        self.resultAdded.emit(value, y)
        if not go_on:
            self.plan = None
            self.finished.emit(False)
        elif self._index < len(self.plan.values):
            self._start_run()
        else:
            self.plan = None
            self.finished.emit(True)

    def _on_state_changed(self, state: TrainingState) -> None:
        if state is TrainingState.FAILED and self.plan is not None:
            self.plan = None
            self.finished.emit(False)


class SweepPlot(pg.PlotWidget):
    """Final test accuracy (or error) of each run against the swept value."""

    def __init__(self, runner: SweepRunner) -> None:
        super().__init__(background="w")
        self.runner = runner
        self.setTitle("Sweep")
        self.points = self.plot(pen=pg.mkPen((0, 114, 178), width=2), symbol="o",
                                symbolSize=8, symbolBrush=(0, 114, 178), symbolPen=None)
        runner.started.connect(self._on_started)
        runner.resultAdded.connect(lambda *_: self.redraw())

    def set_appearance(self, appearance) -> None:
        """Background, axes, title and points for a ``theme.Appearance``."""
        c = appearance.colours()
        self.setBackground(c.plot_background)
        item = self.getPlotItem()
        for name in ("left", "bottom"):
            item.getAxis(name).setPen(c.plot_foreground)
            item.getAxis(name).setTextPen(c.plot_foreground)
        item.titleLabel.setAttr("color", c.plot_foreground)
        item.titleLabel.setText(item.titleLabel.text)
        colour = c.curves["sweep"]
        self.points.setPen(pg.mkPen(colour, width=2))
        self.points.setSymbolBrush(colour)

    def _on_started(self, plan: SweepPlan) -> None:
        self.setLabel("bottom", plan.label)
        self.setLogMode(x=plan.log_axis)
        self.points.setData([], [])
        self.show()

    def redraw(self) -> None:
        res = [(v, y) for v, y in self.runner.results if math.isfinite(y)]
        xs = np.array([v for v, _ in res], float)
        ys = np.array([y for _, y in res], float)
        order = np.argsort(xs)
        self.setLabel("left", self.runner.metric)
        self.points.setData(xs[order], ys[order])
