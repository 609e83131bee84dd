"""Starting the app: QApplication, main window, and the offscreen screenshot mode."""

from __future__ import annotations

import os
import sys
import time

from .constants import MNIST_INPUTS

_T0 = time.perf_counter()

#: What --screenshot writes, by the file name's suffix: the window as PNG or JPEG, or the graph
#: as SVG (vector, as File › Export does it).
SCREENSHOT_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}


def screenshot_format(path: str) -> str:
    """The format --screenshot writes to ``path`` (see SCREENSHOT_FORMATS); ValueError for
    another suffix, so that no file is written under a name that says another format."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in SCREENSHOT_FORMATS:
        raise ValueError(f"--screenshot {path}: the name must end in "
                         f"{', '.join(list(SCREENSHOT_FORMATS)[:-1])} or "
                         f"{list(SCREENSHOT_FORMATS)[-1]} (PNG, JPEG, or the graph as SVG), "
                         f"got {suffix or 'no suffix'!r}")
    return SCREENSHOT_FORMATS[suffix]


#: What --export-graph writes, by suffix: a slide (PNG) or the graph as vectors (SVG).
GRAPH_EXPORT_FORMATS = {".png": "PNG", ".svg": "SVG"}


def graph_export_format(path: str) -> str:
    """The format --export-graph writes to ``path``; ValueError for another suffix."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in GRAPH_EXPORT_FORMATS:
        raise ValueError(f"--export-graph {path}: the name must end in .png (a slide) or .svg "
                         f"(vectors), got {suffix or 'no suffix'!r}")
    return GRAPH_EXPORT_FORMATS[suffix]


def main(screenshot: str | None = None, preset: str | None = None,
         size: tuple[int, int] | None = None, startup_probe: bool = False,
         stage: int | None = None, select: tuple | None = None,
         open_path: str | None = None, presentation: bool = False,
         theme: str | None = None, export_graph: str | None = None,
         export_walk: str | None = None, slide_size: tuple[int, int] | None = None,
         equation: bool = True, opened: tuple | None = None) -> int:
    """Run the app. With ``screenshot`` render the window offscreen to that file and return:
    PNG or JPEG of the window, or SVG of the graph, by its suffix (ValueError for another).
    ``export_graph`` (a .png slide of ``slide_size``, default 1920x1080, with the equation
    unless not ``equation``; or .svg) and ``export_walk`` (a folder: one slide per stage) are
    written the same way, offscreen, and the app returns; all three can be given at once.
    ``stage``: start stepping at that stage (0 = the input); ``select``: (kind, layer, j[, k])
    to select, e.g. ("neuron", 1, 0) or ("edge", 2, 0, 1); ``open_path``: a network file to
    start with (checked by the caller), ``opened`` the (network, description, provenance) read
    from it (not read again); ``presentation``: start in presentation mode;
    ``theme``: "light" or "dark" (default: the system's)."""
    if screenshot:
        screenshot_format(screenshot)  # before any window
    if export_graph:
        graph_export_format(export_graph)
    headless = bool(screenshot or export_graph or export_walk)
    if headless and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    from .ui.app.main_window import MainWindow

    if headless:
        # A screenshot must not depend on (or change) the user's saved layout.
        settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                             "nnviz", "nnviz-screenshot")
        settings.clear()
        window = MainWindow(settings=settings, preset=preset or None, load_data=False,
                            theme=theme)
        if open_path:
            window.open_file(open_path, loaded=opened)
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
        ok = not screenshot or _save_screenshot(window, screenshot)
        if not ok:
            print(f"nnviz: error: could not write {screenshot}", file=sys.stderr)
        if ok and (export_graph or export_walk):
            try:
                for path in window.exports.write_slides(export_graph, export_walk,
                                                        slide_size or (1920, 1080), equation):
                    print(path)
            except (OSError, ValueError) as exc:
                from .ui.files.export import error_text

                print(f"nnviz: error: {error_text(exc)}", file=sys.stderr)
                ok = False
        # Nothing of a screenshot run is kept: a --stage at the update has taken a gradient
        # step (an undo step), and closing must not wait on the "unsaved changes?" question.
        window.doc.undo_stack.setClean()
        window.close()
        return 0 if ok else 1
    window = MainWindow(preset=preset, theme=theme)
    if size:
        window.resize(*size)
    if open_path:
        window.show()  # first: a big file's progress shows over the window
        window.open_file(open_path, loaded=opened)
    _apply_start_state(window, stage, select)
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


def _save_screenshot(window, path: str) -> bool:
    """Write the window (PNG, JPEG) or its graph (SVG) to ``path``, as its suffix says."""
    fmt = screenshot_format(path)
    if fmt != "SVG":
        return window.grab().toImage().save(path, fmt, 95 if fmt == "JPEG" else -1)
    from .ui.files.export import export_svg

    try:
        export_svg(window.view, path, title="nnviz graph")
    except (OSError, ValueError):
        return False
    return True


def _apply_start_state(window, stage: int | None, select: tuple | None) -> None:
    from .ui.model.selection import Selection

    if select is not None:
        kind, layer, j, *k = select
        window.doc.select(Selection(kind, layer, j, k[0] if k else None))
    if stage is not None:
        window.doc.walk_go(stage)


def make_screenshots(folder: str, size: tuple[int, int] | None = None) -> list:
    """README's pictures (see ``nnviz.ui.app.screenshots``), offscreen, into ``folder``."""
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    from .ui.app.screenshots import write_screenshots

    return write_screenshots(folder, size or (1366, 768))
