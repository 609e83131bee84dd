"""What a training run trains on, described so that another process can load it: in-memory
Datasets (small sets), or MNIST read from its IDX files by the process that trains."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..constants import MNIST_CLASSES, MNIST_INPUTS, is_mnist_shaped
from .dataset import Dataset
from .mnist import load_mnist


@dataclass(frozen=True)
class DataSpec:
    """The data to train on, as the child process will load it.

    Source: ``train`` (and optionally ``validation``/``test``) in-memory Datasets, sent to the
    child through its pipe, meant for small sets (toy sets: a few KB); or, when ``train`` is
    None, MNIST read by the child itself from ``mnist_folder`` (None: the bundled files), so
    47 MB of images never cross the pipe. In-memory sets larger than a pipe's buffer (64 KB) make
    ``start()`` wait until the child has read them (measured: 0.18 s for 2,000 MNIST images,
    against 1 ms for a toy set): describe MNIST subsets with ``DataSpec.mnist`` instead.
    Then, in this order:
    train_size : keep the first N training samples (None: all).
    test_size : keep the first N test samples (None: all; 0: no test set).
    validation_size : split N samples off the training set, chosen at random by ``seed``
                      (as ``Dataset.split`` does).
    """

    train: Dataset | None = None
    validation: Dataset | None = None
    test: Dataset | None = None
    mnist_folder: str | None = None
    train_size: int | None = None
    test_size: int | None = None
    validation_size: int = 0
    seed: int | None = 0

    @classmethod
    def mnist(cls, folder=None, train_size=None, test_size=None, validation_size=0,
              seed=0) -> DataSpec:
        """MNIST, loaded in the child (folder None: the bundled files)."""
        return cls(None, None, None, None if folder is None else os.fspath(folder), train_size,
                   test_size, validation_size, seed)

    def __post_init__(self) -> None:
        for name in ("train_size", "test_size"):
            value = getattr(self, name)
            if value is not None and (int(value) != value or value < 0):
                raise ValueError(f"{name} must be a whole number ≥ 0 or None, got {value}")
        if self.train_size == 0:
            raise ValueError("train_size must be at least 1")
        if int(self.validation_size) != self.validation_size or self.validation_size < 0:
            raise ValueError(f"validation_size must be a whole number ≥ 0, got "
                             f"{self.validation_size}")
        if self.validation_size and self.validation is not None:
            raise ValueError("give either a validation Dataset or validation_size, not both")
        if self.train is None and (self.validation is not None or self.test is not None):
            raise ValueError("validation and test Datasets need a training Dataset too")

    @property
    def is_mnist(self) -> bool:
        return self.train is None

    def check(self, sizes) -> None:
        """Raise ValueError now, in the caller's process, if the data cannot fit a network of
        layer sizes ``sizes`` (checked for in-memory sets and the bundled MNIST; other folders
        are checked when read)."""
        if self.is_mnist:
            if self.mnist_folder is None and not is_mnist_shaped(sizes):
                raise ValueError(f"MNIST has {MNIST_INPUTS} inputs and {MNIST_CLASSES} "
                                 f"classes, but the network is {'-'.join(map(str, sizes))}")
            return
        for ds in (self.train, self.validation, self.test):
            if ds is not None and (ds.n_inputs, ds.n_outputs) != (sizes[0], sizes[-1]):
                raise ValueError(f"{ds.name} has {ds.n_inputs} inputs and {ds.n_outputs} "
                                 f"outputs, but the network is {'-'.join(map(str, sizes))}")

    def load(self) -> tuple[Dataset, Dataset | None, Dataset | None]:
        """(train, validation, test) Datasets; reads MNIST files when described by folder."""
        train, validation, test = self.train, self.validation, self.test
        if self.is_mnist:
            mnist = load_mnist(self.mnist_folder)
            train, test = mnist.train, mnist.test
        if self.train_size is not None:
            if self.train_size > len(train):
                raise ValueError(f"{train.name} has {len(train)} samples; cannot take "
                                 f"{self.train_size}")
            train = train.subset(slice(0, self.train_size))
        if self.test_size is not None and test is not None:
            test = test.subset(slice(0, self.test_size)) if self.test_size else None
        if self.validation_size:
            train, validation = train.split(self.validation_size, seed=self.seed)
        return train, validation, test
