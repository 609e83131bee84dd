"""Starting the app: QApplication, main window, and the offscreen screenshot mode."""

from __future__ import annotations

import os
import sys
import time

from .constants import MNIST_INPUTS

_T0 = time.perf_counter()


def main(screenshot: str | None = None, preset: str | None = None,
         size: tuple[int, int] | None = None, startup_probe: bool = False,
         stage: int | None = None, select: tuple | None = None,
         open_path: str | None = None, presentation: bool = False,
         theme: str | None = None) -> int:
    """Run the app. With ``screenshot`` render the window offscreen to that PNG and return.
    ``stage``: start stepping at that stage (0 = the input); ``select``: (kind, layer, j[, k])
    to select, e.g. ("neuron", 1, 0) or ("edge", 2, 0, 1); ``open_path``: a network file to
    start with (checked by the caller); ``presentation``: start in presentation mode;
    ``theme``: "light" or "dark" (default: the system's)."""
    if screenshot and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    from .ui.app.main_window import MainWindow

    if screenshot:
        # A screenshot must not depend on (or change) the user's saved layout.
        settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                             "nnviz", "nnviz-screenshot")
        settings.clear()
        window = MainWindow(settings=settings, preset=preset or None, load_data=False,
                            theme=theme)
        if open_path:
            window.open_file(open_path)
        if window.doc.net.sizes[0] == MNIST_INPUTS:
            from .data import load_mnist

            window.use_mnist(load_mnist())
        _apply_start_state(window, stage, select)
        window.resize(*(size or (1600, 900)))
        window.show()
        for _ in range(3):
            app.processEvents()
        if presentation:
            window.presentation.enter(full_screen=False)  # the screenshot keeps its size
            for _ in range(3):
                app.processEvents()
        window.view.fit()
        app.processEvents()
        ok = window.grab().save(screenshot, "PNG")
        # Nothing of a screenshot run is kept: a --stage at the update has taken a gradient
        # step (an undo step), and closing must not wait on the "unsaved changes?" question.
        window.doc.undo_stack.setClean()
        window.close()
        if not ok:
            print(f"nnviz: error: could not write {screenshot}", file=sys.stderr)
            return 1
        return 0
    window = MainWindow(preset=preset, theme=theme)
    if open_path:
        window.open_file(open_path)
    _apply_start_state(window, stage, select)
    if size:
        window.resize(*size)
    window.show()
    if presentation:
        window.presentation.enter()
    if startup_probe:
        # For `nnviz bench startup`: report when the first frame is painted, then quit.
        def report() -> None:
            window.repaint()
            print(f"STARTUP {time.perf_counter() - _T0:.4f}", flush=True)
            app.quit()

        QTimer.singleShot(0, report)
    return app.exec()


def _apply_start_state(window, stage: int | None, select: tuple | None) -> None:
    from .ui.model.selection import Selection

    if select is not None:
        kind, layer, j, *k = select
        window.doc.select(Selection(kind, layer, j, k[0] if k else None))
    if stage is not None:
        window.doc.walk_go(stage)
