"""Fitting and zooming the network graph, and the room the walk's layer gets in presentation
mode: a mixin of NetworkGraphView (it uses the view's ``vb``, ``layout``, ``legend``,
``bounds``, ``doc`` and ``rebuild``).

Zoom is semantic: every paint decides per layer whether its neurons are discs or a block of
cells (``layout.drawn_as_cells``), so the wheel, the zoom keys, presentation mode's Z / Shift+Z
and Fit all switch the drawing, and hit tests ask the same question at the view's zoom.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QRectF

from .layout import compute_layout, drawn_as_cells, image_shape_for


class ZoomControl:
    """Fit, zoom and the emphasised layer of NetworkGraphView."""

    # -- semantic zoom -----------------------------------------------------------------------
    def zoom_level(self) -> float:
        """Screen pixels per scene unit now."""
        return 1.0 / max(float(self.vb.viewPixelSize()[0]), 1e-12)

    def drawn_as_cells(self, layer: int) -> bool:
        """Whether layer ``layer`` is drawn as a block of cells at the current zoom (its discs
        would be too small to read)."""
        return drawn_as_cells(self.layout.layers[layer], self.zoom_level(), self.colours.scale)

    # -- the walk's layer gets room ----------------------------------------------------------
    #: A network with more edges than this gets no emphasis: moving a layer rebuilds every
    #: item, ~0.2 s per million edges, at every step of the walk.
    EMPHASIS_MAX_EDGES = 1_000_000

    def emphasised_layer(self) -> int | None:
        """The layer given more room: the walk's current layer while ``emphasis`` is on (and
        the network is not too big to be laid out again at each step)."""
        walk, sizes = self.doc.walk, self.doc.net.sizes
        if not getattr(self, "emphasis", False) or walk is None:
            return None
        if sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) > self.EMPHASIS_MAX_EDGES:
            return None
        return walk.current_layer

    def set_emphasis(self, on: bool) -> None:
        """Give the walk's current layer more room (a bigger block; presentation mode)."""
        if on != self.emphasis:
            self.emphasis = on
            if self._emphasis_moved():
                self.rebuild()

    def _emphasis_moved(self) -> bool:
        """Whether the layout would change with the emphasised layer as it is now."""
        layer = self.emphasised_layer()
        if layer == self.layout.emphasis:
            return False
        net, old = self.doc.net, self.layout
        if len(net.sizes) != len(old.layers):
            return True
        shape = image_shape_for(net.sizes[0], self.doc.input_shape)
        new = compute_layout(net.sizes, shape, self.options["show_bias"], old.aspect, layer)
        if all(a.pos.shape == b.pos.shape and np.array_equal(a.pos, b.pos)
               for a, b in zip(new.layers, old.layers)):
            old.emphasis = layer  # the same picture: nothing to rebuild
            return False
        return True

    # -- view control ------------------------------------------------------------------------
    def fit(self) -> None:
        """Show the whole network; if the legend would then cover a neuron, make room for it
        above (the legend grows with the scale), and below for the layers' readouts as
        drawn."""
        x0, y0, x1, y1 = self.bounds()
        self.vb.setRange(QRectF(x0, y0, x1 - x0, y1 - y0), padding=0.02)
        readouts = getattr(self, "_readouts", None)
        for _ in range(3):  # room for the legend above, the layers' readouts below
            extra = self.legend.overlap() if hasattr(self, "legend") else 0.0
            low = readouts.lowest(self) if readouts is not None else y1
            if extra <= 0 and low <= self.vb.viewRect().bottom():
                break
            y0, y1 = y0 - max(extra, 0.0), max(y1, low)
            self.vb.setRange(QRectF(x0, y0, x1 - x0, y1 - y0), padding=0.02)
        self._auto_fit = True

    @contextmanager
    def sized_for(self, width: int, height: int):
        """For the duration: the view ``width`` x ``height`` pixels with the whole network
        fitted in (a slide's shape); afterwards its size, range and fitting as before."""
        size, rect, auto = self.size(), QRectF(self.vb.viewRect()), self._auto_fit
        self.resize(width, height)
        self.fit()
        try:
            yield
        finally:
            self.resize(size)
            self.vb.setRange(rect, padding=0)
            self._auto_fit = auto
            if auto:
                self.fit()

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

