"""The playground dock: what every neuron of a 2-input network computes over the plane, with
TensorFlow Playground's controls (data, noise and test part, input features, hidden layers,
activation, η, batch, L2, L1, pace).

All maps come from ONE batched forward pass over a grid (``core.playground.neuron_maps``) of
the features of the grid's points, at most MAX_RATE times a second; the widgets that paint them
are in ``plane_maps``, the controls and the changes they make in ``playground_controls``, the
data sliders in ``playground_data``, the input features in ``playground_inputs`` and the wheel
on the maps in ``playground_edits``.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ...core import plane_features as fx
from ...core import playground as pg
from ...core.network import Network
from ...core.session import TrainingSettings, TrainingState
from ..look.theme import Appearance
from ..model.bindings import bind
from ..model.selection import Change
from .plane_maps import (
    NeuronMaps,
    OutputMap,
    colour_image,
    lut_diverging,
    lut_pale,
    lut_sequential,
    value_range,
)
from .playground_controls import PlaygroundControls
from .playground_data import PlaygroundDataSets
from .playground_edits import PlaygroundEdits
from .playground_inputs import PlaygroundInputs

#: At most this many map updates per second; parameter changes in between are coalesced.
MAX_RATE = 30.0
RESOLUTION = 48
CLASSIFICATION_HINT = ("Output aᴸ (orange: class 0, blue: class 1). Filled points: training "
                       "data, hollow: test data. Left click adds a class-1 point, right click "
                       "a class-0 point; the wheel over a map moves that neuron's bias.")
REGRESSION_HINT = ("Output aᴸ, a value (orange: negative, grey: 0, blue: positive), the points "
                   "coloured by their target y on the same scale. Filled points: training "
                   "data, hollow: test data. The wheel over a map moves that neuron's bias.")


class PlaygroundPanel(PlaygroundInputs, PlaygroundEdits, PlaygroundDataSets, PlaygroundControls,
                      QWidget):
    """Dock content: neuron heatmaps and output map of ``doc.net`` when it has 2 inputs, with
    TensorFlow Playground's controls: data, the hidden layers' sizes and activation, and the
    training's η, mini-batch and L2.

    Changes go through the document (a change of structure is one undo step). While a run is
    going on the document is locked; ``live`` (set by the window) then runs a change between
    stopping the run and starting the next from the weights reached, so changes apply "live".
    Without it a change while training is refused with the document's reason.

    η, L2 and pace are bound to ``settings`` (the training session's, which the Training dock
    shows too). Signals for the window: ``trainRequested`` (start / pause) and ``batchChanged``
    (a new mini-batch size: while training, the run goes on from the weights reached with it).
    """

    trainRequested = Signal()
    batchChanged = Signal(int)

    def __init__(self, doc, settings: TrainingSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.settings = settings if settings is not None else TrainingSettings()
        self.live = None  # callable(change) from the window: run change() around training
        self.resolution = RESOLUTION
        self.points, self.shape = pg.grid(self.resolution, pg.BOUNDS)
        self.maps: list[np.ndarray] = []  # neuron_maps of the last update
        self.last_update_ms = 0.0
        self.updates = 0
        self._last_time = 0.0
        self.data: pg.PlaygroundData | None = None  # the set this panel gave the document
        self._appearance = Appearance()
        self._colours = self._appearance.colours()

        self._stale = False  # the network changed while the panel was hidden
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.update_maps)

        # -- the page for 2-input networks: data, structure and training rows, then the maps
        controls = self._build_data_row()
        inputs_row = self._build_inputs_row()
        structure_row = self._build_structure_row()
        train_row = self._build_train_row()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.readout = QLabel()
        self.readout.setToolTip("The latest epoch of the run: errors and accuracy")
        self.neurons = NeuronMaps()
        self.output = OutputMap()
        maps = QHBoxLayout()
        maps.addWidget(self.neurons, 2)
        maps.addWidget(self.output, 3)
        self.hint = QLabel(CLASSIFICATION_HINT)
        self.hint.setWordWrap(True)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(controls)
        lay.addLayout(inputs_row)
        lay.addLayout(structure_row)
        lay.addLayout(train_row)
        lay.addLayout(maps, 1)
        lay.addWidget(self.readout)
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
        self.output.pointPicked.connect(self.pick_point)
        self._init_edits()
        self.add_layer_button.clicked.connect(self.add_layer)
        self.remove_layer_button.clicked.connect(self.remove_layer)
        self.activation_combo.textActivated.connect(self.set_activation)
        self.train_button.clicked.connect(self.trainRequested)
        self.reset_button.clicked.connect(self.reset_weights)
        for spin, name in ((self.eta_spin, "eta"), (self.l2_spin, "l2"),
                           (self.l1_spin, "l1"), (self.pace_spin, "pace")):
            bind(spin, self.settings, name)
        bind(self.batch_spin, self.settings, "batch_size", writes=False)
        self.batch_spin.valueChanged.connect(self._on_batch_spin_changed)
        doc.changed.connect(self._on_document_changed)
        self._on_doc_network_replaced()

    # -- state ---------------------------------------------------------------------------------
    @property
    def applicable(self) -> bool:
        """True when the document's network is fed the plane: 2 inputs, or features of the
        plane's points."""
        return self.features is not None

    def set_appearance(self, appearance: Appearance) -> None:
        self._appearance = appearance
        self._colours = c = appearance.colours()
        self.neurons.text_colour = QColor(*c.legend_text)
        self.output.outline = QColor(*c.outline) if c.dark else QColor(40, 40, 40)
        self.output.class_colours = (QColor(*c.diverging.negative),
                                     QColor(*c.diverging.positive))
        if self.applicable:
            self._show_data()
        self.update_maps()

    def _show_data(self) -> None:
        """Points on the output map: the document's training data, filled, and its test
        data, hollow."""
        train, test = self.doc.preset_dataset, self.doc.test_dataset
        ok = train is not None and train.n_inputs == self.doc.net.sizes[0]
        self.output.train = self._points_of(train) if ok else None
        self.output.test = self._points_of(test) \
            if ok and test is not None and len(test) else None
        bounds = pg.bounds_for(self.output.train[0]) if ok else pg.BOUNDS
        regression = ok and self.regression
        self.output.value_colours = (lut_diverging(self._colours), *self._value_range()) \
            if regression else None
        self.output.set_regression(regression)
        self.hint.setText(REGRESSION_HINT if regression else CLASSIFICATION_HINT)
        if bounds != self.shape.bounds:
            self.points, self.shape = pg.grid(self.resolution, bounds)
        self.output.bounds = self.shape.bounds

    # -- drawing ------------------------------------------------------------------------------
    def update_maps(self) -> None:
        """Recompute every neuron's map (one forward pass) and schedule the repaint. A hidden
        panel only notes that its maps are out of date (they are made when it shows)."""
        self._timer.stop()
        if not self.applicable:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        tick = time.perf_counter()
        net, c = self.doc.net, self._colours
        self.maps = pg.neuron_maps(net, self.plane_inputs(self.points), self.shape)
        div, seq = lut_diverging(c), lut_sequential(c)
        images = []
        for layer_maps, act in zip(self.maps[:-1], net.activations):
            low, high, signed = value_range(act, layer_maps)
            lut = div if signed else seq
            images.append([colour_image(m, low, high, lut) for m in layer_maps])
        self.neurons.set_images(images)
        self.output.image = self._output_image(net, lut_pale(div, c))
        self.output.update()
        self._last_time = time.perf_counter()
        self.last_update_ms = 1000 * (self._last_time - tick)
        self.updates += 1

    @property
    def regression(self) -> bool:
        """True when the document's own data has a continuous target (not 0/1 or classes)."""
        train = self.doc.preset_dataset
        return (train is not None and len(train) > 0 and train.y.ndim == 2
                and train.y.shape[1] == 1 and not train.is_binary)

    def _value_range(self) -> tuple[float, float]:
        """The symmetric range of the output map's value scale for a regression set: the
        targets' largest magnitude."""
        y = self.doc.preset_dataset.y
        m = max(float(np.abs(y).max()), 1e-12)
        return -m, m

    def _points_of(self, ds) -> tuple[np.ndarray, np.ndarray]:
        """(points (n, 2) of the plane, their class or, for regression, their target)."""
        points, _ = fx.plane_of(ds)
        return points, (ds.y[:, 0].astype(float) if self.regression else pg.labels_of(ds))

    def _output_image(self, net: Network, div: np.ndarray) -> QImage:
        out = self.maps[-1]
        act = net.activations[-1]
        if self.regression and out.shape[0] == 1:  # the value, on the targets' scale
            low, high = self._value_range()
            return colour_image(out[0], low, high, div)
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
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale and self.applicable:
            self.update_maps()

    def _on_batch_spin_changed(self, m: int) -> None:
        if m != self.settings.batch_size:
            self.batchChanged.emit(m)

    def _on_document_changed(self, change: Change) -> None:
        if change & Change.NETWORK:
            self._on_doc_network_replaced()
            return
        if change & Change.DATASET:
            self._on_doc_dataset_changed()
        elif change & Change.PARAMETERS:
            self._on_doc_parameters_changed()
        if change & Change.INPUT:
            self._show_current()
        if change & Change.SELECTION and self.applicable:
            self._show_selection()

    def _on_doc_parameters_changed(self) -> None:
        if self.applicable:
            self._schedule()

    def _on_doc_network_replaced(self) -> None:
        self.stack.setCurrentIndex(0 if self.applicable else 1)
        if not self.applicable:
            self._timer.stop()
            self.maps = []
            return
        self._show_structure()
        self._show_features()
        self._show_data()
        self._show_selection()
        self._show_current()
        self.update_maps()

    def _on_doc_dataset_changed(self) -> None:
        if self.applicable:
            self._show_data()
            self.update_maps()

    def _show_current(self) -> None:
        self.output.current = self.current_point() if self.applicable else None
        self.output.update()

    # -- training feedback (from the window) --------------------------------------------------
    def set_training_state(self, state: TrainingState) -> None:
        """The Train button's text for the training controller's ``state``."""
        self.train_button.setText(state.toggle_text)
        if state is TrainingState.STARTING:
            self.readout.setText("Starting…")

    def show_epoch(self, r) -> None:
        """One EpochReport of the run: epoch, training and test error, test accuracy."""
        text = f"Epoch {r.epoch}/{r.epochs}: training error {r.train_cost:.4g}"
        if r.test_cost is not None:
            text += f", test error {r.test_cost:.4g}"
        if r.test_accuracy is not None:
            text += f", test accuracy {100 * r.test_accuracy:.1f}%"
        self.readout.setText(text)
