"""The child's side: the process that trains, obeys commands and ships reports. No Qt.

``_child_main`` is the target ``BackgroundTraining.start()`` hands to a spawned process: a fresh
interpreter imports this package to find it, so no module of the package may import Qt. This
module never imports the parent's side. ``_Job`` is what the parent pickles to the child;
``_Child`` drives the Trainer one mini-batch at a time; ``_single_threaded_blas`` sets up the
environment the parent starts the child in.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import traceback
from dataclasses import dataclass, replace

import numpy as np

from ..core.network import Network
from ..core.training import BatchReport, EpochReport, TrainConfig, Trainer, TrainingResult
from ..data.spec import DataSpec
from .events import Diverged, Failed, InitialSpeed, Paused, Snapshot, Started
from .shared import SharedParameters, _split


@dataclass
class _Job:
    """Everything the child needs, pickled to it at start. Kept small: a pickle larger than a
    pipe's buffer (64 KB) makes Process.start() wait until the child has started and read it
    (~0.15 s), so the weights travel as version 1 of the shared parameters instead."""

    net: Network  # without its weights and biases
    config: TrainConfig
    data: DataSpec
    shm_name: str
    shapes: list
    start_paused: bool
    report_interval: float
    publish_interval: float
    created: float  # time.time() at start(), for the start-up figure


#: Environment variables that cap the BLAS/OpenMP thread pools of numpy in the child.
_BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def _single_threaded_blas():
    """The child starts with one BLAS thread (a spawned child reads these at numpy import).
    Mini-batch matrices are small, so more threads hardly speed training up, while they take
    the core the window needs to stay responsive. A value the user set is kept."""
    saved = {k: os.environ.get(k) for k in _BLAS_THREAD_VARIABLES}
    for k, v in saved.items():
        if v is None:
            os.environ[k] = "1"
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)


class _ParentGone(Exception):
    """The parent closed its end of the command pipe: nobody is listening any more."""


def _child_main(job: _Job, commands, reports) -> None:
    """Entry point of the child process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is the parent's to handle
    shared = child = None
    try:
        shared = SharedParameters.attach(job.shm_name, job.shapes, job.config.dtype)
        job.net.set_parameters(*_split(shared.read()[1]))  # version 1: the starting weights
        child = _Child(job, commands, reports, shared)
        child.main()
    except (_ParentGone, BrokenPipeError):
        pass
    except BaseException as exc:
        failed = Failed(f"the training stopped with an error: {type(exc).__name__}: {exc}",
                        None, traceback.format_exc())
        try:
            reports.send((child.outbox if child is not None else []) + [failed])
        except OSError:
            pass
    finally:
        if shared is not None:
            shared.close()
        commands.close()
        reports.close()


