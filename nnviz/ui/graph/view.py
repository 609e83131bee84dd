"""The network graph: layers left to right, edges coloured by weight, neurons by activation.

Built on pyqtgraph's GraphicsView/ViewBox (zoom, pan, fit come from there). It redraws only on
the document's signals, and only the parts that changed: new weights rebin the edges, a new
input refills the neurons. ``set_appearance`` changes theme, palette, size and contrast.

The items it draws with are in ``edges.py``, ``neurons.py`` and ``items.py``, the texts of the
labels and tooltips in ``labels.py``, the weight legend in ``legend.py``, and the wheel and drag
gestures that nudge the selected weight or bias in ``nudge.py`` (a mixin of the view).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from ..look import style
from ..look.theme import Appearance
from ..model.document import Document
from ..model.selection import EDGE_QUANTITIES, Change, Selection
from . import labels as graph_labels
from .edges import EdgesItem, detail_lines
from .items import LabelsItem, LayerBandItem, SelectionItem, qcolor
from .labels import band_caption, equations_subject, number_labels, output_labels, tooltip_text
from .layout import compute_layout, drawn_as_cells, image_shape_for, scale_layout
from .legend import WeightLegend
from .neurons import FiltersItem, ImageLayerItem, NeuronsItem
from .nudge import NudgeGestures
from .pixels import InputGradientItem
from .readouts import ReadoutsItem
from .zooming import ZoomControl

#: Networks at most this big show their numbers on the graph.
SMALL_LAYER, SMALL_EDGES = 12, 80


class NetworkGraphView(NudgeGestures, ZoomControl, pg.GraphicsView):
    """Draws ``document``'s network; click selects (through the document), hover explains, the
    wheel or a drag over the selected weight or bias nudges it (``NudgeGestures``); fit, zoom
    and the layer given room in presentation mode are ``ZoomControl``'s."""

    hovered = Signal(str)  # status-bar text for what is under the mouse ("" when nothing)
    #: Ctrl+click on a weight or bias: a second parameter (the Landscape's), not a selection
    second_selected = Signal(object)

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
        self._pixels: InputGradientItem | None = None  # ∂E/∂x over the input image
        self._filters: FiltersItem | None = None
        self._labels: LabelsItem | None = None
        self._readouts: ReadoutsItem | None = None  # each layer's signal, under it
        self._selection_item: SelectionItem | None = None
        self._subject_item: SelectionItem | None = None  # what the equations are about
        self._band: LayerBandItem | None = None
        self._auto_fit = True
        self.emphasis = False  # the walk's layer gets room (presentation mode)
        self.legend = WeightLegend(self)
        self._init_nudging()
        self.scene().sigMouseMoved.connect(self.hover_at)
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

    def bounds(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) the fitted view shows: the layout's bounds with room for labels
        as large as the scale makes them."""
        x0, y0, x1, y1 = self.layout.bounds()
        e = self.colours.scale - 1.0
        right = x1 + 130 * e
        names = self.doc.output_labels or (
            tuple(map(str, range(10))) if self.doc.net.sizes[-1] == 10 else None)
        if names:  # a long name of an output neuron (e.g. "x1 XOR x2"), digits and a target
            c, out = self.colours, self.layout.layers[-1]
            font = QFont()
            font.setPixelSize(max(1, round(c.font_label)))
            fm = QFontMetrics(font)
            mark = "   ◀ target" if len(names) > 3 else ""  # see labels.output_labels
            longest = max(fm.horizontalAdvance(f"{n}  0.0000{mark}") for n in names)
            # zoomed out, the labels are drawn larger than nominal (style.label_boost)
            zoom = self.width() / max(right + longest - x0, 1.0) if self.width() > 100 else 1.0
            longest *= style.label_boost(c.font_label * zoom)
            right = max(right, float(out.pos[:, 0].max()) + out.radius + 8 * c.scale
                        + longest + 10)
        left, first, inputs = x0 - 40 * e, self.layout.layers[0], self.doc.input_labels
        if inputs and first.image_rect is None:  # the inputs' names, left of them
            c = self.colours
            font = QFont()
            font.setPixelSize(max(1, round(c.font_label)))
            longest = max(QFontMetrics(font).horizontalAdvance(n) for n in inputs) + 16
            longest *= style.label_boost(c.font_label * self.width() / max(right - x0, 1.0))
            left = min(left, float(first.pos[:, 0].min()) - first.radius - 14 * c.scale - longest)
        return left, y0 - 40 * e, right, y1 + 60 * e

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
            self._neurons.numbers = self.options["show_numbers"] and not self.is_small
            self._neurons.update()
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
    def readouts_item(self) -> ReadoutsItem | None:
        return self._readouts

    @property
    def selection_item(self) -> SelectionItem | None:
        return self._selection_item

    @property
    def subject_item(self) -> SelectionItem | None:
        """The dashed ring on what the Equations panel explains, when that is not the
        selection (nothing selected, or the selection is not in the stage's layer)."""
        return self._subject_item

    @property
    def band_item(self) -> LayerBandItem | None:
        """The band behind the layer the walk is at."""
        return self._band

    @property
    def filters_item(self) -> FiltersItem | None:
        """The first hidden layer's weight images (Ctrl+Shift+W), else None."""
        return self._filters

    @property
    def image_item(self) -> ImageLayerItem | None:
        """The input layer drawn as an image (784 inputs), else None."""
        return self._image

    @property
    def pixels_item(self) -> InputGradientItem | None:
        """∂E/∂x over the input image (with ``image_item``), else None."""
        return self._pixels

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
        self.layout = compute_layout(net.sizes, shape, self.options["show_bias"], aspect,
                                     self.emphasised_layer())
        # how much each layer's radius grew with the scale
        self._growth = scale_layout(self.layout, self.colours.scale)
        layers = self.layout.layers
        for l in range(1, len(layers)):
            item = EdgesItem(layers[l - 1], layers[l])
            item.show_bias = self.options["show_bias"]
            self._edges.append(item)
        self._image = ImageLayerItem(layers[0]) if layers[0].image_rect is not None else None
        self._pixels = InputGradientItem(layers[0]) if self._image is not None else None
        self._filters = None
        if self.options["show_filters"] and shape is not None and len(layers) > 2:
            self._filters = FiltersItem(layers[1], shape)
        self._neurons = NeuronsItem(layers, net.activations)
        self._neurons.show_bias = self.options["show_bias"]
        self._neurons.numbers = self.options["show_numbers"] and not self.is_small
        x0, y0, x1, y1 = self.bounds()
        scene_rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        m = 80 * self.colours.scale
        # labels may reach past the fitted bounds (enlarged when zoomed out): room to the right
        self._labels = LabelsItem(scene_rect.adjusted(-m, -m, 4 * m, m))
        # after the paint that found it: the legend may change size
        self._labels.numbersHidden.connect(self._on_numbers_hidden,
                                           Qt.ConnectionType.QueuedConnection)
        self._on_numbers_hidden(False)  # until the new labels are painted
        self._selection_item = SelectionItem(scene_rect)
        self._subject_item = SelectionItem(scene_rect, dashed=True)
        self._band = LayerBandItem(scene_rect.adjusted(-m, -m, m, m))
        self._readouts = ReadoutsItem(scene_rect.adjusted(-m, -m, m, 4 * m))
        for item in [self._band, *self._edges, self._image, self._pixels, self._neurons,
                     self._filters, self._labels, self._readouts, self._subject_item,
                     self._selection_item]:
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
                               detail_lines(self._edges))
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
            self._pixels.set_gradient(deltas[0])
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
            pad = max(lay.radius, lay.cell / 2) + 18 * s
            below = pad + (26 * s if self.is_small and self.options["show_numbers"] else 0)  # δ
            rect = QRectF(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + pad + below)
        band.show_band(rect, band_caption(walk.stage.kind, layer))

    def _refresh_labels(self) -> None:
        if self._labels is None:
            return
        acts = self._known_activations()
        numbers = self.options["show_numbers"] and self.is_small
        s = self.colours.scale
        out = self.layout.layers[-1]
        # an output block has no room beside each neuron: its values are in the tooltips
        texts = [] if out.grid[1] > 1 else output_labels(self.doc, out, acts[-1], numbers,
                                                         self.is_small, s)
        texts += graph_labels.input_labels(self.doc, self.layout.layers[0], s)
        if numbers:
            bias_growth = self._neurons.bias_radius - self._neurons.BIAS_RADIUS
            texts += number_labels(self.doc, self.layout.layers, self._edges, acts,
                                   self._edge_values(), self._growth, bias_growth, s)
        self._labels.set_texts(texts)
        if self._readouts.refresh(self.doc, self.layout.layers, numbers) and self._auto_fit:
            self.fit()  # room for the readouts

    def _on_numbers_hidden(self, hidden: bool) -> None:
        if self.legend.numbers_hidden != hidden:
            self.legend.numbers_hidden = hidden
            self.legend.place()
            self.legend.update()

    @property
    def numbers_hidden(self) -> bool:
        """"Show numbers" is on for a small network, but the graph is drawn too small for any
        of them to be readable (the legend says so)."""
        return self.legend.numbers_hidden

    # -- document signals --------------------------------------------------------------------
    def _on_document_changed(self, change: Change) -> None:
        """One redraw per change of the document: only the parts it touched, the numbers
        once."""
        if change & Change.NETWORK or (change & Change.WALK and self._emphasis_moved()):
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
        elif change & (Change.WALK | Change.PARAMETERS | Change.INPUT):
            self._show_subject()

    def equations_subject(self) -> Selection | None:
        """What the Equations panel explains now (see labels.equations_subject)."""
        return equations_subject(self.doc)

    def _show_subject(self) -> None:
        item = self._subject_item
        if item is None:
            return
        subject = self.equations_subject()
        if subject is None or subject == self.doc.selection:
            item.clear()
        else:
            self._show_on(item, subject)

    def _show_selection(self, sel: Selection | None) -> None:
        self._show_subject()
        item = self._selection_item
        if item is None:
            return
        self._show_on(item, sel)

    def _show_on(self, item: SelectionItem, sel: Selection | None) -> None:
        if sel is None:
            item.clear()
        elif sel.kind == "neuron":
            lay = self.layout.layers[sel.layer]
            x, y = lay.pos[sel.j]
            item.show_neuron(x, y, lay.radius, lay.cell if lay.image_rect is None else None)
        elif sel.kind == "bias":
            item.show_segment(self._edges[sel.layer - 1].bias_seg[sel.j])
        else:
            e = self._edges[sel.layer - 1]
            item.show_segment(e.segments([sel.j * e.prev.n + sel.k])[0])

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
            j = lay.neuron_at(x, y, drawn_as_cells(lay, 1 / px, self.colours.scale), 4 * px)
            if j is not None:
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
        return tooltip_text(self.doc, sel, full)

    def hover_at(self, pos) -> None:
        """Explain what is under the scene point ``pos`` (a tooltip and ``hovered``), or hide
        the tooltip over nothing; the scene's mouse moves come here."""
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
        sel = self.item_at(p.x(), p.y())
        if ev.modifiers() & Qt.KeyboardModifier.ControlModifier and sel is not None \
                and sel.kind != "neuron":
            self.second_selected.emit(sel)
            return
        self.doc.select(sel)

    def view_point(self, x: float, y: float):
        """Widget (viewport) coordinates, a QPoint, of the view point (x, y)."""
        return self.mapFromScene(self.vb.mapViewToScene(QPointF(x, y)))
