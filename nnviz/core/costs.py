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

    def fn(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Per-sample cost: a float for one sample, shape (m,) for a batch."""
        raise NotImplementedError

    def delta(self, z: np.ndarray, a: np.ndarray, y: np.ndarray, act: Activation) -> np.ndarray:
        """δ^L = ∂E/∂z^L of the per-sample cost, same shape as z."""
        raise NotImplementedError

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

    def delta(self, z, a, y, act):
        return a - y


class LogLikelihood(Cost):
    """E = −Σ_j y_j ln a_j (−ln a_y for a one-hot y) for softmax outputs; δ^L = a^L − y."""

    name = "log-likelihood"
    requires_output = "softmax"

    def fn(self, a, y):
        return -np.sum(y * _log(a), axis=-1)

    def delta(self, z, a, y, act):
        return a - y


COSTS: dict[str, type[Cost]] = {c.name: c for c in (Quadratic, CrossEntropy, LogLikelihood)}


def get_cost(name: str | Cost) -> Cost:
    """The cost called ``name`` (one of COSTS), or ``name`` itself if already one."""
    if isinstance(name, Cost):
        return name
    try:
        return COSTS[str(name).strip().lower()]()
    except KeyError:
        raise ValueError(f"unknown cost {name!r}; choose one of {', '.join(COSTS)}") from None
