"""The plots' axes and legends: the least y span (no magnified noise) and the legend row above
the axes."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

#: The y axis of a plot never spans less than this fraction of the largest |value| it shows
#: (nor less than MIN_SPAN), so pyqtgraph's autoscale cannot magnify a change of 10⁻⁸ in an
#: error of 0.5 (saturated sigmoids learn that slowly) into a steep drop. On a log axis the
#: same relative resolution is a fixed number of decades.
MIN_SPAN_FRACTION = 1e-3
MIN_SPAN = 1e-12


def least_span(values, log: bool = False) -> float:
    """The narrowest y range (in the axis' own units: decades on a log axis) that shows
    ``values`` without magnifying noise: MIN_SPAN_FRACTION of the largest |value|."""
    if log:
        return MIN_SPAN_FRACTION / math.log(10)
    values = np.asarray(values, dtype=np.float64)
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 0.0
    return max(MIN_SPAN_FRACTION * top, MIN_SPAN)


def legend_above(plot, columns: int = 4) -> None:
    """The plot's legend in one row above its axes (where a title would be), so that it never
    covers a curve, however short the plots dock."""
    item = plot.getPlotItem()
    item.layout.removeItem(item.titleLabel)  # the plots have no title: the legend is it
    item.titleLabel.hide()
    legend = pg.LegendItem(colCount=columns, verSpacing=-6, horSpacing=12)
    item.layout.addItem(legend, 0, 1)
    item.legend = legend  # curves named from now on join it (and leave it when removed)


def theme_plots(widget, appearance) -> None:
    """Every pyqtgraph plot under ``widget`` in the colours of ``appearance`` (a
    ``theme.Appearance``): the background, and the axes' lines and text."""
    c = appearance.colours()
    for plot in widget.findChildren(pg.PlotWidget):
        plot.setBackground(c.plot_background)
        item = plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(c.plot_foreground))
            axis.setTextPen(pg.mkPen(c.plot_foreground))
