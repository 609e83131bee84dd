"""Turn a hand-drawn digit into what the network sees, the way MNIST itself was made.

LeCun et al. on MNIST: "the images were size normalized to fit in a 20x20 pixel box while
preserving their aspect ratio ... anti-aliasing ... centered in a 28x28 image by computing the
center of mass of the pixels, and translating the image so as to position this point at the
center of the 28x28 field". ``preprocess_drawing`` does exactly that to the drawing canvas's
ink image; ``render_for_canvas`` goes the other way (a 28x28 digit drawn large on the canvas).

Conventions
-----------
* Images are 2-D float arrays indexed [row, col]; 0 is paper, 1 is full ink. The network's input
  is the same as for the training data: float64 in [0, 1] (MNIST uint8 / 255), flattened
  row-major to 784 values. The ink's own grey levels are kept (MNIST digits are not stretched
  so that their darkest pixel is 1), only clipped to [0, 1].
* Pixel i covers the interval [i, i+1); its centre is i + 0.5. The centre of a field of n
  pixels is n / 2 (14.0 for 28, i.e. index coordinate 13.5). The centre of mass of an image v
  along rows is sum(v[i, j] * (i + 0.5)) / sum(v), likewise along columns.
* Where the centre of mass goes is the keyword ``centre``, by default where MNIST put it:
  field / 2 + 0.5 (14.5 for 28, the centre of pixel index 14). Measured on the MNIST files
  themselves (all 70,000 digits), the centre of mass in this convention lies uniformly in
  [14, 15) on both axes, mean 14.50, sd 0.29: MNIST translated by whole pixels so that the
  centre of mass rounds to pixel 14. The geometric centre field / 2 sits at the edge of that
  range; measured on round-tripped test digits it cost a 784-30-10 net 3-4 points of accuracy,
  so drawings are centred like the training data instead.

Why area-overlap matrices
-------------------------
Scaling and sub-pixel placement are one linear map per axis: source pixel j of the cropped box
lands on the field interval [o + s*j, o + s*(j+1)) (s the scale, o the box's fractional
offset), and output pixel i takes the mean of the source over [i, i+1), i.e.

    R[i, j] = length of [i, i+1) ∩ [o + s*j, o + s*(j+1)),      out = Ry @ ink @ Rx.T.

This exact area averaging *is* the anti-aliasing (every source pixel contributes in proportion
to the area it covers, so thin strokes become faint rather than vanishing or aliasing), it
moves the digit by fractions of a pixel for free, and it is two small matrix products: a few
hundred microseconds for a 280x280 canvas. It needs nothing but numpy, which keeps nnviz.data
free of heavy dependencies; scipy.ndimage.zoom, the usual alternative, interpolates with
splines, which samples rather than averages and so does not anti-alias when shrinking.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Preprocessed", "preprocess_drawing", "render_for_canvas", "area_overlap_matrix",
           "centre_of_mass"]


@dataclass(frozen=True)
class Preprocessed:
    """A drawing made ready for the network.

    image : (field, field) float64 in [0, 1], the digit as MNIST would show it.
    x : (field*field,) float64, ``image`` flattened row-major: the network's input vector.
    bbox : (top, left, bottom, right) of the ink in the source image, bottom and right
           exclusive (the ink is ``ink[top:bottom, left:right]``).
    scale : field pixels per source pixel (box / longer side of bbox).
    centre_of_mass : (row, col) of ``image`` in field coordinates (pixel i covers [i, i+1)).
    clipped : True when part of the digit fell outside the field and was cut off (then the
              centre of mass of what is left need not be at the centre).
    """

    image: np.ndarray
    x: np.ndarray
    bbox: tuple[int, int, int, int]
    scale: float
    centre_of_mass: tuple[float, float]
    clipped: bool


def area_overlap_matrix(n_out: int, n_src: int, scale: float, offset: float) -> np.ndarray:
    """(n_out, n_src) matrix R with R[i, j] = length of [i, i+1) ∩ [o + s*j, o + s*(j+1)).

    Source pixel j is stretched by ``scale`` = s and placed at ``offset`` = o on the output
    axis; R @ v is then the exact area average of v over each output pixel (an output pixel
    entirely inside the placed source has weights summing to 1). Output pixels are clipped to
    [0, n_out), so whatever lands outside is dropped.
    """
    i = np.arange(n_out, dtype=np.float64)[:, None]
    edges = offset + scale * np.arange(n_src + 1, dtype=np.float64)
    lo, hi = edges[None, :-1], edges[None, 1:]
    return np.clip(np.minimum(i + 1.0, hi) - np.maximum(i, lo), 0.0, None)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, col) centre of mass of a non-empty 2-D image, pixel i centred at i + 0.5."""
    mass = image.sum()
    rows = image.sum(axis=1) @ (np.arange(image.shape[0]) + 0.5)
    cols = image.sum(axis=0) @ (np.arange(image.shape[1]) + 0.5)
    return float(rows / mass), float(cols / mass)


