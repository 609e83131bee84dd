"""The timeline bar below the plots: a slider over the run's epochs (its snapshots, see
nnviz.core.timeline) that shows the network at that epoch everywhere (graph, Inspector, weight
images, the drawing panel's answer, histograms), and "Keep this epoch", which makes it the
current network as one undoable step.

While an earlier epoch is shown the document is locked (nobody edits a network from the past);
"Latest" or the slider's right end gives the latest weights back, unchanged and with no undo
step. A run starting goes back to the latest first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from ...core.session import TrainingState
from ..model.document import Document, TrainingLock
from .controller import TrainingController

#: Why the network cannot be edited while an earlier epoch is shown.
VIEWING = "an earlier epoch of the run is shown (Latest or Keep this epoch ends that)"


class TimelineBar(QWidget):
    """Epoch slider, its label, "Latest" and "Keep this epoch"."""

    def __init__(self, doc: Document, controller: TrainingController) -> None:
        super().__init__()
        self.doc, self.ctl = doc, controller
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("Scrub through the run: the network as it was after each epoch")
        self.slider.valueChanged.connect(self._on_moved)
        self.label = QLabel("Timeline: no run yet")
        self.latest_button = QPushButton("Latest")
        self.latest_button.clicked.connect(self.back_to_latest)
        self.keep_button = QPushButton("Keep this epoch")
        self.keep_button.setToolTip("Make the epoch shown the current network (Edit › Undo "
                                    "puts the latest back)")
        self.keep_button.clicked.connect(self.keep)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.latest_button)
        layout.addWidget(self.keep_button)
        self._lock: TrainingLock | None = None
        self._latest = None  # the document's parameters when scrubbing began
        self._epochs: list[int] = []
        controller.timelineChanged.connect(self.refresh)
        controller.aboutToStart.connect(self.back_to_latest)
        controller.stateChanged.connect(self._on_state_changed)
        self.refresh()

    # -- what there is to show -----------------------------------------------------------------
    def epochs(self) -> list[int]:
        """The epochs the slider goes through: the run's snapshots that fit the network."""
        run = self.ctl.run
        if run is None:
            return []
        shapes = [w.shape for w in self.doc.net.weights]
        return [e for e in run.timeline.epochs if run.timeline.shapes(e) == shapes]

    def refresh(self) -> None:
        """Follow the run's timeline: the slider at its latest epoch unless scrubbing."""
        self._epochs = self.epochs()
        n = len(self._epochs)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, n - 1))
        if self._lock is None:
            self.slider.setValue(max(0, n - 1))
        self.slider.blockSignals(False)
        idle = not self.ctl.state.active
        self.slider.setEnabled(idle and n > 1)
        self._show_label()

    def _show_label(self) -> None:
        if not self._epochs:
            self.label.setText("Timeline: no run yet")
        else:
            shown = self._epochs[self.slider.value()]
            what = "the start" if shown == 0 else f"epoch {shown}"
            thinned = " (thinned)" if self.ctl.run.timeline.thinned else ""
            self.label.setText(f"Timeline{thinned}: {what} of {self._epochs[-1]}")
        self.latest_button.setEnabled(self._lock is not None)
        self.keep_button.setEnabled(self._lock is not None)

    @property
    def shown_epoch(self) -> int | None:
        """The epoch shown while scrubbing, else None (the latest weights are shown)."""
        return self._epochs[self.slider.value()] if self._lock is not None else None

    # -- scrubbing -----------------------------------------------------------------------------
    def show_epoch(self, epoch: int) -> None:
        """Move the slider to ``epoch`` (ValueError if the timeline does not have it)."""
        self.slider.setValue(self._epochs.index(epoch))

    def step(self, delta: int) -> None:
        """The previous (−1) or next (+1) epoch kept (presentation mode's keys)."""
        if self.slider.isEnabled():
            self.slider.setValue(min(max(self.slider.value() + delta, 0), self.slider.maximum()))

    def _on_moved(self, index: int) -> None:
        if not self._epochs or self.ctl.state.active:
            return
        if index == len(self._epochs) - 1 and self._lock is not None:
            self.back_to_latest()
            return
        if index == len(self._epochs) - 1:
            return
        if self._lock is None:
            try:
                self._lock = self.doc.lock(VIEWING)
            except PermissionError:
                self.refresh()
                return
            self._latest = self._lock.before
        self._lock.show(*self.ctl.run.timeline.get(self._epochs[index]))
        self._show_label()

    def back_to_latest(self) -> None:
        """Show the latest weights again (no undo step: they are what they were)."""
        if self._lock is None:
            return
        lock, self._lock = self._lock, None
        lock.show(*self._latest)
        lock.release("")
        self.refresh()

    def keep(self) -> None:
        """Make the epoch shown the current network, as one undoable step."""
        epoch = self.shown_epoch
        if epoch is None:
            return
        weights, biases = self.ctl.run.timeline.get(epoch)
        self.back_to_latest()
        what = "the start" if epoch == 0 else f"epoch {epoch}"
        self.doc.replace_parameters(weights, biases, f"Keep {what} of the run")
        self.refresh()

    def _on_state_changed(self, state: TrainingState) -> None:
        if state.active:
            self.back_to_latest()
        self.refresh()
