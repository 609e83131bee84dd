"""What the worker says besides the Trainer's own reports: Started, InitialSpeed, Snapshot,
Paused, Diverged, Failed.

Also the ``Event`` union that ``BackgroundTraining.poll()`` yields, the worker's ``STATES`` and
``KEEP``, the "leave this setting as it is" marker of ``set_hyperparameters``. No Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.training import BatchReport, EpochReport, TrainingResult

STATES = ("idle", "running", "paused", "finished", "failed", "closed")


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
class InitialSpeed:
    """Each layer's learning speed ‖∂E/∂b^l‖ (and ‖∂E/∂w^l‖ if asked for) before the first
    mini-batch, layer 1 first (see nnviz.core.learning); sent once, after Started. Later ones
    come with every EpochReport."""

    learning_speed: list | None
    weight_speed: list | None


@dataclass(frozen=True)
class Snapshot:
    """The parameters after epoch ``epoch``, sent right after its EpochReport: the kernel's
    augmented matrices [w^l | b^l] in its dtype (for the run's timeline, nnviz.core.timeline)."""

    epoch: int
    parameters: list


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

Event = (BatchReport | EpochReport | TrainingResult | Started | InitialSpeed | Snapshot | Paused
         | Diverged | Failed)
