"""Finite-difference check of backpropagation for any single weight or bias.

The central difference (E(p + ε) − E(p − ε)) / 2ε is an independent estimate of ∂E/∂p; it agrees
with backprop to about 1e-7 relative for smooth activations away from kinks.
"""

from __future__ import annotations

from dataclasses import dataclass

from .network import Network


@dataclass(frozen=True)
class GradientCheck:
    """Backprop and finite-difference values of one partial derivative."""

    parameter: str  # e.g. "w^2_31" or "b^1_0"
    backprop: float
    numeric: float

    @property
    def abs_diff(self) -> float:
        return abs(self.backprop - self.numeric)

    @property
    def rel_diff(self) -> float:
        """|backprop − numeric| / max(|backprop|, |numeric|), 0 when both are 0."""
        scale = max(abs(self.backprop), abs(self.numeric))
        return 0.0 if scale == 0 else self.abs_diff / scale

    def agrees(self, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
        return self.abs_diff <= atol + rtol * max(abs(self.backprop), abs(self.numeric))


def check_gradient(
    net: Network, x, y, layer: int, j: int, k: int | None = None, eps: float = 1e-6
) -> GradientCheck:
    """Compare ∂E/∂w^layer_jk (or ∂E/∂b^layer_j when k is None) from backprop with a central
    finite difference of the batch cost E(x, y). x: (n_0,) or (m, n_0); y: matching (n_L,) or
    (m, n_L). ``net`` is restored exactly afterwards.
    """
    if not 1 <= layer <= net.L:
        raise ValueError(f"layer must be between 1 and {net.L}, got {layer}")
    grads = net.backward(net.forward(x), y)
    if k is None:
        params, index, name = net.biases[layer - 1], (j,), f"b^{layer}_{j}"
        analytic = grads.biases[layer - 1][j]
    else:
        params, index, name = net.weights[layer - 1], (j, k), f"w^{layer}_{j}{k}"
        analytic = grads.weights[layer - 1][j, k]
    old = params[index]
    try:
        params[index] = old + eps
        e_plus = net.cost(net.forward(x), y)
        params[index] = old - eps
        e_minus = net.cost(net.forward(x), y)
    finally:
        params[index] = old
    return GradientCheck(name, float(analytic), (e_plus - e_minus) / (2 * eps))


def check_all(net: Network, x, y, eps: float = 1e-6) -> list[GradientCheck]:
    """check_gradient for every weight and bias (for small networks and tests)."""
    out = []
    for l in range(1, net.L + 1):
        n_out, n_in = net.weights[l - 1].shape
        for j in range(n_out):
            out.append(check_gradient(net, x, y, l, j, None, eps))
            for k in range(n_in):
                out.append(check_gradient(net, x, y, l, j, k, eps))
    return out
