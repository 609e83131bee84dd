"""Data sets for nnviz: IDX files, MNIST and small synthetic sets. numpy only, no Qt."""

from nnviz.data.dataset import Dataset
from nnviz.data.idx import IDX_TYPES, IDXError, read_idx, write_idx
from nnviz.data.mnist import (
    MNIST,
    DatasetError,
    default_mnist_dir,
    find_mnist_files,
    load_idx_dataset,
    load_mnist,
)
from nnviz.data.toy import (
    GATES,
    circle,
    function_samples,
    logic_gate,
    spiral,
    train_test_split,
    two_gaussians,
    xor,
    xor_points,
)

__all__ = [
    "Dataset",
    "IDX_TYPES",
    "IDXError",
    "read_idx",
    "write_idx",
    "MNIST",
    "DatasetError",
    "default_mnist_dir",
    "find_mnist_files",
    "load_idx_dataset",
    "load_mnist",
    "GATES",
    "circle",
    "function_samples",
    "logic_gate",
    "spiral",
    "train_test_split",
    "two_gaussians",
    "xor",
    "xor_points",
]
