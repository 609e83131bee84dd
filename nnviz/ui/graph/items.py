"""Graphics items of the network graph: edges (binned, level of detail), neurons, images, labels.

Drawing is vectorised and cached: every item recomputes its arrays when the document changes
and only replays them in ``paint``. Edges of one colour/width bin are drawn with one
``drawLines`` call on a numpy-backed QLineF array (pyqtgraph's PrimitiveArray), dense layers
with 1 px cosmetic pens whose alpha carries |w|, and every paint sets a clip rectangle.

Colours, widths and font sizes come from a ``theme.Colours`` (``set_colours``); the default is
the light theme at scale 1. Negative edges of layers that are not dense are dashed, so the
sign survives a greyscale projector even where the two colours' greys are close.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import internals
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetrics, QImage, QPainter, QPen,
                           QTransform)
from PySide6.QtWidgets import QGraphicsItem

from ..look import style
from .layout import LayerGeometry
from ..look.theme import Appearance, Colours

#: A layer with more edges than this is drawn with cosmetic (pixel-wide) pens and no
#: antialiasing — antialiased wide lines cost ~100 µs each in Qt's software renderer.
MEDIUM_EDGES = 150
#: Above this a layer is "dense": 1 px pens whose alpha carries |w|, and a level of detail (the
#: strongest LIVE_EDGES edges) unless all edges are asked for while idle.
DENSE_EDGES = 2500
LIVE_EDGES = 1500

#: The light theme at scale 1: what every item draws with until it is given other colours.
LIGHT = Appearance().colours()


def qcolor(rgb) -> QColor:
    """A QColor from an RGB or RGBA tuple (0..255)."""
    return QColor(*(int(v) for v in rgb))


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, int(round(pixels))))
    font.setBold(bold)
    return font


class _PaintedItem(pg.GraphicsObject):
    """A GraphicsObject with a fixed bounding rectangle that clips every paint to it."""

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def boundingRect(self) -> QRectF:
        return self._rect

    def _set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)


class EdgesItem(_PaintedItem):
    """The edges into one layer l: weights w^l (and biases b^l from the "+1" node).

    ``set_weights`` bins the edges by sign and |w| and fills one QLineF array per bin.
    """

    def __init__(self, prev: LayerGeometry, cur: LayerGeometry) -> None:
        super().__init__()
        self.prev, self.cur = prev, cur
        n_out, n_in = cur.n, prev.n
        # Segment endpoints for every (j, k): from neuron k of layer l−1 to neuron j of layer l.
        jj, kk = np.meshgrid(np.arange(n_out), np.arange(n_in), indexing="ij")
        self.j_all, self.k_all = jj.ravel(), kk.ravel()
        x0 = prev.pos[self.k_all]
        x1 = cur.pos[self.j_all] - [cur.radius, 0]  # end at the disc's edge
        self.seg_all = np.hstack([x0, x1])
        self.dense = n_out * n_in > DENSE_EDGES
        self.medium = n_out * n_in > MEDIUM_EDGES
        self.bias_seg = None
        if prev.bias_pos is not None:
            b0 = np.tile(prev.bias_pos, (n_out, 1))
            self.bias_seg = np.hstack([b0, cur.pos - [cur.radius, 0]])
        allp = np.vstack([self.seg_all[:, :2], self.seg_all[:, 2:]]
                         + ([self.bias_seg[:, :2]] if self.bias_seg is not None else []))
        lo, hi = allp.min(axis=0), allp.max(axis=0)
        self._set_rect(QRectF(QPointF(*lo), QPointF(*hi)).adjusted(-8, -8, 8, 8))
        self._bins: list[tuple[QPen, internals.PrimitiveArray]] = []
        self.shown = np.zeros(0, np.int64)  # indices (into *_all) of the drawn weight edges
        self.show_bias = True
        self.live = False
        self.show_all = False
        self.colours: Colours = LIGHT
        self._pens: dict[int, QPen] = {}  # bin level → pen, for these colours

    def set_colours(self, colours: Colours) -> None:
        """Colours and widths of the pens; call set_weights after to rebin with them."""
        self.colours = colours
        self._pens.clear()

    @property
    def dashed(self) -> bool:
        """Negative edges are dashed here: dashes on thousands of lines are slow in Qt's raster
        engine, so dense layers show the sign by colour only."""
        return not self.dense

    @property
    def limited(self) -> bool:
        """True when a level of detail hides some edges right now."""
        return self.dense and (self.live or not self.show_all)

    def set_weights(self, w: np.ndarray, b: np.ndarray, wmax: float,
                    a_prev: np.ndarray | None = None) -> None:
        """w (n_l, n_(l−1)), b (n_l,), the |w| of full colour, and optionally the previous
        layer's activations (for the level of detail by |w·a|)."""
        flat = w.ravel()
        if self.limited and flat.size > LIVE_EDGES:
            score = np.abs(flat)
            if a_prev is not None:
                score = score * np.abs(a_prev)[self.k_all]
            # Edges with a zero score (inputs at 0, most of an MNIST digit) never show; leaving
            # them out first makes the selection ~30x faster than argpartition over the ties.
            shown = np.flatnonzero(score)
            if shown.size > LIVE_EDGES:
                shown = shown[np.argpartition(score[shown], -LIVE_EDGES)[-LIVE_EDGES:]]
        else:
            shown = np.arange(flat.size)
        self.shown = shown
        values, segs = flat[shown], self.seg_all[shown]
        if self.show_bias and self.bias_seg is not None:
            values = np.concatenate([values, b])
            segs = np.vstack([segs, self.bias_seg])
        levels = style.edge_levels(values, wmax)
        order = np.argsort(levels, kind="stable")
        levels, segs = levels[order], segs[order]
        bounds = np.searchsorted(levels, np.arange(2 * style.LEVELS + 1))
        self._bins = []
        # Weak bins first, so the strongest edges of either sign are drawn on top.
        for level in sorted(range(2 * style.LEVELS), key=lambda v: (v % style.LEVELS, v)):
            lo, hi = bounds[level], bounds[level + 1]
            if hi == lo:
                continue
            pen = self._pens.get(level)
            if pen is None:  # built once per colours: ~40 µs each, 32 per frame otherwise
                pen = self._pens[level] = self.bin_pen(level)
            lines = internals.PrimitiveArray(QLineF, 4)
            lines.resize(hi - lo)
            lines.ndarray()[:] = segs[lo:hi]
            self._bins.append((pen, lines))
        self.update()

    def bin_pen(self, level: int) -> QPen:
        """The pen of one |w| bin (``style.edge_levels``) in this layer and these colours."""
        c = self.colours
        # High contrast lifts the faint edges of small layers, whose edges are read one by
        # one; in bigger layers the faint majority must stay faint for the strong to show.
        min_alpha = c.edge_min_alpha if not self.medium else style.MIN_ALPHA
        rgb, alpha, width = style.level_style(level, c.edge_width[1], c.edge_width[0],
                                              c.diverging, min_alpha)
        if self.medium:
            # Opaque colour faded toward the background instead of a translucent one:
            # Qt's raster engine draws opaque 1 px lines ~15x faster than translucent ones.
            pen = QPen(QColor(*style.fade(rgb, alpha / 255, c.background)))
            pen.setCosmetic(True)
            if self.dense:  # a texture of thousands of lines: thicker would be a mat (and slow)
                pen.setWidthF(float(max(1, round(c.scale))))
            else:  # 1 or 2 px at scale 1: wide lines cost
                pen.setWidthF(c.edge_cosmetic_px(1.0 if width < 3.0 * c.scale else 2.0))
            dash = c.dash  # pixels, for a 1 px pen at scale 1
        else:
            pen = QPen(QColor(*rgb, min(255, alpha + 40)))
            pen.setWidthF(width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            dash = (1.6 * c.dash[0], 1.6 * c.dash[1])  # scene units: a bit longer
        if self.dashed and level < style.LEVELS:
            # Dash lengths are in units of the pen's width: keep them the same in pixels (or
            # scene units) whatever the width, and growing with the scale.
            w = max(pen.widthF(), 1e-3)
            pen.setDashPattern([d * c.scale / w for d in dash])
        return pen

    def pens_at(self, zoom: float) -> list[QPen]:
        """The bins' pens as drawn at ``zoom`` (screen pixels per scene unit): the same, except
        that with a minimum edge width above 1 px (high contrast) a small layer's edge never
        gets thinner than it on screen, however far the view is zoomed out."""
        c = self.colours
        pens = [pen for pen, _ in self._bins]
        if self.medium or c.edge_px <= 1:
            return pens
        out = []
        for pen in pens:
            if pen.widthF() * zoom < c.edge_px:
                thin, pen = pen, QPen(pen)
                pen.setCosmetic(True)
                pen.setWidthF(c.edge_px)
                if thin.style() == Qt.PenStyle.CustomDashLine:  # same dashes on screen
                    k = thin.widthF() * zoom / c.edge_px
                    pen.setDashPattern([d * k for d in thin.dashPattern()])
            out.append(pen)
        return out

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, not self.medium)
        t = p.worldTransform()
        pens = self.pens_at(float(np.hypot(t.m11(), t.m12())))
        for pen, (_, lines) in zip(pens, self._bins):
            p.setPen(pen)
            p.drawLines(*lines.drawargs())

    # -- hit testing -------------------------------------------------------------------------
    def edge_at(self, x: float, y: float, tol: float) -> tuple[str, int, int | None] | None:
        """("edge", j, k) or ("bias", j, None) of the drawn edge nearest (x, y) within tol."""
        cands = [("edge", self.seg_all[self.shown], self.j_all[self.shown],
                  self.k_all[self.shown])]
        if self.show_bias and self.bias_seg is not None:
            n = len(self.bias_seg)
            cands.append(("bias", self.bias_seg, np.arange(n), np.full(n, -1)))
        best = None
        for kind, seg, js, ks in cands:
            if len(seg) == 0:
                continue
            d = _segment_distance(seg, x, y)
            i = int(np.argmin(d))
            if d[i] <= tol and (best is None or d[i] < best[0]):
                best = (d[i], kind, int(js[i]), None if kind == "bias" else int(ks[i]))
        return None if best is None else best[1:]


