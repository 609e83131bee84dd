"""Background training: the controller that drives the worker process, the training panel,
and the live error and accuracy plots.

The learning happens in ``nnviz.worker.BackgroundTraining`` (a child process running the core's
Trainer); this module polls it from a timer, forwards its reports as Qt signals, and copies
weight snapshots into the document at most ~30 times a second.
"""

from __future__ import annotations

import csv
import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMessageBox, QProgressBar, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from ...constants import MNIST_CLASSES, MNIST_INPUTS, is_mnist_shaped
from ...core.costs import COSTS
from ...core.training import SCHEDULES, BatchReport, EpochReport, TrainConfig, TrainingResult
from ...data.spec import DataSpec
from ...worker import BackgroundTraining, Diverged, Failed, Paused, Started
from ..look import style
from ..model.document import Document

#: At most this many points per curve: older batch points are merged pairwise beyond it.
MAX_POINTS = 2000
#: Snapshots of the weights reach the graph at most this often (seconds).
SNAPSHOT_INTERVAL = 1 / 30
#: What the live display redraws, one per timer tick (see TrainingController.poll).
FRAME_PARTS = ("graph", "error plot", "accuracy plot", "progress")


@dataclass
class Curve:
    """A bounded (x, y) series: when it outgrows MAX_POINTS, neighbouring points are averaged
    pairwise, so memory and redraw time stay flat over long runs."""

    xs: list = field(default_factory=list)
    ys: list = field(default_factory=list)

    def add(self, x: float, y: float) -> None:
        self.xs.append(x)
        self.ys.append(y)
        if len(self.xs) > MAX_POINTS:
            n = len(self.xs) // 2 * 2
            xs, ys = np.asarray(self.xs[:n]), np.asarray(self.ys[:n])
            self.xs = list((xs[0::2] + xs[1::2]) / 2) + self.xs[n:]
            self.ys = list((ys[0::2] + ys[1::2]) / 2) + self.ys[n:]

    def arrays(self):
        return np.asarray(self.xs, float), np.asarray(self.ys, float)


@dataclass
class Run:
    """A finished (or running) training run: its settings and curves, kept for comparison."""

    name: str
    settings: dict
    batch_cost: Curve = field(default_factory=Curve)  # x: epochs (fractional)
    epochs: list = field(default_factory=list)  # EpochReport
    result: TrainingResult | None = None
    diverged: bool = False

    def epoch_series(self, key: str):
        xs = [e.epoch for e in self.epochs if getattr(e, key) is not None]
        ys = [getattr(e, key) for e in self.epochs if getattr(e, key) is not None]
        return np.asarray(xs, float), np.asarray(ys, float)


