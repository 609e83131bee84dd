"""The texts the graph shows, made from the document's values: the labels drawn on it (the
output neurons' names and values, the target; on a small network the numbers on every edge and
neuron, z and δ while stepping), the caption of the band behind the current layer and the
tooltip that describes a neuron, edge or bias.

Pure functions of the document, the layout and the edge items' segments; the view puts the
labels in its LabelsItem.
"""

from __future__ import annotations

import numpy as np

from ...core.notation import format_number, sup
from ..model.document import Document
from ..model.selection import Selection
from .edges import EdgesItem
from .items import Label
from .layout import LayerGeometry


def output_labels(doc: Document, out: LayerGeometry, a_out: np.ndarray | None,
                  numbers: bool, small: bool, s: float) -> list[Label]:
    """The output layer ``out``'s labels: each neuron's name, its value a^L_j (``a_out``,
    None until known) unless ``numbers`` are drawn on the neurons, and the target once the
    walk knows the error. ``small``: the network is small; ``s``: the scale."""
    net, trace, texts, walk = doc.net, doc.trace, [], doc.walk
    fmt = format_number
    names = doc.output_labels or (tuple(map(str, range(10))) if net.sizes[-1] == 10
                                  else None)
    target = doc.target if walk is not None and walk.error_known else None
    if names is not None or target is not None or (trace is not None and not small):
        # Output neurons are labelled: their name, with an input a^L_j, with the error y_j.
        for j, (x, y) in enumerate(out.pos):
            text = names[j] if names is not None else ""
            if a_out is not None and not numbers:
                text += f"  {fmt(a_out[j])}"
            if target is not None:
                if len(target) <= 3:
                    texts.append(Label(x + out.radius + 8 * s, y + 20 * s,
                                       f"target y = {fmt(target[j])}", False, "left"))
                elif target[j] == target.max():
                    text += "   ◀ target"
            if text.strip():
                texts.append(Label(x + out.radius + 8 * s, y, text.strip(), False, "left"))
    return texts


def input_labels(doc: Document, lay: LayerGeometry, s: float) -> list[Label]:
    """The input neurons' names (``doc.input_labels``: a preset's inputs, the playground's
    features x₁², sin x₁, …) left of each of them (under them are z and δ), when the inputs
    are drawn as neurons."""
    names = doc.input_labels
    if not names or lay.image_rect is not None or len(names) != len(lay.pos):
        return []
    return [Label(x - lay.radius - 14 * s, y, name, anchor="right")  # clear of a δ ring
            for name, (x, y) in zip(names, lay.pos)]


def number_labels(doc: Document, layers: list[LayerGeometry], edges: list[EdgesItem],
                  acts: list, edge_values: tuple[list, list], growth: list[float],
                  bias_growth: float, s: float) -> list[Label]:
    """The numbers on a small network: the shown quantity on every edge and bias edge
    (``edge_values``: per-layer weights and biases of it), a on every neuron whose activation
    is known (``acts``), z above it while stepping, δ below it where the walk knows δ.
    ``growth``: how much each layer's radius grew with the scale and ``bias_growth`` the "+1"
    nodes' (the edge labels keep clear of the bigger discs); ``s``: the scale."""
    net, trace, texts, walk = doc.net, doc.trace, [], doc.walk
    fmt = format_number
    edge_w, edge_b = edge_values
    for l, item in enumerate(edges, start=1):
        w = edge_w[l - 1]
        for seg, j, k in zip(item.seg_all, item.j_all, item.k_all):
            x, y = _along(seg, 0.3, growth[l - 1])
            texts.append(Label(x, y, format_number(w[j, k]), thin=True, number=True))
        if item.show_bias and item.bias_seg is not None:
            for j, seg in enumerate(item.bias_seg):
                x, y = _along(seg, 0.55, bias_growth)
                texts.append(Label(x, y, format_number(edge_b[l - 1][j]), thin=True,
                                   number=True))
    for lay in layers:
        a = acts[lay.index]
        if a is None:
            continue
        for j, (x, y) in enumerate(lay.pos):
            texts.append(Label(x, y, fmt(a[j]), _is_strong(a[j], lay.index, net),
                               number=True))
            if walk is not None and lay.index > 0:
                texts.append(Label(x, y - lay.radius - 12 * s,
                                   f"z = {fmt(trace.z[lay.index][j])}", number=True))
    if walk is not None and walk.delta_known is not None:
        for l in range(walk.delta_known, walk.L + 1):
            lay = layers[l]
            for j, (x, y) in enumerate(lay.pos):
                texts.append(Label(x, y + lay.radius + 22 * s,
                                   f"δ = {fmt(walk.grads.delta[l][j])}", number=True))
    return texts


