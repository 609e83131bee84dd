"""The neurons of the network graph: the discs (filled by activation, ringed by δ) and the
"+1" bias nodes, an input layer drawn as its image, and the first hidden layer's neurons drawn
as the images of their incoming weights (the filters). A layer whose discs would be too small
to read at the current zoom is drawn as a block of cells instead (``cells.py``), decided per
layer at every paint.

Like every item of the graph they compute their arrays and images when the document changes
and only replay them in ``paint``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from ..look import style
from ..look.theme import Colours
from .cells import cell_colours, cells_image, paint_block, paint_numbers, visible
from .discs import DiscSprites
from .items import LIGHT, _font, _PaintedItem, qcolor
from .layout import LayerGeometry, drawn_as_cells

#: A layer of more neurons than this draws its discs from sprites, and only those in view.
BIG = 64


class NeuronsItem(_PaintedItem):
    """Discs of every layer drawn as neurons, and the bias "+1" nodes, filled by activation."""

    def __init__(self, layers: list[LayerGeometry], acts) -> None:
        super().__init__()
        self.layers = [lay for lay in layers if lay.image_rect is None]
        self.acts = acts  # activation objects for layers 1..L (for the fill's range)
        self.show_bias = True
        self.biases = [lay.bias_pos for lay in layers if lay.bias_pos is not None]
        self._fills: dict[int, np.ndarray] = {}
        self._rings: dict[int, tuple] = {}  # layer → (rgb, width, negative)
        self._values: dict[int, tuple] = {}  # layer → (a or None, δ or None)
        self._cells: dict[int, tuple[np.ndarray, QImage]] = {}  # layer → (rgb, image)
        self.numbers = False  # numbers inside the discs of big layers zoomed in on
        self._sprites = {lay.index: DiscSprites() for lay in self.layers if lay.n > BIG}
        self.set_colours(LIGHT)

    @property
    def fills(self) -> dict[int, np.ndarray]:
        """Layer → the (n, 3) fill colours drawn for its neurons (layers with a known a)."""
        return self._fills

    @property
    def rings(self) -> dict[int, tuple]:
        """Layer → (rgb, width, negative) of the δ rings drawn around its neurons."""
        return self._rings

    def cell_colours(self, layer: int) -> np.ndarray:
        """The (n, 3) colours of layer ``layer``'s cells (when drawn as cells): the δ ring's
        colour where known, else the fill's."""
        return self._cell_block(layer)[0]

    def _cell_block(self, layer: int) -> tuple[np.ndarray, QImage]:
        """(colours, image) of layer ``layer``'s cells, made when first needed after a
        change: most frames draw no layer as cells."""
        block = self._cells.get(layer)
        if block is None:
            lay = next(g for g in self.layers if g.index == layer)
            ring = self._rings.get(layer)
            rgb = cell_colours(lay.n, self._fills.get(layer),
                               None if ring is None else ring[0], self.colours.pending_fill)
            block = self._cells[layer] = (rgb, cells_image(lay, rgb))
        return block

    #: The "+1" nodes' radius at scale 1.
    BIAS_RADIUS = 20.0

    @property
    def bias_radius(self) -> float:
        return self.BIAS_RADIUS * self.colours.scale

    def set_colours(self, colours: Colours) -> None:
        """Colours, outline widths and the "+1" size; call set_activations / set_deltas after
        to recolour the fills and rings."""
        self.colours = colours
        self._cells = {}
        self._font = _font(colours.font_bias, bold=True)
        pts = np.vstack([lay.pos for lay in self.layers] + [np.array(self.biases).reshape(-1, 2)])
        r = max([lay.radius for lay in self.layers] + [self.bias_radius])
        pad = 1.5 * r + 4 + colours.outline_width
        self._set_rect(QRectF(QPointF(*(pts.min(axis=0) - pad)),
                              QPointF(*(pts.max(axis=0) + pad))))  # + δ rings
        self.update()

    def set_deltas(self, deltas: list[np.ndarray | None], scale: float) -> None:
        """δ^l for the layers where it is known (None elsewhere), drawn as a ring around each
        neuron in the diverging scale, wider as |δ| grows, dashed where δ < 0 (as negative
        edges are); ``scale`` is the |δ| of full colour."""
        self._rings = {}
        scale = scale if scale > 0 else 1.0
        for lay in self.layers:
            d = deltas[lay.index] if lay.index < len(deltas) else None
            if d is None:
                continue
            t = np.clip(d / scale, -1, 1)
            rgb = style.diverging_rgb(t, self.colours.diverging)
            width = lay.radius * (0.1 + 0.32 * np.abs(t))
            width[d == 0] = lay.radius * 0.08  # a thin grey ring still says "δ is known: 0"
            self._rings[lay.index] = (rgb, width, d < 0)
        for lay in self.layers:
            d = deltas[lay.index] if lay.index < len(deltas) else None
            self._values[lay.index] = (self._values.get(lay.index, (None, None))[0], d)
        self._cells = {}
        self.update()

    def set_activations(self, activations: list[np.ndarray | None]) -> None:
        """activations[l] for every layer l (None: not computed yet, drawn hollow and dashed)."""
        self._fills = {}
        for lay in self.layers:
            a = activations[lay.index] if lay.index < len(activations) else None
            self._values[lay.index] = (a, self._values.get(lay.index, (None, None))[1])
            if a is None:
                continue
            if lay.index == 0:
                lo, hi = (0.0, 1.0) if a.min() >= 0 and a.max() <= 1 else (None, None)
                signed = a.min() < 0
            else:
                lo, hi = self.acts[lay.index - 1].output_range
                signed = lo is None or lo < 0
            if signed:
                scale = max(float(np.max(np.abs(a))), 1e-12)
                self._fills[lay.index] = style.diverging_rgb(a / scale, self.colours.diverging)
            else:
                g = style.activation_fill(a, lo, hi, self.colours.fill_ramp)
                self._fills[lay.index] = np.stack([g, g, g], axis=-1)
        self._cells = {}
        self.update()

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        c = self.colours
        t = p.worldTransform()
        zoom = float(np.hypot(t.m11(), t.m12()))
        outline = QPen(qcolor(c.outline))
        outline.setCosmetic(True)
        pending = QPen(qcolor(c.pending))  # "not yet computed"
        pending.setCosmetic(True)
        pending.setStyle(Qt.PenStyle.DashLine)
        pending_fill = QBrush(qcolor(c.pending_fill))
        exposed = option.exposedRect
        last = max((lay.index for lay in self.layers), default=0)
        for lay in self.layers:
            if drawn_as_cells(lay, zoom, c.scale):
                rgb, image = self._cell_block(lay.index)
                paint_block(p, lay, image, rgb, zoom, c)
                continue
            fills = self._fills.get(lay.index)
            r = lay.radius
            # A thick outline on a small disc would hide its fill: at most a fifth of the
            # radius on screen (never under the normal 1.5 px).
            width = min(c.outline_width, max(1.5, 0.2 * r * zoom))
            outline.setWidthF(width)
            pending.setWidthF(width)
            rings = self._rings.get(lay.index)
            if lay.n > BIG:  # only the discs in view, from sprites: there may be thousands
                js = visible(lay, exposed, 1.6 * r + 4 / zoom)
                self._sprites[lay.index].paint(p, lay, js, fills, rings, zoom, width, c)
                if self.numbers:
                    a, d = self._values.get(lay.index, (None, None))
                    paint_numbers(p, lay, js, a, d, fills, zoom, c, lay.index == last)
                continue
            js = range(lay.n)
            if rings is not None:
                p.setBrush(Qt.BrushStyle.NoBrush)
                for j in js:
                    (x, y), rgb, w, negative = lay.pos[j], rings[0][j], rings[1][j], rings[2][j]
                    ring = QPen(QColor(*rgb))
                    ring.setWidthF(float(w))
                    if negative:
                        ring.setCapStyle(Qt.PenCapStyle.FlatCap)
                        ring.setDashPattern([1.6 * d * c.scale / float(w) for d in c.dash])
                    p.setPen(ring)
                    p.drawEllipse(QPointF(x, y), r + w / 2 + 1, r + w / 2 + 1)
            p.setPen(outline if fills is not None else pending)
            for j in js:
                x, y = lay.pos[j]
                if fills is None:
                    p.setBrush(pending_fill)
                else:
                    p.setBrush(QBrush(QColor(*fills[j])))
                p.drawEllipse(QPointF(x, y), r, r)
            if self.numbers:
                a, d = self._values.get(lay.index, (None, None))
                paint_numbers(p, lay, np.arange(lay.n), a, d, fills, zoom, c,
                              lay.index == last)
            p.setPen(outline)
        if self.show_bias:
            outline.setWidthF(c.outline_width)
            p.setPen(outline)
            p.setFont(self._font)
            rb = self.bias_radius
            for x, y in self.biases:
                p.setBrush(QBrush(qcolor(c.bias_fill)))
                p.drawEllipse(QPointF(x, y), rb, rb)
                p.drawText(QRectF(x - rb, y - rb, 2 * rb, 2 * rb), Qt.AlignmentFlag.AlignCenter,
                           "+1")


