"""A training run on disk: File › Save Run… and Open Run… (the curves, learning speeds and
timeline in a run file next to the network, see nnviz.core.runfile), and the curves as CSV."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..model.document import Document
from .controller import TrainingController

FILTER = "nnviz runs (*.run.npz *.npz)"


def export_csv(run, path: str) -> None:
    """One row per epoch of ``run``: costs, accuracies and each layer's learning speed (epoch
    0: the start's speeds)."""
    from ...core.learning import speed_rows

    keys = ["epoch", "train_cost", "train_accuracy", "validation_cost",
            "validation_accuracy", "test_cost", "test_accuracy", "eta", "seconds"]
    header, rows = speed_rows(keys, run)
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows([header, *rows])


class RunFiles(QObject):
    """Save the current run, or open a saved one as the current run (its timeline can then be
    scrubbed when the window's network has the run's layers)."""

    message = Signal(str)  # for the status bar

    def __init__(self, doc: Document, controller: TrainingController,
                 parent_widget: QWidget, prepare=None) -> None:
        """``prepare``: called before an opened run becomes current (to show its views)."""
        super().__init__(parent_widget)
        self.doc, self.ctl, self.widget = doc, controller, parent_widget
        self.prepare = prepare
        self.act_save = QAction("Save R&un…", parent_widget)
        self.act_save.setShortcut(QKeySequence("Ctrl+Alt+S"))
        self.act_open = QAction("Open Ru&n…", parent_widget)
        self.act_open.setShortcut(QKeySequence("Ctrl+Alt+O"))
        for act, tip, slot in (
                (self.act_save, "Save the last training run (curves, learning speeds and the "
                                "network after every epoch) next to the network", self.ask_save),
                (self.act_open, "Open a saved run: its curves, and its timeline to scrub "
                                "through", self.ask_open)):
            act.setToolTip(tip)
            act.setStatusTip(tip)
            act.triggered.connect(slot)
        controller.stateChanged.connect(self._update_actions)
        controller.runOpened.connect(self._update_actions)
        self._update_actions()

    def _update_actions(self, *_) -> None:
        self.act_save.setEnabled(self.ctl.run is not None and not self.ctl.state.active)
        self.act_open.setEnabled(not self.ctl.state.active)

    def default_path(self) -> str:
        """The network's file with .run.npz (``net.npz`` → ``net.run.npz``), else one named
        after the network in the home folder."""
        from ...core.runfile import run_path_for

        if self.doc.path:
            return str(run_path_for(self.doc.path))
        stem = re.sub(r"[^\w-]+", "-", self.doc.title).strip("-")
        return str(Path.home() / f"{stem or 'training'}.run.npz")

    # -- save -----------------------------------------------------------------------------------
    def ask_save(self) -> bool:
        if not self._can_save():
            return False
        path, _ = QFileDialog.getSaveFileName(self.widget, "Save the run", self.default_path(),
                                              FILTER)
        return bool(path) and self.save_to(path)

    def _can_save(self) -> bool:
        if self.ctl.run is None:
            self._warn("No run to save", "Train the network first: there is no run yet.")
            return False
        if self.ctl.state.active:
            self._warn("Cannot save the run now", "The run is going on: stop it "
                       "(Train › Stop training, Ctrl+.) to save it.")
            return False
        return True

    def save_to(self, path: str) -> bool:
        """Write the current run to ``path`` (".npz" added when missing), atomically."""
        from ...core.runfile import save_run

        if not self._can_save():
            return False
        if not path.endswith(".npz"):
            path += ".run.npz"
        try:
            save_run(self.ctl.run, path)
        except OSError as exc:
            self._warn("Could not save the run", f"{path}: {exc.strerror or exc}")
            return False
        n = len(self.ctl.run.timeline)
        self.message.emit(f"Saved {self.ctl.run.name} ({n} snapshot{'s' * (n != 1)}) to {path}")
        return True

    # -- open -----------------------------------------------------------------------------------
    def ask_open(self) -> bool:
        folder = str(Path(self.default_path()).parent)
        path, _ = QFileDialog.getOpenFileName(self.widget, "Open a run", folder,
                                              FILTER + ";;All files (*)")
        return bool(path) and self.open(path)

    def open(self, path: str) -> bool:
        """Read the run in ``path`` and make it the current run; a bad file is refused with a
        message naming the problem, and nothing changes."""
        from ...core.runfile import RunFileError, load_run

        if self.ctl.state.active:
            self._warn("Cannot open a run now", "A run is going on: stop it (Train › Stop "
                       "training, Ctrl+.) first.")
            return False
        try:
            run = load_run(path)
        except RunFileError as exc:
            self._warn("Could not open the run", str(exc))
            return False
        if self.prepare is not None:
            self.prepare()
        self.ctl.add_run(run)
        self.message.emit(f"Opened {run.name}: " + self._timeline_note(run))
        return True

    def _timeline_note(self, run) -> str:
        """Whether the run's timeline fits the window's network (and so can be scrubbed)."""
        if not len(run.timeline):
            return "it has no timeline"
        shapes = [w.shape for w in self.doc.net.weights]
        last = run.timeline.epochs[-1]
        if run.timeline.shapes(last) == shapes:
            return f"its timeline (below the plots) goes to epoch {last}"
        sizes = [run.timeline.shapes(last)[0][1]] + [s[0] for s in run.timeline.shapes(last)]
        return (f"its timeline is of a {'-'.join(map(str, sizes))} network: open that "
                "network to scrub through it")

    def _warn(self, title: str, text: str) -> None:
        self.message.emit(text)
        QMessageBox.warning(self.widget, title, text)
