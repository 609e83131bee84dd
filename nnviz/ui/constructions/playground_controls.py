"""The playground's controls (a mixin of PlaygroundPanel): the rows of data set, hidden-layer
and training controls, and what they do: the structure changes (layer sizes, add / remove a
layer, the hidden activation), fresh weights, the choice of data set, points added by a click
and a data point picked as the input.

Every change goes through the document (a change of structure is one undo step); while a run
is going on it goes through the panel's ``live`` (stop, change, go on).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
)

from ...core import plane_features as fx
from ...core import playground as pg
from ...core import structure
from ...core.network import Network
from ...data.dataset import Dataset

#: Hidden layers and neurons per layer the playground's controls allow (as the graph can show).
MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 16
#: Data sets whose classes no two straight lines separate (the two Gaussians: one does).
NEEDS_MORE_THAN_TWO_LINES = ("xor", "circle", "spiral")
#: Activations offered for the hidden layers.
HIDDEN_ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky-relu", "linear")


def fresh_weights_caption(title: str, key: str) -> str:
    """The About text once "Use this data" has replaced a preset's weights with random ones
    to learn the playground's data set ``key``."""
    return (f"{title}, started again from fresh random weights to learn the {key} data: what the "
            "preset's caption said about its weights no longer applies (Edit › Undo puts "
            "them back). Train, and watch each hidden neuron's map become a feature of the "
            "data and the output map draw the boundary between the classes.")


def _slider(low: int, high: int, value: int, tip: str) -> QSlider:
    """A horizontal slider that reports a new value when let go (keys: at once)."""
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(low, high)
    slider.setValue(value)
    slider.setTracking(False)
    slider.setFixedWidth(90)
    slider.setToolTip(tip)
    return slider


