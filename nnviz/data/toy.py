"""Small synthetic data sets for the preset networks.

Coordinates:

* ``xor`` and ``logic_gate`` give the four corners of the unit square, x in {0, 1}^2.
* ``circle``, ``two_gaussians``, ``spiral`` and ``xor_points`` give 2-D points in roughly
  [-1, 1]^2 (noise can push a few points slightly outside).
* ``plane_regression`` and ``gaussians_regression`` give points in roughly [-1, 1]^2 with a
  continuous target (regression).
* ``function_samples`` gives x evenly spaced in [0, 1].

All targets are float arrays of shape (n, 1); for the classification sets they are 0.0 or 1.0,
suitable for a single sigmoid output. Random sets take ``seed`` (None or int) and use
``np.random.default_rng(seed)``, so the same seed gives the same points.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nnviz.data.dataset import Dataset

#: Truth tables of the two-input logic gates: name -> outputs for inputs 00, 01, 10, 11.
GATES: dict[str, tuple[int, int, int, int]] = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
    "xnor": (1, 0, 0, 1),
}

_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def _check_n(n: int, minimum: int = 1) -> int:
    if isinstance(n, bool) or int(n) != n or n < minimum:
        raise ValueError(f"number of points must be an integer >= {minimum}, got {n!r}")
    return int(n)


def _check_noise(noise: float) -> float:
    noise = float(noise)
    if not math.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    return noise


def _binary(x: np.ndarray, labels: np.ndarray, name: str) -> Dataset:
    """Dataset of points x (n, 2) with 0/1 labels (n,) as float targets (n, 1)."""
    return Dataset(x.astype(np.float64), labels.astype(np.float64).reshape(-1, 1), name=name)


def logic_gate(name: str) -> Dataset:
    """The four input pairs of a two-input gate: x (4, 2) in {0,1}, y (4, 1) float.

    ``name`` is one of "and", "or", "nand", "nor", "xor", "xnor" (any case).
    """
    key = name.strip().lower()
    if key not in GATES:
        raise ValueError(f"unknown logic gate {name!r}; known: {', '.join(GATES)}")
    return _binary(_CORNERS.copy(), np.array(GATES[key]), f"{key.upper()} gate")


def xor() -> Dataset:
    """The XOR problem: x (4, 2) = the corners of the unit square, y (4, 1) = x1 XOR x2."""
    return _binary(_CORNERS.copy(), np.array(GATES["xor"]), "XOR")


def circle(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Points uniform in [-1, 1]^2, label 1 inside the circle of radius sqrt(2/pi) about 0.

    That radius splits the square into halves of equal area. ``noise`` is the standard
    deviation of Gaussian jitter added to the points after labelling, so near the boundary a
    few points lie on the wrong side. x (n, 2), y (n, 1).
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    clean = rng.uniform(-1.0, 1.0, size=(n, 2))
    labels = (clean**2).sum(axis=1) < 2.0 / math.pi
    x = clean + noise * rng.standard_normal((n, 2))
    return _binary(x, labels, f"circle ({n} points, noise {noise:g})")


def _balanced_labels(n: int) -> np.ndarray:
    """n labels, (n+1)//2 zeros then n//2 ones, shape (n,)."""
    return np.repeat([0, 1], [n - n // 2, n // 2])


def two_gaussians(n: int = 200, noise: float = 0.3, seed: int | None = 0) -> Dataset:
    """Two Gaussian blobs centred at (-0.5, -0.5) (label 0) and (0.5, 0.5) (label 1).

    ``noise`` is each blob's standard deviation; around 0.3 the blobs just touch. Classes are
    balanced and the samples shuffled. x (n, 2), y (n, 1).
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    labels = _balanced_labels(n)
    centres = np.where(labels[:, None] == 1, 0.5, -0.5)
    x = centres + noise * rng.standard_normal((n, 2))
    order = rng.permutation(n)
    return _binary(x[order], labels[order], f"two Gaussians ({n} points, noise {noise:g})")


def spiral(n: int = 200, noise: float = 0.05, seed: int | None = 0) -> Dataset:
    """Two interleaved spiral arms (labels 0 and 1), each turning 1.5 times about the origin.

    Radius grows from 0 to 0.95; ``noise`` is the standard deviation of Gaussian jitter added
    to every point. Classes are balanced and the samples shuffled. x (n, 2), y (n, 1).
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    labels = _balanced_labels(n)
    t = rng.uniform(0.0, 1.0, size=n)
    radius = 0.95 * t
    angle = 3.0 * math.pi * t + math.pi * labels
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    x += noise * rng.standard_normal((n, 2))
    order = rng.permutation(n)
    return _binary(x[order], labels[order], f"spiral ({n} points, noise {noise:g})")


def xor_points(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Points uniform in [-1, 1]^2, label 1 where the two coordinates differ in sign.

    The four quadrants form a chequerboard, the continuous XOR problem. ``noise`` is the
    standard deviation of Gaussian jitter added after labelling. x (n, 2), y (n, 1).
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    clean = rng.uniform(-1.0, 1.0, size=(n, 2))
    labels = clean[:, 0] * clean[:, 1] < 0
    x = clean + noise * rng.standard_normal((n, 2))
    return _binary(x, labels, f"XOR points ({n} points, noise {noise:g})")


def plane_regression(n: int = 200, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Regression on a tilted plane: points uniform in [-1, 1]^2, target y = (x_1 + x_2) / 2.

    The target is a continuous value in [-1, 1] (TensorFlow Playground's "plane"). ``noise``
    is the standard deviation of Gaussian jitter added to the points after the target is
    computed. x (n, 2), y (n, 1).
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    clean = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = 0.5 * (clean[:, 0] + clean[:, 1])
    x = clean + noise * rng.standard_normal((n, 2))
    return Dataset(x, y.reshape(-1, 1), name=f"plane ({n} points, noise {noise:g})")


#: The bumps of ``gaussians_regression``: centre x_1, centre x_2, sign (as TensorFlow
#: Playground's "multi Gaussian", scaled to [-1, 1]^2).
GAUSSIAN_BUMPS = ((-0.65, 0.45, 1.0), (0.0, 0.45, -1.0), (0.65, 0.45, 1.0),
                  (-0.65, -0.45, -1.0), (0.0, -0.45, 1.0), (0.65, -0.45, -1.0))
GAUSSIAN_WIDTH = 0.25


def gaussians_regression(n: int = 200, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Regression on a sum of Gaussian bumps: points uniform in [-1, 1]^2, target
    y = Σ_c s_c exp(−|x − c|² / (2·0.25²)) over GAUSSIAN_BUMPS (three up, three down), a
    continuous value in about [-1, 1]. ``noise`` jitters the points after the target is
    computed. x (n, 2), y (n, 1).
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    clean = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = np.zeros(n)
    for cx, cy, sign in GAUSSIAN_BUMPS:
        d2 = (clean[:, 0] - cx) ** 2 + (clean[:, 1] - cy) ** 2
        y += sign * np.exp(-d2 / (2 * GAUSSIAN_WIDTH**2))
    x = clean + noise * rng.standard_normal((n, 2))
    return Dataset(x, y.reshape(-1, 1), name=f"sum of Gaussians ({n} points, noise {noise:g})")


def _evaluate(f: Callable, x: np.ndarray) -> np.ndarray:
    """f applied to x (n, 1), as a float array (n, 1); element-wise if f rejects arrays."""
    try:
        y = np.asarray(f(x), dtype=np.float64)
    except (TypeError, ValueError):
        y = np.array([f(float(v)) for v in x[:, 0]], dtype=np.float64)
    if y.size == 1:
        y = np.full(len(x), float(y.reshape(())))
    if y.size != len(x):
        raise ValueError(f"f must give one value per x, got shape {y.shape} for {len(x)} inputs")
    return y.reshape(-1, 1)


def function_samples(
    f: Callable,
    n: int = 100,
    noise: float = 0.0,
    seed: int | None = None,
    name: str | None = None,
) -> Dataset:
    """Samples of a 1-D function for regression: x (n, 1) evenly spaced in [0, 1], y = f(x).

    ``f`` may be a numpy function of an array (called once with x of shape (n, 1)) or a scalar
    function such as ``math.sin`` (called per point). ``noise`` adds Gaussian noise of that
    standard deviation to y. y (n, 1) float; raises ValueError if f gives NaN or infinity.
    """
    n, noise = _check_n(n, minimum=2), _check_noise(noise)
    x = np.linspace(0.0, 1.0, n).reshape(n, 1)
    y = _evaluate(f, x)
    if not np.all(np.isfinite(y)):
        raise ValueError("f gave NaN or infinite values on [0, 1]")
    if noise:
        y = y + noise * np.random.default_rng(seed).standard_normal(y.shape)
    if name is None:
        f_name = getattr(f, "__name__", "f")
        name = f"{'f' if f_name == '<lambda>' else f_name}(x) on [0, 1]"
    return Dataset(x, y, name=name)


def train_test_split(
    ds: Dataset, test_fraction: float = 0.3, seed: int | None = 0
) -> tuple[Dataset, Dataset]:
    """Split ``ds`` at random into (train, test), the test set holding ``test_fraction``.

    The test size is round(n * test_fraction), at least 1 and at most n - 1; samples keep their
    original order within each part. Names get " (train)" and " (test)" appended.
    """
    fraction = float(test_fraction)
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    n = len(ds)
    if n < 2:
        raise ValueError(f"{ds.name}: need at least 2 samples to split, got {n}")
    n_test = min(max(round(n * fraction), 1), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    test_idx, train_idx = np.sort(order[:n_test]), np.sort(order[n_test:])
    return ds.subset(train_idx, f"{ds.name} (train)"), ds.subset(test_idx, f"{ds.name} (test)")