def _segment_distance(seg: np.ndarray, x: float, y: float) -> np.ndarray:
    """Distance from (x, y) to each segment (x0, y0, x1, y1) of seg (n, 4)."""
    p0, p1 = seg[:, :2], seg[:, 2:]
    d = p1 - p0
    length2 = np.maximum((d * d).sum(axis=1), 1e-12)
    t = np.clip(((np.array([x, y]) - p0) * d).sum(axis=1) / length2, 0, 1)
    closest = p0 + t[:, None] * d
    return np.hypot(closest[:, 0] - x, closest[:, 1] - y)


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
        self.set_colours(LIGHT)

    #: The "+1" nodes' radius at scale 1.
    BIAS_RADIUS = 20.0

    @property
    def bias_radius(self) -> float:
        return self.BIAS_RADIUS * self.colours.scale

    def set_colours(self, colours: Colours) -> None:
        """Colours, outline widths and the "+1" size; call set_activations / set_deltas after
        to recolour the fills and rings."""
        self.colours = colours
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
        self.update()

    def set_activations(self, activations: list[np.ndarray | None]) -> None:
        """activations[l] for every layer l (None: not computed yet, drawn hollow and dashed)."""
        self._fills = {}
        for lay in self.layers:
            a = activations[lay.index] if lay.index < len(activations) else None
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
        for lay in self.layers:
            fills = self._fills.get(lay.index)
            r = lay.radius
            # A thick outline on a small disc would hide its fill: at most a fifth of the
            # radius on screen (never under the normal 1.5 px).
            width = min(c.outline_width, max(1.5, 0.2 * r * zoom))
            outline.setWidthF(width)
            pending.setWidthF(width)
            rings = self._rings.get(lay.index)
            if rings is not None:
                p.setBrush(Qt.BrushStyle.NoBrush)
                for (x, y), rgb, w, negative in zip(lay.pos, *rings):
                    ring = QPen(QColor(*rgb))
                    ring.setWidthF(float(w))
                    if negative:
                        ring.setCapStyle(Qt.PenCapStyle.FlatCap)
                        ring.setDashPattern([1.6 * d * c.scale / float(w) for d in c.dash])
                    p.setPen(ring)
                    p.drawEllipse(QPointF(x, y), r + w / 2 + 1, r + w / 2 + 1)
            p.setPen(outline if fills is not None else pending)
            for j, (x, y) in enumerate(lay.pos):
                if fills is None:
                    p.setBrush(pending_fill)
                else:
                    p.setBrush(QBrush(QColor(*fills[j])))
                p.drawEllipse(QPointF(x, y), r, r)
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