class TrainingController(QObject):
    """Runs one BackgroundTraining at a time for the document's network."""

    stateChanged = Signal(str)  # "idle", "starting", "running", "paused", "finished", "failed"
    batchReported = Signal(object)  # BatchReport
    epochReported = Signal(object)  # EpochReport
    finished = Signal(object)  # TrainingResult
    problem = Signal(str)  # a plain-language message (divergence, crash, bad data)
    divergedAt = Signal(float)  # where (in epochs) the run diverged, for the plots to mark
    frameDue = Signal(str)  # one of FRAME_PARTS: time for that part of the display to redraw

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.job: BackgroundTraining | None = None
        self.detached = False  # the job trains a network other than the document's
        self.state = "idle"
        self.run: Run | None = None
        self.runs: list[Run] = []
        self.before: tuple | None = None  # the parameters before the run (for the undo step)
        self._version = -1
        self._last_snapshot = 0.0
        self._frame = 0
        self.offset = 0  # epochs of the run done by earlier jobs (a run continued after a change)
        self.continuing = False  # the job now starting continues self.run
        self.has_accuracy = True  # the run's data have an accuracy (labels or 0/1 targets)
        self.timer = QTimer(self)
        self.timer.setInterval(16)
        self.timer.timeout.connect(self.poll)

    # -- commands ----------------------------------------------------------------------------
    def start(self, config: TrainConfig, data: DataSpec, paused: bool = False,
              net=None, label: str = "", continue_run: bool = False) -> None:
        """Train the document's network (ValueError, nothing started, for bad data/config).

        ``net``: train this network instead, detached from the document (a sweep's run): the
        document stays unlocked and unchanged, and only the curves are kept. ``label`` is added
        to the run's name. ``continue_run``: go on with the last run (after a change made while
        it trained): its epochs count on and its curves continue, for the epochs it had left."""
        if self.job is not None:
            self.close()
        self.detached = net is not None
        net = net if net is not None else self.doc.net
        last = self.run
        going_on = continue_run and not self.detached and last is not None and \
            last.result is None and not last.diverged
        offset = last.epochs[-1].epoch if going_on and last.epochs else 0
        if going_on:
            config = replace(config, epochs=max(1, config.epochs - offset))
        job = BackgroundTraining(net, config, data)  # validates config and data against net
        if not self.detached:
            self.doc.stop_stepping()
            self.before = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
        self.job = job
        self.offset, self.continuing = offset, going_on
        # MNIST (loaded by the worker) has labels; in-memory data say so themselves
        self.has_accuracy = data.train is None or data.train.has_accuracy
        if going_on:
            self.run.settings.update({k: v for k, v in vars(config).items() if k != "epochs"},
                                     sizes=list(net.sizes))
        else:
            n = len(self.runs) + 1
            self.run = Run(f"run {n}: {'-'.join(map(str, net.sizes))}, η={config.eta:g}, "
                           f"m={config.batch_size}" + (f", {label}" if label else ""),
                           {"sizes": list(net.sizes), **vars(config)})
            self.runs.append(self.run)
        self._version = -1
        if not self.detached:
            self.doc.lock("training is running: stop it (Train › Stop training, Ctrl+.) to "
                          "change the network")
        job.start(paused=paused)
        self._set_state("starting")
        self.timer.start()

    def pause(self) -> None:
        if self.job is not None:
            self.job.pause()

    def resume(self) -> None:
        if self.job is not None:
            self.job.resume()

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()

    def step_batch(self) -> None:
        if self.job is not None:
            self.job.step_batches(1)

    def step_epoch(self) -> None:
        if self.job is not None:
            self.job.step_epoch()

    def set_hyperparameters(self, **values) -> None:
        if self.job is not None and self.state in ("starting", "running", "paused"):
            self.job.set_hyperparameters(**values)

    def restore_last_good(self) -> None:
        if self.job is not None and not self.detached:
            good = self.job.last_good_parameters()
            if good is not None:
                self.doc.set_parameters(*good, locked_ok=True)

    def close(self) -> None:
        """End the worker (within about a second) and keep the weights it reached."""
        job, self.job = self.job, None
        self.timer.stop()
        if job is None:
            return
        try:
            if not self.detached:  # a sweep's run never touches the document's network
                self._keep_final_parameters(job)
                # The whole run is one undoable step (Edit › Undo puts the old weights back).
                self.doc.record_parameters(self.before, f"Training ({self.run.name})")
        finally:
            job.close()
            self.doc.unlock()
            if self.state not in ("finished", "failed"):
                self._set_state("idle")

    def _keep_final_parameters(self, job: BackgroundTraining) -> None:
        if job.state in ("failed", "closed"):
            return
        final = job.final_parameters() if job.state == "finished" else None
        if final is None:
            got = job.snapshot()
            final = got[1:] if got is not None else None
        if final is not None and all(np.isfinite(w).all() for w in final[0]):
            self.doc.set_parameters(*final, locked_ok=True)

    # -- polling -----------------------------------------------------------------------------
    def poll(self) -> None:
        job = self.job
        if job is None:
            return
        for event in job.poll():
            self._handle(event)
            if self.job is not job:  # closed, or a sweep's next run started
                return
        # One part of the display per tick: Qt paints everything made dirty in one event-loop
        # pass together, so graph, plots and progress bar redrawn at once kept the loop busy
        # for tens of milliseconds; taking turns keeps each pass short (nnviz bench gui).
        part = FRAME_PARTS[self._frame % len(FRAME_PARTS)]
        self._frame += 1
        if part != "graph":
            self.frameDue.emit(part)
            return
        if self.detached:
            return
        now = time.perf_counter()
        if now - self._last_snapshot >= SNAPSHOT_INTERVAL:
            got = job.snapshot(since=self._version)
            if got is not None:
                self._version, w, b = got
                self._last_snapshot = now
                if all(np.isfinite(x).all() for x in w) and all(np.isfinite(x).all() for x in b):
                    self.doc.set_parameters(w, b, locked_ok=True)

    @property
    def total_epochs(self) -> int:
        """Epochs of the whole run: those of earlier jobs it continues, plus this job's."""
        return self.offset + (self.job.config.epochs if self.job is not None else 0)

    def _handle(self, event) -> None:
        run = self.run
        if self.offset and isinstance(event, BatchReport):  # numbered on from the earlier jobs
            event = replace(event, epoch=event.epoch + self.offset)
        elif self.offset and isinstance(event, EpochReport):
            event = replace(event, epoch=event.epoch + self.offset,
                            epochs=event.epochs + self.offset)
        if isinstance(event, Started):
            self._set_state("running")
        elif isinstance(event, BatchReport):
            if self.state == "paused" or self.state == "starting":
                self._set_state("running")
            run.batch_cost.add(event.epoch - 1 + event.batch / event.n_batches, event.cost)
            self.batchReported.emit(event)
        elif isinstance(event, EpochReport):
            run.epochs.append(event)
            self.epochReported.emit(event)
        elif isinstance(event, Diverged):
            run.diverged = True
            xs = run.batch_cost.xs
            self.divergedAt.emit(float(xs[-1]) if xs else float(event.epoch - 1))
            if self.detached:  # a sweep goes on with its next run
                self.problem.emit(event.message + " That run of the sweep is ended.")
                self.stop()
                return
            self._set_state("paused")
            self.problem.emit(event.message + " The last good weights are shown.")
            self.restore_last_good()
        elif isinstance(event, Paused):
            self._set_state("paused")
        elif isinstance(event, Failed):
            self._set_state("failed")
            self.problem.emit(f"Training stopped with an error: {event.message}")
            self.close()
        elif isinstance(event, TrainingResult):
            run.result = event
            self._set_state("finished")
            self.close()
            self.finished.emit(event)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)


