"""Visual language as numbers: the diverging weight scale, widths, neuron fills (numpy only).

Weight sign uses the colour-blind-safe orange/blue pair learners know from TensorFlow
Playground — orange #f59322 negative, blue #0877bd positive, grey near zero — and |w| also sets
the line width and opacity, so the picture still reads on a greyscale projector.
"""

from __future__ import annotations

import numpy as np

NEGATIVE = (0xF5, 0x93, 0x22)
POSITIVE = (0x08, 0x77, 0xBD)
NEUTRAL = (0xC8, 0xC8, 0xC8)

#: Number of |w| levels the edges are binned into (per sign): one pen per level and sign.
LEVELS = 8


def diverging_rgb(t) -> np.ndarray:
    """Colours for t in [−1, 1] (clipped): −1 orange, 0 grey, +1 blue. Shape t.shape + (3,)."""
    t = np.clip(np.asarray(t, dtype=float), -1.0, 1.0)[..., None]
    neg, pos, mid = (np.array(c, float) for c in (NEGATIVE, POSITIVE, NEUTRAL))
    out = np.where(t < 0, mid + (neg - mid) * -t, mid + (pos - mid) * t)
    return np.rint(out).astype(np.uint8)


def weight_scale(weights, per_layer: bool) -> list[float]:
    """The |w| that maps to full colour, for each layer: its own max (per_layer) or the max
    over all layers. Never 0 (a layer of zeros gets 1)."""
    maxima = [float(np.max(np.abs(w))) if w.size else 0.0 for w in weights]
    if not per_layer:
        maxima = [max(maxima, default=0.0)] * len(maxima)
    return [m if m > 0 else 1.0 for m in maxima]


def edge_levels(w: np.ndarray, wmax: float) -> np.ndarray:
    """Bin index per weight: 0..LEVELS−1 for negative weights (by |w|), LEVELS..2·LEVELS−1 for
    positive ones. Zero goes to the lowest positive level."""
    mag = np.minimum(np.abs(w) / wmax, 1.0)
    level = np.minimum((mag * LEVELS).astype(np.int64), LEVELS - 1)
    return np.where(w < 0, level, LEVELS + level)


def level_style(level: int, max_width: float = 5.0, min_width: float = 0.6):
    """(rgb, alpha 0..255, width) of a bin: stronger bins are wider, more opaque, more saturated."""
    negative = level < LEVELS
    mag = ((level % LEVELS) + 0.5) / LEVELS  # the bin's central |w|/wmax
    rgb = tuple(int(c) for c in diverging_rgb(-mag if negative else mag))
    alpha = int(round(40 + 215 * mag))
    width = min_width + (max_width - min_width) * mag
    return rgb, alpha, width


def fade(rgb, alpha: float, background=(255, 255, 255)) -> tuple[int, int, int]:
    """The opaque colour that ``rgb`` at opacity ``alpha`` (0..1) shows over ``background``."""
    return tuple(int(round(int(b) + (int(c) - int(b)) * alpha))  # ints: uint8 would wrap
                 for c, b in zip(rgb, background))


def activation_fill(a, low: float | None, high: float | None) -> np.ndarray:
    """Grey levels (0 black .. 255 white) for activations: 0 → white, the top of the range →
    near black, so an active neuron is a dark disc. For signed ranges (tanh, linear) use
    ``signed_fill`` instead. Unbounded highs are normalised by the largest value present."""
    a = np.asarray(a, dtype=float)
    lo = 0.0 if low is None else low
    hi = high if high is not None else max(float(np.max(a)) if a.size else 1.0, 1e-12)
    t = np.clip((a - lo) / (hi - lo), 0, 1)
    return np.rint(255 - 215 * t).astype(np.uint8)


def format_number(v: float, digits: int = 3) -> str:
    """A compact number for the graph: 3 significant digits, no exponent for common ranges,
    and a real minus sign."""
    if v == 0:
        return "0"
    if not np.isfinite(v):
        return str(v)
    a = abs(v)
    if 1e-3 <= a < 1e4:
        text = f"{v:.{digits}g}"
        if v != round(v) and "." not in text and "e" not in text:
            text = f"{v:#.{digits}g}"  # 0.99995 is "1.00", not "1": σ never reaches 1
    else:
        text = f"{v:.{max(digits - 1, 1)}e}"
    return text.replace("-", "−")
