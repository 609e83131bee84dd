"""∂E/∂x on an input drawn as an image: the walk's last backward stage, δ⁰ = (w¹)ᵀ δ¹, as a
diverging overlay on the pixels (which pixels would change the answer most, and which way).

Each pixel is tinted with the sign's colour of the diverging scale (the colours of δ rings and
of weights), its opacity growing with |∂E/∂x| relative to the largest of the image, so the
digit stays readable under the pixels that matter and the pixels that do not stay clear. A
caption above the image gives the |∂E/∂x| of full colour.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from ...core.notation import format_number
from ..look import style
from ..look.theme import Colours
from .items import LIGHT, _font, _PaintedItem, qcolor
from .layout import LayerGeometry

#: Opacity of the pixel with the largest |∂E/∂x| (the digit still shows through a little).
MAX_ALPHA = 0.9
#: Opacity grows as |t|^GAMMA (t = ∂E/∂x / its largest size): small gradients still show.
GAMMA = 0.6


def overlay_rgba(g: np.ndarray, palette: style.Diverging, shape: tuple[int, int]
                 ) -> tuple[np.ndarray, float]:
    """(rows, cols, 4) uint8 RGBA of the gradient ``g`` (rows·cols,) and the |g| of full
    colour: each pixel the diverging scale's colour of its sign, opacity MAX_ALPHA·|t|^GAMMA
    with t = g / max|g| (0 where g is 0)."""
    g = np.asarray(g, dtype=float)
    scale = float(np.max(np.abs(g))) if g.size else 0.0
    t = g / scale if scale > 0 else np.zeros_like(g)
    rgba = np.zeros((g.size, 4), np.uint8)
    rgba[:, :3] = style.diverging_rgb(np.sign(t), palette)
    rgba[:, 3] = np.round(255 * MAX_ALPHA * np.abs(t) ** GAMMA).astype(np.uint8)
    return rgba.reshape(*shape, 4), scale


class InputGradientItem(_PaintedItem):
    """δ⁰ = ∂E/∂x over an input layer drawn as an image (see the module docstring)."""

    def __init__(self, geo: LayerGeometry) -> None:
        super().__init__()
        self.geo = geo
        x, y, w, h = geo.image_rect
        self._set_rect(QRectF(x - 60, y - 60, w + 120, h + 60))  # + the caption above
        self.rgba: np.ndarray | None = None  # what is drawn, (rows, cols, 4); None: nothing
        self.scale = 0.0  # the |∂E/∂x| of full colour
        self._image: QImage | None = None
        self._gradient: np.ndarray | None = None
        self.setZValue(1)  # over the image, under the selection
        self.set_colours(LIGHT)

    def set_colours(self, colours: Colours) -> None:
        self.colours = colours
        self._font = _font(colours.font_band)
        self.set_gradient(self._gradient)

    def set_gradient(self, g: np.ndarray | None) -> None:
        """Show ∂E/∂x (shape (rows·cols,)), or nothing (None: the walk has not reached it)."""
        self._gradient = None if g is None else np.array(g, dtype=float)
        if g is None:
            self.rgba, self._image, self.scale = None, None, 0.0
        else:
            self.rgba, self.scale = overlay_rgba(g, self.colours.diverging, self.geo.image_shape)
            rows, cols = self.geo.image_shape
            self._image = QImage(self.rgba.data, cols, rows, 4 * cols,
                                 QImage.Format.Format_RGBA8888).copy()
        self.update()

    @property
    def caption(self) -> str:
        if self.rgba is None:
            return ""
        return f"∂E/∂x: full colour at ±{format_number(self.scale)}"

    def paint(self, p: QPainter, option, widget=None) -> None:
        if self._image is None:
            return
        p.setClipRect(option.exposedRect)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        x, y, w, h = self.geo.image_rect
        p.drawImage(QRectF(x, y, w, h), self._image)
        c = self.colours
        p.setFont(self._font)
        p.setPen(qcolor(c.band_text))
        p.drawText(QRectF(x - 60, y - 56, w + 120, 30),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self.caption)
