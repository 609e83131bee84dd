"""Dense layers drawn as blocks of cells, and the numbers inside discs zoomed in on a big layer.

A layer whose discs would be too small to read at the current zoom (``layout.drawn_as_cells``)
is drawn as one square cell per neuron, filled with the quantity its disc shows at this stage in
the same colours: δ = ∂E/∂z (the ring's diverging colour) where the walk knows it, else the
activation a (the disc's fill), else the "not yet computed" fill. A block's cells are one small
QImage (a pixel per neuron) scaled onto the block without smoothing, so 4,096 cells cost one
``drawImage``; thin lines in the background colour part the cells once they are big enough to
be told apart.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from ...core.notation import format_number
from ..look import style
from ..look.theme import Colours
from .items import _font, qcolor
from .layout import LayerGeometry

#: Cells at least this big on screen (pixels) are parted by lines in the background colour.
GRID_LINES_PX = 6.0
#: Discs of a big layer at least this big on screen (radius, pixels) show their numbers.
NUMBERS_RADIUS_PX = 19.0
#: ... and not in a font smaller than this (pixels).
MIN_NUMBER_PX = 7.0


def cell_colours(n: int, fill: np.ndarray | None, ring: np.ndarray | None,
                 pending) -> np.ndarray:
    """(n, 3) colours of a layer's cells: the δ ring's colour where known, else the disc's
    fill, else ``pending``."""
    if ring is not None:
        return np.asarray(ring, np.uint8)
    if fill is not None:
        return np.asarray(fill, np.uint8)
    return np.tile(np.asarray(pending[:3], np.uint8), (n, 1))


def cells_image(lay: LayerGeometry, rgb: np.ndarray) -> QImage:
    """A (rows x cols) image of the layer's grid, one pixel per neuron (transparent where the
    last column is not full)."""
    rows, cols = lay.grid
    img = np.zeros((rows, cols, 4), np.uint8)
    r, c = lay.cell_index(np.arange(lay.n))
    img[r, c, :3] = rgb
    img[r, c, 3] = 255
    img = np.ascontiguousarray(img)
    return QImage(img.data, cols, rows, 4 * cols, QImage.Format.Format_RGBA8888).copy()


def paint_block(p: QPainter, lay: LayerGeometry, image: QImage, rgb: np.ndarray,
                zoom: float, colours: Colours) -> None:
    """Layer ``lay`` as cells: ``image`` (a block, see cells_image) or, for a column whose
    cells are apart, one square per neuron in ``rgb``; a thin outline around the block."""
    x, y, w, h = lay.block_rect()
    outline = QPen(qcolor(colours.outline))
    outline.setCosmetic(True)
    outline.setWidthF(max(1.0, colours.scale))
    s = lay.cell
    if s < lay.pitch - 1e-9:  # a column of separate squares (a small layer zoomed far out)
        p.setPen(outline)
        for (cx, cy), (r, g, b) in zip(lay.pos, rgb):
            p.setBrush(QColor(int(r), int(g), int(b)))
            p.drawRect(QRectF(cx - s / 2, cy - s / 2, s, s))
        return
    rows, cols = lay.grid
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    p.drawImage(QRectF(x, y, cols * s, rows * s), image)
    if s * zoom >= GRID_LINES_PX:
        sep = QPen(qcolor(colours.background))
        sep.setCosmetic(True)
        sep.setWidthF(1.0)
        p.setPen(sep)
        lines = [QLineF(x + c * s, y, x + c * s, y + h) for c in range(1, cols)]
        lines += [QLineF(x, y + r * s, x + w, y + r * s) for r in range(1, rows)]
        p.drawLines(lines)
    p.setPen(outline)
    p.setBrush(Qt.BrushStyle.NoBrush)
    # the outline follows the cells: a partly filled last column leaves a notch
    full = lay.n - (cols - 1) * rows
    if full == rows or cols == 1:
        p.drawRect(QRectF(x, y, w, h))
    else:
        x1 = x + (cols - 1) * s
        p.drawPolyline([QPointF(x, y), QPointF(x + w, y), QPointF(x + w, y + full * s),
                        QPointF(x1, y + full * s), QPointF(x1, y + h), QPointF(x, y + h),
                        QPointF(x, y)])


def visible(lay: LayerGeometry, rect: QRectF, margin: float) -> np.ndarray:
    """Indices of the neurons whose centre is within ``margin`` of ``rect``."""
    x, y = lay.pos[:, 0], lay.pos[:, 1]
    inside = ((x >= rect.left() - margin) & (x <= rect.right() + margin)
              & (y >= rect.top() - margin) & (y <= rect.bottom() + margin))
    return np.flatnonzero(inside)


def paint_numbers(p: QPainter, lay: LayerGeometry, js: np.ndarray, a: np.ndarray | None,
                  delta: np.ndarray | None, fills: np.ndarray | None, zoom: float,
                  colours: Colours, output: bool) -> None:
    """The numbers inside the discs ``js`` of a big layer zoomed in on: a (not on the
    ``output`` layer, whose values are beside it already) and δ where known; dark or light
    text for the disc's fill."""
    r_px = lay.radius * zoom
    if r_px < NUMBERS_RADIUS_PX or (a is None and delta is None) or len(js) == 0:
        return
    a = None if output else a
    # a and δ, or only δ if both do not fit: as big as the longest number lets the text
    # fit across the disc (a digit ≈ 0.6 em)
    for with_a in (True, False) if delta is not None else (True,):
        lines_of = [([format_number(a[j])] if a is not None and with_a else [])
                    + ([f"δ {format_number(delta[j])}"] if delta is not None else [])
                    for j in js]
        chars = max((len(t) for lines in lines_of for t in lines), default=1)
        font_px = min(0.4 * r_px, 1.2 * colours.font_label, 1.7 * r_px / (0.6 * chars))
        if font_px >= MIN_NUMBER_PX:
            break
    else:
        return
    if font_px < MIN_NUMBER_PX:
        return
    p.setFont(_font(font_px / zoom))  # in scene units
    dark, light = sorted((colours.text, colours.text_on_strong),
                         key=lambda rgb: float(style.relative_luminance(rgb)))
    dark, light = qcolor(dark), qcolor(light)
    r = lay.radius
    strong = (np.zeros(len(js), bool) if fills is None
              else style.relative_luminance(fills[np.asarray(js, int)]) < 0.3)
    for j, lines, on_strong in zip(js, lines_of, strong):
        if not lines:
            continue
        x, y = lay.pos[j]
        p.setPen(light if on_strong else dark)
        p.drawText(QRectF(x - r, y - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                   "\n".join(lines))
