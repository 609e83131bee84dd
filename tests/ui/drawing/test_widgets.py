"""The drawing panel's widgets: strokes, undo, erase, coordinates, keys, preview and bars."""

import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QInputDevice, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from nnviz.ui.drawing.bars import PredictionBars
from nnviz.ui.drawing.canvas import CANVAS_SIZE, DrawingCanvas, DrawingPreview
from nnviz.ui.drawing.panel import DrawingPanel


@pytest.fixture
def canvas(qtbot):
    c = DrawingCanvas()
    qtbot.addWidget(c)
    c.resize(300, 300)
    c.show()
    qtbot.waitExposed(c)
    return c


def move(widget, pos):
    """A mouse move with the left button held (sent directly: QTest's moves may not carry it)."""
    pos = QPointF(pos)
    ev = QMouseEvent(QEvent.Type.MouseMove, pos, widget.mapToGlobal(pos), Qt.MouseButton.NoButton,
                     Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, ev)


def drag(qtbot, widget, points):
    """Press at the first widget point, move through the others, release at the last."""
    points = [QPoint(round(p.x()), round(p.y())) for p in points]
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=points[0])
    for p in points[1:]:
        move(widget, p)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=points[-1])


def distance_to_polyline(points):
    """Distance of every pixel centre of the raster to a polyline in canvas pixels."""
    yy, xx = np.mgrid[:CANVAS_SIZE, :CANVAS_SIZE] + 0.5
    best = np.full(xx.shape, np.inf)
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:]):
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((xx - x0) * dx + (yy - y0) * dy) / max(dx * dx + dy * dy, 1e-12), 0, 1)
        best = np.minimum(best, np.hypot(xx - x0 - t * dx, yy - y0 - t * dy))
    return best


def test_drag_draws_along_the_path_and_nowhere_else(canvas, qtbot):
    emitted = []
    canvas.inkChanged.connect(lambda: emitted.append("ink"))
    canvas.strokeFinished.connect(lambda: emitted.append("finished"))
    path = [(60, 60), (220, 60), (120, 230)]  # a "7", in canvas pixels
    widget_points = [canvas.canvas_to_widget(x, y) for x, y in path]
    # many small steps, like a real drag: 40 events per segment
    dense = [widget_points[0]]
    for a, b in zip(widget_points[:-1], widget_points[1:]):
        dense += [a + (b - a) * (i / 40) for i in range(1, 41)]
    start = time.perf_counter()
    drag(qtbot, canvas, dense)
    elapsed_ms = (time.perf_counter() - start) * 1000

    ink = canvas.ink()
    d = distance_to_polyline([canvas.widget_to_canvas(QPointF(QPoint(round(p.x()), round(p.y()))))
                              for p in widget_points])
    r = canvas.brush_radius
    assert ink[d < r - 3].min() == 1.0  # the core is solid all along the path
    assert ink[d > r + 4].max() == 0.0  # nothing far from it
    assert not canvas.is_empty()
    assert emitted.count("finished") == 1 and emitted[-2:] == ["ink", "finished"]
    # throttled: one at the press, at most one per 16 ms frame, one at the release
    assert 2 <= emitted.count("ink") <= 2 + elapsed_ms / 16 + 1


def test_ink_changed_is_throttled_but_delivers_the_last_change(canvas, qtbot):
    import time

    times = []
    canvas.inkChanged.connect(lambda: times.append(time.perf_counter()))
    canvas.begin_stroke(50, 50)
    t = time.perf_counter()
    canvas.continue_stroke(60, 50)  # usually within the same frame: pending, not emitted yet
    # Delivered without a release: by the throttle timer (or at once on a slow machine).
    qtbot.waitUntil(lambda: any(ts >= t for ts in times), timeout=500)
    with qtbot.waitSignal(canvas.strokeFinished), qtbot.waitSignal(canvas.inkChanged):
        canvas.end_stroke()


def test_undo_restores_every_stroke_bit_for_bit(canvas, qtbot):
    snapshots = [canvas.ink()]
    for i, points in enumerate(([(40, 40), (240, 240)], [(240, 40), (40, 240)],
                                [(140, 20), (141, 260)], [(20, 140), (260, 143)])):
        canvas.set_erasing(i == 3)
        canvas.set_brush_radius(5 + 3 * i)
        canvas.draw_stroke(points, pressures=[0.3 + 0.2 * i, 1.0])
        snapshots.append(canvas.ink())
    assert not np.array_equal(snapshots[-1], snapshots[-2])
    for expected in reversed(snapshots[:-1]):
        with qtbot.waitSignal(canvas.inkChanged):
            assert canvas.undo_stroke()
        assert np.array_equal(canvas.ink(), expected)
    assert canvas.is_empty() and not canvas.can_undo() and not canvas.undo_stroke()


