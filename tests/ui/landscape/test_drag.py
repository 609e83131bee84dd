"""Dragging the point of the Landscape with the mouse: one undoable edit of the parameter."""

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from nnviz.ui.model.selection import Selection


def test_a_mouse_drag_of_the_point_sets_the_parameter(qtbot, doc, panel):
    doc.select(Selection("bias", 3, 0))
    old = doc.net.biases[2][0]
    plot = panel.curve_plot
    vb = plot.getPlotItem().vb

    def at(x, y):
        return plot.mapFromScene(vb.mapViewToScene(QPointF(x, y)))

    c = panel.result
    start = at(c.value, c.E_value)
    end = at(c.value + 1.0, c.E_value)
    vp = plot.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 11):
        QTest.mouseMove(vp, start + (end - start) * (i / 10))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    new = doc.net.biases[2][0]
    assert abs(new - (old + 1.0)) < 0.05  # where the mouse let go, within a pixel or two
    assert doc.undo_stack.count() == 1 and doc.undo_stack.undoText().startswith("Set b³₀ to")
    assert panel.result.value == new
    doc.undo()
    assert doc.net.biases[2][0] == old