class TrainingPanel(QWidget):
    """Data, hyperparameters, the run buttons and the progress bar."""

    def __init__(self, doc: Document, controller: TrainingController, sweeper=None) -> None:
        super().__init__()
        self.doc, self.ctl, self.sweeper = doc, controller, sweeper
        self.mnist_folder: str | None = None
        self.data_label = QLabel("Bundled MNIST")
        self.data_label.setWordWrap(True)
        self.open_button = QPushButton("Open IDX folder…")
        self.open_button.setToolTip("Train on another dataset in MNIST's IDX format")
        self.open_button.clicked.connect(self.open_folder)
        self.subset = self._spin(0, 60000, 0, "Training images to use (0: all 60,000). A small "
                                 "subset such as 1,000 makes overfitting visible in a minute.")
        self.subset.setSpecialValueText("all")
        self.subset.setSingleStep(1000)
        self.validation = self._spin(0, 20000, 0, "Images split off the training set to "
                                     "validate on (needed for early stopping)")
        self.eta = self._dspin(1e-4, 50.0, 3.0, 4, "Learning rate η (changes apply live)")
        self.batch = self._spin(1, 10000, 10, "Mini-batch size m")
        self.epochs = self._spin(1, 100000, 30, "Passes over the training data")
        self.cost = QComboBox()
        self.cost.addItems(list(COSTS))
        self.cost.setToolTip("The cost of the network (from New network…)")
        self.cost.setEnabled(False)
        self.l2 = self._dspin(0.0, 100.0, 0.0, 3, "L2 regularisation λ (changes apply live)")
        self.momentum = self._dspin(0.0, 0.99, 0.0, 2, "Momentum μ (changes apply live)")
        self.schedule = QComboBox()
        self.schedule.addItems(list(SCHEDULES))
        self.schedule.setToolTip("Learning-rate schedule")
        self.patience = self._spin(0, 100, 0, "Early stopping: stop after this many epochs "
                                   "without improvement on the validation set (0: off)")
        self.patience.setSpecialValueText("off")
        self.seed = self._spin(0, 2 ** 31 - 1, 0, "Seed of the shuffling and validation split")
        self.pace = self._dspin(0.0, 10000.0, 0.0, 1, "At most this many epochs per second, "
                                "so that a small network's run can be watched (changes apply "
                                "live)")
        self.pace.setSpecialValueText("full speed")
        self.pace.setSuffix(" epochs/s")
        for w in (self.eta, self.momentum, self.l2, self.pace):
            w.valueChanged.connect(self._on_live_value_changed)

        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Train the network shown (Ctrl+T)")
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        self.batch_button = QPushButton("One mini-batch")
        self.epoch_button = QPushButton("One epoch")
        self.undo_hint = QLabel("When a run ends, Edit › Undo (Ctrl+Z) puts back the weights "
                                "from before it.")
        self.undo_hint.setWordWrap(True)
        self.undo_hint.setStyleSheet("color: palette(mid)")
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.sweep_button = QPushButton("Sweep…")
        self.sweep_button.setToolTip("A series of runs that vary the hidden neurons, η or the "
                                     "initial weights, with the final test accuracy against "
                                     "the value")
        self.sweep_button.clicked.connect(self.ask_sweep)
        self.sweep_button.setVisible(sweeper is not None)
        self.batch_button.clicked.connect(lambda: self._step("batch"))
        self.epoch_button.clicked.connect(lambda: self._step("epoch"))
        self.progress = QProgressBar()
        self.progress.setFormat("idle")
        self.progress.setTextVisible(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(style.ERROR_CSS)
        self.sweep_status = ""
        self._hint = None  # the last training hint taken from the document
        if sweeper is not None:
            sweeper.progressed.connect(self._on_sweep_progressed)
            sweeper.finished.connect(self._on_sweep_finished)
            sweeper.problem.connect(self.message.setText)

        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.data_label, 1)
        row.addWidget(self.open_button)
        form.addRow("Data", row)
        form.addRow("Training subset", self.subset)
        form.addRow("Validation", self.validation)
        form.addRow("η", self.eta)
        form.addRow("Mini-batch", self.batch)
        form.addRow("Epochs", self.epochs)
        form.addRow("Cost", self.cost)
        form.addRow("L2 λ", self.l2)
        form.addRow("Momentum", self.momentum)
        form.addRow("Schedule", self.schedule)
        form.addRow("Early stop", self.patience)
        form.addRow("Seed", self.seed)
        form.addRow("Pace", self.pace)
        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.pause_button, 0, 1)
        buttons.addWidget(self.stop_button, 0, 2)
        buttons.addWidget(self.batch_button, 1, 0)
        buttons.addWidget(self.epoch_button, 1, 1)
        buttons.addWidget(self.sweep_button, 1, 2)
        # The run's buttons and progress first: in a short dock they stay in sight while the
        # settings below scroll.
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(self.undo_hint)
        layout.addStretch(1)
        self._t0 = 0.0
        self._latest: BatchReport | None = None  # shown at the next "progress" frame
        controller.stateChanged.connect(self._on_state_changed)
        controller.batchReported.connect(self._on_batch)
        controller.frameDue.connect(self._on_frame_due)
        controller.epochReported.connect(self._on_epoch)
        controller.problem.connect(self.message.setText)
        controller.finished.connect(self._on_finished)
        doc.networkReplaced.connect(self._on_network_replaced)
        doc.datasetChanged.connect(self._on_network_replaced)
        self._on_network_replaced()
        self._on_state_changed("idle")

    @staticmethod
    def _spin(lo, hi, value, tip) -> QSpinBox:
        w = QSpinBox()
        w.setRange(lo, hi)
        w.setValue(value)
        w.setToolTip(tip)
        return w

    @staticmethod
    def _dspin(lo, hi, value, decimals, tip) -> QDoubleSpinBox:
        w = QDoubleSpinBox()
        w.setDecimals(decimals)
        w.setRange(lo, hi)
        w.setValue(value)
        w.setKeyboardTracking(False)
        w.setToolTip(tip)
        return w

    # -- the run -----------------------------------------------------------------------------
    def config(self) -> TrainConfig:
        return TrainConfig(eta=self.eta.value(), batch_size=self.batch.value(),
                           epochs=self.epochs.value(), momentum=self.momentum.value(),
                           l2=self.l2.value(), schedule=self.schedule.currentText(),
                           seed=self.seed.value(),
                           early_stop=self.patience.value() or None,
                           evaluate_train=True, pace=self.pace.value() or None).validate()

    def data_spec(self) -> DataSpec:
        net = self.doc.net
        if not is_mnist_shaped(net.sizes) or self.doc.preset_dataset is not None:
            ds = self.doc.preset_dataset
            if ds is None:
                raise ValueError(f"There is no training data for a {'-'.join(map(str, net.sizes))}"
                                 f" network: MNIST needs {MNIST_INPUTS} inputs and {MNIST_CLASSES} outputs.")
            return DataSpec(train=ds, test=self.doc.test_dataset or ds)
        if self.patience.value() and not self.validation.value():
            raise ValueError("Early stopping needs a validation set: set Validation above 0.")
        return DataSpec.mnist(self.mnist_folder, self.subset.value() or None, None,
                              self.validation.value(), self.seed.value())

    def start(self, paused: bool = False, continue_run: bool = False) -> None:
        if self.ctl.state in ("starting", "running", "paused"):
            return
        try:
            self.ctl.start(self.config(), self.data_spec(), paused=paused,
                           continue_run=continue_run)
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText("")
        self._t0 = time.perf_counter()

    def stop(self) -> None:
        """Stop the run (and the sweep it belongs to)."""
        if self.sweeper is not None and self.sweeper.running:
            self.sweeper.stop()
        else:
            self.ctl.stop()

    def ask_sweep(self) -> None:
        from .sweep import SweepDialog

        if self.ctl.state in ("starting", "running", "paused"):
            return
        dialog = SweepDialog(self)
        if dialog.exec() != SweepDialog.DialogCode.Accepted:
            return
        self.start_sweep(dialog.plan)

    def start_sweep(self, plan) -> bool:
        """Start the runs of ``plan`` with the panel's settings; False (and a message) if they
        cannot start."""
        try:
            self.sweeper.start(plan, self.config(), self.data_spec())
        except ValueError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText("")
        self._t0 = time.perf_counter()
        return True

    def _on_sweep_progressed(self, index: int, n: int, value) -> None:
        self._t0 = time.perf_counter()
        self.sweep_status = f"Sweep: run {index + 1} of {n} ({self.sweeper.plan.kind} = {value:g})."
        self.status.setText(self.sweep_status)

    def _on_sweep_finished(self, complete: bool) -> None:
        res = [(v, y) for v, y in self.sweeper.results if math.isfinite(y)]
        if not res:
            self.status.setText("Sweep ended without a result.")
            return
        best = (max if "accuracy" in self.sweeper.metric else min)(res, key=lambda r: r[1])
        self.status.setText(("Sweep done" if complete else "Sweep stopped")
                            + f": best {self.sweeper.metric} {best[1]:.4g} at {best[0]:g} "
                            f"({len(res)} of {len(self.sweeper.results)} runs).")

    def toggle_pause(self) -> None:
        if self.ctl.state == "paused":
            self.ctl.resume()
        else:
            self.ctl.pause()

    def _step(self, what: str) -> None:
        if self.ctl.job is None:
            try:
                self.ctl.start(self.config(), self.data_spec(), paused=True)
            except ValueError as exc:
                self.message.setText(str(exc))
                return
        self.ctl.step_batch() if what == "batch" else self.ctl.step_epoch()

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder with four IDX files")
        if folder:
            self.set_folder(folder)

    def set_folder(self, folder: str | None) -> None:
        """Use the IDX files in ``folder`` (checked now; a clear message if they do not fit)."""
        if folder is not None:
            from ...data import IDXError, load_mnist

            try:
                data = load_mnist(folder)
            except (IDXError, OSError, ValueError) as exc:
                self.message.setText(f"{folder}: {exc}")
                return
            net = self.doc.net
            if (data.train.n_inputs, data.train.n_outputs) != (net.sizes[0], net.sizes[-1]):
                self.message.setText(
                    f"{folder} has {data.train.n_inputs} inputs and {data.train.n_outputs} "
                    f"classes, but the network is {'-'.join(map(str, net.sizes))}.")
                return
        self.mnist_folder = folder
        self.data_label.setText(folder or "Bundled MNIST")
        self.message.setText("")

    def _on_live_value_changed(self, *_) -> None:
        self.ctl.set_hyperparameters(eta=self.eta.value(), momentum=self.momentum.value(),
                                     l2=self.l2.value(), pace=self.pace.value() or None)

    # -- feedback ----------------------------------------------------------------------------
    def _on_network_replaced(self) -> None:
        self.cost.setCurrentText(self.doc.net.cost_name)
        mnist = is_mnist_shaped(self.doc.net.sizes)
        for w in (self.subset, self.validation, self.open_button):
            w.setEnabled(mnist and self.doc.preset_dataset is None)
        self.open_button.setVisible(mnist)  # other data leave its room to their description
        ds, test = self.doc.preset_dataset, self.doc.test_dataset
        if ds is not None:
            self.data_label.setText(f"{ds.name}: {len(ds)} training samples"
                                    + (f", {len(test)} test" if test is not None else ""))
        elif mnist:
            self.data_label.setText(self.mnist_folder or "Bundled MNIST")
        else:
            self.data_label.setText("none for this network")
        self.apply_hint(self.doc.training_hint)

    def apply_hint(self, hint) -> None:
        """Take η, mini-batch, epochs, L2, momentum and pace from ``hint`` (a TrainConfig that
        suits the document's own data), unless a run is going on. Data without a hint after
        data with one: back to full speed (a pace belongs to the data it was suggested for)."""
        if hint is self._hint or self.ctl.state in ("starting", "running", "paused"):
            return
        self._hint = hint  # applied once: the user's later changes stay
        if hint is None:
            self.pace.setValue(0.0)
            return
        self.eta.setValue(hint.eta)
        self.batch.setValue(hint.batch_size)
        self.epochs.setValue(hint.epochs)
        self.l2.setValue(hint.l2)
        self.momentum.setValue(hint.momentum)
        self.pace.setValue(hint.pace or 0.0)

    def _on_state_changed(self, state: str) -> None:
        active = state in ("starting", "running", "paused")
        self.start_button.setEnabled(not active)
        self.pause_button.setEnabled(active)
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.stop_button.setEnabled(active)
        self.batch_button.setEnabled(state in ("idle", "paused", "finished", "failed"))
        self.sweep_button.setEnabled(not active)
        self.epoch_button.setEnabled(state in ("idle", "paused", "finished", "failed"))
        for w in (self.subset, self.validation, self.batch, self.epochs, self.schedule,
                  self.patience, self.seed):
            w.setEnabled(not active and (w not in (self.subset, self.validation)
                                         or self.open_button.isEnabled()))
        if state == "starting":
            self.progress.setRange(0, 0)  # busy: the worker loads its data
            self.status.setText("Starting the training process…")
        elif state in ("paused", "finished", "failed", "idle"):
            self.progress.setRange(0, 1000)
            if state == "paused":
                self.status.setText("Paused.")

    def _on_batch(self, r: BatchReport) -> None:
        self._latest = r

    def _on_frame_due(self, part: str) -> None:
        if part == "progress" and self._latest is not None:
            self.show_progress(self._latest)
            self._latest = None

    def show_progress(self, r: BatchReport) -> None:
        """The progress bar at mini-batch report ``r``: epoch, batch and time left."""
        epochs = self.ctl.total_epochs if self.ctl.job is not None else r.epoch
        done = (r.epoch - 1 + r.batch / r.n_batches) / epochs
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * done))
        # the time left from this job's own pace (a continued run's job started later)
        mine = (r.epoch - self.ctl.offset - 1 + r.batch / r.n_batches) / \
            max(epochs - self.ctl.offset, 1)
        elapsed = time.perf_counter() - self._t0
        left = elapsed * (1 - mine) / mine if mine > 0 else math.nan
        self.progress.setFormat(f"epoch {r.epoch}/{epochs} · batch {r.batch}/{r.n_batches}"
                                + (f" · {_duration(left)} left" if math.isfinite(left) else ""))

    def _on_epoch(self, r: EpochReport) -> None:
        parts = [f"Epoch {r.epoch}/{r.epochs}: training error {r.train_cost:.4g}"]
        if r.test_accuracy is not None:
            parts.append(f"test accuracy {100 * r.test_accuracy:.2f}%")
        if r.validation_accuracy is not None:
            parts.append(f"validation {100 * r.validation_accuracy:.2f}%")
        sweep = self.sweep_status + " " if self.sweeper is not None and self.sweeper.running else ""
        self.status.setText(sweep + ", ".join(parts) + ".")

    def _on_finished(self, result: TrainingResult) -> None:
        self._latest = None
        self.progress.setValue(1000)
        self.progress.setFormat(result.reason)
        self.status.setText(f"{result.message} ({result.epochs_completed} epochs, "
                            f"{result.samples_per_second:,.0f} samples/s)")


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


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
        self.error_plot.addLegend(offset=(-10, 10))
        self.acc_plot = pg.PlotWidget(background="w")
        self.acc_plot.setLabel("left", "accuracy", units="%")
        self.acc_plot.setLabel("bottom", "epoch")
        self.acc_plot.addLegend(offset=(-10, -10))
        def curve(plot, name, colour, symbol):
            c = self.COLOURS[colour]
            return plot.plot(name=name, symbol=symbol, symbolSize=5, symbolBrush=c,
                             symbolPen=None, pen=pg.mkPen(c, width=2))

        self.curves = {
            # Up to MAX_POINTS points redrawn ~12 times a second: not antialiased (cheaper).
            "batch": self.error_plot.plot(name="mini-batches (smoothed)", antialias=False,
                                          pen=pg.mkPen(self.COLOURS["batch"], width=1)),
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
        self.runs.setToolTip("Finished runs: tick to overlay their curves (dashed)")
        self.runs.setMaximumHeight(64)
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
        runs.addWidget(QLabel("Runs (tick to overlay)"))
        runs.addWidget(self.runs)
        self.runs.setMaximumHeight(16777215)
        self.runs.setMaximumWidth(300)
        plots.addLayout(runs)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(plots, 1)
        self._smooth = None
        self._dirty = set()  # plots with new data, redrawn at their next frame
        self.smoothed = Curve()
        controller.batchReported.connect(self._on_batch)
        controller.epochReported.connect(self._on_epoch)
        controller.frameDue.connect(self._on_frame_due)
        controller.finished.connect(self._on_finished)
        controller.stateChanged.connect(self._on_state)
        controller.divergedAt.connect(self.mark_divergence)
        for plot in (self.error_plot, self.acc_plot):
            plot.scene().sigMouseMoved.connect(lambda pos, p=plot: self._on_hover(p, pos))
            plot.getPlotItem().vb.sigRangeChangedManually.connect(
                lambda *_, p=plot: self._steady.discard(p))  # the user's zoom wins
        self._steady: set = set()  # plots whose axes stay put during the run (see keep_steady)
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
        c = appearance.colours()
        self.COLOURS = dict(c.curves)  # this panel's own copy
        fg = c.plot_foreground
        for plot in (self.error_plot, self.acc_plot):
            plot.setBackground(c.plot_background)
            item = plot.getPlotItem()
            for name in ("left", "bottom"):
                axis = item.getAxis(name)
                axis.setPen(fg)
                axis.setTextPen(fg)
            legend = item.legend
            if legend is not None:
                legend.setLabelTextColor(fg)
                for _sample, label in legend.items:
                    label.setText(label.text)
        for key, curve in self.curves.items():
            colour = self.COLOURS[key.removesuffix("_acc")]
            curve.setPen(pg.mkPen(colour, width=1 if key == "batch" else 2))
            if key != "batch":
                curve.setSymbolBrush(colour)
        for line in self.marks:
            line.setPen(pg.mkPen(self.COLOURS["diverged"], width=2, style=Qt.PenStyle.DashLine))
            line.label.setColor(self.COLOURS["diverged"])

    def _on_state(self, state: str) -> None:
        if state == "starting":
            # regression data (the approximation's f) have no accuracy: the error plot
            # takes the room
            self.acc_plot.setVisible(self.ctl.has_accuracy)
        if state == "starting" and not self.ctl.continuing:
            for line in self.marks:
                self.error_plot.removeItem(line)
            self.marks = []
            self._smooth = None
            self.smoothed = Curve()
            self._begin_steady()
            self.redraw()
        elif state in ("idle", "finished", "failed"):
            self._end_steady()

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
        if on and self.error_plot in self._steady:  # log axes: pyqtgraph's autoscale again
            self._steady.discard(self.error_plot)
            self.error_plot.getPlotItem().vb.enableAutoRange()

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

    def _on_batch(self, r: BatchReport) -> None:
        if math.isfinite(r.cost):
            self._smooth = r.cost if self._smooth is None else 0.5 * self._smooth + 0.5 * r.cost
            self.smoothed.add(r.epoch - 1 + r.batch / r.n_batches, self._smooth)
        self._dirty.add("error plot")

    def _on_epoch(self, _r: EpochReport) -> None:
        self._dirty.update(("error plot", "accuracy plot"))

    def _on_frame_due(self, part: str) -> None:
        if part in self._dirty:
            self._dirty.discard(part)
            self.redraw(part)

    def redraw(self, part: str | None = None) -> None:
        """Put the run's data into the curves of ``part`` ("error plot", "accuracy plot") or
        of both."""
        run = self.ctl.run
        if run is None:
            for c in self.curves.values():
                c.setData([], [])
            return
        if part in (None, "error plot"):
            data = [self.smoothed.arrays()[1]]
            self.curves["batch"].setData(*self.smoothed.arrays())
            for key in ("train", "test", "validation"):
                xs, ys = run.epoch_series(f"{key}_cost")
                self.curves[key].setData(xs, ys)
                data.append(ys)
            self.keep_steady(self.error_plot, np.concatenate(data), zero_based=True)
        if part in (None, "accuracy plot"):
            data = []
            for key in ("train", "test", "validation"):
                xs, ys = run.epoch_series(f"{key}_accuracy")
                self.curves[f"{key}_acc"].setData(xs, 100 * ys)
                data.append(100 * ys)
            self.keep_steady(self.acc_plot, np.concatenate(data), floor=0.0, ceiling=101.0)

    def _on_finished(self, _result) -> None:
        self._dirty.clear()
        self.redraw()
        run = self.ctl.run
        item = QListWidgetItem(run.name + (f" → {100 * run.epochs[-1].test_accuracy:.2f}% test"
                                           if run.epochs and run.epochs[-1].test_accuracy
                                           is not None else ""))
        item.setToolTip(item.text())
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        item.setData(Qt.ItemDataRole.UserRole, len(self.ctl.runs) - 1)
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

    # -- export ------------------------------------------------------------------------------
    def _ask_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plots as PNG", "training.png",
                                              "PNG images (*.png)")
        if path and not self.export_png(path):
            QMessageBox.warning(self, "Export failed", f"Could not write {path}.")

    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export curves as CSV", "training.csv",
                                              "CSV files (*.csv)")
        if path:
            try:
                self.export_csv(path)
            except OSError as exc:
                QMessageBox.warning(self, "Export failed", f"Could not write {path}: {exc}")

    def export_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")

    def export_csv(self, path: str) -> None:
        """One row per epoch of the current run: costs and accuracies."""
        run = self.ctl.run
        keys = ["epoch", "train_cost", "train_accuracy", "validation_cost",
                "validation_accuracy", "test_cost", "test_accuracy", "eta", "seconds"]
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(keys)
            for e in (run.epochs if run is not None else []):
                w.writerow(["" if getattr(e, k) is None else getattr(e, k) for k in keys])
