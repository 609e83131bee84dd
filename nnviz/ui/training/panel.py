"""The Training dock: the data, the settings of the session, the run's buttons and its
progress. The settings widgets are bound to ``TrainingSession.settings`` (the playground shows
some of the same settings, bound to the same object)."""

from __future__ import annotations

import math
import time

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...constants import is_mnist_shaped
from ...core.costs import COSTS
from ...core.recipes import CHOICES, recipes_for
from ...core.session import TrainingState
from ...core.training import SCHEDULES, BatchReport, EpochReport, TrainConfig, TrainingResult
from ...data.spec import DataSpec
from ..look import style
from ..model.bindings import bind
from ..model.document import Document
from ..model.selection import Change
from .controller import TrainingController
from .sweep import SweepDialog


class TrainingPanel(QWidget):
    """Data, hyperparameters, the run buttons and the progress bar."""

    def __init__(self, doc: Document, controller: TrainingController, sweeper=None) -> None:
        super().__init__()
        self.doc, self.ctl, self.sweeper = doc, controller, sweeper
        self.data_label = QLabel("Bundled MNIST")
        self.data_label.setWordWrap(True)
        self.open_button = QPushButton("Open IDX folder…")
        self.open_button.setToolTip("Train on another dataset in MNIST's IDX format")
        self.open_button.clicked.connect(self.open_folder)
        settings = controller.session.settings
        self.settings = settings
        self.subset = self._spin(0, 60000, "Training images to use (0: all 60,000). A small "
                                 "subset such as 1,000 makes overfitting visible in a minute.")
        self.subset.setSpecialValueText("all")
        self.subset.setSingleStep(1000)
        self.validation = self._spin(0, 20000, "Images split off the training set to "
                                     "validate on (needed for early stopping)")
        self.eta = self._dspin(1e-4, 50.0, 4, "Learning rate η (changes apply live)")
        self.batch = self._spin(1, 10000, "Mini-batch size m")
        self.epochs = self._spin(1, 100000, "Passes over the training data")
        self.cost = QComboBox()
        self.cost.addItems(list(COSTS))
        self.cost.setToolTip("The cost of the network (from New network…)")
        self.cost.setEnabled(False)
        self.l2 = self._dspin(0.0, 100.0, 3, "L2 regularisation λ (changes apply live)")
        self.momentum = self._dspin(0.0, 0.99, 2, "Momentum μ (changes apply live)")
        self.schedule = QComboBox()
        self.schedule.addItems(list(SCHEDULES))
        self.schedule.setToolTip("Learning-rate schedule")
        self.patience = self._spin(0, 100, "Early stopping: stop after this many epochs "
                                   "without improvement on the validation set (0: off)")
        self.patience.setSpecialValueText("off")
        self.seed = self._spin(0, 2 ** 31 - 1, "Seed of the shuffling and validation split")
        self.pace = self._dspin(0.0, 10000.0, 1, "At most this many epochs per second, "
                                "so that a small network's run can be watched (changes apply "
                                "live)")
        self.recipe = QComboBox()
        for key, label in CHOICES.items():
            self.recipe.addItem(label, key)
        self.recipe.activated.connect(lambda i: self.choose_recipe(self.recipe.itemData(i)))
        self.pace.setSpecialValueText("full speed")
        self.pace.setSuffix(" epochs/s")
        for widget, name in ((self.subset, "subset"), (self.validation, "validation"),
                             (self.eta, "eta"), (self.batch, "batch_size"),
                             (self.epochs, "epochs"), (self.l2, "l2"),
                             (self.momentum, "momentum"), (self.schedule, "schedule"),
                             (self.patience, "early_stop"), (self.seed, "seed"),
                             (self.pace, "pace")):
            bind(widget, settings, name)  # η, λ, μ and pace reach a running job at once

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
        if sweeper is not None:
            sweeper.progressed.connect(self._on_sweep_progressed)
            sweeper.finished.connect(self._on_sweep_finished)
            sweeper.problem.connect(self.message.setText)

        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.data_label, 1)
        row.addWidget(self.open_button)
        form.addRow("Data", row)
        form.addRow("Settings", self.recipe)
        self.form = form
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
        doc.changed.connect(self._on_document_changed)
        self._on_network_replaced()
        self._on_state_changed(TrainingState.IDLE)

    @staticmethod
    def _spin(lo, hi, tip) -> QSpinBox:
        w = QSpinBox()
        w.setRange(lo, hi)
        w.setToolTip(tip)
        return w

    @staticmethod
    def _dspin(lo, hi, decimals, tip) -> QDoubleSpinBox:
        w = QDoubleSpinBox()
        w.setDecimals(decimals)
        w.setRange(lo, hi)
        w.setKeyboardTracking(False)
        w.setToolTip(tip)
        return w

    # -- the run -----------------------------------------------------------------------------
    def config(self) -> TrainConfig:
        """The settings as a TrainConfig (ValueError for a bad value)."""
        return self.settings.config()

    def data_spec(self) -> DataSpec:
        """What the document's network trains on (ValueError, in plain words, if nothing)."""
        doc = self.doc
        return self.settings.data_spec(doc.net.sizes, doc.preset_dataset, doc.test_dataset)

    def start(self, paused: bool = False, continue_run: bool = False) -> None:
        if self.ctl.state.active:
            return
        try:
            self.ctl.start(self.config(), self.data_spec(), paused=paused,
                           continue_run=continue_run)
        except (ValueError, PermissionError) as exc:
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
        if self.ctl.state.active:
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
        if self.ctl.state is TrainingState.PAUSED:
            self.ctl.resume()
        else:
            self.ctl.pause()

    def _step(self, what: str) -> None:
        if self.ctl.job is None:
            try:
                self.ctl.start(self.config(), self.data_spec(), paused=True)
            except (ValueError, PermissionError) as exc:
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
        self.settings.folder = folder
        self.data_label.setText(folder or "Bundled MNIST")
        self.message.setText("")

    @property
    def mnist_folder(self) -> str | None:
        return self.settings.folder

    # -- feedback ----------------------------------------------------------------------------
    def _on_document_changed(self, change: Change) -> None:
        if change & (Change.NETWORK | Change.DATASET):
            self._on_network_replaced()

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
        recipes = recipes_for(self.doc.preset_key)
        self.form.setRowVisible(self.recipe, recipes is not None)
        if recipes is not None:
            self.recipe.setToolTip(f"The article's settings: {recipes.note}. Fast modern "
                                   "settings: momentum 0.9, a cosine schedule, fewer epochs.")
        self.apply_hint(self.doc.training_hint)

    def apply_hint(self, hint) -> None:
        """Take η, mini-batch, epochs, L2, momentum and pace from ``hint`` (a TrainConfig that
        suits the document's own data), once, unless a run is going on (see
        TrainingSession.take_hint); a preset's article's settings whole, schedule too."""
        recipes = recipes_for(self.doc.preset_key)
        if self.ctl.session.take_hint(hint) and recipes is not None and hint is recipes.article:
            self.settings.take_recipe(hint)
            self.recipe.setCurrentIndex(0)

    def choose_recipe(self, choice: str) -> None:
        """Set every setting to the preset's recipe ``choice`` ("article" or "fast")."""
        recipes = recipes_for(self.doc.preset_key)
        if recipes is None or self.ctl.state.active:
            return
        self.settings.take_recipe(recipes.get(choice))
        self.recipe.setCurrentIndex(self.recipe.findData(choice))

    def _on_state_changed(self, state: TrainingState) -> None:
        active = state.active
        paused = state is TrainingState.PAUSED
        self.start_button.setEnabled(not active)
        self.pause_button.setEnabled(active)
        self.pause_button.setText("Resume" if paused else "Pause")
        self.stop_button.setEnabled(active)
        self.batch_button.setEnabled(not state.live)
        self.sweep_button.setEnabled(not active)
        self.epoch_button.setEnabled(not state.live)
        self.recipe.setEnabled(not active)
        for w in (self.subset, self.validation, self.batch, self.epochs, self.schedule,
                  self.patience, self.seed):
            w.setEnabled(not active and (w not in (self.subset, self.validation)
                                         or self.open_button.isEnabled()))
        if state is TrainingState.STARTING:
            self.progress.setRange(0, 0)  # busy: the worker loads its data
            pace = self.ctl.watchable_pace
            self.status.setText("Starting the training process…" + (
                f" At {pace:.3g} epochs/s, so that it can be watched (presentation mode; set "
                "a pace to change it)." if pace else ""))
        else:
            self.progress.setRange(0, 1000)
            if paused:
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

