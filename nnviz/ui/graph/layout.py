"""Where each neuron of a layered network goes in the graph's scene (numpy only).

Layers run left to right, each centred vertically on y = 0 (y grows downward, as on screen). A
layer of 28x28 = 784 inputs can be drawn as its image: its "neurons" are then the pixel centres,
so edges fan out from the pixels themselves. A layer of more than GRID_MIN neurons is a block: a
grid of square cells (e.g. 5x20 for 100, 8x32 for 256), filled column by column; each neuron's
centre is its cell's centre, whether the view draws it as a cell or as a disc (semantic zoom,
``drawn_as_cells``), so edges, hit tests and the selection use one position per neuron. Each
non-output layer has a bias neuron "+1" above it. ``scale_layout`` makes the discs bigger for a
larger appearance scale.
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
#: A layer of more neurons than this is laid out as a grid of cells (a block), not a column.
GRID_MIN = 64
#: The widest a block gets (scene units); an emphasised layer (the walk's, in presentation
#: mode) may take a square of MAX_SPAN.
BLOCK_WIDTH = 160.0
EMPHASIS_WIDTH = MAX_SPAN
#: Room for the edges between two blocks, at least.
EDGE_ROOM = 200.0
#: A layer whose discs would be smaller than this radius on screen (pixels, at appearance scale
#: 1; times the scale: a projector's hall is further away) is drawn as cells.
READABLE_RADIUS_PX = 7.0


def drawn_as_cells(lay: LayerGeometry, zoom: float, scale: float = 1.0) -> bool:
    """Whether layer ``lay`` is drawn as a block of cells at ``zoom`` (screen pixels per scene
    unit) and appearance ``scale``: its discs would be smaller than a readable circle. Never
    for an image layer."""
    return lay.image_rect is None and lay.radius * zoom < READABLE_RADIUS_PX * scale


@dataclass
class LayerGeometry:
    """One layer: centres ``pos`` (n, 2), disc ``radius``, and for image layers the image
    rectangle (x, y, w, h) and its shape (rows, cols). ``pitch``: the distance between
    neighbouring centres; ``cell``: the side of the square cell drawn for each neuron when the
    layer is drawn as cells; ``grid``: (rows, cols) of a block (a column is (n, 1)), its
    neurons filling it column by column."""

    index: int
    pos: np.ndarray
    radius: float
    image_rect: tuple[float, float, float, float] | None = None
    image_shape: tuple[int, int] | None = None
    bias_pos: tuple[float, float] | None = None
    pitch: float = SPACING
    cell: float = SPACING
    grid: tuple[int, int] = (1, 1)

    @property
    def x(self) -> float:
        """The layer's centre line."""
        xs = self.pos[:, 0]
        return float(xs.min() + xs.max()) / 2

    @property
    def n(self) -> int:
        return len(self.pos)

    def block_rect(self) -> tuple[float, float, float, float]:
        """(x, y, w, h) enclosing every cell of the layer."""
        h = self.cell / 2
        (x0, y0), (x1, y1) = self.pos.min(axis=0) - h, self.pos.max(axis=0) + h
        return float(x0), float(y0), float(x1 - x0), float(y1 - y0)

    def cell_index(self, j: np.ndarray | int) -> tuple:
        """(row, col) in the grid of neuron(s) ``j``."""
        rows = self.grid[0]
        return np.asarray(j) % rows, np.asarray(j) // rows

    def neuron_at(self, x: float, y: float, cells: bool, tol: float = 0.0) -> int | None:
        """The neuron whose cell (``cells``) or disc (within max(radius, ``tol``)) holds the
        point (x, y), or None."""
        dx, dy = np.abs(self.pos[:, 0] - x), np.abs(self.pos[:, 1] - y)
        if cells:
            d = np.maximum(dx, dy)
            j = int(np.argmin(d))
            return j if d[j] <= self.cell / 2 else None
        d = np.hypot(dx, dy)
        j = int(np.argmin(d))
        return j if d[j] <= max(self.radius, tol) else None


@dataclass
class GraphLayout:
    """The layers' geometry, with the ``aspect`` and ``emphasis`` it was computed for."""

    layers: list[LayerGeometry]
    aspect: float | None = None
    emphasis: int | None = None

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


