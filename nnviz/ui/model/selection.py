"""What the user picked, what changed, and what the edges show: the small value types that the
document and every view share."""

from __future__ import annotations

import enum
from dataclasses import dataclass

#: What the graph's edges can show, with the legend's words for each.
EDGE_QUANTITIES = {"w": "weights w", "grad": "gradients ∂E/∂w",
                   "step": "pending Δw = −η ∂E/∂w"}
#: What the user can choose the edges to show: one of EDGE_QUANTITIES always, or "auto", as the
#: walk goes (∂E/∂w at the gradients stage, w at every other).
EDGE_CHOICES = {"auto": "auto: ∂E/∂w at the gradients", **EDGE_QUANTITIES}


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


class Change(enum.Flag):
    """What one change of the document touched: the payload of ``Document.changed``, emitted
    exactly once per change (an edit made while stepping is PARAMETERS | WALK in one signal, so
    a view that shows both redraws once)."""

    NONE = 0
    NETWORK = enum.auto()  # a different network object (its structure may differ): rebuild
    PARAMETERS = enum.auto()  # weights or biases changed in place (and so the trace)
    INPUT = enum.auto()  # the current input or its target (and so the trace)
    EXAMPLES = enum.auto()  # the data set the inputs are drawn from
    SELECTION = enum.auto()
    WALK = enum.auto()  # stepping started or stopped, the walk moved, restarted or changed η
    LOCK = enum.auto()  # the network became locked (training) or unlocked
    DATASET = enum.auto()  # the network's own training / test data
    FILE = enum.auto()  # the title or the file path
    DISPLAY = enum.auto()  # what the edges show (w, ∂E/∂w, Δw)

    #: Everything a view that draws the network's numbers must redraw for.
    VALUES = NETWORK | PARAMETERS | INPUT | WALK
