"""Graphics items of the network graph: the shared base and helpers, the band behind the
current layer, the labels and the selection. The edges are in ``edges.py``; the neurons, the
input image and the filters in ``neurons.py``.

Drawing is vectorised and cached: every item recomputes its arrays when the document changes
and only replays them in ``paint``, and every paint sets a clip rectangle.

Colours, widths and font sizes come from a ``theme.Colours`` (``set_colours``); the default is
the light theme at scale 1.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTransform

from ..look import style
from ..look.theme import Appearance, Colours
from .layout import READABLE_RADIUS_PX

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


class Label(NamedTuple):
    """A number (or name) on the graph, centred at (x, y) in scene units, or starting there
    (anchor "left") or ending there (anchor "right"). ``on_strong``: on a strongly filled
    neuron (drawn in the contrasting colour, no background); ``thin``: may be dropped where it
    overlaps another label (edges); ``number``: one of the numbers "Show numbers" puts on a
    small network."""

    x: float
    y: float
    text: str
    on_strong: bool = False
    anchor: str = "center"
    thin: bool = False
    number: bool = False


class LabelsItem(_PaintedItem):
    """Numbers on a small network: a on neurons, w on edges, b on bias edges.

    Only readable ones are painted. A font that would be a little under ``style.MIN_LABEL_PX``
    on screen is enlarged to it (``style.label_boost``); one that would need more is not drawn,
    and an edge label that overlaps a label drawn before it is left out
    (``style.readable_labels``). Decided again whenever the view's zoom changes.
    ``numbersHidden`` (bool) says when every number has become too small to draw, or when
    one is drawn again (emitted during a paint).
    """

    numbersHidden = Signal(bool)

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self._set_rect(rect)
        self.texts: list[Label] = []
        self._key = None
        self._boxes = np.zeros((0, 4))  # each label's box in scene units, at self._font_px
        self._font_px = 0
        self.mask = np.zeros(0, bool)  # the labels drawn at the last paint
        self.numbers_hidden = False  # there are numbers, and the last paint drew none of them
        self.set_colours(LIGHT)

    def _set_numbers_hidden(self, hidden: bool) -> None:
        if hidden != self.numbers_hidden:
            self.numbers_hidden = hidden
            self.numbersHidden.emit(hidden)

    def set_colours(self, colours: Colours) -> None:
        self.colours = colours
        self.set_texts(self.texts)

    def set_texts(self, texts) -> None:
        self.texts = [t if isinstance(t, Label) else Label(*t) for t in texts]
        self._key = None
        if not any(t.number for t in self.texts):
            self._set_numbers_hidden(False)
        self.update()

    def _measure(self, font: QFont) -> np.ndarray:
        fm = QFontMetrics(font)  # integer metrics, as a painter's
        h = fm.height()
        def left(t: Label) -> float:
            width = fm.horizontalAdvance(t.text) + 6
            return {"left": t.x, "right": t.x - width}.get(t.anchor, t.x - width / 2)

        boxes = [(left(t), t.y - h / 2, fm.horizontalAdvance(t.text) + 6, h)
                 for t in self.texts]
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
        number = np.array([t.number for t in self.texts], bool)
        self._set_numbers_hidden(bool(number.any()) and not self.mask[number].any())
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
    """A thick outline around the selected neuron, or a thick line over the selected edge.
    ``dashed``: a dashed ring a little further out, for the neuron the equations are about."""

    def __init__(self, rect: QRectF, dashed: bool = False) -> None:
        super().__init__()
        self._set_rect(rect)
        self.shape_kind: str | None = None
        self.data = None
        self.dashed = dashed
        self.colours: Colours = LIGHT
        self.setZValue(99 if dashed else 100)

    def set_colours(self, colours: Colours) -> None:
        self.colours = colours
        self.update()

    def show_neuron(self, x: float, y: float, r: float, cell: float | None = None) -> None:
        """Around the disc of radius ``r`` at (x, y), or around its square ``cell`` (side)
        where the layer is drawn as cells at the zoom of the paint."""
        self.shape_kind, self.data = "neuron", (x, y, r, cell)
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
        if self.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
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
                x, y, r, cell = self.data
                gap = (7 if self.dashed else 4) * c.scale
                t = p.worldTransform()
                zoom = float(np.hypot(t.m11(), t.m12()))
                if cell is not None and r * zoom < READABLE_RADIUS_PX * c.scale:
                    # a square a few pixels out from the cell, however small the cell
                    h = cell / 2 + max(gap, 3 * c.scale) / max(zoom, 1e-9)
                    p.drawRect(QRectF(x - h, y - h, 2 * h, 2 * h))
                else:
                    p.drawEllipse(QPointF(x, y), r + gap, r + gap)
            else:
                p.drawLine(QLineF(*self.data))
