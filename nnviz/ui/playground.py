"""The playground dock: what every neuron of a 2-input network computes over the plane.

One small heatmap per hidden neuron (columns = layers, as the graph draws them) and a bigger
map of the output with the data set's points on top, all from ONE batched forward pass over a
grid (``core.playground.neuron_maps``). Maps are QImages made from numpy arrays through a
256-colour lookup table and painted by one widget each: no scene items per neuron per frame.

Colours: signed activations (tanh, linear, …) use the weight scale (orange −1, grey 0, blue +1);
activations in [0, 1] (sigmoid) and unbounded ones (ReLU) a sequential ramp from the background
to blue. The output map of a single sigmoid/tanh output is diverging about the decision
threshold, so its two sides take the two classes' colours (class 0 orange, class 1 blue).
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton,
                               QSizePolicy, QStackedWidget, QVBoxLayout, QWidget)

from ..core import playground as pg
from ..core.dataset import Dataset
from ..core.network import Network
from . import style
from .commands import weight_name
from .theme import Appearance

#: At most this many map updates per second; parameter changes in between are coalesced.
MAX_RATE = 30.0
RESOLUTION = 48


def _lut_diverging(colours) -> np.ndarray:
    """256 RGB colours for t = −1 … +1, shape (256, 3) uint8."""
    return style.diverging_rgb(np.linspace(-1.0, 1.0, 256), colours.diverging)


def _lut_sequential(colours) -> np.ndarray:
    """256 RGB colours for t = 0 … 1: the background fading into the positive colour."""
    bg = np.array(colours.background, float)
    pos = np.array(colours.diverging.positive, float)
    t = np.linspace(0.0, 1.0, 256)[:, None]
    return np.rint(bg + (pos - bg) * t).astype(np.uint8)


def _lut_pale(lut: np.ndarray, colours, strength: float = 0.7) -> np.ndarray:
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


class NeuronMaps(QWidget):
    """The hidden neurons' heatmaps: one column per hidden layer, a label under each map."""

    LABEL_PX = 14
    GAP = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: list[list[QImage]] = []  # images[l-1][j] for hidden layers l
        self.text_colour = QColor(90, 90, 90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)

    def set_images(self, images: list[list[QImage]]) -> None:
        self.images = images
        self.update()

    def cell_rects(self) -> list[list[QRectF]]:
        """Where each map is painted, same nesting as ``images``."""
        if not self.images:
            return []
        cols, rows = len(self.images), max(len(col) for col in self.images)
        w = (self.width() - self.GAP * (cols + 1)) / cols
        h = (self.height() - self.GAP) / rows - self.LABEL_PX - self.GAP
        side = max(8.0, min(w, h, 160.0))
        rects = []
        for c, col in enumerate(self.images):
            x = self.GAP + c * (w + self.GAP) + (w - side) / 2
            top = (self.height() - len(col) * (side + self.LABEL_PX + self.GAP)) / 2
            rects.append([QRectF(x, top + j * (side + self.LABEL_PX + self.GAP), side, side)
                          for j in range(len(col))])
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
                label = QRectF(rect.left() - 20, rect.bottom() + 1, rect.width() + 40, self.LABEL_PX)
                p.drawText(label, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                           weight_name(l, j, kind="a"))  # a¹₀: neuron 0 of layer 1
        p.end()


