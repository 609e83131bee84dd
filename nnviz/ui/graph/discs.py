"""The discs of a big layer zoomed in on, drawn from cached sprites.

Qt's raster engine takes about half a millisecond for an antialiased, outlined ellipse, so the
hundreds of discs a zoomed-in block shows would take a few hundred milliseconds a frame. Each
disc is instead one small image (its fill, outline and δ ring, drawn once at the zoom's pixel
size) blitted 1:1; discs that look the same share one: colours are matched to within 4 levels of
255 and ring widths to half a pixel, finer than the eye tells apart at this size.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from ..look.theme import Colours
from .items import qcolor
from .layout import LayerGeometry

#: The most sprites kept; past it the cache starts again.
MAX_SPRITES = 4000


class DiscSprites:
    """One layer's disc images by look, for one zoom, device pixel ratio and set of
    colours."""

    def __init__(self) -> None:
        self._key = None
        self._sprites: dict[tuple, QImage] = {}

    def _reset_for(self, key) -> None:
        if key != self._key or len(self._sprites) > MAX_SPRITES:
            self._key, self._sprites = key, {}

    def sprite(self, look: tuple, zoom: float, r_px: float, outline_px: float,
               colours: Colours, dpr: float) -> QImage:
        """The disc ``look`` = (fill rgb or None for "pending", ring rgb or None, ring width
        in pixels, negative) at radius ``r_px``."""
        img = self._sprites.get(look)
        if img is None:
            img = self._sprites[look] = _draw(look, r_px, outline_px, colours, dpr, zoom)
        return img

    def paint(self, p: QPainter, lay: LayerGeometry, js, fills: np.ndarray | None,
              rings: tuple | None, zoom: float, outline_px: float, colours: Colours) -> None:
        """The discs ``js`` of layer ``lay`` as the painter's discs would be drawn: filled by
        ``fills`` (None: not computed yet), ringed by ``rings`` (rgb, width, negative)."""
        dpr = float(p.device().devicePixelRatioF()) if p.device() is not None else 1.0
        r_px = lay.radius * zoom
        self._reset_for((round(r_px, 3), round(outline_px, 3), dpr, id(colours)))
        js = np.asarray(js, int)
        if len(js) == 0:
            return
        fill_q = None if fills is None else (np.asarray(fills[js], int) // 4)
        if rings is not None:
            ring_q = np.asarray(rings[0][js], int) // 4
            width_q = np.rint(np.asarray(rings[1][js], float) * zoom * 2).astype(int)
            neg = np.asarray(rings[2][js], bool)
        half = _half_px(r_px)
        # blitted in device pixels: no scaling, a plain copy
        t = p.worldTransform()
        centres = np.column_stack([t.m11() * lay.pos[js, 0] + t.m21() * lay.pos[js, 1] + t.dx(),
                                   t.m12() * lay.pos[js, 0] + t.m22() * lay.pos[js, 1] + t.dy()])
        corners = np.rint(centres - half).astype(int)
        p.save()
        p.resetTransform()
        for i in range(len(js)):
            fill = None if fill_q is None else tuple(int(v) * 4 + 2 for v in fill_q[i])
            if rings is None:
                look = (fill, None, 0.0, False)
            else:
                look = (fill, tuple(int(v) * 4 + 2 for v in ring_q[i]), width_q[i] / 2,
                        bool(neg[i]))
            img = self.sprite(look, zoom, r_px, outline_px, colours, dpr)
            p.drawImage(QPoint(*corners[i]), img)
        p.restore()


def _half_px(r_px: float) -> int:
    """Half the side of a sprite (pixels): the disc, the widest δ ring (0.42 of the radius,
    see NeuronsItem.set_deltas) and room for antialiasing."""
    return int(math.ceil(1.42 * r_px + 4))


def _draw(look: tuple, r_px: float, outline_px: float, c: Colours, dpr: float,
          zoom: float) -> QImage:
    fill, ring, ring_px, negative = look
    half = _half_px(r_px)
    size = int(math.ceil(2 * half * dpr))
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(dpr)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    centre = QPointF(half, half)
    if ring is not None and ring_px > 0:
        pen = QPen(QColor(*ring))
        pen.setWidthF(ring_px)
        if negative:  # dashed as the painter's rings: 1.6·dash·scale scene units long
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            pen.setDashPattern([1.6 * d * c.scale * zoom / ring_px for d in c.dash])
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        rr = r_px + ring_px / 2 + 1
        p.drawEllipse(centre, rr, rr)
    outline = QPen(qcolor(c.outline if fill is not None else c.pending))
    outline.setWidthF(outline_px)
    if fill is None:
        outline.setStyle(Qt.PenStyle.DashLine)
    p.setPen(outline)
    p.setBrush(QColor(*fill) if fill is not None else qcolor(c.pending_fill))
    p.drawEllipse(centre, r_px, r_px)
    p.end()
    return img

