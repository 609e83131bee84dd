"""Cost functions E(a^L, y), each supplying its own output error δ^L = ∂E/∂z^L (BP1).

Per-sample costs, as in the articles; the cost of a batch is their mean. Arrays have the layer on
the last axis: a and y of shape (n_L,) for one sample or (m, n_L) for a batch.
"""

from __future__ import annotations

import numpy as np

from .activations import Activation


def _log(p: np.ndarray) -> np.ndarray:
    """ln p with p clipped to the dtype's smallest normal number, so that a saturated output
    gives a large finite cost instead of −inf."""
    p = np.asarray(p)
    if not np.issubdtype(p.dtype, np.floating):
        p = p.astype(np.float64)
    return np.log(np.maximum(p, np.finfo(p.dtype).tiny))


class Cost:
    """Base class: ``fn`` is the per-sample cost, ``delta`` the output error δ^L."""

    name = ""
    #: Name of the output activation this cost requires, or None for any.
    requires_output: str | None = None
    #: The largest effective step η/(1 − μ) this cost usually tolerates on MNIST-sized
    #: problems (η per mean-over-batch gradient); ``nnviz train`` warns far above it. Measured
    #: on 784-256-10, 2 epochs of 10,000 images, μ 0.9: effective 3 learns, 10 does not.
    usual_max_step = 3.0

    def fn(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Per-sample cost: a float for one sample, shape (m,) for a batch."""
        raise NotImplementedError

    def delta(self, z: np.ndarray, a: np.ndarray, y: np.ndarray, act: Activation) -> np.ndarray:
        """δ^L = ∂E/∂z^L of the per-sample cost, same shape as z."""
        raise NotImplementedError

    def check_target(self, y) -> None:
        """Raise ValueError (a message for the user) if target(s) ``y`` do not suit this cost;
        the quadratic cost takes any finite numbers."""

    def check_output(self, act: Activation) -> None:
        """Raise ValueError if this cost cannot be paired with output activation ``act``."""
        if self.requires_output and act.name != self.requires_output:
            raise ValueError(
                f"the {self.name} cost needs a {self.requires_output} output layer, "
                f"not {act.name}"
            )

    def __repr__(self) -> str:
        return f"<cost {self.name}>"


class Quadratic(Cost):
    """E = ½ ‖a^L − y‖², the articles' cost; δ^L = (a^L − y) ⊙ σ'(z^L)."""

    name = "quadratic"
    usual_max_step = 3.0  # the articles train 784-30-10 at η 3 (no momentum)

    def fn(self, a, y):
        return 0.5 * np.sum((a - y) ** 2, axis=-1)

    def delta(self, z, a, y, act):
        return act.backprop(z, a, a - y)


class CrossEntropy(Cost):
    """E = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)] for sigmoid outputs; δ^L = a^L − y.

    The σ' factor cancels, so a saturated wrong output still learns fast (Nielsen, ch. 3).
    """

    name = "cross-entropy"
    requires_output = "sigmoid"

    def fn(self, a, y):
        a = np.asarray(a)
        return -np.sum(y * _log(a) + (1 - y) * _log(1 - a), axis=-1)

    def check_target(self, y) -> None:
        y = np.asarray(y, dtype=float)
        outside = y[(y < 0) | (y > 1)]
        if outside.size:
            raise ValueError(
                "the cross-entropy cost needs targets between 0 and 1 (each is the probability "
                f"that its output is on), got {outside.flat[0]:g}"
            )

    def delta(self, z, a, y, act):
        return a - y


class LogLikelihood(Cost):
    """E = −Σ_j y_j ln a_j (−ln a_y for a one-hot y) for softmax outputs; δ^L = a^L − y.

    That δ holds for a target that sums to 1 (a probability distribution, e.g. one-hot), the
    only targets ``check_target`` accepts. ``delta`` computes the general ∂E/∂z^L = a^L Σ_j y_j
    − y, so a gradient is right whatever y is given to the core.
    """

    name = "log-likelihood"
    requires_output = "softmax"

    def fn(self, a, y):
        return -np.sum(y * _log(a), axis=-1)

    def delta(self, z, a, y, act):
        return a * np.sum(y, axis=-1, keepdims=True) - y

    def check_target(self, y) -> None:
        y = np.asarray(y, dtype=float)
        if (y < 0).any():
            raise ValueError("the log-likelihood cost needs targets ≥ 0 (a probability for "
                             f"each output), got {y[y < 0].flat[0]:g}")
        sums = np.sum(y, axis=-1)
        bad = np.abs(sums - 1) > 1e-6
        if np.any(bad):
            raise ValueError("the log-likelihood cost needs a target that sums to 1 (a "
                             "probability distribution over the outputs, e.g. one-hot), got "
                             f"one that sums to {np.atleast_1d(sums)[np.atleast_1d(bad)][0]:g}")


COSTS: dict[str, type[Cost]] = {c.name: c for c in (Quadratic, CrossEntropy, LogLikelihood)}


def get_cost(name: str | Cost) -> Cost:
    """The cost called ``name`` (one of COSTS), or ``name`` itself if already one."""
    if isinstance(name, Cost):
        return name
    try:
        return COSTS[str(name).strip().lower()]()
    except KeyError:
        raise ValueError(f"unknown cost {name!r}; choose one of {', '.join(COSTS)}") from None
