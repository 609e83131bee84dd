"""Images and tables for slides: a widget as PNG (sharp at 2×), as SVG or on the clipboard, the
walk as one PNG per stage, the current stage's numbers as CSV or LaTeX.

    export_png(window.view, "net.png", scale=2.0)       # → QSize of the image, in pixels
    export_svg(window.plots.error_plot, "error.svg")
    copy_to_clipboard(window.view)
    export_walk_frames(window, window.doc, "frames/")    # stage-01.png, stage-02.png, …
    export_slide(window.view, "slide.png", Slide(equation=html))  # 1920x1080, for a lecture
    export_stage_table(window.doc, "stage.tex")          # or .csv

Widgets are re-rendered (``QWidget.render``), not grabbed and scaled: the image has ``scale``
times the widget's pixels and a device-pixel ratio of ``scale``, so text, lines and curves are
drawn again at the higher resolution. While rendering, graphics views skip their cached
background and pyqtgraph items are in export mode (scatter symbols drawn as shapes rather than
copied from a 1× pixmap atlas), as pyqtgraph's own exporters do.

Cosmetic pens (a width in device pixels: pyqtgraph's default, the graph's neuron outlines and
dense edges) would come out ``scale`` times thinner than on screen, so a 2× slide would show
hairlines where the screen shows lines. While an image renders, pens set through
``QPainter.setPen`` from Python paint code (pyqtgraph's and nnviz's items) get ``scale`` times
their width when cosmetic, and pyqtgraph axes re-record their cached picture before and after;
the image then looks like the screen, only sharper. Painting is synchronous on the GUI thread,
so nothing else paints meanwhile.

Files that cannot be written raise OSError naming the path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEventLoop,
    QIODevice,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QRegion, QTextDocument
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsView, QProgressDialog, QWidget

#: Pixels per inch of a 1× image (a PNG's physical size then matches the screen's).
BASE_DPI = 96
_SVG_SIZE = re.compile(r'<svg width="[^"]*" height="[^"]*"')

Progress = Callable[[int, int], object]


# -- rendering -------------------------------------------------------------------------------

def render_image(widget: QWidget, scale: float = 2.0) -> QImage:
    """``widget`` (with its child widgets) rendered into a new ARGB32 QImage of ``scale`` times
    its size, device-pixel ratio ``scale``. ValueError for a scale that is not a positive number
    (at most 16) or a widget that is not shown."""
    scale = _check_scale(scale)
    size = _shown_size(widget)
    image = QImage(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)),
                   QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    dots_per_metre = round(BASE_DPI * scale / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)  # a 2× image keeps the on-screen size in slides
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        with _cosmetic_pens_scaled(widget, scale):
            _render(widget, painter)
    finally:
        painter.end()
    return image


def _shown_size(widget: QWidget) -> QSize:
    # A hidden widget (a closed dock's panel) has no settled geometry: its layout runs only
    # while rendering, so the image size would not be the size it gets.
    if not widget.isVisible() or widget.size().isEmpty():
        raise ValueError("Nothing to export: show the panel first.")
    return widget.size()


def _render(widget: QWidget, painter: QPainter) -> None:
    # QWidget.render, not QGraphicsView.render (that one draws the scene, without the view's
    # child widgets such as the weight legend, and fits it to the target).
    with _export_mode(widget, {"antialias": True}):
        flags = QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren
        QWidget.render(widget, painter, QPoint(0, 0), QRegion(), flags)


@contextmanager
def _export_mode(widget: QWidget, options: dict):
    """For the duration: no cached view backgrounds, pyqtgraph items in export mode."""
    views = [widget] if isinstance(widget, QGraphicsView) else []
    views += widget.findChildren(QGraphicsView)
    saved, items = [], []
    for view in views:
        saved.append((view, view.cacheMode()))
        view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        view.resetCachedContent()
        if view.scene() is not None:
            for item in view.scene().items():
                if hasattr(item, "setExportMode") and getattr(item, "_exportOpts", None) is False:
                    item.setExportMode(True, dict(options))
                    items.append(item)
    try:
        yield
    finally:
        for item in items:
            item.setExportMode(False)
        for view, mode in saved:
            view.setCacheMode(mode)
            view.resetCachedContent()


@contextmanager
def _cosmetic_pens_scaled(widget: QWidget, factor: float):
    """For the duration: cosmetic pens set from Python are ``factor`` times as wide (see the
    module docstring); pyqtgraph axes re-record their cached pictures (QPicture) before and
    after, so the wider pens never stay in a cache."""
    if factor == 1.0:
        yield
        return
    original = QPainter.setPen

    def set_pen(painter, *args):
        if len(args) == 1 and isinstance(args[0], QPen) and args[0].isCosmetic():
            pen = QPen(args[0])
            pen.setWidthF(factor * (pen.widthF() or 1.0))
            args = (pen,)
        return original(painter, *args)

    axes = _axes(widget)
    _forget_pictures(axes)
    QPainter.setPen = set_pen
    try:
        yield
    finally:
        QPainter.setPen = original
        _forget_pictures(axes)


def _axes(widget: QWidget) -> list:
    views = [widget] if isinstance(widget, QGraphicsView) else []
    views += widget.findChildren(QGraphicsView)
    return [item for view in views if view.scene() is not None
            for item in view.scene().items() if isinstance(item, pg.AxisItem)]


def _forget_pictures(axes) -> None:
    for axis in axes:
        axis.picture = None  # AxisItem.paint records a new one
        axis.update()


def _check_scale(scale) -> float:
    try:
        scale = float(scale)
    except (TypeError, ValueError):
        raise ValueError(f"The scale must be a positive number, got {scale!r}.") from None
    if not math.isfinite(scale) or scale <= 0 or scale > 16:
        raise ValueError(f"The scale must be a number above 0 and at most 16, got {scale:g}.")
    return scale


def error_text(exc: Exception) -> str:
    """What to tell the user of ``exc``: this module's OSErrors carry their whole message in
    ``strerror`` (``str()`` would put "[Errno 20]" in front of it)."""
    if isinstance(exc, OSError) and exc.strerror and exc.errno is not None:
        return exc.strerror
    return str(exc)


def _write(path: Path, data: bytes, what: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OSError(exc.errno, f"Could not write the {what} {path}: "
                                 f"{exc.strerror or exc}") from exc


# -- one widget ------------------------------------------------------------------------------

def export_png(widget: QWidget, path, scale: float = 2.0) -> QSize:
    """Save ``widget`` as a PNG of ``scale`` times its size (sharp, see ``render_image``);
    returns the image's size in pixels. OSError (naming the path) when it cannot be written."""
    return _save_png(render_image(widget, scale), Path(path))