def _centring_offset(profile: np.ndarray, scale: float, centre: float) -> float:
    """Offset o that puts the centre of mass of the area-resampled ``profile`` at ``centre``.

    ``profile`` (n,) is the ink summed over the other axis. Placed at o, the stretched profile
    has the piecewise-linear cumulative mass F(t - o) (F(s*j) = s * sum(profile[:j])), and
    field pixel i receives m_i = F(i+1-o) - F(i-o). Its discrete centre of mass
    D(o) = sum(m_i (i + 0.5)) / M is continuous and non-decreasing in o and within 1/2 of the
    continuous one (every bit of mass is counted at its pixel centre, at most 1/2 px away), so
    the root lies in [o_c - 1/2, o_c + 1/2] where o_c centres the continuous mass; a few
    Illinois (false position) steps find it to 1e-9 px. The field is unbounded here: clipped
    ink still counts, so centring does not depend on the border.
    """
    n = len(profile)
    knots = scale * np.arange(n + 1, dtype=np.float64)
    cumulative = np.concatenate(([0.0], np.cumsum(profile) * scale))
    mass = cumulative[-1]
    continuous = float(profile @ (np.arange(n) + 0.5)) * scale / float(profile.sum())
    o_c = centre - continuous
    edges = np.arange(math.floor(o_c) - 2, math.ceil(o_c + knots[-1]) + 3, dtype=np.float64)
    pixel_centres = edges[:-1] + 0.5

    def error(o: float) -> float:
        m = np.diff(np.interp(edges - o, knots, cumulative))
        return float(m @ pixel_centres) / mass - centre

    a, b = o_c - 0.5, o_c + 0.5
    fa, fb = error(a), error(b)
    if fa >= 0.0:
        return a
    if fb <= 0.0:
        return b
    side = 0
    for _ in range(100):
        o = (a * fb - b * fa) / (fb - fa)
        f = error(o)
        if abs(f) < 1e-9 or b - a < 1e-12:
            return o
        if f < 0.0:
            a, fa = o, f
            if side == -1:
                fb *= 0.5
            side = -1
        else:
            b, fb = o, f
            if side == 1:
                fa *= 0.5
            side = 1
    return o  # pragma: no cover - Illinois converges in a handful of steps


