"""Editing the 2-D network from its maps (a mixin of PlaygroundPanel), as the graph's nudges
do: the wheel over a hidden neuron's map, or over the output map, moves that neuron's bias b
(its boundary shifts: the map's colours slide across the plane); Ctrl+wheel scales its incoming
weights (a sharper or a softer edge, the same boundary). Each burst of wheel turns on one neuron
is one undo step, through the document's edits (``set_bias`` / ``set_incoming`` with a gesture
token). A click on a hidden neuron's map selects it (the graph and the Inspector show it)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QElapsedTimer, Qt

from ...core.edits import MAX_ABS
from ...core.notation import format_value, weight_name
from ..model.selection import Selection

#: A wheel notch moves the bias by this fraction of max(|b|, 1) (Shift: a tenth of it), or
#: scales the incoming weights by this factor (Shift: its tenth root).
BIAS_STEP = 0.1
SCALE_STEP = 1.1
#: Wheel turns further apart than this (ms) are separate undo steps.
BURST_MS = 800


class PlaygroundEdits:
    """The wheel and click gestures on the PlaygroundPanel's maps."""

    def _init_edits(self) -> None:
        self._wheel_gesture: int | None = None
        self._wheel_what: tuple | None = None  # (layer, j, kind) the burst edits
        self._wheel_scale = 1.0  # max(|b|, 1) when the burst began
        self._wheel_clock = QElapsedTimer()
        self.neurons.neuronClicked.connect(self.select_neuron)
        self.neurons.neuronWheeled.connect(self.wheel_neuron)
        self.output.wheeled.connect(lambda notches, mods: self.wheel_neuron(
            self.doc.net.L, 0, notches, mods))

    def select_neuron(self, layer: int, j: int) -> None:
        self.doc.select(Selection("neuron", layer, j))

    def _show_selection(self) -> None:
        sel, L = self.doc.selection, self.doc.net.L
        self.neurons.selected = (sel.layer, sel.j) if (
            sel is not None and sel.kind == "neuron" and 1 <= sel.layer < L) else None
        self.neurons.update()

    def wheel_neuron(self, layer: int, j: int, notches: float, modifiers) -> bool:
        """Turn the wheel ``notches`` over neuron j of ``layer``: its bias moves, or (Ctrl) its
        incoming weights are scaled; one undo step per burst. False if refused."""
        net = self.doc.net
        if not (1 <= layer <= net.L and 0 <= j < net.sizes[layer]) or not notches:
            return False
        scale = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        fine = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        what = (layer, j, "w" if scale else "b")
        if (self._wheel_gesture is None or what != self._wheel_what
                or self._wheel_clock.elapsed() > BURST_MS):
            self._wheel_gesture, self._wheel_what = self.doc.begin_gesture(), what
            self._wheel_scale = max(abs(float(net.biases[layer - 1][j])), 1.0)
        self._wheel_clock.start()
        gesture = self._wheel_gesture

        def change():
            n = self.doc.net
            if scale:
                factor = (SCALE_STEP ** (0.1 if fine else 1.0)) ** notches
                row = np.clip(n.weights[layer - 1][j] * factor, -MAX_ABS, MAX_ABS)
                self.doc.set_incoming(layer, j, row, f"Scale the weights into "
                                      f"{weight_name(layer, j, kind='a')} by {factor:.3g}",
                                      gesture=gesture)
            else:
                step = BIAS_STEP * self._wheel_scale * (0.1 if fine else 1.0)
                value = float(np.clip(n.biases[layer - 1][j] + notches * step, -MAX_ABS,
                                      MAX_ABS))
                self.doc.set_bias(layer, j, value, gesture=gesture)
        if not self._change(change, "edit the network"):
            return False
        b = self.doc.net.biases[layer - 1][j]
        self.status.setText(f"{weight_name(layer, j, kind='b')} = {format_value(b)}" if not scale
                            else f"weights into {weight_name(layer, j, kind='a')} scaled")
        return True
