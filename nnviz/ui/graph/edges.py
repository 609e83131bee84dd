"""The edges of the network graph: one EdgesItem per layer of weights (binned, level of detail).

Edges of one colour/width bin are drawn with one ``drawLines`` call on a numpy-backed QLineF
array (pyqtgraph's PrimitiveArray), dense layers with 1 px cosmetic pens whose alpha carries
|w|, and every paint sets a clip rectangle.

Negative edges of layers that are not dense are dashed, so the sign survives a greyscale
projector even where the two colours' greys are close.

Levels of detail of a dense layer (``select_edges``; the legend says which is on,
``detail_lines``): "strongest edges only" draws the strongest SHARE of its weights (by |w·a|
when the input is known, else |w|; at most LIVE_EDGES) and, ranked among the biases only, the
strongest SHARE of its bias edges, so neither kind drowns the other (biases start at N(0, 1),
weights often at N(0, 1/n)). Full detail draws every edge of a layer, or its FULL_EDGES
strongest weights (|w|) when it has more.
"""

from __future__ import annotations

import numpy as np
from pyqtgraph.Qt import internals
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from ..look import style
from ..look.theme import Colours
from .items import LIGHT, _PaintedItem
from .layout import LayerGeometry
from .strongest import strongest_edges

#: A layer with more edges than this is drawn with cosmetic (pixel-wide) pens and no
#: antialiasing — antialiased wide lines cost ~100 µs each in Qt's software renderer.
MEDIUM_EDGES = 150
#: Above this a layer is "dense": 1 px pens whose alpha carries |w|, and a level of detail (the
#: strongest LIVE_EDGES edges) unless all edges are asked for while idle.
DENSE_EDGES = 2500
LIVE_EDGES = 1500
#: "Strongest edges only" keeps this share of a dense layer's weights and of its biases.
SHARE = 0.05
#: Full detail ("all edges") draws at most this many weights of a layer (the strongest |w|):
#: more 1 px lines than this cost over the frame budget and fill the picture no further (a
#: 4096×4096 layer has 16.8M edges).
FULL_EDGES = 25_000


