"""Activation functions σ, each with its derivative, by name.

Every activation works on z of any shape whose last axis is the layer (a single sample (n,) or a
batch (m, n)). ``fn(z)`` returns a = σ(z). ``backprop(z, a, grad_a)`` returns ∂E/∂z from ∂E/∂a:
for the element-wise functions that is σ'(z) ⊙ ∂E/∂a, the Hadamard product of BP1/BP2; softmax,
whose output j depends on every z_k, applies its Jacobian instead.

The ``*_`` methods are in-place versions used by the trainer's hot loop: they write into given
buffers and allocate (almost) nothing. They take the trainer's column layout, (n, m): the layer
on axis 0 and one column per sample, as the articles write z = w a + b.
"""

from __future__ import annotations

import numpy as np


class Activation:
    """Base class. Subclasses set ``name``, ``smooth`` and implement fn and prime."""

    name = ""
    #: False when σ' is zero almost everywhere (the step unit): gradients cannot flow through it.
    smooth = True
    #: True when output j depends on the whole layer (softmax); allowed only on the output layer.
    couples_layer = False
    #: Range of a, for display: (low, high) with None for unbounded.
    output_range: tuple[float | None, float | None] = (None, None)

    def fn(self, z: np.ndarray) -> np.ndarray:
        """a = σ(z), same shape as z."""
        raise NotImplementedError

    def prime(self, z: np.ndarray) -> np.ndarray:
        """σ'(z) element-wise, same shape as z (element-wise activations only)."""
        raise NotImplementedError

    def backprop(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """∂E/∂z = σ'(z) ⊙ ∂E/∂a; all arrays the same shape."""
        return self.prime(z) * grad_a

    # In-place versions for the trainer. ``fn_(z, out)`` writes σ(z) into out (may be a view of a
    # wider buffer); ``backprop_(z, a, g)`` overwrites g with ∂E/∂z, using a and/or z, and may
    # use z as scratch space (the trainer no longer needs z at that point).
    def fn_(self, z: np.ndarray, out: np.ndarray) -> None:
        out[...] = self.fn(z)

    def backprop_(self, z: np.ndarray, a: np.ndarray, g: np.ndarray) -> None:
        g *= self.prime(z)

    def __repr__(self) -> str:
        return f"<activation {self.name}>"


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(−z)), the articles' smooth neuron; σ' = σ(1 − σ)."""

    name = "sigmoid"
    output_range = (0.0, 1.0)

    def fn(self, z):
        # Two branches so that e^(−z) never overflows: for z < 0 use e^z / (1 + e^z).
        z = np.asarray(z, dtype=float)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def prime(self, z):
        s = self.fn(z)
        return s * (1.0 - s)

    def fn_(self, z, out):
        # σ(z) = ½ tanh(z/2) + ½: no overflow, four in-place passes.
        np.multiply(z, 0.5, out=out)
        np.tanh(out, out=out)
        out *= 0.5
        out += 0.5

    def backprop_(self, z, a, g):
        g *= a
        np.subtract(1.0, a, out=z)  # z is not needed after this layer's backward step
        g *= z


class Tanh(Activation):
    """tanh(z); tanh' = 1 − tanh²."""

    name = "tanh"
    output_range = (-1.0, 1.0)

    def fn(self, z):
        return np.tanh(z)

    def prime(self, z):
        return 1.0 - np.tanh(z) ** 2

    def fn_(self, z, out):
        np.tanh(z, out=out)

    def backprop_(self, z, a, g):
        np.multiply(a, a, out=z)
        np.subtract(1.0, z, out=z)
        g *= z


class ReLU(Activation):
    """max(0, z); derivative 1 for z > 0, else 0 (0 is used at z = 0)."""

    name = "relu"
    output_range = (0.0, None)

    def fn(self, z):
        return np.maximum(z, 0.0)

    def prime(self, z):
        return (np.asarray(z) > 0).astype(float)

    def fn_(self, z, out):
        np.maximum(z, 0.0, out=out)

    def backprop_(self, z, a, g):
        g *= z > 0


class LeakyReLU(Activation):
    """z for z > 0, else αz with α = 0.01."""

    name = "leaky-relu"
    alpha = 0.01

    def fn(self, z):
        z = np.asarray(z, dtype=float)
        return np.where(z > 0, z, self.alpha * z)

    def prime(self, z):
        return np.where(np.asarray(z) > 0, 1.0, self.alpha)

    def fn_(self, z, out):
        np.multiply(z, self.alpha, out=out)
        np.maximum(z, out, out=out)

    def backprop_(self, z, a, g):
        np.multiply(g, self.alpha, out=g, where=z <= 0)


class Linear(Activation):
    """The identity σ(z) = z: a layer of these only computes w a + b, a linear map."""

    name = "linear"

    def fn(self, z):
        return np.array(z, dtype=float, copy=True)

    def prime(self, z):
        return np.ones_like(np.asarray(z, dtype=float))

    def fn_(self, z, out):
        out[...] = z

    def backprop_(self, z, a, g):
        pass


class Step(Activation):
    """The articles' threshold (perceptron) unit: 1 if z ≥ 0 else 0.

    Its derivative is 0 wherever it exists, so δ = 0 flows back through it and gradient descent
    cannot change the weights feeding it — the articles' reason for the smooth sigmoid. (At z = 0
    the derivative does not exist; nnviz uses 0 there too.)
    """

    name = "step"
    smooth = False
    output_range = (0.0, 1.0)

    def fn(self, z):
        return (np.asarray(z) >= 0).astype(float)

    def prime(self, z):
        return np.zeros_like(np.asarray(z, dtype=float))

    def fn_(self, z, out):
        np.greater_equal(z, 0, out=out, casting="unsafe")

    def backprop_(self, z, a, g):
        g[...] = 0


class Softmax(Activation):
    """a_j = e^(z_j) / Σ_k e^(z_k) over the layer (last axis): outputs sum to 1.

    Output layer only. Its Jacobian ∂a_j/∂z_k = a_j (1[j=k] − a_k) is not diagonal, so
    backprop returns a ⊙ (g − (g · a)), not σ' ⊙ g.
    """

    name = "softmax"
    couples_layer = True
    output_range = (0.0, 1.0)

    def fn(self, z):
        z = np.asarray(z, dtype=float)
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def prime(self, z):
        raise ValueError("softmax has no element-wise derivative; use backprop()")

    def backprop(self, z, a, grad_a):
        return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))

    def fn_(self, z, out):
        np.subtract(z, z.max(axis=0, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= out.sum(axis=0, keepdims=True)

    def backprop_(self, z, a, g):
        s = np.sum(g * a, axis=0, keepdims=True)
        g -= s
        g *= a


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Sigmoid, Tanh, ReLU, LeakyReLU, Linear, Step, Softmax)
}


def get_activation(name: str | Activation) -> Activation:
    """The activation called ``name`` (one of ACTIVATIONS), or ``name`` itself if already one."""
    if isinstance(name, Activation):
        return name
    try:
        return ACTIVATIONS[str(name).strip().lower()]()
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None
