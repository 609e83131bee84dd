"""The document: the one owner of the network, the current input and the selection.

Views ask the document to change things; it changes the model and announces it with exactly one
signal; views redraw on those signals (GUIDE §1). Nothing else writes weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ...constants import STEP_ETA, mnist_image_shape
from ...core import Network, Trace
from ...data.dataset import Dataset
from ...core.stepper import Walk
from ...core import edits
from ...core.notation import format_value, weight_name
from .commands import EditParameters, Patch, ReplaceNetwork, SetParameters



@dataclass(frozen=True)
class Selection:
    """What the user picked in a view.

    kind "neuron": neuron j of layer ``layer`` (0 = input). kind "edge": the weight w^layer_jk
    (from neuron k of layer−1 to neuron j of layer). kind "bias": the bias b^layer_j (the edge from
    layer−1's "+1" to neuron j).
    """

    kind: str
    layer: int
    j: int
    k: int | None = None

    def describe(self) -> str:
        if self.kind == "edge":
            return f"w^{self.layer}_{self.j},{self.k}"
        if self.kind == "bias":
            return f"b^{self.layer}_{self.j}"
        return f"neuron {self.j} of layer {self.layer}"


class Document(QObject):
    """Owns a Network, the current input x with its forward trace, and the selection."""

    networkReplaced = Signal()  # a different network (structure may differ): rebuild views
    parametersChanged = Signal()  # weights or biases changed in place
    inputChanged = Signal()  # the current input (and so the trace) changed
    selectionChanged = Signal(object)  # Selection or None
    walkChanged = Signal()  # stepping started/stopped, the walk moved, restarted or changed η
    lockChanged = Signal(str)  # why the network cannot be changed by hand now ("" = it can)
    datasetChanged = Signal()  # the network's own training/test data changed (same network)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.net: Network = Network([2, 3, 1], seed=0)
        self.title = "2-3-1"
        self.caption = ""
        self.preset_key: str | None = None
        self.input_shape: tuple[int, int] | None = None
        self.input_labels: tuple[str, ...] | None = None
        self.output_labels: tuple[str, ...] | None = None
        self.x: np.ndarray | None = None
        self.input_description = ""
        self.trace: Trace | None = None
        self.selection: Selection | None = None
        self.examples: Dataset | None = None
        self.example_index = 0
        self.target: np.ndarray | None = None  # y for the current input, when known
        # Stepping: the walk of (x, target) through the passes; None when not stepping.
        self.stepping = False
        self.walk: Walk | None = None
        self.walk_problem = ""  # why stepping cannot start, in plain words
        self.step_eta = STEP_ETA
        self.locked_reason = ""  # e.g. training is running
        self.preset_dataset: Dataset | None = None  # a small preset's own data (e.g. XOR)
        self.test_dataset: Dataset | None = None  # held-out data of the same problem, if any
        self.training_hint = None  # a TrainConfig that suits the own data, or None
        # Every change to the parameters that should be undoable goes through this stack.
        self.undo_stack = QUndoStack(self)
        self.baseline: tuple | None = None  # parameters before any edit by hand (for "reset")
        self.path: str | None = None  # the file the network was opened from or saved to
        self._gestures = 0

    # -- the network -------------------------------------------------------------------------
    def set_network(self, net: Network, title: str = "", caption: str = "",
                    input_shape=None, example=None, preset_key=None,
                    input_labels=None, output_labels=None, target=None,
                    dataset: Dataset | None = None, test: Dataset | None = None,
                    hint=None) -> None:
        """Replace the network (and its input); emits networkReplaced once. ``dataset``: the
        network's own small training set (presets such as XOR), ``test`` its held-out part,
        ``hint`` a TrainConfig that suits them. PermissionError while locked; ValueError (nothing
        changed) for data that does not fit the network."""
        if self.locked_reason:
            raise PermissionError(self.locked_reason)
        for ds in (dataset, test):
            self._check_fits(ds, net)
        self.undo_stack.clear()  # its commands hold another network's arrays
        self.net = net
        self.path = None
        self._set_baseline()
        self.title = title or "-".join(map(str, net.sizes))
        self.caption = caption
        self.preset_key = preset_key
        self.input_shape = input_shape
        self.input_labels, self.output_labels = input_labels, output_labels
        self.preset_dataset, self.test_dataset, self.training_hint = dataset, test, hint
        self.selection = None
        if self.examples is not None and self.examples.n_inputs != net.sizes[0]:
            self.examples = None
        self.x, self.input_description, self.target = None, "", None
        if example is not None:
            self.x = np.asarray(example, dtype=float)
            self.input_description = "x = (" + ", ".join(f"{v:g}" for v in self.x) + ")"
            if target is not None and len(target) == net.sizes[-1]:
                self.target = np.asarray(target, dtype=float)
        elif self.examples is not None:
            self._take_example(self.example_index)
        self._recompute()
        self._restart_walk(emit=False)
        self.networkReplaced.emit()
        self.walkChanged.emit()

    @staticmethod
    def _check_fits(ds: Dataset | None, net: Network) -> None:
        if ds is not None and (ds.n_inputs, ds.n_outputs) != (net.sizes[0], net.sizes[-1]):
            raise ValueError(f"{ds.name} has {ds.n_inputs} inputs and {ds.n_outputs} outputs, "
                             f"but the network is {'-'.join(map(str, net.sizes))}")

    def set_dataset(self, train: Dataset | None, test: Dataset | None = None,
                    hint=None) -> None:
        """New own data for the same network (a point added, another toy problem, a new
        target): weights, input and undo history stay; emits datasetChanged. PermissionError
        while locked (a run trains on its own copy); ValueError if the data does not fit."""
        if self.locked_reason:
            raise PermissionError(self.locked_reason)
        for ds in (train, test):
            self._check_fits(ds, self.net)
        self.preset_dataset, self.test_dataset = train, test
        if hint is not None or train is None:
            self.training_hint = hint
        self.datasetChanged.emit()

    def change_structure(self, net: Network, text: str) -> None:
        """Replace the network by ``net``, made from it by a change of structure (a neuron or
        layer added or removed, another activation), as one undoable step named ``text``. The
        data, input and title style stay. PermissionError while locked; ValueError if the new
        network does not take the same inputs and give the same outputs."""
        if self.locked_reason:
            raise PermissionError(self.locked_reason)
        if (net.sizes[0], net.sizes[-1]) != (self.net.sizes[0], self.net.sizes[-1]):
            raise ValueError("a change of structure keeps the input and output layers")
        self.undo_stack.push(ReplaceNetwork(self, self.net, net, text))

    def install_network(self, net: Network) -> None:
        """Put ``net`` (same input and output sizes) in place of the current network, keeping
        data, input and target; for the undo commands. Emits networkReplaced."""
        auto_title = self.title == "-".join(map(str, self.net.sizes))
        self.net = net
        self._set_baseline()
        if auto_title:
            self.title = "-".join(map(str, net.sizes))
        if self.selection is not None:
            try:
                self._check_selection(self.selection)
            except ValueError:
                self.selection = None
        self._recompute()
        self._restart_walk(emit=False)
        self.networkReplaced.emit()
        self.walkChanged.emit()

    def load_preset(self, key: str) -> None:
        from ...core.presets import get_preset

        p = get_preset(key)
        shape = mnist_image_shape(p.build().sizes[0]) if p.example is None else None
        self.set_network(p.build(), p.title, p.caption, shape, p.example, key,
                         p.input_labels, p.output_labels, p.target,
                         p.dataset() if p.dataset is not None else None)

    def set_parameters(self, weights, biases, locked_ok: bool = False) -> None:
        """New values for all weights and biases (same shapes); emits parametersChanged.
        A walk in progress restarts from the new parameters. While the document is locked
        (training) only the lock's owner may do this (``locked_ok``); others get a
        PermissionError naming the reason."""
        if self.locked_reason and not locked_ok:
            raise PermissionError(self.locked_reason)
        self.net.set_parameters(weights, biases)
        self._recompute()
        self.parametersChanged.emit()
        self._restart_walk()

    def record_parameters(self, before, text: str) -> None:
        """Make the change from ``before`` (weights, biases) to the current parameters, already
        made (by training, by a gradient step), one undoable step named ``text``. Nothing is
        recorded if the parameters did not change."""
        after = (self.net.weights, self.net.biases)
        same = all(np.array_equal(x, y) for old, new in zip(before, after)
                   for x, y in zip(old, new))
        if not same:
            self.undo_stack.push(SetParameters(self, before, after, text, applied=True))
            self._set_baseline()  # learning is not an edit: "reset" goes back to here

    def _set_baseline(self) -> None:
        self.baseline = ([w.copy() for w in self.net.weights],
                         [b.copy() for b in self.net.biases])

    # -- edits by hand (each one undoable step) ----------------------------------------------
    def begin_gesture(self) -> int:
        """A token for the edits of one drag, wheel turn or paint stroke: edits made with the
        same token on the same entries merge into one undo step."""
        self._gestures += 1
        return self._gestures

    def _check_editable(self) -> None:
        if self.locked_reason:
            raise PermissionError(self.locked_reason)

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
        self.undo_stack.push(EditParameters(self, patches, text, gesture))

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

    def apply_patches(self, changes) -> None:
        """Write (Patch, values) pairs into the network; for the undo commands. Emits
        parametersChanged once and restarts a walk in progress."""
        for p, values in changes:
            arr = (self.net.weights if p.kind == "w" else self.net.biases)[p.layer - 1]
            arr[p.index] = values
        self._recompute()
        self.parametersChanged.emit()
        self._restart_walk()

    def undo(self) -> None:
        """Undo the last change (PermissionError while locked, nothing changed)."""
        if self.locked_reason:
            raise PermissionError(self.locked_reason)
        self.undo_stack.undo()

    def redo(self) -> None:
        if self.locked_reason:
            raise PermissionError(self.locked_reason)
        self.undo_stack.redo()

    def teach(self, x, y, eta: float, text: str) -> None:
        """One gradient-descent step on the single example (x, y) with learning rate η, as one
        undoable step named ``text``. PermissionError while locked; ValueError for bad sizes
        or η (nothing changed)."""
        if self.locked_reason:
            raise PermissionError(self.locked_reason)
        x = self._check_input(x)
        y = self._check_target(y)
        after = self.net.gradient_step(x, y, eta)
        before = ([w.copy() for w in self.net.weights], [b.copy() for b in self.net.biases])
        self.undo_stack.push(SetParameters(self, before, after, text))

    def predict(self, x) -> np.ndarray:
        """The network's outputs a^L for an input x of shape (n_0,), without making it the
        current input (ValueError for a wrong size or non-finite values)."""
        return self.net.feedforward(self._check_input(x))

    # -- the input ---------------------------------------------------------------------------
    def set_input(self, x, description: str = "", target=None) -> None:
        """Make x (shape (n_0,)) the current input, with its target y (shape (n_L,)) if given;
        emits inputChanged. Raises ValueError (nothing changed) for wrong sizes or non-finite
        values."""
        x = self._check_input(x)
        y = None if target is None else self._check_target(target)
        self.x, self.input_description, self.target = x, description, y
        self._recompute()
        self.inputChanged.emit()
        self._restart_walk()

    def _check_input(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if x.shape != (self.net.sizes[0],):
            raise ValueError(f"the input needs {self.net.sizes[0]} values, got {x.size}")
        if not np.isfinite(x).all():
            raise ValueError("input values must be finite numbers")
        return x

    def set_target(self, target) -> None:
        """The target y for the current input (shape (n_L,)); restarts a walk in progress."""
        self.target = None if target is None else self._check_target(target)
        self._restart_walk()

    def _check_target(self, target) -> np.ndarray:
        y = np.asarray(target, dtype=float).reshape(-1)
        if y.shape != (self.net.sizes[-1],):
            raise ValueError(f"the target needs {self.net.sizes[-1]} values, got {y.size}")
        if not np.isfinite(y).all():
            raise ValueError("target values must be finite numbers")
        return y

    def set_examples(self, dataset: Dataset | None) -> None:
        """A data set to draw inputs from (e.g. MNIST test digits) if it fits the network."""
        if dataset is not None and dataset.n_inputs != self.net.sizes[0]:
            return
        self.examples = dataset
        if dataset is not None and self.x is None:
            self.show_example(self.example_index)

    def show_example(self, index: int) -> None:
        if self.examples is None or len(self.examples) == 0:
            return
        self._take_example(index)
        self._recompute()
        self.inputChanged.emit()
        self._restart_walk()

    def step_example(self, delta: int) -> None:
        self.show_example(self.example_index + delta)

    def _take_example(self, index: int) -> None:
        ds = self.examples
        self.example_index = index % len(ds)
        self.x = ds.inputs(self.example_index)
        self.target = ds.targets(self.example_index).reshape(-1)
        label = ""
        if ds.is_classification:
            label = f", label {int(ds.y[self.example_index])}"
        self.input_description = f"{ds.name} #{self.example_index}{label}"

    def _recompute(self) -> None:
        self.trace = self.net.forward(self.x) if self.x is not None else None

    # -- locking -----------------------------------------------------------------------------
    def lock(self, reason: str) -> None:
        """Refuse changes to the network by hand (and stepping) until ``unlock``."""
        self.stop_stepping()
        self.locked_reason = reason
        self.lockChanged.emit(reason)

    def unlock(self) -> None:
        if self.locked_reason:
            self.locked_reason = ""
            self.lockChanged.emit("")

    # -- stepping --------------------------------------------------------------------------
    def start_stepping(self) -> bool:
        """Begin a walk of the current input and target at its first stage. Returns False (and
        sets ``walk_problem``) when there is nothing to step through yet."""
        if self.locked_reason:
            self.walk_problem = f"Cannot step now: {self.locked_reason}."
            self.walkChanged.emit()
            return False
        self.stepping = True
        self._restart_walk()
        return self.walk is not None

    def stop_stepping(self) -> None:
        """Leave stepping. At the update stage the updated parameters stay: the step was taken,
        as one undoable step."""
        if not self.stepping:
            return
        walk = self.walk
        self.stepping, self.walk = False, None
        if walk is not None and walk.updated:
            self.record_parameters(walk.params_before, f"Gradient step (η = {walk.eta:g})")
        self.walkChanged.emit()

    def walk_go(self, index: int) -> None:
        """Move the walk to stage ``index`` (starting stepping if needed). Entering the update
        stage puts w − η∂E/∂w into the network; leaving it restores the exact old arrays."""
        if self.walk is None and not self.start_stepping():
            return
        walk = self.walk
        was_updated = walk.updated
        walk.go(index)
        if walk.updated != was_updated:
            self._apply_walk_parameters()
        self.walkChanged.emit()

    def walk_step(self, delta: int) -> None:
        if self.walk is None:
            self.start_stepping()
            return
        self.walk_go(self.walk.index + delta)

    def set_step_eta(self, eta: float) -> None:
        """η of the update stage (finite, > 0; ValueError otherwise, nothing changed)."""
        eta = float(eta)
        if not np.isfinite(eta) or eta <= 0:
            raise ValueError(f"η must be a positive number, got {eta:g}")
        self.step_eta = eta
        if self.walk is not None:
            self.walk.set_eta(eta)
            if self.walk.updated:
                self._apply_walk_parameters()
            self.walkChanged.emit()

    def _apply_walk_parameters(self) -> None:
        w, b = self.walk.params_after if self.walk.updated else self.walk.params_before
        self.net.set_parameters(w, b)  # copies: the walk's arrays stay untouched
        self._recompute()
        self.parametersChanged.emit()

    def _restart_walk(self, emit: bool = True) -> None:
        if not self.stepping:
            return
        self.walk, self.walk_problem = None, ""
        if self.x is None:
            self.walk_problem = "There is no input to step through yet."
        elif self.target is None:
            self.walk_problem = ("Give a target y for this input: the backward pass needs "
                                 "the error a^L − y.")
        else:
            self.walk = Walk(self.net, self.x, self.target, self.step_eta)
        if emit:
            self.walkChanged.emit()

    # -- selection ---------------------------------------------------------------------------
    def select(self, selection: Selection | None) -> None:
        """Select a neuron, edge or bias (ValueError if it is not in the network)."""
        if selection is not None:
            self._check_selection(selection)
        if selection != self.selection:
            self.selection = selection
            self.selectionChanged.emit(selection)

    def _check_selection(self, sel: Selection) -> None:
        sizes, L = self.net.sizes, self.net.L
        lowest = 0 if sel.kind == "neuron" else 1
        ok = sel.kind in ("neuron", "edge", "bias") and lowest <= sel.layer <= L
        ok = ok and 0 <= sel.j < sizes[sel.layer]
        if ok and sel.kind == "edge":
            ok = sel.k is not None and 0 <= sel.k < sizes[sel.layer - 1]
        if not ok:
            raise ValueError(f"there is no {sel.describe()} in a {'-'.join(map(str, sizes))} "
                             "network")

    # -- values for display (all computed by the core) ---------------------------------------
    def activations(self, layer: int) -> np.ndarray | None:
        return None if self.trace is None else self.trace.a[layer]

    def weighted_inputs(self, layer: int) -> np.ndarray | None:
        return None if self.trace is None or layer == 0 else self.trace.z[layer]
