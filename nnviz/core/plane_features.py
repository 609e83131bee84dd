"""The playground's input features (numpy only): what the network is fed for a point of the plane.

TensorFlow Playground feeds its network not only the coordinates x_1, x_2 of a point but, when
switched on, also x_1², x_2², x_1·x_2, sin x_1 and sin x_2. With x_1² and x_2² a network without
a hidden layer separates the circle: its boundary w_1 x_1² + w_2 x_2² + b = 0 is an ellipse.

The plane stays (x_1, x_2): data sets keep their points (``PlaneData.plane``) and the maps are
drawn over the plane; only the network's inputs a⁰ = x are the features of the point,
``feature_matrix(points, keys)``. Changing the features changes the input layer: ``set_inputs``
keeps the weights of the inputs that stay and draws those of new inputs as the network's
initialisation does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..data.dataset import Dataset
from .network import Network, initial_layer

#: key → (the label the graph and the controls show, the feature of points (n, 2) → (n,)).
FEATURES: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "x1": ("x₁", lambda p: p[:, 0]),
    "x2": ("x₂", lambda p: p[:, 1]),
    "x1^2": ("x₁²", lambda p: p[:, 0] ** 2),
    "x2^2": ("x₂²", lambda p: p[:, 1] ** 2),
    "x1x2": ("x₁x₂", lambda p: p[:, 0] * p[:, 1]),
    "sin x1": ("sin x₁", lambda p: np.sin(p[:, 0])),
    "sin x2": ("sin x₂", lambda p: np.sin(p[:, 1])),
}
#: The plain coordinates: what a 2-input network without feature data is fed.
PLAIN = ("x1", "x2")


def check_keys(keys: Sequence[str]) -> tuple[str, ...]:
    """``keys`` as a tuple in FEATURES' order; ValueError for an unknown, repeated or no key."""
    keys = tuple(keys)
    unknown = [k for k in keys if k not in FEATURES]
    if unknown:
        raise ValueError(f"unknown input feature {unknown[0]!r}; known: {', '.join(FEATURES)}")
    if len(set(keys)) != len(keys):
        raise ValueError(f"an input feature is repeated in {keys}")
    if not keys:
        raise ValueError("the network needs at least one input feature")
    return tuple(k for k in FEATURES if k in keys)


def labels(keys: Sequence[str]) -> tuple[str, ...]:
    """The names of the features, as the graph labels the input neurons."""
    return tuple(FEATURES[k][0] for k in keys)


def keys_for_labels(names: Sequence[str] | None) -> tuple[str, ...] | None:
    """The feature keys whose labels are ``names`` (the inverse of ``labels``), else None."""
    by_label = {label: key for key, (label, _) in FEATURES.items()}
    if not names or any(n not in by_label for n in names):
        return None
    return tuple(by_label[n] for n in names)


def feature_matrix(points: np.ndarray, keys: Sequence[str]) -> np.ndarray:
    """The network inputs for points (n, 2) of the plane: shape (n, len(keys)), column i the
    feature keys[i] of every point."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    out = np.empty((len(points), len(keys)))
    for i, key in enumerate(keys):
        out[:, i] = FEATURES[key][1](points)
    return out


@dataclass(frozen=True)
class PlaneData(Dataset):
    """A Dataset whose inputs x are features of points of the plane: ``plane`` (n, 2) holds the
    points and ``features`` the keys of x's columns (x = feature_matrix(plane, features))."""

    plane: np.ndarray | None = None
    features: tuple[str, ...] = PLAIN


def with_features(ds: Dataset, keys: Sequence[str]) -> PlaneData:
    """The points of ``ds`` (a PlaneData, or a Dataset with 2 inputs: the points themselves)
    fed as the features ``keys``; targets and name as in ``ds``."""
    points, _ = plane_of(ds)
    keys = check_keys(keys)
    return PlaneData(feature_matrix(points, keys), ds.y, 1.0, ds.name, None, ds.n_classes,
                     plane=points, features=keys)


def plane_of(ds: Dataset) -> tuple[np.ndarray, tuple[str, ...]]:
    """(points (n, 2), feature keys) of a data set of the plane: a PlaneData's own, or the
    inputs of a 2-input Dataset with the plain features. ValueError for other data."""
    if isinstance(ds, PlaneData) and ds.plane is not None:
        return np.asarray(ds.plane, dtype=float), tuple(ds.features)
    if ds.n_inputs == 2:
        return ds.inputs(), PLAIN
    raise ValueError(f"{ds.name} has {ds.n_inputs} inputs, not points of the plane")


def point_of(x: np.ndarray, keys: Sequence[str], data: Dataset | None = None):
    """The point (x_1, x_2) of the plane whose features ``keys`` are the input ``x``, or None
    when that cannot be told: read off x when both coordinates are features, else looked up
    among ``data``'s points."""
    keys = tuple(keys)
    if x is None:
        return None
    x = np.asarray(x, dtype=float)
    if "x1" in keys and "x2" in keys:
        return float(x[keys.index("x1")]), float(x[keys.index("x2")])
    if data is not None and data.n_inputs == len(keys):
        try:
            points, data_keys = plane_of(data)
        except ValueError:
            return None
        if data_keys == keys:
            rows = np.flatnonzero(np.all(np.isclose(data.inputs(), x, rtol=0, atol=1e-12),
                                         axis=1))
            if len(rows):
                return float(points[rows[0], 0]), float(points[rows[0], 1])
    return None


def set_inputs(net: Network, old: Sequence[str], new: Sequence[str],
               seed: int | None = None) -> Network:
    """``net`` fed the features ``new`` instead of ``old`` (its current inputs, in order): the
    weights w¹_jk of an input that stays are kept bit for bit, those of a new input are drawn
    as the network's initialisation draws a layer with len(new) inputs (network.INITS), from
    ``numpy.random.default_rng(seed)``; every bias and every later layer is kept."""
    old, new = tuple(old), check_keys(new)
    if len(old) != net.sizes[0]:
        raise ValueError(f"the network has {net.sizes[0]} inputs, not the {len(old)} features "
                         f"{old}")
    fresh, _ = initial_layer(net.init, net.sizes[1], len(new), np.random.default_rng(seed))
    w1 = fresh
    for i, key in enumerate(new):
        if key in old:
            w1[:, i] = net.weights[0][:, old.index(key)]
    weights = [w1] + [w.copy() for w in net.weights[1:]]
    biases = [b.copy() for b in net.biases]
    return Network([len(new)] + list(net.sizes[1:]), net.activation_names, net.cost_function,
                   init=net.init, parameters=(weights, biases))
