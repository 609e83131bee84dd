"""The network graph: layers left to right, edges coloured by weight, neurons by activation.

Built on pyqtgraph's GraphicsView/ViewBox (zoom, pan, fit come from there). It redraws only on
the document's signals, and only the parts that changed: new weights rebin the edges, a new
input refills the neurons.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from . import style
from .document import Document, Selection
from .graph_items import (EdgesItem, FiltersItem, ImageLayerItem, LabelsItem, NeuronsItem,
                          SelectionItem)
from .layout import compute_layout, image_shape_for

#: Networks at most this big show their numbers on the graph.
SMALL_LAYER, SMALL_EDGES = 12, 80


class NetworkGraphView(pg.GraphicsView):
    """Draws ``document``'s network; click selects (through the document), hover explains."""

    hovered = Signal(str)  # status-bar text for what is under the mouse ("" when nothing)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.doc = document
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
        self._auto_fit = True
        self.legend = WeightLegend(self)
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        self.vb.sigRangeChangedManually.connect(self._on_range_changed_manually)
        document.networkReplaced.connect(self.rebuild)
        document.parametersChanged.connect(self._on_document_parameters_changed)
        document.inputChanged.connect(self._on_document_input_changed)
        document.selectionChanged.connect(self._on_document_selection_changed)
        self.rebuild()

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
        x0, y0, x1, y1 = self.layout.bounds()
        scene_rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self._labels = LabelsItem(scene_rect)
        self._selection_item = SelectionItem(scene_rect)
        for item in [*self._edges, self._image, self._neurons, self._filters, self._labels,
                     self._selection_item]:
            if item is not None:
                self.vb.addItem(item)
                self._items.append(item)
        self._refresh_weights()
        self._refresh_activations()
        self._on_document_selection_changed(self.doc.selection)
        self._auto_fit = True
        self.fit()

    def _refresh_weights(self) -> None:
        net = self.doc.net
        scales = style.weight_scale(net.weights, self.options["per_layer_scale"])
        # Biases share their layer's scale, so the "+1" edges compare with the weights.
        for l, item in enumerate(self._edges, start=1):
            item.live = self.live
            item.show_all = self.options["show_all_edges"]
            item.set_weights(net.weights[l - 1], net.biases[l - 1], scales[l - 1],
                             self.doc.activations(l - 1))
        if self._filters is not None:
            self._filters.set_weights(net.weights[0])
        self.legend.set_scales(scales, self.options["per_layer_scale"],
                               any(e.limited and e.shown.size < e.j_all.size for e in self._edges))
        self._refresh_labels()

    def _refresh_activations(self) -> None:
        trace = self.doc.trace
        acts = trace.a if trace is not None else [None] * len(self.doc.net.sizes)
        self._neurons.set_activations(list(acts))
        if self._image is not None:
            self._image.set_values(acts[0])
        self._refresh_labels()

    def _refresh_labels(self) -> None:
        if self._labels is None:
            return
        net, trace, texts = self.doc.net, self.doc.trace, []
        out = self.layout.layers[-1]
        names = self.doc.output_labels or (tuple(map(str, range(10))) if net.sizes[-1] == 10
                                           else None)
        if names is not None or (trace is not None and not self.is_small):
            # Output neurons are always labelled: their name and, with an input, a^L_j.
            for j, (x, y) in enumerate(out.pos):
                text = names[j] if names is not None else f"y{j}"
                if trace is not None and not (self.options["show_numbers"] and self.is_small):
                    text += f"  {style.format_number(trace.a[-1][j])}"
                texts.append((x + out.radius + 8, y, text, False, "left"))
        if not (self.options["show_numbers"] and self.is_small):
            self._labels.set_texts(texts)
            return
        for l, item in enumerate(self._edges, start=1):
            w = net.weights[l - 1]
            for seg, j, k in zip(item.seg_all, item.j_all, item.k_all):
                t = 0.3
                x, y = seg[0] + t * (seg[2] - seg[0]), seg[1] + t * (seg[3] - seg[1])
                texts.append((x, y, style.format_number(w[j, k]), False))
            if item.show_bias and item.bias_seg is not None:
                for j, seg in enumerate(item.bias_seg):
                    t = 0.55
                    x, y = seg[0] + t * (seg[2] - seg[0]), seg[1] + t * (seg[3] - seg[1])
                    texts.append((x, y, style.format_number(net.biases[l - 1][j]), False))
        if trace is not None:
            for lay in self.layout.layers:
                a = trace.a[lay.index]
                for j, (x, y) in enumerate(lay.pos):
                    texts.append((x, y, style.format_number(a[j]), _is_dark(a[j], lay.index,
                                                                            net)))
        self._labels.set_texts(texts)

    # -- document signals --------------------------------------------------------------------
    def _on_document_parameters_changed(self) -> None:
        self._refresh_weights()
        self._refresh_activations()

    def _on_document_input_changed(self) -> None:
        self._refresh_activations()
        if any(e.limited for e in self._edges):  # the |w·a| level of detail depends on a
            self._refresh_weights()

    def _on_document_selection_changed(self, sel: Selection | None) -> None:
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
        x0, y0, x1, y1 = self.layout.bounds()
        self.vb.setRange(QRectF(x0, y0, x1 - x0, y1 - y0), padding=0.02)
        self._auto_fit = True

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
            hit = item.edge_at(x, y, 5 * px)
            if hit is not None:
                kind, j, k = hit
                return Selection(kind, l, j, k)
        return None

    def describe(self, sel: Selection, full: bool = True) -> str:
        """Tooltip text with the full values the core computed."""
        net, trace = self.doc.net, self.doc.trace
        fmt = (lambda v: f"{v:.10g}") if full else style.format_number
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

    def view_point(self, x: float, y: float):
        """Widget (viewport) coordinates, a QPoint, of the view point (x, y)."""
        return self.mapFromScene(self.vb.mapViewToScene(QPointF(x, y)))


