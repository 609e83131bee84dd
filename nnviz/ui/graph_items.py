"""Graphics items of the network graph: edges (binned, level of detail), neurons, images, labels.

Drawing is vectorised and cached: every item recomputes its arrays when the document changes
and only replays them in ``paint``. Edges of one colour/width bin are drawn with one
``drawLines`` call on a numpy-backed QLineF array (pyqtgraph's PrimitiveArray), dense layers
with 1 px cosmetic pens whose alpha carries |w|, and every paint sets a clip rectangle.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import internals
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen

from . import style
from .layout import LayerGeometry

#: A layer with more edges than this is drawn with cosmetic (pixel-wide) pens and no
#: antialiasing — antialiased wide lines cost ~100 µs each in Qt's software renderer.
MEDIUM_EDGES = 150
#: Above this a layer is "dense": 1 px pens whose alpha carries |w|, and a level of detail (the
#: strongest LIVE_EDGES edges) unless all edges are asked for while idle.
DENSE_EDGES = 2500
LIVE_EDGES = 1500


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
        self.background = (255, 255, 255)

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
            rgb, alpha, width = style.level_style(level)
            if self.medium:
                # Opaque colour faded toward the background instead of a translucent one:
                # Qt's raster engine draws opaque 1 px lines ~15x faster than translucent ones.
                color = QColor(*style.fade(rgb, alpha / 255, self.background))
            else:
                color = QColor(*rgb, min(255, alpha + 40))
            pen = QPen(color)
            if self.dense:
                pen.setCosmetic(True)
                pen.setWidthF(1.0)
            elif self.medium:
                pen.setCosmetic(True)
                pen.setWidthF(1.0 if width < 3.0 else 2.0)  # 1 or 2 px: wide lines cost
            else:
                pen.setWidthF(width)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            lines = internals.PrimitiveArray(QLineF, 4)
            lines.resize(hi - lo)
            lines.ndarray()[:] = segs[lo:hi]
            self._bins.append((pen, lines))
        self.update()

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, not self.medium)
        for pen, lines in self._bins:
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
        pts = np.vstack([lay.pos for lay in self.layers] + [np.array(self.biases).reshape(-1, 2)])
        r = max((lay.radius for lay in self.layers), default=20)
        lo, hi = pts.min(axis=0) - 1.5 * r - 4, pts.max(axis=0) + 1.5 * r + 4  # + δ rings
        self._set_rect(QRectF(QPointF(*lo), QPointF(*hi)))
        self._fills: dict[int, np.ndarray] = {}
        self._rings: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # layer → (rgb, width)
        self._font = QFont()
        self._font.setPixelSize(16)
        self._font.setBold(True)

    def set_deltas(self, deltas: list[np.ndarray | None], scale: float) -> None:
        """δ^l for the layers where it is known (None elsewhere), drawn as a ring around each
        neuron in the diverging scale, wider as |δ| grows; ``scale`` is the |δ| of full colour."""
        self._rings = {}
        scale = scale if scale > 0 else 1.0
        for lay in self.layers:
            d = deltas[lay.index] if lay.index < len(deltas) else None
            if d is None:
                continue
            t = np.clip(d / scale, -1, 1)
            rgb = style.diverging_rgb(t)
            width = lay.radius * (0.1 + 0.32 * np.abs(t))
            width[d == 0] = lay.radius * 0.08  # a thin grey ring still says "δ is known: 0"
            self._rings[lay.index] = (rgb, width)
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
                self._fills[lay.index] = style.diverging_rgb(a / scale)
            else:
                g = style.activation_fill(a, lo, hi)
                self._fills[lay.index] = np.stack([g, g, g], axis=-1)
        self.update()

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        outline = QPen(QColor(60, 60, 60))
        outline.setCosmetic(True)
        outline.setWidthF(1.5)
        pending = QPen(QColor(150, 150, 150))  # "not yet computed"
        pending.setCosmetic(True)
        pending.setWidthF(1.5)
        pending.setStyle(Qt.PenStyle.DashLine)
        for lay in self.layers:
            fills = self._fills.get(lay.index)
            r = lay.radius
            rings = self._rings.get(lay.index)
            if rings is not None:
                p.setBrush(Qt.BrushStyle.NoBrush)
                for (x, y), rgb, w in zip(lay.pos, *rings):
                    ring = QPen(QColor(*rgb))
                    ring.setWidthF(float(w))
                    p.setPen(ring)
                    p.drawEllipse(QPointF(x, y), r + w / 2 + 1, r + w / 2 + 1)
            p.setPen(outline if fills is not None else pending)
            for j, (x, y) in enumerate(lay.pos):
                if fills is None:
                    p.setBrush(QBrush(QColor(246, 246, 246)))
                else:
                    p.setBrush(QBrush(QColor(*fills[j])))
                p.drawEllipse(QPointF(x, y), r, r)
            p.setPen(outline)
        if self.show_bias:
            p.setFont(self._font)
            for x, y in self.biases:
                p.setBrush(QBrush(QColor(255, 255, 255)))
                p.drawEllipse(QPointF(x, y), 20, 20)
                p.drawText(QRectF(x - 20, y - 20, 40, 40), Qt.AlignmentFlag.AlignCenter, "+1")


class LayerBandItem(_PaintedItem):
    """A soft band behind the layer the current stepping stage works on, with a caption."""

    FILL = QColor(255, 226, 120, 90)
    EDGE = QColor(214, 170, 30)

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self._set_rect(rect)
        self.band: QRectF | None = None
        self.caption = ""
        self.setZValue(-10)
        self._font = QFont()
        self._font.setPixelSize(15)
        self._font.setBold(True)

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
        pen = QPen(self.EDGE)
        pen.setCosmetic(True)
        pen.setWidthF(2.0)
        p.setPen(pen)
        p.setBrush(self.FILL)
        p.drawRoundedRect(self.band, 18, 18)
        if self.caption:
            p.setFont(self._font)
            p.setPen(QColor(120, 90, 0))
            r = QRectF(self.band.left() - 60, self.band.bottom() + 4, self.band.width() + 120, 22)
            p.drawText(r, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                       self.caption)


class ImageLayerItem(pg.ImageItem):
    """An input layer drawn as its image (e.g. 28x28): dark ink = high activation."""

    def __init__(self, geo: LayerGeometry) -> None:
        super().__init__(axisOrder="row-major")
        self.geo = geo
        self.setBorder(pg.mkPen(QColor(120, 120, 120), width=1))
        self.set_values(None)

    def set_values(self, a: np.ndarray | None) -> None:
        rows, cols = self.geo.image_shape
        if a is None:
            img = np.full((rows, cols), 235, np.uint8)
            img[::2, ::2] = 225  # a faint grid says "no input yet"
        else:
            img = style.activation_fill(np.clip(a, 0, 1), 0.0, 1.0).reshape(rows, cols)
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

    def _pitch(self) -> float:
        if self.geo.n < 2:
            return 56.0
        return float(abs(self.geo.pos[1, 1] - self.geo.pos[0, 1]))

    def set_weights(self, w: np.ndarray) -> None:
        rows, cols = self.shape
        self._images = []
        for wj in w:
            m = max(float(np.max(np.abs(wj))), 1e-12)
            rgb = np.ascontiguousarray(style.diverging_rgb(wj / m).reshape(rows, cols, 3))
            img = QImage(rgb.data, cols, rows, 3 * cols, QImage.Format.Format_RGB888).copy()
            self._images.append(img)
        self.update()

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setClipRect(option.exposedRect)
        s = self.side
        for (x, y), img in zip(self.geo.pos, self._images):
            p.drawImage(QRectF(x - s / 2, y - s / 2, s, s), img)


class LabelsItem(_PaintedItem):
    """Numbers on a small network: a on neurons, w on edges, b on bias edges."""

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self._set_rect(rect)
        self.texts: list[tuple[float, float, str, bool]] = []  # x, y, text, on a dark fill
        self._font = QFont()
        self._font.setPixelSize(13)

    def set_texts(self, texts) -> None:
        self.texts = list(texts)
        self.update()

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setFont(self._font)
        fm = p.fontMetrics()
        for x, y, text, dark, *anchor in self.texts:
            w = fm.horizontalAdvance(text) + 6
            h = fm.height()
            left = x if anchor and anchor[0] == "left" else x - w / 2
            rect = QRectF(left, y - h / 2, w, h)
            if not dark:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(255, 255, 255, 215))
                p.drawRoundedRect(rect, 3, 3)
            p.setPen(QColor(255, 255, 255) if dark else QColor(20, 20, 20))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class SelectionItem(_PaintedItem):
    """A thick outline around the selected neuron, or a thick line over the selected edge."""

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self._set_rect(rect)
        self.shape_kind: str | None = None
        self.data = None
        self.setZValue(100)

    def show_neuron(self, x: float, y: float, r: float) -> None:
        self.shape_kind, self.data = "neuron", (x, y, r)
        self.update()

    def show_segment(self, seg) -> None:
        self.shape_kind, self.data = "edge", tuple(float(v) for v in seg)
        self.update()

    def clear(self) -> None:
        self.shape_kind = None
        self.update()

    def paint(self, p: QPainter, option, widget=None) -> None:
        if self.shape_kind is None:
            return
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(QColor(200, 30, 90))
        pen.setCosmetic(True)
        pen.setWidthF(4.0)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if self.shape_kind == "neuron":
            x, y, r = self.data
            p.drawEllipse(QPointF(x, y), r + 4, r + 4)
        else:
            p.drawLine(QLineF(*self.data))
