"""Where each neuron of a layered network goes in the graph's scene (numpy only).

Layers run left to right, each centred vertically on y = 0 (y grows downward, as on screen). A
layer of 28x28 = 784 inputs can be drawn as its image: its "neurons" are then the pixel centres,
so edges fan out from the pixels themselves. Each non-output layer has a bias neuron "+1" above it.
``scale_layout`` makes the discs bigger for a larger appearance scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LAYER_GAP = 320.0
MAX_SPAN = 640.0  # the tallest a layer of many neurons gets
SPACING = 96.0  # neuron pitch in small layers
RADIUS = 26.0
IMAGE_SIDE = 280.0
BIAS_GAP = 72.0


@dataclass
class LayerGeometry:
    """One layer: centres ``pos`` (n, 2), disc ``radius``, and for image layers the image
    rectangle (x, y, w, h) and its shape (rows, cols)."""

    index: int
    pos: np.ndarray
    radius: float
    image_rect: tuple[float, float, float, float] | None = None
    image_shape: tuple[int, int] | None = None
    bias_pos: tuple[float, float] | None = None

    @property
    def x(self) -> float:
        return float(self.pos[0, 0])

    @property
    def n(self) -> int:
        return len(self.pos)


@dataclass
class GraphLayout:
    layers: list[LayerGeometry]

    def bounds(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) enclosing every neuron, image and bias node, with a margin."""
        pts = [lay.pos for lay in self.layers]
        pts += [np.array([lay.bias_pos]) for lay in self.layers if lay.bias_pos is not None]
        allp = np.vstack(pts)
        r = max(lay.radius for lay in self.layers)
        x0, y0 = allp.min(axis=0) - r
        x1, y1 = allp.max(axis=0) + r
        for lay in self.layers:
            if lay.image_rect is not None:
                ix, iy, iw, ih = lay.image_rect
                x0, y0, x1, y1 = min(x0, ix), min(y0, iy), max(x1, ix + iw), max(y1, iy + ih)
        m = 40.0
        return float(x0 - m), float(y0 - m), float(x1 + m + 90.0), float(y1 + m + 30.0)  # + labels


def image_shape_for(n: int, hint: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The (rows, cols) to draw an n-neuron input layer as an image, or None for discs."""
    if hint is not None and hint[0] * hint[1] == n:
        return tuple(hint)
    side = int(round(np.sqrt(n)))
    if n >= 64 and side * side == n:
        return side, side
    return None


def compute_layout(sizes, image_shape: tuple[int, int] | None = None,
                   show_bias: bool = True, aspect: float | None = None) -> GraphLayout:
    """Positions for a network with layer sizes ``sizes``; ``image_shape`` draws the input layer
    as an image of that shape (rows·cols must equal sizes[0]). ``aspect`` (height/width of the
    view) lets small layers spread out vertically to use a tall view."""
    layers = []
    L = len(sizes) - 1
    pitch = SPACING
    biggest = max(sizes[1:] if image_shape is not None else sizes)
    small = biggest * SPACING <= MAX_SPAN
    if aspect is not None and small:
        width = L * LAYER_GAP + (IMAGE_SIDE if image_shape is not None else 0) + 200
        wanted = aspect * width / (biggest + (1.6 if show_bias else 0.6))
        pitch = float(np.clip(wanted, SPACING, 2.2 * SPACING))
    for l, n in enumerate(sizes):
        x = l * LAYER_GAP
        if l == 0 and image_shape is not None:
            rows, cols = image_shape
            side = IMAGE_SIDE
            px = side / max(rows, cols)
            w, h = cols * px, rows * px
            x0, y0 = x - w, -h / 2  # the image ends where the layer's x is
            c, r = np.meshgrid(np.arange(cols), np.arange(rows))
            pos = np.column_stack([x0 + (c.ravel() + 0.5) * px, y0 + (r.ravel() + 0.5) * px])
            geo = LayerGeometry(l, pos, px / 2, (x0, y0, w, h), (rows, cols))
            top = y0
        else:
            if small or n * SPACING <= MAX_SPAN:
                spacing = pitch
            else:
                spacing = MAX_SPAN / n
            ys = (np.arange(n) - (n - 1) / 2) * spacing
            pos = np.column_stack([np.full(n, x), ys])
            radius = min(RADIUS, 0.42 * spacing)
            geo = LayerGeometry(l, pos, radius)
            top = ys[0] - radius
        if show_bias and l < L:
            geo.bias_pos = (x if geo.image_rect is None else x - RADIUS, top - BIAS_GAP)
        layers.append(geo)
    return GraphLayout(layers)


def scale_layout(layout: GraphLayout, s: float) -> list[float]:
    """Neurons of the layout drawn ``s`` times bigger, never overlapping their neighbours (at
    most 0.48 of the pitch, never smaller than at scale 1); each "+1" node moves up by as much,
    with its gap scaled too. Positions stay. Returns how much each layer's radius grew."""
    growth = [0.0] * len(layout.layers)
    if s == 1.0:
        return growth
    for lay in layout.layers:
        if lay.image_rect is None:
            r = lay.radius
            pitch = float(np.min(np.diff(lay.pos[:, 1]))) if lay.n > 1 else np.inf
            lay.radius = float(min(r * s, max(r, 0.48 * pitch)))
            growth[lay.index] = lay.radius - r
            top = float(lay.pos[0, 1]) - lay.radius
        else:
            top = lay.image_rect[1]
        if lay.bias_pos is not None:
            lay.bias_pos = (lay.bias_pos[0], top - BIAS_GAP * s)
    return growth
