"""The weight legend: the colour scale drawn over the graph view's top-right corner, with its
range (or one per layer), what the level of detail shows (``edges.detail_lines``) and the δ
rings' scale; and its placement (the corner, and how far the neurons under it reach into it
when the view fits).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QLinearGradient,
    QPaintEngine,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QWidget

from ...core.notation import format_number, sup
from ..look import style
from .items import qcolor

#: The legend's line while "Show numbers" is on but the graph is too small to show any.
NUMBERS_HIDDEN = "numbers too small to read: zoom in"


class WeightLegend(QWidget):
    """The weight colour scale in the view's top-right corner, with its range; a dashed and a
    solid sample line say which sign is dashed. ``view``: the NetworkGraphView it is drawn
    over (its colours, layout and neurons)."""

    def __init__(self, view: pg.GraphicsView) -> None:
        super().__init__(view)
        self.view = view
        self.scales: list[float] = [1.0]
        self.per_layer = False
        self.detail: list[str] = []  # what the level of detail leaves out (edges.detail_lines)
        self.dashed = False  # some layer dashes its negative edges: show the samples
        self.title = "weights w"
        self.delta_scale: float | None = None  # |δ| of full colour, while δ rings show
        self.numbers_hidden = False  # "Show numbers" is on, but none is big enough to draw
        self._cached: tuple | None = None  # (what it showed, the pixmap): see paintEvent
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.place()

    @property
    def limited(self) -> bool:
        """True when a level of detail leaves some edges out."""
        return bool(self.detail)

    def set_scales(self, scales, per_layer: bool, detail: list[str]) -> None:
        """The colour scale's range (one, or one per layer) and the lines saying what the
        level of detail leaves out (none: every edge is drawn)."""
        self.scales, self.per_layer, self.detail = list(scales), per_layer, list(detail)
        self.setToolTip("")
        self.place()
        self.update()

    def text_lines(self) -> list[str]:
        if self.per_layer:
            lines = [f"w{sup(l)}: ±{format_number(s)}"
                     for l, s in enumerate(self.scales, start=1)]
        else:
            lines = []
        lines += self.detail
        if self.numbers_hidden:
            lines.append(NUMBERS_HIDDEN)
        if self.delta_scale is not None:
            if self.delta_scale > 0:
                lines.append("rings: δ = ∂E/∂z, full colour at "
                             f"±{format_number(self.delta_scale)}")
            else:
                lines.append("rings: δ = ∂E/∂z, all 0")
        return lines

    @property
    def _s(self) -> float:
        return self.view.colours.scale

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(1, round(self.view.colours.font_legend)))
        return font

    def _rows(self) -> int:
        """Rows of 16 px (at scale 1) under the colour bar."""
        return len(self.text_lines()) + (0 if self.per_layer else 1) + (1 if self.dashed else 0)

    def place(self) -> None:
        s = self._s
        lines = self.text_lines()
        h = round((40 + 16 * self._rows()) * s)
        metrics = QFontMetrics(self._font())
        w = max([round(250 * s)] + [metrics.horizontalAdvance(line) + round(24 * s)
                                     for line in lines])
        self.setFixedSize(w, h)
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.width() - 12, 12)

    def overlap(self) -> float:
        """How far (scene units) the lowest neuron or "+1" node under the legend reaches into
        it from below; 0 when none is under it."""
        view = self.view
        if view.width() < 100:
            return 0.0
        g = self.geometry().adjusted(-8, -8, 8, 8)
        top_left = view.vb.mapSceneToView(view.mapToScene(g.topLeft()))
        bottom_right = view.vb.mapSceneToView(view.mapToScene(g.bottomRight()))
        lx0, ly0, lx1, ly1 = top_left.x(), top_left.y(), bottom_right.x(), bottom_right.y()
        boxes = []  # (x0, y0, x1, y1) of every disc and image
        for lay in view.layout.layers:
            if lay.image_rect is None:
                boxes += [(x - lay.radius, y - lay.radius, x + lay.radius, y + lay.radius)
                          for x, y in lay.pos]
            else:
                ix, iy, iw, ih = lay.image_rect
                boxes.append((ix, iy, ix + iw, iy + ih))
            if lay.bias_pos is not None:
                (x, y), r = lay.bias_pos, view.neurons_item.bias_radius
                boxes.append((x - r, y - r, x + r, y + r))
        reach = 0.0
        for x0, y0, x1, y1 in boxes:
            if x0 < lx1 and lx0 < x1 and y0 < ly1 and ly0 < y1:
                reach = max(reach, ly1 - y0)
        return reach

    def paintEvent(self, event) -> None:
        # Drawn into a pixmap kept while what it shows is the same: the graph repaints ~20
        # times a second while training, and the legend over it with it (0.7 ms a time); its
        # text changes only when the range's few digits do.
        painter = QPainter(self)
        if painter.paintEngine().type() != QPaintEngine.Type.Raster:
            self._paint(painter)  # an export (SVG, PDF): vectors, not a picture
            return
        dpr = self.devicePixelRatioF()
        key = (self.title, self.per_layer, self.dashed, tuple(self.text_lines()),
               tuple(format_number(v) for v in self.scales), self.size(), dpr,
               id(self.view.colours))  # the cache holds the colours: their id stays theirs
        if self._cached is None or self._cached[0] != key:
            pixmap = QPixmap(self.size() * dpr)
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            into = QPainter(pixmap)
            self._paint(into)
            into.end()
            self._cached = (key, pixmap, self.view.colours)
        painter.drawPixmap(0, 0, self._cached[1])

    def _paint(self, p: QPainter) -> None:
        c, s = self.view.colours, self._s
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(qcolor(c.legend_border)))
        p.setBrush(qcolor(c.legend_background))
        p.drawRoundedRect(self.rect().adjusted(0, 0, -1, -1), 6 * s, 6 * s)
        p.setFont(self._font())
        text = qcolor(c.legend_text)
        p.setPen(text)
        title = self.title + (" (per layer)" if self.per_layer else " (all layers)")
        pad, row, inner = 10 * s, 16 * s, self.width() - 20 * s
        p.drawText(QPointF(pad, 16 * s), title)
        grad = QLinearGradient(pad, 0, self.width() - pad, 0)
        for stop, t in ((0.0, -1.0), (0.5, 0.0), (1.0, 1.0)):
            grad.setColorAt(stop, QColor(*style.diverging_rgb(t, c.diverging)))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(grad)
        p.drawRect(QRectF(pad, 22 * s, inner, 10 * s))
        p.setPen(text)
        y = 34 * s
        if not self.per_layer:
            v = format_number(self.scales[0])
            r = QRectF(pad, y, inner, row)
            p.drawText(r, Qt.AlignmentFlag.AlignLeft, f"−{v}")
            p.drawText(r, Qt.AlignmentFlag.AlignHCenter, "0")
            p.drawText(r, Qt.AlignmentFlag.AlignRight, f"+{v}")
            y += 18 * s
        else:
            y += 2 * s
        if self.dashed:
            self._paint_samples(p, QRectF(pad, y, inner, row))
            y += row
        p.setPen(text)
        for i, line in enumerate(self.text_lines()):
            p.drawText(QRectF(pad, y + row * i, inner, row), Qt.AlignmentFlag.AlignHCenter,
                       line)

    def _paint_samples(self, p: QPainter, r: QRectF) -> None:
        """"╌╌ negative" on the left, "positive ──" on the right, drawn with edge pens."""
        c, s = self.view.colours, self._s
        length, mid = 30 * s, r.center().y()
        for negative in (True, False):
            rgb = c.diverging.negative if negative else c.diverging.positive
            pen = QPen(qcolor(rgb))
            pen.setWidthF(max(2.0, 2.5 * s))
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if negative:
                pen.setDashPattern([d * s / pen.widthF() for d in c.dash])
                x0 = r.left()
            else:
                x0 = r.right() - length
            p.setPen(pen)
            p.drawLine(QPointF(x0, mid), QPointF(x0 + length, mid))
        p.setPen(qcolor(c.legend_text))
        inner = r.adjusted(length + 6 * s, 0, -length - 6 * s, 0)
        p.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "negative")
        p.drawText(inner, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                   "positive")