class PlaygroundControls:
    """Builds the PlaygroundPanel's control rows and carries out what they ask for."""

    # -- building ------------------------------------------------------------------------------
    def _build_data_row(self) -> QVBoxLayout:
        """The data set, its noise, the part held out for testing and "Use this data"."""
        self.dataset_combo = QComboBox()
        self.dataset_combo.addItems(list(pg.DATASETS))
        self.dataset_combo.setToolTip("The data set: classification (two classes of points) "
                                      "or regression (a value at each point); choosing one "
                                      "starts from fresh weights")
        self.noise_slider = _slider(0, 50, 5, "Noise: the standard deviation of the jitter "
                                    "of the points, in hundredths (the data is made again, "
                                    "the weights stay)")
        self.noise_label = QLabel()
        self.test_slider = _slider(10, 90, 30, "Test data: the part of the points held out "
                                   "to measure the network on, in per cent (the data is made "
                                   "again, the weights stay)")
        self.test_label = QLabel()
        self._show_sliders()
        self.noise_slider.valueChanged.connect(self._on_data_slider)
        self.test_slider.valueChanged.connect(self._on_data_slider)
        self.use_button = QPushButton("Use this data (fresh weights)")
        self.use_button.setToolTip("Train on this data set: the network keeps its shape but "
                                   "starts again from fresh random weights, so a preset's "
                                   "hand-made weights are replaced (Edit › Undo puts them back)")
        # Two rows, so that the panel fits beside the graph on a laptop's screen (the graph
        # keeps half the window: see the app's workspaces).
        return _rows([QLabel("Data:"), self.dataset_combo, self.use_button],
                     [self.noise_label, self.noise_slider, self.test_label, self.test_slider])

    def _build_structure_row(self) -> QHBoxLayout:
        """The network's structure: one spin box per hidden layer, add/remove a layer."""
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
        return structure_row

    def _build_train_row(self) -> QVBoxLayout:
        """Training, as in the Training dock (the window keeps the two in step)."""
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
        self.l2_spin = _lambda_spin("L2 regularisation λ: the cost gets (λ/2n) Σw², each step "
                                    "shrinks the weights by the factor 1 − ηλ/n (applies at "
                                    "once, also while training)")
        self.l1_spin = _lambda_spin("L1 regularisation λ: the cost gets (λ/n) Σ|w|, each step "
                                    "moves every weight ηλ/n towards 0, so unneeded weights "
                                    "become 0 (applies at once, also while training)")
        self.pace_spin = QDoubleSpinBox()
        self.pace_spin.setDecimals(0)
        self.pace_spin.setRange(0.0, 10000.0)
        self.pace_spin.setSingleStep(10.0)
        self.pace_spin.setSpecialValueText("full")
        self.pace_spin.setKeyboardTracking(False)
        self.pace_spin.setToolTip("At most this many epochs per second, so the maps can be "
                                  "watched as they change (0: full speed; applies at once)")
        return _rows([self.train_button, self.reset_button, QLabel("epochs/s"), self.pace_spin],
                     [QLabel("η"), self.eta_spin, QLabel("batch"), self.batch_spin,
                      QLabel("L2 λ"), self.l2_spin, QLabel("L1 λ"), self.l1_spin])

    # -- the structure shown ---------------------------------------------------------------------
    def _show_structure(self) -> None:
        """One spin box per hidden layer, the hidden activation, what can be added/removed."""
        net = self.doc.net
        hidden = net.sizes[1:-1]
        while len(self.layer_spins) > len(hidden):
            spin = self.layer_spins.pop()
            self.layers_row.removeWidget(spin)
            spin.hide()  # gone at once, not when the event loop deletes it
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
        undo step) and training settings that suit it; a regression set makes the output
        linear with the quadratic cost, a classification set sigmoid with the cross-entropy
        (one more undo step). False (with a message) if that is not possible now."""
        if not self.applicable:
            return False
        data, train, test = self._made(key, noise)
        if train is None:
            return False
        old = self.data

        def change():
            self._fit_output(key)
            self.data = pg.PlaygroundData(key, data.noise, train, test)
            try:
                self.doc.set_dataset(train, test, pg.suggested_training(key))
            except (PermissionError, ValueError):
                self.data = old
                raise
            self.doc.set_examples(train)
            self.doc.show_example(0)
            self.doc.reinitialise(f"Fresh weights for {key}")
            if self.doc.caption:  # a preset's caption describes the weights just replaced
                self.doc.set_caption(fresh_weights_caption(self.doc.title, key))
        if not self._change(change, "change the data"):
            return False
        self.noise_slider.blockSignals(True)  # the noise the data was made with
        self.noise_slider.setValue(round(100 * data.noise))
        self.noise_slider.blockSignals(False)
        self._show_sliders()
        hidden = self.doc.net.sizes[1:-1]
        if key in NEEDS_MORE_THAN_TWO_LINES and hidden in ([1], [2]):
            n = hidden[0]
            self.status.setText(f"A single hidden layer of {n} neuron{'s' if n > 1 else ''} "
                                f"cuts the plane along {n} straight line{'s' if n > 1 else ''}, "
                                f"too few for the {key} points (the XOR presets' 2-2-1 gets "
                                "some 75-85 % of them right): try 4 neurons, or + layer.")
        return True

    def add_point(self, x: float, y: float, label: int) -> bool:
        """Append (x, y) with class ``label`` to the document's training data (the network
        and its undo history stay)."""
        if self.regression:
            self.status.setText("Points are added to classification sets only: a regression "
                                "set's points have a value, not a class.")
            return False
        train, keys = self.doc.preset_dataset, self.features or fx.PLAIN
        if train is None or train.n_inputs != len(keys):
            train = self._targets_for(Dataset(np.zeros((0, 2)), np.zeros((0, 1)), name="points"))
            if train is None:
                return False
            train = fx.with_features(train, keys)
        points, _ = fx.plane_of(train)
        plane = Dataset(points, train.y, name=train.name, n_classes=train.n_classes)
        new = fx.with_features(pg.add_point(plane, x, y, label), keys)
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
            if ds is None or ds.n_inputs != self.doc.net.sizes[0] or not len(ds):
                continue
            points, _ = fx.plane_of(ds)
            d = np.hypot(points[:, 0] - x, points[:, 1] - y)
            i = int(np.argmin(d))
            if best is None or d[i] < best[0]:
                best = (d[i], ds, i)
        if best is None:
            self.status.setText("There are no data points to pick: choose a data set or "
                                "click some in.")
            return False
        _, ds, i = best
        what = (f"y = {ds.y[i, 0]:.3g}" if self.regression
                else f"class {pg.labels_of(ds)[i]}")
        try:
            self.doc.set_input(ds.inputs(i), f"{ds.name} #{i} ({what})",
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
        self.noise_slider.blockSignals(True)
        self.noise_slider.setValue(round(100 * pg.DATASETS[key].default_noise))
        self.noise_slider.blockSignals(False)
        self._show_sliders()
        self.choose_dataset(key, self.noise)

    def _on_use_clicked(self) -> None:
        self.choose_dataset(self.dataset_combo.currentText(), self.noise)

    def _on_output_clicked(self, x: float, y: float, label: int) -> None:
        self.add_point(x, y, label)


def _rows(*rows) -> QVBoxLayout:
    """Widgets in rows, each row left-aligned."""
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    for widgets in rows:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
    return column


def _lambda_spin(tip: str) -> QDoubleSpinBox:
    """A regularisation λ box: 0 to 100 in steps of 0.1, applied when the value is set."""
    spin = QDoubleSpinBox()
    spin.setDecimals(3)
    spin.setRange(0.0, 100.0)
    spin.setSingleStep(0.1)
    spin.setKeyboardTracking(False)
    spin.setToolTip(tip)
    return spin
