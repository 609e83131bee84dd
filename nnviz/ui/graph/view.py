"""The network graph: layers left to right, edges coloured by weight, neurons by activation.

Built on pyqtgraph's GraphicsView/ViewBox (zoom, pan, fit come from there). It redraws only on
the document's signals, and only the parts that changed: new weights rebin the edges, a new
input refills the neurons. ``set_appearance`` changes theme, palette, size and contrast.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QElapsedTimer, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from ...core.edits import MAX_ABS
from ...core.notation import format_number, format_value, sup, weight_name
from ..look import style
from ..model.document import Document
from ..model.selection import EDGE_QUANTITIES, Change, Selection
from .edges import EdgesItem
from .items import Label, LabelsItem, LayerBandItem, SelectionItem, qcolor
from .neurons import FiltersItem, ImageLayerItem, NeuronsItem
from .layout import BIAS_GAP, GraphLayout, compute_layout, image_shape_for
from ..look.theme import Appearance

#: Networks at most this big show their numbers on the graph.
SMALL_LAYER, SMALL_EDGES = 12, 80


class NetworkGraphView(pg.GraphicsView):
    """Draws ``document``'s network; click selects (through the document), hover explains."""

    hovered = Signal(str)  # status-bar text for what is under the mouse ("" when nothing)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.doc = document
        self.appearance = Appearance()
        self.colours = self.appearance.colours()
        self.vb = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.vb.setMouseEnabled(True, True)
        self.setCentralItem(self.vb)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.options = dict(show_bias=True, show_numbers=True, show_all_edges=False,
                            per_layer_scale=False, show_filters=False)
        self.live = False
        self._items: list = []
        self._edges: list[EdgesItem] = []
        self._neurons: NeuronsItem | None = None
        self._image: ImageLayerItem | None = None
        self._filters: FiltersItem | None = None
        self._labels: LabelsItem | None = None
        self._selection_item: SelectionItem | None = None
        self._band: LayerBandItem | None = None
        self._auto_fit = True
        self.legend = WeightLegend(self)
        self._drag: dict | None = None  # a drag that nudges the selected weight or bias
        self._wheel_gesture: int | None = None  # one undo step per burst of wheel turns
        self._wheel_clock = QElapsedTimer()
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        self.vb.sigRangeChangedManually.connect(self._on_range_changed_manually)
        document.changed.connect(self._on_document_changed)
        self.rebuild()

    # -- appearance --------------------------------------------------------------------------
    def set_appearance(self, appearance: Appearance) -> None:
        """Theme, palette, size (``scale``) and contrast of everything the view draws. A new
        scale rebuilds the items (neuron radii, "+1" positions) and refits the view; the rest
        only recolours, keeping the zoom."""
        if not isinstance(appearance, Appearance):
            raise TypeError(f"an Appearance is needed, got {appearance!r}")
        if appearance == self.appearance:
            return
        rescale = appearance.scale != self.appearance.scale
        self.appearance, self.colours = appearance, appearance.colours()
        self.setBackground(qcolor(self.colours.background))
        if rescale:
            self.rebuild()
        else:
            self._apply_colours()
            self._refresh_weights()
            self._refresh_activations()
        self.legend.place()
        self.legend.update()

    def _apply_colours(self) -> None:
        for item in self._items:
            item.set_colours(self.colours)

    def neuron_radius(self, layer: int) -> float:
        """The drawn radius of layer ``layer``'s neurons (scene units), after the scale."""
        return float(self.layout.layers[layer].radius)

    def _scale_layout(self, layout: GraphLayout) -> None:
        """Neurons of the layout drawn ``scale`` times bigger, never overlapping their
        neighbours (at most 0.48 of the pitch, never smaller than at scale 1); each "+1" node
        moves up by as much, with its gap scaled too. Positions stay."""
        s = self.colours.scale
        self._growth = [0.0] * len(layout.layers)  # how much each layer's radius grew
        if s == 1.0:
            return
        for lay in layout.layers:
            if lay.image_rect is None:
                r = lay.radius
                pitch = float(np.min(np.diff(lay.pos[:, 1]))) if lay.n > 1 else np.inf
                lay.radius = float(min(r * s, max(r, 0.48 * pitch)))
                self._growth[lay.index] = lay.radius - r
                top = float(lay.pos[0, 1]) - lay.radius
            else:
                top = lay.image_rect[1]
            if lay.bias_pos is not None:
                lay.bias_pos = (lay.bias_pos[0], top - BIAS_GAP * s)

    def bounds(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) the fitted view shows: the layout's bounds with room for labels
        as large as the scale makes them."""
        x0, y0, x1, y1 = self.layout.bounds()
        e = self.colours.scale - 1.0
        return x0 - 40 * e, y0 - 40 * e, x1 + 130 * e, y1 + 60 * e

    # -- options -----------------------------------------------------------------------------
    def set_option(self, name: str, value: bool) -> None:
        if name not in self.options:
            raise KeyError(name)
        if self.options[name] == value:
            return
        self.options[name] = value
        if name in ("show_bias", "show_filters"):
            self.rebuild()
        else:
            self._refresh_weights()
            self._refresh_labels()

    # -- the drawn items, for tests and benchmarks that look inside -------------------------
    @property
    def edge_items(self) -> list[EdgesItem]:
        """One EdgesItem per layer of weights (layer l's at index l − 1)."""
        return self._edges

    @property
    def neurons_item(self) -> NeuronsItem | None:
        return self._neurons

    @property
    def labels_item(self) -> LabelsItem | None:
        """The numbers drawn on the graph."""
        return self._labels

    @property
    def selection_item(self) -> SelectionItem | None:
        return self._selection_item

    @property
    def band_item(self) -> LayerBandItem | None:
        """The band behind the layer the walk is at."""
        return self._band

    @property
    def image_item(self) -> ImageLayerItem | None:
        """The input layer drawn as an image (784 inputs), else None."""
        return self._image

    @property
    def shown_quantity(self) -> str:
        """The quantity the edges show right now ("w" unless the walk knows the gradients;
        the document decides)."""
        return self.doc.shown_quantity

    def _edge_values(self) -> tuple[list, list]:
        """(per-layer edge values, per-layer bias-edge values) for the shown quantity."""
        q, walk, net = self.shown_quantity, self.doc.walk, self.doc.net
        if q == "grad":
            return walk.grads.weights, walk.grads.biases
        if q == "step":
            return walk.delta_params()
        return net.weights, net.biases

    def set_live(self, live: bool) -> None:
        """Live (e.g. while training): dense layers always use the level of detail."""
        if live != self.live:
            self.live = live
            self._refresh_weights()

    @property
    def is_small(self) -> bool:
        sizes = self.doc.net.sizes
        edges = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        return max(sizes) <= SMALL_LAYER and edges <= SMALL_EDGES

    # -- building ----------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Recreate every item for the document's (new) network."""
        for item in self._items:
            self.vb.removeItem(item)
        self._items, self._edges = [], []
        net = self.doc.net
        shape = image_shape_for(net.sizes[0], self.doc.input_shape)
        aspect = self.height() / max(self.width(), 1) if self.width() > 100 else None
        self.layout = compute_layout(net.sizes, shape, self.options["show_bias"], aspect)
        self._scale_layout(self.layout)
        layers = self.layout.layers
        for l in range(1, len(layers)):
            item = EdgesItem(layers[l - 1], layers[l])
            item.show_bias = self.options["show_bias"]
            self._edges.append(item)
        self._image = ImageLayerItem(layers[0]) if layers[0].image_rect is not None else None
        self._filters = None
        if self.options["show_filters"] and shape is not None and len(layers) > 2:
            self._filters = FiltersItem(layers[1], shape)
        self._neurons = NeuronsItem(layers, net.activations)
        self._neurons.show_bias = self.options["show_bias"]
        x0, y0, x1, y1 = self.bounds()
        scene_rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self._labels = LabelsItem(scene_rect)
        self._selection_item = SelectionItem(scene_rect)
        m = 80 * self.colours.scale
        self._band = LayerBandItem(scene_rect.adjusted(-m, -m, m, m))
        for item in [self._band, *self._edges, self._image, self._neurons, self._filters,
                     self._labels, self._selection_item]:
            if item is not None:
                self.vb.addItem(item)
                self._items.append(item)
        self._apply_colours()
        self._refresh_weights(labels=False)
        self._refresh_activations()
        self._show_selection(self.doc.selection)
        self._auto_fit = True
        self.fit()

    def _refresh_weights(self, labels: bool = True) -> None:
        """Edges (and the legend) for the shown quantity; ``labels``: the numbers too (off
        when the activations are refreshed next, which redraws them anyway)."""
        net = self.doc.net
        weights, biases = self._edge_values()
        scales = style.weight_scale(weights, self.options["per_layer_scale"])
        # Biases share their layer's scale, so the "+1" edges compare with the weights.
        for l, item in enumerate(self._edges, start=1):
            item.live = self.live
            item.show_all = self.options["show_all_edges"]
            item.set_weights(weights[l - 1], biases[l - 1], scales[l - 1],
                             self.doc.activations(l - 1))
        if self._filters is not None:
            self._filters.set_weights(net.weights[0])
        self.legend.title = EDGE_QUANTITIES[self.shown_quantity]
        self.legend.dashed = any(e.dashed for e in self._edges)
        self.legend.set_scales(scales, self.options["per_layer_scale"],
                               any(e.limited and e.shown.size < e.j_all.size for e in self._edges))
        if labels:
            self._refresh_labels()

    def _known_activations(self) -> list:
        """a^l for each layer, None where the walk has not computed it yet."""
        trace, walk, n = self.doc.trace, self.doc.walk, len(self.doc.net.sizes)
        if trace is None:
            return [None] * n
        if walk is None:
            return list(trace.a)
        return [a if walk.is_forward_known(l) else None for l, a in enumerate(trace.a)]

    def _refresh_activations(self) -> None:
        acts = self._known_activations()
        self._neurons.set_activations(acts)
        walk = self.doc.walk
        deltas = [None] * len(acts)
        if walk is not None and walk.delta_known is not None:
            for l in range(walk.delta_known, walk.L + 1):
                deltas[l] = walk.grads.delta[l]
            scale = max(float(np.max(np.abs(d))) for d in deltas if d is not None)
            self.legend.delta_scale = scale
        else:
            scale, self.legend.delta_scale = 1.0, None
        self._neurons.set_deltas(deltas, scale)
        if self._image is not None:
            self._image.set_values(acts[0])
        self._refresh_band()
        self._refresh_labels()
        self.legend.place()
        self.legend.update()

    def _refresh_band(self) -> None:
        walk, band = self.doc.walk, self._band
        if band is None:
            return
        layer = walk.current_layer if walk is not None else None
        if layer is None:
            band.clear()
            return
        lay = self.layout.layers[layer]
        if lay.image_rect is not None:
            x, y, w, h = lay.image_rect
            rect = QRectF(x - 16, y - 16, w + 32, h + 32)
        else:
            (x0, y0), (x1, y1) = lay.pos.min(axis=0), lay.pos.max(axis=0)
            s = self.colours.scale
            pad = lay.radius + 18 * s
            below = pad + (26 * s if self.is_small and self.options["show_numbers"] else 0)  # δ
            rect = QRectF(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + pad + below)
        kind = walk.stage.kind
        caption = {"input": "a⁰ = x", "forward": f"z{sup(layer)}, a{sup(layer)}",
                   "error": "E, aᴸ − y", "backward": f"δ{sup(layer)}"}[kind]
        band.show_band(rect, caption)

    def _refresh_labels(self) -> None:
        if self._labels is None:
            return
        net, trace, texts, walk = self.doc.net, self.doc.trace, [], self.doc.walk
        acts = self._known_activations()
        fmt = format_number
        out = self.layout.layers[-1]
        names = self.doc.output_labels or (tuple(map(str, range(10))) if net.sizes[-1] == 10
                                           else None)
        numbers = self.options["show_numbers"] and self.is_small
        target = self.doc.target if walk is not None and walk.error_known else None
        s = self.colours.scale
        if names is not None or target is not None or (trace is not None and not self.is_small):
            # Output neurons are labelled: their name, with an input a^L_j, with the error y_j.
            for j, (x, y) in enumerate(out.pos):
                text = names[j] if names is not None else ""
                if acts[-1] is not None and not numbers:
                    text += f"  {fmt(acts[-1][j])}"
                if target is not None:
                    if len(target) <= 3:
                        texts.append(Label(x + out.radius + 8 * s, y + 20 * s,
                                           f"target y = {fmt(target[j])}", False, "left"))
                    elif target[j] == target.max():
                        text += "   ◀ target"
                if text.strip():
                    texts.append(Label(x + out.radius + 8 * s, y, text.strip(), False, "left"))
        if not numbers:
            self._labels.set_texts(texts)
            return
        edge_w, edge_b = self._edge_values()
        bias_growth = self._neurons.bias_radius - self._neurons.BIAS_RADIUS
        for l, item in enumerate(self._edges, start=1):
            w = edge_w[l - 1]
            for seg, j, k in zip(item.seg_all, item.j_all, item.k_all):
                x, y = _along(seg, 0.3, self._growth[l - 1])
                texts.append(Label(x, y, format_number(w[j, k]), thin=True))
            if item.show_bias and item.bias_seg is not None:
                for j, seg in enumerate(item.bias_seg):
                    x, y = _along(seg, 0.55, bias_growth)
                    texts.append(Label(x, y, format_number(edge_b[l - 1][j]), thin=True))
        for lay in self.layout.layers:
            a = acts[lay.index]
            if a is None:
                continue
            for j, (x, y) in enumerate(lay.pos):
                texts.append(Label(x, y, fmt(a[j]), _is_strong(a[j], lay.index, net)))
                if walk is not None and lay.index > 0:
                    texts.append(Label(x, y - lay.radius - 12 * s,
                                       f"z = {fmt(trace.z[lay.index][j])}"))
        if walk is not None and walk.delta_known is not None:
            for l in range(walk.delta_known, walk.L + 1):
                lay = self.layout.layers[l]
                for j, (x, y) in enumerate(lay.pos):
                    texts.append(Label(x, y + lay.radius + 22 * s,
                                       f"δ = {fmt(walk.grads.delta[l][j])}"))
        self._labels.set_texts(texts)

    # -- document signals --------------------------------------------------------------------
    def _on_document_changed(self, change: Change) -> None:
        """One redraw per change of the document: only the parts it touched, the numbers
        once."""
        if change & Change.NETWORK:
            self.rebuild()
            return
        activations = bool(change & (Change.PARAMETERS | Change.INPUT | Change.WALK))
        # the |w·a| level of detail of dense layers depends on the input too
        weights = bool(change & (Change.PARAMETERS | Change.WALK | Change.DISPLAY)) or (
            bool(change & Change.INPUT) and any(e.limited for e in self._edges))
        if weights:
            self._refresh_weights(labels=not activations)
        if activations:
            self._refresh_activations()
        if change & Change.SELECTION:
            self._show_selection(self.doc.selection)

    def _show_selection(self, sel: Selection | None) -> None:
        item = self._selection_item
        if item is None:
            return
        if sel is None:
            item.clear()
        elif sel.kind == "neuron":
            lay = self.layout.layers[sel.layer]
            x, y = lay.pos[sel.j]
            item.show_neuron(x, y, lay.radius)
        elif sel.kind == "bias":
            item.show_segment(self._edges[sel.layer - 1].bias_seg[sel.j])
        else:
            e = self._edges[sel.layer - 1]
            item.show_segment(e.seg_all[sel.j * e.prev.n + sel.k])

    # -- view control ------------------------------------------------------------------------
    def fit(self) -> None:
        """Show the whole network; if the legend would then cover a neuron, make room for it
        above (the legend grows with the scale)."""
        x0, y0, x1, y1 = self.bounds()
        self.vb.setRange(QRectF(x0, y0, x1 - x0, y1 - y0), padding=0.02)
        for _ in range(2):
            extra = self._legend_overlap()
            if extra <= 0:
                break
            y0 -= extra
            self.vb.setRange(QRectF(x0, y0, x1 - x0, y1 - y0), padding=0.02)
        self._auto_fit = True

    def _legend_overlap(self) -> float:
        """How far (scene units) the lowest neuron or "+1" node under the legend reaches into
        it from below; 0 when none is under it."""
        if not hasattr(self, "legend") or self.width() < 100:
            return 0.0
        g = self.legend.geometry().adjusted(-8, -8, 8, 8)
        top_left = self.vb.mapSceneToView(self.mapToScene(g.topLeft()))
        bottom_right = self.vb.mapSceneToView(self.mapToScene(g.bottomRight()))
        lx0, ly0, lx1, ly1 = top_left.x(), top_left.y(), bottom_right.x(), bottom_right.y()
        boxes = []  # (x0, y0, x1, y1) of every disc and image
        for lay in self.layout.layers:
            if lay.image_rect is None:
                boxes += [(x - lay.radius, y - lay.radius, x + lay.radius, y + lay.radius)
                          for x, y in lay.pos]
            else:
                ix, iy, iw, ih = lay.image_rect
                boxes.append((ix, iy, ix + iw, iy + ih))
            if lay.bias_pos is not None:
                (x, y), r = lay.bias_pos, self._neurons.bias_radius
                boxes.append((x - r, y - r, x + r, y + r))
        reach = 0.0
        for x0, y0, x1, y1 in boxes:
            if x0 < lx1 and lx0 < x1 and y0 < ly1 and ly0 < y1:
                reach = max(reach, ly1 - y0)
        return reach

    def zoom(self, factor: float) -> None:
        """Zoom in (factor > 1) or out around the view's centre."""
        self.vb.scaleBy((1 / factor, 1 / factor))
        self._auto_fit = False

    def _on_range_changed_manually(self, *_):
        self._auto_fit = False

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        if getattr(self, "_auto_fit", False) and hasattr(self, "layout"):
            self.fit()
        if hasattr(self, "legend"):
            self.legend.place()

    # -- hover and click ---------------------------------------------------------------------
    def item_at(self, x: float, y: float) -> Selection | None:
        """The neuron, bias or edge under the view point (x, y), neurons first."""
        px = max(self.vb.viewPixelSize()[0], 1e-9)
        for lay in self.layout.layers:
            if lay.image_rect is not None:
                ix, iy, iw, ih = lay.image_rect
                if ix <= x < ix + iw and iy <= y < iy + ih:
                    rows, cols = lay.image_shape
                    c, r = int((x - ix) / iw * cols), int((y - iy) / ih * rows)
                    return Selection("neuron", 0, r * cols + c)
                continue
            d = np.hypot(lay.pos[:, 0] - x, lay.pos[:, 1] - y)
            j = int(np.argmin(d))
            if d[j] <= max(lay.radius, 4 * px):
                return Selection("neuron", lay.index, j)
        for l, item in enumerate(self._edges, start=1):
            r = item.boundingRect()
            if not r.contains(QPointF(x, y)):
                continue
            hit = item.edge_at(x, y, max(5 * px, 0.5 * self.colours.edge_width[1]))
            if hit is not None:
                kind, j, k = hit
                return Selection(kind, l, j, k)
        return None

    def describe(self, sel: Selection, full: bool = True) -> str:
        """Tooltip text with the full values the core computed."""
        net, trace = self.doc.net, self.doc.trace
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
        if sel.layer == 0 and self.doc.input_labels:
            lines[0] += f": {self.doc.input_labels[sel.j]}"
        if sel.layer == net.L and self.doc.output_labels:
            lines[0] += f": {self.doc.output_labels[sel.j]}"
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

    def _on_scene_mouse_moved(self, pos) -> None:
        p = self.vb.mapSceneToView(pos)
        sel = self.item_at(p.x(), p.y())
        if sel is None:
            QToolTip.hideText()
            self.hovered.emit("")
            return
        text = self.describe(sel)
        self.hovered.emit(text.replace("\n", "  ·  "))
        QToolTip.showText(self.mapToGlobal(self.mapFromScene(pos)), text, self)

    def _on_scene_mouse_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        p = self.vb.mapSceneToView(ev.scenePos())
        self.doc.select(self.item_at(p.x(), p.y()))

    # -- nudging the selected weight or bias with the wheel or a drag ------------------------
    #: A wheel notch changes the value by this much (Shift: a tenth); a drag by this per pixel.
    WHEEL_STEP = 0.1
    DRAG_STEP = 0.01

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
        step = self.WHEEL_STEP / (10 if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier
                                  else 1)
        if self._wheel_gesture is None or self._wheel_clock.elapsed() > 800:
            self._wheel_gesture = self.doc.begin_gesture()
        self._wheel_clock.start()
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
        step = self.DRAG_STEP / (10 if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier
                                 else 1)
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

    def view_point(self, x: float, y: float):
        """Widget (viewport) coordinates, a QPoint, of the view point (x, y)."""
        return self.mapFromScene(self.vb.mapViewToScene(QPointF(x, y)))


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


class WeightLegend(QWidget):
    """The weight colour scale in the view's top-right corner, with its range; a dashed and a
    solid sample line say which sign is dashed."""

    def __init__(self, view: NetworkGraphView) -> None:
        super().__init__(view)
        self.view = view
        self.scales: list[float] = [1.0]
        self.per_layer = False
        self.limited = False
        self.dashed = False  # some layer dashes its negative edges: show the samples
        self.title = "weights w"
        self.delta_scale: float | None = None  # |δ| of full colour, while δ rings show
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.place()

    def set_scales(self, scales, per_layer: bool, limited: bool) -> None:
        self.scales, self.per_layer, self.limited = list(scales), per_layer, limited
        self.setToolTip("")
        self.place()
        self.update()

    def text_lines(self) -> list[str]:
        if self.per_layer:
            lines = [f"w{sup(l)}: ±{format_number(s)}"
                     for l, s in enumerate(self.scales, start=1)]
        else:
            lines = []
        if self.limited:
            lines.append("strongest edges only")
        if self.delta_scale is not None:
            if self.delta_scale > 0:
                lines.append("rings: δ = ∂E/∂z, full colour at "
                             f"±{format_number(self.delta_scale)}")
            else:
                lines.append("rings: δ = ∂E/∂z, all 0")
        return lines

    @property
    def _s(self) -> float:
        return self.view.colours.scale

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(1, round(self.view.colours.font_legend)))
        return font

    def _rows(self) -> int:
        """Rows of 16 px (at scale 1) under the colour bar."""
        return len(self.text_lines()) + (0 if self.per_layer else 1) + (1 if self.dashed else 0)

    def place(self) -> None:
        s = self._s
        lines = self.text_lines()
        h = round((40 + 16 * self._rows()) * s)
        metrics = QFontMetrics(self._font())
        w = max([round(250 * s)] + [metrics.horizontalAdvance(line) + round(24 * s)
                                     for line in lines])
        self.setFixedSize(w, h)
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.width() - 12, 12)

    def paintEvent(self, event) -> None:
        c, s = self.view.colours, self._s
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(qcolor(c.legend_border)))
        p.setBrush(qcolor(c.legend_background))
        p.drawRoundedRect(self.rect().adjusted(0, 0, -1, -1), 6 * s, 6 * s)
        p.setFont(self._font())
        text = qcolor(c.legend_text)
        p.setPen(text)
        title = self.title + (" (per layer)" if self.per_layer else " (all layers)")
        pad, row, inner = 10 * s, 16 * s, self.width() - 20 * s
        p.drawText(QPointF(pad, 16 * s), title)
        grad = QLinearGradient(pad, 0, self.width() - pad, 0)
        for stop, t in ((0.0, -1.0), (0.5, 0.0), (1.0, 1.0)):
            grad.setColorAt(stop, QColor(*style.diverging_rgb(t, c.diverging)))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(grad)
        p.drawRect(QRectF(pad, 22 * s, inner, 10 * s))
        p.setPen(text)
        y = 34 * s
        if not self.per_layer:
            v = format_number(self.scales[0])
            r = QRectF(pad, y, inner, row)
            p.drawText(r, Qt.AlignmentFlag.AlignLeft, f"−{v}")
            p.drawText(r, Qt.AlignmentFlag.AlignHCenter, "0")
            p.drawText(r, Qt.AlignmentFlag.AlignRight, f"+{v}")
            y += 18 * s
        else:
            y += 2 * s
        if self.dashed:
            self._paint_samples(p, QRectF(pad, y, inner, row))
            y += row
        p.setPen(text)
        for i, line in enumerate(self.text_lines()):
            p.drawText(QRectF(pad, y + row * i, inner, row), Qt.AlignmentFlag.AlignHCenter,
                       line)

    def _paint_samples(self, p: QPainter, r: QRectF) -> None:
        """"╌╌ negative" on the left, "positive ──" on the right, drawn with edge pens."""
        c, s = self.view.colours, self._s
        length, mid = 30 * s, r.center().y()
        for negative in (True, False):
            rgb = c.diverging.negative if negative else c.diverging.positive
            pen = QPen(qcolor(rgb))
            pen.setWidthF(max(2.0, 2.5 * s))
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if negative:
                pen.setDashPattern([d * s / pen.widthF() for d in c.dash])
                x0 = r.left()
            else:
                x0 = r.right() - length
            p.setPen(pen)
            p.drawLine(QPointF(x0, mid), QPointF(x0 + length, mid))
        p.setPen(qcolor(c.legend_text))
        inner = r.adjusted(length + 6 * s, 0, -length - 6 * s, 0)
        p.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "negative")
        p.drawText(inner, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                   "positive")
