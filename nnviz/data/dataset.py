"""A labelled data set as the trainer sees it: inputs x, targets y, and how to scale x.

Images stay in their stored dtype (MNIST: uint8, 47 MB for 60k images instead of 188 MB as
float32) and are scaled to floats one batch at a time with ``x_scale``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """Inputs and targets for training or evaluation.

    x : array (n, n_0), any numeric dtype. The network input for sample i is ``x[i] * x_scale``.
    y : either int labels, shape (n,), with values in 0..n_classes-1 (one-hot targets for a
        classifier with n_classes outputs), or float targets, shape (n, n_L).
    x_scale : factor applied to x when a batch is made (1/255 for 8-bit images).
    name : shown in messages and the GUI.
    shape : the natural shape of one input, e.g. (28, 28) for MNIST, for display only.
    """

    x: np.ndarray
    y: np.ndarray
    x_scale: float = 1.0
    name: str = "data"
    shape: tuple[int, ...] | None = None
    n_classes: int | None = field(default=None)

    def __post_init__(self) -> None:
        x, y = np.asarray(self.x), np.asarray(self.y)
        if x.ndim != 2:
            raise ValueError(f"{self.name}: inputs must have shape (n, features), got {x.shape}")
        if y.ndim not in (1, 2) or len(y) != len(x):
            raise ValueError(
                f"{self.name}: {len(x)} inputs but targets of shape {y.shape}"
            )
        if y.ndim == 1:
            if not np.issubdtype(y.dtype, np.integer):
                raise ValueError(f"{self.name}: 1-D targets must be integer class labels")
            n_classes = self.n_classes
            if n_classes is None:
                n_classes = int(y.max()) + 1 if len(y) else 0
            if len(y) and (y.min() < 0 or y.max() >= n_classes):
                raise ValueError(f"{self.name}: labels must lie in 0..{n_classes - 1}")
            object.__setattr__(self, "n_classes", n_classes)
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    def __len__(self) -> int:
        return len(self.x)

    @property
    def n_inputs(self) -> int:
        """Number of input features n_0."""
        return self.x.shape[1]

    @property
    def n_outputs(self) -> int:
        """Number of network outputs n_L these targets need."""
        return self.n_classes if self.y.ndim == 1 else self.y.shape[1]

    @property
    def is_classification(self) -> bool:
        """True when y holds class labels (accuracy is defined)."""
        return self.y.ndim == 1

    @property
    def is_binary(self) -> bool:
        """True for one float target per sample that is always 0 or 1 (a yes/no problem for a
        single output neuron): accuracy counts an output above 0.5 as 1."""
        y = self.y
        return y.ndim == 2 and y.shape[1] == 1 and len(y) > 0 and \
            bool(np.all((y == 0) | (y == 1)))

    @property
    def has_accuracy(self) -> bool:
        """True when accuracy is defined: class labels, or binary targets."""
        return self.is_classification or self.is_binary

    def inputs(self, idx=slice(None), dtype=np.float64) -> np.ndarray:
        """Scaled float inputs of the selected samples, shape (m, n_0)."""
        return np.multiply(self.x[idx], self.x_scale, dtype=dtype)

    def targets(self, idx=slice(None), dtype=np.float64) -> np.ndarray:
        """Float targets of the selected samples, shape (m, n_L) (one-hot for labels)."""
        y = self.y[idx]
        if self.y.ndim == 2:
            return np.asarray(y, dtype=dtype)
        y = np.atleast_1d(y)
        out = np.zeros((len(y), self.n_classes), dtype=dtype)
        out[np.arange(len(y)), y] = 1
        return out

    def subset(self, idx, name: str | None = None) -> Dataset:
        """A new Dataset of the selected samples (idx: slice, index array or mask)."""
        return Dataset(
            self.x[idx], self.y[idx], self.x_scale, name or self.name, self.shape, self.n_classes
        )

    def split(self, n_validation: int, seed: int | None = 0) -> tuple[Dataset, Dataset]:
        """Split off ``n_validation`` samples, chosen at random by ``seed``.

        Returns (train, validation). With seed None the last samples are taken, as Nielsen's
        loader takes MNIST's last 10,000 training images for validation.
        """
        n = len(self)
        if not 0 <= n_validation < n:
            raise ValueError(
                f"{self.name}: validation size must be between 0 and {n - 1}, got {n_validation}"
            )
        if seed is None:
            order = np.arange(n)
        else:
            order = np.random.default_rng(seed).permutation(n)
        val, train = np.sort(order[n - n_validation:]), np.sort(order[: n - n_validation])
        return (
            self.subset(train, f"{self.name} (train)"),
            self.subset(val, f"{self.name} (validation)"),
        )
