"""Tests for nnviz.data.mnist: the bundled MNIST set, folder layouts and data set errors."""

import gzip
from pathlib import Path

import numpy as np
import pytest

import nnviz
import nnviz.data.mnist as mnist_module
from nnviz.data.dataset import Dataset
from nnviz.data.idx import IDXError, write_idx
from nnviz.data.mnist import (
    MNIST_FILES,
    DatasetError,
    default_mnist_dir,
    load_idx_dataset,
    load_mnist,
)

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def make_split(rng, n, shape=(28, 28)):
    """Random uint8 images (n, *shape) and labels (n,) in 0..9."""
    return rng.integers(0, 256, (n, *shape), dtype=np.uint8), rng.integers(0, 10, n, np.uint8)


def write_fake_mnist(folder: Path, pattern: str = "{stem}.gz", n_train=12, n_test=5, seed=0):
    """Write a small MNIST-like set into ``folder``; returns the arrays written, by role.

    ``pattern`` formats the file name from ``stem`` (standard) and ``dotted`` (the variant).
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    train_x, train_y = make_split(rng, n_train)
    test_x, test_y = make_split(rng, n_test)
    arrays = {
        "train_images": train_x,
        "train_labels": train_y,
        "test_images": test_x,
        "test_labels": test_y,
    }
    for role, array in arrays.items():
        stem = MNIST_FILES[role]
        head, _, tail = stem.rpartition("-idx")
        write_idx(folder / pattern.format(stem=stem, dotted=f"{head}.idx{tail}"), array)
    return arrays


# --- the bundled set ------------------------------------------------------------------------


def test_bundled_shapes_and_dtypes(mnist):
    assert isinstance(mnist.train, Dataset) and isinstance(mnist.test, Dataset)
    assert mnist.train.x.shape == (60000, 784) and mnist.test.x.shape == (10000, 784)
    assert mnist.train.x.dtype == np.uint8 and mnist.test.x.dtype == np.uint8
    for ds in (mnist.train, mnist.test):
        assert np.issubdtype(ds.y.dtype, np.integer) and ds.y.ndim == 1
        assert ds.x_scale == pytest.approx(1 / 255)
        assert ds.shape == (28, 28)
        assert ds.n_classes == 10 and ds.n_inputs == 784 and ds.n_outputs == 10


def test_bundled_label_counts(mnist):
    assert np.bincount(mnist.train.y, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(mnist.test.y, minlength=10).tolist() == TEST_COUNTS


def test_bundled_pixel_range(mnist):
    for ds in (mnist.train, mnist.test):
        assert ds.x.min() == 0 and ds.x.max() == 255
    scaled = mnist.test.inputs(slice(0, 100))
    assert scaled.min() == 0.0 and scaled.max() == 1.0


def test_bundled_images_look_like_digits(mnist):
    images = mnist.train.x[:1000].reshape(-1, 28, 28)
    assert images[:, :, 0].max() == 0  # blank left border
    assert images[:, 10:18, 10:18].mean() > 50  # ink in the centre
    # Mean images of different digits differ: images and labels are correctly paired.
    ones = mnist.train.x[mnist.train.y == 1].mean(axis=0)
    zeros = mnist.train.x[mnist.train.y == 0].mean(axis=0)
    centre = 14 * 28 + 14
    assert ones[centre] > 150 > zeros[centre]


def test_default_load_is_cached_and_read_only(mnist):
    assert load_mnist() is mnist
    with pytest.raises(ValueError):
        mnist.train.x[0, 0] = 1
    with pytest.raises(ValueError):
        mnist.test.y[0] = 3


def test_default_dir_is_the_repo_assets():
    folder = default_mnist_dir()
    assert (folder / "train-images-idx3-ubyte.gz").is_file()
    assert folder == Path(nnviz.__file__).resolve().parent.parent / "assets" / "mnist"


# --- default_mnist_dir search order -----------------------------------------------------------


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """Pretend nnviz lives at tmp/checkout/nnviz; returns (package assets, repo assets)."""
    package_dir = tmp_path / "checkout" / "nnviz"
    package_dir.mkdir(parents=True)
    monkeypatch.setattr(mnist_module, "ASSET_DIRS",
                        (package_dir / "assets", package_dir.parent / "assets"))
    return package_dir / "assets" / "mnist", package_dir.parent / "assets" / "mnist"


def test_default_dir_prefers_package_assets(fake_package):
    package_assets, repo_assets = fake_package
    write_fake_mnist(package_assets, n_train=3, n_test=2)
    write_fake_mnist(repo_assets, n_train=4, n_test=2)
    assert default_mnist_dir() == package_assets


def test_default_dir_falls_back_to_repo_root(fake_package):
    package_assets, repo_assets = fake_package
    write_fake_mnist(repo_assets, n_train=4, n_test=2)
    assert default_mnist_dir() == repo_assets
    package_assets.mkdir(parents=True)  # an empty package folder does not win
    assert default_mnist_dir() == repo_assets


def test_default_dir_missing(fake_package):
    package_assets, repo_assets = fake_package
    with pytest.raises(DatasetError) as info:
        default_mnist_dir()
    assert str(package_assets) in str(info.value) and str(repo_assets) in str(info.value)


# --- other folders --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern", ["{stem}.gz", "{stem}", "{dotted}", "{dotted}.gz"]
)
def test_load_folder_with_name_variants(tmp_path, pattern):
    arrays = write_fake_mnist(tmp_path / "mnist", pattern)
    data = load_mnist(tmp_path / "mnist")
    assert data.train.x.shape == (12, 784) and data.test.x.shape == (5, 784)
    np.testing.assert_array_equal(data.train.x, arrays["train_images"].reshape(12, 784))
    np.testing.assert_array_equal(data.train.y, arrays["train_labels"])
    np.testing.assert_array_equal(data.test.x[3], arrays["test_images"][3].ravel())
    np.testing.assert_array_equal(data.test.y, arrays["test_labels"])
    assert data.train.n_classes == 10 and data.train.shape == (28, 28)
    assert data.folder == tmp_path / "mnist"


def test_folder_without_files(tmp_path):
    with pytest.raises(IDXError) as info:
        load_mnist(tmp_path)
    message = str(info.value)
    assert str(tmp_path) in message
    for stem in MNIST_FILES.values():
        assert stem in message


def test_folder_missing_one_file(tmp_path):
    write_fake_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    message = str(info.value)
    assert "t10k-labels-idx1-ubyte" in message and "train-images" not in message


def test_folder_that_does_not_exist(tmp_path):
    with pytest.raises(IDXError, match="not found") as info:
        load_mnist(tmp_path / "absent")
    assert str(tmp_path / "absent") in str(info.value)


def test_image_label_count_mismatch(tmp_path):
    write_fake_mnist(tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(11, np.uint8))
    with pytest.raises(DatasetError) as info:
        load_mnist(tmp_path)
    message = str(info.value)
    assert "train-images-idx3-ubyte.gz" in message and "train-labels-idx1-ubyte.gz" in message
    assert "12 images" in message and "11 labels" in message


def test_labels_out_of_range(tmp_path):
    write_fake_mnist(tmp_path)
    labels = np.zeros(5, np.uint8)
    labels[2] = 10
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels)
    with pytest.raises(DatasetError, match="out of range") as info:
        load_mnist(tmp_path)
    assert "t10k-labels-idx1-ubyte.gz" in str(info.value)


def test_images_not_3d(tmp_path):
    write_fake_mnist(tmp_path)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((12, 784), np.uint8))
    with pytest.raises(DatasetError, match="3-D") as info:
        load_mnist(tmp_path)
    assert "train-images-idx3-ubyte.gz" in str(info.value)


def test_train_and_test_image_sizes_differ(tmp_path):
    write_fake_mnist(tmp_path)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((5, 20, 20), np.uint8))
    with pytest.raises(DatasetError, match="test images") as info:
        load_mnist(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_corrupt_file_in_folder(tmp_path):
    write_fake_mnist(tmp_path)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(IDXError) as info:
        load_mnist(tmp_path)
    assert str(path) in str(info.value)


def test_given_folder_is_not_cached_and_writeable(tmp_path):
    write_fake_mnist(tmp_path)
    first, second = load_mnist(tmp_path), load_mnist(tmp_path)
    assert first is not second
    first.train.x[0, 0] = 7  # a private copy: allowed
    assert second.train.x.flags.writeable


# --- load_idx_dataset -----------------------------------------------------------------------


def test_generic_float_images(tmp_path):
    images = np.random.default_rng(1).standard_normal((6, 2, 3, 4)).astype(np.float32)
    labels = np.array([0, 1, 2, 0, 1, 2], dtype=np.int32)
    write_idx(tmp_path / "x.idx", images)
    write_idx(tmp_path / "y.idx.gz", labels)
    ds = load_idx_dataset(tmp_path / "x.idx", tmp_path / "y.idx.gz", name="blocks")
    assert ds.x.shape == (6, 24) and ds.x.dtype == np.float32
    np.testing.assert_array_equal(ds.x[4], images[4].ravel())
    assert ds.x_scale == 1.0 and ds.shape == (2, 3, 4) and ds.name == "blocks"
    assert ds.n_classes == 3  # inferred from the largest label
    np.testing.assert_array_equal(ds.y, labels)


def test_generic_uint8_images_are_scaled(tmp_path):
    write_idx(tmp_path / "x.idx", np.full((4, 5), 255, np.uint8))
    write_idx(tmp_path / "y.idx", np.array([1, 0, 1, 0], np.uint8))
    ds = load_idx_dataset(tmp_path / "x.idx", tmp_path / "y.idx", n_classes=4)
    assert ds.x_scale == pytest.approx(1 / 255) and ds.shape == (5,)
    assert ds.n_classes == 4
    assert ds.inputs().max() == pytest.approx(1.0)


def test_generic_rejects_1d_images(tmp_path):
    write_idx(tmp_path / "x.idx", np.zeros(4, np.uint8))
    write_idx(tmp_path / "y.idx", np.zeros(4, np.uint8))
    with pytest.raises(DatasetError, match="at least 2 dimensions") as info:
        load_idx_dataset(tmp_path / "x.idx", tmp_path / "y.idx")
    assert str(tmp_path / "x.idx") in str(info.value)


@pytest.mark.parametrize(
    "labels, problem",
    [
        (np.array([0, -1, 1], np.int8), "negative"),
        (np.array([0.0, 1.0, 1.0], np.float32), "integers"),
        (np.zeros((3, 2), np.uint8), "1-D"),
    ],
)
def test_generic_rejects_bad_labels(tmp_path, labels, problem):
    write_idx(tmp_path / "x.idx", np.zeros((3, 2), np.uint8))
    write_idx(tmp_path / "y.idx", labels)
    with pytest.raises(DatasetError, match=problem) as info:
        load_idx_dataset(tmp_path / "x.idx", tmp_path / "y.idx")
    assert str(tmp_path / "y.idx") in str(info.value)


def test_swapped_images_and_labels_give_a_clear_error(tmp_path):
    write_fake_mnist(tmp_path)
    with pytest.raises(DatasetError):
        load_idx_dataset(
            tmp_path / "train-labels-idx1-ubyte.gz", tmp_path / "train-images-idx3-ubyte.gz"
        )


def test_gzip_content_without_gz_name(tmp_path):
    arrays = write_fake_mnist(tmp_path, "{stem}")
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(gzip.compress(path.read_bytes()))
    np.testing.assert_array_equal(
        load_mnist(tmp_path).train.x, arrays["train_images"].reshape(12, -1)
    )