def test_clear_is_undoable_and_a_no_op_when_empty(canvas, qtbot):
    emitted = []
    canvas.inkChanged.connect(lambda: emitted.append(1))
    canvas.clear()
    assert not emitted and not canvas.can_undo()
    canvas.draw_stroke([(30, 30), (200, 100)])
    before = canvas.ink()
    canvas.clear()
    assert canvas.is_empty() and not canvas.ink().any()
    canvas.undo_stroke()
    assert np.array_equal(canvas.ink(), before)


def test_erase_lowers_ink(canvas):
    canvas.draw_stroke([(40, 140), (240, 140)])
    before = canvas.ink()
    canvas.set_erasing(True)
    canvas.draw_stroke([(140, 40), (140, 240)])
    after = canvas.ink()
    assert (after <= before).all()
    assert after[140, 140] == 0.0 and before[140, 140] == 1.0
    assert after[140, 60] == 1.0  # away from the eraser
    canvas.set_erasing(True)
    n = canvas.undo_count
    canvas.draw_stroke([(10, 10)])  # erasing paper changes nothing: no undo step
    assert canvas.undo_count == n


def test_tablet_pressure_scales_the_stroke_and_is_accepted(canvas):
    pen = QPointingDevice("pen", 1, QInputDevice.DeviceType.Stylus,
                          QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
                          1, 3)

    def width_of(pressure, y):
        a, b = canvas.canvas_to_widget(40, y), canvas.canvas_to_widget(240, y)
        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        for kind, pos, button, buttons in ((QEvent.Type.TabletPress, a, left, left),
                                           (QEvent.Type.TabletMove, b, none, left),
                                           (QEvent.Type.TabletRelease, b, left, none)):
            ev = QTabletEvent(kind, pen, pos, canvas.mapToGlobal(pos), pressure, 0, 0, 0, 0, 0,
                              Qt.KeyboardModifier.NoModifier, button, buttons)
            QApplication.sendEvent(canvas, ev)
            assert ev.isAccepted()
        return canvas.ink()[:, 140].sum()

    light, firm = width_of(0.2, 70), width_of(1.0, 200)
    assert 0 < light < 0.7 * firm


def test_set_ink_validates_clips_and_is_undoable(canvas):
    with pytest.raises(ValueError):
        canvas.set_ink(np.zeros((28, 28)))
    bad = np.zeros((CANVAS_SIZE, CANVAS_SIZE))
    bad[3, 4] = np.nan
    with pytest.raises(ValueError):
        canvas.set_ink(bad)
    assert canvas.is_empty() and not canvas.can_undo()
    image = np.linspace(-1, 2, CANVAS_SIZE * CANVAS_SIZE).reshape(CANVAS_SIZE, CANVAS_SIZE)
    canvas.set_ink(image)
    assert np.array_equal(canvas.ink(), np.clip(image, 0, 1))
    canvas.ink()[:] = 0  # a copy
    assert not canvas.is_empty()
    canvas.undo_stroke()
    assert canvas.is_empty()


