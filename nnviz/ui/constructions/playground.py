"""The playground dock: what every neuron of a 2-input network computes over the plane, with
TensorFlow Playground's controls (data, hidden layers, activation, η, batch, L2, pace).

All maps come from ONE batched forward pass over a grid (``core.playground.neuron_maps``),
at most MAX_RATE times a second; the widgets that paint them are in ``plane_maps``.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton,
                               QSpinBox, QStackedWidget, QToolButton, QVBoxLayout, QWidget)

from ...core import playground as pg
from ...core import structure
from ...data.dataset import Dataset
from ...core.network import Network
from ...core.session import TrainingSettings, TrainingState
from .plane_maps import (NeuronMaps, OutputMap, colour_image, lut_diverging, lut_pale,
                         lut_sequential, value_range)
from ..look.theme import Appearance
from ..model.bindings import bind
from ..model.selection import Change

#: At most this many map updates per second; parameter changes in between are coalesced.
MAX_RATE = 30.0
RESOLUTION = 48
#: Hidden layers and neurons per layer the playground's controls allow (as the graph can show).
MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 16
#: Activations offered for the hidden layers.
HIDDEN_ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky-relu", "linear")


class PlaygroundPanel(QWidget):
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

        # -- the network's structure: one spin box per hidden layer, add/remove a layer
        self.layer_spins: list[QSpinBox] = []
        self.layers_row = QHBoxLayout()
        self.layers_row.setSpacing(2)
        self.add_layer_button = QToolButton()
        self.add_layer_button.setText("+ layer")
        self.add_layer_button.setToolTip("Add a hidden layer before the output (its neurons "
                                         "start random; the output layer's weights are kept "
                                         "when the sizes allow)")
        self.remove_layer_button = QToolButton()
        self.remove_layer_button.setText("− layer")
        self.remove_layer_button.setToolTip("Remove the last hidden layer")
        self.activation_combo = QComboBox()
        self.activation_combo.addItems(list(HIDDEN_ACTIVATIONS))
        self.activation_combo.setToolTip("Activation of every hidden layer (weights are kept)")
        structure_row = QHBoxLayout()
        structure_row.addWidget(QLabel("Hidden:"))
        structure_row.addLayout(self.layers_row)
        structure_row.addWidget(self.add_layer_button)
        structure_row.addWidget(self.remove_layer_button)
        structure_row.addWidget(QLabel("activation:"))
        structure_row.addWidget(self.activation_combo)
        structure_row.addStretch(1)

        # -- training, as in the Training dock (the window keeps the two in step)
        self.train_button = QPushButton("Train")
        self.train_button.setToolTip("Start training on this data, or pause / resume (Ctrl+T "
                                     "starts, Ctrl+Shift+T pauses)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Fresh random weights for the same network (one undo step)")
        self.eta_spin = QDoubleSpinBox()
        self.eta_spin.setDecimals(4)
        self.eta_spin.setRange(1e-4, 50.0)
        self.eta_spin.setSingleStep(0.01)
        self.eta_spin.setKeyboardTracking(False)
        self.eta_spin.setToolTip("Learning rate η (applies at once, also while training)")
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 10000)
        self.batch_spin.setKeyboardTracking(False)
        self.batch_spin.setToolTip("Mini-batch size m (while training: the run goes on from "
                                   "the weights reached with the new size)")
        self.l2_spin = QDoubleSpinBox()
        self.l2_spin.setDecimals(3)
        self.l2_spin.setRange(0.0, 100.0)
        self.l2_spin.setSingleStep(0.1)
        self.l2_spin.setKeyboardTracking(False)
        self.l2_spin.setToolTip("L2 regularisation λ (applies at once, also while training)")
        self.pace_spin = QDoubleSpinBox()
        self.pace_spin.setDecimals(0)
        self.pace_spin.setRange(0.0, 10000.0)
        self.pace_spin.setSingleStep(10.0)
        self.pace_spin.setSpecialValueText("full")
        self.pace_spin.setKeyboardTracking(False)
        self.pace_spin.setToolTip("At most this many epochs per second, so the maps can be "
                                  "watched as they change (0: full speed; applies at once)")
        train_row = QHBoxLayout()
        train_row.addWidget(self.train_button)
        train_row.addWidget(self.reset_button)
        train_row.addWidget(QLabel("η"))
        train_row.addWidget(self.eta_spin)
        train_row.addWidget(QLabel("batch"))
        train_row.addWidget(self.batch_spin)
        train_row.addWidget(QLabel("L2 λ"))
        train_row.addWidget(self.l2_spin)
        train_row.addWidget(QLabel("epochs/s"))
        train_row.addWidget(self.pace_spin)
        train_row.addStretch(1)
        self.readout = QLabel()
        self.readout.setToolTip("The latest epoch of the run: errors and accuracy")
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
        self.add_layer_button.clicked.connect(self.add_layer)
        self.remove_layer_button.clicked.connect(self.remove_layer)
        self.activation_combo.textActivated.connect(self.set_activation)
        self.train_button.clicked.connect(self.trainRequested)
        self.reset_button.clicked.connect(self.reset_weights)
        for spin, name in ((self.eta_spin, "eta"), (self.l2_spin, "l2"),
                           (self.pace_spin, "pace")):
            bind(spin, self.settings, name)
        bind(self.batch_spin, self.settings, "batch_size", writes=False)
        self.batch_spin.valueChanged.connect(self._on_batch_spin_changed)
        doc.changed.connect(self._on_document_changed)
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
        """Points on the output map: the document's training data, filled, and its test
        data, hollow."""
        train, test = self.doc.preset_dataset, self.doc.test_dataset
        ok = train is not None and train.n_inputs == 2
        self.output.train = (train.inputs(), pg.labels_of(train)) if ok else None
        self.output.test = (test.inputs(), pg.labels_of(test)) \
            if ok and test is not None and len(test) else None
        bounds = pg.bounds_for(train) if ok else pg.BOUNDS
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
        self.maps = pg.neuron_maps(net, self.points, self.shape)
        div, seq = lut_diverging(c), lut_sequential(c)
        images = []
        for l, (layer_maps, act) in enumerate(zip(self.maps[:-1], net.activations), start=1):
            low, high, signed = value_range(act, layer_maps)
            lut = div if signed else seq
            images.append([colour_image(m, low, high, lut) for m in layer_maps])
        self.neurons.set_images(images)
        self.output.image = self._output_image(net, lut_pale(div, c))
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
        self._show_data()
        self._show_current()
        self.update_maps()

    def _on_doc_dataset_changed(self) -> None:
        if self.applicable:
            self._show_data()
            self.update_maps()

    def _show_current(self) -> None:
        x = self.doc.x
        self.output.current = (float(x[0]), float(x[1])) \
            if x is not None and self.applicable else None
        self.output.update()

    def _show_structure(self) -> None:
        """One spin box per hidden layer, the hidden activation, what can be added/removed."""
        net = self.doc.net
        hidden = net.sizes[1:-1]
        while len(self.layer_spins) > len(hidden):
            spin = self.layer_spins.pop()
            self.layers_row.removeWidget(spin)
            spin.deleteLater()
        while len(self.layer_spins) < len(hidden):
            spin = QSpinBox()
            spin.setRange(1, MAX_NEURONS)
            spin.setKeyboardTracking(False)
            layer = len(self.layer_spins) + 1
            spin.setToolTip(f"Neurons in hidden layer {layer} (a new neuron starts with "
                            "random incoming and zero outgoing weights, so the output does "
                            "not jump; removing takes the last one)")
            spin.valueChanged.connect(lambda n, l=layer: self.set_layer_size(l, n))
            self.layers_row.addWidget(spin)
            self.layer_spins.append(spin)
        for spin, n in zip(self.layer_spins, hidden):
            spin.blockSignals(True)
            spin.setMaximum(max(MAX_NEURONS, n))
            spin.setValue(n)
            spin.blockSignals(False)
        self.add_layer_button.setEnabled(len(hidden) < MAX_HIDDEN_LAYERS)
        self.remove_layer_button.setEnabled(len(hidden) > 0)
        names = set(net.activation_names[:-1])
        self.activation_combo.blockSignals(True)
        if len(names) == 1 and names <= set(HIDDEN_ACTIVATIONS):
            self.activation_combo.setCurrentText(names.pop())
        else:
            self.activation_combo.setCurrentIndex(-1)  # mixed or not offered: nothing chosen
        self.activation_combo.setEnabled(bool(hidden))
        self.activation_combo.blockSignals(False)

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

    # -- user actions ------------------------------------------------------------------------
    def _change(self, change, what: str) -> bool:
        """Run ``change()`` (which changes the document); while training, through ``live``
        (stop, change, go on). False, with the reason shown, when it was refused."""
        try:
            if self.live is not None and self.doc.locked_reason:
                self.live(change)
            else:
                change()
        except (PermissionError, ValueError) as exc:
            self.status.setText(f"Cannot {what}: {exc}")
            self._show_structure()  # spin boxes back to the network's real sizes
            return False
        self.status.setText("")
        return True

    def _restructure(self, make, text: str, what: str) -> bool:
        return self._change(lambda: self.doc.change_structure(make(self.doc.net), text), what)

    def set_layer_size(self, layer: int, n: int) -> bool:
        """Hidden layer ``layer`` to ``n`` neurons, keeping every weight that has a place."""
        if self.doc.net.sizes[layer] == n:
            return True
        return self._restructure(lambda net: structure.set_layer_size(net, layer, n),
                                 f"{n} neurons in layer {layer}", "change the layer")

    def add_layer(self) -> bool:
        """A hidden layer more, just before the output layer."""
        L = self.doc.net.L
        if L - 1 >= MAX_HIDDEN_LAYERS:
            return False
        return self._restructure(lambda net: structure.add_layer(net, L - 1),
                                 f"Add hidden layer {L}", "add a layer")

    def remove_layer(self) -> bool:
        """Remove the last hidden layer."""
        L = self.doc.net.L
        if L < 2:
            return False
        return self._restructure(lambda net: structure.remove_layer(net, L - 1),
                                 f"Remove hidden layer {L - 1}", "remove a layer")

    def set_activation(self, name: str) -> bool:
        """Every hidden layer's activation to ``name``, weights kept."""
        if self.doc.net.L < 2 or set(self.doc.net.activation_names[:-1]) == {name}:
            return True
        return self._restructure(lambda net: structure.set_activation(net, name),
                                 f"Hidden activation {name}", "change the activation")

    def reset_weights(self) -> bool:
        """Fresh random weights for the same network, one undo step."""
        return self._change(lambda: self.doc.reinitialise("Fresh weights"),
                            "reset the weights")

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
        """Make data set ``key`` the document's training and test data, with fresh weights (one
        undo step) and training settings that suit it. False (with a message) if that is not
        possible now."""
        if not self.applicable:
            return False
        data = pg.make_data(key, noise)
        train = self._targets_for(data.train)
        if train is None:
            self.status.setText("The playground's data sets need 1 or 2 output neurons.")
            return False
        test = self._targets_for(data.test)
        old = self.data

        def change():
            self.data = pg.PlaygroundData(key, data.noise, train, test)
            try:
                self.doc.set_dataset(train, test, pg.suggested_training(key))
            except (PermissionError, ValueError):
                self.data = old
                raise
            self.doc.set_examples(train)
            self.doc.show_example(0)
            self.doc.reinitialise(f"Fresh weights for {key}")
        return self._change(change, "change the data")

    def add_point(self, x: float, y: float, label: int) -> bool:
        """Append (x, y) with class ``label`` to the document's training data (the network
        and its undo history stay)."""
        train = self.doc.preset_dataset
        if train is None or train.n_inputs != 2:
            train = self._targets_for(Dataset(np.zeros((0, 2)), np.zeros((0, 1)), name="points"))
            if train is None:
                return False
        new = pg.add_point(train, x, y, label)
        test = self.doc.test_dataset if train is self.doc.preset_dataset else None

        def change():
            self.doc.set_dataset(new, test)
            if self.doc.examples is train or self.doc.examples is None:
                self.doc.set_examples(new)
        return self._change(change, "add a point")

    def pick_point(self, x: float, y: float) -> bool:
        """Make the training or test point nearest (x, y) the document's input, with its
        target, for the graph, stepping and the inspector."""
        best = None
        for ds in (self.doc.preset_dataset, self.doc.test_dataset):
            if ds is None or ds.n_inputs != 2 or not len(ds):
                continue
            d = np.hypot(ds.inputs()[:, 0] - x, ds.inputs()[:, 1] - y)
            i = int(np.argmin(d))
            if best is None or d[i] < best[0]:
                best = (d[i], ds, i)
        if best is None:
            self.status.setText("There are no data points to pick: choose a data set or "
                                "click some in.")
            return False
        _, ds, i = best
        try:
            self.doc.set_input(ds.inputs(i), f"{ds.name} #{i} (class {pg.labels_of(ds)[i]})",
                               ds.targets(i).reshape(-1))
        except ValueError as exc:
            self.status.setText(str(exc))
            return False
        self.status.setText("")
        return True

    def make_xor_network(self) -> None:
        """The way in from another network: a 2-4-4-1 tanh network on the XOR points."""
        net = Network([2, 4, 4, 1], ["tanh", "tanh", "sigmoid"], "cross-entropy", init="scaled")
        data = pg.make_data("xor")
        try:
            self.doc.set_network(net, dataset=data.train, test=data.test,
                                 hint=pg.suggested_training("xor"))
        except PermissionError as exc:
            self.status.setText(f"Cannot make a network now: {exc}")
            return
        self.data = data
        self.doc.set_examples(data.train)
        self.doc.show_example(0)
        self.dataset_combo.blockSignals(True)
        self.dataset_combo.setCurrentText("xor")
        self.dataset_combo.blockSignals(False)
        self.status.setText("")

    def _on_dataset_chosen(self, key: str) -> None:
        self.noise_spin.blockSignals(True)
        self.noise_spin.setValue(pg.DATASETS[key].default_noise)
        self.noise_spin.blockSignals(False)
        self.choose_dataset(key, self.noise_spin.value())

    def _on_use_clicked(self) -> None:
        self.choose_dataset(self.dataset_combo.currentText(), self.noise_spin.value())

    def _on_output_clicked(self, x: float, y: float, label: int) -> None:
        self.add_point(x, y, label)
