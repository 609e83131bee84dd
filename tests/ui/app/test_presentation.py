"""Presentation mode: F5 in, Esc out with the layout exactly as it was; the clicker keys work
whatever has the focus; the scale; zooming to the selection."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from nnviz.core.session import TrainingState
from nnviz.ui.app.overlays import KEYS
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


def test_t_starts_and_pauses_training(window, qtbot):
    pm, ctl = window.presentation, window.trainer
    pm.enter()
    with qtbot.waitSignal(ctl.stateChanged, timeout=30000):
        press(qtbot, window.view, Qt.Key.Key_T)
    assert ctl.state in (TrainingState.STARTING, TrainingState.RUNNING, TrainingState.FINISHED)
    assert docks(window)["plotsDock"] and not docks(window)["trainingDock"]
    if ctl.state is not TrainingState.FINISHED:
        press(qtbot, window.view, Qt.Key.Key_T)
        qtbot.waitUntil(lambda: ctl.state in (TrainingState.PAUSED, TrainingState.FINISHED),
                        timeout=30000)
    ctl.close()
    pm.leave()


@pytest.mark.parametrize("key", [Qt.Key.Key_B, Qt.Key.Key_Period])
def test_b_and_period_blank_the_screen_until_any_key_or_click(window, qtbot, key):
    """Clickers send B or period for "blank screen": they black the window out (they started
    training before); any key or click brings the picture back, and does nothing else."""
    doc, pm, ctl = window.doc, window.presentation, window.trainer
    press(qtbot, window.view, key)  # not presenting: these keys are free
    assert not pm.blank_screen.isVisible()
    pm.enter(full_screen=False)
    doc.start_stepping()
    press(qtbot, window.view, key)
    blank = pm.blank_screen
    assert blank.isVisible() and blank.geometry() == window.rect()
    assert blank.grab().toImage().pixelColor(5, 5).name() == "#000000"
    assert not ctl.state.active
    window.resize(1000, 700)
    assert blank.geometry() == window.rect()
    press(qtbot, window.view, Qt.Key.Key_PageDown)  # brings the picture back, without stepping
    assert not blank.isVisible() and doc.walk.index == 0
    press(qtbot, window.view, key)
    assert blank.isVisible()
    qtbot.mouseClick(blank, Qt.MouseButton.LeftButton)
    assert not blank.isVisible() and doc.walk.index == 0
    press(qtbot, window.view, Qt.Key.Key_PageDown)
    assert doc.walk.index == 1
    assert pm.act_blank.shortcuts()[0].toString() == "B"
    assert any("blank" in v for k, v in KEYS if k.startswith("B"))
    assert any(k == "T" and "training" in v for k, v in KEYS)
    assert "T: train" in pm.hint.text() and "B: blank" in pm.hint.text()
    pm.leave()


@pytest.mark.parametrize("preset", ["xor", "running-example"])
def test_the_key_hint_never_covers_the_stage_caption(window, qtbot, preset):
    """The hint sat bottom left, over the input layer's band and its caption "a⁰ = x"."""
    window.load_preset(preset)
    doc, pm = window.doc, window.presentation
    window.resize(1280, 720)
    pm.enter(full_screen=False)
    doc.start_stepping()
    qtbot.waitUntil(lambda: window.view.width() == window.width())  # the side docks went
    assert pm.stage_rect() is not None  # the input layer's band
    for index in range(len(doc.walk.stages)):
        doc.walk_go(index)
        stage = pm.stage_rect()
        if stage is not None:  # the gradients and the update have no band
            assert not pm.hint.geometry().intersects(stage), (index, pm.hint.geometry(), stage)
        assert window.view.rect().contains(pm.hint.geometry())
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
    before = docks(window)
    assert before["approximationDock"]
    window.presentation.enter(full_screen=False)
    assert docks(window)["approximationDock"] and not docks(window)["aboutDock"]
    window.presentation.leave()
    assert docks(window) == before


