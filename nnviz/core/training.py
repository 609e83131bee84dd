"""Mini-batch stochastic gradient descent, as a generator of progress reports.

    trainer = Trainer(net, mnist.train, TrainConfig(eta=3.0, epochs=30), test=mnist.test)
    for report in trainer.run():          # BatchReport after every mini-batch,
        ...                               # EpochReport after every epoch,
    result = trainer.result               # and finally a TrainingResult (also the last report)

The trainer works on its own copy of the parameters (float32 by default, see kernel.py) and
writes them back into ``net`` after every epoch and when it finishes, so ``net`` always holds
finite float64 weights that some epoch produced. A GUI runs ``run()`` off its own thread or
process; every report is a small dataclass of plain numbers.

Cancelling: call ``cancel()`` (or set the ``stop`` event) from anywhere; the trainer stops
between two mini-batches. Closing the generator has the same effect.

Continuing: ``Trainer(net, train, config, continue_from=result)`` carries on a run that ended
early (e.g. diverged, then η was lowered): epochs are numbered on from the last finished one,
the η schedule resumes where it was, and the new result covers the whole run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from ..data.dataset import Dataset
from .kernel import Kernel
from .learning import SPEED_SAMPLE, SpeedProbe
from .network import Network

SCHEDULES = ("constant", "cosine", "step")


@dataclass
class TrainConfig:
    """Hyper-parameters of a training run.

    eta : learning rate η. batch_size : mini-batch size m. epochs : passes over the data.
    momentum : μ in v ← μv − η∇, w ← w + v (0 for plain SGD).
    l2 : λ of L2 regularisation, as Nielsen defines it: cost + (λ/2n) Σ w², n the training-set
         size, which makes each step shrink the weights (not the biases) by 1 − ηλ/n.
    l1 : λ of L1 regularisation: cost + (λ/n) Σ |w|, whose gradient (λ/n) sign(w) moves each
         weight (not the biases) ηλ/n towards 0 at each step.
    schedule : "constant"; "cosine" (η·½(1 + cos πt/T) over all T mini-batches); "step" (η
               halves every ``step_epochs`` epochs).
    seed : seed of the shuffling (None: a fresh random order).
    early_stop : stop after this many epochs without improvement on the validation set
                 (accuracy, or cost for non-label targets), keeping the best weights; None: off.
    dtype : "float32" (bulk training) or "float64" (exact, as the stepping views use).
    evaluate_train : also evaluate the whole training set after each epoch (slower; otherwise
                     the epoch's train cost is the mean of its mini-batch costs).
    pace : at most this many epochs per second (None: as fast as possible). A toy set of 200
           points trains 1000 epochs in about a second; a pace makes that a run one can watch.
           The background worker honours it (waiting between epochs); Trainer.run ignores it.
    speed_sample : measure each layer's learning speed ‖∂E/∂b^l‖ on the first this many training
                   samples at the start and after every epoch (0: not at all); see learning.py.
    weight_speed : also measure ‖∂E/∂w^l‖ then.
    speed_share : spend at most about this share of the training time measuring speeds: an
                  epoch far shorter than a measurement (a toy set's) is then measured only
                  every few epochs (the others' learning_speed is None), the last always.
                  None: after every epoch.
    """

    eta: float = 3.0
    batch_size: int = 10
    epochs: int = 30
    momentum: float = 0.0
    l2: float = 0.0
    l1: float = 0.0
    schedule: str = "constant"
    step_epochs: int = 10
    seed: int | None = None
    early_stop: int | None = None
    dtype: str = "float32"
    evaluate_train: bool = False
    pace: float | None = None
    speed_sample: int = SPEED_SAMPLE
    weight_speed: bool = False
    speed_share: float | None = 0.1

    def validate(self) -> TrainConfig:
        """Raise ValueError with a clear message for any value out of range; return self."""
        checks = [
            (math.isfinite(self.eta) and self.eta > 0,
             f"η must be a positive number, got {self.eta}"),
            (self.batch_size >= 1, f"batch size must be at least 1, got {self.batch_size}"),
            (self.epochs >= 1, f"epochs must be at least 1, got {self.epochs}"),
            (math.isfinite(self.momentum) and 0 <= self.momentum < 1,
             f"momentum must be in [0, 1), got {self.momentum}"),
            (math.isfinite(self.l2) and self.l2 >= 0, f"L2 λ must be ≥ 0, got {self.l2}"),
            (math.isfinite(self.l1) and self.l1 >= 0, f"L1 λ must be ≥ 0, got {self.l1}"),
            (self.schedule in SCHEDULES,
             f"schedule must be one of {', '.join(SCHEDULES)}, got {self.schedule!r}"),
            (self.step_epochs >= 1, f"step_epochs must be at least 1, got {self.step_epochs}"),
            (self.early_stop is None or self.early_stop >= 1,
             f"early-stopping patience must be at least 1 epoch, got {self.early_stop}"),
            (self.dtype in ("float32", "float64"),
             f"dtype must be float32 or float64, got {self.dtype!r}"),
            (self.pace is None or (math.isfinite(self.pace) and self.pace > 0),
             f"the pace must be a positive number of epochs per second, got {self.pace}"),
            (self.speed_sample >= 0,
             f"the learning-speed sample must be ≥ 0 samples, got {self.speed_sample}"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
        return self


@dataclass(slots=True)
class BatchReport:
    """After each mini-batch: its mean cost (before the update) and the η used."""

    epoch: int  # 1-based
    batch: int  # 1-based within the epoch
    n_batches: int
    cost: float
    eta: float


@dataclass
class EpochReport:
    """After each epoch. Costs are means per sample; accuracies in [0, 1]; None if not measured.

    seconds : training time of this epoch (evaluation excluded); train_seconds : cumulative.
    learning_speed : ‖∂E/∂b^l‖ for l = 1..L after the epoch, on the fixed sample
                     (TrainConfig.speed_sample); weight_speed : ‖∂E/∂w^l‖; None if not measured.
    """

    epoch: int
    epochs: int
    train_cost: float
    train_accuracy: float | None
    validation_cost: float | None
    validation_accuracy: float | None
    test_cost: float | None
    test_accuracy: float | None
    seconds: float
    train_seconds: float
    eval_seconds: float
    eta: float
    learning_speed: list[float] | None = None
    weight_speed: list[float] | None = None

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class TrainingResult:
    """How a run ended. reason: completed, early-stopped, cancelled or diverged.

    test_cost, test_accuracy, validation_cost, validation_accuracy : measured on the network
    the run leaves behind (the one to save), after training; None without that data set. They
    differ from the last epoch's report after early stopping (the best epoch's weights are
    kept), divergence or a cancel in mid-epoch.
    initial_learning_speed, initial_weight_speed : the layers' learning speeds before the first
    mini-batch (see EpochReport), or None.
    """

    reason: str
    message: str
    epochs_completed: int
    history: list[EpochReport] = field(default_factory=list)
    best_epoch: int | None = None
    train_seconds: float = 0.0
    samples_trained: int = 0
    test_cost: float | None = None
    test_accuracy: float | None = None
    validation_cost: float | None = None
    validation_accuracy: float | None = None
    initial_learning_speed: list[float] | None = None
    initial_weight_speed: list[float] | None = None

    @property
    def samples_per_second(self) -> float:
        return self.samples_trained / self.train_seconds if self.train_seconds > 0 else 0.0


class Trainer:
    """Trains ``net`` in place on ``train`` with mini-batch SGD (see the module docstring).

    validation, test : optional Datasets evaluated after every epoch.
    stop : optional object with ``is_set()`` (threading/multiprocessing Event) that cancels.
    continue_from : the TrainingResult of an earlier part of this run (same network, data and
        config). Training resumes at epoch ``continue_from.epochs_completed + 1`` (an epoch cut
        short is run again in full, from the current weights); its history, training time and
        sample count are carried into the new result. Early-stopping patience starts afresh.
    """

    def __init__(
        self,
        net: Network,
        train: Dataset,
        config: TrainConfig | None = None,
        validation: Dataset | None = None,
        test: Dataset | None = None,
        stop=None,
        continue_from: TrainingResult | None = None,
    ) -> None:
        self.config = replace(config or TrainConfig()).validate()
        for ds in (train, validation, test):
            if ds is None:
                continue
            if ds.n_inputs != net.sizes[0] or ds.n_outputs != net.sizes[-1]:
                raise ValueError(
                    f"{ds.name} has {ds.n_inputs} inputs and {ds.n_outputs} outputs, but the "
                    f"network is {'-'.join(map(str, net.sizes))}"
                )
        if len(train) == 0:
            raise ValueError(f"{train.name} is empty")
        for ds in (train, validation, test):
            if ds is not None and not ds.is_classification:  # labels make one-hot targets
                try:
                    net.cost_function.check_target(ds.y)
                except ValueError as exc:
                    raise ValueError(f"{ds.name}: {exc}") from None
        self.net, self.train, self.validation, self.test = net, train, validation, test
        self.stop = stop
        self.continue_from = continue_from
        self._cancelled = False
        self.kernel = Kernel(net, np.dtype(self.config.dtype))
        self.result: TrainingResult | None = None
        self.probe = SpeedProbe(train, self.config.speed_sample) if self.config.speed_sample \
            else None
        if continue_from is not None:
            self.initial_speed = (continue_from.initial_learning_speed,
                                  continue_from.initial_weight_speed)
        else:
            self.initial_speed = self.measure_speed()

    def measure_speed(self) -> tuple[list[float] | None, list[float] | None]:
        """(‖∂E/∂b^l‖, ‖∂E/∂w^l‖ or None) of ``net`` on the fixed sample; (None, None) when
        not measured."""
        if self.probe is None:
            return None, None
        bias, weight = self.probe.measure(self.net)
        return bias, (weight if self.config.weight_speed else None)

    # -- control (safe to call from the consumer between reports) ----------------------------
    def cancel(self) -> None:
        """Stop before the next mini-batch."""
        self._cancelled = True

    def set_hyperparameters(self, eta=None, momentum=None, l2=None, l1=None) -> None:
        """Change η, μ or the λs for the following mini-batches (validated like TrainConfig)."""
        new = replace(
            self.config,
            eta=self.config.eta if eta is None else float(eta),
            momentum=self.config.momentum if momentum is None else float(momentum),
            l2=self.config.l2 if l2 is None else float(l2),
            l1=self.config.l1 if l1 is None else float(l1),
        ).validate()
        self.config = new

    def snapshot(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Float64 copies of the current (w^l, b^l) lists, for live views."""
        return self.kernel.weights(), self.kernel.biases()

    def _should_stop(self) -> bool:
        return self._cancelled or (self.stop is not None and self.stop.is_set())

    def eta_at(self, epoch: int, t: int, total: int) -> float:
        """η for mini-batch t (0-based over the whole run of ``total``) in ``epoch`` (1-based)."""
        cfg = self.config
        if cfg.schedule == "cosine":
            return cfg.eta * 0.5 * (1.0 + math.cos(math.pi * t / total))
        if cfg.schedule == "step":
            return cfg.eta * 0.5 ** ((epoch - 1) // cfg.step_epochs)
        return cfg.eta

    # -- the loop ---------------------------------------------------------------------------
    def run(self) -> Iterator[BatchReport | EpochReport | TrainingResult]:
        """Train; yield a BatchReport per mini-batch, an EpochReport per epoch, and finally the
        TrainingResult (also stored in ``self.result``)."""
        cfg, kernel, train = self.config, self.kernel, self.train
        earlier = self.continue_from
        first_epoch = 1 if earlier is None else earlier.epochs_completed + 1
        # A continued run draws a fresh (still reproducible) order instead of replaying epoch 1's.
        seed = cfg.seed if first_epoch == 1 or cfg.seed is None else [cfg.seed, first_epoch]
        rng = np.random.default_rng(seed)
        n, bs, n0 = len(train), cfg.batch_size, self.net.sizes[0]
        n_batches = -(-n // bs)
        total_batches = n_batches * cfg.epochs
        # A chunk of shuffled samples is scaled to floats at once (about 2,000 samples, a whole
        # number of mini-batches), so per-batch work is only slicing.
        chunk = max(bs, (2048 // bs) * bs)
        chunk = min(chunk, -(-n // bs) * bs)
        raw = np.empty((chunk, n0), train.x.dtype)
        x1 = np.ones((chunk, n0 + 1), kernel.dtype)
        y = np.empty((chunk, self.net.sizes[-1]), kernel.dtype)
        labels = np.empty(chunk, train.y.dtype) if train.is_classification else None
        eye = np.eye(self.net.sizes[-1], dtype=kernel.dtype)

        history: list[EpochReport] = [] if earlier is None else list(earlier.history)
        best_score, best_epoch, best_state, since_best = -math.inf, None, None, 0
        train_seconds, samples = (0.0, 0) if earlier is None else (earlier.train_seconds,
                                                                    earlier.samples_trained)
        t = (first_epoch - 1) * n_batches
        reason, message = "completed", f"finished {cfg.epochs} epochs"
        eta = cfg.eta
        trained = measuring = 0.0  # training time since the last speed measurement; its time
        try:
            for epoch in range(first_epoch, cfg.epochs + 1):
                tick = time.perf_counter()
                epoch_seconds, cost_sum, batch = 0.0, 0.0, 0
                order = rng.permutation(n)
                for c0 in range(0, n, chunk):
                    idx = order[c0:c0 + chunk]
                    k = len(idx)
                    np.take(train.x, idx, axis=0, out=raw[:k])
                    np.multiply(raw[:k], train.x_scale, out=x1[:k, :n0],
                                dtype=kernel.dtype, casting="unsafe")
                    if labels is not None:
                        np.take(train.y, idx, out=labels[:k])
                        np.take(eye, labels[:k], axis=0, out=y[:k])
                    else:
                        y[:k] = train.y[idx]
                    for b0 in range(0, k, bs):
                        if self._should_stop():
                            raise _Stop("cancelled", "cancelled by the user")
                        b1 = min(b0 + bs, k)
                        m = b1 - b0
                        c = self.config  # re-read: η, μ, λ may change between batches
                        eta = self.eta_at(epoch, t, total_batches)
                        decay = 1.0 - eta * c.l2 / n if c.l2 else 1.0
                        cost = kernel.step(
                            x1[b0:b1], y[b0:b1], None if labels is None else labels[b0:b1],
                            eta, c.momentum, decay, eta * c.l1 / n,
                        )
                        batch += 1
                        t += 1
                        if not math.isfinite(cost):
                            raise _Stop(
                                "diverged",
                                f"the cost became {cost} in epoch {epoch}, mini-batch {batch} "
                                f"(η = {eta:g}); stopped and kept the last weights whose cost "
                                "was finite. Try a smaller η.",
                            )
                        samples += m
                        cost_sum += cost
                        now = time.perf_counter()
                        epoch_seconds += now - tick
                        yield BatchReport(epoch, batch, n_batches, cost / m, eta)
                        tick = time.perf_counter()
                epoch_seconds += time.perf_counter() - tick
                train_seconds += epoch_seconds
                if not kernel.all_finite():
                    raise _Stop("diverged", f"weights became non-finite in epoch {epoch}")
                report = self._evaluate(epoch, cost_sum / n, epoch_seconds, train_seconds, eta)
                kernel.write_to(self.net)
                trained += epoch_seconds
                if (cfg.speed_share is None or epoch == cfg.epochs
                        or trained * cfg.speed_share >= measuring):
                    tick = time.perf_counter()
                    report.learning_speed, report.weight_speed = self.measure_speed()
                    measuring, trained = time.perf_counter() - tick, 0.0
                history.append(report)
                yield report
                if cfg.early_stop is not None and self.validation is not None:
                    score = (report.validation_accuracy if report.validation_accuracy is not None
                             else -report.validation_cost)
                    if score > best_score:
                        best_score, best_epoch, since_best = score, epoch, 0
                        best_state = kernel.get_state()
                    else:
                        since_best += 1
                        if since_best >= cfg.early_stop:
                            kernel.set_state(best_state)
                            raise _Stop(
                                "early-stopped",
                                f"no improvement on the validation set for {cfg.early_stop} "
                                f"epochs; kept the weights of epoch {best_epoch}",
                            )
        except _Stop as stop:
            reason, message = stop.reason, stop.message
        except GeneratorExit:  # closed early: a result all the same, as for cancel()
            kernel.write_to(self.net)
            self.result = self._result("cancelled", "cancelled by the user", history,
                                       best_epoch, train_seconds, samples, kernel)
            raise
        if reason == "diverged":
            kernel.restore_previous()
            if not kernel.all_finite():  # fall back to the last epoch's weights in the network
                kernel = self.kernel = Kernel(self.net, kernel.dtype)
        kernel.write_to(self.net)
        self.result = self._result(reason, message, history, best_epoch, train_seconds, samples,
                                   kernel)
        yield self.result

    def _result(self, reason, message, history, best_epoch, train_seconds, samples,
                kernel) -> TrainingResult:
        """The TrainingResult, with the returned network measured on the validation and test
        sets (the kernel holds the weights just written to ``self.net``)."""
        if best_epoch is None and history:
            best_epoch = self._best_epoch(history)
        val = kernel.evaluate(self.validation) if self.validation is not None else (None, None)
        test = kernel.evaluate(self.test) if self.test is not None else (None, None)
        return TrainingResult(reason, message, len(history), history, best_epoch,
                              train_seconds, samples, test[0], test[1], val[0], val[1],
                              *self.initial_speed)

    def _best_epoch(self, history: list[EpochReport]) -> int:
        def score(r: EpochReport) -> float:
            for acc in (r.validation_accuracy, r.test_accuracy):
                if acc is not None:
                    return acc
            for cost in (r.validation_cost, r.test_cost, r.train_cost):
                if cost is not None:
                    return -cost
            return 0.0

        return max(history, key=score).epoch

    def _evaluate(self, epoch, train_cost, seconds, train_seconds, eta) -> EpochReport:
        tick = time.perf_counter()
        train_acc = None
        if self.config.evaluate_train:
            train_cost, train_acc = self.kernel.evaluate(self.train)
        val = self.kernel.evaluate(self.validation) if self.validation is not None else (None, None)
        test = self.kernel.evaluate(self.test) if self.test is not None else (None, None)
        return EpochReport(epoch, self.config.epochs, train_cost, train_acc, val[0], val[1],
                           test[0], test[1], seconds, train_seconds,
                           time.perf_counter() - tick, eta)


class _Stop(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message


def train(net: Network, train_set: Dataset, config: TrainConfig | None = None,
          validation: Dataset | None = None, test: Dataset | None = None,
          on_epoch=None) -> TrainingResult:
    """Run a Trainer to the end; ``on_epoch(report)`` is called after every epoch."""
    trainer = Trainer(net, train_set, config, validation, test)
    for report in trainer.run():
        if on_epoch is not None and isinstance(report, EpochReport):
            on_epoch(report)
    assert trainer.result is not None
    return trainer.result
