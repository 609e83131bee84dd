"""The playground's pictures: maps of what neurons compute over the input plane, as widgets.

``NeuronMaps`` paints one small heatmap per hidden neuron (columns = layers, as the graph draws
them, wrapped into sub-columns when a layer is tall); ``OutputMap`` the output's decision regions
with the data points on top, and turns clicks into points. Maps are QImages made from numpy
arrays through a 256-colour lookup table and painted by one widget each: no scene items per
neuron per frame. The numbers come from ``core.playground.neuron_maps``.

Colours: signed activations (tanh, linear, …) use the weight scale (orange −1, grey 0, blue +1);
activations in [0, 1] (sigmoid) and unbounded ones (ReLU) a sequential ramp from the background
to blue. The output map of a single sigmoid/tanh output is diverging about the decision
threshold, so its two sides take the two classes' colours (class 0 orange, class 1 blue).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core import playground as pg
from ...core.notation import weight_name
from ..look import style


def lut_diverging(colours) -> np.ndarray:
    """256 RGB colours for t = −1 … +1, shape (256, 3) uint8."""
    return style.diverging_rgb(np.linspace(-1.0, 1.0, 256), colours.diverging)


def lut_sequential(colours) -> np.ndarray:
    """256 RGB colours for t = 0 … 1: the background fading into the positive colour."""
    bg = np.array(colours.background, float)
    pos = np.array(colours.diverging.positive, float)
    t = np.linspace(0.0, 1.0, 256)[:, None]
    return np.rint(bg + (pos - bg) * t).astype(np.uint8)


def lut_pale(lut: np.ndarray, colours, strength: float = 0.7) -> np.ndarray:
    """``lut`` at ``strength`` opacity over the background: the output map is paler than the
    data points drawn on it, so they stand out."""
    bg = np.array(colours.background, float)
    return np.rint(bg + (lut.astype(float) - bg) * strength).astype(np.uint8)


def colour_image(values: np.ndarray, low: float, high: float, lut: np.ndarray) -> QImage:
    """A QImage (r × c, RGB888) of ``values`` (r, c) mapped linearly from [low, high] through
    ``lut`` (256, 3). Row 0 of ``values`` is the bottom of the plane, so rows are flipped."""
    idx = np.clip((values[::-1] - low) * (255.0 / (high - low)), 0, 255).astype(np.uint8)
    rgb = np.ascontiguousarray(lut[idx])
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def value_range(activation, values: np.ndarray) -> tuple[float, float, bool]:
    """(low, high, signed) for colouring a layer's maps of this activation."""
    low, high = activation.output_range
    if low is not None and high is not None:
        return float(low), float(high), low < 0
    if low is None:  # signed, unbounded (linear): symmetric about 0
        m = max(float(np.abs(values).max()) if values.size else 1.0, 1e-12)
        return -m, m, True
    return float(low), max(float(values.max()) if values.size else 1.0, 1e-12), False


#: What the wheel does over a neuron's map (NeuronMaps and OutputMap tooltips).
WHEEL_HELP = ("Wheel over a map: move that neuron's bias b, which shifts where it turns on "
              "(Shift: finer); Ctrl+wheel: scale its incoming weights, a sharper or softer "
              "edge. Click a map to select the neuron. Edit › Undo takes a wheel turn back.")


