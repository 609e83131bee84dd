"""The cost landscape: E as a function of one or two parameters, all others fixed.

The articles draw gradient descent as a point on the graph of the error: ∂E/∂w is the slope of the
tangent there, and a step w ← w − η ∂E/∂w moves the point downhill (or, with too large an η, over
the minimum and up the other side). This module computes that picture for any weight w^l_jk or
bias b^l_j of a network, on one example (x, y) or a batch (m examples):

    s = Slice(net, x, y, [Parameter.parse("w:2:0:1")])
    s.energies(values)           # E at each value, shape (n,)
    curve(net, x, y, p, eta=0.5) # values, E, the backpropagated slope, step_to, E_after

Vectorised: the layers below the lowest chosen parameter's layer l are computed once (the
network's own forward pass); layers l..L are evaluated for all values at once. Only neuron j of
layer l depends on a parameter of that layer, so its column alone is recomputed there and the
next layer's z gets a rank-1 (or rank-2) update instead of a full product.

Descent paths on the slice (``Slice.descend``) take k steps p ← p − η ∂E/∂p restricted to the
chosen parameter(s), with ∂E/∂p from backpropagation through layers l..L only.

numpy only; never Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .network import Network
from .notation import weight_name

#: Values of a single evaluation are processed in chunks of about this many numbers per array.
CHUNK_ELEMENTS = 1 << 18
#: Points of a curve and the side of a grid when not given.
CURVE_POINTS = 201
GRID_POINTS = 41
#: A descent stops when a parameter leaves ±DIVERGED (or E is no longer a finite number).
DIVERGED = 1e6


@dataclass(frozen=True)
class Parameter:
    """A weight w^layer_jk (kind "w") or a bias b^layer_j (kind "b", k None)."""

    kind: str
    layer: int
    j: int
    k: int | None = None

    @classmethod
    def parse(cls, text: str, net: Network | None = None) -> Parameter:
        """"w:L:J:K" or "b:L:J" (checked against ``net`` if given); ValueError otherwise."""
        parts = str(text).strip().split(":")
        kind = parts[0].lower()
        want = {"w": 4, "b": 3}.get(kind)
        if want is None or len(parts) != want:
            raise ValueError(f"a parameter is w:L:J:K (a weight) or b:L:J (a bias), got {text!r}")
        try:
            numbers = [int(p) for p in parts[1:]]
        except ValueError:
            raise ValueError(f"the indices of {text!r} must be whole numbers") from None
        param = cls(kind, numbers[0], numbers[1], numbers[2] if kind == "w" else None)
        if net is not None:
            param.check(net)
        return param

    def check(self, net: Network) -> None:
        """ValueError (saying what exists) if the network has no such parameter."""
        sizes, L = net.sizes, net.L
        if not 1 <= self.layer <= L:
            raise ValueError(f"{self.spec}: the layer must be between 1 and {L}")
        if not 0 <= self.j < sizes[self.layer]:
            raise ValueError(f"{self.spec}: layer {self.layer} has neurons 0…"
                             f"{sizes[self.layer] - 1}")
        if self.kind == "w" and not (self.k is not None and 0 <= self.k < sizes[self.layer - 1]):
            raise ValueError(f"{self.spec}: layer {self.layer - 1} has neurons 0…"
                             f"{sizes[self.layer - 1] - 1}")

    @property
    def spec(self) -> str:
        """The command line's spelling: "w:2:0:1", "b:1:0"."""
        ks = f":{self.k}" if self.kind == "w" else ""
        return f"{self.kind}:{self.layer}:{self.j}{ks}"

    @property
    def name(self) -> str:
        """The articles' symbol: "w²₀₁", "b¹₀"."""
        return weight_name(self.layer, self.j, self.k, kind=self.kind)

    def value(self, net: Network) -> float:
        if self.kind == "w":
            return float(net.weights[self.layer - 1][self.j, self.k])
        return float(net.biases[self.layer - 1][self.j])

    def gradient(self, grads) -> float:
        """This parameter's entry of a ``Gradients``."""
        if self.kind == "w":
            return float(grads.weights[self.layer - 1][self.j, self.k])
        return float(grads.biases[self.layer - 1][self.j])


@dataclass
class Path:
    """Gradient descent on a slice: ``points`` (k+1, P) from the start, ``E`` (k+1,) there;
    ``diverged`` when it stopped because a value or E ran away."""

    points: np.ndarray
    E: np.ndarray
    diverged: bool = False

    def to_dict(self) -> dict:
        return {"points": self.points.tolist(), "E": _floats(self.E),
                "diverged": self.diverged}