def preprocess_drawing(ink, *, box: float = 20, field: int = 28, threshold: float = 1 / 255,
                       centre: float | None = None) -> Preprocessed | None:
    """MNIST-style preprocessing of an ink image (H, W) with values in [0, 1].

    1. crop to the bounding box of the pixels with ink > ``threshold``;
    2. scale so that the box's longer side becomes ``box`` field pixels, keeping the aspect
       ratio, by exact area averaging (the anti-aliasing);
    3. place it in a ``field`` x ``field`` image so that the centre of mass lands on
       (``centre``, ``centre``), default field / 2 + 0.5 (14.5 for 28: where MNIST's digits
       have theirs on average, see the module docstring), to sub-pixel precision (1e-9 px),
       cutting off whatever falls outside (``clipped``; the centring counts the clipped ink
       too).

    Returns None when no pixel exceeds ``threshold`` (nothing drawn). Raises ValueError for an
    input that is not a non-empty 2-D array of finite numbers. Values are clipped to [0, 1].
    """
    ink = np.asarray(ink, dtype=np.float64)
    if ink.ndim != 2:
        raise ValueError(f"the ink image must be 2-D (H, W), got shape {ink.shape}")
    if ink.size == 0:
        raise ValueError(f"the ink image is empty, got shape {ink.shape}")
    if not np.isfinite(ink).all():
        raise ValueError("the ink image contains NaN or infinite values")
    if not (box > 0 and field >= 1):
        raise ValueError(f"need box > 0 and field >= 1, got box={box}, field={field}")
    centre = field / 2.0 + 0.5 if centre is None else float(centre)

    inked = ink > threshold
    rows = np.flatnonzero(inked.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(inked.any(axis=0))
    top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    crop = np.clip(ink[top:bottom, left:right], 0.0, 1.0)
    if not crop.any():  # only possible with a negative threshold
        return None
    h, w = crop.shape
    scale = float(box) / max(h, w)

    row_profile, col_profile = crop.sum(axis=1), crop.sum(axis=0)
    o_row = _centring_offset(row_profile, scale, centre)
    o_col = _centring_offset(col_profile, scale, centre)

    Ry = area_overlap_matrix(field, h, scale, o_row)
    Rx = area_overlap_matrix(field, w, scale, o_col)
    image = Ry @ crop @ Rx.T
    np.clip(image, 0.0, 1.0, out=image)  # only rounding can leave [0, 1]

    eps = 1e-9
    clipped = bool(min(o_row, o_col) < -eps or o_row + scale * h > field + eps
                   or o_col + scale * w > field + eps)
    if image.sum() > 0:
        com = centre_of_mass(image)
    else:  # everything clipped away (only possible for a tiny field)
        com = (math.nan, math.nan)
    image.flags.writeable = False
    x = image.reshape(-1)
    return Preprocessed(image=image, x=x, bbox=(top, left, bottom, right), scale=scale,
                        centre_of_mass=com, clipped=clipped)


def _bilinear_matrix(n_out: int, n_src: int, scale: float, offset: float) -> np.ndarray:
    """(n_out, n_src) linear-interpolation weights: source pixel i, centred at i + 0.5, sits at
    output coordinate offset + scale*(i + 0.5); beyond the source edges the image is paper."""
    u = (np.arange(n_out, dtype=np.float64) + 0.5 - offset) / scale - 0.5  # in source indices
    return np.clip(1.0 - np.abs(u[:, None] - np.arange(n_src)[None, :]), 0.0, None)


def render_for_canvas(image28, canvas_shape: tuple[int, int] = (280, 280), *,
                      scale: float | None = None,
                      offset: tuple[float, float] | None = None) -> np.ndarray:
    """Draw a small digit (typically 28x28, values in [0, 1]) large on a canvas.

    The digit's pixel (i, j) covers canvas rows [r0 + scale*i, r0 + scale*(i+1)) and columns
    [c0 + scale*j, c0 + scale*(j+1)), with ``offset`` = (r0, c0) the canvas position of the
    digit's top-left corner (may be fractional or negative; what falls off the canvas is cut).
    Defaults: ``scale`` fills the canvas's shorter side, ``offset`` centres the digit.
    The upsampling is bilinear (smooth; meant for scale >= 1). Returns a float64 ink image of
    ``canvas_shape`` in [0, 1].
    """
    image = np.clip(np.asarray(image28, dtype=np.float64), 0.0, 1.0)
    if image.ndim != 2 or image.size == 0 or not np.all(np.isfinite(image)):
        raise ValueError(f"the digit must be a non-empty 2-D array of finite numbers, "
                         f"got shape {image.shape}")
    H, W = (int(n) for n in canvas_shape)
    if H < 1 or W < 1:
        raise ValueError(f"canvas_shape must be at least (1, 1), got {canvas_shape}")
    n, m = image.shape
    if scale is None:
        scale = min(H / n, W / m)
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale}")
    if offset is None:
        offset = ((H - scale * n) / 2.0, (W - scale * m) / 2.0)
    r0, c0 = (float(v) for v in offset)
    By = _bilinear_matrix(H, n, scale, r0)
    Bx = _bilinear_matrix(W, m, scale, c0)
    canvas = By @ image @ Bx.T
    return np.clip(canvas, 0.0, 1.0, out=canvas)
