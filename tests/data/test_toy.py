"""Tests for nnviz.data.toy: the small synthetic data sets."""

import math

import numpy as np
import pytest

from nnviz.data.dataset import Dataset
from nnviz.data.toy import (
    circle,
    function_samples,
    logic_gate,
    spiral,
    train_test_split,
    two_gaussians,
    xor,
    xor_points,
)

POINT_SETS = [circle, two_gaussians, spiral, xor_points]


def rows(ds: Dataset) -> set[tuple[float, ...]]:
    return {tuple(r) for r in np.hstack([ds.x, ds.y])}


# --- the four-point sets --------------------------------------------------------------------


def test_xor_truth_table():
    ds = xor()
    assert ds.x.shape == (4, 2) and ds.y.shape == (4, 1) and ds.y.dtype == np.float64
    expected = np.logical_xor(ds.x[:, 0], ds.x[:, 1]).astype(float)
    np.testing.assert_array_equal(ds.y[:, 0], expected)
    assert sorted(map(tuple, ds.x)) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert not ds.is_classification and ds.n_outputs == 1 and "XOR" in ds.name


@pytest.mark.parametrize(
    "name, rule",
    [("and", np.logical_and), ("or", np.logical_or), ("nand", lambda a, b: ~(a & b))],
)
def test_logic_gates(name, rule):
    ds = logic_gate(name)
    a, b = ds.x[:, 0].astype(bool), ds.x[:, 1].astype(bool)
    assert ds.y.shape == (4, 1)
    np.testing.assert_array_equal(ds.y[:, 0], rule(a, b).astype(float))
    assert name.upper() in ds.name


def test_logic_gate_name_is_case_insensitive_and_checked():
    np.testing.assert_array_equal(logic_gate(" AND ").y, logic_gate("and").y)
    with pytest.raises(ValueError, match="unknown logic gate"):
        logic_gate("maybe")


def test_four_point_sets_are_fresh_copies():
    first = xor()
    first.x[0, 0] = 9.0
    assert xor().x[0, 0] == 0.0


# --- the random 2-D point sets --------------------------------------------------------------


@pytest.mark.parametrize("make", POINT_SETS)
def test_point_set_shapes_and_targets(make):
    ds = make(n=101)
    assert isinstance(ds, Dataset)
    assert ds.x.shape == (101, 2) and ds.y.shape == (101, 1)
    assert ds.x.dtype == np.float64 and ds.y.dtype == np.float64
    assert set(np.unique(ds.y)) == {0.0, 1.0}
    assert 0.3 < ds.y.mean() < 0.7  # neither class is rare
    assert np.abs(ds.x).max() < 2.0  # roughly [-1, 1]^2
    assert ds.name and "101" in ds.name


@pytest.mark.parametrize("make", POINT_SETS)
def test_point_sets_are_reproducible(make):
    a, b, c = make(seed=3), make(seed=3), make(seed=4)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.x, c.x)
    assert len(make(seed=None)) == 200


@pytest.mark.parametrize("make", POINT_SETS)
def test_point_sets_check_arguments(make):
    with pytest.raises(ValueError):
        make(n=0)
    with pytest.raises(ValueError):
        make(noise=-0.1)


@pytest.mark.parametrize("make", [two_gaussians, spiral])
def test_balanced_sets_have_equal_classes(make):
    assert make(n=200).y.sum() == 100
    assert make(n=7).y.sum() == 3


@pytest.mark.parametrize("make", [two_gaussians, spiral])
def test_balanced_sets_are_shuffled(make):
    y = make(n=200).y[:, 0]
    assert 0 < y[:100].sum() < 100


def test_circle_labels_follow_the_radius_without_noise():
    ds = circle(n=500, noise=0.0)
    inside = np.hypot(ds.x[:, 0], ds.x[:, 1]) < math.sqrt(2 / math.pi)
    np.testing.assert_array_equal(ds.y[:, 0], inside.astype(float))
    assert np.abs(ds.x).max() <= 1.0


def test_noise_moves_points_but_not_labels():
    clean, noisy = circle(n=300, noise=0.0, seed=5), circle(n=300, noise=0.2, seed=5)
    np.testing.assert_array_equal(clean.y, noisy.y)
    assert 0.1 < np.abs(noisy.x - clean.x).mean() < 0.3


def test_xor_points_labels_follow_the_quadrants_without_noise():
    ds = xor_points(n=400, noise=0.0)
    np.testing.assert_array_equal(ds.y[:, 0], (ds.x[:, 0] * ds.x[:, 1] < 0).astype(float))


def test_two_gaussians_centres():
    ds = two_gaussians(n=2000, noise=0.1)
    ones, zeros = ds.x[ds.y[:, 0] == 1], ds.x[ds.y[:, 0] == 0]
    np.testing.assert_allclose(ones.mean(axis=0), [0.5, 0.5], atol=0.02)
    np.testing.assert_allclose(zeros.mean(axis=0), [-0.5, -0.5], atol=0.02)
    np.testing.assert_allclose(ones.std(axis=0), [0.1, 0.1], atol=0.01)