@pytest.mark.parametrize("size, point, expected", [
    ((300, 300), (150, 150), (140, 140)),
    # 500×320: the square is 318 px at x = 91, y = 1
    ((500, 320), (91 + 318 // 4, 1 + 318 * 3 // 4), ((318 // 4) * 280 / 318,
                                                      (318 * 3 // 4) * 280 / 318)),
])
def test_widget_points_map_to_canvas_pixels_at_any_size(canvas, qtbot, size, point, expected):
    canvas.resize(*size)
    qtbot.waitUntil(lambda: canvas.size().toTuple() == size)
    canvas.set_brush_radius(4)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*point))
    ink = canvas.ink()
    yy, xx = np.mgrid[:CANVAS_SIZE, :CANVAS_SIZE] + 0.5
    centre = (float((ink * xx).sum() / ink.sum()), float((ink * yy).sum() / ink.sum()))
    assert centre == pytest.approx(expected, abs=0.3)


def test_keys_on_the_canvas_beat_window_shortcuts(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    document_undo = QAction("Undo", window)
    document_undo.setShortcut("Ctrl+Z")
    window.addAction(document_undo)
    triggered = []
    document_undo.triggered.connect(lambda: triggered.append(1))
    canvas = DrawingCanvas()
    QVBoxLayout(window).addWidget(canvas)
    window.show()
    qtbot.waitExposed(window)
    canvas.draw_stroke([(50, 50), (200, 200)])
    canvas.draw_stroke([(200, 50), (50, 200)])
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not triggered and canvas.undo_count == 1
    one_stroke = canvas.ink()
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert canvas.is_empty()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(canvas.ink(), one_stroke)
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.is_empty() and not triggered


def test_bars_highlight_the_top_answer(qtbot):
    bars = PredictionBars()
    qtbot.addWidget(bars)
    bars.show()
    assert bars.top_index() is None
    p = np.full(10, 0.02)
    p[7] = 0.82
    bars.set_outputs(p, "probability")
    assert bars.top_index() == 7 and bars.axis_label() == "probability"
    assert np.array_equal(bars.outputs(), p)
    bars.set_outputs(None, "probability")
    assert bars.top_index() is None and bars.outputs() is None
    bars.set_outputs(np.array([-3.0, 5.0, 1.0]), "activation")  # another net: 3 outputs
    assert bars.top_index() == 1 and bars.axis_label() == "output activation a^L_j"
    bars.set_outputs([np.nan, 0.1, np.inf, 0.3], "activation")  # a diverged net
    assert bars.top_index() == 3
    bars.set_outputs([np.nan, np.nan], "activation")
    assert bars.top_index() is None
    with pytest.raises(ValueError):
        bars.set_outputs(p, "logits")
    bars.set_outputs(None, "activation")
    assert bars.tooltip_at(0).startswith("No input")
    assert bars.grab().width() > 0


def test_bars_tooltips_give_full_values(qtbot):
    bars = PredictionBars()
    qtbot.addWidget(bars)
    bars.resize(300, 170)
    bars.set_outputs(np.array([0.123456789, 0.9]), "probability")
    plot = bars.plot_rect()
    assert bars.tooltip_at(plot.left() + 1) == "0: probability = 0.123456789"
    assert "1: 0.9" in bars.tooltip_at(0)


def test_preview_shows_an_image_or_no_input(qtbot):
    preview = DrawingPreview()
    qtbot.addWidget(preview)
    assert preview.image() is None
    image = np.zeros((28, 28))
    image[5:20, 14] = 1.5
    preview.set_image(image)
    assert preview.image().max() == 1.0 and preview.image()[10, 14] == 1.0
    grabbed = preview.grab().toImage()
    rect = preview.image_rect()
    dark = grabbed.pixelColor(int(rect.x() + rect.width() * 14.5 / 28),
                              int(rect.y() + rect.height() * 10.5 / 28))
    light = grabbed.pixelColor(int(rect.x() + rect.width() * 3.5 / 28),
                               int(rect.y() + rect.height() * 10.5 / 28))
    assert dark.value() < 10 and light.value() > 245  # black ink on white
    preview.set_image(None)
    assert preview.image() is None
    with pytest.raises(ValueError):
        preview.set_image(np.zeros(784))


def test_panel_wires_its_tools_and_fits_a_narrow_dock(qtbot):
    panel = DrawingPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 500)
    panel.show()
    qtbot.waitExposed(panel)
    for b in (panel.show_button, panel.step_button, panel.teach_button, panel.load_button):
        assert not b.isEnabled() and b.toolTip()
    assert not panel.undo_button.isEnabled() and not panel.clear_button.isEnabled()
    panel.canvas.draw_stroke([(50, 50), (200, 60)])
    assert panel.undo_button.isEnabled() and panel.clear_button.isEnabled()
    panel.erase_button.click()
    assert panel.canvas.erasing
    panel.canvas.set_erasing(False)
    assert not panel.erase_button.isChecked()
    panel.brush_slider.setValue(20)
    assert panel.canvas.brush_radius == 20
    panel.canvas.set_brush_radius(7)
    assert panel.brush_slider.value() == 7
    panel.clear_button.click()
    assert panel.canvas.is_empty()
    panel.undo_button.click()
    assert not panel.canvas.is_empty()
    panel.resize(360, 620)
    qtbot.waitUntil(lambda: panel.width() == 360)
    assert panel.narrow
    qtbot.waitUntil(lambda: panel.minimumSizeHint().width() <= 360)  # after the relayout
    panel.resize(800, 500)
    qtbot.waitUntil(lambda: not panel.narrow)


def test_the_canvas_image_is_rebuilt_only_when_the_ink_changes(canvas):
    canvas.repaint()
    cached = canvas.cached_image
    assert cached is not None
    canvas.repaint()
    assert canvas.cached_image is cached
    canvas.draw_stroke([(100, 100), (120, 100)])
    assert canvas.cached_image is None
    canvas.repaint()
    assert canvas.cached_image is not None and canvas.cached_image is not cached
