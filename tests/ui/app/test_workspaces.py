"""Workspaces: each activity's docks, the graph never below half the window (at 1366x768 and
1920x1080), tabs and Ctrl+1…5, each layout remembered, and activities switching."""

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QTabBar

from nnviz.ui.app.workspaces import GRAPH_SHARE, WORKSPACES


def settle(qtbot, window):
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(20)  # the room-keeping pass runs after the layout
    QApplication.processEvents()


def shown(window):
    return {name for name, d in window.workspaces.docks().items() if d.isVisibleTo(window)}


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
@pytest.mark.parametrize("preset", ["xor", "mnist-30", "steps"])
def test_the_graph_keeps_half_the_window_in_every_workspace(window, qtbot, size, preset):
    window.load_preset(preset)
    window.resize(*size)
    settle(qtbot, window)
    for ws in WORKSPACES:
        window.workspaces.switch(ws.key)
        settle(qtbot, window)
        assert window.workspaces.current == ws.key
        assert set(ws.docks) <= shown(window)
        if ws.choose:  # the construction that fits the network
            fitting = "approximationDock" if preset == "steps" else "playgroundDock"
            assert fitting in shown(window)
        view = window.view
        # no tab bar of tabbed docks left over the graph (Qt leaves one behind at times)
        assert not [b for b in window.findChildren(QTabBar) if b.parent() is window
                    and b.isVisible() and b.geometry().intersects(view.geometry())], ws.key
        assert view.width() >= GRAPH_SHARE * window.width(), (ws.key, view.width())
        assert view.height() >= GRAPH_SHARE * window.height(), (ws.key, view.height())


def test_tabs_menu_and_keys_switch(window, qtbot):
    ws = window.workspaces
    ws.tabs.setCurrentIndex(2)
    assert ws.current == "train" and ws.actions["train"].isChecked()
    assert window.training_dock.isVisible() and not window.about_dock.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert ws.current == "draw" and ws.tabs.currentIndex() == 3
    assert window.drawing_dock.isVisible()
    ws.actions["explore"].trigger()
    assert ws.current == "explore" and window.about_dock.isVisible()
    assert not window.drawing_dock.isVisible()


def test_each_layout_is_remembered_across_switches_and_runs(qtbot, settings):
    from nnviz.ui.app.main_window import MainWindow

    win = MainWindow(settings=settings, preset="xor", load_data=False)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.workspaces.switch("train")
    win.plots_dock.hide()  # the user's own layout of Train
    win.workspaces.switch("explore")
    assert win.about_dock.isVisible()
    win.workspaces.switch("train")
    assert not win.plots_dock.isVisible() and win.training_dock.isVisible()
    win.close()
    again = MainWindow(settings=QSettings(settings.fileName(), QSettings.Format.IniFormat),
                       load_data=False)
    qtbot.addWidget(again)
    again.show()
    assert again.workspaces.current == "train" and again.workspaces.tabs.currentIndex() == 2
    assert not again.plots_dock.isVisibleTo(again)
    assert again.training_dock.isVisibleTo(again)


def test_starting_an_activity_brings_its_workspace(window, qtbot):
    ws = window.workspaces
    assert ws.current == "explore"
    window.doc.walk_go(1)  # stepping
    assert ws.current == "step" and window.equations_dock.isVisible()
    window.doc.stop_stepping()
    window.drawing_dock.show()
    assert ws.current == "draw"
    window.doc.walk_go(1)  # drawing steps its digit through: the canvas stays
    assert ws.current == "draw" and window.drawing_dock.isVisible()
    window.doc.stop_stepping()
    window.approximation_dock.show()  # asked for by name: shown, whatever the network
    assert ws.current == "constructions" and window.approximation_dock.isVisible()
    assert not window.playground_dock.isVisible()
    ws.switch("explore")
    window.playground_dock.show()
    assert ws.current == "constructions" and window.playground_dock.isVisible()
    assert not window.approximation_dock.isVisible()


def test_presentation_mode_is_left_alone_and_its_layout_comes_back(window):
    ws = window.workspaces
    ws.switch("train")
    window.presentation.enter(full_screen=False)
    ws.switch("draw")  # refused while presenting
    assert ws.current == "train" and ws.tabs.currentIndex() == 2
    window.presentation.leave()
    assert ws.current == "train" and window.training_dock.isVisible()


def test_a_dock_opened_later_leaves_the_graph_half_the_window(window, qtbot):
    window.resize(1366, 768)
    window.workspaces.switch("step")
    settle(qtbot, window)
    window.landscape.show()  # a tall dock at the bottom, beside the equations
    qtbot.waitUntil(lambda: window.landscape.dock.isVisible())
    settle(qtbot, window)
    assert window.view.height() >= GRAPH_SHARE * window.height()
    assert window.view.width() >= GRAPH_SHARE * window.width()


def test_the_tabs_keep_a_row_of_their_own_under_an_older_saved_layout(qtbot, settings):
    """A layout saved before the tabs existed (its tool bars on one row) is restored with
    the tabs on their own row, whole."""
    from PySide6.QtWidgets import QToolBar

    from nnviz.ui.app.main_window import MainWindow

    old = MainWindow(settings=settings, preset="xor", load_data=False)
    qtbot.addWidget(old)
    old.removeToolBar(old.workspaces.toolbar)  # as the window was before workspaces
    for bar in old.findChildren(QToolBar):
        old.removeToolBarBreak(bar)
    settings.setValue("windowState", old.saveState())
    old.close()
    win = MainWindow(settings=QSettings(settings.fileName(), QSettings.Format.IniFormat),
                     load_data=False)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    bar = win.workspaces.toolbar
    assert win.toolBarBreak(bar) and bar.isVisible()
    tabs = win.workspaces.tabs
    assert all(tabs.tabRect(i).right() <= bar.width() for i in range(tabs.count()))
