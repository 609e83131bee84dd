"""How fast each layer learns, and how its numbers are spread: statistics over a fixed sample.

* **Learning speed** of layer l: ‖∂E/∂b^l‖, the length of the bias gradient of the cost on a
  fixed sample (BP3: the mean over the sample of δ^l), as in the chapter on the vanishing
  gradient of Nielsen's book; optionally ‖∂E/∂w^l‖ too. In a deep sigmoid net the first hidden
  layer learns many times more slowly than the last; with ReLU and He initialisation the layers
  learn at similar speeds.
* **Histograms** per layer of the weights w^l, the activations a^l (with the share of saturated
  sigmoid/tanh outputs and of dead ReLU units) and the errors δ^l, each a fixed number of bins,
  so their size does not grow with the network or the sample.

``SpeedProbe(dataset)`` holds the sample (the first ``SPEED_SAMPLE`` samples, the same every
epoch) and measures a Network. numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network

#: Samples the learning speed is measured on (the first ones of the training set).
SPEED_SAMPLE = 1000
#: Bins of every histogram.
BINS = 30
#: A sigmoid output below this or above 1 minus this (a tanh output beyond ±(1 − 2·this)) counts
#: as saturated: σ'(z) is then under about a fiftieth of its largest value.
SATURATION = 0.02


def gradient_norms(net: Network, x: np.ndarray, y: np.ndarray
                   ) -> tuple[list[float], list[float]]:
    """(‖∂E/∂b^l‖, ‖∂E/∂w^l‖) for l = 1..L, of the mean cost over the batch (x, y): x (m, n_0),
    y (m, n_L) targets."""
    grads = net.backward(net.forward(x), y)
    return ([float(np.linalg.norm(g)) for g in grads.biases],
            [float(np.linalg.norm(g)) for g in grads.weights])


class SpeedProbe:
    """The fixed sample a run's learning speeds are measured on: the first ``n`` samples of
    ``dataset`` (all of them when it has fewer)."""

    def __init__(self, dataset, n: int = SPEED_SAMPLE) -> None:
        idx = slice(0, min(n, len(dataset)))
        self.x = dataset.inputs(idx)
        self.y = dataset.targets(idx)

    def measure(self, net: Network) -> tuple[list[float], list[float]]:
        """(bias speeds, weight speeds) of ``net`` on the sample, layer 1 first."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return gradient_norms(net, self.x, self.y)


@dataclass
class Histogram:
    """Counts of values in ``BINS`` equal bins between ``edges[0]`` and ``edges[-1]``."""

    counts: np.ndarray  # (BINS,) int64
    edges: np.ndarray  # (BINS + 1,) float64

    @classmethod
    def of(cls, values: np.ndarray, bins: int = BINS) -> Histogram:
        v = np.asarray(values, np.float64).ravel()
        v = v[np.isfinite(v)]
        if v.size == 0:
            return cls(np.zeros(bins, np.int64), np.linspace(0.0, 1.0, bins + 1))
        lo, hi = float(v.min()), float(v.max())
        if hi - lo < 1e-12:
            lo, hi = lo - 0.5, hi + 0.5
        counts, edges = np.histogram(v, bins=bins, range=(lo, hi))
        return cls(counts.astype(np.int64), edges)

    @property
    def total(self) -> int:
        return int(self.counts.sum())


@dataclass
class LayerStats:
    """Histograms of one layer l: weights w^l, activations a^l, errors δ^l; ``saturated`` the
    share of activation values in a flat part of σ (sigmoid, tanh), ``dead`` the share of units
    that output 0 for every sample (ReLU); None where the activation has no such part."""

    layer: int
    activation: str
    weights: Histogram
    activations: Histogram
    deltas: Histogram
    saturated: float | None
    dead: float | None