class ImageLayerItem(pg.ImageItem):
    """An input layer drawn as its image (e.g. 28x28): dark ink = high activation."""

    def __init__(self, geo: LayerGeometry) -> None:
        super().__init__(axisOrder="row-major")
        self.geo = geo
        self._shown: np.ndarray | None = None  # the values the image was made from
        # The input stays the same while weights change (training): a cached pixmap is blitted
        # instead of the image being scaled again every frame.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.set_colours(LIGHT)
        self.set_values(None)

    def set_colours(self, colours: Colours) -> None:
        """Border and greys; call set_values after to repaint the image."""
        self.colours = colours
        self._shown = None  # new greys: the next set_values remakes the image
        self.setBorder(pg.mkPen(qcolor(colours.image_border), width=max(1, round(colours.scale))))

    def set_values(self, a: np.ndarray | None) -> None:
        """Show activations ``a`` (shape (rows·cols,)) or, for None, an empty grid; nothing is
        redone when they are the values shown already (weights changed, input did not)."""
        if a is not None and self._shown is not None and np.array_equal(a, self._shown):
            return
        self._shown = None if a is None else np.array(a, copy=True)
        rows, cols = self.geo.image_shape
        if a is None:
            fill, dots = self.colours.image_empty
            img = np.full((rows, cols), fill, np.uint8)
            img[::2, ::2] = dots  # a faint grid says "no input yet"
        else:
            img = style.activation_fill(np.clip(a, 0, 1), 0.0, 1.0,
                                        self.colours.fill_ramp).reshape(rows, cols)
        self.setImage(img, levels=(0, 255))
        self.setRect(QRectF(*self.geo.image_rect))  # after setImage: the scale needs its size


