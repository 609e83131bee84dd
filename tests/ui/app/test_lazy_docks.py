"""Hidden docks are made when first shown: the window paints sooner, and every dock still
exists by name from the start (View menu, workspaces, restoreState)."""

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from nnviz.ui.app.lazy_docks import LazyDock

LAZY = ("trainingDock", "plotsDock", "drawingDock", "approximationDock", "playgroundDock")


def test_a_lazy_dock_makes_its_content_once_when_first_shown(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    made = []

    def build():
        made.append(QLabel("content"))
        dock.set_content(made[-1])

    dock = LazyDock("Lazy", host, build)
    assert not dock.built and not made
    host.show()
    dock.show()
    qtbot.waitUntil(lambda: dock.built)
    assert dock.widget() is made[0]
    dock.hide()
    dock.show()
    dock.ensure()
    assert len(made) == 1


def test_hidden_docks_are_made_when_shown_and_exist_by_name_from_the_start(window, qtbot):
    docks = window.workspaces.docks()
    assert set(LAZY) <= set(docks)
    assert not any(docks[name].built for name in LAZY)  # none shown at start
    window.workspaces.switch("train")
    qtbot.waitUntil(lambda: docks["plotsDock"].built)
    assert docks["trainingDock"].built  # made together: the form and its plots
    assert window.plots_dock.widget() is window.plots
    assert window.training_dock.widget().widget() is window.training
    assert not docks["drawingDock"].built and not docks["playgroundDock"].built
    window.workspaces.switch("draw")
    qtbot.waitUntil(lambda: docks["drawingDock"].built)
    assert window.drawing_dock.widget() is window.drawing and window.drawer.panel is window.drawing


def test_a_panel_asked_for_is_made_without_its_dock_shown(window):
    assert not window.constructions.playground_dock.built
    window.playground.setObjectName("asked")  # made now, still hidden
    assert window.constructions.playground_dock.built
    assert window.constructions.approximation_dock.built
    assert not window.playground_dock.isVisible()


def test_a_saved_layout_with_lazy_docks_comes_back(qtbot, tmp_path):
    """restoreState finds the docks by name before their content exists, and shows them."""
    from nnviz.ui.app.main_window import MainWindow

    settings = QSettings(str(tmp_path / "nnviz.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings=settings, preset="xor", load_data=False)
    qtbot.addWidget(first)
    first.show()
    first.workspaces.switch("train")
    qtbot.waitUntil(lambda: first.plots_dock.isVisible())
    first.doc.undo_stack.setClean()
    first.close()
    second = MainWindow(settings=settings, preset="xor", load_data=False)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    QApplication.processEvents()
    assert second.workspaces.current == "train"
    assert second.plots_dock.isVisible() and second.plots_dock.built
    assert second.training_dock.isVisible() and second.training_dock.built
    assert not second.drawing_dock.built


def test_the_window_module_does_not_import_the_hidden_panels():
    code = ("import sys, nnviz.ui.app.main_window; print(sorted(m for m in ("
            "'nnviz.ui.training.plots', 'nnviz.ui.training.panel', 'nnviz.ui.drawing.panel', "
            "'nnviz.ui.constructions.playground', 'nnviz.ui.constructions.approximation') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).parents[3])
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
