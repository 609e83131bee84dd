"""The inspector dock: the selected neuron, weight or bias with its numbers, and its edits.

Every number shown is one the core computed (``doc.trace``, ``doc.net``, ``doc.walk``); every
edit goes through the document as one undoable step (a slider drag or a paint stroke is one
gesture). The panel redraws from the document's signals, blocking its own widgets' signals
while it does (GUIDE §2).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QFrame,
                               QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog,
                               QLabel, QLineEdit, QPushButton, QScrollArea, QSlider,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...core.edits import MAX_ABS
from ...core.notation import format_number, symbol, weight_name
from ..look.style import ERROR_CSS
from ..model.document import Document
from ..model.selection import Change, Selection
from ..look.theme import Appearance
from .weight_painter import WeightPaintBox

#: Neurons fed by at most this many get a full table; larger fan-ins show the largest |w|.
MAX_TABLE_ROWS = 64
#: Steps of the value slider over its range.
SLIDER_TICKS = 1000
#: Slider changes without a drag (wheel, keys) this close together are one undo step.
WHEEL_GESTURE_MS = 600
HINT = "Click a neuron or an edge in the graph to inspect and edit it"
_T = QAbstractItemView.EditTrigger
_EDITS, _NO_EDITS = _T.DoubleClicked | _T.EditKeyPressed | _T.AnyKeyPressed, _T.NoEditTriggers
_ERROR_STYLE = ERROR_CSS
_LOCK_STYLE = "color: #8a5300; background: #fff3d6; padding: 4px; border-radius: 3px"


def parse_number(text: str) -> float:
    """A number typed by the user (a real minus sign is fine); ValueError with a plain message.
    Range and finiteness are the document's to check."""
    try:
        return float(text.strip().replace("−", "-"))
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a number") from None


def slider_span(value: float) -> tuple[float, float]:
    """The value slider's range: value ± max(1, 2·|value|), within ±MAX_ABS."""
    r = max(1.0, 2.0 * abs(value))
    return max(-MAX_ABS, value - r), min(MAX_ABS, value + r)


def show_number(label: QLabel, value, why_not: str = "") -> None:
    """``value`` as format_number with the full value in the tooltip, or "—" and ``why_not``."""
    if value is None:
        label.setText("—")
        label.setToolTip(why_not)
    else:
        label.setText(format_number(float(value)))
        label.setToolTip(f"{float(value)!r}")


def _label(tip: str = "", selectable: bool = True) -> QLabel:
    lab = QLabel()
    lab.setToolTip(tip)
    lab.setWordWrap(True)
    if selectable:
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


def _button(text: str, tip: str, slot) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    b.clicked.connect(slot)
    return b


class NumberField(QLineEdit):
    """A value field: ``show_value`` puts the model's value of ``target`` (a Selection) in;
    ``edited`` (target, text) is emitted when the user finishes editing (Enter or leaving the
    field) with a different text, naming what was shown even if the selection moved on."""

    edited = Signal(object, str)

    def __init__(self, tip: str) -> None:
        super().__init__()
        self._tip = tip
        self.setToolTip(tip)
        self._shown, self.target = "", None
        self.editingFinished.connect(self._on_editing_finished)

    def show_value(self, target: Selection, v: float) -> None:
        self.target = target
        self._shown = format_number(v)  # an unchanged text is never sent back: no rounding
        self.setText(self._shown)
        self.setToolTip(f"{self._tip}\nNow {v!r}")

    def _on_editing_finished(self) -> None:
        if self.text() != self._shown:
            self.edited.emit(self.target, self.text())