def _is_dark(a: float, layer: int, net) -> bool:
    if layer == 0:
        return 0 <= a <= 1 and a > 0.55
    lo, hi = net.activations[layer - 1].output_range
    return lo is not None and lo >= 0 and hi is not None and (a - lo) / (hi - lo) > 0.55


class WeightLegend(QWidget):
    """The weight colour scale in the view's top-right corner, with its range."""

    def __init__(self, view: NetworkGraphView) -> None:
        super().__init__(view)
        self.view = view
        self.scales: list[float] = [1.0]
        self.per_layer = False
        self.limited = False
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.place()

    def set_scales(self, scales, per_layer: bool, limited: bool) -> None:
        self.scales, self.per_layer, self.limited = list(scales), per_layer, limited
        self.setToolTip("")
        self.place()
        self.update()

    def text_lines(self) -> list[str]:
        if self.per_layer:
            lines = [f"w{_sup(l)}: ±{style.format_number(s)}"
                     for l, s in enumerate(self.scales, start=1)]
        else:
            lines = []
        if self.limited:
            lines.append("strongest edges only")
        return lines

    def place(self) -> None:
        lines = self.text_lines()
        h = 40 + 16 * (len(lines) + (0 if self.per_layer else 1))
        self.setFixedSize(230, h)
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.width() - 12, 12)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(QColor(180, 180, 180)))
        p.setBrush(QColor(255, 255, 255, 230))
        p.drawRoundedRect(self.rect().adjusted(0, 0, -1, -1), 6, 6)
        font = QFont(p.font())
        font.setPixelSize(12)
        p.setFont(font)
        p.setPen(QColor(30, 30, 30))
        title = "weights w (per layer)" if self.per_layer else "weights w (all layers)"
        p.drawText(10, 16, title)
        grad = QLinearGradient(10, 0, self.width() - 10, 0)
        for stop, t in ((0.0, -1.0), (0.5, 0.0), (1.0, 1.0)):
            grad.setColorAt(stop, QColor(*style.diverging_rgb(t)))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(grad)
        p.drawRect(QRectF(10, 22, self.width() - 20, 10))
        p.setPen(QColor(30, 30, 30))
        if not self.per_layer:
            s = style.format_number(self.scales[0])
            row = QRectF(10, 34, self.width() - 20, 16)
            p.drawText(row, Qt.AlignmentFlag.AlignLeft, f"−{s}")
            p.drawText(row, Qt.AlignmentFlag.AlignHCenter, "0")
            p.drawText(row, Qt.AlignmentFlag.AlignRight, f"+{s}")
        offset = 52 if not self.per_layer else 36
        for i, line in enumerate(self.text_lines()):
            p.drawText(QRectF(10, offset + 16 * i, self.width() - 20, 16),
                       Qt.AlignmentFlag.AlignHCenter, line)


def _sup(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
