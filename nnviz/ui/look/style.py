"""Visual language as numbers: the diverging weight scale, widths, neuron fills (numpy only).

Weight sign uses the colour-blind-safe orange/blue pair learners know from TensorFlow
Playground — orange #f59322 negative, blue #0877bd positive, grey near zero — and |w| also sets
the line width and opacity, so the picture still reads on a greyscale projector.

Every function takes its colours as arguments (a ``Diverging`` triple, a grey ramp, a
background); the defaults are the light theme's, so nothing here depends on hidden state. The
theme code (``theme.py``) picks the arguments.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

NEGATIVE = (0xF5, 0x93, 0x22)
POSITIVE = (0x08, 0x77, 0xBD)
NEUTRAL = (0xC8, 0xC8, 0xC8)

#: Error messages in panels: a red that reads on the light and on the dark theme.
ERROR_CSS = "color: #e5484d"

#: Number of |w| levels the edges are binned into (per sign): one pen per level and sign.
LEVELS = 8


class Diverging(NamedTuple):
    """The three anchors of a diverging scale: the colour of −1, of +1 and of 0 (RGB 0..255)."""

    negative: tuple[int, int, int]
    positive: tuple[int, int, int]
    neutral: tuple[int, int, int] = NEUTRAL


#: The light theme's scale: what ``diverging_rgb(t)`` uses when given no other.
DEFAULT = Diverging(NEGATIVE, POSITIVE, NEUTRAL)

#: Sign pairs (negative, positive), both colour-blind safe; see ``theme.PALETTES``.
PAIRS = {
    "orange-blue": (NEGATIVE, POSITIVE),
    "vermillion-blue": ((0xD5, 0x5E, 0x00), (0x56, 0xB4, 0xE9)),
}


def relative_luminance(rgb) -> np.ndarray:
    """WCAG / sRGB relative luminance (0 black .. 1 white) of RGB 0..255, shape rgb.shape[:-1]."""
    c = np.asarray(rgb, dtype=float) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(rgb1, rgb2) -> float:
    """WCAG contrast ratio (1 .. 21) of two RGB colours."""
    l1, l2 = float(relative_luminance(rgb1)), float(relative_luminance(rgb2))
    return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)


def diverging_rgb(t, palette: Diverging | None = None) -> np.ndarray:
    """Colours for t in [−1, 1] (clipped): −1 ``palette.negative`` (orange), 0 its neutral
    (grey), +1 its positive (blue). Shape t.shape + (3,), uint8. ``palette`` None: ``DEFAULT``."""
    palette = DEFAULT if palette is None else palette
    t = np.clip(np.asarray(t, dtype=float), -1.0, 1.0)[..., None]
    neg, pos, mid = (np.array(c, float) for c in palette)
    out = np.where(t < 0, mid + (neg - mid) * -t, mid + (pos - mid) * t)
    return np.rint(out).astype(np.uint8)


def weight_scale(weights, per_layer: bool) -> list[float]:
    """The |w| that maps to full colour, for each layer: its own max (per_layer) or the max
    over all layers. Never 0 (a layer of zeros gets 1)."""
    # max |w| as max(w.max(), −w.min()): no |w| array (134 MB for a 4096×4096 layer)
    maxima = [max(float(w.max()), -float(w.min())) if w.size else 0.0 for w in weights]
    if not per_layer:
        maxima = [max(maxima, default=0.0)] * len(maxima)
    return [m if m > 0 else 1.0 for m in maxima]


def edge_levels(w: np.ndarray, wmax: float) -> np.ndarray:
    """Bin index per weight: 0..LEVELS−1 for negative weights (by |w|), LEVELS..2·LEVELS−1 for
    positive ones. Zero goes to the lowest positive level."""
    mag = np.minimum(np.abs(w) / wmax, 1.0)
    level = np.minimum((mag * LEVELS).astype(np.int64), LEVELS - 1)
    return np.where(w < 0, level, LEVELS + level)


#: Opacity of the weakest edge bin, unless high contrast asks for more.
MIN_ALPHA = 40


def level_style(level: int, max_width: float = 5.0, min_width: float = 0.6,
                palette: Diverging | None = None, min_alpha: int = MIN_ALPHA):
    """(rgb, alpha 0..255, width) of a bin: stronger bins are wider, more opaque, more saturated.
    ``min_alpha`` is the opacity of the weakest bin (raise it for high contrast: no faint
    edges); the strongest is always opaque."""
    negative = level < LEVELS
    mag = ((level % LEVELS) + 0.5) / LEVELS  # the bin's central |w|/wmax
    rgb = tuple(int(c) for c in diverging_rgb(-mag if negative else mag, palette))
    alpha = int(round(min_alpha + (255 - min_alpha) * mag))
    width = min_width + (max_width - min_width) * mag
    return rgb, alpha, width


def fade(rgb, alpha: float, background=(255, 255, 255)) -> tuple[int, int, int]:
    """The opaque colour that ``rgb`` at opacity ``alpha`` (0..1) shows over ``background``."""
    return tuple(int(round(int(b) + (int(c) - int(b)) * alpha))  # ints: uint8 would wrap
                 for c, b in zip(rgb, background))


def activation_fill(a, low: float | None, high: float | None,
                    ramp: tuple[int, int] = (255, 40)) -> np.ndarray:
    """Grey levels (0 black .. 255 white) for activations: the bottom of the range → ramp[0]
    (white on paper), the top → ramp[1] (near black), so an active neuron has more ink; a dark
    theme passes a rising ramp (its background → bright). For signed ranges (tanh, linear) use
    ``diverging_rgb``. Unbounded highs are normalised by the largest value present."""
    a = np.asarray(a, dtype=float)
    lo = 0.0 if low is None else low
    hi = high if high is not None else max(float(np.max(a)) if a.size else 1.0, 1e-12)
    t = np.clip((a - lo) / (hi - lo), 0, 1)
    return np.rint(ramp[0] + (ramp[1] - ramp[0]) * t).astype(np.uint8)


#: The smallest on-screen font (pixels) a number on the graph is drawn at: below it a label is
#: a smudge, not a number, and only hides what is under it.
MIN_LABEL_PX = 9.0
#: A label font is enlarged by up to this factor to reach MIN_LABEL_PX; further zoomed out,
#: numbers would cover the picture and are left out.
MAX_LABEL_BOOST = 1.5


def label_boost(font_px: float, min_px: float = MIN_LABEL_PX,
                max_boost: float = MAX_LABEL_BOOST) -> float:
    """The factor (≥ 1) that brings a label font of ``font_px`` on-screen pixels up to
    ``min_px``; 1 when it is big enough already, or when more than ``max_boost`` would be
    needed (the label is then too small to draw: see ``readable_labels``)."""
    if font_px >= min_px or font_px * max_boost < min_px:
        return 1.0
    return min_px / font_px


def readable_labels(boxes, font_px, thin, min_px: float = MIN_LABEL_PX,
                    viewport=None) -> np.ndarray:
    """Which labels to draw, as a bool mask of shape (n,).

    ``boxes`` (n, 4): each label's box (x, y, w, h) in screen pixels; ``font_px`` (n,) or a
    scalar: its font's height on screen in pixels; ``thin`` (n,) bool: labels that give way
    (edge labels) — one is dropped when it overlaps a label already kept. The others (numbers
    on neurons) are kept whenever they are readable. Order is priority: earlier thin labels
    win. A label whose font is under ``min_px`` is never drawn, nor is one wholly outside
    ``viewport`` (x0, y0, x1, y1), and neither blocks another.
    """
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    n = len(boxes)
    thin = np.broadcast_to(np.asarray(thin, dtype=bool), (n,))
    x0, y0 = boxes[:, 0], boxes[:, 1]
    x1, y1 = x0 + boxes[:, 2], y0 + boxes[:, 3]
    ok = np.broadcast_to(np.asarray(font_px, dtype=float), (n,)) >= min_px
    if viewport is not None:
        vx0, vy0, vx1, vy1 = viewport
        ok &= (x1 > vx0) & (x0 < vx1) & (y1 > vy0) & (y0 < vy1)
    keep = ok & ~thin
    kept = list(np.flatnonzero(keep))
    for i in np.flatnonzero(ok & thin):
        if kept:
            k = np.array(kept)
            if np.any((x0[i] < x1[k]) & (x0[k] < x1[i]) & (y0[i] < y1[k]) & (y0[k] < y1[i])):
                continue
        keep[i] = True
        kept.append(i)
    return keep