class NeuronMaps(QWidget):
    """The hidden neurons' heatmaps: one column per hidden layer, a label under each map.

    A click on a map asks to select the neuron (``neuronClicked(layer, j)``), the wheel over it
    to change its parameters (``neuronWheeled(layer, j, notches, modifiers)``)."""

    LABEL_PX = 14
    GAP = 8

    neuronClicked = Signal(int, int)
    neuronWheeled = Signal(int, int, float, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: list[list[QImage]] = []  # images[l-1][j] for hidden layers l
        self.text_colour = QColor(90, 90, 90)
        self.selected: tuple[int, int] | None = None  # (layer, j) ringed, as the document's
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)
        self.setToolTip("What each hidden neuron aˡⱼ computes over the plane.\n" + WHEEL_HELP)

    def neuron_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(layer, j) of the map under the widget point ``pos``, or None."""
        for l, rects in enumerate(self.cell_rects(), start=1):
            for j, rect in enumerate(rects):
                if rect.contains(pos):
                    return l, j
        return None

    def mousePressEvent(self, event) -> None:
        hit = self.neuron_at(event.position())
        if hit is None or event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.neuronClicked.emit(*hit)
        event.accept()

    def wheelEvent(self, event) -> None:
        hit = self.neuron_at(event.position())
        if hit is None:
            return super().wheelEvent(event)
        self.neuronWheeled.emit(hit[0], hit[1], event.angleDelta().y() / 120,
                                event.modifiers())
        event.accept()

    def set_images(self, images: list[list[QImage]]) -> None:
        self.images = images
        self.update()

    def layout_for(self, width: float, height: float) -> tuple[int, float]:
        """(k, side): each layer's maps in k sub-columns (column by column, neuron 0 at the
        top left, as the graph lists them top to bottom), of the largest side that fits."""
        cols, most = len(self.images), max(len(col) for col in self.images)
        best = (1, 0.0)
        for k in range(1, most + 1):
            rows = -(-most // k)
            w = (width - self.GAP * (cols + 1)) / cols / k - self.INNER
            h = (height - self.GAP) / rows - self.LABEL_PX - self.INNER
            side = min(w, h, 160.0)
            if side > best[1] + 0.5:
                best = (k, side)
        return best[0], max(8.0, best[1])

    INNER = 4  # between the maps of one layer

    def cell_rects(self) -> list[list[QRectF]]:
        """Where each map is painted, same nesting as ``images``."""
        if not self.images:
            return []
        cols = len(self.images)
        k, side = self.layout_for(self.width(), self.height())
        block = (self.width() - self.GAP * (cols + 1)) / cols  # one layer's share of the width
        cell_w, cell_h = side + self.INNER, side + self.LABEL_PX + self.INNER
        rects = []
        for c, col in enumerate(self.images):
            rows = -(-len(col) // k)
            used = -(-len(col) // rows)  # sub-columns this layer needs
            left = self.GAP + c * (block + self.GAP) + (block - used * cell_w) / 2
            top = (self.height() - rows * cell_h) / 2
            rects.append([QRectF(left + (j // rows) * cell_w, top + (j % rows) * cell_h,
                                 side, side) for j in range(len(col))])
        return rects

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        font = p.font()
        font.setPixelSize(11)
        p.setFont(font)
        p.setPen(self.text_colour)
        for l, (col, rects) in enumerate(zip(self.images, self.cell_rects()), start=1):
            for j, (image, rect) in enumerate(zip(col, rects)):
                p.drawImage(rect, image)
                p.drawRect(rect)
                if self.selected == (l, j):
                    p.setPen(QPen(self.text_colour, 3.0))
                    p.drawRect(rect.adjusted(-2, -2, 2, 2))
                    p.setPen(self.text_colour)
                label = QRectF(rect.left() - 20, rect.bottom() + 1, rect.width() + 40,
                               self.LABEL_PX)
                p.drawText(label, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                           weight_name(l, j, kind="a"))  # a¹₀: neuron 0 of layer 1
        p.end()


class OutputMap(QWidget):
    """The output map with the data on top; a left click asks for a class-1 point, a right
    click for a class-0 point (``pointClicked(x_1, x_2, label)``)."""

    pointClicked = Signal(float, float, int)
    pointPicked = Signal(float, float)  # Ctrl+click: make the data point nearest here the input
    wheeled = Signal(float, object)  # notches, modifiers: the output neuron's parameters

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.bounds = pg.BOUNDS
        self.train: tuple[np.ndarray, np.ndarray] | None = None  # (x (n, 2), labels (n,))
        self.test: tuple[np.ndarray, np.ndarray] | None = None
        self.current: tuple[float, float] | None = None  # the document's input x, ringed
        self.class_colours = (QColor(*style.NEGATIVE), QColor(*style.POSITIVE))
        #: For a regression set: (lut (256, 3), low, high) colouring the points by their
        #: target (the second member of ``train`` and ``test``); None: by class.
        self.value_colours: tuple[np.ndarray, float, float] | None = None
        self.outline = QColor(40, 40, 40)
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.set_regression(False)

    def set_regression(self, regression: bool) -> None:
        """The tooltip for a classification or a regression set."""
        clicks = ("Points are added to classification sets only.\n" if regression else
                  "Left click: add a class-1 point; right click: a class-0 point.\n")
        self.setToolTip("The network's output over the plane.\n" + clicks
                        + "Ctrl+click: step the nearest data point through the network.\n"
                        + WHEEL_HELP.replace("over a map", "over the map").replace(
                            "that neuron's", "the output neuron's").replace(
                            " Click a map to select the neuron.", ""))

    def wheelEvent(self, event) -> None:
        if self.to_plane(event.position()) is None:
            return super().wheelEvent(event)
        self.wheeled.emit(event.angleDelta().y() / 120, event.modifiers())
        event.accept()

    def map_rect(self) -> QRectF:
        side = max(10.0, min(self.width(), self.height()) - 8.0)
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_widget(self, xy: np.ndarray) -> np.ndarray:
        """Plane coordinates (n, 2) → widget pixels (n, 2)."""
        r, (x0, x1, y0, y1) = self.map_rect(), self.bounds
        px = r.left() + (xy[:, 0] - x0) / (x1 - x0) * r.width()
        py = r.bottom() - (xy[:, 1] - y0) / (y1 - y0) * r.height()
        return np.stack([px, py], axis=1)

    def to_plane(self, pos: QPointF) -> tuple[float, float] | None:
        """Widget pixel → plane coordinates, None outside the map."""
        r, (x0, x1, y0, y1) = self.map_rect(), self.bounds
        if not r.contains(pos):
            return None
        return (x0 + (pos.x() - r.left()) / r.width() * (x1 - x0),
                y0 + (r.bottom() - pos.y()) / r.height() * (y1 - y0))

    def mousePressEvent(self, event) -> None:
        xy = self.to_plane(event.position())
        button = event.button()
        if xy is None or button not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return super().mousePressEvent(event)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.pointPicked.emit(xy[0], xy[1])
            event.accept()
            return
        self.pointClicked.emit(xy[0], xy[1], 1 if button == Qt.MouseButton.LeftButton else 0)
        event.accept()

    def _point_colours(self, values: np.ndarray):
        """(colour, mask) pairs: the points of each class, or of each colour of the value
        scale."""
        if self.value_colours is None:
            return [(self.class_colours[label], values == label) for label in (0, 1)]
        lut, low, high = self.value_colours
        idx = np.rint(np.clip((np.asarray(values, float) - low) * (255.0 / (high - low)), 0,
                              255)).astype(int)
        return [(QColor(*(int(c) for c in lut[i])), idx == i) for i in np.unique(idx)]

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        rect = self.map_rect()
        if self.image is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)  # bilinear: no blocks
            p.drawImage(rect, self.image)
        p.setPen(self.outline)
        p.drawRect(rect)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = max(3.0, rect.width() / 120)
        white = QColor(255, 255, 255)
        # points coloured by a value can be pale (near 0): ringed dark, not white
        ring = white if self.value_colours is None else self.outline
        for data, hollow in ((self.train, False), (self.test, True)):
            if data is None or not len(data[0]):
                continue
            xy = self.to_widget(data[0])
            for colour, where in self._point_colours(data[1]):
                # full-strength colours on the paler map, ringed so they read on either side
                for x, y in xy[where]:
                    centre = QPointF(x, y)
                    if hollow:
                        p.setBrush(Qt.BrushStyle.NoBrush)
                        p.setPen(QPen(ring, 4.0))
                        p.drawEllipse(centre, radius, radius)
                        p.setPen(QPen(colour, 2.0))
                        p.drawEllipse(centre, radius, radius)
                    else:
                        p.setPen(QPen(ring, 1.5 if ring is white else 1.0))
                        p.setBrush(colour)
                        p.drawEllipse(centre, radius, radius)
        if self.current is not None:  # the input the graph, stepping and inspector show
            (x, y), = self.to_widget(np.array([self.current]))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(white, 5.0))
            p.drawEllipse(QPointF(x, y), 3 * radius, 3 * radius)
            p.setPen(QPen(self.outline, 2.0))
            p.drawEllipse(QPointF(x, y), 3 * radius, 3 * radius)
        p.end()
