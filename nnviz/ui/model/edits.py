"""Edits by hand, each one undoable step: a weight, a bias, a neuron's incoming weights, a whole
layer, switching a neuron off or resetting it, and a "teach" step on one example. Part of the
Document (a mixin): every method checks, builds the command and pushes it; nothing here writes
the network itself."""

from __future__ import annotations

import numpy as np

from ...core import edits
from ...core.notation import format_value, weight_name
from .commands import EditParameters, Patch, SetParameters, copy_parameters
from .selection import Change


class HandEdits:
    """The Document's edits by hand (see the module docstring)."""

    def begin_gesture(self) -> int:
        """A token for the edits of one drag, wheel turn or paint stroke: edits made with the
        same token on the same entries merge into one undo step."""
        self._gestures += 1
        return self._gestures

    def _patch(self, kind: str, layer: int, index, new) -> Patch:
        if not 1 <= layer <= self.net.L:
            raise ValueError(f"there is no layer {layer} with weights (1…{self.net.L})")
        arr = (self.net.weights if kind == "w" else self.net.biases)[layer - 1]
        old = np.array(arr[index], dtype=float, copy=True)
        new = np.broadcast_to(np.asarray(new, dtype=float), old.shape).copy()
        return Patch(kind, layer, index, old, new)

    def edit(self, patches: list[Patch], text: str, gesture: int | None = None) -> None:
        """Apply ``patches`` as one undoable step named ``text`` (PermissionError while
        locked; nothing is pushed if no value changes)."""
        self._check_editable()
        if all(np.array_equal(p.old, p.new) for p in patches) and gesture is None:
            return
        self._push(EditParameters(self, patches, text, gesture))

    def set_weight(self, layer: int, j: int, k: int, value, gesture: int | None = None) -> None:
        """w^layer_jk = value (finite, within ±edits.MAX_ABS; ValueError otherwise)."""
        v = edits.check_value(value, "a weight")
        self.edit([self._patch("w", layer, (j, k), v)],
                  f"Set {weight_name(layer, j, k)} to {format_value(v)}", gesture)

    def set_bias(self, layer: int, j: int, value, gesture: int | None = None) -> None:
        """b^layer_j = value (finite, within ±edits.MAX_ABS; ValueError otherwise)."""
        v = edits.check_value(value, "a bias")
        self.edit([self._patch("b", layer, (j,), v)],
                  f"Set {weight_name(layer, j, kind='b')} to {format_value(v)}", gesture)

    def set_values(self, entries, gesture: int | None = None) -> None:
        """Several weights and biases at once, one undoable step: ``entries`` are (kind,
        layer, j, k, value) with kind "w" (k the source neuron) or "b" (k None); each value
        checked as ``set_weight`` checks it."""
        patches, names = [], []
        for kind, layer, j, k, value in entries:
            v = edits.check_value(value, "a weight" if kind == "w" else "a bias")
            patches.append(self._patch(kind, layer, (j, k) if kind == "w" else (j,), v))
            names.append(f"{weight_name(layer, j, k, kind=kind)} to {format_value(v)}")
        self.edit(patches, "Set " + " and ".join(names), gesture)

    def set_incoming(self, layer: int, j: int, weights, text: str = "",
                     gesture: int | None = None) -> None:
        """Neuron j's incoming weights w^layer_j· (shape (n_(layer−1),)), all checked."""
        row = np.asarray(weights, dtype=float)
        if row.shape != (self.net.sizes[layer - 1],):
            raise ValueError(f"neuron {j} of layer {layer} has {self.net.sizes[layer - 1]} "
                             f"incoming weights, got {row.size}")
        if not np.isfinite(row).all() or np.abs(row).max(initial=0) > edits.MAX_ABS:
            raise ValueError(f"weights must be finite and within ±{edits.MAX_ABS:g}")
        self.edit([self._patch("w", layer, (j, slice(None)), row)],
                  text or f"Set the weights into neuron {j} of layer {layer}", gesture)

    def layer_action(self, layer: int, action: str, amount: float = 1.0,
                     seed: int | None = None) -> None:
        """Randomise, scale, zero or add noise to layer ``layer``'s weights and biases."""
        w, b = edits.layer_action(self.net, layer, action, amount, seed)
        what = {"scale": f" by {format_value(amount)}", "noise": f" (σ = {amount:g})"}
        self.edit([self._patch("w", layer, (slice(None), slice(None)), w),
                   self._patch("b", layer, (slice(None),), b)],
                  f"{edits.LAYER_ACTIONS[action]} layer {layer}{what.get(action, '')}")

    def switch_off(self, layer: int, j: int) -> None:
        """Ablate neuron j of ``layer``: zero the weights it feeds into the next layer."""
        w = edits.switched_off(self.net, layer, j)
        self.edit([self._patch("w", layer + 1, (slice(None), j), w[:, j])],
                  f"Switch off neuron {j} of layer {layer}")

    def reset_neuron(self, layer: int, j: int) -> None:
        """Neuron j's bias, incoming and outgoing weights as they were before edits by hand
        (when the network was made, loaded or last trained)."""
        bw, bb = self.baseline
        patches = []
        if layer >= 1:
            patches += [self._patch("w", layer, (j, slice(None)), bw[layer - 1][j]),
                        self._patch("b", layer, (j,), bb[layer - 1][j])]
        if layer < self.net.L:
            patches.append(self._patch("w", layer + 1, (slice(None), j), bw[layer][:, j]))
        self.edit(patches, f"Reset neuron {j} of layer {layer}")

    def _apply_patches(self, changes) -> None:
        """Write (Patch, values) pairs into the network; for the undo commands."""
        with self._changing():
            for p, values in changes:
                arr = (self.net.weights if p.kind == "w" else self.net.biases)[p.layer - 1]
                arr[p.index] = values
            self._recompute()
            self._restart_walk()
            self._note(Change.PARAMETERS)

    def teach(self, x, y, eta: float, text: str) -> None:
        """One gradient-descent step on the single example (x, y) with learning rate η, as one
        undoable step named ``text``. PermissionError while locked; ValueError for bad sizes
        or η (nothing changed)."""
        self._check_editable()
        x = self._check_input(x)
        y = self._check_target(y)
        after = self.net.gradient_step(x, y, eta)
        before = copy_parameters(self.net.weights, self.net.biases)
        self._push(SetParameters(self, before, after, text, learned=True))
