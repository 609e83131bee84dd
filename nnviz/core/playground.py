"""The playground's maths: what every neuron computes over the input plane (numpy only).

A network with two inputs maps each point (x_1, x_2) of the plane to activations a^l_j. Sampling
the plane on an r × r grid and running ONE batched forward pass gives, for every neuron, an
(r, r) picture of the function it has learnt — TensorFlow Playground's heatmaps.

Grid convention: row i of a map is x_2 = ys[i] (ys increasing, so row 0 is the BOTTOM of the
plane), column k is x_1 = xs[k]. ``points[i * r + k] = (xs[k], ys[i])``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..data import toy
from ..data.dataset import Dataset
from .network import Network
from .training import TrainConfig

#: The plane the toy sets live in: they span roughly [-1, 1]^2 plus noise.
BOUNDS = (-1.5, 1.5, -1.5, 1.5)


@dataclass(frozen=True)
class GridShape:
    """The sampling of the plane: ``resolution`` points per side within ``bounds``
    (x_min, x_max, y_min, y_max)."""

    resolution: int
    bounds: tuple[float, float, float, float]

    @property
    def shape(self) -> tuple[int, int]:
        return (self.resolution, self.resolution)


def grid(resolution: int = 40, bounds=BOUNDS) -> tuple[np.ndarray, GridShape]:
    """Sample points of the input plane: (points (r·r, 2), GridShape).

    Points are pixel centres of an r × r raster over ``bounds``, row-major from the bottom row
    (see the module docstring), so ``a.reshape(r, r)`` is a map with row 0 at x_2 = y_min.
    """
    r = int(resolution)
    if r < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution!r}")
    x0, x1, y0, y1 = (float(v) for v in bounds)
    if not (x1 > x0 and y1 > y0):
        raise ValueError("bounds must be (x_min, x_max, y_min, y_max) with min < max, "
                         f"got {bounds}")
    dx, dy = (x1 - x0) / r, (y1 - y0) / r
    xs = x0 + dx * (np.arange(r) + 0.5)
    ys = y0 + dy * (np.arange(r) + 0.5)
    gx, gy = np.meshgrid(xs, ys)  # gx[i, k] = xs[k], gy[i, k] = ys[i]
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    return points, GridShape(r, (x0, x1, y0, y1))


def bounds_for(dataset, margin: float = 0.15) -> tuple[float, float, float, float]:
    """A square (x_min, x_max, y_min, y_max) holding every point of ``dataset`` (a Dataset
    with 2 inputs, or points (n, 2)) with a relative ``margin`` on each side, never smaller
    than BOUNDS."""
    x = dataset.inputs() if isinstance(dataset, Dataset) else np.asarray(dataset)
    extent = float(np.abs(x).max()) * (1.0 + margin) if len(x) else 0.0
    half = max(extent, BOUNDS[1])
    return (-half, half, -half, half)


def neuron_maps(net: Network, points: np.ndarray, shape) -> list[np.ndarray]:
    """Every neuron's activation over the plane, from one batched forward pass.

    Returns a list ``maps`` with ``maps[l - 1]`` of shape (n_l, r, r) for l = 1..L:
    ``maps[l - 1][j]`` is a^l_j at the grid points (rows x_2, columns x_1; see ``grid``).
    ``shape`` is a GridShape or an (r, r) tuple.
    """
    r_shape = shape.shape if isinstance(shape, GridShape) else tuple(shape)
    trace = net.forward(points)
    # a^l is (r·r, n_l); transposing gives (n_l, r·r) → (n_l, r, r) without a Python loop.
    return [np.ascontiguousarray(a.T).reshape((a.shape[1],) + r_shape) for a in trace.a[1:]]


def decision_map(net: Network, points: np.ndarray, shape) -> np.ndarray:
    """The network's answer over the plane, shape (r, r): a^L_0 for one output neuron, the
    index of the largest output (argmax class, int) for several."""
    r_shape = shape.shape if isinstance(shape, GridShape) else tuple(shape)
    out = net.feedforward(points)
    if out.shape[1] == 1:
        return out[:, 0].reshape(r_shape)
    return np.argmax(out, axis=1).reshape(r_shape)


def decision_from_maps(maps: list[np.ndarray]) -> np.ndarray:
    """decision_map computed from neuron_maps' output (no second forward pass)."""
    out = maps[-1]
    return out[0] if out.shape[0] == 1 else np.argmax(out, axis=0)


# -- data sets --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlaygroundData:
    """A toy problem split for training: ``train`` and ``test`` Datasets, x (n, 2), y (n, 1)
    with 0/1 targets (continuous ones for the REGRESSION sets); ``key`` is the name in DATASETS
    and ``noise`` the jitter it was made with."""

    key: str
    noise: float
    train: Dataset
    test: Dataset

    @property
    def name(self) -> str:
        return self.train.name


#: The part of the points held out for testing, unless told otherwise.
TEST_FRACTION = 0.3


def _maker(make: Callable, default_noise: float):
    def build(noise: float | None = None, n: int = 200, seed: int | None = 0,
              test_fraction: float = TEST_FRACTION) -> tuple[Dataset, Dataset]:
        """(train, test) Datasets of this toy problem; noise None: the problem's default."""
        ds = make(n=n, noise=default_noise if noise is None else noise, seed=seed)
        return toy.train_test_split(ds, test_fraction, seed=seed)

    build.default_noise = default_noise
    return build