class Slice:
    """E as a function of the chosen parameters (one or two), all others as in ``net``, on
    inputs x ((n_0,) or (m, n_0)) and targets y ((n_L,) or (m, n_L)); E is the network's batch
    cost (the mean over the m examples). The network is read, never written."""

    def __init__(self, net: Network, x, y, params) -> None:
        params = list(params)
        if not 1 <= len(params) <= 2:
            raise ValueError("a slice is over one or two parameters")
        for p in params:
            p.check(net)
        if len(params) == 2 and params[0] == params[1]:
            raise ValueError(f"the two parameters are the same ({params[0].spec})")
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        self.single = x.ndim == 1
        self.net, self.params = net, params
        self.x, self.y = x, y
        self.X, self.Y = np.atleast_2d(x), np.atleast_2d(y)
        if self.X.shape[1:] != (net.sizes[0],) or self.Y.shape != (len(self.X), net.sizes[-1]):
            raise ValueError(f"need inputs of {net.sizes[0]} and targets of {net.sizes[-1]} "
                             f"values, got {x.shape} and {y.shape}")
        base = net.forward(self.X)  # the layers below ``lo`` come from here
        self.trace = net.forward(x) if self.single else base
        self.E0 = net.cost(self.trace, y)
        self.lo = lo = min(p.layer for p in params)
        self.value = np.array([p.value(net) for p in params])
        # Only the examples a parameter reaches are evaluated again: a weight of layer lo whose
        # input a^(lo−1)_k is 0 (a blank MNIST pixel) changes nothing for that example.
        rows = np.zeros(len(self.X), dtype=bool)
        for p in params:
            rows |= (p.layer > lo or p.kind == "b" or base.a[lo - 1][:, p.k] != 0)
        self.m, self.rows = len(self.X), np.flatnonzero(rows)
        self.rest = float(np.sum(net.cost_function.fn(base.a[-1], self.Y)[~rows]))
        keep = [i >= lo - 1 for i in range(net.L + 1)]  # the layers evaluated again
        self.base = type(base)([z[rows] if k and z is not None else None
                                for z, k in zip(base.z, keep)],
                               [a[rows] if k else None for a, k in zip(base.a, keep)])
        self.Ysub = self.Y[rows]

    # -- E over values, vectorised ---------------------------------------------------------------
    def energies(self, *values) -> np.ndarray:
        """E at every value of the first parameter (and, for two, every pair: shape (n1, n2)),
        the other parameters as they are."""
        vals = [np.asarray(v, dtype=np.float64).reshape(-1) for v in values]
        if len(vals) != len(self.params):
            raise ValueError(f"need values for {len(self.params)} parameter(s)")
        net, lo = self.net, self.lo
        # the widest array made: from layer lo + 1 on when layer lo changes in columns only
        cols_only = lo < net.L and not net.activations[lo - 1].couples_layer
        per_row = int(np.prod([len(v) for v in vals[1:]], dtype=np.int64)) * max(
            len(self.rows), 1) * max(net.sizes[lo + 1:] if cols_only else net.sizes[lo:])
        chunk = max(1, CHUNK_ELEMENTS // max(per_row, 1))
        rows = [self._evaluate([vals[0][i:i + chunk], *vals[1:]])
                for i in range(0, len(vals[0]), chunk)]
        return np.concatenate(rows, axis=0) if rows else np.zeros([len(v) for v in vals])

    def cost_at(self, point) -> float:
        """E with the chosen parameters at ``point`` (one value each)."""
        return float(self.energies(*[[v] for v in np.atleast_1d(point)]).reshape(-1)[0])

    def _evaluate(self, vals: list[np.ndarray]) -> np.ndarray:
        net, base, Y = self.net, self.base, self.Ysub
        P, L = len(vals), net.L
        bshape = tuple(len(v) for v in vals)
        dvs = []
        for i, v in enumerate(vals):
            shape = [1] * (P + 1)
            shape[i] = len(v)
            dvs.append((v - self.value[i]).reshape(shape))
        mode, a, a_cols, cols = "base", None, None, []
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for l in range(self.lo, L + 1):
                W, b, act = net.weights[l - 1], net.biases[l - 1], net.activations[l - 1]
                a_prev = base.a[l - 1]
                here = [(i, p) for i, p in enumerate(self.params) if p.layer == l]

                def column(k, mode=mode, a=a, a_cols=a_cols, cols=cols, a_prev=a_prev):
                    if mode == "full":
                        return a[..., k]
                    if mode == "cols" and k in cols:
                        return a_cols[cols.index(k)]
                    return a_prev[:, k]

                adds = [(p.j, dvs[i] * (1.0 if p.kind == "b" else column(p.k)))
                        for i, p in here]
                if mode == "base" and l < L and not act.couples_layer:
                    # only neuron j of this layer changes: its column alone, each column in
                    # the shape of the values it depends on
                    cols = sorted({j for j, _ in adds})
                    a_cols = []
                    for c in cols:
                        zc = base.z[l][:, c]
                        for j, d in adds:
                            if j == c:
                                zc = zc + d
                        a_cols.append(_activate(act, zc))
                    mode = "cols"
                    continue
                parts = None
                if mode == "base":
                    z = base.z[l]
                elif mode == "cols":  # a rank-|cols| update of the layer's own z
                    terms = sorted(((a_c - a_prev[:, c])[..., None] * W[:, c]
                                    for a_c, c in zip(a_cols, cols)), key=np.size)
                    parts = [terms[0] + base.z[l], *terms[1:]]
                    z = None
                else:
                    z = (a.reshape(-1, a.shape[-1]) @ W.T + b).reshape(
                        a.shape[:-1] + (W.shape[0],))
                if parts is not None and not adds and len(parts) == 2 and act.name == "sigmoid":
                    a = _sigmoid_of_sum(*parts)
                    if a is not None:
                        mode = "full"
                        continue
                if parts is not None:
                    z = parts[0]
                    for t in parts[1:]:
                        z = z + t
                if adds:
                    shape = np.broadcast_shapes(z.shape[:-1], *[d.shape for _, d in adds])
                    z = np.broadcast_to(z, shape + z.shape[-1:]).copy()
                    for j, d in adds:
                        z[..., j] += d
                elif parts is None:
                    z = z.copy()  # _activate writes into it
                a, mode = _activate(act, z), "full"
            E = (_cost_sum(net.cost_function, a, Y) + self.rest) / self.m
        return np.broadcast_to(E, bshape).copy()

    # -- slope and descent -------------------------------------------------------------------------
    def slope(self) -> np.ndarray:
        """∂E/∂p of each chosen parameter at its value, by backpropagation: for one example the
        network's own (the very number the Inspector, the equations and the gradient check
        show); for a batch through layers lo..L only (a full BP4 of a 784-input layer would
        cost more than the whole curve), equal to it but for rounding."""
        if not self.single:
            return self.at(self.value)[1]
        grads = self.net.backward(self.trace, self.y)
        return np.array([p.gradient(grads) for p in self.params])

    def at(self, point) -> tuple[float, np.ndarray]:
        """(E, ∂E/∂p) with the chosen parameters at ``point``, by a forward and a backward pass
        through layers lo..L only (the layers below do not depend on them)."""
        point = np.asarray(point, dtype=np.float64).reshape(-1)
        net, base, lo, L = self.net, self.base, self.lo, self.net.L
        Ws = {l: net.weights[l - 1] for l in range(lo, L + 1)}
        bs = {l: net.biases[l - 1] for l in range(lo, L + 1)}
        for p, v in zip(self.params, point):
            if p.layer > lo:
                arr = (Ws if p.kind == "w" else bs)
                arr[p.layer] = arr[p.layer].copy()
                arr[p.layer][(p.j, p.k) if p.kind == "w" else p.j] = v
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            acts, zs = {lo - 1: base.a[lo - 1]}, {}
            for l in range(lo, L + 1):
                if l == lo:  # z^lo changes in the chosen parameters' columns only
                    z = base.z[lo].copy()
                    for p, v, v0 in zip(self.params, point, self.value):
                        if p.layer == lo:
                            c = 1.0 if p.kind == "b" else acts[lo - 1][:, p.k]
                            z[:, p.j] += (v - v0) * c
                else:
                    z = acts[l - 1] @ Ws[l].T + bs[l]
                zs[l], acts[l] = z, net.activations[l - 1].fn(z)
            Y = self.Ysub
            E = (float(np.sum(net.cost_function.fn(acts[L], Y))) + self.rest) / self.m
            delta = net.cost_function.delta(zs[L], acts[L], Y, net.activations[-1])
            grads = {}
            for l in range(L, lo - 1, -1):
                for i, p in enumerate(self.params):
                    if p.layer == l:
                        c = 1.0 if p.kind == "b" else acts[l - 1][:, p.k]
                        grads[i] = float(np.sum(delta[:, p.j] * c)) / self.m
                if l > lo:
                    delta = net.activations[l - 2].backprop(zs[l - 1], acts[l - 1],
                                                            delta @ Ws[l])
        return E, np.array([grads[i] for i in range(len(self.params))])

    def descend(self, start, eta: float, steps: int) -> Path:
        """``steps`` steps of p ← p − η ∂E/∂p on the slice from ``start``; stops early when a
        value leaves ±DIVERGED or E is not finite (``diverged``)."""
        eta = _check_eta(eta)
        p = np.asarray(start, dtype=np.float64).reshape(-1).copy()
        points, energies = [p.copy()], []
        diverged = False
        for _ in range(int(steps)):
            E, g = self.at(p)
            energies.append(E)
            p = p - eta * g
            if not (np.all(np.isfinite(p)) and np.all(np.abs(p) < DIVERGED)
                    and math.isfinite(E)):
                diverged = True
                break
            points.append(p.copy())
        if len(energies) < len(points):
            energies.append(self.at(points[-1])[0])
        E = np.array(energies[:len(points)])
        diverged = diverged or not np.all(np.isfinite(E))
        return Path(np.array(points), E, diverged)

    def restarts(self, box, count: int, eta: float, steps: int, seed: int = 0) -> list[Path]:
        """Descents from ``count`` random starting points, uniform in ``box`` (one (low, high)
        per parameter); the same ``seed`` gives the same points."""
        rng = np.random.default_rng(seed)
        lows = np.array([b[0] for b in box], dtype=float)
        highs = np.array([b[1] for b in box], dtype=float)
        return [self.descend(lows + (highs - lows) * rng.random(len(lows)), eta, steps)
                for _ in range(int(count))]


def _activate(act, z: np.ndarray) -> np.ndarray:
    """σ(z) written into z (an array of our own) for the element-wise activations the curves
    spend their time in; the activation's own fn for the others."""
    if act.name == "sigmoid":  # 1 / (1 + e^(−z)): e^(−z) = ∞ gives 0, as it should
        np.negative(z, out=z)
        np.exp(z, out=z)
        z += 1.0
        return np.reciprocal(z, out=z)
    if act.name == "tanh":
        return np.tanh(z, out=z)
    if act.name == "relu":
        return np.maximum(z, 0.0, out=z)
    if act.name == "linear":
        return z
    return act.fn(z)


def _sigmoid_of_sum(u: np.ndarray, v: np.ndarray) -> np.ndarray | None:
    """σ(u + v) for arrays of different shapes whose sum is large (a grid: u over one
    parameter's values, v over the other's) as 1 / (1 + e^(−u) e^(−v)): the exponentials are
    taken of the small arrays. None when |u| or |v| reach 700 (e^(−u) could overflow where
    u + v does not)."""
    if max(np.abs(u).max(initial=0), np.abs(v).max(initial=0)) >= 700:
        return None
    p = np.multiply(np.exp(-u), np.exp(-v))
    p += 1.0
    return np.reciprocal(p, out=p)


def _cost_sum(cost, a: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Σ over the examples (the second-last axis) of the per-example cost; ``a`` is ours to
    overwrite."""
    if cost.name == "quadratic":
        a -= Y
        np.square(a, out=a)
        return 0.5 * a.sum(axis=(-2, -1))
    return np.sum(cost.fn(a, Y), axis=-1)


def span(value: float, half_width: float | None = None, points: int = CURVE_POINTS
         ) -> np.ndarray:
    """``points`` values from value − R to value + R (R = ``half_width``, default
    ``default_range(value)``); for an odd count the middle one is exactly ``value``."""
    r = default_range(value) if half_width is None else float(half_width)
    if not (math.isfinite(r) and r > 0):
        raise ValueError(f"the range must be a positive number, got {half_width}")
    points = int(points)
    if points < 2:
        raise ValueError(f"a curve needs at least 2 points, got {points}")
    values = value + r * np.linspace(-1.0, 1.0, points)
    if points % 2:
        values[points // 2] = value
    return values


def default_range(value: float) -> float:
    """Half the width shown around a value: max(2, 2·|value|)."""
    return max(2.0, 2.0 * abs(float(value)))


def _check_eta(eta) -> float:
    eta = float(eta)
    if not (math.isfinite(eta) and eta > 0):
        raise ValueError(f"η must be a positive number, got {eta:g}")
    return eta


def _floats(values) -> list:
    """Plain floats for JSON: NaN and ±∞ become None."""
    return [float(v) if math.isfinite(v) else None for v in np.asarray(values, float).ravel()]


@dataclass
class Curve:
    """E over one parameter: the picture of the articles' "graph of the error function"."""

    param: Parameter
    value: float
    values: np.ndarray
    E: np.ndarray
    E_value: float  # E at the value (the network's own E)
    slope: float  # backpropagated ∂E/∂param at the value
    eta: float
    step_to: float  # value − η·slope
    E_after: float  # E(step_to) on this slice
    path: Path | None = None
    restarts: list = field(default_factory=list)

    def to_dict(self) -> dict:
        out = {"param": self.param.spec, "name": self.param.name, "value": self.value,
               "values": self.values.tolist(), "E": _floats(self.E), "E_value": self.E_value,
               "slope": self.slope, "eta": self.eta, "step_to": self.step_to,
               "E_after": _floats([self.E_after])[0]}
        if self.path is not None:
            out["path"] = self.path.to_dict()
        if self.restarts:
            out["restarts"] = [r.to_dict() for r in self.restarts]
        return out


@dataclass
class Grid:
    """E over two parameters: the grid, the gradient at the point, one step, the descent path
    from the point and from random restarts."""

    params: list
    value: np.ndarray  # (2,)
    values: list  # two arrays: the grid's axes
    E: np.ndarray  # (n1, n2): E[i, k] at (values[0][i], values[1][k])
    E_value: float
    gradient: np.ndarray  # backpropagated (∂E/∂p1, ∂E/∂p2) at the value
    eta: float
    step_to: np.ndarray
    E_after: float
    path: Path | None = None
    restarts: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"params": [p.spec for p in self.params],
                "names": [p.name for p in self.params], "value": self.value.tolist(),
                "values": [v.tolist() for v in self.values],
                "E": [_floats(row) for row in self.E], "E_value": self.E_value,
                "gradient": self.gradient.tolist(), "eta": self.eta,
                "step_to": self.step_to.tolist(), "E_after": _floats([self.E_after])[0],
                "path": None if self.path is None else self.path.to_dict(),
                "restarts": [r.to_dict() for r in self.restarts]}


def curve(net: Network, x, y, param: Parameter, half_width: float | None = None,
          points: int = CURVE_POINTS, eta: float = 0.5, steps: int = 0, restarts: int = 0,
          seed: int = 0, values=None) -> Curve:
    """E(param) over value ± half_width at ``points`` values (or at the given ``values``),
    the backpropagated slope, one step of η and (``steps`` > 0) the descent path from the value
    and from ``restarts`` random starts within the range."""
    eta = _check_eta(eta)
    s = Slice(net, x, y, [param])
    value = float(s.value[0])
    values = (span(value, half_width, points) if values is None
              else np.asarray(values, dtype=np.float64).reshape(-1))
    slope = float(s.slope()[0])
    step_to = value - eta * slope
    out = Curve(param, value, values, s.energies(values), s.E0, slope, eta, step_to,
                s.cost_at([step_to]))
    if steps > 0:
        out.path = s.descend([value], eta, steps)
        out.restarts = s.restarts([(values[0], values[-1])], restarts, eta, steps, seed)
    return out


def grid(net: Network, x, y, p1: Parameter, p2: Parameter, half_width: float | None = None,
         points: int = GRID_POINTS, eta: float = 0.5, steps: int = 30, restarts: int = 4,
         seed: int = 0, axes=None, E=None) -> Grid:
    """E over a ``points`` × ``points`` grid of two parameters around their values (each
    ± half_width, default ``default_range`` of each; or over the two given ``axes``), the
    gradient, one step of η, and the descent paths (``steps`` steps, from the point and from
    ``restarts`` random starts within the grid). ``E``: the grid's values, already computed
    (row by row, with ``Slice.energies``, to draw them as they come)."""
    eta = _check_eta(eta)
    s = Slice(net, x, y, [p1, p2])
    axes = ([span(float(v), half_width, points) for v in s.value] if axes is None
            else [np.asarray(a, dtype=np.float64).reshape(-1) for a in axes])
    gradient = s.slope()
    step_to = s.value - eta * gradient
    E = s.energies(*axes) if E is None else np.asarray(E, dtype=np.float64)
    out = Grid([p1, p2], s.value.copy(), axes, E, s.E0, gradient, eta, step_to,
               s.cost_at(step_to))
    if steps > 0:
        out.path = s.descend(s.value, eta, steps)
        out.restarts = s.restarts([(a[0], a[-1]) for a in axes], restarts, eta, steps, seed)
    return out
