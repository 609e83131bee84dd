"""Two groups of menu actions of the main window: the appearance (theme, weight palette, high
contrast; remembered, following the desktop's light/dark when asked to) and the exports for
slides and handouts (sharp PNG, SVG, clipboard, the stage's numbers, the walk as frames)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from ..files import export
from ..look import theme

THEME_CHOICES = {"system": "Follow the &system", "light": "&Light", "dark": "&Dark"}
PALETTE_NAMES = {"orange-blue": "&Orange / blue (as in TensorFlow Playground)",
                 "vermillion-blue": "&Vermillion / sky blue (alternative)"}


class AppearanceActions(QObject):
    """View › Theme, View › Weight colours and View › High contrast for ``window``."""

    def __init__(self, window, settings: QSettings, theme_choice: str | None = None) -> None:
        super().__init__(window)
        self.w, self.settings = window, settings
        stored = settings.value("appearance/theme", "system")
        self.choice = theme_choice or (stored if stored in THEME_CHOICES else "system")
        palette = settings.value("appearance/palette", "orange-blue")
        palette = palette if palette in theme.PALETTES else "orange-blue"
        contrast = str(settings.value("appearance/high_contrast", "false")).lower() == "true"
        self.theme_menu = QMenu("&Theme", window)
        self.theme_group = QActionGroup(self)
        for key, text in THEME_CHOICES.items():
            act = self.theme_menu.addAction(text)
            act.setCheckable(True)
            act.setChecked(key == self.choice)
            act.setData(key)
            act.triggered.connect(lambda _=False, k=key: self.set_theme(k))
            self.theme_group.addAction(act)
        self.palette_menu = QMenu("&Weight colours", window)
        self.palette_group = QActionGroup(self)
        for key in theme.PALETTES:
            act = self.palette_menu.addAction(PALETTE_NAMES.get(key, key))
            act.setCheckable(True)
            act.setChecked(key == palette)
            act.setData(key)
            act.triggered.connect(lambda _=False, k=key: self.set_palette(k))
            self.palette_group.addAction(act)
        self.act_contrast = QAction("&High contrast", window)
        self.act_contrast.setCheckable(True)
        self.act_contrast.setChecked(contrast)
        self.act_contrast.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.act_contrast.setStatusTip("Stronger outlines and edges, for washed-out projectors")
        self.act_contrast.toggled.connect(self.set_high_contrast)
        self.appearance = theme.Appearance(theme.resolve_theme(self.choice), palette,
                                           high_contrast=contrast)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_system_scheme_changed)
        self.apply()

    # -- changes -------------------------------------------------------------------------------
    def set_theme(self, choice: str) -> None:
        """"system", "light" or "dark" (ValueError otherwise); remembered."""
        if choice not in THEME_CHOICES:
            raise ValueError(f"theme must be one of {', '.join(THEME_CHOICES)}, got {choice!r}")
        self.choice = choice
        self.settings.setValue("appearance/theme", choice)
        for act in self.theme_group.actions():
            act.setChecked(act.data() == choice)
        self._change(theme=theme.resolve_theme(choice))

    def set_palette(self, name: str) -> None:
        self.settings.setValue("appearance/palette", name)
        for act in self.palette_group.actions():
            act.setChecked(act.data() == name)
        self._change(palette=name)

    def set_high_contrast(self, on: bool) -> None:
        self.settings.setValue("appearance/high_contrast", bool(on))
        self._change(high_contrast=bool(on))

    def _on_system_scheme_changed(self, *_) -> None:
        if self.choice == "system":
            self._change(theme=theme.system_theme())

    def _change(self, **fields) -> None:
        self.appearance = replace(self.appearance, **fields)
        # In presentation mode the mode's own scale and contrast stay on top of the change,
        # and the change outlives the mode.
        pm = getattr(self.w, "presentation", None)
        if pm is not None and pm.active and pm._saved is not None:
            pm._saved["appearance"] = self.appearance
            theme.apply_appearance(self.w, replace(self.appearance, scale=pm.scale,
                                                   high_contrast=True))
            return
        self.apply()

    def apply(self) -> None:
        theme.apply_appearance(self.w, self.appearance)


class ExportActions(QObject):
    """File › Export: the graph, the plots and the drawing as PNG (2×) or SVG, the view to the
    clipboard, the current stage's numbers as CSV or LaTeX, and the walk as PNG frames."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.menu = QMenu("E&xport", window)

        def action(text, slot, key=None, tip=""):
            act = self.menu.addAction(text)
            if key:
                act.setShortcut(QKeySequence(key))
            act.setStatusTip(tip)
            act.setToolTip(tip)
            act.triggered.connect(slot)
            return act

        self.act_png = action("&Graph as PNG (2×)…", lambda: self.ask_image("graph", "png"),
                              "Ctrl+E", "The graph at twice its size on screen, sharp")
        self.act_svg = action("Graph as &SVG…", lambda: self.ask_image("graph", "svg"),
                              "Ctrl+Shift+E", "The graph as a vector drawing")
        self.act_copy = action("&Copy graph", self.copy_view, "Ctrl+Shift+C",
                               "The graph as an image on the clipboard, for a slide")
        self.menu.addSeparator()
        self.act_plots_png = action("&Plots as PNG (2×)…", lambda: self.ask_image("plots", "png"))
        self.act_plots_svg = action("Plots as S&VG…", lambda: self.ask_image("plots", "svg"))
        self.act_drawing_png = action("&Drawing panel as PNG (2×)…",
                                      lambda: self.ask_image("drawing", "png"))
        self.act_slide = action("Graph as s&lide (1920×1080)…", self.ask_slide, None,
                                "The graph at slide size and at the presentation scale, "
                                "without the key hint; with the equation if ticked below")
        self.act_slide_equation = action("Slides include the &equation", lambda: None, None,
                                         "Slides and walk frames show the Equations panel's "
                                         "equation under the graph")
        self.act_slide_equation.setCheckable(True)
        self.act_slide_equation.setChecked(True)
        self.menu.addSeparator()
        self.act_table = action("Stage &numbers (CSV or LaTeX)…", self.ask_table, None,
                                "The numbers of the current stepping stage as a table")
        self.act_frames = action("Walk as PNG &frames…", self.ask_frames, None,
                                 "One slide (1920×1080) of the graph per stage of the walk, "
                                 "numbered as the stages are")

    def widget(self, what: str):
        # by name: only the widget asked for is made (docks make theirs when first needed)
        return getattr(self.w, {"graph": "view", "plots": "plots", "drawing": "drawing"}[what])

    def ask_image(self, what: str, kind: str) -> None:
        name = {"graph": "network", "plots": "training", "drawing": "drawing"}[what]
        path, _ = QFileDialog.getSaveFileName(self.w, f"Export the {what} as {kind.upper()}",
                                              f"{name}.{kind}", f"{kind.upper()} (*.{kind})")
        if path:
            self.export_image(what, path)

    def hint_widgets(self) -> tuple:
        """What an image of the graph leaves out: presentation mode's key hint."""
        return (self.w.presentation.hint,)

    def slide(self, size: tuple[int, int] = (1920, 1080),
              equation: bool | None = None) -> export.Slide:
        """A slide of ``size`` (default 1920x1080) at the presentation scale (its text sized
        to the slide's height as presentation mode sizes it to the screen's), with the
        equation if ``equation`` (default: as "Slides include the equation" is ticked)."""
        from .presentation import BODY_PX_AT_1080

        if equation is None:
            equation = self.act_slide_equation.isChecked()
        text = None
        if equation:
            def text():
                return self.w.equations.html
        return export.Slide(size=size, equation=text,
                            text_px=BODY_PX_AT_1080 * self.w.presentation.scale * size[1] / 1080)

    def write_slides(self, graph: str | None = None, walk: str | None = None,
                     size: tuple[int, int] = (1920, 1080), equation: bool = True) -> list:
        """For the command line: the graph alone to ``graph`` (.svg vectors, else a PNG slide)
        and one slide per stage of the walk into the folder ``walk``; returns the paths
        written. OSError/ValueError (with a message for the user) when one cannot be."""
        written: list = []
        slide = self.slide(size, equation)
        if graph is not None:
            if Path(graph).suffix.lower() == ".svg":
                with self._without_hint():
                    export.export_svg(self.w.view, graph, title=self.w.doc.title)
            else:
                export.export_slide(self.w.view, graph, slide, hide=self.hint_widgets(),
                                    sized_for=self.w.view.sized_for)
            written.append(Path(graph))
        if walk is not None:
            written += export.export_walk_frames(self.w, self.w.doc, walk, slide=slide,
                                                 hide=self.hint_widgets(),
                                                 sized_for=self.w.view.sized_for)
        return written

    def ask_slide(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.w, "Export the graph as a slide",
                                              "slide.png", "PNG (*.png)")
        if path:
            self.export_slide(path)

    def export_slide(self, path: str) -> bool:
        try:
            export.export_slide(self.w.view, path, self.slide(), hide=self.hint_widgets(),
                                sized_for=self.w.view.sized_for)
        except (OSError, ValueError) as exc:
            self._warn(export.error_text(exc))
            return False
        self.w.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def export_image(self, what: str, path: str) -> bool:
        """Write ``what`` ("graph", "plots", "drawing") to ``path``: SVG by suffix, else PNG;
        never with presentation mode's key hint."""
        try:
            with self._without_hint():
                if Path(path).suffix.lower() == ".svg":
                    export.export_svg(self.widget(what), path, title=self.w.doc.title)
                else:
                    export.export_png(self.widget(what), path, scale=2.0)
        except (OSError, ValueError) as exc:
            self._warn(export.error_text(exc))
            return False
        self.w.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    @contextmanager
    def _without_hint(self):
        shown = [h for h in self.hint_widgets() if h.isVisible()]
        for h in shown:
            h.hide()
        try:
            yield
        finally:
            for h in shown:
                h.show()

    def copy_view(self) -> None:
        with self._without_hint():
            export.copy_to_clipboard(self.w.view)
        self.w.statusBar().showMessage("The graph is on the clipboard.", 4000)

    def ask_table(self) -> None:
        doc = self.w.doc
        if doc.walk is None:
            self._warn("Step through the network first (→): the table holds the numbers of "
                       "the current stage.")
            return
        from ...core.export import stage_file_stem

        path, _ = QFileDialog.getSaveFileName(
            self.w, "Export the stage's numbers", f"{stage_file_stem(doc.walk)}.csv",
            "CSV (*.csv);;LaTeX table (*.tex)")
        if path:
            try:
                export.export_stage_table(doc, path)
            except (OSError, ValueError) as exc:
                self._warn(export.error_text(exc))
                return
            self.w.statusBar().showMessage(f"Saved {path}", 5000)

    def ask_frames(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.w, "Folder for the walk's frames")
        if not folder:
            return
        try:
            paths = export.export_walk_frames_with_dialog(self.w, self.w, self.w.doc, folder,
                                                          slide=self.slide(),
                                                          hide=self.hint_widgets(),
                                                          sized_for=self.w.view.sized_for)
        except (OSError, ValueError) as exc:
            self._warn(export.error_text(exc))
            return
        self.w.statusBar().showMessage(f"Saved {len(paths)} frames in {folder}", 6000)

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self.w, "Export", text)