class LayerBandItem(_PaintedItem):
    """A soft band behind the layer the current stepping stage works on, with a caption."""

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self._set_rect(rect)
        self.band: QRectF | None = None
        self.caption = ""
        self.setZValue(-10)
        self.set_colours(LIGHT)

    def set_colours(self, colours: Colours) -> None:
        self.colours = colours
        self._font = _font(colours.font_band, bold=True)
        self.update()

    def show_band(self, band: QRectF, caption: str) -> None:
        self.band, self.caption = QRectF(band), caption
        self.update()

    def clear(self) -> None:
        self.band = None
        self.update()

    def paint(self, p: QPainter, option, widget=None) -> None:
        if self.band is None:
            return
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        c, s = self.colours, self.colours.scale
        pen = QPen(qcolor(c.band_edge))
        pen.setCosmetic(True)
        pen.setWidthF(2.0 * s)
        p.setPen(pen)
        p.setBrush(qcolor(c.band_fill))
        p.drawRoundedRect(self.band, 18 * s, 18 * s)
        if self.caption:
            p.setFont(self._font)
            p.setPen(qcolor(c.band_text))
            r = QRectF(self.band.left() - 60 * s, self.band.bottom() + 4 * s,
                       self.band.width() + 120 * s, 22 * s)
            p.drawText(r, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                       self.caption)


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
    """First hidden layer neurons shown as the image of their incoming weights (diverging)."""

    def __init__(self, geo: LayerGeometry, image_shape: tuple[int, int]) -> None:
        super().__init__()
        self.geo, self.shape = geo, image_shape
        self.side = max(2 * geo.radius, min(56.0, 0.92 * self._pitch()))
        lo = geo.pos.min(axis=0) - self.side
        hi = geo.pos.max(axis=0) + self.side
        self._set_rect(QRectF(QPointF(*lo), QPointF(*hi)))
        self._images: list[QImage] = []
        self.colours: Colours = LIGHT

    def set_colours(self, colours: Colours) -> None:
        """The palette of the weight images; call set_weights after to repaint them."""
        self.colours = colours

    def _pitch(self) -> float:
        if self.geo.n < 2:
            return 56.0
        return float(abs(self.geo.pos[1, 1] - self.geo.pos[0, 1]))

    def set_weights(self, w: np.ndarray) -> None:
        rows, cols = self.shape
        self._images = []
        for wj in w:
            m = max(float(np.max(np.abs(wj))), 1e-12)
            rgb = np.ascontiguousarray(style.diverging_rgb(wj / m, self.colours.diverging)
                                       .reshape(rows, cols, 3))
            img = QImage(rgb.data, cols, rows, 3 * cols, QImage.Format.Format_RGB888).copy()
            self._images.append(img)
        self.update()

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setClipRect(option.exposedRect)
        s = self.side
        for (x, y), img in zip(self.geo.pos, self._images):
            p.drawImage(QRectF(x - s / 2, y - s / 2, s, s), img)


