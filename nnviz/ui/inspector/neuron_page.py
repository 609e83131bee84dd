"""The inspector's page for a neuron (a mixin of InspectorPanel): its activation, z, a, δ and
bias field, its incoming weights (a table, or the weight painter when they come from an image),
switch off, reset and the buttons acting on its whole layer."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.notation import format_number, symbol, weight_name
from ..model.selection import Selection
from .fields import NumberField, make_button, make_label, parse_number, set_shown, show_number
from .weight_painter import WeightPaintBox

#: Neurons fed by at most this many get a full table; larger fan-ins show the largest |w|.
MAX_TABLE_ROWS = 64
_T = QAbstractItemView.EditTrigger
_EDITS, _NO_EDITS = _T.DoubleClicked | _T.EditKeyPressed | _T.AnyKeyPressed, _T.NoEditTriggers


class NeuronPage:
    """Builds and fills the InspectorPanel's page for a neuron, and takes its table's and weight
    painter's edits."""

    # -- building ------------------------------------------------------------------------------
    def _build_neuron_page(self) -> QWidget:
        self._paint_gesture: int | None = None
        page = QWidget()
        self.activation = make_label("The neuron's activation function σ: a = σ(z)")
        self.z_value = make_label()
        self.a_value = make_label()
        self.delta_value = make_label()
        self.bias_field = NumberField("The bias b: type a value and press Enter")
        self.bias_field.edited.connect(self._on_field_edited)
        form = self.neuron_form = QFormLayout()
        form.addRow("Activation", self.activation)
        form.addRow("z", self.z_value)
        form.addRow("a", self.a_value)
        form.addRow("δ", self.delta_value)
        form.addRow("b", self.bias_field)

        self.incoming_title = make_label(selectable=False)
        self.incoming_title.setStyleSheet("font-weight: bold")
        self.summary = make_label("Statistics of all the incoming weights of this neuron")
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

        self.switch_button = make_button("Switch off", "", self.switch_off)
        self.reset_button = make_button("Reset to before edits", "Its bias, incoming and "
                                        "outgoing weights as they were when the network was "
                                        "made, loaded or last trained", self.reset_neuron)
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
            b = make_button(text, tip, lambda _=False, a=action: self._ask_layer_action(a))
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

    # -- filling -------------------------------------------------------------------------------
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
        walk = d.walk
        if l == 0 and walk is not None and walk.is_delta_known(0):
            # the walk's last backward stage reached the input: δ⁰ = ∂E/∂x
            form.setRowVisible(self.delta_value, True)
            form.labelForField(self.delta_value).setText(
                f"{weight_name(0, j, kind='δ')} = ∂E/∂{symbol('x', None, j)}")
            show_number(self.delta_value, walk.grads.delta[0][j], "")
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
            known = walk is not None and walk.is_delta_known(l)
            show_number(self.delta_value, walk.grads.delta[l][j] if known else None,
                        "δ = ∂E/∂z is known once the backward pass reaches this layer: step "
                        "through the passes")
            self.bias_field.show_value(Selection("bias", l, j), float(net.biases[l - 1][j]))
            self.bias_field.setEnabled(not locked)
        for w in (self.incoming_title, self.layer_box):
            set_shown(w, l >= 1)
        if l == 0:
            for w in (self.summary, self.table, self.paint_box):
                set_shown(w, False)
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
        set_shown(self.summary, n_in > MAX_TABLE_ROWS)
        if n_in > MAX_TABLE_ROWS:
            self.summary.setText(
                f"min w = {format_number(row.min())}, max w = {format_number(row.max())}, "
                f"mean |w| = {format_number(np.abs(row).mean())}"
                + ("" if image else f"; the table lists the {MAX_TABLE_ROWS} largest |w|"))
        set_shown(self.paint_box, image)
        set_shown(self.table, not image)
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

    # -- edits in the table ----------------------------------------------------------------------
    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        l, j, k = item.data(Qt.ItemDataRole.UserRole)
        self._try_and_show(lambda: self.doc.set_weight(l, j, k, parse_number(item.text())))

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