def test_spiral_arms_are_point_symmetric_without_noise():
    ds = spiral(n=400, noise=0.0)
    radius = np.hypot(ds.x[:, 0], ds.x[:, 1])
    assert radius.max() <= 0.95 + 1e-12
    # Arm 1 is arm 0 rotated by pi: at the same radius the points are opposite.
    angle = np.arctan2(ds.x[:, 1], ds.x[:, 0])
    t = radius / 0.95
    expected = 3 * np.pi * t + np.pi * ds.y[:, 0]
    np.testing.assert_allclose(np.cos(angle - expected), 1.0, atol=1e-9)


# --- function samples -----------------------------------------------------------------------


def test_function_samples_with_numpy_function():
    ds = function_samples(np.sin, n=50)
    assert ds.x.shape == (50, 1) and ds.y.shape == (50, 1)
    assert ds.x[0, 0] == 0.0 and ds.x[-1, 0] == 1.0
    assert np.all(np.diff(ds.x[:, 0]) > 0)
    np.testing.assert_allclose(ds.y, np.sin(ds.x))
    assert "sin" in ds.name


def test_function_samples_with_scalar_function_and_lambda():
    np.testing.assert_allclose(function_samples(math.sin, n=20).y, function_samples(np.sin, 20).y)
    square = function_samples(lambda x: x**2, n=11, name="square")
    np.testing.assert_allclose(square.y[:, 0], np.linspace(0, 1, 11) ** 2)
    assert square.name == "square"
    constant = function_samples(lambda x: 0.5, n=4)
    np.testing.assert_array_equal(constant.y, np.full((4, 1), 0.5))


def test_function_samples_noise_is_seeded():
    a = function_samples(np.cos, n=200, noise=0.1, seed=1)
    b = function_samples(np.cos, n=200, noise=0.1, seed=1)
    np.testing.assert_array_equal(a.y, b.y)
    residual = a.y - np.cos(a.x)
    assert 0.07 < residual.std() < 0.13


def test_function_samples_rejects_bad_functions():
    with pytest.raises(ValueError, match="NaN"):
        function_samples(lambda x: np.where(x > 0.5, np.nan, x), n=10)
    with pytest.raises(ValueError, match="NaN"):
        function_samples(lambda x: 1 / (x + 1) if x < 1 else math.inf, n=10)
    with pytest.raises(ValueError, match="one value per x"):
        function_samples(lambda x: np.zeros(3), n=10)
    with pytest.raises(ValueError):
        function_samples(np.sin, n=1)


# --- train/test split -----------------------------------------------------------------------


def test_train_test_split_sizes_and_partition():
    ds = circle(n=200)
    train, test = train_test_split(ds, test_fraction=0.3, seed=0)
    assert len(train) == 140 and len(test) == 60
    assert rows(train).isdisjoint(rows(test))
    assert rows(train) | rows(test) == rows(ds)
    assert train.name.endswith("(train)") and test.name.endswith("(test)")


def test_train_test_split_is_seeded():
    ds = spiral(n=100)
    a, b, c = train_test_split(ds, seed=2), train_test_split(ds, seed=2), train_test_split(ds)
    np.testing.assert_array_equal(a[1].x, b[1].x)
    assert not np.array_equal(a[1].x, c[1].x)


def test_train_test_split_keeps_both_parts_non_empty():
    train, test = train_test_split(xor(), test_fraction=0.01)
    assert len(train) == 3 and len(test) == 1
    for bad in (0.0, 1.0, -0.5, 1.5):
        with pytest.raises(ValueError):
            train_test_split(xor(), test_fraction=bad)


def test_train_test_split_of_labelled_data_keeps_classes():
    ds = Dataset(np.arange(20.0).reshape(10, 2), np.arange(10) % 3, name="labels")
    train, test = train_test_split(ds, test_fraction=0.5)
    assert train.n_classes == test.n_classes == 3


def test_the_regression_sets_have_continuous_targets_of_their_points():
    from nnviz.data import toy

    plane = toy.plane_regression(50, noise=0.0, seed=3)
    np.testing.assert_allclose(plane.y[:, 0], (plane.x[:, 0] + plane.x[:, 1]) / 2)
    bumps = toy.gaussians_regression(400, noise=0.0, seed=3)
    assert bumps.y.shape == (400, 1) and not bumps.is_binary
    assert bumps.y.max() > 0.8 and bumps.y.min() < -0.8  # three bumps up, three down
    assert np.abs(bumps.y).max() <= 1.05
    noisy = toy.plane_regression(50, noise=0.2, seed=3)
    np.testing.assert_array_equal(noisy.y, plane.y)  # the jitter moves the points only
    assert not np.allclose(noisy.x, plane.x)