def test_keys_for_several_steps_of_descent_eta_and_the_edges(window, qtbot):
    """→ at the update walks on from the new weights; + and − change η; W what edges show."""
    doc, pm = window.doc, window.presentation
    pm.enter(full_screen=False)
    press(qtbot, window.view, Qt.Key.Key_End)  # starts stepping, then to the update
    press(qtbot, window.view, Qt.Key.Key_End)
    first = doc.walk
    assert first.updated
    press(qtbot, window.view, Qt.Key.Key_PageDown)
    assert doc.walk is not first and doc.walk.index == 0 and doc.undo_stack.count() == 1
    press(qtbot, window.view, Qt.Key.Key_Plus)
    assert doc.step_eta == 1.0 and doc.walk.eta == 1.0
    assert pm.note.isVisible() and pm.note.text() == "learning rate η = 1"
    press(qtbot, window.view, Qt.Key.Key_Equal)  # "+" without Shift
    assert doc.step_eta == 2.0
    press(qtbot, window.view, Qt.Key.Key_Minus)
    press(qtbot, window.view, Qt.Key.Key_Minus)
    assert doc.step_eta == 0.5
    assert not pm.note.geometry().intersects(pm.hint.geometry())
    press(qtbot, window.view, Qt.Key.Key_W)
    assert doc.edge_quantity == "grad" and "once the walk has the gradients" in pm.note.text()
    while doc.walk.stage.kind != "gradients":
        press(qtbot, window.view, Qt.Key.Key_Right)
    assert window.view.shown_quantity == "grad"
    press(qtbot, window.view, Qt.Key.Key_W)
    assert window.view.shown_quantity == "step" and pm.note.text() == "edges show " \
        "pending Δw = −η ∂E/∂w"
    scale = pm.scale
    press(qtbot, window.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert pm.scale == pytest.approx(scale + 0.2) and doc.step_eta == 0.5  # Ctrl: the size
    pm.leave()
    press(qtbot, window.view, Qt.Key.Key_Plus)  # only while presenting
    assert doc.step_eta == 0.5 and not pm.note.isVisible()


@pytest.mark.parametrize("preset", ["running-example", "mnist-30"])
def test_y_gives_the_input_another_target_without_leaving_presentation(window, qtbot, mnist,
                                                                      preset):
    """A lecture's "and if y were…": one output flips between 1 and 0, several outputs move
    the one-hot target to the next class; the walk restarts with it."""
    window.load_preset(preset)
    if preset == "mnist-30":
        window.use_mnist(mnist)
    doc, pm = window.doc, window.presentation
    pm.enter(full_screen=False)
    doc.walk_go(3)
    before = doc.target.copy()
    x = doc.x.copy()
    press(qtbot, window.view, Qt.Key.Key_Y)
    assert not np.array_equal(doc.target, before) and np.array_equal(doc.x, x)
    if preset == "running-example":
        assert doc.target.tolist() == [0.0] and "target y = 0" in pm.note.text()
    else:
        assert int(doc.target.argmax()) == (int(before.argmax()) + 1) % 10
        assert doc.target.sum() == 1.0 and "class" in pm.note.text()
    assert doc.walk is not None and doc.walk.index == 0
    press(qtbot, window.view, Qt.Key.Key_Y)
    if preset == "running-example":
        assert doc.target.tolist() == [1.0]
    pm.leave()


def test_leaving_restores_the_docks_widths(window, qtbot):
    """Reported: leaving presentation mode left the right dock wider than before."""
    window.load_preset("running-example")
    window.doc.walk_go(2)
    qtbot.wait(10)
    docks = [d for d in window.findChildren(QDockWidget) if d.isVisible()]
    before = {d.objectName(): (d.width(), d.height()) for d in docks}
    pm = window.presentation
    pm.enter(full_screen=False)
    window.doc.walk_go(6)
    pm.set_scale(pm.scale + 0.4)
    pm.leave()
    qtbot.wait(10)
    assert {d.objectName(): (d.width(), d.height()) for d in docks} == before
