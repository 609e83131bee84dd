"""Changes made by hand to a network's weights and biases: the values the inspector and the
layer actions ask for, computed here (numpy only) and applied by the document as undoable steps.

Every function returns new arrays and leaves the network alone.
"""

from __future__ import annotations

import math

import numpy as np

from .network import Network

#: Weights and biases typed or dragged by hand stay within ±MAX_ABS (a sigmoid is saturated far
#: before; larger values only overflow exp()).
MAX_ABS = 1000.0
#: Layer actions: what each does, for menus and undo names.
LAYER_ACTIONS = {
    "randomise": "Randomise",
    "scale": "Scale",
    "zero": "Zero",
    "noise": "Add noise to",
}


def check_value(value, what: str = "a weight or bias") -> float:
    """``value`` as a float if it is finite and within ±MAX_ABS; ValueError naming the rule."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(v):
        raise ValueError(f"{what} must be a finite number, got {v}")
    if abs(v) > MAX_ABS:
        raise ValueError(f"{what} must lie between −{MAX_ABS:g} and {MAX_ABS:g}, got {v:g}")
    return v


def _check_layer(net: Network, layer: int) -> None:
    if not 1 <= layer <= net.L:
        raise ValueError(f"layer must be 1…{net.L} (layer 0 is the input), got {layer}")


def layer_action(net: Network, layer: int, action: str, amount: float = 1.0,
                 seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(w, b) of ``layer`` after ``action``: "randomise" (fresh values drawn as the network's
    initialisation draws them), "scale" (w and b times ``amount``), "zero", or "noise" (plus
    Gaussian noise of standard deviation ``amount``). Results outside ±MAX_ABS are refused."""
    _check_layer(net, layer)
    w, b = net.weights[layer - 1], net.biases[layer - 1]
    rng = np.random.default_rng(seed)
    if action == "randomise":
        fresh = Network(net.sizes[layer - 1: layer + 1], net.activation_names[layer - 1],
                        "quadratic" if net.activations[layer - 1].name != "softmax"
                        else "log-likelihood", seed=seed, init=net.init)
        new_w, new_b = fresh.weights[0], fresh.biases[0]
    elif action == "scale":
        factor = check_value(amount, "the factor")
        new_w, new_b = w * factor, b * factor
    elif action == "zero":
        new_w, new_b = np.zeros_like(w), np.zeros_like(b)
    elif action == "noise":
        sigma = check_value(amount, "the noise's standard deviation")
        if sigma < 0:
            raise ValueError(f"the noise's standard deviation must be ≥ 0, got {sigma:g}")
        new_w = w + sigma * rng.standard_normal(w.shape)
        new_b = b + sigma * rng.standard_normal(b.shape)
    else:
        raise ValueError(f"unknown layer action {action!r}; choose one of "
                         f"{', '.join(LAYER_ACTIONS)}")
    top = max(np.abs(new_w).max(initial=0.0), np.abs(new_b).max(initial=0.0))
    if not np.isfinite(top) or top > MAX_ABS:
        raise ValueError(f"that would put a value of {top:.3g} in layer {layer}; values stay "
                         f"within ±{MAX_ABS:g}")
    return new_w, new_b


def switched_off(net: Network, layer: int, j: int) -> np.ndarray:
    """w^(layer+1) with column j zeroed: neuron j of ``layer`` no longer feeds the next layer
    (an ablation). ValueError for the output layer, which feeds nothing."""
    if not 0 <= layer < net.L:
        raise ValueError("only neurons that feed a next layer can be switched off")
    if not 0 <= j < net.sizes[layer]:
        raise ValueError(f"layer {layer} has no neuron {j}")
    w = net.weights[layer].copy()
    w[:, j] = 0.0
    return w
