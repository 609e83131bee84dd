"""The walk: one example stepped through the forward and backward passes, a stage at a time.

    walk = Walk(net, x, y, eta=0.5)
    walk.stages          # [Stage("input"), Stage("forward", 1), …, Stage("update")]
    walk.forward_known   # layers whose z, a are computed at the current stage
    walk.next(); walk.back(); walk.go(i)

Every number comes from the core's own ``Network.forward`` and ``Network.backward`` on the example,
computed once when the walk is made: a stage only decides which of them are *known* yet. The
update stage's new parameters (w − η ∂E/∂w, b − η ∂E/∂b) and the cost after the update are
computed here too, but the walk never writes into the network: whoever owns the network applies
``params_after`` when the walk reaches the update stage and ``params_before`` when it steps back,
so stepping back restores the very same arrays, bit for bit.

Stages, for a network with L weight layers (2L + 5 in all):

    0            input      a^0 = x
    1 … L        forward    z^l = w^l a^(l−1) + b^l, a^l = σ(z^l), for l = 1 … L
    L + 1        error      E = C(a^L, y) and the output error a^L − y
    L + 2 … 2L+1 backward   δ^L (BP1), then δ^l (BP2) for l = L−1 … 1
    2L + 2       backward   δ^0 = ∂E/∂x = (w^1)ᵀ δ^1, down to the pixels: the input has no σ′
                            (a^0 = x), so this is the last step of BP2 without the slope
    2L + 3       gradients  ∂E/∂w^l_jk = a^(l−1)_k δ^l_j (BP4), ∂E/∂b^l_j = δ^l_j (BP3)
    2L + 4       update     w ← w − η ∂E/∂w, b ← b − η ∂E/∂b, and E after

δ^0 closes the backward pass (it is computed from δ^1 exactly as δ^1 was from δ^2) and comes
before the gradients, which need no δ^0: the walk's ``grads.delta[0]`` holds it (the network's
own ``backward`` leaves delta[0] None, as training needs no ∂E/∂x), and ``input_gradient`` is
the same array.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..constants import STEP_ETA
from .network import Gradients, Network, Trace, input_gradient
from .notation import sup

STAGE_KINDS = ("input", "forward", "error", "backward", "gradients", "update")


@dataclass(frozen=True)
class Stage:
    """One stage of the walk. ``layer`` is l for forward and backward stages, else None."""

    kind: str
    layer: int | None = None

    @property
    def title(self) -> str:
        if self.kind == "input":
            return "Input: a⁰ = x"
        if self.kind == "forward":
            return f"Forward, layer {self.layer}: z{sup(self.layer)} and a{sup(self.layer)}"
        if self.kind == "error":
            return "Error: E and aᴸ − y"
        if self.kind == "backward" and self.layer == 0:
            return "Backward, input: δ⁰ = ∂E/∂x"
        if self.kind == "backward":
            return f"Backward, layer {self.layer}: δ{sup(self.layer)} = ∂E/∂z{sup(self.layer)}"
        if self.kind == "gradients":
            return "Gradients: ∂E/∂w and ∂E/∂b"
        return "Update: w ← w − η ∂E/∂w"


class Walk:
    """One example (x, y) stepped through ``net``. See the module docstring.

    net : the network (read, never written). x : input, shape (n_0,). y : target, shape (n_L,).
    eta : learning rate η of the update stage (> 0, finite).

    Attributes (all computed by the core at construction):
    trace : Trace of x (z[l], a[l] of shape (n_l,)). grads : Gradients (delta[l] of shape (n_l,),
    delta[0] = ∂E/∂x, weights[l-1] = ∂E/∂w^l of shape (n_l, n_(l−1)), biases[l-1] = ∂E/∂b^l
    of shape (n_l,)). input_gradient : δ⁰ = ∂E/∂x = (w¹)ᵀ δ¹, shape (n_0,).
    E_before : E(x, y) with the network's parameters. params_before : copies of (weights, biases).
    params_after, E_after : after one gradient-descent step with η (see ``set_eta``).
    x and y are copied. Raises ValueError (with a message for the user) when x or y are not
    numbers, have the wrong length or are not finite, or when η is not a positive number.
    """

    def __init__(self, net: Network, x, y, eta: float = STEP_ETA) -> None:
        # Copies, so that a caller changing its own arrays later cannot change the walk.
        x = _vector(x, "input")
        y = _vector(y, "target")
        if x.shape != (net.sizes[0],):
            raise ValueError(f"the input needs {_values(net.sizes[0])}, got shape {x.shape}")
        if y.shape != (net.sizes[-1],):
            raise ValueError(f"the target needs {_values(net.sizes[-1])}, got shape {y.shape}")
        if not (np.isfinite(x).all() and np.isfinite(y).all()):
            raise ValueError("input and target values must be finite numbers")
        net.cost_function.check_target(y)
        self.net = net
        self.x, self.y = x, y
        self.L = net.L
        self.trace: Trace = net.forward(x)
        self.grads: Gradients = net.backward(self.trace, y)
        self.input_gradient = input_gradient(net.weights[0], self.grads.delta[1])
        self.grads.delta[0] = self.input_gradient
        self.E_before = net.cost(self.trace, y)
        self.params_before = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
        self.stages = ([Stage("input")] + [Stage("forward", l) for l in range(1, self.L + 1)]
                       + [Stage("error")]
                       + [Stage("backward", l) for l in range(self.L, -1, -1)]
                       + [Stage("gradients"), Stage("update")])
        self.index = 0
        self.set_eta(eta)

    # -- the update --------------------------------------------------------------------------
    def set_eta(self, eta: float) -> None:
        """Recompute the update stage for a new η (the parameters before stay the same)."""
        try:
            eta = float(eta)
        except (TypeError, ValueError):
            raise ValueError(f"η must be a positive number, got {eta!r}") from None
        if not math.isfinite(eta) or eta <= 0:
            raise ValueError(f"η must be a positive number, got {eta}")
        w0, b0 = self.params_before
        with np.errstate(over="ignore", invalid="ignore"):
            params_after = ([w - eta * g for w, g in zip(w0, self.grads.weights)],
                            [b - eta * g for b, g in zip(b0, self.grads.biases)])
        after = self.net.copy()
        try:
            after.set_parameters(*params_after)
        except ValueError:
            raise ValueError(f"η = {eta} is too large: the update overflows") from None
        with np.errstate(over="ignore", invalid="ignore"):
            trace_after = after.forward(self.x)
            E_after = after.cost(trace_after, self.y)
        if not math.isfinite(E_after):
            raise ValueError(f"η = {eta} is too large: the cost after the update overflows")
        # Assigned together, so a rejected η leaves the walk as it was.
        self.eta, self.params_after = eta, params_after
        self.trace_after: Trace = trace_after
        self.E_after = E_after

    def delta_params(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The pending change (Δw^l, Δb^l) = (−η ∂E/∂w^l, −η ∂E/∂b^l)."""
        return ([-self.eta * g for g in self.grads.weights],
                [-self.eta * g for g in self.grads.biases])

    # -- moving ------------------------------------------------------------------------------
    @property
    def stage(self) -> Stage:
        return self.stages[self.index]

    @property
    def at_start(self) -> bool:
        return self.index == 0

    @property
    def at_end(self) -> bool:
        return self.index == len(self.stages) - 1

    def go(self, index: int) -> Stage:
        """Move to stage ``index`` (clamped to the walk)."""
        self.index = max(0, min(len(self.stages) - 1, int(index)))
        return self.stage

    def next(self) -> Stage:
        return self.go(self.index + 1)

    def back(self) -> Stage:
        return self.go(self.index - 1)

    def first(self) -> Stage:
        return self.go(0)

    def last(self) -> Stage:
        return self.go(len(self.stages) - 1)

    # -- what is known at the current stage --------------------------------------------------
    @property
    def forward_known(self) -> int:
        """The highest layer whose z and a are computed (0: only the input)."""
        return min(self.index, self.L)

    @property
    def error_known(self) -> bool:
        return self.index >= self.L + 1

    @property
    def delta_known(self) -> int | None:
        """The lowest layer whose δ is computed (0: δ⁰ = ∂E/∂x too), or None before the
        backward pass."""
        back = self.index - (self.L + 1)
        if back < 1:
            return None
        return max(0, self.L + 1 - back)

    @property
    def gradients_known(self) -> bool:
        return self.stage.kind in ("gradients", "update")

    @property
    def updated(self) -> bool:
        """True at the update stage: the network should hold ``params_after``."""
        return self.stage.kind == "update"

    def is_forward_known(self, layer: int) -> bool:
        return layer <= self.forward_known

    def is_delta_known(self, layer: int) -> bool:
        known = self.delta_known
        return known is not None and layer >= known

    @property
    def current_layer(self) -> int | None:
        """The layer the current stage works on (0 for the input, L for the error)."""
        s = self.stage
        if s.kind == "input":
            return 0
        if s.kind == "error":
            return self.L
        return s.layer

    # -- numbers -----------------------------------------------------------------------------
    @property
    def output_error(self) -> np.ndarray:
        """a^L − y."""
        return self.trace.output - self.y

    def to_dict(self) -> dict:
        """Every stage's numbers as plain lists (for ``nnviz step --json``)."""
        layers = []
        for l in range(1, self.L + 1):
            layers.append({
                "l": l,
                "activation": self.net.activation_names[l - 1],
                "w": self.params_before[0][l - 1].tolist(),
                "b": self.params_before[1][l - 1].tolist(),
                "z": self.trace.z[l].tolist(),
                "a": self.trace.a[l].tolist(),
                "delta": self.grads.delta[l].tolist(),
                "grad_w": self.grads.weights[l - 1].tolist(),
                "grad_b": self.grads.biases[l - 1].tolist(),
                "w_after": self.params_after[0][l - 1].tolist(),
                "b_after": self.params_after[1][l - 1].tolist(),
            })
        return {
            "sizes": list(self.net.sizes),
            "activations": list(self.net.activation_names),
            "cost": self.net.cost_name,
            "eta": self.eta,
            "input": self.x.tolist(),
            "target": self.y.tolist(),
            "output": self.trace.output.tolist(),
            "input_gradient": self.input_gradient.tolist(),
            "E_before": self.E_before,
            "E_after": self.E_after,
            "stages": [s.title for s in self.stages],
            "layers": layers,
        }


def _vector(values, what: str) -> np.ndarray:
    """values as a new float64 array; ValueError naming ``what`` if they are not numbers."""
    try:
        return np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"the {what} must be numbers, got {values!r}") from None


def _values(n: int) -> str:
    return f"{n} value" if n == 1 else f"{n} values"