def saturation(name: str, a: np.ndarray) -> tuple[float | None, float | None]:
    """(share saturated, share of dead units) of activations ``a`` (m, n) of activation
    ``name``."""
    if a.size == 0:
        return None, None
    if name == "sigmoid":
        return float(np.mean((a < SATURATION) | (a > 1 - SATURATION))), None
    if name == "tanh":
        return float(np.mean(np.abs(a) > 1 - 2 * SATURATION)), None
    if name == "relu":
        return None, float(np.mean(np.all(a <= 0, axis=0)))
    return None, None


def layer_stats(net: Network, x: np.ndarray, y: np.ndarray | None = None,
                bins: int = BINS) -> list[LayerStats]:
    """Histograms of every layer l = 1..L for inputs x (m, n_0) and, when given, targets y
    (m, n_L) for δ (without targets δ's histograms are empty)."""
    x = np.atleast_2d(np.asarray(x, np.float64))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        trace = net.forward(x)
        deltas = net.backward(trace, y).delta if y is not None else [None] * (net.L + 1)
    out = []
    for l in range(1, net.L + 1):
        name = net.activations[l - 1].name
        sat, dead = saturation(name, trace.a[l])
        d = deltas[l] if deltas[l] is not None else np.zeros(0)
        out.append(LayerStats(l, name, Histogram.of(net.weights[l - 1], bins),
                              Histogram.of(trace.a[l], bins), Histogram.of(d, bins), sat, dead))
    return out


#: The vanishing-gradient comparison: the same deep net, 784-30-30-30-10, as the book's
#: sigmoid/cross-entropy net with scaled weights and as a ReLU/softmax net with He weights.
DEEP_SIZES = (784, 30, 30, 30, 10)


def deep_pair(seed: int = 0) -> dict[str, Network]:
    """The two deep nets of the comparison, by label (same seed, same sizes)."""
    return {
        "sigmoid, cross-entropy, scaled": Network(DEEP_SIZES, "sigmoid", "cross-entropy",
                                                  seed=seed, init="scaled"),
        "ReLU, log-likelihood, He": Network(DEEP_SIZES, ["relu"] * 3 + ["softmax"],
                                            "log-likelihood", seed=seed, init="he"),
    }


def speed_rows(keys: list[str], run) -> tuple[list[str], list[list]]:
    """(header, rows) of a run (session.Run) for a CSV file: ``keys`` of each EpochReport
    ("" for None), then ``speed_1`` … ``speed_L`` (its learning speeds, "" where not measured);
    a first row for epoch 0 holds the start's speeds when the run has them."""
    epochs = run.epochs if run is not None else []
    n = max([len(e.learning_speed) for e in epochs if e.learning_speed is not None]
            + [len(run.initial_speed) if run is not None and run.initial_speed else 0])
    header = list(keys) + [f"speed_{l}" for l in range(1, n + 1)]
    rows = []
    if run is not None and run.initial_speed:
        rows.append([0 if k == "epoch" else "" for k in keys] + list(run.initial_speed))
    for e in epochs:
        values = ["" if getattr(e, k) is None else getattr(e, k) for k in keys]
        speeds = list(e.learning_speed) if e.learning_speed is not None else []
        rows.append(values + speeds + [""] * (n - len(speeds)))
    return header, rows


def histogram_rows(stats: list[LayerStats]) -> tuple[list[str], list[list]]:
    """(header, rows) of per-layer histograms for a CSV file: one row per bin, with the layer's
    share saturated / dead on every row of its layer ("" where it has none)."""
    header = ["layer", "activation", "quantity", "bin_low", "bin_high", "count", "saturated",
              "dead"]
    rows = []
    for s in stats:
        for kind in ("weights", "activations", "deltas"):
            h = getattr(s, kind)
            for lo, hi, c in zip(h.edges[:-1], h.edges[1:], h.counts):
                rows.append([s.layer, s.activation, kind, float(lo), float(hi), int(c),
                             "" if s.saturated is None else s.saturated,
                             "" if s.dead is None else s.dead])
    return header, rows
