"""The Step through dock: the stage, navigation, autoplay, η, what the edges show, and the
input being stepped (typed for small networks). It shows the document's walk and forwards the
user's requests to the document."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.notation import format_number
from ..look import style
from ..model.document import Document
from ..model.selection import EDGE_CHOICES, Change

#: Inputs with at most this many values can be typed in.
TYPED_INPUT_MAX = 12


def parse_values(text: str, n: int, what: str) -> np.ndarray:
    """Numbers separated by commas or spaces, exactly n of them, all finite (ValueError with a
    plain message otherwise)."""
    parts = [p for p in text.replace(",", " ").replace(";", " ").split() if p]
    if len(parts) != n:
        raise ValueError(f"{what} needs {n} number{'s' if n != 1 else ''}, got {len(parts)}")
    try:
        values = np.array([float(p.replace("−", "-")) for p in parts])
    except ValueError:
        raise ValueError(f"{what}: “{text.strip()}” is not a list of numbers") from None
    if not np.isfinite(values).all():
        raise ValueError(f"{what} must be finite numbers")
    if np.abs(values).max(initial=0) > 1e6:
        raise ValueError(f"{what}: values must lie within ±1e6")
    return values


def update_text(before: float, after: float, eta: float) -> str:
    """What the update did to E, with enough digits to tell the two apart and the change ΔE
    itself, so a step of 10⁻⁸ (saturated sigmoids) reads as small rather than as nothing:
    "after the update (η = 0.5): E = 0.49995412 → 0.49995406 (ΔE = −6.1e−08, lower)"."""
    for digits in range(6, 13):  # as the line above (6 digits), more while they look equal
        b, a = f"{before:.{digits}g}", f"{after:.{digits}g}"
        if a != b or after == before:
            break
    change = after - before
    sign = "+" if change > 0 else ""
    verdict = "lower" if after < before else "not lower"
    return (f"after the update (η = {eta:g}): E = {b} → {a} "
            f"(ΔE = {sign}{format_number(change, 2)}, {verdict})")


def _values_text(v) -> str:
    return ", ".join(f"{x:g}" for x in v)


class SteppingPanel(QWidget):
    """Stage, navigation, autoplay, η, what edges show, and the example being stepped."""

    def __init__(self, doc: Document, actions: dict) -> None:
        super().__init__()
        self.doc = doc
        self.stage_label = QLabel()
        self.stage_label.setWordWrap(True)
        self.stage_label.setStyleSheet("font-weight: bold; font-size: 14px")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        buttons = QVBoxLayout()
        for keys in (("first", "prev", "next", "last"), ("play", "stop")):
            row = QHBoxLayout()
            for key in keys:
                b = QToolButton()
                b.setDefaultAction(actions[key])
                b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                row.addWidget(b)
            row.addStretch(1)
            buttons.addLayout(row)

        self.pace = QSlider(Qt.Orientation.Horizontal)
        self.pace.setRange(3, 40)  # tenths of a second per stage
        self.pace.setValue(15)
        self.pace.setToolTip("Autoplay pace: seconds per stage")
        self.pace_label = QLabel()
        self.pace.valueChanged.connect(self._on_pace_changed)
        self.eta = QDoubleSpinBox()
        self.eta.setDecimals(4)
        self.eta.setRange(0.0001, 100.0)
        self.eta.setSingleStep(0.1)
        self.eta.setValue(doc.step_eta)
        self.eta.setKeyboardTracking(False)
        self.eta.setToolTip("Learning rate η of the update stage: w ← w − η ∂E/∂w")
        self.eta.valueChanged.connect(self._on_eta_changed)
        self.edges = QComboBox()
        for key, text in EDGE_CHOICES.items():
            self.edges.addItem(text, key)
        self.edges.setCurrentIndex(self.edges.findData(doc.edge_quantity))
        self.edges.setToolTip("What the edges show once the gradients are computed (at first "
                              "∂E/∂w at the gradients stage, w elsewhere)")
        self.edges.currentIndexChanged.connect(
            lambda _: doc.set_edge_quantity(self.edges.currentData()))
        self.x_field = QLineEdit()
        self.x_field.setToolTip("The input x, numbers separated by commas; Enter to use it")
        self.y_field = QLineEdit()
        self.y_field.setToolTip("The target y, numbers separated by commas; Enter to use it")
        self.x_field.returnPressed.connect(self.use_typed_input)
        self.y_field.returnPressed.connect(self.use_typed_input)
        self.example_label = QLabel()
        self.example_label.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(style.ERROR_CSS)

        form = QFormLayout()
        pace_row = QHBoxLayout()
        pace_row.addWidget(self.pace, 1)
        pace_row.addWidget(self.pace_label)
        form.addRow("Autoplay pace", pace_row)
        form.addRow("Learning rate η", self.eta)
        form.addRow("Edges show", self.edges)
        form.addRow("Input x", self.x_field)
        form.addRow("Target y", self.y_field)
        self.form = form
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage_label)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addLayout(form)
        layout.addWidget(self.example_label)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_timer)
        self.play_action = actions["play"]
        self._on_pace_changed(self.pace.value())
        doc.changed.connect(self._on_document_changed)
        self.refresh()

    def _on_document_changed(self, change: Change) -> None:
        if change & (Change.WALK | Change.INPUT | Change.NETWORK | Change.EXAMPLES):
            self.refresh()
        if change & Change.DISPLAY:
            self.edges.blockSignals(True)
            self.edges.setCurrentIndex(self.edges.findData(self.doc.edge_quantity))
            self.edges.blockSignals(False)

    # -- autoplay ----------------------------------------------------------------------------
    def set_playing(self, on: bool) -> None:
        if on:
            if self.doc.walk is None and not self.doc.start_stepping():
                on = False
            elif self.doc.walk.at_end:
                self.doc.walk_step(1)  # the next step of descent, from the updated network
        if on:
            self.timer.start()
        else:
            self.timer.stop()
        if self.play_action.isChecked() != on:
            self.play_action.setChecked(on)

    def _on_timer(self) -> None:
        walk = self.doc.walk
        if walk is None or walk.at_end:
            self.set_playing(False)
            return
        self.doc.walk_step(1)
        if self.doc.walk is None or self.doc.walk.at_end:
            self.set_playing(False)

    def _on_pace_changed(self, tenths: int) -> None:
        self.timer.setInterval(tenths * 100)
        self.pace_label.setText(f"{tenths / 10:.1f} s")

    # -- fields ------------------------------------------------------------------------------
    def _on_eta_changed(self, value: float) -> None:
        try:
            self.doc.set_step_eta(value)
        except ValueError as exc:
            self.message.setText(str(exc))

    def use_typed_input(self) -> None:
        """Make the x and y typed in the fields the input and target (Enter in either field);
        the message says what is wrong with them instead. A new x typed without a new y does
        not keep the old target: y is the network's own data's for x (XOR's truth table), or
        none, and stepping asks for it."""
        d = self.doc
        net = d.net
        try:
            x = parse_values(self.x_field.text(), net.sizes[0], "The input x")
            y_text = self.y_field.text().strip()
            y = parse_values(y_text, net.sizes[-1], "The target y") if y_text else None
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        new_x = self.x_field.isModified() or d.x is None or not np.array_equal(x, d.x)
        shown_y = _values_text(d.target) if d.target is not None else ""
        new_y = self.y_field.isModified() or y_text != shown_y
        if new_x and not new_y:
            y = d.own_target(x)
        self.message.setText("")
        for field in (self.x_field, self.y_field):
            field.setModified(False)
        try:  # e.g. a target the cost cannot take (the document says why)
            d.set_input(x, "x = (" + _values_text(x) + ")", y)
        except ValueError as exc:
            self.message.setText(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
            self.y_field.setModified(True)
            return
        if self.y_field.hasFocus() and not new_y:  # refresh leaves a field being edited
            self.y_field.setText(_values_text(y) if y is not None else "")

    def refresh(self) -> None:
        d, walk = self.doc, self.doc.walk
        if self.eta.value() != d.step_eta and not self.eta.hasFocus():  # η set elsewhere
            self.eta.blockSignals(True)
            self.eta.setValue(d.step_eta)
            self.eta.blockSignals(False)
        typed = d.net.sizes[0] <= TYPED_INPUT_MAX
        for field in (self.x_field, self.y_field):
            field.setVisible(typed)
            self.form.labelForField(field).setVisible(typed)
        if typed:
            if not self.x_field.hasFocus():
                self.x_field.setText(_values_text(d.x) if d.x is not None else "")
            if not self.y_field.hasFocus():
                self.y_field.setText(_values_text(d.target) if d.target is not None else "")
        example = ""
        if d.examples is not None:
            ds = d.examples
            target = ("the label's one-hot vector" if ds.is_classification
                      else "the sample's own target")
            plural = "" if len(ds) == 1 else "s"
            example = (f"Example: {d.input_description}. [ and ] step through {ds.name} "
                       f"({len(ds):,} sample{plural}); the target y is {target}.")
        self.example_label.setText(example)
        self.example_label.setVisible(bool(example))
        if walk is None:
            if d.walk_problem and (d.stepping or d.locked_reason):
                self.stage_label.setText("Cannot step yet")
                self.message.setText(d.walk_problem)
            else:
                self.stage_label.setText("Not stepping")
                self.message.setText("")
            self.error_label.setText("Press → , Space or Page Down to walk this input through "
                                     "the network, one layer at a time.")
            return
        self.message.setText("")
        stage = walk.stage
        self.stage_label.setText(f"Stage {walk.index + 1} of {len(walk.stages)}: {stage.title}")
        lines = []
        if walk.error_known:
            lines.append(f"E = {walk.E_before:.6g}")
        if walk.updated:
            lines.append(update_text(walk.E_before, walk.E_after, walk.eta))
        self.error_label.setText("\n".join(lines) or "E is not computed yet: the forward pass "
                                                     "comes first.")