class InspectorPanel(QWidget):
    """Follows ``doc.selection``: a neuron (z, a, b, δ, incoming weights, switch off, reset,
    layer actions), an edge w^l_jk or a bias b^l_j (value field, slider, gradient)."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.appearance = Appearance()  # the cells' sign tint follows theme and palette
        self._slider_gesture: int | None = None
        self._dragging = False
        self._span = (-1.0, 1.0)
        self._paint_gesture: int | None = None
        self.setMinimumWidth(300)
        self.lock_label = _label("Why the network cannot be changed by hand now")
        self.lock_label.setStyleSheet(_LOCK_STYLE)
        self.hint = _label("Select something in the graph first", selectable=False)
        self.hint.setText(HINT)
        self.title = _label()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px")
        self.subtitle = _label()
        self.message = _label("Why the last edit was refused")
        self.message.setStyleSheet(_ERROR_STYLE)
        self.neuron_page = self._build_neuron_page()
        self.edge_page = self._build_edge_page()

        content = QWidget()
        lay = QVBoxLayout(content)
        for w in (self.lock_label, self.hint, self.title, self.subtitle, self.neuron_page,
                  self.edge_page, self.message):
            lay.addWidget(w)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self._wheel_timer = QTimer(self, singleShot=True, interval=WHEEL_GESTURE_MS)
        self._wheel_timer.timeout.connect(self._end_slider_gesture)
        self.refreshes = 0  # pages shown so far
        doc.changed.connect(self._on_document_changed)
        self.refresh()

    # -- building ------------------------------------------------------------------------------
    def _build_neuron_page(self) -> QWidget:
        page = QWidget()
        self.activation = _label("The neuron's activation function σ: a = σ(z)")
        self.z_value = _label()
        self.a_value = _label()
        self.delta_value = _label()
        self.bias_field = NumberField("The bias b: type a value and press Enter")
        self.bias_field.edited.connect(self._on_field_edited)
        form = self.neuron_form = QFormLayout()
        form.addRow("Activation", self.activation)
        form.addRow("z", self.z_value)
        form.addRow("a", self.a_value)
        form.addRow("δ", self.delta_value)
        form.addRow("b", self.bias_field)

        self.incoming_title = _label(selectable=False)
        self.incoming_title.setStyleSheet("font-weight: bold")
        self.summary = _label("Statistics of all the incoming weights of this neuron")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["k", "a", "w"])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.paint_box = WeightPaintBox()
        self.painter = self.paint_box.painter
        self.painter.strokeStarted.connect(self._on_painter_stroke_started)
        self.painter.rowPainted.connect(self._on_painter_row_painted)
        self.painter.strokeFinished.connect(self._on_painter_stroke_finished)

        self.switch_button = _button("Switch off", "", self.switch_off)
        self.reset_button = _button("Reset to before edits", "Its bias, incoming and outgoing "
                                    "weights as they were when the network was made, loaded "
                                    "or last trained", self.reset_neuron)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        self.layer_box = QGroupBox()
        self.layer_box.setToolTip("Change all the weights and biases of this layer at once "
                                  "(one undo step)")
        grid = QGridLayout(self.layer_box)
        self.layer_buttons = {}
        for i, (action, text, tip) in enumerate((
                ("randomise", "Randomise", "Fresh random values, drawn as at initialisation"),
                ("scale", "Scale…", "Multiply the weights and biases by a factor"),
                ("zero", "Zero", "Set the weights and biases to 0"),
                ("noise", "Add noise…", "Add Gaussian noise of a standard deviation σ"))):
            b = _button(text, tip, lambda _=False, a=action: self._ask_layer_action(a))
            self.layer_buttons[action] = b
            grid.addWidget(b, i // 2, i % 2)

        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(form)
        for w in (self.incoming_title, self.summary, self.table, self.paint_box):
            lay.addWidget(w)
        lay.addLayout(buttons)
        lay.addWidget(self.layer_box)
        return page

    def _build_edge_page(self) -> QWidget:
        page = QWidget()
        self.value_field = NumberField("The value: type it and press Enter (within ±1000)")
        self.value_field.edited.connect(self._on_field_edited)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_TICKS)
        self.slider.setToolTip("Drag to change the value live (one undo step per drag); the "
                               "range re-centres on the value when you let go")
        self.slider.sliderPressed.connect(self._on_slider_pressed)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.slider.sliderReleased.connect(self._end_slider_gesture)
        self.slider_low, self.slider_high = _label("The slider's lower end"), _label(
            "The slider's upper end")
        self.slider_high.setAlignment(Qt.AlignmentFlag.AlignRight)
        ends = QHBoxLayout()
        ends.addWidget(self.slider_low)
        ends.addWidget(self.slider_high)
        self.source_value = _label()
        self.gradient = _label()
        form = self.edge_form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Value", self.value_field)
        form.addRow("", self.slider)
        form.addRow("", ends)
        form.addRow("Carries a", self.source_value)
        form.addRow("∂E/∂w", self.gradient)
        return page

    # -- the selection ---------------------------------------------------------------------------
    def _on_document_changed(self, change: Change) -> None:
        """One refresh per change of the document."""
        if change & Change.SELECTION:
            self.table.setCurrentItem(None)  # a cell being edited commits to what it showed
            self.message.setText("")
            self._end_slider_gesture()
        if change & (Change.SELECTION | Change.VALUES | Change.LOCK):
            self.refresh()

    def set_appearance(self, appearance: Appearance) -> None:
        self.appearance = appearance
        self.refresh()

    def refresh(self, *_) -> None:
        """Show the document's current selection and its numbers."""
        self.refreshes += 1
        sel, locked = self.doc.selection, bool(self.doc.locked_reason)
        _show(self.lock_label, locked)
        self.lock_label.setText(f"Not editable now — {self.doc.locked_reason}.")
        _show(self.hint, sel is None)
        _show(self.title, sel is not None)
        _show(self.neuron_page, sel is not None and sel.kind == "neuron")
        _show(self.edge_page, sel is not None and sel.kind != "neuron")
        if sel is None:
            self.subtitle.setText("")
        elif sel.kind == "neuron":
            self._show_neuron(sel.layer, sel.j, locked)
        else:
            self._show_parameter(sel, locked)
        _show(self.subtitle, bool(self.subtitle.text()))

    def _why_no_number(self) -> str:
        return "There is no input yet: choose or draw one" if self.doc.trace is None else ""

    def _show_neuron(self, l: int, j: int, locked: bool) -> None:
        d, net = self.doc, self.doc.net
        role = "input" if l == 0 else "output" if l == net.L else "hidden"
        self.title.setText(f"Neuron {j} of layer {l} ({role})")
        sub = ""
        if l == 0 and d.input_labels and j < len(d.input_labels):
            sub = d.input_labels[j]
        elif l == 0 and d.input_shape:
            sub = f"pixel row {j // d.input_shape[1]}, column {j % d.input_shape[1]}"
        self.subtitle.setText(sub)
        form, trace = self.neuron_form, d.trace
        for field in (self.activation, self.z_value, self.delta_value, self.bias_field):
            form.setRowVisible(field, l >= 1)
        a_name = weight_name(l, j, kind="a")
        form.labelForField(self.a_value).setText(
            a_name + (f" = {symbol('x', None, j)}" if l == 0 else ""))
        show_number(self.a_value, None if trace is None else trace.a[l][j], self._why_no_number())
        if l >= 1:
            self.activation.setText(net.activation_names[l - 1])
            form.labelForField(self.z_value).setText(weight_name(l, j, kind="z"))
            form.labelForField(self.delta_value).setText(weight_name(l, j, kind="δ"))
            form.labelForField(self.bias_field).setText(weight_name(l, j, kind="b"))
            show_number(self.z_value, None if trace is None else trace.z[l][j],
                        self._why_no_number())
            walk = d.walk
            known = walk is not None and walk.is_delta_known(l)
            show_number(self.delta_value, walk.grads.delta[l][j] if known else None,
                        "δ = ∂E/∂z is known once the backward pass reaches this layer: step "
                        "through the passes")
            self.bias_field.show_value(Selection("bias", l, j), float(net.biases[l - 1][j]))
            self.bias_field.setEnabled(not locked)
        for w in (self.incoming_title, self.layer_box):
            _show(w, l >= 1)
        if l == 0:
            for w in (self.summary, self.table, self.paint_box):
                _show(w, False)
        else:
            self._show_incoming(l, j, locked)
            self.layer_box.setTitle(f"Layer {l}: all its weights and biases")
        for b in self.layer_buttons.values():
            b.setEnabled(not locked)
        output = l == net.L
        self.switch_button.setEnabled(not (locked or output))
        self.switch_button.setToolTip(
            "The output layer feeds nothing: there is nothing to switch off" if output else
            f"Zero the weights this neuron sends to layer {l + 1} (an ablation; undoable)")
        self.reset_button.setEnabled(not locked)

    def _show_incoming(self, l: int, j: int, locked: bool) -> None:
        d, n_in = self.doc, self.doc.net.sizes[l - 1]
        row = d.net.weights[l - 1][j]
        shape = d.input_shape if l == 1 else None
        image = shape is not None and shape[0] * shape[1] == n_in
        self.incoming_title.setText(f"Incoming weights {symbol('w', l, j, 'k')} (from "
                                    f"layer {l - 1}, {n_in} neurons)")
        _show(self.summary, n_in > MAX_TABLE_ROWS)
        if n_in > MAX_TABLE_ROWS:
            self.summary.setText(
                f"min w = {format_number(row.min())}, max w = {format_number(row.max())}, "
                f"mean |w| = {format_number(np.abs(row).mean())}"
                + ("" if image else f"; the table lists the {MAX_TABLE_ROWS} largest |w|"))
        _show(self.paint_box, image)
        _show(self.table, not image)
        if image:
            self.paint_box.set_row(row, shape, editable=not locked)
        else:
            ks = (np.arange(n_in) if n_in <= MAX_TABLE_ROWS
                  else np.argsort(-np.abs(row), kind="stable")[:MAX_TABLE_ROWS])
            self._fill_table(l, j, [int(k) for k in ks], locked)

    def _fill_table(self, l: int, j: int, ks: list[int], locked: bool) -> None:
        t, trace, w = self.table, self.doc.trace, self.doc.net.weights[l - 1]
        t.blockSignals(True)
        t.setHorizontalHeaderLabels(["k", symbol("a", l - 1, "k"), symbol("w", l, j, "k")])
        if t.rowCount() != len(ks):
            t.setRowCount(len(ks))
            for r in range(len(ks)):  # items are reused, never replaced (we may be in a slot)
                for c in range(3):
                    item = QTableWidgetItem()
                    if c < 2:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    t.setItem(r, c, item)
        scale = float(np.abs(w[j]).max()) or 1.0
        for r, k in enumerate(ks):
            a = None if trace is None else float(trace.a[l - 1][k])
            texts = (str(k), "—" if a is None else format_number(a), format_number(w[j, k]))
            tips = (f"neuron {k} of layer {l - 1}",
                    self._why_no_number() if a is None else repr(a),
                    f"{weight_name(l, j, k)} = {float(w[j, k])!r}; double-click to edit")
            for c, (text, tip) in enumerate(zip(texts, tips)):
                t.item(r, c).setText(text)
                t.item(r, c).setToolTip(tip)
            t.item(r, 2).setData(Qt.ItemDataRole.UserRole, (l, j, k))  # what the cell edits
            tint = self.appearance.colours().weight_tint(w[j, k] / scale)  # faint sign colour
            t.item(r, 2).setBackground(QColor(*tint))
        rows = min(len(ks), 10)
        t.setFixedHeight(t.horizontalHeader().height() + rows * t.verticalHeader()
                         .defaultSectionSize() + 2 * t.frameWidth())
        t.setEditTriggers(_NO_EDITS if locked else _EDITS)
        t.blockSignals(False)

    def _show_parameter(self, sel: Selection, locked: bool) -> None:
        d, l, j, k = self.doc, sel.layer, sel.j, sel.k
        walk, trace = d.walk, d.trace
        edge = sel.kind == "edge"
        name = weight_name(l, j, k) if edge else weight_name(l, j, kind="b")
        self.title.setText(f"{'Weight' if edge else 'Bias'} {name}")
        self.subtitle.setText(
            f"from neuron {k} of layer {l - 1} to neuron {j} of layer {l}" if edge else
            f"of neuron {j} of layer {l} (the edge from layer {l - 1}'s “+1”)")
        value = float(d.net.weights[l - 1][j, k] if edge else d.net.biases[l - 1][j])
        self.value_field.show_value(sel, value)
        self.value_field.setEnabled(not locked)
        self.slider.setEnabled(not locked)
        if self._slider_gesture is None:  # never move the range under a dragging hand
            self._span = slider_span(value)
            self.slider.blockSignals(True)
            self.slider.setValue(self._tick(value))
            self.slider.blockSignals(False)
        self.slider_low.setText(format_number(self._span[0]))
        self.slider_high.setText(format_number(self._span[1]))
        form = self.edge_form
        form.setRowVisible(self.source_value, edge)
        if edge:
            carried = weight_name(l - 1, k, kind="a")
            form.labelForField(self.source_value).setText(f"Carries {carried}")
            show_number(self.source_value, None if trace is None else trace.a[l - 1][k],
                        self._why_no_number())
        form.labelForField(self.gradient).setText(f"∂E/∂{name}")
        known = walk is not None and walk.gradients_known
        grad = (walk.grads.weights[l - 1][j, k] if edge else walk.grads.biases[l - 1][j]
                ) if known else None
        show_number(self.gradient, grad, "The gradient is known once the walk reaches its "
                                         "gradients stage: step through the passes")

    # -- edits -----------------------------------------------------------------------------------
    def _try(self, edit, *args, **kwargs) -> bool:
        """Run a document edit; show why it was refused (nothing changed then)."""
        try:
            edit(*args, **kwargs)
        except (ValueError, PermissionError) as exc:
            self.message.setText(str(exc)[:1].upper() + str(exc)[1:])
            return False
        self.message.setText("")
        return True

    def _try_and_show(self, edit) -> None:
        """Run ``edit`` and show the model's value: the document's change refreshes the page;
        when nothing changed (refused, or the same value) the page is refreshed here, so a
        field never keeps text the model does not hold."""
        before = self.refreshes
        self._try(edit)
        if self.refreshes == before:
            self.refresh()

    def _on_field_edited(self, target: Selection, text: str) -> None:
        self._try_and_show(lambda: self._set_selected(parse_number(text), target=target))

    def _set_selected(self, value: float, gesture: int | None = None, target=None) -> None:
        """The selected (or ``target``) weight, bias or neuron's bias = value."""
        sel = target or self.doc.selection
        if sel.kind == "edge":
            self.doc.set_weight(sel.layer, sel.j, sel.k, value, gesture)
        else:
            self.doc.set_bias(sel.layer, sel.j, value, gesture)

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        l, j, k = item.data(Qt.ItemDataRole.UserRole)
        self._try_and_show(lambda: self.doc.set_weight(l, j, k, parse_number(item.text())))

    # -- the slider: one gesture per drag (or per burst of wheel / key steps) -------------------
    def _tick(self, value: float) -> int:
        lo, hi = self._span
        return round((value - lo) / (hi - lo) * SLIDER_TICKS)

    def slider_range(self) -> tuple[float, float]:
        """The values at the slider's two ends."""
        return self._span

    def _on_slider_pressed(self) -> None:
        self._wheel_timer.stop()
        self._dragging = True
        self._slider_gesture = self.doc.begin_gesture()

    def _on_slider_value_changed(self, tick: int) -> None:
        if self._slider_gesture is None:
            self._slider_gesture = self.doc.begin_gesture()
        if not self._dragging:
            self._wheel_timer.start()
        lo, hi = self._span
        value = lo + (hi - lo) * tick / SLIDER_TICKS
        self._try(self._set_selected, value, self._slider_gesture)

    def _end_slider_gesture(self) -> None:
        self._wheel_timer.stop()
        was = self._slider_gesture is not None
        self._dragging, self._slider_gesture = False, None
        if was:
            self.refresh()  # the range re-centres on the value

    # -- painting the incoming weights ----------------------------------------------------------
    def _on_painter_stroke_started(self) -> None:
        self._paint_gesture = self.doc.begin_gesture()

    def _on_painter_row_painted(self, row) -> None:
        sel = self.doc.selection
        self._try(self.doc.set_incoming, sel.layer, sel.j, row,
                  f"Paint the weights into neuron {sel.j} of layer {sel.layer}",
                  gesture=self._paint_gesture)

    def _on_painter_stroke_finished(self) -> None:
        self._paint_gesture = None

    # -- neuron and layer actions (public, so they can run without dialogs) ---------------------
    def switch_off(self) -> bool:
        """Switch off the selected neuron (zero what it feeds the next layer)."""
        sel = self.doc.selection
        return self._try(self.doc.switch_off, sel.layer, sel.j)

    def reset_neuron(self) -> bool:
        """Put the selected neuron's parameters back as they were before edits by hand."""
        sel = self.doc.selection
        return self._try(self.doc.reset_neuron, sel.layer, sel.j)

    def run_layer_action(self, action: str, amount: float = 1.0, seed: int | None = None) -> bool:
        """Randomise, scale (``amount`` = factor), zero or add noise (``amount`` = σ) to the
        selected neuron's layer; False (with the reason shown) if refused."""
        return self._try(self.doc.layer_action, self.doc.selection.layer, action, amount, seed)

    def _ask_layer_action(self, action: str) -> None:
        l = self.doc.selection.layer
        if action in ("scale", "noise"):
            label, value, lo = (("Multiply by", 0.5, -MAX_ABS) if action == "scale"
                                else ("Standard deviation σ", 0.1, 0.0))
            title = f"{'Scale' if action == 'scale' else 'Add noise to'} layer {l}"
            amount, ok = QInputDialog.getDouble(self, title, label, value, lo, MAX_ABS, 3)
            if ok:
                self.run_layer_action(action, amount)
        else:
            self.run_layer_action(action)


def _show(widget: QWidget, on: bool) -> None:
    """Show or hide ``widget`` only if that changes it (a needless hide and show would lay the
    panel out twice, under a painting hand)."""
    if widget.isHidden() == on:
        widget.setVisible(on)