def band_caption(kind: str, layer: int) -> str:
    """The caption under the band behind ``layer`` at a stage of this ``kind``."""
    return {"input": "a⁰ = x", "forward": f"z{sup(layer)}, a{sup(layer)}",
            "error": "E, aᴸ − y",
            "backward": f"δ{sup(layer)}" + (" = ∂E/∂x" if layer == 0 else "")}[kind]


def tooltip_text(doc: Document, sel: Selection, full: bool = True) -> str:
    """Tooltip text with the full values the core computed."""
    net, trace = doc.net, doc.trace
    fmt = (lambda v: f"{v:.10g}") if full else format_number
    if sel.kind == "edge":
        w = net.weights[sel.layer - 1][sel.j, sel.k]
        return (f"w^{sel.layer}_{sel.j},{sel.k} = {fmt(w)}\nfrom neuron {sel.k} of layer "
                f"{sel.layer - 1} to neuron {sel.j} of layer {sel.layer}")
    if sel.kind == "bias":
        b = net.biases[sel.layer - 1][sel.j]
        return f"b^{sel.layer}_{sel.j} = {fmt(b)}\nbias of neuron {sel.j} of layer {sel.layer}"
    lines = [f"neuron {sel.j} of layer {sel.layer}"
             + (" (input)" if sel.layer == 0 else " (output)" if sel.layer == net.L else "")]
    if sel.layer == 0 and doc.input_labels:
        lines[0] += f": {doc.input_labels[sel.j]}"
    if sel.layer == net.L and doc.output_labels:
        lines[0] += f": {doc.output_labels[sel.j]}"
    if trace is not None:
        if sel.layer > 0:
            lines.append(f"z = {fmt(trace.z[sel.layer][sel.j])}")
        lines.append(f"a = {fmt(trace.a[sel.layer][sel.j])}")
    else:
        lines.append("no input yet")
    if sel.layer > 0:
        lines.append(f"b = {fmt(net.biases[sel.layer - 1][sel.j])}   σ = "
                     f"{net.activations[sel.layer - 1].name}")
    return "\n".join(lines)


def _along(seg, t: float, skip: float = 0.0) -> tuple[float, float]:
    """The point a fraction ``t`` along segment (x0, y0, x1, y1) after moving its start
    ``skip`` towards its end (past the part a larger disc now covers)."""
    x0, y0, x1, y1 = (float(v) for v in seg)
    n = np.hypot(x1 - x0, y1 - y0)
    if skip and n > 0:
        x0, y0 = x0 + (x1 - x0) / n * skip, y0 + (y1 - y0) / n * skip
    return x0 + t * (x1 - x0), y0 + t * (y1 - y0)


def _is_strong(a: float, layer: int, net) -> bool:
    """True where a neuron's fill is strong (dark on paper, bright on the dark theme)."""
    if layer == 0:
        return 0 <= a <= 1 and a > 0.55
    lo, hi = net.activations[layer - 1].output_range
    return lo is not None and lo >= 0 and hi is not None and (a - lo) / (hi - lo) > 0.55


def equations_subject(doc) -> Selection | None:
    """What the Equations panel explains at the walk's stage (None: not stepping): the
    selection where it applies, else the stage's default (see core.equations.explain)."""
    walk, sel = doc.walk, doc.selection
    if walk is None:
        return None
    from ...core.equations import explain  # on first use: a faster start

    focus = None if sel is None else (
        ("edge", sel.layer, sel.j, sel.k) if sel.kind == "edge" else
        (sel.kind, sel.layer, sel.j))
    got = explain(walk, focus).focus
    if got is None:
        return None
    kind, layer, j, *k = got
    return Selection(kind, layer, j, k[0] if k else None)
