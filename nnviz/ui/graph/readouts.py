"""Each layer's signal at a glance: a readout under every layer, the core's numbers
(``core.layer_stats``) — while the walk knows δ (backward stages and after) ‖δ^l‖, the RMS
over the layer's neurons ("‖δ‖ 3.1e-3"); otherwise (forward stages, not stepping) the share of
its saturated or dead units ("12% saturated", "30% dead").

The readouts are drawn at a fixed size on screen: a summary of a whole layer stays readable
however far the view is zoomed out, where the numbers on neurons give way. Each hangs from its
anchor (top centre, scene units) under its layer, below the band behind the current layer and
its caption; one that would overlap the readout before it (a view zoomed far out) moves down a
row. Hovering a readout shows what it counts, with the full value.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QToolTip

from ...core.layer_stats import SATURATION_MARGIN, Share, delta_rms, layer_share
from ...core.notation import sup
from ..look.theme import Colours
from ..model.document import Document
from .items import LIGHT, _font, _PaintedItem, qcolor
from .layout import LayerGeometry

#: How far (at scale 1) under a layer's lowest neuron its readout hangs: clear of the band
#: behind the current layer and its caption (and of the δ numbers a small network shows).
READOUT_GAP, NUMBERS_GAP = 48.0, 26.0
#: Rows a readout may move down to keep clear of its neighbour.
MAX_ROWS = 3


class Readout(NamedTuple):
    """A layer's readout: ``text`` hanging from (x, y) in scene units, and the ``tip`` that
    explains it with the full value."""

    x: float
    y: float
    text: str
    tip: str


def share_text(share: Share) -> str:
    """A layer's forward readout: "12% saturated", "30% dead" (whole percent; "<1%" and
    ">99%" where rounding would say 0% or 100% of a share that is not)."""
    pct = 100 * share.share
    if 0 < pct < 0.5:
        text = "<1%"
    elif 99.5 <= pct < 100:
        text = ">99%"
    else:
        text = f"{pct:.0f}%"
    return f"{text} {share.kind}"


def delta_text(norm: float) -> str:
    """A layer's backward readout: ‖δ‖ (RMS over its neurons) to two significant digits,
    "‖δ‖ 3.1e-3"."""
    if norm == 0:
        return "‖δ‖ 0"
    mantissa, exponent = f"{norm:.1e}".split("e")
    return f"‖δ‖ {mantissa}e{int(exponent)}"


def readout_y(lay: LayerGeometry, s: float, numbers: bool) -> float:
    """The y (top) of layer ``lay``'s readout at scale ``s`` (``numbers``: a small net's
    numbers show under its neurons)."""
    if lay.image_rect is not None:
        bottom = lay.image_rect[1] + lay.image_rect[3]
    else:
        # under the disc or the cell, whichever reaches lower (the band's padding does too)
        bottom = float(lay.pos[:, 1].max()) + max(lay.radius, lay.cell / 2)
    return bottom + (READOUT_GAP + (NUMBERS_GAP if numbers else 0.0)) * s


def signal_labels(doc: Document, layers: list[LayerGeometry], numbers: bool,
                  s: float) -> list[Readout]:
    """The readouts (see the module) of every layer after the input whose number is known,
    left to right, each hanging from (x, y) under its layer; none without an input."""
    net, trace, walk = doc.net, doc.trace, doc.walk
    if trace is None:
        return []
    backward = walk is not None and walk.delta_known is not None
    texts = []
    for lay in layers[1:]:
        l = lay.index
        if backward:
            if not walk.is_delta_known(l):
                continue
            rms = delta_rms(walk.grads.delta[l])
            text = delta_text(rms)
            tip = (f"‖δ{sup(l)}‖ = {rms:.10g}\nthe RMS of δ{sup(l)} = ∂E/∂z{sup(l)} over the "
                   f"{lay.n} neurons of layer {l}")
        else:
            if walk is not None and not walk.is_forward_known(l):
                continue
            share = layer_share(net.activations[l - 1], trace.a[l])
            if share is None:
                continue
            text = share_text(share)
            rule = ("a = 0, so σ′ = 0: no gradient passes" if share.kind == "dead" else
                    f"a within {SATURATION_MARGIN:g} of a limit of the "
                    f"{net.activations[l - 1].name}'s range: σ′ ≈ 0, little gradient passes")
            tip = (f"{round(share.share * share.count)} of the {share.count} neurons of layer "
                   f"{l} are {share.kind} (a share of {share.share:.10g})\n{rule}")
        texts.append(Readout(lay.x, readout_y(lay, s, numbers), text, tip))
    return texts


class ReadoutsItem(_PaintedItem):
    """The readouts: texts in the theme's label font, in screen pixels, hanging from scene
    points."""

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self._set_rect(rect)
        self.texts: list[Readout] = []
        self.placed: list[tuple[str, QRectF]] = []  # (text, box in device pixels), last paint
        self._boxes: list[QRectF] = []  # the same boxes in item coordinates (hover, tips)
        self.setZValue(5)
        self.set_colours(LIGHT)

    def set_colours(self, colours: Colours) -> None:
        self.colours = colours
        self._font = _font(colours.font_label)
        self.update()

    def refresh(self, doc: Document, layers: list[LayerGeometry], numbers: bool) -> bool:
        """The readouts for the document now (``signal_labels``); True when there are more or
        fewer than before (a view fitted to the network may need room for them)."""
        before = len(self.texts)
        self.texts = signal_labels(doc, layers, numbers, self.colours.scale)
        self.update()
        return len(self.texts) != before

    def line_px(self) -> float:
        """A row's height in screen pixels."""
        return QFontMetrics(self._font).height() + 2.0

    def boxes(self, transform) -> list[tuple[str, QRectF]]:
        """Each readout's box in device pixels under ``transform`` (scene → device)."""
        fm, h = QFontMetrics(self._font), self.line_px()
        out: list[tuple[str, QRectF]] = []
        for t in self.texts:  # left to right
            w = fm.horizontalAdvance(t.text) + 8.0
            p = transform.map(QPointF(t.x, t.y))
            box = QRectF(p.x() - w / 2, p.y(), w, h)
            for _ in range(MAX_ROWS - 1):
                if not any(box.intersects(other) for _, other in out):
                    break
                box.translate(0, h + 2)
            out.append((t.text, box))
        return out

    def screen_rect(self, view) -> QRect | None:
        """Where the readouts are on ``view`` (a QGraphicsView showing this item), in its
        viewport's coordinates; None without readouts."""
        if not self.texts:
            return None
        boxes = [box for _, box in self.boxes(self.sceneTransform() * view.viewportTransform())]
        rect = boxes[0]
        for box in boxes[1:]:
            rect = rect.united(box)
        return rect.toAlignedRect()

    def lowest(self, view) -> float:
        """The lowest scene y the readouts reach (rows and all, and a margin) as ``view``
        shows them now; −inf without readouts."""
        if not self.texts:
            return float("-inf")
        t = self.sceneTransform() * view.viewportTransform()
        lowest = max(box.bottom() for _, box in self.boxes(t)) + 6.0
        inverse, _ = t.inverted()
        return inverse.map(QPointF(0.0, lowest)).y()

    def paint(self, p: QPainter, option, widget=None) -> None:
        if not self.texts:
            self.placed, self._boxes = [], []
            return
        transform = p.worldTransform()
        self.placed = self.boxes(transform)
        inverse, _ = transform.inverted()
        self._boxes = [inverse.mapRect(box) for _, box in self.placed]
        c = self.colours
        p.save()
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setFont(self._font)
        corner = 3 * c.scale
        for text, box in self.placed:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(qcolor(c.label_background))
            p.drawRoundedRect(box, corner, corner)
            p.setPen(qcolor(c.text))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        p.restore()

    # -- hover: the full value -------------------------------------------------------------
    def tip_at(self, pos: QPointF) -> str | None:
        """The tooltip of the readout at ``pos`` (item coordinates), or None."""
        for box, t in zip(self._boxes, self.texts):
            if box.contains(pos):
                return t.tip
        return None

    def hoverEvent(self, ev) -> None:
        """pyqtgraph's hover, everywhere in the view (the view box clips its children, so
        the item is under the mouse wherever it is): a tooltip over a readout only, shown
        after the view's own hover, which hides its tooltip over nothing."""
        tip = None if ev.isExit() else self.tip_at(ev.pos())
        if tip is not None:
            QToolTip.showText(ev.screenPos().toPoint(), tip)
