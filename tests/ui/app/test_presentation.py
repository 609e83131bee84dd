"""Presentation mode: F5 in, Esc out with the layout exactly as it was; the clicker keys work
whatever has the focus; the scale; zooming to the selection."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from nnviz.core.session import TrainingState
from nnviz.ui.model.selection import Selection


def docks(window):
    return {d.objectName(): d.isVisible() for d in window.findChildren(QDockWidget)}


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(widget, key, modifier)


def test_f5_enters_and_escape_restores_the_layout_exactly(window, qtbot):
    pm = window.presentation
    before, shown, font = window.saveState(), docks(window), window.font()
    press(qtbot, window.view, Qt.Key.Key_F5)
    assert pm.active and window.isFullScreen()
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert not any(docks(window).values())  # nothing stepping or training: the graph alone
    assert window.font().pointSizeF() > font.pointSizeF() * 1.5  # see test_presentation_readable
    assert pm.hint.isVisible()
    press(qtbot, window.view, Qt.Key.Key_Escape)
    assert not pm.active and not window.isFullScreen()
    # Dock sizes settle at the next layout pass.
    qtbot.waitUntil(lambda: window.saveState() == before, timeout=2000)
    assert docks(window) == shown and window.size().toTuple() == (1200, 800)
    assert window.font() == font and window.menuBar().isVisible()
    assert window.act_zoom_in.isEnabled()


def test_the_activity_decides_which_docks_show(window, qtbot):
    pm = window.presentation
    pm.enter()
    press(qtbot, window.view, Qt.Key.Key_PageDown)  # stepping starts: its equations show
    assert window.doc.stepping
    assert docks(window)["equationsDock"] and not docks(window)["steppingDock"]
    pm.leave()


@pytest.mark.parametrize("focus", ["view", "equations", "pace"])
def test_clicker_keys_work_whatever_has_the_focus(window, qtbot, focus):
    doc, pm = window.doc, window.presentation
    pm.enter()
    target = {"view": window.view, "equations": window.equations,
              "pace": window.stepping.pace}[focus]
    target.setFocus()
    press(qtbot, target, Qt.Key.Key_PageDown)
    press(qtbot, target, Qt.Key.Key_PageDown)
    press(qtbot, target, Qt.Key.Key_Right)
    assert doc.walk.index == 2
    press(qtbot, target, Qt.Key.Key_PageUp)
    assert doc.walk.index == 1
    press(qtbot, target, Qt.Key.Key_Home)
    assert doc.walk.index == 0
    press(qtbot, target, Qt.Key.Key_H)
    assert not pm.hint.isVisible()
    press(qtbot, target, Qt.Key.Key_H)
    assert pm.hint.isVisible()
    scale = pm.scale
    press(qtbot, target, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert pm.scale == pytest.approx(scale + 0.2)
    press(qtbot, target, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert pm.scale == pytest.approx(scale)
    press(qtbot, target, Qt.Key.Key_Question)
    assert pm.keys_overlay.isVisible()
    index = doc.walk.index
    press(qtbot, target, Qt.Key.Key_Space)  # any key closes it, without stepping
    assert not pm.keys_overlay.isVisible() and doc.walk.index == index
    assert doc.stepping  # Esc leaves the mode but does not stop stepping
    press(qtbot, target, Qt.Key.Key_Escape)
    assert not pm.active and doc.stepping


def test_b_and_period_start_and_pause_training(window, qtbot):
    pm, ctl = window.presentation, window.trainer
    pm.enter()
    with qtbot.waitSignal(ctl.stateChanged, timeout=30000):
        press(qtbot, window.view, Qt.Key.Key_B)
    assert ctl.state in (TrainingState.STARTING, TrainingState.RUNNING, TrainingState.FINISHED)
    assert docks(window)["plotsDock"] and not docks(window)["trainingDock"]
    if ctl.state is not TrainingState.FINISHED:
        press(qtbot, window.view, Qt.Key.Key_Period)
        qtbot.waitUntil(lambda: ctl.state in (TrainingState.PAUSED, TrainingState.FINISHED),
                        timeout=30000)
    ctl.close()
    pm.leave()


def test_the_scale_is_remembered_and_bounded(window, settings):
    pm = window.presentation
    pm.set_scale(2.4)
    assert settings.value("presentation/scale") in (2.4, "2.4")
    pm.set_scale(99)
    assert pm.scale == 3.0
    pm.set_scale(0.1)
    assert pm.scale == 1.0


def test_zoom_to_the_selected_neuron_and_its_layer(window, qtbot):
    pm, view = window.presentation, window.view
    pm.enter()
    window.doc.select(Selection("neuron", 1, 0))
    lay = view.layout.layers[1]
    press(qtbot, window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not pm.zooming, timeout=2000)
    rect = view.vb.viewRect()
    cx, cy = lay.pos[0]
    assert rect.contains(cx, cy) and rect.width() < 20 * lay.radius
    press(qtbot, window.view, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: not pm.zooming, timeout=2000)
    assert all(view.vb.viewRect().contains(x, y) for x, y in lay.pos)
    pm.leave()


def test_a_construction_panel_in_use_stays_in_presentation_mode(window):
    window.approximation_dock.show()
    window.presentation.enter(full_screen=False)
    assert docks(window)["approximationDock"] and not docks(window)["aboutDock"]
    window.presentation.leave()
    assert docks(window)["approximationDock"] and docks(window)["aboutDock"]
