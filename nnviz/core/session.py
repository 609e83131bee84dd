"""The training session: what several views share about training, with no Qt.

- ``TrainingSettings``: η, mini-batch, epochs, L2, momentum, schedule, early stopping, seed, pace
  and the MNIST data source (folder, subset, validation split). Setting a field to a new value
  announces it to the field's observers (``observe``), so the Training dock and the playground
  show one set of settings, each bound to it, instead of two sets kept in step by hand.
- ``TrainingState``: idle / starting / running / paused / finished / failed, as one enum.
- ``Curve`` and ``Run``: a run's settings and its bounded curves, kept for comparison.
- ``TrainingSession``: the settings, the runs and the state together.

The Qt side (``ui/training/controller.py``) drives the background worker, writes the state and
the runs here, and announces them to its views.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from ..constants import MNIST_CLASSES, MNIST_INPUTS, is_mnist_shaped
from ..data.dataset import Dataset
from ..data.spec import DataSpec
from .timeline import Timeline
from .training import TrainConfig, TrainingResult

#: At most this many points per curve: older points are merged pairwise beyond it.
MAX_POINTS = 2000


class TrainingState(enum.Enum):
    """Where a training run is. ``active``: a run exists and may go on (starting, running or
    paused); ``live``: it is learning now (starting or running)."""

    IDLE = "idle"
    STARTING = "starting"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    FAILED = "failed"

    @property
    def active(self) -> bool:
        return self in (TrainingState.STARTING, TrainingState.RUNNING, TrainingState.PAUSED)

    @property
    def live(self) -> bool:
        return self in (TrainingState.STARTING, TrainingState.RUNNING)

    @property
    def toggle_text(self) -> str:
        """What a Train / Pause / Resume button does in this state: "Pause" while live,
        "Resume" when paused, else "Train"."""
        return "Pause" if self.live else "Resume" if self is TrainingState.PAUSED else "Train"


class Observable:
    """Fields that announce their changes: ``observe(callback, name)`` calls
    ``callback(name, value)`` after ``name`` is set to a value different from the one it had
    (name None: after any field changes). A mixin for dataclasses.

    (An evented-dataclass library did this too, but its import alone added ~25 ms to the
    window's start, measured with ``nnviz bench startup``; this is all nnviz needs of it.)"""

    def __setattr__(self, name: str, value) -> None:
        old = self.__dict__.get(name, Observable)
        object.__setattr__(self, name, value)
        if old is Observable or old == value:
            return
        observers = self.__dict__.get("_observers", {})
        for callback in [*observers.get(name, ()), *observers.get(None, ())]:
            callback(name, value)

    def observe(self, callback: Callable[[str, object], None], name: str | None = None) -> None:
        if name is not None and name not in self.__dict__:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        self.__dict__.setdefault("_observers", {}).setdefault(name, []).append(callback)

    def unobserve(self, callback, name: str | None = None) -> None:
        """Stop calling ``callback`` for ``name`` (nothing happens if it was not observing)."""
        callbacks = self.__dict__.get("_observers", {}).get(name, [])
        if callback in callbacks:
            callbacks.remove(callback)


@dataclass
class TrainingSettings(Observable):
    """The settings of the next run (and the live ones of the run going on: ``LIVE``).

    eta, batch_size, epochs, l2, l1, momentum, schedule, seed: as in TrainConfig. early_stop: epochs
    without improvement before stopping (0: off). pace: at most this many epochs per second (0:
    full speed). The MNIST source: ``folder`` (None: the bundled files), ``subset`` (the first N
    training images; 0: all) and ``validation`` (images split off for validation)."""

    eta: float = TrainConfig.eta
    batch_size: int = TrainConfig.batch_size
    epochs: int = TrainConfig.epochs
    l2: float = TrainConfig.l2
    l1: float = TrainConfig.l1
    momentum: float = TrainConfig.momentum
    schedule: str = TrainConfig.schedule
    early_stop: int = 0
    seed: int = 0
    pace: float = 0.0
    folder: str | None = None
    subset: int = 0
    validation: int = 0

    #: Settings a running job takes at once.
    LIVE = ("eta", "momentum", "l2", "l1", "pace")

    def config(self) -> TrainConfig:
        """The TrainConfig of a run with these settings (ValueError for a bad value)."""
        return TrainConfig(eta=self.eta, batch_size=self.batch_size, epochs=self.epochs,
                           momentum=self.momentum, l2=self.l2, l1=self.l1, schedule=self.schedule,
                           seed=self.seed, early_stop=self.early_stop or None,
                           evaluate_train=True, pace=self.pace or None).validate()

    def take_hint(self, hint: TrainConfig | None) -> None:
        """η, mini-batch, epochs, L2, L1, momentum and pace from ``hint``, a TrainConfig that suits
        some data; None: back to full speed (a pace belongs to the data it was suggested for)."""
        if hint is None:
            self.pace = 0.0
            return
        self.eta, self.batch_size, self.epochs = hint.eta, hint.batch_size, hint.epochs
        self.l2, self.momentum, self.pace = hint.l2, hint.momentum, hint.pace or 0.0
        self.l1 = hint.l1

    def take_recipe(self, recipe: TrainConfig) -> None:
        """All of a preset's recipe (see recipes.py): η, mini-batch, epochs, L2, momentum,
        schedule and pace."""
        self.take_hint(recipe)
        self.schedule = recipe.schedule

    def data_spec(self, sizes, train: Dataset | None, test: Dataset | None) -> DataSpec:
        """What a network of layer sizes ``sizes`` trains on: its own data ``train`` (and
        ``test``) when it has them, else MNIST as these settings describe it. ValueError, in
        plain words, when there is nothing to train on or early stopping lacks a validation
        set."""
        if not is_mnist_shaped(sizes) or train is not None:
            if train is None:
                raise ValueError(f"There is no training data for a {'-'.join(map(str, sizes))}"
                                 f" network: MNIST needs {MNIST_INPUTS} inputs and "
                                 f"{MNIST_CLASSES} outputs.")
            return DataSpec(train=train, test=test or train)
        if self.early_stop and not self.validation:
            raise ValueError("Early stopping needs a validation set: set Validation above 0.")
        return DataSpec.mnist(self.folder, self.subset or None, None, self.validation,
                              self.seed)


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


def run_name(number: int, sizes, config: TrainConfig, label: str = "") -> str:
    """"run 3: 2-4-1, η=0.5, m=4" (and ", ``label``")."""
    return (f"run {number}: {'-'.join(map(str, sizes))}, η={config.eta:g}, "
            f"m={config.batch_size}" + (f", {label}" if label else ""))


@dataclass
class Run:
    """A finished (or running) training run: its settings and curves, kept for comparison."""

    name: str
    settings: dict
    batch_cost: Curve = field(default_factory=Curve)  # x: epochs (fractional)
    epochs: list = field(default_factory=list)  # EpochReport
    result: TrainingResult | None = None
    diverged: bool = False
    label: str = ""  # added to the name (a sweep's run says which)
    initial_speed: list | None = None  # each layer's learning speed before the first batch
    timeline: Timeline = field(default_factory=Timeline)  # the parameters epoch by epoch

    def speeds(self) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, speeds): the epochs whose layers' learning speeds were measured (0: the
        start) and those speeds, shape (epochs, L); empty when none were. After a change of
        structure (a layer added while it trained) only the epochs with the latest number of
        layers."""
        xs, ys = [], []
        if self.initial_speed is not None:
            xs.append(0)
            ys.append(self.initial_speed)
        for e in self.epochs:
            if e.learning_speed is not None:
                xs.append(e.epoch)
                ys.append(e.learning_speed)
        # a run continued after a change of structure: the epochs of its latest structure
        kept = [(x, y) for x, y in zip(xs, ys) if len(y) == len(ys[-1])] if ys else []
        if not kept:
            return np.zeros(0), np.zeros((0, 0))
        return np.asarray([x for x, _ in kept], float), np.asarray([y for _, y in kept], float)

    def epoch_series(self, key: str):
        xs = [e.epoch for e in self.epochs if getattr(e, key) is not None]
        ys = [getattr(e, key) for e in self.epochs if getattr(e, key) is not None]
        return np.asarray(xs, float), np.asarray(ys, float)

    @property
    def going_on(self) -> bool:
        """Neither finished nor diverged: a later job may continue it."""
        return self.result is None and not self.diverged


class TrainingSession:
    """The settings, the runs (the current one last) and the state of training."""

    def __init__(self, settings: TrainingSettings | None = None) -> None:
        self.settings = settings if settings is not None else TrainingSettings()
        self.state = TrainingState.IDLE
        self.runs: list[Run] = []
        self.run: Run | None = None  # the current (or last) run
        self.has_accuracy = True  # the run's data have an accuracy (labels or 0/1 targets)
        self.offset = 0  # epochs of the run done by earlier jobs (a run continued after a change)
        self.continuing = False  # the job now starting continues self.run
        self.hint: TrainConfig | None = None  # the last data's suggested settings, taken once

    def begin_run(self, sizes, config: TrainConfig, label: str = "") -> Run:
        """A new run of a network of ``sizes`` with ``config``, made current."""
        self.run = Run(run_name(len(self.runs) + 1, sizes, config, label),
                       {"sizes": list(sizes), **asdict(config)}, label=label)
        self.runs.append(self.run)
        return self.run

    def go_on_with_run(self, sizes, config: TrainConfig) -> Run:
        """The current run goes on (after a change made while it trained) with a network of
        ``sizes`` and ``config`` (whose epochs are the job's, not the run's): its settings and
        name follow them."""
        run = self.run
        run.settings.update({k: v for k, v in asdict(config).items() if k != "epochs"},
                            sizes=list(sizes))
        run.name = run_name(self.runs.index(run) + 1, sizes, config, run.label)
        return run

    def take_hint(self, hint: TrainConfig | None) -> bool:
        """Apply the settings suggested for new data (once: the user's later changes stay),
        unless a run is going on. True when they were applied."""
        if hint is self.hint or self.state.active:
            return False
        self.hint = hint
        self.settings.take_hint(hint)
        return True