def _save_png(image: QImage, path: Path) -> QSize:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError(f"Could not encode the image for {path}.")
    buffer.close()
    _write(path, bytes(data), "image")
    return image.size()


def export_svg(widget: QWidget, path, title: str = "") -> QSize:
    """Save ``widget`` as SVG, vector where Qt draws vectors (lines, shapes, text; images stay
    images). Its size is the widget's: width="w" height="h" (pixels) and viewBox="0 0 w h".
    Returns the widget's size. OSError (naming the path) when the file cannot be written;
    ValueError when the widget is not shown."""
    path = Path(path)
    size = _shown_size(widget)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setResolution(BASE_DPI)
    generator.setTitle(title or widget.windowTitle() or "nnviz")
    generator.setDescription("Exported from nnviz")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"Could not start drawing the SVG for {path}.")
    try:
        _render(widget, painter)
    finally:
        painter.end()
    buffer.close()
    # Qt writes the size in mm (at the resolution set above); plain pixels are unambiguous to
    # every reader (Qt's own renderer takes mm at 90 per inch, browsers and Inkscape at 96).
    svg = _SVG_SIZE.sub(f'<svg width="{size.width()}" height="{size.height()}"',
                        bytes(data).decode("utf-8"), count=1)
    _write(path, svg.encode("utf-8"), "SVG file")
    return size