class Label(NamedTuple):
    """A number (or name) on the graph, centred at (x, y) in scene units, or starting there
    (anchor "left"). ``on_strong``: on a strongly filled neuron (drawn in the contrasting
    colour, no background); ``thin``: may be dropped where it overlaps another label (edges)."""

    x: float
    y: float
    text: str
    on_strong: bool = False
    anchor: str = "center"
    thin: bool = False


class LabelsItem(_PaintedItem):
    """Numbers on a small network: a on neurons, w on edges, b on bias edges.

    Only readable ones are painted. A font that would be a little under ``style.MIN_LABEL_PX``
    on screen is enlarged to it (``style.label_boost``); one that would need more is not drawn,
    and an edge label that overlaps a label drawn before it is left out
    (``style.readable_labels``). Decided again whenever the view's zoom changes.
    """

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self._set_rect(rect)
        self.texts: list[Label] = []
        self._key = None
        self._boxes = np.zeros((0, 4))  # each label's box in scene units, at self._font_px
        self._font_px = 0
        self.mask = np.zeros(0, bool)  # the labels drawn at the last paint
        self.set_colours(LIGHT)

    def set_colours(self, colours: Colours) -> None:
        self.colours = colours
        self.set_texts(self.texts)

    def set_texts(self, texts) -> None:
        self.texts = [t if isinstance(t, Label) else Label(*t) for t in texts]
        self._key = None
        self.update()

    def _measure(self, font: QFont) -> np.ndarray:
        fm = QFontMetrics(font)  # integer metrics, as a painter's
        h = fm.height()
        boxes = [(t.x if t.anchor == "left" else t.x - (fm.horizontalAdvance(t.text) + 6) / 2,
                  t.y - h / 2, fm.horizontalAdvance(t.text) + 6, h) for t in self.texts]
        return np.array(boxes, float).reshape(-1, 4)

    def visible(self, transform: QTransform) -> np.ndarray:
        """The mask of labels drawn under ``transform`` (scene → screen pixels); also sets the
        font and boxes they are drawn with."""
        m = (transform.m11(), transform.m12(), transform.m21(), transform.m22())
        key = tuple(round(v, 6) for v in m)
        if key == self._key:
            return self.mask
        nominal = self.colours.font_label
        zoom = float(np.hypot(m[2], m[3]))  # screen pixels per scene unit, vertically
        boost = style.label_boost(nominal * zoom)
        self._font_px = max(1, int(np.ceil(nominal * boost - 1e-9)))
        self._font = _font(self._font_px)
        b = self._boxes = self._measure(self._font)
        corners = [(b[:, 0], b[:, 1]), (b[:, 0] + b[:, 2], b[:, 1] + b[:, 3])]
        xs = [m[0] * x + m[2] * y for x, y in corners]
        ys = [m[1] * x + m[3] * y for x, y in corners]
        screen = np.column_stack([np.minimum(*xs), np.minimum(*ys), np.abs(xs[1] - xs[0]),
                                  np.abs(ys[1] - ys[0])])
        thin = np.array([t.thin for t in self.texts], bool)
        self.mask = style.readable_labels(screen, self._font_px * zoom, thin)
        self._key = key
        return self.mask

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        mask = self.visible(p.worldTransform())
        p.setFont(self._font)
        c = self.colours
        background = qcolor(c.label_background)
        text, on_strong = qcolor(c.text), qcolor(c.text_on_strong)
        corner = 3 * self._font_px / 13
        for (left, top, w, h), label, shown in zip(self._boxes, self.texts, mask):
            if not shown:
                continue
            rect = QRectF(left, top, w, h)
            if not label.on_strong:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(background)
                p.drawRoundedRect(rect, corner, corner)
            p.setPen(on_strong if label.on_strong else text)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, label.text)


