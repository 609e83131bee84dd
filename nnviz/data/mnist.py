"""Load MNIST (or any IDX image/label pair) as ``Dataset`` objects.

The four original MNIST files ship with nnviz. They are looked for in
``<package>/assets/mnist`` (an installed wheel) and then ``<repo root>/assets/mnist`` (a source
checkout). Any folder holding the four files may be given instead, under their standard names
with or without ".gz" (``train-images-idx3-ubyte.gz``) or the dotted variant some mirrors use
(``train-images.idx3-ubyte``).

Images are kept as uint8, flattened to (n, 784), and scaled by ``x_scale = 1/255`` one batch at
a time by the trainer.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnviz.constants import ASSET_DIRS
from nnviz.data.dataset import Dataset
from nnviz.data.idx import IDXError, read_idx

#: Standard MNIST file stems, by role.
MNIST_FILES: dict[str, str] = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
MNIST_CLASSES = 10


class DatasetError(IDXError):
    """IDX files that are readable but do not form a valid data set (counts, labels, shapes)."""


@dataclass(frozen=True)
class MNIST:
    """The MNIST training set (60,000 images) and test set (10,000 images).

    Each is a Dataset with x of shape (n, 784) uint8, x_scale 1/255, y of shape (n,) uint8
    labels 0..9, shape (28, 28) and n_classes 10.
    """

    train: Dataset
    test: Dataset
    folder: Path


def _candidate_names(stem: str) -> list[str]:
    """Names accepted for ``stem``: with or without ".gz", "x-idx3-ubyte" also as "x.idx3-ubyte"."""
    head, _, tail = stem.rpartition("-idx")
    dotted = f"{head}.idx{tail}"
    return [f"{stem}.gz", stem, f"{dotted}.gz", dotted]


def find_mnist_files(folder: str | os.PathLike) -> dict[str, Path]:
    """Paths of the four MNIST files in ``folder``, keyed like ``MNIST_FILES``.

    Raises DatasetError naming the folder and listing every missing file with the names
    accepted for it.
    """
    folder = Path(folder)
    found: dict[str, Path] = {}
    missing: list[str] = []
    for role, stem in MNIST_FILES.items():
        names = _candidate_names(stem)
        path = next((folder / n for n in names if (folder / n).is_file()), None)
        if path is None:
            missing.append(f"{stem} (as {' or '.join(names)})")
        else:
            found[role] = path
    if missing:
        raise DatasetError(f"{folder}: missing MNIST file(s): " + "; ".join(missing))
    return found


def _has_all_files(folder: Path) -> bool:
    try:
        find_mnist_files(folder)
    except DatasetError:
        return False
    return True


def default_mnist_dir() -> Path:
    """The folder of the bundled MNIST files.

    Tries ``<package dir>/assets/mnist`` then ``<repo root>/assets/mnist`` and returns the first
    that holds all four files (else the first that exists, so that loading it reports which file
    is missing). Raises DatasetError when neither folder exists.
    """
    candidates = [folder / "mnist" for folder in ASSET_DIRS]
    for folder in candidates:
        if _has_all_files(folder):
            return folder
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise DatasetError(
        "bundled MNIST files not found; looked in " + " and ".join(str(c) for c in candidates)
    )


def _check_labels(labels: np.ndarray, path: Path, n_classes: int | None) -> int:
    """Validate class labels of shape (n,); returns the number of classes."""
    if labels.ndim != 1:
        raise DatasetError(f"{path}: labels must be 1-D (n,), got shape {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise DatasetError(f"{path}: labels must be integers, got {labels.dtype}")
    if len(labels) and labels.min() < 0:
        raise DatasetError(f"{path}: negative label {int(labels.min())}")
    if n_classes is None:
        return int(labels.max()) + 1 if len(labels) else 0
    if len(labels) and labels.max() >= n_classes:
        raise DatasetError(
            f"{path}: label {int(labels.max())} out of range 0..{n_classes - 1}"
        )
    return n_classes


def load_idx_dataset(
    images_path: str | os.PathLike,
    labels_path: str | os.PathLike,
    name: str = "data",
    n_classes: int | None = None,
) -> Dataset:
    """A classification Dataset from an IDX images file and an IDX labels file.

    images: shape (n, ...) with at least 2 dimensions, flattened to x of shape (n, prod(...));
    ``shape`` records the per-sample shape, e.g. (28, 28). uint8 images get x_scale 1/255,
    all other dtypes 1.0. labels: integer shape (n,), values in 0..n_classes-1 (n_classes
    defaults to max label + 1). Raises IDXError/DatasetError naming the offending file.
    """
    images_path, labels_path = Path(images_path), Path(labels_path)
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim < 2:
        raise DatasetError(
            f"{images_path}: images must have shape (n, ...) with at least 2 dimensions, "
            f"got {images.shape}"
        )
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_path} has {len(images)} images but {labels_path} has {len(labels)} labels"
        )
    n_classes = _check_labels(labels, labels_path, n_classes)
    sample_shape = tuple(int(s) for s in images.shape[1:])
    x = images.reshape(len(images), int(np.prod(sample_shape)))
    x_scale = 1.0 / 255.0 if images.dtype == np.uint8 else 1.0
    return Dataset(x, labels, x_scale=x_scale, name=name, shape=sample_shape, n_classes=n_classes)


def _load_split(images_path: Path, labels_path: Path, name: str) -> Dataset:
    dataset = load_idx_dataset(images_path, labels_path, name, n_classes=MNIST_CLASSES)
    if len(dataset.shape) != 2:
        raise DatasetError(
            f"{images_path}: MNIST images must be 3-D (n, rows, cols), "
            f"got per-image shape {dataset.shape}"
        )
    return dataset


def _load_folder(folder: Path) -> MNIST:
    paths = find_mnist_files(folder)
    train = _load_split(paths["train_images"], paths["train_labels"], "MNIST train")
    test = _load_split(paths["test_images"], paths["test_labels"], "MNIST test")
    if train.shape != test.shape:
        raise DatasetError(
            f"{folder}: training images are {train.shape} but test images are {test.shape}"
        )
    return MNIST(train=train, test=test, folder=folder)


@functools.lru_cache(maxsize=1)
def _load_default_cached(folder: Path) -> MNIST:
    """The bundled set, loaded once; its arrays are read-only so callers cannot alter the cache."""
    mnist = _load_folder(folder)
    for dataset in (mnist.train, mnist.test):
        dataset.x.flags.writeable = False
        dataset.y.flags.writeable = False
    return mnist


def load_mnist(folder: str | os.PathLike | None = None) -> MNIST:
    """Load MNIST from ``folder`` (default: the bundled files, see ``default_mnist_dir``).

    The default set is cached and its arrays are read-only; a given folder is read afresh each
    call. Raises IDXError (or its subclass DatasetError) naming the folder or file on failure.
    """
    if folder is None:
        return _load_default_cached(default_mnist_dir())
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: MNIST folder not found")
    return _load_folder(folder)
