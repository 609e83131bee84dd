"""MNIST-style preprocessing of a drawn digit: cropping, area-averaged scaling, sub-pixel
centring, value range, and the round trip of real MNIST digits through the canvas."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.core.network import Network
from nnviz.core.training import TrainConfig, Trainer
from nnviz.data.drawing import (
    Preprocessed,
    area_overlap_matrix,
    centre_of_mass,
    preprocess_drawing,
    render_for_canvas,
)

MNIST_CENTRE = 14.5  # measured mean centre of mass of the MNIST digits (see drawing.py)


@pytest.fixture(scope="module")
def net(mnist):
    """784-30-10 sigmoid net after one epoch on MNIST (about 0.3 s, ~90% test accuracy)."""
    net = Network([784, 30, 10], "sigmoid", "quadratic", seed=0)
    for _ in Trainer(net, mnist.train, TrainConfig(eta=3.0, batch_size=10, epochs=1,
                                                   seed=0)).run():
        pass
    return net


def digit(mnist, i):
    return mnist.test.x[i].reshape(28, 28) / 255.0


def stroke(shape, points, radius):
    """Ink of a polyline through ``points`` (row, col) drawn with an anti-aliased round pen."""
    rows, cols = np.indices(shape) + 0.5
    dist = np.full(shape, np.inf)
    for (r0, c0), (r1, c1) in zip(points[:-1], points[1:]):
        d = np.array([r1 - r0, c1 - c0], float)
        t = ((rows - r0) * d[0] + (cols - c0) * d[1]) / max(d @ d, 1e-12)
        t = np.clip(t, 0, 1)
        dist = np.minimum(dist, np.hypot(rows - r0 - t * d[0], cols - c0 - t * d[1]))
    return np.clip(radius + 0.5 - dist, 0.0, 1.0)


def output_bbox_size(image):
    inked = image > 1e-9  # ignore rounding-level slivers at the box's edges
    rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


GEOMETRIC_CENTRE = 14.0  # the field's middle, 28 / 2


def check_centred(p, centre=MNIST_CENTRE):
    assert not p.clipped
    assert p.centre_of_mass == pytest.approx(centre_of_mass(p.image), abs=1e-12)
    assert np.all(np.abs(np.array(p.centre_of_mass) - centre) < 0.05), p.centre_of_mass


# -- nothing drawn ------------------------------------------------------------------------------
def test_empty_canvas_is_no_input():
    assert preprocess_drawing(np.zeros((280, 280))) is None
    assert preprocess_drawing(np.zeros((1, 1))) is None
    assert preprocess_drawing(np.zeros((5, 5)), threshold=-1.0) is None


def test_noise_below_the_threshold_is_no_input():
    noise = np.random.default_rng(0).uniform(0, 0.99 / 255, (280, 280))
    assert preprocess_drawing(noise) is None
    assert preprocess_drawing(noise, threshold=0.5 / 255) is not None


# -- shapes that stress the geometry -------------------------------------------------------------
@pytest.mark.parametrize("shape,where", [((280, 280), (37, 201)), ((1, 1), (0, 0)),
                                         ((5, 300), (4, 0))])
def test_single_dot_becomes_a_centred_box(shape, where):
    ink = np.zeros(shape)
    ink[where] = 0.7
    p = preprocess_drawing(ink)
    assert p.bbox == (where[0], where[1], where[0] + 1, where[1] + 1) and p.scale == 20.0
    check_centred(p)
    # one source pixel stretched to 20x20 at a sub-pixel position: 400 pixels' worth of ink
    assert p.image.sum() == pytest.approx(0.7 * 400)
    assert p.image.max() == pytest.approx(0.7)
    assert output_bbox_size(p.image) == (21, 21)  # centre 14.5 with a 20 box: [4.5, 24.5)


@pytest.mark.parametrize("transpose", [False, True])
def test_thin_lines_of_extreme_aspect_ratio(transpose):
    ink = np.zeros((280, 280))
    ink[100, 20:260] = 1.0  # 1 x 240 px
    if transpose:
        ink = ink.T
    p = preprocess_drawing(ink)
    check_centred(p)
    assert p.scale == pytest.approx(20 / 240)
    long_side, short_side = sorted(output_bbox_size(p.image), reverse=True)
    assert long_side in (20, 21) and short_side <= 2  # 20 px, on 21 pixels if it starts mid-pixel
    # area averaging keeps the mass: a faint line rather than a vanishing or aliased one
    assert p.image.sum() == pytest.approx(240 * p.scale**2)


@pytest.mark.parametrize("seed", range(8))
def test_random_strokes_are_centred_and_size_normalised(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(60, 400, 2))
    size = rng.uniform(0.2, 0.9) * min(shape)
    corner = rng.uniform(0, 1, 2) * (np.array(shape) - size)
    points = corner + rng.uniform(0, size, (rng.integers(2, 6), 2))
    ink = stroke(shape, points, radius=rng.uniform(0.5, 12)) * rng.uniform(0.3, 1)
    p = preprocess_drawing(ink)
    top, left, bottom, right = p.bbox
    assert p.scale * max(bottom - top, right - left) == pytest.approx(20)
    if p.clipped:  # a lopsided stroke may not fit once its centre of mass is centred
        pytest.skip("clipped")
    check_centred(p)
    assert abs(max(output_bbox_size(p.image)) - 20) <= 1
    assert p.image.sum() == pytest.approx(p.scale**2 * ink[top:bottom, left:right].sum())


def test_blobs_anywhere_on_the_canvas_are_centred():
    rng = np.random.default_rng(1)
    centred = 0
    for _ in range(40):
        ink = np.zeros((280, 280))
        h, w = rng.integers(1, 250, 2)
        top, left = rng.integers(0, 281 - h), rng.integers(0, 281 - w)
        ink[top:top + h, left:left + w] = rng.uniform(size=(h, w)) ** 3
        p = preprocess_drawing(ink)
        if not p.clipped:
            check_centred(p)
            assert abs(max(output_bbox_size(p.image)) - 20) <= 1
            centred += 1
    assert centred >= 35


def test_centre_keyword_moves_the_centre_of_mass():
    ink = stroke((200, 150), [(20, 30), (150, 40), (90, 120)], radius=6)
    check_centred(preprocess_drawing(ink, centre=GEOMETRIC_CENTRE), GEOMETRIC_CENTRE)
    p = preprocess_drawing(ink, box=10, field=16)
    assert p.image.shape == (16, 16) and p.x.shape == (256,)
    check_centred(p, 8.5)  # the default for any field: field / 2 + 0.5


def test_lopsided_digit_is_clipped_and_says_so():
    ink = np.zeros((280, 280))
    ink[10:60, 10:60] = 1.0      # heavy blob ...
    ink[58:270, 58:61] = 1.0     # ... with a long thin tail: the mass sits near one end
    p = preprocess_drawing(ink)
    assert p.clipped
    assert p.image.sum() < 0.99 * p.scale**2 * ink.sum()
    assert not preprocess_drawing(ink[10:60, 10:60]).clipped


# -- what the network sees -----------------------------------------------------------------------
def test_output_is_a_float_vector_in_the_training_range():
    ink = stroke((280, 280), [(50, 60), (220, 200)], radius=10)
    p = preprocess_drawing(ink)
    assert isinstance(p, Preprocessed)
    assert p.image.shape == (28, 28) and p.image.dtype == np.float64
    assert p.x.shape == (784,) and p.x.dtype == np.float64
    np.testing.assert_array_equal(p.x, p.image.reshape(-1))  # row-major, like MNIST
    assert p.x.min() >= 0.0 and p.x.max() <= 1.0
    assert p.x.max() > 0.99  # a thick full-ink stroke keeps full-ink pixels
    # the ink's own level is kept, not stretched to 1 (MNIST is not renormalised either)
    faint = preprocess_drawing(0.4 * ink)
    np.testing.assert_allclose(faint.x, 0.4 * p.x, atol=1e-12)
    # out-of-range input is clipped to [0, 1]
    assert preprocess_drawing(3.0 * ink - 0.5).x.max() <= 1.0
    with pytest.raises(ValueError):
        p.image[0, 0] = 1.0  # frozen result, read-only arrays
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.scale = 1.0


@pytest.mark.parametrize("bad,message", [
    (np.zeros((3, 28, 28)), "2-D"), (np.zeros(784), "2-D"), (np.zeros((0, 5)), "empty"),
    (np.where(np.eye(10) > 0, np.nan, 0.0), "NaN"), (np.full((4, 4), np.inf), "infinite"),
])
def test_invalid_input_raises_value_error(bad, message):
    with pytest.raises(ValueError, match=message):
        preprocess_drawing(bad)


def test_area_overlap_matrix_is_exact_area_averaging():
    R = area_overlap_matrix(28, 5, 2.5, 3.25)  # 5 source pixels onto [3.25, 15.75)
    assert R.shape == (28, 5)
    np.testing.assert_allclose(R.sum(axis=0), 2.5)  # each source pixel covers 2.5 field px
    np.testing.assert_allclose(R.sum(axis=1)[4:15], 1.0)  # fully covered field pixels
    assert R[3, 0] == pytest.approx(0.75) and R[15, 4] == pytest.approx(0.75)
    assert R[5, 0] == pytest.approx(0.75) and R[5, 1] == pytest.approx(0.25)


# -- the canvas and the round trip of real digits ------------------------------------------------
def test_render_for_canvas_places_ink_where_asked():
    image = np.zeros((28, 28))
    image[5:15, 8:20] = 1.0
    canvas = render_for_canvas(image, (280, 300), scale=10, offset=(20, 30))
    assert canvas.shape == (280, 300) and canvas.dtype == np.float64
    assert canvas.min() >= 0 and canvas.max() == pytest.approx(1.0)
    rows, cols = np.flatnonzero(canvas.any(axis=1)), np.flatnonzero(canvas.any(axis=0))
    # digit rows [5, 15) -> canvas [70, 170), columns [8, 20) -> [110, 230); bilinear edges
    # reach half a digit pixel further
    assert 65 <= rows[0] <= 70 and 170 <= rows[-1] + 1 <= 175
    assert 105 <= cols[0] <= 110 and 230 <= cols[-1] + 1 <= 235
    # the default fills the canvas's shorter side and centres the digit; ink falls off the edge
    assert render_for_canvas(image).shape == (280, 280)
    off = render_for_canvas(image, scale=10, offset=(-100, 0))
    assert off[0].any() and 50 <= np.flatnonzero(off.any(axis=1))[-1] + 1 <= 55


@pytest.mark.parametrize("scale,offset", [(10, (0.0, 0.0)), (8, (40.0, 60.0)),
                                          (10, (-12.0, 9.5)), (8.5, (30.3, 15.7))])
def test_mnist_digits_survive_the_round_trip_through_the_canvas(mnist, scale, offset):
    """Pearson correlations measured on these 100 digits and placements: with the directly
    preprocessed digit min 0.924, median 0.977 (the canvas round trip itself); with the
    original digit min 0.845, median 0.94 at the default centre (MNIST_CENTRE) and min 0.55,
    median 0.84 at the geometric centre 14.0 (MNIST's own whole-pixel centring puts its digits
    up to 1 px away from any fixed point, see drawing.py). The thresholds leave a margin."""
    corr_direct, corr_original, corr_geometric = [], [], []
    for i in range(100):
        img = digit(mnist, i)
        canvas = render_for_canvas(img, scale=scale, offset=offset)
        p = preprocess_drawing(canvas)
        assert not p.clipped
        check_centred(p)
        corr_direct.append(np.corrcoef(p.x, preprocess_drawing(img).x)[0, 1])
        corr_original.append(np.corrcoef(p.x, img.ravel())[0, 1])
        q = preprocess_drawing(canvas, centre=GEOMETRIC_CENTRE)
        corr_geometric.append(np.corrcoef(q.x, img.ravel())[0, 1])
    assert min(corr_direct) >= 0.9 and np.median(corr_direct) >= 0.95
    assert np.median(corr_original) >= 0.9 and min(corr_original) >= 0.75
    assert np.median(corr_geometric) >= 0.8 and min(corr_geometric) >= 0.45


def test_round_trip_keeps_the_networks_prediction(mnist, net):
    """Of the first 300 test digits drawn onto the canvas at three placements and scales, the
    share keeping its prediction was 91-96% at the default centre, MNIST_CENTRE, over training
    seeds 0-3 (seed 0 here: 94%), and 86-91% at the geometric centre. Ten digits (one per class)
    were too few to hold a threshold: their count moved between 7 and 10 with the machine's
    floating-point summation order, so the check is made on the 300."""
    originals = mnist.test.inputs(slice(0, 300))
    before = net.predict(originals)
    for scale, offset in [(8, (40.0, 60.0)), (10, (-12.0, 9.5)), (9, (20.0, 15.0))]:
        canvases = [render_for_canvas(x.reshape(28, 28), scale=scale, offset=offset)
                    for x in originals]
        default = net.predict(np.array([preprocess_drawing(c).x for c in canvases]))
        assert np.mean(default == before) >= 0.88, (scale, offset)
    geometric = net.predict(np.array([preprocess_drawing(c, centre=GEOMETRIC_CENTRE).x
                                      for c in canvases]))
    assert np.mean(geometric == before) >= 0.83


def test_module_never_imports_qt():
    code = ("import sys, nnviz.data.drawing; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'pyqtgraph')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