def grid_shape(n: int, width: float = BLOCK_WIDTH, span: float = MAX_SPAN
               ) -> tuple[int, int, float]:
    """(rows, cols, pitch) of the block that gives ``n`` neurons the largest cells within
    ``width`` x ``span`` (at most SPACING apart); the fewest columns among equals."""
    best = (n, 1, min(SPACING, span / n))
    for cols in range(2, n + 1):
        rows = -(-n // cols)
        pitch = min(SPACING, span / rows, width / cols)
        if pitch > best[2] + 1e-9:
            best = (rows, cols, pitch)
        if width / cols < best[2]:
            break
    return best


def _block(n: int, emphasis: bool) -> tuple[int, int, float] | None:
    """(rows, cols, pitch) of a layer of ``n`` neurons laid out as a block, or None for a
    column. An emphasised layer becomes a wider block where its column's discs are small (a
    pitch under half the normal one) and the block makes them bigger."""
    column = min(SPACING, MAX_SPAN / n)
    if emphasis and column < SPACING / 2:
        rows, cols, pitch = grid_shape(n, EMPHASIS_WIDTH)
        return (rows, cols, pitch) if cols > 1 and pitch > 1.2 * column else None
    return grid_shape(n) if n > GRID_MIN else None


def compute_layout(sizes, image_shape: tuple[int, int] | None = None,
                   show_bias: bool = True, aspect: float | None = None,
                   emphasis: int | None = None) -> GraphLayout:
    """Positions for a network with layer sizes ``sizes``; ``image_shape`` draws the input layer
    as an image of that shape (rows·cols must equal sizes[0]). ``aspect`` (height/width of the
    view) lets small layers spread out vertically to use a tall view. ``emphasis``: a layer
    given more room (presentation mode's current layer): a bigger block (not the output
    layer)."""
    layers = []
    L = len(sizes) - 1
    pitch = SPACING
    biggest = max(sizes[1:] if image_shape is not None else sizes)
    small = biggest * SPACING <= MAX_SPAN
    if aspect is not None and small:
        width = L * LAYER_GAP + (IMAGE_SIDE if image_shape is not None else 0) + 200
        wanted = aspect * width / (biggest + (1.6 if show_bias else 0.6))
        pitch = float(np.clip(wanted, SPACING, 2.2 * SPACING))
    x, half_before = 0.0, 0.0  # the previous layer's centre line and half its width
    for l, n in enumerate(sizes):
        # the output layer keeps its column: its names and values are written beside it
        block = None if (l == 0 and image_shape is not None) else _block(
            n, l == emphasis and l < L)
        half = 0.0 if block is None else block[1] * block[2] / 2
        if l > 0:
            x += max(LAYER_GAP, half_before + half + EDGE_ROOM)
        half_before = half
        if l == 0 and image_shape is not None:
            rows, cols = image_shape
            side = IMAGE_SIDE
            px = side / max(rows, cols)
            w, h = cols * px, rows * px
            x0, y0 = x - w, -h / 2  # the image ends where the layer's x is
            c, r = np.meshgrid(np.arange(cols), np.arange(rows))
            pos = np.column_stack([x0 + (c.ravel() + 0.5) * px, y0 + (r.ravel() + 0.5) * px])
            geo = LayerGeometry(l, pos, px / 2, (x0, y0, w, h), (rows, cols), pitch=px, cell=px,
                                grid=(rows, cols))
            top = y0
        elif block is not None:
            rows, cols, p = block
            j = np.arange(n)
            c, r = j // rows, j % rows
            pos = np.column_stack([x + (c - (cols - 1) / 2) * p, (r - (rows - 1) / 2) * p])
            geo = LayerGeometry(l, pos, min(RADIUS, 0.42 * p), pitch=p, cell=p,
                                grid=(rows, cols))
            top = float(pos[0, 1]) - p / 2
        else:
            if small or n * SPACING <= MAX_SPAN:
                spacing = pitch
            else:
                spacing = MAX_SPAN / n
            ys = (np.arange(n) - (n - 1) / 2) * spacing
            pos = np.column_stack([np.full(n, x), ys])
            radius = min(RADIUS, 0.42 * spacing)
            geo = LayerGeometry(l, pos, radius, pitch=spacing, cell=min(spacing, 2.5 * radius),
                                grid=(n, 1))
            top = ys[0] - radius
        if show_bias and l < L:
            geo.bias_pos = (x if geo.image_rect is None else x - RADIUS, top - BIAS_GAP)
        layers.append(geo)
    return GraphLayout(layers, aspect, emphasis)


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
            pitch = lay.pitch if lay.n > 1 else np.inf
            lay.radius = float(min(r * s, max(r, 0.48 * pitch)))
            growth[lay.index] = lay.radius - r
            top = float(lay.pos[0, 1]) - max(lay.radius, lay.cell / 2 if lay.grid[1] > 1 else 0)
        else:
            top = lay.image_rect[1]
        if lay.bias_pos is not None:
            lay.bias_pos = (lay.bias_pos[0], top - BIAS_GAP * s)
    return growth
