"""Universal approximation by steps, as article 000 ("Neural Nets and How They Learn") builds it.

A 1-n-1 network with sigmoid neurons throughout approximates a function f: [0, 1] → (0, 1):

* hidden neuron i (i = 0..n−1) has a large weight w^1_i0 = w and bias b^1_i = −w·s_i, so its
  output z_i(x) = σ(w x − w s_i) = σ(w(x − s_i)) is (nearly) a step from 0 to 1 at x = s_i,
  where s_i = (2i + 1) / (2n) is the midpoint of the i-th of the n equal sampling intervals
  [x_i, x_(i+1)], x_i = i / n. (The article writes b = −s/w; the step at s needs b = −w·s.)
* the output is y = σ(Σ_i w^2_0i z_i + b^2_0). With g = σ⁻¹∘f the weighted sum must follow
  g: b^2_0 = g(x_0) = g(0), the sampled value at the left end, and w^2_0i = g(x_(i+1)) − g(x_i), the
  jump of g over the i-th interval. Just right of s_i the sum is g(x_(i+1)): a staircase through
  the sampled values of g, which σ maps back to a staircase through the sampled values of f.

numpy only; never Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..data.dataset import Dataset
from .network import Network
from .training import TrainConfig

Target = Callable[[np.ndarray], np.ndarray]

#: Default margin of :func:`clip_target`: values are kept in (EPS, 1 − EPS).
EPS = 0.02


def _bump(x):
    """A smooth bump centred at 0.5: 0.1 + 0.8·exp(−((x − 0.5)/0.12)²), in [0.1, 0.9]."""
    x = np.asarray(x, dtype=np.float64)
    return 0.1 + 0.8 * np.exp(-(((x - 0.5) / 0.12) ** 2))


def _sine(x):
    """0.5 + 0.4 sin(2πx), in [0.1, 0.9] (the ``steps`` preset's function)."""
    x = np.asarray(x, dtype=np.float64)
    return 0.5 + 0.4 * np.sin(2 * np.pi * x)


def _step(x):
    """0.2 left of x = 0.5, 0.8 from there on: a jump no finite staircase of sigmoids hits."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x < 0.5, 0.2, 0.8)


def _sum_of_bumps(x):
    """Two bumps of different height and width on a floor of 0.1."""
    x = np.asarray(x, dtype=np.float64)
    return (0.1 + 0.7 * np.exp(-(((x - 0.25) / 0.08) ** 2))
            + 0.45 * np.exp(-(((x - 0.7) / 0.15) ** 2)))


#: Preset targets f: [0, 1] → [0, 1], name → vectorised function (any array shape in, same out).
TARGETS: dict[str, Target] = {
    "bump": _bump,
    "sine": _sine,
    "step": _step,
    "sum of bumps": _sum_of_bumps,
}


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), element-wise."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def logit(y):
    """σ⁻¹(y) = ln(y / (1 − y)) for y in (0, 1), element-wise."""
    y = np.asarray(y, dtype=np.float64)
    return np.log(y) - np.log1p(-y)


def clip_target(y, eps: float = EPS) -> np.ndarray:
    """Values of f kept inside [eps, 1 − eps], so that σ⁻¹∘f is finite. Same shape as y."""
    return np.clip(np.asarray(y, dtype=np.float64), eps, 1.0 - eps)


def drawn_target(xs, ys, eps: float = EPS) -> Target:
    """f from points the user drew: linear interpolation through (xs, ys) sorted by x, flat
    beyond the first and last point, clipped with :func:`clip_target`. xs, ys: same length ≥ 1."""
    xs = np.asarray(xs, dtype=np.float64).reshape(-1)
    ys = np.asarray(ys, dtype=np.float64).reshape(-1)
    if xs.size == 0 or xs.shape != ys.shape:
        raise ValueError("need one y for every x, and at least one point")
    order = np.argsort(xs, kind="stable")
    px, py = xs[order], clip_target(ys[order], eps)

    def f(x):
        x = np.asarray(x, dtype=np.float64)
        return clip_target(np.interp(x, px, py), eps)

    return f


def sample_points(n: int) -> np.ndarray:
    """x_i = i / n, i = 0..n: the ends of the n sampling intervals; shape (n + 1,)."""
    return np.arange(n + 1, dtype=np.float64) / n


def step_positions(n: int) -> np.ndarray:
    """s_i = (2i + 1) / (2n), i = 0..n−1: the midpoints of the sampling intervals; shape (n,)."""
    return (2 * np.arange(n, dtype=np.float64) + 1) / (2 * n)


def construct(f: Target, n: int, steepness: float = 1000.0, eps: float = EPS):
    """The article's weights for a 1-n-1 sigmoid network approximating f on [0, 1].

    Hidden layer: w^1 = steepness (shape (n, 1)), b^1_i = −steepness·s_i (shape (n,)), so that
    neuron i is a step at s_i (see :func:`step_positions`). Output: with g = σ⁻¹∘clip_target(f)
    sampled at x_i = i/n (:func:`sample_points`), b^2 = [g(x_0)] (shape (1,)) and
    w^2_0i = g(x_(i+1)) − g(x_i) (shape (1, n)).

    Returns (weights, biases), two lists of arrays ready for Network([1, n, 1]).set_parameters.
    """
    n = int(n)
    if n < 1:
        raise ValueError("need at least one hidden neuron")
    if not steepness > 0:
        raise ValueError("the steepness must be positive")
    g = logit(clip_target(f(sample_points(n)), eps))
    s = step_positions(n)
    w1 = np.full((n, 1), float(steepness))
    b1 = -float(steepness) * s
    w2 = np.diff(g).reshape(1, n)
    b2 = np.array([g[0]])
    return [w1, w2], [b1, b2]


def constructed_network(f: Target, n: int, steepness: float = 1000.0) -> Network:
    """A fresh Network([1, n, 1], sigmoid, quadratic) holding :func:`construct`'s weights."""
    net = Network([1, n, 1], "sigmoid", "quadratic", seed=0)
    net.set_parameters(*construct(f, n, steepness))
    return net


def network_curve(net: Network, xs) -> np.ndarray:
    """The output a^L_0 of a 1-input network at each x in xs (shape (m,)); shape (m,)."""
    xs = np.asarray(xs, dtype=np.float64).reshape(-1, 1)
    return net.feedforward(xs)[:, 0]


def max_error(net: Network, f: Target, samples: int = 2001) -> float:
    """max |f(x) − y(x)| over ``samples`` equally spaced x in [0, 1] (ends included)."""
    xs = np.linspace(0.0, 1.0, samples)
    return float(np.max(np.abs(f(xs) - network_curve(net, xs))))


def error_table(f: Target, ns: Sequence[int] = (5, 10, 20, 50, 100),
                steepness: float = 1000.0, samples: int = 2001) -> list[tuple[int, float]]:
    """[(n, max error of the constructed 1-n-1 network)] for each n in ns."""
    return [(int(n), max_error(constructed_network(f, n, steepness), f, samples)) for n in ns]


def is_one_n_one(net: Network) -> bool:
    """True for a network with one input, one hidden layer and one output."""
    return len(net.sizes) == 3 and net.sizes[0] == 1 and net.sizes[2] == 1


def hidden_curves(net: Network, xs) -> np.ndarray:
    """Each hidden neuron's contribution to the output's weighted input z^2, over xs.

    Row i is w^2_0i · a^1_i(x) = w^2_0i · σ(w^1_i0 x + b^1_i) (σ the hidden layer's activation).
    net: a 1-n-1 network; xs: shape (m,). Returns shape (n, m).
    """
    if not is_one_n_one(net):
        raise ValueError(f"need a 1-n-1 network, got {'-'.join(map(str, net.sizes))}")
    xs = np.asarray(xs, dtype=np.float64).reshape(-1, 1)
    a1 = net.forward(xs).a[1]  # (m, n)
    return (a1 * net.weights[1][0]).T


def collapsed_linear(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """The single affine map x ↦ W x + b that a network of linear neurons is.

    With a^l = w^l a^(l−1) + b^l for every layer, W = w^L ⋯ w^2 w^1 (shape (n_L, n_0)) and
    b = w^L(⋯(w^2 b^1 + b^2)⋯) + b^L (shape (n_L,)). ValueError if any activation is not linear.
    """
    names = net.activation_names
    if any(name != "linear" for name in names):
        raise ValueError("only a network whose activations are all linear collapses to one map; "
                         f"this one has {', '.join(names)}")
    W = np.eye(net.sizes[0])
    b = np.zeros(net.sizes[0])
    for w, bl in zip(net.weights, net.biases):
        W = w @ W
        b = w @ b + bl
    return W, b


#: Training that learns f from random weights in 2000 epochs (measured over the bump, sine
#: and sum-of-bumps targets with four seeds each: a 1-20-1 network from N(0, 1) weights
#: reached max error 0.022-0.058, where the N = 20 construction has 0.114 on the bump); η = 1
#: was faster but stuck at 0.8-0.9 for 2 of 12 seeds. At 200 epochs per second a run lasts
#: ten seconds, so the curves can be watched as they move.
SUGGESTED_TRAINING = TrainConfig(eta=0.5, batch_size=10, epochs=2000, momentum=0.9,
                                 pace=200.0)
TRAINING_SAMPLES = 200


def training_data(f: Target, samples: int = TRAINING_SAMPLES, name: str = "f") -> Dataset:
    """``samples`` equally spaced x in [0, 1] (ends included) with targets y = f(x) kept inside
    (0, 1): x of shape (samples, 1), y of shape (samples, 1)."""
    if int(samples) < 2:
        raise ValueError("need at least 2 samples of f")
    xs = np.linspace(0.0, 1.0, int(samples))
    return Dataset(xs[:, None], clip_target(f(xs))[:, None], name=name)