class SelectionItem(_PaintedItem):
    """A thick outline around the selected neuron, or a thick line over the selected edge."""

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self._set_rect(rect)
        self.shape_kind: str | None = None
        self.data = None
        self.colours: Colours = LIGHT
        self.setZValue(100)

    def set_colours(self, colours: Colours) -> None:
        self.colours = colours
        self.update()

    def show_neuron(self, x: float, y: float, r: float) -> None:
        self.shape_kind, self.data = "neuron", (x, y, r)
        self.update()

    def show_segment(self, seg) -> None:
        self.shape_kind, self.data = "edge", tuple(float(v) for v in seg)
        self.update()

    def clear(self) -> None:
        self.shape_kind = None
        self.update()

    def pen(self) -> QPen:
        """The outline's pen: cosmetic, ``colours.selection_width`` pixels wide."""
        pen = QPen(qcolor(self.colours.selection))
        pen.setCosmetic(True)
        pen.setWidthF(self.colours.selection_width)
        return pen

    def paint(self, p: QPainter, option, widget=None) -> None:
        if self.shape_kind is None:
            return
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        c = self.colours
        pens = [self.pen()]
        if c.selection_halo is not None:  # a band of background around it: it stands out
            halo = QPen(pens[0])
            halo.setColor(qcolor(c.selection_halo))
            halo.setWidthF(pens[0].widthF() + 4 * c.scale)
            pens.insert(0, halo)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for pen in pens:
            p.setPen(pen)
            if self.shape_kind == "neuron":
                x, y, r = self.data
                gap = 4 * c.scale
                p.drawEllipse(QPointF(x, y), r + gap, r + gap)
            else:
                p.drawLine(QLineF(*self.data))
