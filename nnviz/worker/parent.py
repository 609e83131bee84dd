"""The parent's side: ``BackgroundTraining``, the handle the GUI holds on a training process.

It starts the child (``child._child_main``, with "spawn"), sends it commands, collects its
reports and copies the weights out of the shared memory; ``_release`` ends the child and frees
everything, ``_exit_message`` says how a child that died without a result ended. No Qt.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import time
import weakref
from dataclasses import replace

import numpy as np

from ..core.network import Network
from ..core.training import TrainConfig, TrainingResult
from ..data.spec import DataSpec
from .child import _child_main, _Job, _single_threaded_blas
from .events import KEEP, Diverged, Event, Failed, Paused
from .shared import SharedParameters, _split


class BackgroundTraining:
    """Trains a copy of ``net`` in a child process (see the docstring of ``nnviz.worker``).

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
        self._at_death = None  # (version, W) last published by a child that died
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

    def __enter__(self) -> BackgroundTraining:
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
    def process(self):
        """The worker process (a ``multiprocessing`` Process), None before ``start``."""
        return self._process

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
        closed. After a child died (Failed) its shared memory is freed at once and this gives
        the parameters it last published."""
        if self._state == "closed":
            return None
        if self._shared is None:  # a dead child's block is freed: its last parameters
            got = self._at_death if (self._at_death is not None
                                     and self._at_death[0] != since) else None
        else:
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
                            l2: float | None = None, pace=KEEP,
                            l1: float | None = None) -> None:
        """Change η, μ or the λs (L2, L1) from the child's next mini-batch on, and the pace
        (epochs per second, None: full speed) from its next epoch on. Raises ValueError at once
        for values TrainConfig refuses."""
        new = replace(self._config,
                      eta=self._config.eta if eta is None else float(eta),
                      momentum=self._config.momentum if momentum is None else float(momentum),
                      l2=self._config.l2 if l2 is None else float(l2),
                      l1=self._config.l1 if l1 is None else float(l1),
                      pace=self._config.pace if pace is KEEP else pace).validate()
        self._config = new
        self._send("hyper", new.eta, new.momentum, new.l2, new.pace, new.l1)

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
            # Nothing will write the block again: keep its last parameters and free it now,
            # rather than leave the name to the resource tracker until the program exits.
            if self._process.exitcode is not None and self._shared is not None:
                self._at_death = self._shared.read()
                self._finalizer()
                self._shared = None

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

