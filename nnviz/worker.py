"""Training in a separate process, with the weights handed back through shared memory. No Qt.

A training loop in a thread of the GUI process holds the GIL in bursts (measured: the Qt event
loop ran up to 26 ms late at p99); in a child process it cannot, and the event loop stays within
1 ms. So ``BackgroundTraining`` runs ``core.training.Trainer`` in a child process:

    job = BackgroundTraining(net, TrainConfig(eta=3.0, epochs=30), DataSpec.mnist())
    job.start()
    # every frame (e.g. a 16 ms QTimer):
    for event in job.poll():              # BatchReport, EpochReport, TrainingResult, and the
        ...                               # worker's own Started, Paused, Diverged, Failed
    got = job.snapshot(since=version)     # (version, weights, biases) when newer, else None
    ...
    job.close()                           # always: ends the process, frees the shared memory

Three channels, each for what it carries best:

* commands (pause, step, η, …) go down a pipe; the parent also counts them in a shared word,
  so between mini-batches the child reads that word (0.1 µs) instead of polling the pipe (3 µs,
  5% of a 784-30-10 mini-batch of 10), and reads the pipe only when the count has moved;
* reports come up a pipe, in order, shipped as lists at most every ``report_interval`` (and at
  once when the child pauses, diverges or ends): the mini-batches since the last shipment as
  one BatchReport (their mean cost, the last one's position and η; never across an epoch's
  end), every EpochReport, and the TrainingResult last;
* parameters go through ``SharedParameters``, a seqlock over one shared-memory block: the child
  publishes at most every ``publish_interval``, at each epoch end, when it pauses and when it
  ends; the parent copies them out whenever it likes. Neither side ever waits for the other.

The child is started with "spawn" (a Qt process has threads, and fork copies only the calling
one, with whatever locks the others held). MNIST is not pickled to it: ``DataSpec`` describes the
data and the child loads it (≈0.3 s); small in-memory Datasets (toy sets) are sent as they are.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing as mp
import os
import secrets
import signal
import time
import traceback
import weakref
from dataclasses import dataclass, replace
from multiprocessing.shared_memory import SharedMemory
from typing import Sequence, Union

import numpy as np

from .data.dataset import Dataset
from .data.spec import DataSpec
from .core.network import Network
from .core.training import BatchReport, EpochReport, Trainer, TrainConfig, TrainingResult

STATES = ("idle", "running", "paused", "finished", "failed", "closed")


# -- what the worker says besides the Trainer's own reports ----------------------------------

@dataclass(frozen=True)
class Started:
    """The child has loaded its data and is about to train.

    startup_seconds : from ``start()`` to now (process start, imports, data loading);
    load_seconds : the data-loading part of it. n_train, n_validation, n_test : sample counts.
    """

    startup_seconds: float
    load_seconds: float
    n_train: int
    n_validation: int
    n_test: int


@dataclass(frozen=True)
class Paused:
    """The child has stopped between mini-batches and waits (using no CPU) for a command.

    epoch, batch : the last mini-batch done (batch 0: none yet in that epoch).
    command : number of the last command the child had received (used to order state changes).
    """

    epoch: int
    batch: int
    message: str
    command: int


@dataclass(frozen=True)
class Diverged:
    """The cost (or a weight) became NaN or infinite. The child went back to the weights of the
    last finished epoch (or the starting weights), published them (also kept as
    ``BackgroundTraining.last_good_parameters``) and paused: lower η and resume, which runs the
    cut epoch again from those weights, or stop. epoch, batch : the last mini-batch done."""

    epoch: int
    batch: int
    message: str
    command: int


@dataclass(frozen=True)
class Failed:
    """The child ended without finishing: an exception (``details`` holds the traceback) or the
    process died (``exitcode``; negative: killed by that signal)."""

    message: str
    exitcode: int | None = None
    details: str = ""


KEEP = object()  # "leave this setting as it is" (None is a value: full speed)

Event = Union[BatchReport, EpochReport, TrainingResult, Started, Paused, Diverged, Failed]


# -- parameters in shared memory -------------------------------------------------------------

class SharedParameters:
    """A list of arrays in one shared-memory block: one process writes, others read copies.

    A seqlock makes every copy consistent: the writer makes the sequence number odd, writes,
    and makes it even; a reader notes the number, copies, and keeps the copy only if the number
    was even and has not moved. The writer never waits; a reader retries (the trainer publishes
    every ~30 ms and a copy of 784-30-10 takes ~10 µs, so retries are rare). The version of a
    publication is the sequence number / 2, so 0 means nothing published yet.

    Ordering: this relies on the writer's stores reaching other cores in program order and the
    reader's loads happening in program order, which x86-64 guarantees; each step here is a
    separate numpy call, so the compiler cannot merge them.

    Layout: 64 header bytes (int64 words: 0 the sequence number, 1 ``signal``, a counter the
    owner may use to tell the writer something changed), then each array, 64-byte aligned.
    The creating process owns the block: its ``close()`` also unlinks the name.
    """

    HEADER = 64

    def __init__(self, shm: SharedMemory, shapes, dtype, owner: bool) -> None:
        self._shm, self._owner, self.name = shm, owner, shm.name
        self.shapes = [tuple(int(n) for n in s) for s in shapes]
        self.dtype = np.dtype(dtype)
        self._words = np.ndarray((2,), np.int64, buffer=shm.buf)
        self._views = []
        offset = self.HEADER
        for shape in self.shapes:
            self._views.append(np.ndarray(shape, self.dtype, buffer=shm.buf, offset=offset))
            offset += -(-math.prod(shape) * self.dtype.itemsize // 64) * 64

    @classmethod
    def nbytes(cls, shapes, dtype) -> int:
        item = np.dtype(dtype).itemsize
        return cls.HEADER + sum(-(-math.prod(s) * item // 64) * 64 for s in shapes)

    @classmethod
    def create(cls, shapes, dtype) -> "SharedParameters":
        """A new zeroed block named ``nnviz-<pid>-<random>``, owned by this process."""
        name = f"nnviz-{os.getpid()}-{secrets.token_hex(4)}"
        shm = SharedMemory(name, create=True, size=cls.nbytes(shapes, dtype))
        return cls(shm, shapes, dtype, owner=True)

    @classmethod
    def attach(cls, name: str, shapes, dtype) -> "SharedParameters":
        """Open the block another process created (shapes and dtype as it gave them)."""
        return cls(SharedMemory(name), shapes, dtype, owner=False)

    @property
    def version(self) -> int:
        """Number of completed publications (a publication in progress is not counted)."""
        return int(self._words[0]) // 2

    @property
    def signal(self) -> int:
        return int(self._words[1])

    @signal.setter
    def signal(self, value: int) -> None:
        self._words[1] = value

    def publish(self, arrays: Sequence[np.ndarray]) -> int:
        """Copy ``arrays`` (the shapes given at creation) in as the next version; return it.
        Only one process may publish."""
        seq = int(self._words[0])
        self._words[0] = seq + 1  # odd: a write is in progress
        for view, a in zip(self._views, arrays):
            np.copyto(view, a, casting="same_kind")
        self._words[0] = seq + 2
        return seq // 2 + 1

    def read(self, since: int | None = None,
             timeout: float = 0.05) -> tuple[int, list[np.ndarray]] | None:
        """(version, copies of the arrays) of the latest publication.

        None when nothing was published yet, when the latest version is ``since``, or when no
        consistent copy could be made within ``timeout`` seconds (a writer stopped mid-write).
        """
        deadline = time.perf_counter() + timeout
        while True:
            seq = int(self._words[0])
            if seq == 0 or (since is not None and seq // 2 == since and seq % 2 == 0):
                return None
            if seq % 2 == 0:
                copies = [view.copy() for view in self._views]
                if int(self._words[0]) == seq:
                    return seq // 2, copies
            if time.perf_counter() > deadline:
                return None

    def close(self) -> None:
        """Unmap the block (and unlink its name if this process created it). Idempotent."""
        if self._shm is None:
            return
        self._words, self._views = None, []  # no view may outlive the mapping
        shm, self._shm = self._shm, None
        shm.close()
        if self._owner:
            try:
                shm.unlink()
            except FileNotFoundError:
                pass


def _split(W: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Augmented matrices [w^l | b^l] → float64 (weights, biases), shapes as in network.py."""
    return ([w[:, :-1].astype(np.float64) for w in W],
            [w[:, -1].astype(np.float64) for w in W])


