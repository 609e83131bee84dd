"""The Landscape dock in the window: View › Landscape (Ctrl+Shift+G), the Inspector's
"Landscape" button, and Ctrl+click in the graph for a second parameter (not a selection)."""

from PySide6.QtCore import Qt

from nnviz.core.landscape import Parameter
from nnviz.ui.model.selection import Selection


def test_the_view_menu_and_the_inspector_button_show_it(window, qtbot):
    dock = window.landscape.dock
    assert not dock.isVisible()
    act = dock.toggleViewAction()
    assert act.shortcut().toString() == "Ctrl+Shift+G"
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert act in view_menu.actions()
    window.doc.select(Selection("edge", 2, 0, 1))
    window.inspector_dock.raise_()
    qtbot.mouseClick(window.inspector.landscape_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dock.isVisible)
    panel = window.landscape.panel
    assert panel.result.param == Parameter("w", 2, 0, 1)
    act.trigger()
    assert not dock.isVisible()


def test_ctrl_click_on_an_edge_adds_a_second_parameter(window, qtbot):
    view, doc = window.view, window.doc
    doc.select(Selection("bias", 2, 0))
    seg = view.edge_items[0].seg_all[1 * view.edge_items[0].prev.n + 0]  # w¹₁₀
    mx, my = seg[0] + 0.25 * (seg[2] - seg[0]), seg[1] + 0.25 * (seg[3] - seg[1])
    assert view.item_at(mx, my) == Selection("edge", 1, 1, 0)
    with qtbot.waitSignal(view.second_selected) as second:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.ControlModifier, pos=view.view_point(mx, my))
    assert second.args[0] == Selection("edge", 1, 1, 0)
    assert doc.selection == Selection("bias", 2, 0)  # the selection stays
    panel = window.landscape.panel
    assert window.landscape.dock.isVisible()
    assert [p.spec for p in panel.result.params] == ["b:2:0", "w:1:1:0"]
    # a plain click still selects
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.view_point(mx, my))
    assert doc.selection == Selection("edge", 1, 1, 0)