class FiltersItem(_PaintedItem):
    """First hidden layer neurons shown as the image of their incoming weights (diverging).

    In a block each image sits inside its neuron's cell (a rim of the cell's colour, a or δ,
    stays around it); images that would be under FILTER_MIN_PX on screen are not drawn, so a
    block zoomed out shows its cells and the images appear as it is zoomed in."""

    #: The smallest on-screen side (pixels) a weight image is drawn at.
    FILTER_MIN_PX = 12.0

    def __init__(self, geo: LayerGeometry, image_shape: tuple[int, int]) -> None:
        super().__init__()
        self.geo, self.shape = geo, image_shape
        if geo.grid[1] > 1:
            self.side = 0.8 * geo.cell
        else:
            self.side = max(2 * geo.radius, min(56.0, 0.92 * self._pitch()))
        lo = geo.pos.min(axis=0) - self.side
        hi = geo.pos.max(axis=0) + self.side
        self._set_rect(QRectF(QPointF(*lo), QPointF(*hi)))
        self._atlas: QImage | None = None  # every neuron's image, one under the other
        self.colours: Colours = LIGHT

    def set_colours(self, colours: Colours) -> None:
        """The palette of the weight images; call set_weights after to repaint them."""
        self.colours = colours

    def _pitch(self) -> float:
        if self.geo.n < 2:
            return 56.0
        return float(abs(self.geo.pos[1, 1] - self.geo.pos[0, 1]))

    def drawn_at(self, zoom: float) -> bool:
        """Whether the images are drawn at ``zoom`` (screen pixels per scene unit)."""
        return self.side * zoom >= self.FILTER_MIN_PX

    def image_rgb(self, w: np.ndarray) -> np.ndarray:
        """(n, rows, cols, 3) colours of the weight images of w (n, rows·cols), each neuron's
        scaled by its largest |w|."""
        rows, cols = self.shape
        m = np.maximum(np.max(np.abs(w), axis=1, keepdims=True), 1e-12)
        return style.diverging_rgb(w / m, self.colours.diverging).reshape(-1, rows, cols, 3)

    def set_weights(self, w: np.ndarray) -> None:
        rows, cols = self.shape
        rgb = np.ascontiguousarray(self.image_rgb(w).reshape(-1, cols, 3))
        self._atlas = QImage(rgb.data, cols, rgb.shape[0], 3 * cols,
                             QImage.Format.Format_RGB888).copy()
        self.update()

    def paint(self, p: QPainter, option, widget=None) -> None:
        t = p.worldTransform()
        if self._atlas is None or not self.drawn_at(float(np.hypot(t.m11(), t.m12()))):
            return
        p.setClipRect(option.exposedRect)
        s = self.side
        rows, cols = self.shape
        for j in visible(self.geo, option.exposedRect, s):
            x, y = self.geo.pos[j]
            p.drawImage(QRectF(x - s / 2, y - s / 2, s, s), self._atlas,
                        QRectF(0, j * rows, cols, rows))