# -- the parent's side -----------------------------------------------------------------------

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


class BackgroundTraining:
    """Trains a copy of ``net`` in a child process (see the module docstring).

    net : the network to start from (copied; ``net`` itself is never changed: apply
          ``final_parameters()`` or snapshots to it yourself). config : the run's TrainConfig.
    data : a DataSpec. start_method : "spawn" (default) or "forkserver"; never "fork".
    report_interval : seconds between shipments of reports (the batch reports of one shipment
          are coalesced). publish_interval : seconds between parameter publications during an
          epoch (there is one at every epoch end too).

    Commands (pause, resume, step_batches, step_epoch, stop, set_hyperparameters) return at
    once; the child applies them before its next mini-batch. They are ignored once the worker
    has finished, failed or been closed. ``state`` follows what poll() has received: call poll()
    regularly (it also notices a dead child).
    """

    def __init__(self, net: Network, config: TrainConfig, data: DataSpec, *,
                 start_method: str = "spawn", report_interval: float = 0.02,
                 publish_interval: float = 0.03) -> None:
        if start_method not in ("spawn", "forkserver"):
            raise ValueError(f"start_method must be 'spawn' or 'forkserver', got {start_method!r}"
                             " (fork is unsafe in a process with threads, as a Qt app has)")
        self._config = replace(config).validate()
        data.check(net.sizes)
        self._net, self._data = net.copy(), data
        self._start_method = start_method
        self._intervals = (float(report_interval), float(publish_interval))
        self._state = "idle"
        self._process = None
        self._shared: SharedParameters | None = None
        self._commands = self._reports = None
        self._finalizer = None
        self._sent = 0          # number of the last command sent
        self._last_control = 0  # number of the last command that changes running/paused
        self._inbox: list = []
        self._eof = False
        self._final = self._last_good = None
        self.result: TrainingResult | None = None

    # -- life cycle ---------------------------------------------------------------------------
    def start(self, paused: bool = False) -> None:
        """Start the child. paused=True: it loads its data, then waits for a command before
        the first mini-batch (for "one mini-batch" straight from idle)."""
        if self._state != "idle":
            raise RuntimeError(f"start() called on a worker that is {self._state}")
        ctx = mp.get_context(self._start_method)
        shapes = [(n, n_prev + 1) for n_prev, n in zip(self._net.sizes, self._net.sizes[1:])]
        self._shared = SharedParameters.create(shapes, self._config.dtype)
        self._shared.publish([np.concatenate([w, b[:, None]], axis=1)
                              for w, b in zip(self._net.weights, self._net.biases)])
        skeleton = self._net.copy()
        skeleton.weights, skeleton.biases = [], []
        commands_in, self._commands = ctx.Pipe(duplex=False)
        self._reports, reports_out = ctx.Pipe(duplex=False)
        job = _Job(skeleton, self._config, self._data, self._shared.name, shapes, paused,
                   *self._intervals, time.time())
        self._process = ctx.Process(target=_child_main, args=(job, commands_in, reports_out),
                                    name="nnviz-training", daemon=True)
        self._finalizer = weakref.finalize(self, _release, self._process, self._shared,
                                           (self._commands, self._reports))
        try:
            with _single_threaded_blas():
                self._process.start()
        except BaseException:
            self._finalizer()
            self._state = "closed"
            raise
        finally:
            # Only the child keeps these ends, so its death shows here as EOF/broken pipe.
            commands_in.close()
            reports_out.close()
        self._state = "paused" if paused else "running"

    def close(self, timeout: float = 1.0) -> None:
        """End the worker within ``timeout`` seconds and free everything. Idempotent.

        A running child is asked to stop (it then ends between mini-batches and sends its
        TrainingResult, kept for poll() and final_parameters()); one that has not ended by half
        the timeout is terminated, then killed. The shared memory is unmapped and unlinked.
        """
        if self._state == "closed":
            return
        if self._process is not None:
            deadline = time.perf_counter() + timeout / 2
            if self._process.exitcode is None and self._state in ("running", "paused"):
                self._send("stop")
            while self._process.exitcode is None and time.perf_counter() < deadline:
                self._drain()  # keeps the child's report pipe from filling while it finishes
                self._process.join(0.005)
            self._drain()
            self._finalizer()
        self._state, self._eof = "closed", True

    def __enter__(self) -> "BackgroundTraining":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what the GUI reads -------------------------------------------------------------------
    @property
    def state(self) -> str:
        """One of STATES: idle, running, paused, finished, failed, closed."""
        return self._state

    @property
    def config(self) -> TrainConfig:
        """The configuration, with the hyper-parameters as last set."""
        return replace(self._config)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def shared_memory_name(self) -> str | None:
        return None if self._shared is None else self._shared.name

    def is_alive(self) -> bool:
        """True while the child process exists."""
        return self._process is not None and self._process.is_alive()

    def poll(self) -> list[Event]:
        """Everything the child reported since the last call, in order; never blocks.

        BatchReport (coalesced: ``cost`` is the mean of the batch costs since the previous one),
        EpochReport (every one), TrainingResult (last), and Started, Paused, Diverged, Failed.
        A child that died without a result yields a Failed event with its exit code.
        """
        self._drain()
        events, self._inbox = self._inbox, []
        return events

    def snapshot(self, since: int | None = None
                 ) -> tuple[int, list[np.ndarray], list[np.ndarray]] | None:
        """(version, weights, biases) of the latest published parameters, as float64 copies
        (weights[l-1] shape (n_l, n_(l−1)), biases[l-1] shape (n_l,)); never a torn mix.
        None if nothing is published yet, the latest version is ``since``, or the worker is
        closed."""
        if self._shared is None or self._state == "closed":
            return None
        got = self._shared.read(since)
        if got is None:
            return None
        version, W = got
        return (version, *_split(W))

    def final_parameters(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(weights, biases), float64, as the run ended (finished, stopped, early-stopped, or
        the last good ones after a divergence). Raises RuntimeError before the end."""
        if self._final is None:
            raise RuntimeError(f"no final parameters: the training is {self._state}")
        return [w.copy() for w in self._final[0]], [b.copy() for b in self._final[1]]

    def last_good_parameters(self) -> tuple[list[np.ndarray], list[np.ndarray]] | None:
        """After a divergence, the (weights, biases) of the last finished epoch (or the starting
        ones), which the worker went back to; None if it never diverged."""
        if self._last_good is None:
            return None
        return [w.copy() for w in self._last_good[0]], [b.copy() for b in self._last_good[1]]

    # -- commands -----------------------------------------------------------------------------
    def pause(self) -> None:
        """Stop before the next mini-batch; the child then waits without using the CPU."""
        if self._send("pause", control=True):
            self._state = "paused"

    def resume(self) -> None:
        """Carry on; after a divergence, from the last good weights (lower η first)."""
        if self._send("resume", control=True):
            self._state = "running"

    def step_batches(self, n: int = 1) -> None:
        """Run ``n`` more mini-batches, then pause (the epoch's evaluation is included when the
        last of them ends an epoch)."""
        if int(n) != n or n < 1:
            raise ValueError(f"the number of mini-batches must be at least 1, got {n}")
        if self._send("step", int(n), False, control=True):
            self._state = "running"

    def step_epoch(self) -> None:
        """Run to the end of the current epoch (a whole epoch when paused between two), then
        pause."""
        if self._send("step", None, True, control=True):
            self._state = "running"

    def stop(self) -> None:
        """End the run between mini-batches; a TrainingResult and final_parameters() follow."""
        self._send("stop", control=True)

    def set_hyperparameters(self, eta: float | None = None, momentum: float | None = None,
                            l2: float | None = None, pace=KEEP) -> None:
        """Change η, μ or λ from the child's next mini-batch on, and the pace (epochs per
        second, None: full speed) from its next epoch on. Raises ValueError at once for values
        TrainConfig refuses."""
        new = replace(self._config,
                      eta=self._config.eta if eta is None else float(eta),
                      momentum=self._config.momentum if momentum is None else float(momentum),
                      l2=self._config.l2 if l2 is None else float(l2),
                      pace=self._config.pace if pace is KEEP else pace).validate()
        self._config = new
        self._send("hyper", new.eta, new.momentum, new.l2, new.pace)

    # -- plumbing -----------------------------------------------------------------------------
    def _send(self, name: str, *args, control: bool = False) -> bool:
        """Send a command and count it in the shared signal word; False if nobody listens."""
        if self._state == "idle":
            raise RuntimeError("start() the worker first")
        self._drain()  # a child blocked on a full report pipe could not read commands
        if self._state not in ("running", "paused"):
            return False
        self._sent += 1
        try:
            self._commands.send((self._sent, name, *args))
        except OSError:  # the child is gone; the next poll() reports how
            return False
        self._shared.signal = self._sent  # after the send: a counted command is in the pipe
        if control:
            self._last_control = self._sent
        return True

    def _drain(self) -> None:
        """Move the child's reports into the inbox; notice a child that died."""
        if self._reports is None or self._eof:
            return
        dead = self._process.exitcode is not None  # before reading, so nothing sent is missed
        try:
            while self._reports.poll():
                for event in self._reports.recv():
                    self._accept(event)
        except (EOFError, OSError):
            self._eof = dead = True
        if dead and self._state in ("running", "paused"):
            self._process.join(0.2)  # it closed its pipe: it is exiting
            self._accept(Failed(_exit_message(self._process.exitcode), self._process.exitcode))

    def _accept(self, event) -> None:
        if isinstance(event, TrainingResult):
            params = self._read_parameters()  # the child published them just before
            self._final = params if params is not None else self._last_good
            self.result, self._state = event, "finished"
        elif isinstance(event, Diverged):
            self._last_good = self._read_parameters()
            if event.command >= self._last_control:
                self._state = "paused"
        elif isinstance(event, Paused):
            if event.command >= self._last_control:  # not a pause a later command undid
                self._state = "paused"
        elif isinstance(event, Failed):
            self._state = "failed"
        self._inbox.append(event)

    def _read_parameters(self):
        got = self._shared.read() if self._shared is not None else None
        return None if got is None else _split(got[1])


def _exit_message(code: int | None) -> str:
    if code is None:
        return "the training process closed its connection unexpectedly before it finished"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the training process was killed ({name}) before it finished"
    return f"the training process ended unexpectedly (exit code {code}) before it finished"


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


def _release(process, shared: SharedParameters, connections) -> None:
    """End the child (terminate, then kill) and free the pipes and shared memory. Runs once:
    from close(), or when the BackgroundTraining is garbage-collected or the program exits."""
    if process.pid is not None:
        if process.exitcode is None:
            process.terminate()
            process.join(0.3)
        if process.exitcode is None:
            process.kill()
        process.join()
    for conn in connections:
        conn.close()
    shared.close()


# -- the child's side ------------------------------------------------------------------------

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
            eta, momentum, l2, pace = args
            self.config = replace(self.config, eta=eta, momentum=momentum, l2=l2, pace=pace)
            if self.trainer is not None:
                self.trainer.set_hyperparameters(eta, momentum, l2)
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
