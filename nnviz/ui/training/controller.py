"""Background training in the window: the controller that drives the worker process.

The learning happens in ``nnviz.worker.BackgroundTraining`` (a child process running the core's
Trainer); the controller polls it from a timer, records its reports in the Qt-free
``TrainingSession`` (settings, runs, state), announces them as Qt signals, and shows weight
snapshots in the document at most ~30 times a second through the training lock it holds.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from ...core.session import TrainingSession, TrainingState
from ...core.training import BatchReport, EpochReport, TrainConfig, TrainingResult
from ...data.spec import DataSpec
from ...worker.events import Diverged, Failed, InitialSpeed, Paused, Snapshot, Started
from ..model.document import Document, TrainingLock

if TYPE_CHECKING:
    from ...worker.parent import BackgroundTraining

#: Snapshots of the weights reach the graph at most this often (seconds).
SNAPSHOT_INTERVAL = 1 / 30
#: What the live display redraws, one per timer tick (see TrainingController.poll): "graph"
#: shows the latest weights in the document (the graph's items follow them) and "graph paint"
#: a tick later lets the graph repaint, so that the two never share an event-loop pass.
FRAME_PARTS = ("graph", "error plot", "graph paint", "accuracy plot", "progress")
#: Why the network cannot be changed by hand while a run goes on.
LOCK_REASON = ("training is running: stop it (Train › Stop training, Ctrl+.) to change the "
               "network")


def whole_run_result(result: TrainingResult, offset: int, epochs: list) -> TrainingResult:
    """The result of a continued run's last job (numbered from 1) for the whole run: its
    epochs counted on from the ``offset`` epochs of the earlier jobs, ``epochs`` its history."""
    message = re.sub(r"\bepoch (\d+)", lambda m: f"epoch {int(m.group(1)) + offset}",
                     result.message)
    if result.reason == "completed":
        message = f"finished {result.epochs_completed + offset} epochs"
    best = result.best_epoch + offset if result.best_epoch is not None else None
    return replace(result, message=message, epochs_completed=result.epochs_completed + offset,
                   history=list(epochs), best_epoch=best)


class TrainingController(QObject):
    """Runs one BackgroundTraining at a time for the document's network."""

    stateChanged = Signal(object)  # TrainingState
    batchReported = Signal(object)  # BatchReport
    epochReported = Signal(object)  # EpochReport
    finished = Signal(object)  # TrainingResult
    problem = Signal(str)  # a plain-language message (divergence, crash, bad data)
    divergedAt = Signal(float)  # where (in epochs) the run diverged, for the plots to mark
    frameDue = Signal(str)  # one of FRAME_PARTS: time for that part of the display to redraw
    speedsReported = Signal()  # the current run has new learning speeds (its start's or an epoch's)
    timelineChanged = Signal()  # the current run's timeline has a new snapshot
    aboutToStart = Signal()  # a run is about to start (views showing the past step back)
    runOpened = Signal(object)  # a run read from a file (Run) is now the current run

    def __init__(self, doc: Document, parent: QObject | None = None,
                 session: TrainingSession | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.session = session if session is not None else TrainingSession()
        self.job: BackgroundTraining | None = None
        self.detached = False  # the job trains a network other than the document's
        self._lock: TrainingLock | None = None  # held while a run trains the document's net
        self._version = -1
        self._last_snapshot = 0.0
        self._frame = 0
        #: A run of the document's network without a pace of its own lasts at least this many
        #: seconds (0: off; presentation mode sets it, so that a small run can be watched).
        self.min_seconds = 0.0
        self._watchable_pace: float | None = None  # the pace that gives, for this run
        self.timer = QTimer(self)
        self.timer.setInterval(12)  # five parts: the graph ~16 times a second
        self.timer.timeout.connect(self.poll)
        self.session.settings.observe(self._on_settings_changed)
        # For the provenance of a run of the document's network: its data, the counts the
        # worker loaded, and what was changed while it trained.
        self._data: DataSpec | None = None
        self._counts: tuple | None = None
        self._changes: list[str] = []

    # -- the session's state, for the views ---------------------------------------------------
    @property
    def state(self) -> TrainingState:
        return self.session.state

    @property
    def run(self):
        return self.session.run

    @property
    def runs(self) -> list:
        return self.session.runs

    @property
    def offset(self) -> int:
        return self.session.offset

    @property
    def continuing(self) -> bool:
        return self.session.continuing

    @property
    def has_accuracy(self) -> bool:
        return self.session.has_accuracy

    @property
    def watchable_pace(self) -> float | None:
        """The pace this run was given to last ``min_seconds`` (None: its own or none)."""
        return self._watchable_pace

    @property
    def total_epochs(self) -> int:
        """Epochs of the whole run: those of earlier jobs it continues, plus this job's."""
        return self.session.offset + (self.job.config.epochs if self.job is not None else 0)

    # -- commands ----------------------------------------------------------------------------
    def start(self, config: TrainConfig, data: DataSpec, paused: bool = False,
              net=None, label: str = "", continue_run: bool = False) -> None:
        """Train the document's network (ValueError, nothing started, for bad data/config;
        PermissionError if the document is locked by someone else).

        ``net``: train this network instead, detached from the document (a sweep's run): the
        document stays unlocked and unchanged, and only the curves are kept. ``label`` is added
        to the run's name. ``continue_run``: go on with the last run (after a change made while
        it trained): its epochs count on and its curves continue, for the epochs it had left."""
        self.aboutToStart.emit()
        if self.job is not None:
            self.close()
        session = self.session
        self.detached = net is not None
        net = net if net is not None else self.doc.net
        last = session.run
        going_on = continue_run and not self.detached and last is not None and last.going_on
        offset = last.epochs[-1].epoch if going_on and last.epochs else 0
        if going_on:
            config = replace(config, epochs=max(1, config.epochs - offset))
        self._watchable_pace = None
        if config.pace is None and self.min_seconds > 0 and not self.detached:
            self._watchable_pace = config.epochs / self.min_seconds
            config = replace(config, pace=self._watchable_pace)
        from ...worker.parent import BackgroundTraining  # on first use: see nnviz.worker

        job = BackgroundTraining(net, config, data)  # validates config and data against net
        if not self.detached:
            self._lock = self.doc.lock(LOCK_REASON)
        self.job = job
        session.offset, session.continuing = offset, going_on
        # MNIST (loaded by the worker) has labels; in-memory data say so themselves
        session.has_accuracy = data.train is None or data.train.has_accuracy
        if going_on:
            session.go_on_with_run(net.sizes, config)
            self._changes.append(f"network changed after epoch {offset}")
        else:
            session.begin_run(net.sizes, config, label)
            session.run.timeline.add(0, (net.weights, net.biases))  # the start
            self._changes = []
        self._data = data
        self._version = -1
        job.start(paused=paused)
        self._set_state(TrainingState.STARTING)
        self.timer.start()

    def start_from_settings(self, paused: bool = False, continue_run: bool = False) -> None:
        """Train the document's network with the session's settings on its data (ValueError,
        in plain words, when that cannot start)."""
        doc, settings = self.doc, self.session.settings
        self.start(settings.config(),
                   settings.data_spec(doc.net.sizes, doc.preset_dataset, doc.test_dataset),
                   paused=paused, continue_run=continue_run)

    def add_run(self, run) -> None:
        """Make ``run`` (one read from a run file) the current run, after the others: its
        curves, learning speeds and timeline are shown as a finished run's (RuntimeError while
        a run goes on)."""
        if self.state.active:
            raise RuntimeError("a run is going on")
        self.aboutToStart.emit()  # a timeline showing an earlier epoch goes back to the latest
        self.session.runs.append(run)
        self.session.run, self.session.offset = run, 0
        self.runOpened.emit(run)
        self.timelineChanged.emit()
        self.speedsReported.emit()

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
        if self.job is not None and self.state.active:
            self.job.set_hyperparameters(**values)

    def _on_settings_changed(self, name: str, value) -> None:
        if name in self.session.settings.LIVE:
            s = self.session.settings
            if name != "pace" and self.job is not None and self.state.active:
                self._changes.append(f"{name} {value:g} from epoch "
                                     f"{len(self.session.run.epochs) + 1}")
            self.set_hyperparameters(eta=s.eta, momentum=s.momentum, l2=s.l2, l1=s.l1,
                                     pace=s.pace or self._watchable_pace)

    def restore_last_good(self) -> None:
        if self.job is not None and self._lock is not None:
            good = self.job.last_good_parameters()
            if good is not None:
                self._lock.show(*good)

    def close(self) -> None:
        """End the worker (within about a second) and keep the weights it reached: the whole
        run becomes one undoable step when the lock is released."""
        job, self.job = self.job, None
        self.timer.stop()
        if job is None:
            return
        lock, self._lock = self._lock, None
        try:
            if lock is not None:  # a sweep's run never touches the document's network
                self._keep_final_parameters(job, lock)
        finally:
            job.close()
            if lock is not None:
                lock.release(f"Training ({self.session.run.name})")
            if self.state not in (TrainingState.FINISHED, TrainingState.FAILED):
                self._set_state(TrainingState.IDLE)

    @staticmethod
    def _keep_final_parameters(job: BackgroundTraining, lock: TrainingLock) -> None:
        if job.state in ("failed", "closed"):
            return
        final = job.final_parameters() if job.state == "finished" else None
        if final is None:
            got = job.snapshot()
            final = got[1:] if got is not None else None
        if final is not None and all(np.isfinite(w).all() for w in final[0]):
            lock.show(*final)

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
        if self._lock is None:
            return
        now = time.perf_counter()
        if now - self._last_snapshot >= SNAPSHOT_INTERVAL:
            got = job.snapshot(since=self._version)
            if got is not None:
                self._version, w, b = got
                self._last_snapshot = now
                if all(np.isfinite(x).all() for x in w) and all(np.isfinite(x).all() for x in b):
                    self.frameDue.emit("graph")  # the graph holds its repaint until its turn
                    self._lock.show(w, b)

    def _handle(self, event) -> None:
        run, offset = self.session.run, self.session.offset
        if offset and isinstance(event, BatchReport):  # numbered on from the earlier jobs
            event = replace(event, epoch=event.epoch + offset)
        elif offset and isinstance(event, EpochReport):
            event = replace(event, epoch=event.epoch + offset, epochs=event.epochs + offset)
        elif offset and isinstance(event, TrainingResult):
            event = whole_run_result(event, offset, run.epochs)
        if isinstance(event, Started):
            self._counts = (event.n_train, event.n_validation, event.n_test)
            self._set_state(TrainingState.RUNNING)
        elif isinstance(event, BatchReport):
            if self.state in (TrainingState.PAUSED, TrainingState.STARTING):
                self._set_state(TrainingState.RUNNING)
            run.batch_cost.add(event.epoch - 1 + event.batch / event.n_batches, event.cost)
            self.batchReported.emit(event)
        elif isinstance(event, Snapshot):
            run.timeline.add(event.epoch + offset, event.parameters)
            self.timelineChanged.emit()
        elif isinstance(event, InitialSpeed):
            run.initial_speed = event.learning_speed
            self.speedsReported.emit()
        elif isinstance(event, EpochReport):
            run.epochs.append(event)
            self.epochReported.emit(event)
            if event.learning_speed is not None:
                self.speedsReported.emit()
        elif isinstance(event, Diverged):
            run.diverged = True
            xs = run.batch_cost.xs
            self.divergedAt.emit(float(xs[-1]) if xs else float(event.epoch - 1))
            if self.detached:  # a sweep goes on with its next run
                self.problem.emit(event.message + " That run of the sweep is ended.")
                self.stop()
                return
            self._set_state(TrainingState.PAUSED)
            self.problem.emit(event.message + " The last good weights are shown.")
            self.restore_last_good()
        elif isinstance(event, Paused):
            self._set_state(TrainingState.PAUSED)
        elif isinstance(event, Failed):
            self._set_state(TrainingState.FAILED)
            self.problem.emit(f"Training stopped with an error: {event.message}")
            self.close()
        elif isinstance(event, TrainingResult):
            run.result = event
            epochs_asked, detached = self.total_epochs, self.detached
            self._set_state(TrainingState.FINISHED)
            self.close()
            if not detached:  # the document now holds the weights the run returned
                self._record_provenance(run, event, epochs_asked)
            self.finished.emit(event)

    def _record_provenance(self, run, result: TrainingResult, epochs_asked: int) -> None:
        from ...core.provenance import from_run  # on first use: a faster start

        try:
            record = from_run("the nnviz window", self.doc.net, run.settings, result,
                              epochs_asked, self._data, self._counts, self._changes)
        except ValueError:  # a record that breaks the file's rules is not kept: never a crash
            return
        self.doc.add_provenance(record)

    def _set_state(self, state: TrainingState) -> None:
        if state != self.session.state:
            self.session.state = state
            self.stateChanged.emit(state)