def strongest(score: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` largest entries of ``score`` (≥ 0), in increasing index order;
    entries with a zero score are never among them. Every nonzero one if there are fewer."""
    # Leaving the zeros out first (inputs at 0, most of an MNIST digit) makes the selection
    # ~30x faster than argpartition over the ties.
    idx = np.flatnonzero(score)
    if idx.size > count:
        idx = np.sort(idx[np.argpartition(score[idx], -count)[-count:]])
    return idx


def select_edges(w: np.ndarray, b: np.ndarray, a_prev: np.ndarray | None, limited: bool,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(weight indices into w.ravel(), bias indices) a layer draws. ``limited``: "strongest
    edges only" — the strongest SHARE (at most LIVE_EDGES) of the weights by |w·a_prev| (|w|
    without ``a_prev``), and separately the strongest SHARE of the biases by |b| (at least
    one). Otherwise every edge, or the FULL_EDGES strongest weights by |w| when there are
    more."""
    n = w.size
    if limited:  # scored a block of rows at a time: no array over a huge layer's edges
        shown = strongest_edges(w, a_prev, weight_budget(n))
        bias = strongest(np.abs(b), bias_budget(b.size))
    else:
        bias = np.arange(b.size)
        shown = np.arange(n) if n <= FULL_EDGES else strongest_edges(w, None, FULL_EDGES)
    return shown, bias


def weight_budget(n: int) -> int:
    """How many of a dense layer's n weights "strongest edges only" draws."""
    return min(LIVE_EDGES, max(1, int(np.ceil(SHARE * n))))


def bias_budget(n: int) -> int:
    """How many of a dense layer's n biases "strongest edges only" draws."""
    return max(1, int(np.ceil(SHARE * n)))


def detail_lines(items: list[EdgesItem]) -> list[str]:
    """The legend's lines on what the level of detail leaves out (none when every edge is
    drawn)."""
    lines = []
    limited = [e for e in items if e.limited]
    if limited:
        capped = any(weight_budget(e.n_edges) < np.ceil(SHARE * e.n_edges)
                     for e in limited)
        lines.append("strongest edges only, per layer:")
        lines.append(f"top {SHARE:.0%} of weights" + (f" (≤ {LIVE_EDGES:,})" if capped else "")
                     + " and of biases")
    elif any(e.n_edges > FULL_EDGES for e in items):
        lines.append(f"at most the {FULL_EDGES:,} strongest weights per layer")
    return lines


class EdgesItem(_PaintedItem):
    """The edges into one layer l: weights w^l (and biases b^l from the "+1" node).

    ``set_weights`` bins the edges by sign and |w| and fills one QLineF array per bin.
    """

    def __init__(self, prev: LayerGeometry, cur: LayerGeometry) -> None:
        super().__init__()
        self.prev, self.cur = prev, cur
        n_out, n_in = cur.n, prev.n
        #: Edge i joins neuron k = i % n_in of layer l−1 to neuron j = i // n_in of layer l
        #: (the order of w.ravel()). Segments are made only for the edges drawn (``segments``):
        #: a 4096×4096 layer's 16.8M segments would be 537 MB.
        self.n_edges = n_out * n_in
        self.dense = n_out * n_in > DENSE_EDGES
        self.medium = n_out * n_in > MEDIUM_EDGES
        self.bias_seg = None
        if prev.bias_pos is not None:
            b0 = np.tile(prev.bias_pos, (n_out, 1))
            self.bias_seg = np.hstack([b0, cur.pos - [cur.radius, 0]])
        allp = np.vstack([prev.pos, cur.pos - [cur.radius, 0]]
                         + ([self.bias_seg[:, :2]] if self.bias_seg is not None else []))
        lo, hi = allp.min(axis=0), allp.max(axis=0)
        self._set_rect(QRectF(QPointF(*lo), QPointF(*hi)).adjusted(-8, -8, 8, 8))
        self._all: tuple | None = None  # (j_all, k_all, seg_all), made on first use
        self._bins: list[tuple[QPen, internals.PrimitiveArray]] = []
        self.shown = np.zeros(0, np.int64)  # indices (into *_all) of the drawn weight edges
        self.shown_bias = np.zeros(0, np.int64)  # indices of the drawn bias edges
        self.show_bias = True
        self.live = False
        self.show_all = False
        self.colours: Colours = LIGHT
        self._pens: dict[int, QPen] = {}  # bin level → pen, for these colours

    def segments(self, idx) -> np.ndarray:
        """(len(idx), 4) segments (x0, y0, x1, y1) of edges ``idx`` (indices into w.ravel()):
        from neuron k of layer l−1 to the disc's edge of neuron j of layer l."""
        j, k = np.divmod(np.asarray(idx, dtype=np.int64), self.prev.n)
        return np.hstack([self.prev.pos[k], self.cur.pos[j] - [self.cur.radius, 0]])

    def _every_edge(self) -> tuple:
        if self._all is None:
            idx = np.arange(self.n_edges)
            j, k = np.divmod(idx, self.prev.n)
            self._all = (j, k, self.segments(idx))
        return self._all

    @property
    def j_all(self) -> np.ndarray:
        """j of every edge (made on first use: meant for small layers)."""
        return self._every_edge()[0]

    @property
    def k_all(self) -> np.ndarray:
        """k of every edge (made on first use: meant for small layers)."""
        return self._every_edge()[1]

    @property
    def seg_all(self) -> np.ndarray:
        """Every edge's segment, (n_edges, 4) (made on first use: meant for small layers)."""
        return self._every_edge()[2]

    @property
    def bins(self) -> list[tuple[QPen, internals.PrimitiveArray]]:
        """The drawn edges grouped by pen: [(pen, lines)], one bin per colour and width."""
        return self._bins
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
        shown, bias = select_edges(w, b, a_prev, self.limited)
        self.shown, self.shown_bias = shown, bias
        values, segs = flat[shown], self.segments(shown)
        if self.show_bias and self.bias_seg is not None:
            values = np.concatenate([values, b[bias]])
            segs = np.vstack([segs, self.bias_seg[bias]])
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
        j, k = np.divmod(self.shown, self.prev.n)
        cands = [("edge", self.segments(self.shown), j, k)]
        if self.show_bias and self.bias_seg is not None:
            n = len(self.shown_bias)
            cands.append(("bias", self.bias_seg[self.shown_bias], self.shown_bias,
                          np.full(n, -1)))
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
