"""The Landscape panel's two pictures, drawing what the core computed (``core.landscape``):

* ``CurvePlot``: E as a function of one parameter, the current point, the tangent whose slope
  is the backpropagated ∂E/∂w, the step −η ∂E/∂w as an arrow along the axis and the point it
  lands on (E after), and while training the trail of the parameter over the run.
* ``GridPlot``: E over two parameters as a heatmap with contour lines, the current point, the
  step −η ∇E as an arrow, the descent path from the point and from random restarts.

The current point can be dragged: ``dragged(stage, values)`` with stage "start", "move" or
"end" (the panel turns a drag into one undoable edit).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal

#: Colours (RGB): the curve, the point, the tangent, the step and the point after it, the
#: restarts, the trail (Okabe–Ito, distinct for colour-blind readers).
INK = {"curve": (40, 40, 40), "point": (0, 114, 178), "tangent": (230, 159, 0),
       "step": (213, 94, 0), "after": (213, 94, 0), "restart": (204, 121, 167),
       "trail": (0, 158, 115), "path": (255, 255, 255)}
#: Contour lines drawn over the heatmap.
CONTOURS = 9


class DragPoint(pg.ScatterPlotItem):
    """A scatter point that reports drags of itself (in data coordinates) to ``on_drag``."""

    def __init__(self, on_drag, **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_drag = on_drag
        self._dragging = False
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    def mouseDragEvent(self, ev) -> None:  # noqa: N802 - pyqtgraph's API
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            if not len(self.pointsAt(ev.buttonDownPos())):
                ev.ignore()
                return
            self._dragging = True
            self.on_drag("start", ev.buttonDownPos())
        if not self._dragging:
            ev.ignore()
            return
        ev.accept()
        self.on_drag("move", ev.pos())
        if ev.isFinish():
            self._dragging = False
            self.on_drag("end", ev.pos())


def _finite_range(values) -> tuple[float, float] | None:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return (float(v.min()), float(v.max())) if v.size else None


def _style_axes(plot: pg.PlotWidget, c) -> None:
    plot.setBackground(c.plot_background)
    item = plot.getPlotItem()
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(c.plot_foreground)
        axis.setTextPen(c.text)
        axis.enableAutoSIPrefix(False)


class CurvePlot(pg.PlotWidget):
    """E(w) with the point, the tangent, the step and (training) the trail."""

    dragged = Signal(str, object)  # stage, (value,)

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(260, 200)
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("left", "E")
        self.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        self.curve = pg.PlotDataItem(pen=pg.mkPen(INK["curve"], width=2))
        self.tangent = pg.PlotDataItem(pen=pg.mkPen(INK["tangent"], width=2,
                                                    style=Qt.PenStyle.DashLine))
        self.step_line = pg.PlotDataItem(pen=pg.mkPen(INK["step"], width=3))
        self.drop_line = pg.PlotDataItem(pen=pg.mkPen(INK["step"], width=1,
                                                      style=Qt.PenStyle.DotLine))
        self.arrow = pg.ArrowItem(angle=0, headLen=16, tipAngle=35, tailLen=0, pen=None,
                                  brush=INK["step"])
        self.after = pg.ScatterPlotItem(size=11, pen=pg.mkPen(INK["after"], width=2),
                                        brush=pg.mkBrush(255, 255, 255))
        self.trail = pg.PlotDataItem(pen=pg.mkPen(INK["trail"], width=2), symbol="o",
                                     symbolSize=4, symbolBrush=INK["trail"], symbolPen=None)
        self.point = DragPoint(self._on_drag, size=14, pen=pg.mkPen("w", width=1.5),
                               brush=pg.mkBrush(*INK["point"]))
        self.after_text = pg.TextItem(anchor=(0.5, -0.25), color=INK["after"])
        self.slope_text = pg.TextItem(anchor=(0.5, 1.1), color=INK["tangent"])
        for it in (self.curve, self.trail, self.tangent, self.drop_line, self.step_line,
                   self.arrow, self.after, self.point, self.after_text, self.slope_text):
            self.addItem(it)
        self.shown = None  # the Curve drawn

    def _on_drag(self, stage: str, pos) -> None:
        self.dragged.emit(stage, (float(pos.x()),))

    def set_colours(self, c) -> None:
        """Background, axes and curve for a theme's ``Colours``."""
        _style_axes(self, c)
        self.curve.setPen(pg.mkPen(c.curves.get("train", INK["curve"]), width=2))

    def show_curve(self, c, name: str, show_slope: bool, trail=None) -> None:
        """Draw a core ``Curve`` for the parameter called ``name``; the tangent and the step
        only when ``show_slope``; ``trail`` (values, E) of a training run."""
        self.shown = c
        item = self.getPlotItem()
        item.setLabel("bottom", name)
        finite = np.where(np.isfinite(c.E), c.E, np.nan)
        self.curve.setData(c.values, finite, connect="finite")
        self.point.setData([c.value], [c.E_value])
        lo, hi = float(c.values[0]), float(c.values[-1])
        yr = _finite_range(c.E) or (0.0, 1.0)
        ys = [yr[0], yr[1], c.E_value]
        for part in (self.tangent, self.step_line, self.drop_line):
            part.setVisible(show_slope)
        self.arrow.setVisible(show_slope)
        self.after.setVisible(show_slope)
        self.after_text.setVisible(show_slope)
        self.slope_text.setVisible(show_slope)
        if show_slope:
            half = 0.18 * (hi - lo)
            tx = np.array([c.value - half, c.value + half])
            self.tangent.setData(tx, c.E_value + c.slope * (tx - c.value))
            self.step_line.setData([c.value, c.step_to], [c.E_value, c.E_value])
            self.arrow.setPos(c.step_to, c.E_value)
            self.arrow.setStyle(angle=0 if c.step_to < c.value else 180)
            self.arrow.setVisible(c.step_to != c.value)
            if math.isfinite(c.E_after):
                self.drop_line.setData([c.step_to, c.step_to], [c.E_value, c.E_after])
                self.after.setData([c.step_to], [c.E_after])
                self.after_text.setText(f"E after = {c.E_after:.4g}")
                self.after_text.setPos(c.step_to, c.E_after)
                ys.append(c.E_after)
            self.slope_text.setText(f"slope {c.slope:.4g}")
            end = tx[1] if c.slope >= 0 else tx[0]  # the tangent's upper end
            self.slope_text.setPos(end, c.E_value + c.slope * (end - c.value))
            ys.append(c.E_value + abs(c.slope) * half)
        if trail is not None and len(trail[0]):
            self.trail.setData(*trail)
            self.trail.show()
            ys += [v for v in trail[1] if math.isfinite(v)]
            lo, hi = min(lo, min(trail[0])), max(hi, max(trail[0]))
        else:
            self.trail.hide()
        ymin, ymax = min(ys), max(ys)
        pad = 0.08 * (ymax - ymin or max(abs(ymax), 1e-6))
        self.setXRange(lo, hi, padding=0.02)
        self.setYRange(ymin - pad, ymax + 2 * pad, padding=0)  # room for the slope's label


