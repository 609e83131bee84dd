"""Each layer's signal at a glance: how much of a layer is stuck on the forward pass, how much
error reaches it on the backward pass (numpy only).

Forward: the share of a layer's units that pass (almost) no gradient back, by activation —

    sigmoid, tanh, step   "saturated": a within SATURATION_MARGIN of the range's limits
                          (σ′ ≤ 0.02 there for the sigmoid, ≤ 0.04 for tanh; a step unit is
                          always at a limit, its σ′ is 0)
    relu                  "dead": a = 0 (z ≤ 0, σ′ = 0)
    leaky-relu, linear,   none: their σ′ never vanishes, and softmax's outputs, coupled through
    softmax               the layer, have no unit of their own that saturates

— for one input (a of shape (n,)) or over a batch (a of shape (m, n): the share of all m·n
unit activations). Backward: ‖δ^l‖ as the RMS over the layer's neurons (and samples),
sqrt(mean(δ²)), comparable between layers of different sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation

#: A bounded unit counts as saturated when its output is this close to a limit of its range.
SATURATION_MARGIN = 0.02

#: Activation name → what its forward share counts (the others count nothing).
SHARE_KINDS = {"sigmoid": "saturated", "tanh": "saturated", "step": "saturated",
               "relu": "dead"}


@dataclass(frozen=True)
class Share:
    """The share (0…1) of a layer's units that are ``kind`` ("saturated" or "dead"), out of
    ``count`` unit activations."""

    kind: str
    share: float
    count: int


def share_kind(act: Activation) -> str | None:
    """What the forward share of a layer of ``act`` counts, or None (see the module)."""
    return SHARE_KINDS.get(act.name)


def stuck_mask(act: Activation, a: np.ndarray) -> np.ndarray | None:
    """Bool array shaped like ``a``: the units that are saturated or dead (None when the
    activation has no such share)."""
    kind = share_kind(act)
    a = np.asarray(a, dtype=float)
    if kind == "dead":
        return a == 0.0
    if kind == "saturated":
        lo, hi = act.output_range
        return (a <= lo + SATURATION_MARGIN) | (a >= hi - SATURATION_MARGIN)
    return None


def layer_share(act: Activation, a: np.ndarray) -> Share | None:
    """The share of saturated or dead units in activations ``a`` ((n,) for one input, (m, n)
    for a batch) of a layer of ``act``; None when the activation has no such share."""
    mask = stuck_mask(act, a)
    if mask is None or mask.size == 0:
        return None
    return Share(share_kind(act), float(np.mean(mask)), int(mask.size))


def forward_shares(net, trace) -> list[Share | None]:
    """Every layer's share for a network's trace (one input or a batch): index l for layer
    l, None for the input layer 0 and for activations without a share."""
    return [None] + [layer_share(act, a) for act, a in zip(net.activations, trace.a[1:])]


def batch_shares(net, x: np.ndarray) -> list[Share | None]:
    """``forward_shares`` over a batch of inputs x (m, n_0): each share counts all m·n_l unit
    activations of the layer."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"a batch of inputs has shape (m, {net.sizes[0]}), not {x.shape}")
    return forward_shares(net, net.forward(x))


def delta_rms(delta: np.ndarray) -> float:
    """‖δ^l‖ as the root mean square over the layer's neurons (and samples, for a batch)."""
    d = np.asarray(delta, dtype=float)
    if d.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(d * d)))


def delta_norms(deltas) -> list[float | None]:
    """``delta_rms`` of every layer's δ (None where it is None, e.g. the input layer)."""
    return [None if d is None else delta_rms(d) for d in deltas]


def batch_delta_norms(net, x: np.ndarray, y: np.ndarray) -> list[float | None]:
    """``delta_rms`` of every layer's δ over a batch (x (m, n_0), targets y (m, n_L)): the RMS
    over all m·n_l values of δ^l, each sample's own error."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"a batch of inputs has shape (m, {net.sizes[0]}), not {x.shape}")
    trace = net.forward(x)
    return delta_norms(net.backward(trace, y).delta)
