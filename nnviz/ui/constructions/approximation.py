"""The universal-approximation panel: a target f on [0, 1], the 1-N-1 network's output y, and
each hidden neuron's step σ(w(x − s)) scaled by its outgoing weight, as article 000 builds them.

The panel computes nothing itself beyond calling :mod:`nnviz.core.approximation`; every change
of the network goes through the document ("Construct" is one undo step).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core import approximation as ap
from ...core.network import Network
from ...core.notation import format_plain, format_steepness
from ...core.session import TrainingState
from ..look import style
from ..model.selection import Change

#: x values at which every curve is drawn: shape (SAMPLES,), 0 … 1.
SAMPLES = 401
XS = np.linspace(0.0, 1.0, SAMPLES)
#: Grid of the drawn target: a stroke sets the grid values it passes over.
DRAW_GRID = np.linspace(0.0, 1.0, 201)
#: The steepness slider: w = 10^(1 + position / 100), 10 … 10 000.
STEEPNESS_STEPS = 300
DRAWN = "drawn"

TARGET_PEN = pg.mkPen((40, 40, 40), width=2, style=Qt.PenStyle.DashLine)
OUTPUT_PEN = pg.mkPen((0, 114, 178), width=3)
POSITIVE = (8, 119, 189, 90)  # the graph's weight colours, faint
NEGATIVE = (245, 147, 34, 110)


def steepness_at(position: int) -> float:
    """The steepness w for a slider position 0 … STEEPNESS_STEPS (log scale, 10 … 10 000)."""
    return 10.0 ** (1.0 + position / 100.0)


class ApproximationPanel(QWidget):
    """Dock content: plot of f, y and the hidden neurons' steps, with the construction's controls.

    Public: ``target()`` (the current f), ``set_target_name(name)``, ``set_drawing(on)``,
    ``begin_stroke()``, ``draw_to(x, y)`` (what a mouse drag calls), ``construct()``,
    ``make_network()``, ``randomise()``, ``steepness()``; the curves ``target_curve``,
    ``output_curve`` and ``hidden_items``. ``trainRequested`` asks the window to start (or pause)
    training; the document's own data is f sampled at TRAINING_SAMPLES points.
    """

    trainRequested = Signal()

    def __init__(self, doc, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._drawn_ys: np.ndarray | None = None  # the drawn target on DRAW_GRID
        self._last: tuple[float, float] | None = None  # previous point of the stroke
        self._dragging = False
        self._table_text = ""  # the construction's max error by N, for the current f
        self._stale = False  # the network changed while the panel was hidden

        # -- plot
        self.plot = pg.PlotWidget(background="w")
        item = self.plot.getPlotItem()
        item.setLabel("bottom", "x")
        item.setMenuEnabled(False)
        item.vb.setMouseEnabled(False, False)
        item.hideButtons()
        item.setXRange(0.0, 1.0, padding=0.02)
        # f and y live in [0, 1]; the band above 1.1 is kept for the legend, in one row, so it
        # never covers the curves
        item.setYRange(-0.6, 1.45, padding=0.0)
        item.addLegend(offset=(8, 2), brush=pg.mkBrush(255, 255, 255, 210), colCount=3)
        self.hidden_items: list[pg.PlotDataItem] = []
        self.target_curve = self.plot.plot(pen=TARGET_PEN, name="target f(x)")
        self.output_curve = self.plot.plot(pen=OUTPUT_PEN, name="network y(x)")
        self.output_curve.setZValue(2)
        # A legend entry for the faint steps (the items themselves are added as N changes).
        self._hidden_key = pg.PlotDataItem(pen=pg.mkPen(POSITIVE[:3], width=1))
        item.legend.addItem(self._hidden_key, "hidden neuron i: w²ᵢ·σ(w(x − sᵢ))")
        self.target_curve.setZValue(3)
        self.plot.viewport().installEventFilter(self)

        # -- controls
        self.target_combo = QComboBox()
        for name in ap.TARGETS:
            self.target_combo.addItem(name, name)
        self.target_combo.setToolTip("The function f: [0, 1] → [0, 1] to approximate")
        self.draw_button = QPushButton("Draw target")
        self.draw_button.setCheckable(True)
        self.draw_button.setToolTip("Drag on the plot to draw f (kept inside 0 … 1)")
        self.n_spin = QSpinBox()
        self.n_spin.setRange(1, 500)
        self.n_spin.setValue(20)
        self.n_spin.setToolTip("N, the number of hidden neurons: one step each")
        self.steep_slider = QSlider(Qt.Orientation.Horizontal)
        self.steep_slider.setRange(0, STEEPNESS_STEPS)
        self.steep_slider.setValue(200)  # w = 1000
        self.steep_label = QLabel()
        self.steep_label.setMinimumWidth(50)
        self.random_button = QPushButton("Random weights")
        self.random_button.setToolTip("Start from random weights (N(0, 1)) instead of the "
                                      "construction: one undo step")
        self.train_button = QPushButton("Train")
        self.train_button.setToolTip("Gradient descent on f sampled at 200 points, from the "
                                     "weights shown; the curves move as it learns "
                                     "(settings in the Training dock)")
        self.construct_button = QPushButton("Construct")
        self.construct_button.setToolTip(
            "Set the weights as the article does: hidden neuron i a step at the midpoint s_i of "
            "the i-th interval (w = steepness, b = −w·s_i); the output bias σ⁻¹(f(0)) and weight "
            "i the jump of σ⁻¹∘f over the interval")

        row = QHBoxLayout()
        row.addWidget(self.target_combo, 1)
        row.addWidget(self.draw_button)
        steep = QHBoxLayout()
        steep.addWidget(self.steep_slider, 1)
        steep.addWidget(self.steep_label)
        nrow = QHBoxLayout()
        nrow.addWidget(self.n_spin)
        nrow.addWidget(self.construct_button)
        nrow.addWidget(self.random_button)
        nrow.addWidget(self.train_button)
        nrow.addStretch(1)
        form = QFormLayout()
        form.addRow("Target", row)
        form.addRow("Hidden neurons N", nrow)
        form.addRow("Steepness w", steep)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setToolTip("Largest |f(x) − y(x)| over 2001 points of [0, 1] for the "
                                    "constructed network with N hidden neurons")
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet(style.ERROR_CSS)
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.linear_label = QLabel()
        self.linear_label.setWordWrap(True)
        self.linear_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.linear_label.hide()

        # -- shown instead of the plot when the network is not 1-N-1
        self.message = QLabel("This panel works on 1-N-1 networks: one input x, N hidden "
                              "neurons, one output y.")
        self.message.setWordWrap(True)
        self.make_button = QPushButton("Make a 1-N-1 network")
        self.make_button.setToolTip("A new 1-N-1 sigmoid network with N from the spin box")
        self.message_box = QWidget()
        mb = QVBoxLayout(self.message_box)
        mb.setContentsMargins(0, 0, 0, 0)
        mb.addWidget(self.message)
        mb.addWidget(self.make_button, 0, Qt.AlignmentFlag.AlignLeft)
        mb.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message_box)
        layout.addWidget(self.plot, 1)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.linear_label)

        self.target_combo.currentIndexChanged.connect(self._on_target_chosen)
        self.draw_button.toggled.connect(self.set_drawing)
        self.steep_slider.valueChanged.connect(self._on_steepness_changed)
        self.construct_button.clicked.connect(self.construct)
        self.make_button.clicked.connect(self.make_network)
        self.random_button.clicked.connect(self.randomise)
        self.train_button.clicked.connect(self.trainRequested)
        doc.changed.connect(self._on_document_changed)

        self._on_steepness_changed()  # label, error table, curves
        self._on_doc_network_replaced()
        self._on_doc_lock_changed(doc.locked_reason)

    # -- the target ----------------------------------------------------------------------------
    def target(self) -> ap.Target:
        """The current f: the drawn one, or the preset chosen in the combo box."""
        if self.target_combo.currentData() == DRAWN and self._drawn_ys is not None:
            return ap.drawn_target(DRAW_GRID, self._drawn_ys)
        return ap.TARGETS.get(self.target_combo.currentData(), ap.TARGETS["bump"])

    def set_target_name(self, name: str) -> None:
        """Choose a preset target (a key of TARGETS) or "drawn" (once something was drawn)."""
        index = self.target_combo.findData(name)
        if index < 0:
            raise ValueError(f"unknown target {name!r}")
        self.target_combo.setCurrentIndex(index)

    def steepness(self) -> float:
        """The steepness w the slider shows."""
        return steepness_at(self.steep_slider.value())

    def set_drawing(self, on: bool) -> None:
        """Drawing mode: drags on the plot draw the target."""
        if self.draw_button.isChecked() != on:
            self.draw_button.setChecked(on)  # toggled calls back here
            return
        self.plot.viewport().setCursor(Qt.CursorShape.CrossCursor if on
                                       else Qt.CursorShape.ArrowCursor)

    def begin_stroke(self) -> None:
        """Start a new stroke: the drawn target starts from the current f, sampled."""
        if self._drawn_ys is None or self.target_combo.currentData() != DRAWN:
            self._drawn_ys = np.asarray(self.target()(DRAW_GRID), dtype=float).copy()
        self._last = None

    def draw_to(self, x: float, y: float) -> None:
        """Continue the stroke to (x, y) in plot coordinates: the grid points between the
        previous point and this one take the straight line between them; y kept in (0, 1)."""
        if self._drawn_ys is None:
            self.begin_stroke()
        x = min(max(float(x), 0.0), 1.0)
        y = float(ap.clip_target(y))
        x0, y0 = self._last if self._last is not None else (x, y)
        lo, hi = min(x0, x), max(x0, x)
        step = DRAW_GRID[1] - DRAW_GRID[0]
        inside = (DRAW_GRID >= lo - step / 2) & (DRAW_GRID <= hi + step / 2)
        if hi - lo < 1e-12:
            self._drawn_ys[inside] = y
        else:
            gx = np.clip(DRAW_GRID[inside], lo, hi)
            self._drawn_ys[inside] = np.interp(gx, [x0, x] if x0 < x else [x, x0],
                                               [y0, y] if x0 < x else [y, y0])
        self._last = (x, y)
        if self.target_combo.findData(DRAWN) < 0:
            self.target_combo.addItem("drawn", DRAWN)
        if self.target_combo.currentData() != DRAWN:
            self.target_combo.blockSignals(True)
            self.target_combo.setCurrentIndex(self.target_combo.findData(DRAWN))
            self.target_combo.blockSignals(False)
        self._on_target_changed()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.plot.viewport() and self.draw_button.isChecked():
            kind = event.type()
            if (kind == QEvent.Type.MouseButtonPress
                    and event.button() == Qt.MouseButton.LeftButton):
                self._dragging = True
                self.begin_stroke()
                self.draw_to(*self._to_plot(event.position()))
                return True
            if kind == QEvent.Type.MouseMove and self._dragging:
                self.draw_to(*self._to_plot(event.position()))
                return True
            if kind == QEvent.Type.MouseButtonRelease and self._dragging:
                self._dragging = False
                self._last = None
                self.use_target_for_training()
                return True
        return super().eventFilter(obj, event)

    def _to_plot(self, pos) -> tuple[float, float]:
        p = self.plot.getPlotItem().vb.mapSceneToView(self.plot.mapToScene(pos.toPoint()))
        return p.x(), p.y()

    # -- changing the network (through the document) ------------------------------------------
    def construct(self) -> None:
        """Set the constructed weights for N = the spin box's value: one undo step when the
        network is already 1-N-1 sigmoid, else a new network."""
        n = self.n_spin.value()
        weights, biases = ap.construct(self.target(), n, self.steepness())
        net = self.doc.net
        try:
            if self._is_ours(net, n):
                self.doc.replace_parameters(weights, biases, f"Construct {n} steps")
                self.use_target_for_training()
            else:
                self._new_network(
                    Network([1, n, 1], "sigmoid", "quadratic", parameters=(weights, biases)),
                    f"1-{n}-1 steps")
        except PermissionError as exc:
            self._show_problem(str(exc))
            return
        self._show_problem("")

    @staticmethod
    def _is_ours(net: Network, n: int) -> bool:
        """True when ``net`` is a 1-n-1 sigmoid network the construction can write into."""
        return net.sizes == [1, n, 1] and net.activation_names == ["sigmoid", "sigmoid"]

    def _new_network(self, net: Network, title: str) -> None:
        """Make ``net`` the document's network, with f sampled as its training data."""
        self.doc.set_network(
            net, title,
            "Universal approximation (article 000): each hidden neuron is a step "
            "σ(w(x − s_i)) at the midpoint of an interval; the output is σ of their "
            "weighted sum. Construct sets these weights; Train lets gradient descent find "
            "its own.", example=[0.5], target=[float(ap.clip_target(self.target()(0.5)))],
            dataset=self._training_data(), hint=ap.SUGGESTED_TRAINING)

    def _training_data(self):
        name = self.target_combo.currentText() or "f"
        return ap.training_data(self.target(), name=f"{name} target")

    def use_target_for_training(self) -> None:
        """Make f, sampled, the network's training data (when the network is 1-N-1). While
        training runs the run keeps its data: a note says the new f counts from the next run."""
        if not ap.is_one_n_one(self.doc.net):
            return
        try:
            self.doc.set_dataset(self._training_data(), None, ap.SUGGESTED_TRAINING)
        except PermissionError:
            self._show_problem("Training goes on with the old f; the new one is trained on "
                               "from the next run.")
            return
        self._show_problem("")

    def randomise(self) -> None:
        """Random weights (N(0, 1)) for the 1-N-1 network, as one undo step; a new network
        when the current one is not 1-N-1 sigmoid."""
        n = self.n_spin.value()
        net = self.doc.net
        try:
            if self._is_ours(net, n):
                self.doc.reinitialise("Random weights")
                self.use_target_for_training()
            else:
                self._new_network(Network([1, n, 1], "sigmoid", "quadratic"), f"1-{n}-1")
        except PermissionError as exc:
            self._show_problem(str(exc))
            return
        self._show_problem("")

    def set_training_state(self, state: TrainingState) -> None:
        """The Train button's text for the training controller's ``state``."""
        self.train_button.setText(state.toggle_text)

    def make_network(self) -> None:
        """Replace the network with a fresh random 1-N-1 sigmoid one (N from the spin box)."""
        n = self.n_spin.value()
        try:
            self._new_network(Network([1, n, 1], "sigmoid", "quadratic", seed=0), f"1-{n}-1")
        except PermissionError as exc:
            self._show_problem(str(exc))

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    # -- redrawing -----------------------------------------------------------------------------
    def _on_target_chosen(self, *_) -> None:
        self._on_target_changed()
        self.use_target_for_training()

    def _on_target_changed(self, *_) -> None:
        self.target_curve.setData(XS, self.target()(XS))
        # the construction's errors depend on f and the steepness only: computed here, not for
        # every change of the weights (five networks of 2001 samples each: 4 ms)
        table = ap.error_table(self.target(), steepness=self.steepness())
        self._table_text = ("Max |f − y| of the construction by N:  "
                            + "   ".join(f"N={n}: {format_plain(e)}" for n, e in table))
        self._update_errors()

    def _on_steepness_changed(self, *_) -> None:
        self.steep_label.setText(format_steepness(self.steepness()))
        self._on_target_changed()

    def _on_document_changed(self, change: Change) -> None:
        if change & Change.NETWORK:
            self._on_doc_network_replaced()
        elif change & Change.PARAMETERS:
            self._on_doc_parameters_changed()
        if change & Change.LOCK:
            self._on_doc_lock_changed(self.doc.locked_reason)

    def _on_doc_lock_changed(self, reason: str) -> None:
        for w in (self.construct_button, self.make_button, self.random_button):
            w.setEnabled(not reason)
            w.setToolTip(w.toolTip().split("\n\nNot now:")[0]
                         + (f"\n\nNot now: {reason}" if reason else ""))

    def _on_doc_network_replaced(self) -> None:
        net = self.doc.net
        ok = ap.is_one_n_one(net)
        self.message_box.setVisible(not ok)
        self.plot.setVisible(ok)
        self.train_button.setVisible(ok)
        self.layout().setStretchFactor(self.message_box, 0 if ok else 1)
        if ok:
            self.n_spin.blockSignals(True)
            self.n_spin.setValue(net.sizes[1])
            self.n_spin.blockSignals(False)
        self._on_doc_parameters_changed()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._on_doc_parameters_changed()

    def _on_doc_parameters_changed(self) -> None:
        if not self.isVisible():  # a hidden dock costs nothing while training runs
            self._stale = True
            return
        self._stale = False
        net = self.doc.net
        self._show_linear(net)
        if not ap.is_one_n_one(net):
            for it in self.hidden_items:
                it.hide()
            self.output_curve.setData([], [])
            self._update_errors()
            return
        curves = ap.hidden_curves(net, XS)
        while len(self.hidden_items) < len(curves):
            it = pg.PlotDataItem()
            it.setZValue(1)
            self.plot.addItem(it)
            self.hidden_items.append(it)
        for i, it in enumerate(self.hidden_items):
            if i < len(curves):
                colour = POSITIVE if net.weights[1][0, i] >= 0 else NEGATIVE
                it.setPen(pg.mkPen(colour, width=1))
                it.setData(XS, curves[i])
                it.show()
            else:
                it.hide()
        self.output_curve.setData(XS, ap.network_curve(net, XS))
        self._update_errors()

    def _update_errors(self) -> None:
        text = self._table_text
        if ap.is_one_n_one(self.doc.net):
            text += f"\nThis network: {format_plain(ap.max_error(self.doc.net, self.target()))}"
        self.error_label.setText(text)

    def _show_linear(self, net: Network) -> None:
        try:
            W, b = ap.collapsed_linear(net)
        except ValueError:
            self.linear_label.hide()
            return
        if W.size <= 12:
            body = (f"W = {np.array2string(W, precision=3, suppress_small=True)}, "
                    f"b = {np.array2string(b, precision=3, suppress_small=True)}")
        else:
            body = f"W of shape {W.shape}, b of shape {b.shape}"
        self.linear_label.setText("Linear neurons throughout: the whole network is one affine "
                                  f"map y = W x + b, {body}")
        self.linear_label.show()

    def set_appearance(self, appearance) -> None:
        """Background and axes for a ``theme.Appearance``."""
        c = appearance.colours()
        self.plot.setBackground(c.plot_background)
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            item.getAxis(name).setPen(c.plot_foreground)
            item.getAxis(name).setTextPen(c.plot_foreground)
        self.target_curve.setPen(pg.mkPen(c.plot_foreground, width=2,
                                          style=Qt.PenStyle.DashLine))

