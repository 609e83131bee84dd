"""What the Landscape panel draws the slice of: the network, the example(s), η and the phase of
the walk, read from the document; and the steady range of each parameter's axis. No learning
maths here: the slice itself is the core's (``core.landscape``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.landscape import Parameter, default_range
from ...core.network import Network
from ..model.selection import Selection

#: The phases: no walk ("free"), a walk before its gradients are known ("forward"), at the
#: gradients stage ("gradients"), at the update stage ("update"), a training run ("training").
PHASES = ("free", "forward", "gradients", "update", "training")


def parameter_of(sel: Selection | None) -> Parameter | None:
    """The weight or bias a selection names (None for a neuron or nothing)."""
    if sel is None or sel.kind == "neuron":
        return None
    return Parameter("w" if sel.kind == "edge" else "b", sel.layer, sel.j, sel.k)


@dataclass
class Source:
    """The slice's data: ``net`` (the document's network, or a copy holding the walk's
    parameters before its update), inputs x and targets y (one example or a batch), η, the
    phase and, at the update stage, E after the real update of every parameter."""

    net: Network
    x: np.ndarray
    y: np.ndarray
    eta: float
    phase: str
    samples: int = 1  # examples E is the mean over
    real_E_after: float | None = None


def source_of(doc, samples: int = 1) -> Source | str:
    """The Source for the document as it is, or why there is none (a sentence). ``samples`` > 1:
    E over the first that many of the document's examples (the walk is then not followed)."""
    if samples > 1:
        ds = doc.examples
        if ds is None or len(ds) == 0:
            return "There are no examples to average over: choose “this example”."
        n = min(samples, len(ds))
        phase = "training" if doc.locked_reason else "free"
        return Source(doc.net, ds.inputs(slice(0, n)), ds.targets(slice(0, n)).reshape(n, -1),
                      doc.step_eta, phase, n)
    walk = doc.walk
    if walk is not None:
        if walk.updated:
            net = doc.net.copy()
            net.set_parameters(*walk.params_before)
            return Source(net, walk.x, walk.y, walk.eta, "update",
                          real_E_after=walk.E_after)
        phase = "gradients" if walk.gradients_known else "forward"
        return Source(doc.net, walk.x, walk.y, walk.eta, phase)
    if doc.x is None:
        return "There is no input yet: choose or draw one."
    if doc.target is None:
        return "Give the input a target y: E needs it."
    try:
        doc.net.cost_function.check_target(doc.target)
    except ValueError as exc:
        return f"{str(exc)[:1].upper()}{str(exc)[1:]}."
    return Source(doc.net, doc.x, doc.target, doc.step_eta,
                  "training" if doc.locked_reason else "free")


class SteadySpan:
    """The axis range of one parameter: decided around its value when it is chosen, kept while
    the value (and the step's end) stay inside, so that dragging the point moves it along a
    curve that stays put; an end moves out only when something leaves the range."""

    def __init__(self) -> None:
        self.of: Parameter | None = None
        self.lo = self.hi = 0.0

    def update(self, param: Parameter, value: float, *inside: float) -> tuple[float, float]:
        """The range for ``param`` at ``value``, widened to hold the finite values ``inside``
        (the step's end)."""
        if param != self.of:
            r = default_range(value)
            self.of, self.lo, self.hi = param, value - r, value + r
        for v in (value, *inside):
            if not np.isfinite(v):
                continue
            margin = 0.1 * (self.hi - self.lo)
            if v < self.lo:
                self.lo = v - margin
            elif v > self.hi:
                self.hi = v + margin
        return self.lo, self.hi

    def recentre(self) -> None:
        """Forget the range: the next update centres it on the value again."""
        self.of = None
