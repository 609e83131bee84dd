"""Nudging the selected weight or bias on the graph: a wheel turn or a vertical drag over it
changes its value, one undo step per gesture (a drag, or a burst of wheel turns) through the
document. The step is a fraction of max(|value|, 1), taken when the gesture starts, so a weight
of 20 goes to 0 in 100 pixels as a weight of 0.2 goes to 0 in 20 (Shift: ten times finer, Ctrl:
ten times coarser). A mixin of NetworkGraphView: it uses the view's ``doc``, ``vb``, ``item_at`` and
``hovered``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QElapsedTimer, Qt
from PySide6.QtWidgets import QToolTip

from ...core.edits import MAX_ABS
from ...core.notation import format_value, weight_name
from ..model.selection import Selection


class NudgeGestures:
    """The wheel and drag gestures of NetworkGraphView that nudge the selected weight or bias."""

    #: A wheel notch changes the value by this fraction of max(|value|, 1); a drag by this per
    #: pixel (Shift: a tenth of it, Ctrl: ten times it).
    WHEEL_STEP = 0.1
    DRAG_STEP = 0.01

    @staticmethod
    def nudge_step(fraction: float, value: float, modifiers) -> float:
        """The change per wheel notch or drag pixel for a gesture that starts at ``value``."""
        step = fraction * max(abs(value), 1.0)
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            step /= 10
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            step *= 10
        return step

    def _init_nudging(self) -> None:
        """No gesture yet; the view calls this from its ``__init__``."""
        self._drag: dict | None = None  # a drag that nudges the selected weight or bias
        self._wheel_gesture: int | None = None  # one undo step per burst of wheel turns
        self._wheel_scale = 1.0  # max(|value|, 1) when the burst began
        self._wheel_sel: Selection | None = None  # what the burst nudges
        self._wheel_clock = QElapsedTimer()

    def _nudge_target(self, pos) -> Selection | None:
        """The selection, if it is under the widget point ``pos`` and has a value to nudge (an
        edge's weight, a bias, or a neuron's bias)."""
        sel = self.doc.selection
        if sel is None or (sel.kind == "neuron" and sel.layer == 0):
            return None
        p = self.vb.mapSceneToView(self.mapToScene(pos.toPoint()))
        return sel if self.item_at(p.x(), p.y()) == sel else None

    def nudge_value(self, sel: Selection) -> float:
        net = self.doc.net
        if sel.kind == "edge":
            return float(net.weights[sel.layer - 1][sel.j, sel.k])
        return float(net.biases[sel.layer - 1][sel.j])

    def _set_nudged(self, sel: Selection, value: float, gesture: int, where) -> None:
        value = float(np.clip(value, -MAX_ABS, MAX_ABS))
        try:
            if sel.kind == "edge":
                self.doc.set_weight(sel.layer, sel.j, sel.k, value, gesture=gesture)
            else:
                self.doc.set_bias(sel.layer, sel.j, value, gesture=gesture)
        except PermissionError as exc:
            self.hovered.emit(f"Not now: {exc}.")
            return
        name = (weight_name(sel.layer, sel.j, sel.k) if sel.kind == "edge"
                else weight_name(sel.layer, sel.j, kind="b"))
        text = f"{name} = {format_value(self.nudge_value(sel))}"
        self.hovered.emit(text)
        QToolTip.showText(self.mapToGlobal(where.toPoint()), text, self)

    def wheelEvent(self, ev) -> None:
        sel = self._nudge_target(ev.position())
        if sel is None:
            super().wheelEvent(ev)
            return
        notches = ev.angleDelta().y() / 120
        if (self._wheel_gesture is None or self._wheel_clock.elapsed() > 800
                or sel != self._wheel_sel):
            self._wheel_gesture, self._wheel_sel = self.doc.begin_gesture(), sel
            self._wheel_scale = max(abs(self.nudge_value(sel)), 1.0)
        self._wheel_clock.start()
        step = self.nudge_step(self.WHEEL_STEP, self._wheel_scale, ev.modifiers())
        self._set_nudged(sel, self.nudge_value(sel) + notches * step, self._wheel_gesture,
                         ev.position())
        ev.accept()

    def mousePressEvent(self, ev) -> None:
        sel = (self._nudge_target(ev.position())
               if ev.button() == Qt.MouseButton.LeftButton else None)
        if sel is None:
            super().mousePressEvent(ev)
            return
        self._drag = {"sel": sel, "y0": ev.position().y(), "v0": self.nudge_value(sel),
                      "gesture": self.doc.begin_gesture()}
        ev.accept()

    def mouseMoveEvent(self, ev) -> None:
        d = self._drag
        if d is None:
            super().mouseMoveEvent(ev)
            return
        step = self.nudge_step(self.DRAG_STEP, d["v0"], ev.modifiers())
        # Up raises the value, down lowers it.
        self._set_nudged(d["sel"], d["v0"] + (d["y0"] - ev.position().y()) * step,
                         d["gesture"], ev.position())
        ev.accept()

    def mouseReleaseEvent(self, ev) -> None:
        if self._drag is None:
            super().mouseReleaseEvent(ev)
            return
        self._drag = None
        ev.accept()