class OutputMap(QWidget):
    """The output map with the data on top; a left click asks for a class-1 point, a right
    click for a class-0 point (``pointClicked(x_1, x_2, label)``)."""

    pointClicked = Signal(float, float, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.bounds = pg.BOUNDS
        self.train: tuple[np.ndarray, np.ndarray] | None = None  # (x (n, 2), labels (n,))
        self.test: tuple[np.ndarray, np.ndarray] | None = None
        self.class_colours = (QColor(*style.NEGATIVE), QColor(*style.POSITIVE))
        self.outline = QColor(40, 40, 40)
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("The network's output over the plane.\n"
                        "Left click: add a class-1 point; right click: a class-0 point.")

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
        self.pointClicked.emit(xy[0], xy[1], 1 if button == Qt.MouseButton.LeftButton else 0)
        event.accept()

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
        for data, hollow in ((self.train, False), (self.test, True)):
            if data is None or not len(data[0]):
                continue
            xy = self.to_widget(data[0])
            for label in (0, 1):
                colour = self.class_colours[label]
                # full-strength colours on the paler map, ringed so they read on either side
                for x, y in xy[data[1] == label]:
                    centre = QPointF(x, y)
                    if hollow:
                        p.setBrush(Qt.BrushStyle.NoBrush)
                        p.setPen(QPen(white, 4.0))
                        p.drawEllipse(centre, radius, radius)
                        p.setPen(QPen(colour, 2.0))
                        p.drawEllipse(centre, radius, radius)
                    else:
                        p.setPen(QPen(white, 1.5))
                        p.setBrush(colour)
                        p.drawEllipse(centre, radius, radius)
        p.end()


class PlaygroundPanel(QWidget):
    """Dock content: neuron heatmaps and output map of ``doc.net`` when it has 2 inputs."""

    def __init__(self, doc, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.resolution = RESOLUTION
        self.points, self.shape = pg.grid(self.resolution, pg.BOUNDS)
        self.maps: list[np.ndarray] = []  # neuron_maps of the last update
        self.last_update_ms = 0.0
        self.updates = 0
        self._last_time = 0.0
        self.data: pg.PlaygroundData | None = None  # the set this panel gave the document
        self._appearance = Appearance()
        self._colours = self._appearance.colours()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.update_maps)

        # -- the page for 2-input networks
        self.dataset_combo = QComboBox()
        self.dataset_combo.addItems(list(pg.DATASETS))
        self.noise_spin = QDoubleSpinBox()
        self.noise_spin.setRange(0.0, 1.0)
        self.noise_spin.setSingleStep(0.05)
        self.noise_spin.setDecimals(2)
        self.noise_spin.setValue(pg.DATASETS["xor"].default_noise)
        self.use_button = QPushButton("Use this data")
        self.use_button.setToolTip("Train on this data set (a fresh network of the same shape)")
        self.status = QLabel()
        self.status.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Data:"))
        controls.addWidget(self.dataset_combo)
        controls.addWidget(QLabel("noise:"))
        controls.addWidget(self.noise_spin)
        controls.addWidget(self.use_button)
        controls.addStretch(1)
        self.neurons = NeuronMaps()
        self.output = OutputMap()
        maps = QHBoxLayout()
        maps.addWidget(self.neurons, 2)
        maps.addWidget(self.output, 3)
        self.hint = QLabel("Output aᴸ (orange: class 0, blue: class 1). Filled points: "
                           "training data, hollow: test data. Left click adds a class-1 "
                           "point, right click a class-0 point.")
        self.hint.setWordWrap(True)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(controls)
        lay.addLayout(maps, 1)
        lay.addWidget(self.hint)
        lay.addWidget(self.status)

        # -- the page for other networks
        other = QWidget()
        olay = QVBoxLayout(other)
        self.message = QLabel("The playground shows networks with 2 inputs: each neuron's "
                              "activation over the input plane.")
        self.message.setWordWrap(True)
        self.make_button = QPushButton("Make a 2-4-4-1 network on XOR")
        olay.addStretch(1)
        olay.addWidget(self.message)
        olay.addWidget(self.make_button, 0, Qt.AlignmentFlag.AlignHCenter)
        olay.addStretch(1)

        self.stack = QStackedWidget()
        self.stack.addWidget(page)
        self.stack.addWidget(other)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.dataset_combo.currentTextChanged.connect(self._on_dataset_chosen)
        self.use_button.clicked.connect(self._on_use_clicked)
        self.make_button.clicked.connect(self.make_xor_network)
        self.output.pointClicked.connect(self._on_output_clicked)
        doc.parametersChanged.connect(self._on_doc_parameters_changed)
        doc.networkReplaced.connect(self._on_doc_network_replaced)
        self._on_doc_network_replaced()

    # -- state ---------------------------------------------------------------------------------
    @property
    def applicable(self) -> bool:
        """True when the document's network has the 2 inputs the plane needs."""
        return self.doc.net.sizes[0] == 2

    def set_appearance(self, appearance: Appearance) -> None:
        self._appearance = appearance
        self._colours = c = appearance.colours()
        self.neurons.text_colour = QColor(*c.legend_text)
        self.output.outline = QColor(*c.outline) if c.dark else QColor(40, 40, 40)
        self.output.class_colours = (QColor(*c.diverging.negative),
                                     QColor(*c.diverging.positive))
        self.update_maps()

    def _show_data(self) -> None:
        """Points on the output map: the document's training set, and our test set when the
        training set is the one this panel made."""
        train = self.doc.preset_dataset
        ok = train is not None and train.n_inputs == 2
        self.output.train = (train.inputs(), pg.labels_of(train)) if ok else None
        mine = self.data is not None and ok and train.x.shape[0] >= len(self.data.train) and \
            train.name == self.data.train.name
        self.output.test = (self.data.test.inputs(), pg.labels_of(self.data.test)) \
            if mine else None
        bounds = pg.bounds_for(train) if ok else pg.BOUNDS
        if bounds != self.shape.bounds:
            self.points, self.shape = pg.grid(self.resolution, bounds)
        self.output.bounds = self.shape.bounds

    # -- drawing ------------------------------------------------------------------------------
    def update_maps(self) -> None:
        """Recompute every neuron's map (one forward pass) and schedule the repaint."""
        self._timer.stop()
        if not self.applicable:
            return
        tick = time.perf_counter()
        net, c = self.doc.net, self._colours
        self.maps = pg.neuron_maps(net, self.points, self.shape)
        div, seq = _lut_diverging(c), _lut_sequential(c)
        images = []
        for l, (layer_maps, act) in enumerate(zip(self.maps[:-1], net.activations), start=1):
            low, high, signed = value_range(act, layer_maps)
            lut = div if signed else seq
            images.append([colour_image(m, low, high, lut) for m in layer_maps])
        self.neurons.set_images(images)
        self.output.image = self._output_image(net, _lut_pale(div, c))
        self.output.update()
        self._last_time = time.perf_counter()
        self.last_update_ms = 1000 * (self._last_time - tick)
        self.updates += 1

    def _output_image(self, net: Network, div: np.ndarray) -> QImage:
        out = self.maps[-1]
        act = net.activations[-1]
        if out.shape[0] == 1:  # diverging about the middle of the range: one colour per class
            low, high, _ = value_range(act, out[0])
            return colour_image(out[0], low, high, div)
        # several outputs: the winning class, coloured along the scale, shaded by confidence
        winner = np.argmax(out, axis=0)
        t = winner / max(out.shape[0] - 1, 1)
        return colour_image(t, 0.0, 1.0, div)

    def _schedule(self) -> None:
        if self._timer.isActive():
            return  # already coalescing
        wait = 1000.0 / MAX_RATE - 1000 * (time.perf_counter() - self._last_time)
        self._timer.start(max(0, int(wait)))

    # -- document signals --------------------------------------------------------------------
    def _on_doc_parameters_changed(self) -> None:
        if self.applicable:
            self._schedule()

    def _on_doc_network_replaced(self) -> None:
        self.stack.setCurrentIndex(0 if self.applicable else 1)
        if not self.applicable:
            self._timer.stop()
            self.maps = []
            return
        self._show_data()
        self.update_maps()

    # -- user actions ------------------------------------------------------------------------
    def _replace(self, net: Network, dataset: Dataset, what: str) -> bool:
        try:
            self.doc.set_network(net, self.doc.title if net is self.doc.net else "",
                                 self.doc.caption, dataset=dataset)
        except PermissionError as exc:
            self.status.setText(f"Cannot {what} now: {exc}")
            return False
        self.status.setText("")
        return True

    def _targets_for(self, ds: Dataset) -> Dataset | None:
        """``ds`` with targets the network's output layer takes: float (n, 1) for 1 output,
        class labels for 2; None for other outputs."""
        n_out = self.doc.net.sizes[-1]
        if n_out == 1:
            return ds
        if n_out == 2:
            return Dataset(ds.x, pg.labels_of(ds), name=ds.name, n_classes=2)
        return None

    def choose_dataset(self, key: str, noise: float | None = None) -> bool:
        """Make data set ``key`` the document's training data, on a fresh network of the same
        sizes, activations and cost. False (with a message) if that is not possible now."""
        if not self.applicable:
            return False
        data = pg.make_data(key, noise)
        train = self._targets_for(data.train)
        if train is None:
            self.status.setText("The playground's data sets need 1 or 2 output neurons.")
            return False
        test = self._targets_for(data.test)
        old, self.data = self.data, pg.PlaygroundData(key, data.noise, train, test)
        net = self.doc.net
        fresh = Network(net.sizes, net.activation_names, net.cost_name, init=net.init)
        if not self._replace(fresh, train, "change the data"):
            self.data = old
            return False
        return True

    def add_point(self, x: float, y: float, label: int) -> bool:
        """Append (x, y) with class ``label`` to the document's training data (a new Dataset
        given to ``doc.set_network``, which keeps the weights)."""
        train = self.doc.preset_dataset
        if train is None or train.n_inputs != 2:
            train = self._targets_for(Dataset(np.zeros((0, 2)), np.zeros((0, 1)), name="points"))
            if train is None:
                return False
        new = pg.add_point(train, x, y, label)
        if not self._replace(self.doc.net, new, "add a point"):
            return False
        return True

    def make_xor_network(self) -> None:
        """The way in from another network: a 2-4-4-1 tanh network on the XOR points."""
        net = Network([2, 4, 4, 1], ["tanh", "tanh", "sigmoid"], "cross-entropy", init="scaled")
        data = pg.make_data("xor")
        self.data = data
        self._replace(net, data.train, "make a network")
        self.dataset_combo.blockSignals(True)
        self.dataset_combo.setCurrentText("xor")
        self.dataset_combo.blockSignals(False)

    def _on_dataset_chosen(self, key: str) -> None:
        self.noise_spin.blockSignals(True)
        self.noise_spin.setValue(pg.DATASETS[key].default_noise)
        self.noise_spin.blockSignals(False)
        self.choose_dataset(key, self.noise_spin.value())

    def _on_use_clicked(self) -> None:
        self.choose_dataset(self.dataset_combo.currentText(), self.noise_spin.value())

    def _on_output_clicked(self, x: float, y: float, label: int) -> None:
        self.add_point(x, y, label)
