"""The digit drawing panel's widgets: an ink canvas, a 28×28 preview, bars for the outputs.

No learning maths here: the canvas only holds ink (a (280, 280) float64 raster, 0 = paper,
1 = ink) and the other widgets only show arrays they are given. Preprocessing the ink into the
network's 28×28 input lives in ``nnviz.data.drawing``; the app wires the panel's buttons.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (QColor, QFont, QImage, QKeySequence, QPainter, QPen, QPointingDevice,
                           QStaticText)
from PySide6.QtWidgets import (QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                               QSizePolicy, QSlider, QToolButton, QToolTip, QVBoxLayout, QWidget)

from .style import POSITIVE, format_number

#: Side of the ink raster, in canvas pixels (ten times MNIST's 28).
CANVAS_SIZE = 280
#: Default brush radius in canvas pixels: MNIST strokes are ~2.5–3 px wide in a 20 px digit, so
#: a digit drawn ~200 px tall wants strokes ~25 px wide.
DEFAULT_RADIUS = 12.0
RADIUS_RANGE = (2.0, 40.0)
#: Strokes that can be undone (each keeps only the patch the stroke changed).
UNDO_LIMIT = 50
#: At most one ``inkChanged`` per this many ms during a drag (one frame at 60 Hz).
THROTTLE_MS = 16

_GUIDE = QColor(0, 0, 0, 28)
_FRAME = QColor(150, 150, 150)
_HINT = QColor(170, 170, 170)
_BLUE = QColor(*POSITIVE)
_BAR = QColor(170, 170, 170)


def _grey(ink: np.ndarray) -> np.ndarray:
    """Ink in [0, 1] → uint8 grey, 255 white paper, 0 black ink."""
    return np.rint(255.0 * (1.0 - ink)).astype(np.uint8)


def _qimage(grey: np.ndarray) -> QImage:
    """An owning Grayscale8 QImage of a C-contiguous (h, w) uint8 array."""
    grey = np.ascontiguousarray(grey)
    h, w = grey.shape
    return QImage(grey.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


class DrawingCanvas(QWidget):
    """Draw a digit with a soft round brush; undo strokes; the ink raster is ``ink()``.

    Coordinates of the public stroke API are canvas pixels: x right, y down, pixel (i, j) covers
    [j, j+1) × [i, i+1), so its centre is (j + ½, i + ½). The raster is shown scaled into the
    largest centred square of the widget (``canvas_rect``).
    """

    inkChanged = Signal()  # throttled during a stroke; always after a stroke, undo, clear, set_ink
    strokeFinished = Signal()  # the mouse or pen was released
    brushRadiusChanged = Signal(float)
    erasingChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ink = np.zeros((CANVAS_SIZE, CANVAS_SIZE))
        self._grey = np.full((CANVAS_SIZE, CANVAS_SIZE), 255, np.uint8)
        self._image: QImage | None = None  # rebuilt from _grey on paint after a change
        self._empty = True
        self._radius = DEFAULT_RADIUS
        self._erasing = False
        self._undo: deque = deque(maxlen=UNDO_LIMIT)  # (y0, y1, x0, x1, patch before)
        self._before: np.ndarray | None = None  # the ink when the current stroke began
        self._dirty: list[int] | None = None  # the stroke's bounding box so far
        self._last: tuple[float, float, float] | None = None  # x, y, radius of the last point
        self._stroke_erases = False
        self._hover: QPointF | None = None
        self._pending = False
        self._throttle = QTimer(self, singleShot=True, interval=THROTTLE_MS)
        self._throttle.timeout.connect(self._on_throttle_timeout)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("Draw a digit with the left mouse button or a pen.\n"
                        "Ctrl+Z undoes the last stroke, Delete or Esc clears.")

    def sizeHint(self) -> QSize:
        return QSize(300, 300)

    def minimumSizeHint(self) -> QSize:
        return QSize(140, 140)

    # -- state -------------------------------------------------------------------------------
    def ink(self) -> np.ndarray:
        """A copy of the ink, shape (280, 280), float64 in [0, 1]."""
        return self._ink.copy()

    def is_empty(self) -> bool:
        return self._empty

    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def brush_radius(self) -> float:
        """Brush radius in canvas pixels (the soft edge is centred on it)."""
        return self._radius

    @brush_radius.setter
    def brush_radius(self, px: float) -> None:
        self.set_brush_radius(px)

    @Slot(float)
    def set_brush_radius(self, px: float) -> None:
        """Set the radius in canvas pixels, clipped to RADIUS_RANGE."""
        if not np.isfinite(px):
            raise ValueError(f"brush radius must be a finite number, got {px!r}")
        px = float(np.clip(px, *RADIUS_RANGE))
        if px != self._radius:
            self._radius = px
            self._update_hover(self._hover)
            self.brushRadiusChanged.emit(px)

    @property
    def erasing(self) -> bool:
        return self._erasing

    @Slot(bool)
    def set_erasing(self, on: bool) -> None:
        if bool(on) != self._erasing:
            self._erasing = bool(on)
            self.erasingChanged.emit(self._erasing)

    # -- whole-image edits (each one undo step) ------------------------------------------------
    @Slot()
    def clear(self) -> None:
        """Wipe the ink (undoable); nothing happens when it is already empty."""
        self.end_stroke()
        if not self.is_empty():
            self._replace(np.zeros_like(self._ink))

    def set_ink(self, ink) -> None:
        """Load an image, shape (280, 280), finite; values clipped to [0, 1]. Undoable."""
        ink = np.asarray(ink, dtype=np.float64)
        if ink.shape != (CANVAS_SIZE, CANVAS_SIZE):
            raise ValueError(f"ink must have shape ({CANVAS_SIZE}, {CANVAS_SIZE}), "
                             f"got {ink.shape}")
        if not np.isfinite(ink).all():
            raise ValueError("ink must be finite numbers")
        self.end_stroke()
        self._replace(np.clip(ink, 0.0, 1.0))

    @Slot()
    def undo_stroke(self) -> bool:
        """Restore the ink from before the last stroke, clear or set_ink, bit for bit."""
        self.end_stroke()
        if not self._undo:
            return False
        y0, y1, x0, x1, patch = self._undo.pop()
        self._ink[y0:y1, x0:x1] = patch
        self._changed(y0, y1, x0, x1)
        self._emit_now()
        return True

    def _replace(self, ink: np.ndarray) -> None:
        self._undo.append((0, CANVAS_SIZE, 0, CANVAS_SIZE, self._ink.copy()))
        self._ink[...] = ink
        self._changed(0, CANVAS_SIZE, 0, CANVAS_SIZE)
        self._emit_now()

    # -- strokes, in canvas pixels -------------------------------------------------------------
    def begin_stroke(self, x: float, y: float, pressure: float = 1.0,
                     erase: bool | None = None) -> None:
        """Start a stroke at (x, y) with a dot; ``erase`` overrides the erase mode for it."""
        self.end_stroke()
        self._before = self._ink.copy()
        self._dirty = None
        self._stroke_erases = self._erasing if erase is None else bool(erase)
        r = self._radius * self._pressure_scale(pressure)
        self._last = (x, y, r)
        self._segment(x, y, r, x, y, r)

    def continue_stroke(self, x: float, y: float, pressure: float = 1.0) -> None:
        """Draw a continuous line from the last point to (x, y)."""
        if self._last is None:
            return
        r = self._radius * self._pressure_scale(pressure)
        x0, y0, r0 = self._last
        self._last = (x, y, r)
        self._segment(x0, y0, r0, x, y, r)

    def end_stroke(self) -> None:
        """Finish the stroke in progress (if any): one undo step, ``inkChanged`` and
        ``strokeFinished``."""
        if self._before is None:
            return
        before, box = self._before, self._dirty
        self._before = self._dirty = self._last = None
        if box is not None:
            y0, y1, x0, x1 = box
            patch = before[y0:y1, x0:x1]
            if not np.array_equal(patch, self._ink[y0:y1, x0:x1]):
                self._undo.append((y0, y1, x0, x1, patch.copy()))
        self._emit_now()
        self.strokeFinished.emit()

    def draw_stroke(self, points, pressures=None) -> None:
        """A whole stroke through ``points`` (sequence of (x, y) canvas pixels)."""
        points = list(points)
        pressures = [1.0] * len(points) if pressures is None else list(pressures)
        if not points:
            return
        self.begin_stroke(*points[0], pressures[0])
        for (x, y), p in zip(points[1:], pressures[1:]):
            self.continue_stroke(x, y, p)
        self.end_stroke()

    @staticmethod
    def _pressure_scale(pressure: float) -> float:
        return 0.35 + 0.65 * float(np.clip(pressure, 0.0, 1.0))

    def _segment(self, x0, y0, r0, x1, y1, r1) -> None:
        """Stamp the brush along the segment on its bounding window only.

        Equivalent to stamping at spacing → 0 and combining by max: each pixel takes the
        profile at its distance from the segment, the radius interpolated along it. The profile
        is 1 in the core and falls to 0 over a smoothstep edge of width ``soft`` centred on r.
        """
        soft = max(1.5, 0.25 * max(r0, r1))
        reach = max(r0, r1) + soft / 2
        xa, xb = int(np.floor(min(x0, x1) - reach)), int(np.ceil(max(x0, x1) + reach)) + 1
        ya, yb = int(np.floor(min(y0, y1) - reach)), int(np.ceil(max(y0, y1) + reach)) + 1
        xa, ya = max(xa, 0), max(ya, 0)
        xb, yb = min(xb, CANVAS_SIZE), min(yb, CANVAS_SIZE)
        if xa >= xb or ya >= yb:
            return
        px = np.arange(xa, xb) + 0.5 - x0  # pixel centres relative to the start
        py = (np.arange(ya, yb) + 0.5 - y0)[:, None]
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        if length2 > 0:
            t = np.clip((px * dx + py * dy) / length2, 0.0, 1.0)
            d = np.hypot(px - t * dx, py - t * dy)
            r = r0 + t * (r1 - r0)
        else:
            d, r = np.hypot(px, py), r0
        s = np.clip((r + soft / 2 - d) / soft, 0.0, 1.0)
        stamp = s * s * (3.0 - 2.0 * s)
        window = self._ink[ya:yb, xa:xb]
        if self._stroke_erases:
            np.minimum(window, 1.0 - stamp, out=window)
        else:
            np.maximum(window, stamp, out=window)
        box = self._dirty
        self._dirty = [ya, yb, xa, xb] if box is None else [
            min(box[0], ya), max(box[1], yb), min(box[2], xa), max(box[3], xb)]
        self._changed(ya, yb, xa, xb, added=not self._stroke_erases)
        self._emit_throttled()

    def _changed(self, y0, y1, x0, x1, added: bool = False) -> None:
        """Sync the grey copy of the window, schedule its repaint; ``added``: ink only grew."""
        self._grey[y0:y1, x0:x1] = _grey(self._ink[y0:y1, x0:x1])
        self._image = None
        was_empty = self._empty
        if not (added and was_empty is False):
            self._empty = not bool(self._ink.any())
            if self._empty != was_empty:
                self.update()  # the "draw a digit here" hint appears or goes
        rect = self.canvas_rect()
        k = rect.width() / CANVAS_SIZE
        self.update(QRectF(rect.x() + x0 * k, rect.y() + y0 * k, (x1 - x0) * k,
                           (y1 - y0) * k).toAlignedRect().adjusted(-2, -2, 2, 2))

    # -- throttled signal ------------------------------------------------------------------------
    def _emit_throttled(self) -> None:
        if self._throttle.isActive():
            self._pending = True
        else:
            self._pending = False
            self._throttle.start()
            self.inkChanged.emit()

    def _on_throttle_timeout(self) -> None:
        if self._pending:
            self._pending = False
            self._throttle.start()
            self.inkChanged.emit()

    def _emit_now(self) -> None:
        self._throttle.stop()
        self._pending = False
        self.inkChanged.emit()

    # -- geometry ----------------------------------------------------------------------------
    def canvas_rect(self) -> QRectF:
        """Where the raster is shown: the largest centred square, 1 px inside the frame."""
        side = max(min(self.width(), self.height()) - 2, 1)
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def widget_to_canvas(self, pos: QPointF) -> tuple[float, float]:
        rect = self.canvas_rect()
        k = CANVAS_SIZE / rect.width()
        return (pos.x() - rect.x()) * k, (pos.y() - rect.y()) * k

    def canvas_to_widget(self, x: float, y: float) -> QPointF:
        rect = self.canvas_rect()
        k = rect.width() / CANVAS_SIZE
        return QPointF(rect.x() + x * k, rect.y() + y * k)

    # -- input ---------------------------------------------------------------------------------
    def mousePressEvent(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self.begin_stroke(*self.widget_to_canvas(e.position()))
            e.accept()
        else:
            super().mousePressEvent(e)

    def mouseMoveEvent(self, e) -> None:
        self._update_hover(e.position())
        if self._before is not None and e.buttons() & Qt.MouseButton.LeftButton:
            self.continue_stroke(*self.widget_to_canvas(e.position()))

    def mouseReleaseEvent(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self.end_stroke()
        else:
            super().mouseReleaseEvent(e)

    def tabletEvent(self, e) -> None:
        x, y = self.widget_to_canvas(e.position())
        kind = e.type()
        if kind == QEvent.Type.TabletPress:
            eraser = e.pointerType() == QPointingDevice.PointerType.Eraser
            self.begin_stroke(x, y, e.pressure(), erase=True if eraser else None)
        elif kind == QEvent.Type.TabletMove:
            self._update_hover(e.position())
            if self._before is not None:
                self.continue_stroke(x, y, e.pressure())
        elif kind == QEvent.Type.TabletRelease:
            self.end_stroke()
        e.accept()  # no synthesised mouse events

    def leaveEvent(self, e) -> None:
        self._update_hover(None)
        super().leaveEvent(e)

    def event(self, e) -> bool:
        # Take Ctrl+Z, Delete and Esc from window-wide shortcuts while the canvas has focus.
        if e.type() == QEvent.Type.ShortcutOverride and self._own_key(e):
            e.accept()
            return True
        return super().event(e)

    def keyPressEvent(self, e) -> None:
        if e.matches(QKeySequence.StandardKey.Undo):
            self.undo_stroke()
        elif e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Escape) and not e.modifiers():
            self.clear()
        else:
            super().keyPressEvent(e)

    @staticmethod
    def _own_key(e) -> bool:
        return e.matches(QKeySequence.StandardKey.Undo) or (
            e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Escape) and not e.modifiers())

    def _update_hover(self, pos: QPointF | None) -> None:
        if self._hover is not None:
            self.update(self._hover_rect(self._hover))
        self._hover = None if pos is None else QPointF(pos)
        if pos is not None:
            self.update(self._hover_rect(pos))

    def _hover_rect(self, pos: QPointF):
        r = self._radius * self.canvas_rect().width() / CANVAS_SIZE + 3
        return QRectF(pos.x() - r, pos.y() - r, 2 * r, 2 * r).toAlignedRect()

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, e) -> None:
        if self._image is None:
            self._image = _qimage(self._grey)
        p = QPainter(self)
        p.setClipRect(e.rect())
        p.fillRect(e.rect(), self.palette().window())
        rect = self.canvas_rect()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.drawImage(rect, self._image)
        k = rect.width() / CANVAS_SIZE
        pen = QPen(_GUIDE, 1, Qt.PenStyle.DashLine)
        p.setPen(pen)  # MNIST centres a digit's 20×20 box in 28×28: 40 px margins here
        p.drawRect(rect.adjusted(40 * k, 40 * k, -40 * k, -40 * k))
        c = rect.center()
        p.drawLine(QPointF(c.x() - 6, c.y()), QPointF(c.x() + 6, c.y()))
        p.drawLine(QPointF(c.x(), c.y() - 6), QPointF(c.x(), c.y() + 6))
        if self.is_empty():
            p.setPen(_HINT)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "draw a digit here")
        p.setPen(QPen(_FRAME, 1))
        p.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        if self._hover is not None and self._before is None:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(_BLUE if not self._erasing else QColor(200, 60, 60), 1))
            p.drawEllipse(self._hover, self._radius * k, self._radius * k)


class DrawingPreview(QWidget):
    """A small image (e.g. 28×28, values in [0, 1]) shown big with square pixels, black ink on
    white, captioned "what the network sees"."""

    CAPTION = "what the network sees (28×28)"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image_array: np.ndarray | None = None
        self._image: QImage | None = None
        self.setMinimumSize(110, 130)
        self.setToolTip("The drawing after preprocessing: the input x the network receives")

    def sizeHint(self) -> QSize:
        return QSize(160, 180)

    def image(self) -> np.ndarray | None:
        return None if self._image_array is None else self._image_array.copy()

    def set_image(self, image) -> None:
        """Show a 2-D array of finite values (clipped to [0, 1]), or None for "no input"."""
        if image is None:
            self._image_array = self._image = None
        else:
            image = np.asarray(image, dtype=np.float64)
            if image.ndim != 2 or not image.size or not np.isfinite(image).all():
                raise ValueError(f"preview needs a finite 2-D image, got shape {image.shape}")
            self._image_array = np.clip(image, 0.0, 1.0)
            self._image = _qimage(_grey(self._image_array))
        self.update()

    def _caption_rect(self) -> QRectF:
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
        r = self.fontMetrics().boundingRect(0, 0, max(self.width(), 1), 1000, flags,
                                            self.CAPTION)
        return QRectF(0, 0, self.width(), r.height() + 2)

    def image_rect(self) -> QRectF:
        top = self._caption_rect().height() + 2
        side = max(min(self.width(), self.height() - top) - 2, 1)
        return QRectF((self.width() - side) / 2, top + 1, side, side)

    def paintEvent(self, e) -> None:
        p = QPainter(self)
        p.setClipRect(e.rect())
        p.setPen(self.palette().windowText().color())
        p.drawText(self._caption_rect(), Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                   self.CAPTION)
        rect = self.image_rect()
        if self._image is None:
            p.fillRect(rect, Qt.GlobalColor.white)
            p.setPen(_HINT)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "no input")
        else:
            p.drawImage(rect, self._image)  # no smoothing: nearest neighbour, square pixels
        p.setPen(QPen(_FRAME, 1))
        p.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))


class PredictionBars(QWidget):
    """The n outputs as bars labelled 0..n−1, the largest one blue and written out big.

    Painted directly (no scene, no items): ``set_outputs`` stores the array and asks for one
    repaint of this small widget.
    """

    KINDS = {"probability": ("probability", "probability"),
             "activation": ("output activation a^L_j", "output activation a<sup>L</sup><sub>j"
                                                        "</sub>")}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: np.ndarray | None = None
        self._kind = "probability"
        self._top: int | None = None
        self._n = 10
        self._range = (0.0, 1.0)
        self._titles = {k: QStaticText(rich) for k, (_, rich) in self.KINDS.items()}
        for t in self._titles.values():
            t.setTextFormat(Qt.TextFormat.RichText)
        self.setMinimumSize(200, 110)

    def sizeHint(self) -> QSize:
        return QSize(300, 170)

    def top_index(self) -> int | None:
        """The index of the largest finite output, or None when there is none."""
        return self._top

    def outputs(self) -> np.ndarray | None:
        return None if self._values is None else self._values.copy()

    def kind(self) -> str:
        return self._kind

    def axis_label(self) -> str:
        return self.KINDS[self._kind][0]

    def set_outputs(self, values, kind: str = "probability") -> None:
        """Show ``values`` (shape (n,)) as "probability" (axis 0..1) or "activation" (raw
        a^L_j, axis from the values), or None for the "no input" state. Non-finite values
        (a diverged network) get no bar and are never the top answer."""
        if kind not in self.KINDS:
            raise ValueError(f"kind must be one of {sorted(self.KINDS)}, got {kind!r}")
        self._kind = kind
        if values is None:
            self._values, self._top = None, None
        else:
            values = np.array(values, dtype=np.float64).ravel()
            if not values.size:
                raise ValueError("set_outputs needs at least one value")
            self._values, self._n = values, values.size
            finite = np.isfinite(values)
            self._top = int(np.argmax(np.where(finite, values, -np.inf))) if finite.any() else None
        self._range = self._axis_range()
        self.update()

    def _axis_range(self) -> tuple[float, float]:
        if self._kind == "probability" or self._values is None:
            return 0.0, 1.0
        v = self._values[np.isfinite(self._values)]
        lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
        if lo >= 0 and hi <= 1:
            return 0.0, 1.0
        if lo >= -1 and hi <= 1:
            return -1.0, 1.0
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        return lo, hi if hi > lo else lo + 1

    # -- layout ----------------------------------------------------------------------------
    def _geometry(self) -> tuple[QRectF, QRectF]:
        """(answer box on the left, plot area of the bars); lays out the axis title."""
        fm = self.fontMetrics()
        answer_w = max(56.0, min(self.width() * 0.22, 90.0))
        title = self._titles[self._kind]
        title.setTextWidth(max(self.width() - answer_w - 4, 20))  # wraps when narrow
        tick_w = fm.horizontalAdvance("−0.5") + 8
        top, bottom = title.size().height() + fm.height() / 2 + 2, fm.height() + 4
        plot = QRectF(answer_w + tick_w, top, self.width() - answer_w - tick_w - 6,
                      max(self.height() - top - bottom, 10))
        return QRectF(0, 0, answer_w, self.height()), plot

    def _bar_at(self, x: float) -> int | None:
        _, plot = self._geometry()
        if not plot.left() <= x < plot.right():
            return None
        return min(int((x - plot.left()) / plot.width() * self._n), self._n - 1)

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            QToolTip.showText(e.globalPos(), self._tooltip(e.position().x()), self)
            return True
        return super().event(e)

    def _tooltip(self, x: float) -> str:
        if self._values is None:
            return "No input yet: draw a digit"
        j = self._bar_at(x)
        name = self.axis_label()
        if j is not None:
            return f"{j}: {name} = {float(self._values[j])!r}"
        return "\n".join(f"{i}: {float(v)!r}" for i, v in enumerate(self._values))

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, e) -> None:
        p = QPainter(self)
        p.setClipRect(e.rect())
        text_colour = self.palette().windowText().color()
        answer, plot = self._geometry()
        lo, hi = self._range

        def y_of(v):
            return plot.bottom() - (min(max(v, lo), hi) - lo) / (hi - lo) * plot.height()

        big = QFont(self.font())
        big.setPixelSize(int(max(18, min(answer.height() * 0.42, answer.width() * 0.8))))
        big.setBold(True)
        p.setFont(big)
        big_h = p.fontMetrics().height()
        digit_box = QRectF(answer.x(), answer.center().y() - big_h * 0.6, answer.width(), big_h)
        if self._top is None:
            p.setPen(_HINT)
            p.drawText(digit_box, Qt.AlignmentFlag.AlignCenter, "–")
            caption = "no input" if self._values is None else "no answer"
        else:
            p.setPen(_BLUE)
            p.drawText(digit_box, Qt.AlignmentFlag.AlignCenter, str(self._top))
            caption = format_number(float(self._values[self._top]))
        p.setFont(self.font())
        fm = p.fontMetrics()
        p.setPen(text_colour)
        p.drawText(QRectF(answer.x(), digit_box.bottom(), answer.width(), fm.height() + 2),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, caption)
        p.drawStaticText(QPointF(answer.right(), 1), self._titles[self._kind])

        # axis, ticks and the zero line
        p.setPen(QPen(_FRAME, 1))
        p.drawLine(QPointF(plot.left() - 0.5, plot.top()), QPointF(plot.left() - 0.5,
                                                                     plot.bottom()))
        ticks = {lo, hi, 0.0} if lo < 0 < hi else {lo, hi, (lo + hi) / 2}
        for v in ticks:
            y = y_of(v)
            p.setPen(QPen(_FRAME, 1))
            p.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y))
            p.setPen(text_colour)
            p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       format_number(v, 2))
        zero = y_of(0.0)
        p.setPen(QPen(_FRAME, 1))
        p.drawLine(QPointF(plot.left(), zero), QPointF(plot.right(), zero))

        # bars and their labels
        slot = plot.width() / self._n
        gap = min(slot * 0.2, 6)
        step = max(1, int(np.ceil(fm.horizontalAdvance(str(self._n - 1)) * 1.6 / slot)))
        for j in range(self._n):
            x = plot.left() + j * slot
            if self._values is not None and np.isfinite(self._values[j]):
                y = y_of(float(self._values[j]))
                bar = QRectF(x + gap / 2, min(y, zero), slot - gap, abs(zero - y))
                p.fillRect(bar, _BLUE if j == self._top else _BAR)
            if j % step == 0 or j == self._top:
                p.setPen(_BLUE if j == self._top else text_colour)
                p.drawText(QRectF(x, plot.bottom() + 2, slot, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, str(j))


def _button(cls, text: str, tip: str):
    b = cls()
    b.setText(text)
    b.setToolTip(tip)
    return b


class DrawingPanel(QWidget):
    """The canvas with its tools, the preview and the bars, and buttons the app connects:
    ``show_button``, ``step_button``, ``teach_button``, ``load_button`` (disabled until then).
    Side by side when wide, stacked when narrow (a dock ~360 px wide)."""

    NARROW = 560  # below this width (or the wide layout's minimum) preview and bars go under

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = DrawingCanvas()
        self.preview = DrawingPreview()
        self.bars = PredictionBars()

        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setRange(*(int(v) for v in RADIUS_RANGE))
        self.brush_slider.setValue(round(self.canvas.brush_radius))
        self.brush_slider.setToolTip("Brush radius, in pixels of the 280×280 canvas")
        self.brush_slider.setMinimumWidth(40)
        self.brush_label = QLabel()
        self.erase_button = _button(QToolButton, "Erase", "Erase instead of drawing (a pen's "
                                    "eraser end always erases)")
        self.erase_button.setCheckable(True)
        self.undo_button = _button(QToolButton, "Undo stroke", "Take back the last stroke, "
                                   "clear or loaded digit (Ctrl+Z on the canvas)")
        self.clear_button = _button(QToolButton, "Clear", "Wipe the canvas (Delete or Esc on "
                                    "the canvas; undoable)")
        # for the app to connect; disabled until it does
        self.show_button = _button(QPushButton, "Show in graph",
                                   "Use the drawing as the network's input in the graph")
        self.step_button = _button(QPushButton, "Step through…",
                                   "Walk the drawing through the forward and backward passes")
        self.teach_button = _button(QPushButton, "Teach…", "Tell the network which digit this "
                                    "is and take a gradient step on it")
        self.load_button = _button(QPushButton, "Load digit…",
                                   "Put a digit from the data set on the canvas")
        self.app_buttons = (self.show_button, self.step_button, self.teach_button,
                            self.load_button)
        for b in self.app_buttons:
            b.setEnabled(False)

        tools = QHBoxLayout()
        tools.addWidget(QLabel("Brush"))
        tools.addWidget(self.brush_slider, 1)
        tools.addWidget(self.brush_label)
        for b in (self.erase_button, self.undo_button, self.clear_button):
            tools.addWidget(b)
        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addLayout(tools)
        self._side = QWidget()
        side = QVBoxLayout(self._side)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.preview, 1)
        side.addWidget(self.bars, 1)
        self._buttons = QGridLayout()
        self._body = QGridLayout()
        self._body.addLayout(left, 0, 0)
        layout = QVBoxLayout(self)
        layout.addLayout(self._body, 1)
        layout.addLayout(self._buttons)
        self._narrow: bool | None = None
        self._arrange(False)
        self._wide_min = max(self.NARROW, layout.totalMinimumSize().width())
        self.setMinimumWidth(360)  # the layout's own minimum depends on the arrangement

        self.brush_slider.valueChanged.connect(self._on_slider_changed)
        self.canvas.brushRadiusChanged.connect(self._on_canvas_radius_changed)
        self.erase_button.toggled.connect(self.canvas.set_erasing)
        self.canvas.erasingChanged.connect(self._on_canvas_erasing_changed)
        self.undo_button.clicked.connect(self.canvas.undo_stroke)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.canvas.inkChanged.connect(self._on_canvas_ink_changed)
        self._on_canvas_radius_changed(self.canvas.brush_radius)
        self._on_canvas_ink_changed()

    def _arrange(self, narrow: bool) -> None:
        """Preview and bars beside the canvas (wide) or below it (narrow); buttons 4×1 or 2×2."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self._body.removeWidget(self._side)
        self._body.addWidget(self._side, *((1, 0) if narrow else (0, 1)))
        self._body.setColumnStretch(0, 3)
        self._body.setColumnStretch(1, 0 if narrow else 2)
        self._body.setRowStretch(0, 3)
        self._body.setRowStretch(1, 2 if narrow else 0)
        if narrow:  # the side panel: preview and bars side by side under the canvas
            self._side.layout().setDirection(QBoxLayout.Direction.LeftToRight)
        else:
            self._side.layout().setDirection(QBoxLayout.Direction.TopToBottom)
        for i, b in enumerate(self.app_buttons):
            self._buttons.removeWidget(b)
            self._buttons.addWidget(b, *(divmod(i, 2) if narrow else (0, i)))

    def resizeEvent(self, e) -> None:
        self._arrange(e.size().width() < self._wide_min)
        super().resizeEvent(e)

    def _on_slider_changed(self, value: int) -> None:
        self.canvas.set_brush_radius(float(value))

    def _on_canvas_radius_changed(self, radius: float) -> None:
        self.brush_slider.blockSignals(True)
        self.brush_slider.setValue(round(radius))
        self.brush_slider.blockSignals(False)
        self.brush_label.setText(f"{radius:.0f} px")

    def _on_canvas_erasing_changed(self, on: bool) -> None:
        self.erase_button.blockSignals(True)
        self.erase_button.setChecked(on)
        self.erase_button.blockSignals(False)

    def _on_canvas_ink_changed(self) -> None:
        self.undo_button.setEnabled(self.canvas.can_undo())
        self.clear_button.setEnabled(not self.canvas.is_empty())