class _Child:
    """Drives Trainer.run() one mini-batch at a time, between batches obeying commands."""

    def __init__(self, job: _Job, commands, reports, shared: SharedParameters) -> None:
        self.job, self.commands, self.reports, self.shared = job, commands, reports, shared
        self.net, self.config = job.net, job.config
        self.trainer: Trainer | None = None
        self.received = 0           # number of the last command handled
        self.running = not job.start_paused
        self.stopping = False
        self.budget: int | None = None  # mini-batches left before pausing; None: no limit
        self.to_epoch_end = False   # pause after the current epoch's report
        self.last_batch: BatchReport | None = None  # the last mini-batch done
        self.epochs_done = 0
        self.last_kernel = None     # the kernel of the last trainer, once it has ended
        self.good: list[np.ndarray] = []  # kernel state at the last epoch end (or the start)
        self.cost_sum, self.n_costs = 0.0, 0
        self.outbox: list = []      # reports not yet shipped, in order
        self.next_report = self.next_publish = 0.0
        self.next_epoch = time.perf_counter()  # when the next epoch may end (with a pace)

    def main(self) -> None:
        tick = time.perf_counter()
        train, validation, test = self.job.data.load()
        self.send(Started(time.time() - self.job.created, time.perf_counter() - tick,
                          len(train), 0 if validation is None else len(validation),
                          0 if test is None else len(test)))
        self.ship()
        earlier = None
        while True:
            self.trainer = Trainer(self.net, train, self.config, validation, test,
                                   continue_from=earlier)
            self.good = self.trainer.kernel.get_state()
            if earlier is None and self.trainer.initial_speed[0] is not None:
                self.send(InitialSpeed(*self.trainer.initial_speed))
            result = self.drive(self.trainer.run())
            if result.reason == "diverged":
                result = self.go_back(result)
                self.trainer = None
                while not (self.running or self.stopping):
                    self.handle(self.receive())
            if result.reason != "diverged" or self.stopping:
                break
            earlier = result
        self.shared.publish(self.last_kernel.W)
        self.send(result)
        self.ship()

    def go_back(self, result: TrainingResult) -> TrainingResult:
        """After a divergence: restore the weights of the last finished epoch (the Trainer's
        fallback, one step before the non-finite cost, is usually huge already), hand them over,
        report, and pause. Returns the result with a message that says which weights it kept."""
        kernel = self.last_kernel
        kernel.set_state(self.good)
        kernel.write_to(self.net)  # where a continued Trainer starts
        self.shared.publish(kernel.W)
        done = result.epochs_completed
        what = result.message.split(";")[0]  # the Trainer's account of what became non-finite
        where = f"the end of epoch {done}" if done else "the start"
        self.running = False
        self.send(Diverged(*self.where(), f"{what}. Went back to the weights from {where} and "
                           f"paused: lower η and resume (epoch {done + 1} runs again), or stop.",
                           self.received))
        self.ship()
        return replace(result, message=f"{what}; kept the weights from {where}")

    def drive(self, run) -> TrainingResult:
        """Consume one Trainer.run() generator; return its TrainingResult."""
        try:
            while True:
                if self.shared.signal != self.received:
                    while self.received < self.shared.signal:
                        self.handle(self.receive())
                if not self.running:
                    self.wait()
                report = next(run)
                kind = type(report)
                if kind is BatchReport:
                    self.on_batch(report)
                elif kind is EpochReport:
                    self.on_epoch(report)
                else:
                    self.last_kernel = self.trainer.kernel  # replaced after some divergences
                    self.flush()
                    return report
        finally:
            run.close()

    def on_batch(self, report: BatchReport) -> None:
        self.cost_sum += report.cost
        self.n_costs += 1
        self.last_batch = report
        now = time.perf_counter()
        if now >= self.next_report:
            self.flush()
            self.ship()
            self.next_report = now + self.job.report_interval
        if now >= self.next_publish:
            self.publish()
            self.next_publish = now + self.job.publish_interval
        if self.budget is not None:
            self.budget -= 1
            if self.budget == 0:
                self.budget = None
                if report.batch == report.n_batches:  # let this epoch's evaluation come first
                    self.to_epoch_end = True
                else:
                    self.running = False

    def on_epoch(self, report: EpochReport) -> None:
        self.flush()
        self.publish()
        self.send(report)
        self.epochs_done = report.epoch
        self.good = self.trainer.kernel.get_state()
        self.send(Snapshot(report.epoch, [w.copy() for w in self.good]))
        if self.to_epoch_end:
            self.to_epoch_end = False
            if report.epoch < report.epochs:  # after the last epoch the run simply ends
                self.running = False
        self.keep_pace()

    def keep_pace(self) -> None:
        """With a pace of p epochs per second, wait until 1/p s after the previous epoch's
        end; a command arriving meanwhile ends the wait at once (stop, pause stay prompt)."""
        now = time.perf_counter()
        pace = self.config.pace
        if pace is None or not self.running:
            self.next_epoch = now
            return
        self.ship()
        due = max(self.next_epoch, now - 1.0 / pace) + 1.0 / pace  # no catching up bursts
        if due > now and self.shared.signal == self.received:
            self.commands.poll(due - now)
        self.next_epoch = min(due, time.perf_counter())

    def wait(self) -> None:
        """Paused: report where, hand over the weights, and block on the command pipe."""
        self.flush()
        self.publish()
        epoch, batch = self.where()
        r = self.last_batch
        if r is None:
            where = "before the first mini-batch"
        elif self.epochs_done == r.epoch:
            where = f"after epoch {r.epoch}"
        else:
            where = f"after mini-batch {r.batch} of {r.n_batches} in epoch {r.epoch}"
        self.send(Paused(epoch, batch, f"paused {where}", self.received))
        self.ship()
        while not self.running:
            self.handle(self.receive())

    def where(self) -> tuple[int, int]:
        """(epoch, batch) of the last mini-batch done; (1, 0) before the first."""
        r = self.last_batch
        return (1, 0) if r is None else (r.epoch, r.batch)

    def receive(self):
        try:
            return self.commands.recv()
        except EOFError:
            raise _ParentGone from None

    def handle(self, command) -> None:
        number, name, *args = command
        self.received = number
        if name == "pause":
            self.running, self.budget, self.to_epoch_end = False, None, False
        elif name == "resume":
            self.running, self.budget, self.to_epoch_end = True, None, False
        elif name == "step":
            self.running = True
            self.budget, self.to_epoch_end = args
        elif name == "stop":
            self.stopping = self.running = True
            if self.trainer is not None:
                self.trainer.cancel()
        elif name == "hyper":
            eta, momentum, l2, pace, l1 = args
            self.config = replace(self.config, eta=eta, momentum=momentum, l2=l2, pace=pace,
                                  l1=l1)
            if self.trainer is not None:
                self.trainer.set_hyperparameters(eta, momentum, l2, l1)
        else:
            raise ValueError(f"unknown command {name!r}")

    def flush(self) -> None:
        """Report the batches since the last BatchReport as one (mean cost, last position)."""
        if self.n_costs:
            r = self.last_batch
            self.send(BatchReport(r.epoch, r.batch, r.n_batches, self.cost_sum / self.n_costs,
                                  r.eta))
            self.cost_sum, self.n_costs = 0.0, 0

    def publish(self) -> None:
        """Hand the current trainer's parameters over."""
        self.shared.publish(self.trainer.kernel.W)

    def send(self, message) -> None:
        """Queue a report; ``ship`` sends the queue. Tiny epochs (a toy set's take well under
        a millisecond) would otherwise cost a pipe write each, 10–20% of the training time."""
        self.outbox.append(message)

    def ship(self) -> None:
        if self.outbox:
            self.reports.send(self.outbox)
            self.outbox = []
