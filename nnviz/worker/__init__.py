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

The package, bottom to top (no module imports one above it):

* ``events``: what the child says besides the Trainer's reports (Started, Paused, Diverged,
  Failed), the ``Event`` union, ``STATES`` and ``KEEP``;
* ``shared``: ``SharedParameters``, the seqlocked shared-memory block, and ``_split``;
* ``child``: the child process (``_child_main``, the spawn target, and ``_Child``), the ``_Job``
  it is given, and the single-threaded BLAS it is started with; it never imports ``parent``;
* ``parent``: ``BackgroundTraining``, the parent's handle on the child.
"""

from __future__ import annotations

import importlib

__all__ = ["BackgroundTraining", "SharedParameters", "Started", "InitialSpeed", "Snapshot",
           "Paused", "Diverged", "Failed", "Event", "KEEP", "STATES"]

#: Where each name lives. Loaded on first use (PEP 562), so that a window which has not trained
#: yet has not paid for multiprocessing and shared memory at start-up (~15 ms).
_HOME = {"BackgroundTraining": "parent", "SharedParameters": "shared",
         **{name: "events" for name in ("Started", "InitialSpeed", "Snapshot", "Paused",
                                        "Diverged", "Failed", "Event", "KEEP", "STATES")},
         # Not public, but the tests check the environment the child starts in through these.
         "_BLAS_THREAD_VARIABLES": "child", "_single_threaded_blas": "child"}


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