#: name → builder(noise=None, n=200, seed=0, test_fraction=0.3) → (train, test).
#: Each builder has a ``default_noise`` attribute. The jitter comes after labelling, so it puts
#: points on the wrong side of the boundary: at 0.1 the true boundary itself gets only 90 % of
#: the xor and circle test points right (seed 0); at 0.05, 97 % and 92 %. The sets in
#: REGRESSION have a continuous target (in about [-1, 1]) instead of a class.
DATASETS: dict[str, Callable] = {
    "xor": _maker(toy.xor_points, 0.05),
    "circle": _maker(toy.circle, 0.05),
    "two gaussians": _maker(toy.two_gaussians, 0.3),
    "spiral": _maker(toy.spiral, 0.05),
    "plane (regression)": _maker(toy.plane_regression, 0.0),
    "sum of gaussians (regression)": _maker(toy.gaussians_regression, 0.0),
}
REGRESSION = ("plane (regression)", "sum of gaussians (regression)")


def is_regression(key: str) -> bool:
    """True for a data set with a continuous target (a linear output and the quadratic cost
    fit it), False for a classification set."""
    return key in REGRESSION


#: Training settings that learn each set, as the playground makes it (default noise, seed 0),
#: from random weights with a small tanh network (2-4-4-1, the playground's own; the spiral
#: wants 2-16-16-1): η, epochs, with mini-batch 10 and momentum 0.9, and a pace in epochs per
#: second that makes each run last some ten seconds, slow enough to watch the maps change (at
#: full speed it is one). tests/core/test_playground.py trains with exactly these over five
#: initial weights and asserts the test accuracy: measured xor 0.92-0.98, circle 0.92-0.95,
#: two gaussians 0.98, spiral (2-16-16-1) 0.93-0.98; over 20 initial weights the means are
#: 0.95, 0.93, 0.98, 0.94, with one of the twenty 2-4-4-1 nets stuck at 0.75 on the circle
#: (at every η tried: Reset draws new weights). More epochs fit the noise: the spiral did
#: worse with 1000 than with 500, and the circle learns better with a smaller η. The regression
#: sets (a linear output, the quadratic cost) reach a test cost of 0.001-0.003 (plane) and
#: 0.008-0.03 (sum of Gaussians), against 0.08 and 0.11 for always answering the mean.
_SUGGESTED = {"xor": (0.1, 150, 15.0), "circle": (0.01, 400, 40.0),
              "two gaussians": (0.1, 50, 5.0), "spiral": (0.05, 500, 50.0),
              "plane (regression)": (0.01, 100, 10.0),
              "sum of gaussians (regression)": (0.03, 300, 30.0)}


def suggested_training(key: str) -> TrainConfig:
    """A TrainConfig that learns data set ``key`` (see _SUGGESTED)."""
    if key not in _SUGGESTED:
        raise ValueError(f"unknown data set {key!r}; known: {', '.join(DATASETS)}")
    eta, epochs, pace = _SUGGESTED[key]
    return TrainConfig(eta=eta, batch_size=10, epochs=epochs, momentum=0.9,
                       pace=pace).validate()


def make_data(key: str, noise: float | None = None, n: int = 200,
              seed: int | None = 0, test_fraction: float = TEST_FRACTION) -> PlaygroundData:
    """DATASETS[key] as a PlaygroundData (train / test, the test set ``test_fraction`` of the
    ``n`` points)."""
    if key not in DATASETS:
        raise ValueError(f"unknown data set {key!r}; known: {', '.join(DATASETS)}")
    build = DATASETS[key]
    noise = build.default_noise if noise is None else float(noise)
    train, test = build(noise=noise, n=n, seed=seed, test_fraction=test_fraction)
    return PlaygroundData(key, noise, train, test)


def add_point(dataset: Dataset, x: float, y: float, label: int) -> Dataset:
    """A new Dataset: ``dataset`` with the point (x, y) of class ``label`` (0 or 1) appended.
    Targets keep the dataset's form: float (n, 1) 0/1 targets, or int labels (n,)."""
    if label not in (0, 1):
        raise ValueError(f"label must be 0 or 1, got {label!r}")
    if dataset.n_inputs != 2:
        raise ValueError(f"{dataset.name}: points can only be added to 2-input data")
    new_x = np.vstack([dataset.x, np.array([[x, y]], dtype=dataset.x.dtype)])
    if dataset.y.ndim == 1:
        new_y = np.append(dataset.y, np.array([label], dtype=dataset.y.dtype))
    else:
        new_y = np.vstack([dataset.y, np.array([[float(label)]], dtype=dataset.y.dtype)])
    return Dataset(new_x, new_y, dataset.x_scale, dataset.name, dataset.shape, dataset.n_classes)


def labels_of(dataset: Dataset) -> np.ndarray:
    """0/1 class of every sample, int (n,): the label, or target > 0.5 for float targets."""
    if dataset.y.ndim == 1:
        return dataset.y.astype(int)
    y = dataset.y
    return (y[:, 0] > 0.5).astype(int) if y.shape[1] == 1 else np.argmax(y, axis=1)


def accuracy(net: Network, dataset: Dataset) -> float:
    """Fraction of ``dataset`` the net classifies right (a^L > 0.5, or argmax)."""
    out = net.feedforward(dataset.inputs())
    guess = (out[:, 0] > 0.5).astype(int) if out.shape[1] == 1 else np.argmax(out, axis=1)
    return float(np.mean(guess == labels_of(dataset)))
