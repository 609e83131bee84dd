"""The document: the one owner of the network, the current input and the selection.

Views ask the document to change things; it changes the model and announces it with exactly one
signal; views redraw on those signals (GUIDE §1). Nothing else writes weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from ..core import Network, Trace
from ..core.dataset import Dataset


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

    # -- the network -------------------------------------------------------------------------
    def set_network(self, net: Network, title: str = "", caption: str = "",
                    input_shape=None, example=None, preset_key=None,
                    input_labels=None, output_labels=None) -> None:
        """Replace the network (and its input); emits networkReplaced once."""
        self.net = net
        self.title = title or "-".join(map(str, net.sizes))
        self.caption = caption
        self.preset_key = preset_key
        self.input_shape = input_shape
        self.input_labels, self.output_labels = input_labels, output_labels
        self.selection = None
        if self.examples is not None and self.examples.n_inputs != net.sizes[0]:
            self.examples = None
        self.x, self.input_description = None, ""
        if example is not None:
            self.x = np.asarray(example, dtype=float)
            self.input_description = "x = (" + ", ".join(f"{v:g}" for v in self.x) + ")"
        elif self.examples is not None:
            self._take_example(self.example_index)
        self._recompute()
        self.networkReplaced.emit()

    def load_preset(self, key: str) -> None:
        from ..core.presets import get_preset

        p = get_preset(key)
        shape = (28, 28) if p.example is None and p.build().sizes[0] == 784 else None
        self.set_network(p.build(), p.title, p.caption, shape, p.example, key,
                         p.input_labels, p.output_labels)

    def set_parameters(self, weights, biases) -> None:
        """New values for all weights and biases (same shapes); emits parametersChanged."""
        self.net.set_parameters(weights, biases)
        self._recompute()
        self.parametersChanged.emit()

    # -- the input ---------------------------------------------------------------------------
    def set_input(self, x, description: str = "") -> None:
        """Make x (shape (n_0,)) the current input; emits inputChanged."""
        x = np.asarray(x, dtype=float)
        if x.shape != (self.net.sizes[0],):
            raise ValueError(f"input must have {self.net.sizes[0]} values, got shape {x.shape}")
        if not np.isfinite(x).all():
            raise ValueError("input values must be finite numbers")
        self.x, self.input_description = x, description
        self._recompute()
        self.inputChanged.emit()

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

    def step_example(self, delta: int) -> None:
        self.show_example(self.example_index + delta)

    def _take_example(self, index: int) -> None:
        ds = self.examples
        self.example_index = index % len(ds)
        self.x = ds.inputs(self.example_index)
        label = ""
        if ds.is_classification:
            label = f", label {int(ds.y[self.example_index])}"
        self.input_description = f"{ds.name} #{self.example_index}{label}"

    def _recompute(self) -> None:
        self.trace = self.net.forward(self.x) if self.x is not None else None

    # -- selection ---------------------------------------------------------------------------
    def select(self, selection: Selection | None) -> None:
        if selection != self.selection:
            self.selection = selection
            self.selectionChanged.emit(selection)

    # -- values for display (all computed by the core) ---------------------------------------
    def activations(self, layer: int) -> np.ndarray | None:
        return None if self.trace is None else self.trace.a[layer]

    def weighted_inputs(self, layer: int) -> np.ndarray | None:
        return None if self.trace is None or layer == 0 else self.trace.z[layer]
