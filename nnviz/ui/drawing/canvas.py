"""The digit drawing panel's canvas (ink, strokes, undo) and its 28×28 preview.

No learning maths here: the canvas only holds ink (a (280, 280) float64 raster, 0 = paper,
1 = ink) and the other widgets only show arrays they are given. Preprocessing the ink into the
network's 28×28 input lives in ``nnviz.data.drawing``; the app wires the panel's buttons.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QPen, QPointingDevice
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..look.style import POSITIVE

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
    def undo_count(self) -> int:
        """How many ink changes (strokes, a clear, a loaded digit) undo_stroke can take back."""
        return len(self._undo)

    @property
    def cached_image(self) -> QImage | None:
        """The image painted from the ink, kept between paints; None after the ink changed,
        until the next paint makes it again."""
        return self._image

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