def copy_to_clipboard(widget: QWidget, scale: float = 2.0) -> QSize:
    """Put ``widget``, rendered at ``scale`` (see ``render_image``), on the clipboard as an
    image; returns its size in pixels."""
    image = render_image(widget, scale)
    QApplication.clipboard().setImage(image)
    return image.size()


# -- slides ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slide:
    """A slide-sized image: ``size`` in pixels, the graph filling it (keeping its shape) and,
    when ``equation`` (Qt rich text, or a callable giving it at the time) is given, the
    equation under it in text of ``text_px`` pixels. Stage numbers and the like are the
    caller's; nothing of the window's (hints, buttons) is drawn."""

    size: tuple[int, int] = (1920, 1080)
    text_px: float = 32.0
    equation: str | Callable[[], str] | None = None
    background: tuple[int, int, int] = (255, 255, 255)


def render_slide(view: QWidget, slide: Slide = Slide(), hide: tuple = (),
                 sized_for: Callable | None = None) -> QImage:
    """``view`` (e.g. the graph) drawn again, sharp, scaled to fill a ``slide.size`` image,
    with the slide's equation under it; the widgets in ``hide`` (children of the view, such
    as a key hint) are left out. ``sized_for(w, h)``: a context manager giving the view that
    size for the rendering (the graph's ``sized_for``: fitted to the slide's shape); the view
    is then drawn at slide.text_px / 20 times it, so its text matches the equation's."""
    size = _shown_size(view)
    w, h = slide.size
    image = QImage(w, h, QImage.Format.Format_ARGB32)
    image.fill(QColor(*slide.background))
    dots_per_metre = round(BASE_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    equation = slide.equation() if callable(slide.equation) else slide.equation
    painter = QPainter(image)
    try:
        top = h
        if equation:
            doc = QTextDocument()
            font = QFont(view.font())
            font.setPixelSize(max(1, round(slide.text_px)))
            doc.setDefaultFont(font)
            doc.setHtml(equation)
            margin = slide.text_px
            doc.setTextWidth(w - 2 * margin)
            text_h = min(doc.size().height(), h * 0.55)
            top = h - text_h - margin / 2
            painter.save()
            painter.translate(margin, top)
            doc.drawContents(painter, QRectF(0, 0, w - 2 * margin, text_h))
            painter.restore()
        # Drawn again at the slide's resolution (as render_image does), then put in place.
        shown = [c for c in hide if c.isVisible()]
        for c in shown:
            c.hide()
        try:
            if sized_for is not None:
                k = max(slide.text_px / 20.0, 0.5)
                with sized_for(max(50, round(w / k)), max(50, round(top / k))):
                    size = _shown_size(view)
                    graph = render_image(view, min(w / size.width(), top / size.height()))
            else:
                graph = render_image(view, min(w / size.width(), top / size.height(), 16.0))
        finally:
            for c in shown:
                c.show()
        graph.setDevicePixelRatio(1.0)
        painter.drawImage(QPoint(round((w - graph.width()) / 2),
                                 round((top - graph.height()) / 2)), graph)
    finally:
        painter.end()
    return image


def export_slide(view: QWidget, path, slide: Slide = Slide(), hide: tuple = (),
                 sized_for: Callable | None = None) -> QSize:
    """Save ``render_slide`` as a PNG; returns its size. OSError (naming the path) when it
    cannot be written."""
    return _save_png(render_slide(view, slide, hide, sized_for), Path(path))


# -- the walk --------------------------------------------------------------------------------

def export_walk_frames(window_or_view, doc, folder, scale: float = 1.0,
                       progress: Progress | None = None, slide: Slide | None = None,
                       hide: tuple = (), sized_for: Callable | None = None) -> list[Path]:
    """One PNG of the graph view per stage of the walk: ``folder``/stage-01.png, stage-02.png,
    … numbered as the interface counts them ("Stage 1 of 10"; zero-padded to the stage count,
    at least 2 digits), created in stage order. ``slide``: each frame a slide of that size
    (``render_slide``; its equation, a callable, asked again at every stage) instead of the
    view at ``scale``; ``hide``, ``sized_for``: as for ``render_slide``.

    window_or_view : the main window (its ``view`` is used) or a NetworkGraphView.
    doc : the Document. Stepping starts if it has not (ValueError with ``doc.walk_problem`` if
          it cannot); afterwards the walk is back at the user's stage, and stepping is off again
          if it was off. The folder is created if needed.
    progress : called as progress(i, n) before stage i and progress(n, n) at the end; a return
               value of False cancels (the frames written so far are returned). A
               QProgressDialog fits: see ``dialog_progress``.
    Returns the paths written, in stage order.
    """
    view = (window_or_view if isinstance(window_or_view, QGraphicsView)
            else window_or_view.view)
    scale = _check_scale(scale)
    _shown_size(view)
    folder = Path(folder)
    was_stepping = doc.stepping
    if doc.walk is None and not doc.start_stepping():
        problem = doc.walk_problem or "There is nothing to step through."
        if not was_stepping:
            doc.stop_stepping()
        raise ValueError(problem)
    walk = doc.walk
    back_to = walk.index
    n = len(walk.stages)
    width = max(2, len(str(n)))
    written: list[Path] = []
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OSError(exc.errno, f"Could not create the folder {folder}: "
                                     f"{exc.strerror or exc}") from exc
        for i in range(n):
            if progress is not None and progress(i, n) is False:
                return written
            doc.walk_go(i)
            # Let the scene settle (deferred index and geometry updates); no user input
            # meanwhile, so the walk cannot be moved under the export.
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            path = folder / f"stage-{i + 1:0{width}d}.png"
            if slide is not None:
                export_slide(view, path, slide, hide, sized_for)
            else:
                export_png(view, path, scale)
            written.append(path)
        if progress is not None:
            progress(n, n)
        return written
    finally:
        if doc.walk is walk:
            doc.walk_go(back_to)
            if not was_stepping:
                doc.stop_stepping()


def dialog_progress(dialog: QProgressDialog) -> Callable[[int, int], bool]:
    """A ``progress`` callback that drives ``dialog`` (its value, maximum and Cancel button)."""
    def report(i: int, n: int) -> bool:
        if dialog.maximum() != n:
            dialog.setMaximum(n)
        dialog.setValue(i)  # a modal dialog processes events here, so Cancel is seen
        return not dialog.wasCanceled()

    return report


def export_walk_frames_with_dialog(parent: QWidget, window_or_view, doc, folder,
                                   scale: float = 1.0, slide: Slide | None = None,
                                   hide: tuple = (), sized_for: Callable | None = None
                                   ) -> list[Path]:
    """``export_walk_frames`` behind a window-modal progress dialog with a Cancel button."""
    dialog = QProgressDialog("Saving one image per stage…", "Cancel", 0, 1, parent)
    dialog.setWindowTitle("Export walk")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(True)
    try:
        return export_walk_frames(window_or_view, doc, folder, scale, dialog_progress(dialog),
                                  slide, hide, sized_for)
    finally:
        dialog.close()
        dialog.deleteLater()


# -- the stage's numbers ---------------------------------------------------------------------

def export_stage_table(doc, path, max_rows: int | None = 40) -> Path:
    """Write the current stage's numbers (``nnviz.core.export.stage_table``) to ``path``: CSV
    for a .csv file (every row, full precision), a LaTeX tabular for .tex (at most
    ``max_rows`` rows). ValueError when not stepping or for another suffix; OSError (naming the
    path) when the file cannot be written. Returns the path."""
    path = Path(path)
    if doc.walk is None:
        raise ValueError((doc.stepping and doc.walk_problem) or
                         "Start stepping first: the table holds the current stage's numbers.")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tex"):
        raise ValueError(f"Save the table as .csv or .tex, not {suffix or 'no suffix'}.")
    from ...core.export import stage_table, to_csv, to_latex  # on first use: a faster start

    table = stage_table(doc.walk)
    text = to_csv(table) if suffix == ".csv" else to_latex(table, max_rows)
    _write(path, text.encode("utf-8"), "table")
    return path
