"""One neuron's incoming weights from an image input (e.g. 784 = 28×28) shown as an image in the
diverging weight scale, painted up or down with a soft round brush.

The widget holds no parameters of its own: ``set_row`` shows the model's row, and a stroke
announces the row it wants (``rowPainted``) for the owner to send to the document. The brush is
view-side interaction only: new row = row at the stroke's start ± strength · coverage, where the
coverage of a pixel is the brush profile at its distance from the stroke (combined by max, so
going over the same place twice in one stroke does not pile up), clamped to ±edits.MAX_ABS.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ...constants import MNIST_IMAGE_SHAPE, MNIST_INPUTS
from ...core.edits import MAX_ABS
from ...core.notation import format_number
from ..look.style import DEFAULT, Diverging, diverging_rgb

#: Brush radius in image pixels (the profile reaches 0 there) and its range.
DEFAULT_RADIUS = 2.0
RADIUS_RANGE = (0.5, 8.0)
#: What a stroke adds at the brush's centre, in weight units, and its range.
DEFAULT_STRENGTH = 1.0
STRENGTH_RANGE = (0.01, 100.0)
#: Height of the colour bar under the image, and of its labels.
_BAR, _TEXT = 10, 16
_FRAME = QColor(150, 150, 150)


def brush_coverage(shape: tuple[int, int], p0, p1, radius: float) -> np.ndarray:
    """The brush's coverage of each pixel for a segment from p0 to p1 (image coordinates
    (x, y): x right, y down, pixel (r, c) covers [c, c+1) × [r, r+1)). Shape ``shape``, values
    in [0, 1]: ½(1 + cos(π d / radius)) at distance d < radius from the segment, else exactly 0.
    """
    h, w = shape
    px = np.arange(w) + 0.5 - p0[0]
    py = (np.arange(h) + 0.5 - p0[1])[:, None]
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    length2 = dx * dx + dy * dy
    t = np.clip((px * dx + py * dy) / length2, 0.0, 1.0) if length2 > 0 else 0.0
    d = np.hypot(px - t * dx, py - t * dy)
    return np.where(d < radius, 0.5 * (1.0 + np.cos(np.pi * np.minimum(d / radius, 1.0))), 0.0)


class WeightPainter(QWidget):
    """Shows a row of weights (shape (h·w,)) as an h×w image, colour scale ±max |w| of the row
    (drawn as a bar underneath). Left button paints the weights up, right button or Shift+left
    paints them down; each stroke emits ``strokeStarted``, ``rowPainted`` for the press and
    every move, and ``strokeFinished``."""

    strokeStarted = Signal()
    rowPainted = Signal(object)  # the painted row, shape (h·w,), within ±MAX_ABS
    strokeFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shape = MNIST_IMAGE_SHAPE
        self.row = np.zeros(MNIST_INPUTS)
        self.scale = 1.0  # the |w| shown at full colour
        self.radius, self.strength = DEFAULT_RADIUS, DEFAULT_STRENGTH
        self.editable = True
        self._diverging: Diverging = DEFAULT
        self._frame, self._brush_outline = _FRAME, QColor(0, 0, 0, 140)
        self._image: QImage | None = None
        self._stroke: dict | None = None  # start row, sign, coverage, last point
        self._hover: QPointF | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Incoming weights as an image (blue positive, orange negative; full "
                        "colour at ± the largest |w| of this neuron, as the bar shows).\n"
                        "Paint them up with the left button, down with the right button or "
                        "Shift; one stroke is one undo step.")

    def set_appearance(self, appearance) -> None:
        """The palette (and its neutral for the theme), frame and brush outline colours for a
        ``theme.Appearance``; the image is repainted."""
        c = appearance.colours()
        self._diverging = c.diverging
        self._frame = QColor(*c.frame)
        self._brush_outline = QColor(255, 255, 255, 160) if c.dark else QColor(0, 0, 0, 140)
        self.set_row(self.row, self.shape)

    # -- the model's row -----------------------------------------------------------------------
    def set_row(self, row, shape: tuple[int, int]) -> None:
        """Show ``row`` (shape (h·w,)) as an image of ``shape`` (h, w)."""
        row = np.asarray(row, dtype=float)
        if row.shape != (shape[0] * shape[1],):
            raise ValueError(f"a row of {shape[0] * shape[1]} weights is needed, got {row.shape}")
        if tuple(shape) != self.shape:
            self.shape = tuple(shape)
            self.updateGeometry()
        self.row = row.copy()
        top = float(np.max(np.abs(row))) if row.size else 0.0
        self.scale = top if top > 0 else 1.0
        rgb = np.ascontiguousarray(diverging_rgb(row / self.scale, self._diverging)
                                   .reshape(*self.shape, 3))
        h, w = self.shape
        self._image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        self.update()

    def set_editable(self, on: bool) -> None:
        self.editable = bool(on)
        if not on:
            self.end_stroke()
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self.update()

    # -- strokes, in image coordinates (x, y) ------------------------------------------------
    def begin_stroke(self, x: float, y: float, up: bool = True) -> None:
        """Start a stroke at (x, y): paint up (``up``) or down."""
        self.end_stroke()
        self._stroke = {"start": self.row.copy(), "sign": 1.0 if up else -1.0,
                        "coverage": np.zeros(self.shape), "last": (x, y)}
        self.strokeStarted.emit()
        self._paint_segment((x, y), (x, y))

    def continue_stroke(self, x: float, y: float) -> None:
        if self._stroke is not None:
            last, self._stroke["last"] = self._stroke["last"], (x, y)
            self._paint_segment(last, (x, y))

    def end_stroke(self) -> None:
        if self._stroke is not None:
            self._stroke = None
            self.strokeFinished.emit()

    def _paint_segment(self, p0, p1) -> None:
        s = self._stroke
        np.maximum(s["coverage"], brush_coverage(self.shape, p0, p1, self.radius),
                   out=s["coverage"])
        row = s["start"] + s["sign"] * self.strength * s["coverage"].ravel()
        self.rowPainted.emit(np.clip(row, -MAX_ABS, MAX_ABS))

    # -- geometry ------------------------------------------------------------------------------
    def cell(self) -> int:
        """Side of one weight's square, in widget pixels."""
        h, w = self.shape
        return max(2, min((self.width() - 2) // w, (self.height() - 2 - _BAR - _TEXT) // h))

    def image_rect(self) -> QRectF:
        h, w = self.shape
        c = self.cell()
        return QRectF((self.width() - w * c) // 2, 1, w * c, h * c)

    def to_image(self, pos: QPointF) -> tuple[float, float]:
        """Widget position → image coordinates (x, y)."""
        r, c = self.image_rect(), self.cell()
        return (pos.x() - r.x()) / c, (pos.y() - r.y()) / c

    def pixel_centre(self, row: int, col: int) -> QPoint:
        """The widget position of pixel (row, col)'s centre (e.g. for tests)."""
        r, c = self.image_rect(), self.cell()
        return QPoint(int(r.x() + (col + 0.5) * c), int(r.y() + (row + 0.5) * c))

    def sizeHint(self) -> QSize:
        h, w = self.shape
        return QSize(w * 10 + 2, h * 10 + 2 + _BAR + _TEXT)

    def minimumSizeHint(self) -> QSize:
        h, w = self.shape
        return QSize(w * 8 + 2, h * 8 + 2 + _BAR + _TEXT)

    def heightForWidth(self, width: int) -> int:
        h, w = self.shape
        return min(10, max(2, (width - 2) // w)) * h + 2 + _BAR + _TEXT

    def hasHeightForWidth(self) -> bool:
        return True

    # -- input -----------------------------------------------------------------------------------
    def mousePressEvent(self, e) -> None:
        button, shift = e.button(), e.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if self.editable and button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            up = button == Qt.MouseButton.LeftButton and not shift
            self.begin_stroke(*self.to_image(e.position()), up=up)
            e.accept()
        else:
            super().mousePressEvent(e)

    def mouseMoveEvent(self, e) -> None:
        self._hover = e.position()
        self.update()
        if self._stroke is not None:
            self.continue_stroke(*self.to_image(e.position()))

    def mouseReleaseEvent(self, e) -> None:
        if self._stroke is not None and not e.buttons() & (Qt.MouseButton.LeftButton
                                                           | Qt.MouseButton.RightButton):
            self.end_stroke()
        else:
            super().mouseReleaseEvent(e)

    def contextMenuEvent(self, e) -> None:
        e.accept()  # the right button paints down; no menu

    def leaveEvent(self, e) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(e)

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            x, y = self.to_image(QPointF(e.pos()))
            h, w = self.shape
            if 0 <= x < w and 0 <= y < h:
                r, c = int(y), int(x)
                k = r * w + c
                QToolTip.showText(e.globalPos(), f"row {r}, column {c} (k = {k}): "
                                  f"w = {self.row[k]!r}", self)
                return True
        return super().event(e)

    # -- drawing ---------------------------------------------------------------------------------
    def paintEvent(self, e) -> None:
        p = QPainter(self)
        rect = self.image_rect()
        if self._image is not None:
            p.drawImage(rect, self._image)  # no smoothing: one square per weight
        p.setPen(QPen(self._frame, 1))
        p.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        bar = QRectF(rect.x(), rect.bottom() + 4, rect.width(), _BAR)
        grad = QLinearGradient(bar.topLeft(), bar.topRight())
        d = self._diverging
        for at, rgb in ((0.0, d.negative), (0.5, d.neutral), (1.0, d.positive)):
            grad.setColorAt(at, QColor(*rgb))
        p.fillRect(bar, grad)
        text = QRectF(bar.x(), bar.bottom() + 1, bar.width(), _TEXT)
        p.setPen(self.palette().color(self.foregroundRole()))
        left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        p.drawText(text, left, format_number(-self.scale))
        p.drawText(text, Qt.AlignmentFlag.AlignHCenter, "0")  # the range: ±max |w| of the row
        p.drawText(text, right, "+" + format_number(self.scale))
        if self._hover is not None and self.editable and rect.contains(self._hover):
            c = self.cell()
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(self._brush_outline, 1, Qt.PenStyle.DashLine))
            p.drawEllipse(self._hover, self.radius * c, self.radius * c)
        p.end()


class WeightPaintBox(QWidget):
    """The painter with its brush controls (``strength``, ``radius``) and a line on how to
    paint; connect to ``painter``'s signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.painter = WeightPainter()
        self.strength = _spin(STRENGTH_RANGE, self.painter.strength, 0.1,
                              "What one stroke adds (or takes) at the brush's centre")
        self.strength.valueChanged.connect(lambda v: setattr(self.painter, "strength", v))
        self.radius = _spin(RADIUS_RANGE, self.painter.radius, 0.5,
                            "Brush radius in pixels of the image; soft towards the edge")
        self.radius.valueChanged.connect(lambda v: setattr(self.painter, "radius", v))
        hint = QLabel("Left button paints up (blue), right button or Shift+left paints down "
                      "(orange); one stroke is one undo step.")
        hint.setWordWrap(True)
        row = QHBoxLayout()
        for text, w in (("Strength", self.strength), ("Brush", self.radius)):
            label = QLabel(text)
            label.setToolTip(w.toolTip())
            row.addWidget(label)
            row.addWidget(w)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.painter)
        lay.addLayout(row)
        lay.addWidget(hint)

    def set_row(self, row, shape: tuple[int, int], editable: bool = True) -> None:
        """Show the model's row (see ``WeightPainter.set_row``); ``editable``: paint allowed."""
        self.painter.set_row(row, shape)
        if editable != self.painter.editable:
            self.painter.set_editable(editable)
        self.strength.setEnabled(editable)
        self.radius.setEnabled(editable)


def _spin(bounds, value: float, step: float, tip: str) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(*bounds)
    s.setDecimals(2)
    s.setSingleStep(step)
    s.setValue(value)
    s.setKeyboardTracking(False)
    s.setToolTip(tip)
    return s