class GridPlot(pg.PlotWidget):
    """E over two parameters: heatmap and contours, the point, the step, the descent paths."""

    dragged = Signal(str, object)  # stage, (value1, value2)

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(260, 240)
        item = self.getPlotItem()
        self.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.addItem(self.image)
        self.contours = []
        self.restarts: list = []
        self.restart_ends = pg.ScatterPlotItem(symbol="x", size=12,
                                               pen=pg.mkPen(INK["restart"], width=2))
        self.restart_starts = pg.ScatterPlotItem(symbol="o", size=7, brush=None,
                                                 pen=pg.mkPen(INK["restart"], width=1.5))
        self.path = pg.PlotDataItem(pen=pg.mkPen(INK["path"], width=2), symbol="o",
                                    symbolSize=4, symbolBrush=INK["path"], symbolPen=None)
        self.step_line = pg.PlotDataItem(pen=pg.mkPen(INK["step"], width=3))
        self.arrow = pg.ArrowItem(headLen=16, tipAngle=35, tailLen=0, pen=None,
                                  brush=INK["step"])
        self.trail = pg.PlotDataItem(pen=pg.mkPen(INK["trail"], width=2))
        self.point = DragPoint(self._on_drag, size=14, pen=pg.mkPen("w", width=1.5),
                               brush=pg.mkBrush(*INK["point"]))
        for it in (self.restart_starts, self.restart_ends, self.path, self.trail,
                   self.step_line, self.arrow, self.point):
            self.addItem(it)
        self.shown = None

    def _on_drag(self, stage: str, pos) -> None:
        self.dragged.emit(stage, (float(pos.x()), float(pos.y())))

    def set_colours(self, c) -> None:
        _style_axes(self, c)

    def show_grid(self, g, names, show_step: bool, trail=None) -> None:
        """Draw a core ``Grid`` for parameters called ``names``."""
        self.shown = g
        self.show_heatmap(g.E, g.values, names)
        self.point.setData([g.value[0]], [g.value[1]])
        for r in self.restarts:
            self.removeItem(r)
        self.restarts = []
        ends = []
        for path in g.restarts:
            line = pg.PlotDataItem(path.points[:, 0], path.points[:, 1],
                                   pen=pg.mkPen(INK["restart"], width=2))
            self.addItem(line)
            self.restarts.append(line)
            ends.append(path.points[-1])
        self.restart_ends.setData([e[0] for e in ends], [e[1] for e in ends])
        self.restart_starts.setData([p.points[0, 0] for p in g.restarts],
                                    [p.points[0, 1] for p in g.restarts])
        if g.path is not None:
            self.path.setData(g.path.points[:, 0], g.path.points[:, 1])
        else:
            self.path.setData([], [])
        self.step_line.setVisible(show_step)
        self.arrow.setVisible(show_step and bool(np.any(g.step_to != g.value)))
        if show_step:
            self.step_line.setData([g.value[0], g.step_to[0]], [g.value[1], g.step_to[1]])
            self.arrow.setPos(float(g.step_to[0]), float(g.step_to[1]))
        if trail is not None and len(trail[0]):
            self.trail.setData(*trail)
            self.trail.show()
        else:
            self.trail.hide()
        self._aim_arrow()

    def show_heatmap(self, E, axes, names) -> None:
        """The heatmap and contours of E (n1, n2) over ``axes`` alone (rows not computed yet
        are NaN: drawn as the highest E), for a grid drawn as it is computed."""
        item = self.getPlotItem()
        item.setLabel("bottom", names[0])
        item.setLabel("left", names[1])
        (x0, x1), (y0, y1) = [(float(a[0]), float(a[-1])) for a in axes]
        E = np.where(np.isfinite(E), E, np.nan)
        finite = E[np.isfinite(E)]
        lo, hi = (float(finite.min()), float(np.percentile(finite, 98))) if finite.size else (
            0.0, 1.0)
        hi = hi if hi > lo else lo + 1e-12
        shown = np.clip(np.nan_to_num(E, nan=hi), lo, hi)
        n1, n2 = E.shape
        dx, dy = (x1 - x0) / max(n1 - 1, 1), (y1 - y0) / max(n2 - 1, 1)
        self.image.setImage(shown, levels=(lo, hi), autoLevels=False)
        self.image.setRect(QRectF(x0 - dx / 2, y0 - dy / 2, x1 - x0 + dx, y1 - y0 + dy))
        for c in self.contours:
            if c.scene() is not None:
                c.scene().removeItem(c)
        self.contours = []
        for level in np.linspace(lo, hi, CONTOURS + 2)[1:-1]:
            iso = pg.IsocurveItem(data=shown, level=float(level),
                                  pen=pg.mkPen(255, 255, 255, 90, width=1))
            iso.setParentItem(self.image)
            self.contours.append(iso)
        self.setXRange(x0, x1, padding=0)
        self.setYRange(y0, y1, padding=0)

    def _aim_arrow(self) -> None:
        """Point the arrow head along the step on screen (the axes have different scales)."""
        g = self.__dict__.get("shown")  # resizeEvent comes before __init__ has set it
        if g is None:
            return
        px, py = self.getPlotItem().vb.viewPixelSize()
        sx = (g.step_to[0] - g.value[0]) / max(px, 1e-300)
        sy = -(g.step_to[1] - g.value[1]) / max(py, 1e-300)  # screen y grows downwards
        # pyqtgraph's arrow points left at angle 0 and turns clockwise on screen
        self.arrow.setStyle(angle=180 + math.degrees(math.atan2(sy, sx)))

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt's API
        super().resizeEvent(ev)
        self._aim_arrow()
