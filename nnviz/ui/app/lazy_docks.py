"""Docks whose content is made when first shown, so the window paints sooner.

The window makes every dock at start (the View menu's actions, the workspaces and restoreState
find them by object name) but hidden docks hold an empty placeholder until they are first shown
or their content is asked for: then ``build`` makes the content (of this dock, and of any other
docks built with it) and hands it to ``set_content``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QScrollArea, QWidget


class LazyDock(QDockWidget):
    """A dock whose ``build()`` (called once, when the dock is first shown or by ``ensure``)
    gives it its content through ``set_content``."""

    def __init__(self, title: str, parent: QWidget, build: Callable[[], None]) -> None:
        super().__init__(title, parent)
        self._build: Callable[[], None] | None = build
        self.setWidget(QWidget())  # the placeholder
        self.visibilityChanged.connect(self._on_visibility_changed)

    @property
    def built(self) -> bool:
        return self._build is None

    def ensure(self) -> None:
        """Make the content now if it is not made yet."""
        build, self._build = self._build, None
        if build is not None:
            build()

    def set_content(self, widget: QWidget) -> None:
        self._build = None
        old = self.widget()
        self.setWidget(widget)
        if old is not None and old is not widget:
            old.deleteLater()

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:
            self.ensure()


def _scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that resizes it: scroll bars only when the dock is
    shorter than the widget wants."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    # only vertically: as wide as the widget needs, with room for the vertical bar
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(widget.minimumSizeHint().width()
                         + area.verticalScrollBar().sizeHint().width())
    return area


class LazyPanels:
    """The main window's panels that live in lazy docks, made on first use: the Training form
    with the plots (``training_dock``, ``plots_dock``), the drawing panel and its controller
    (``drawing_dock``), and ``dress`` for any panel made after start."""

    def _build_training(self) -> None:
        from ..training.panel import TrainingPanel
        from ..training.plots import PlotsPanel
        from ..training.sweep import SweepPlot

        self._training = TrainingPanel(self.doc, self.trainer, self.sweeper)
        # In a scroll area: the form is tall (530 px), and without one the window could not be
        # made smaller than about 1,100 px high once training starts: off a laptop's screen.
        self.training_dock.set_content(_scrolled(self._training))
        self._plots = PlotsPanel(self.trainer, SweepPlot(self.sweeper))
        self.plots_dock.set_content(self._plots)
        if getattr(self, "learning", None) is not None:
            self.learning.attach(self._plots)  # the run's timeline, below the plots
        self.dress(self._training, self._plots)
        if getattr(self, "presentation", None) is not None and self.presentation.active:
            self._plots.set_presenting(True, self.presentation.text_px())

    def _build_drawing(self) -> None:
        from ..drawing.controller import DrawingController
        from ..drawing.panel import DrawingPanel

        self._drawing = DrawingPanel()
        self._drawer = DrawingController(
            self.doc, self._drawing,
            lambda: self.mnist.test if self.mnist is not None else None, self)
        self.drawing_dock.set_content(self._drawing)
        self.dress(self._drawing)
        if getattr(self, "presentation", None) is not None and self.presentation.active:
            self._drawing.set_presenting(True)

    def dress(self, *panels: QWidget) -> None:
        """Give panels made after start (lazy docks) the appearance the rest of the window has
        (theme, palette, contrast; presentation mode's scale)."""
        looks = getattr(self, "looks", None)
        if looks is None:
            return  # made during construction: the window applies its appearance after
        appearance = looks.appearance
        pm = getattr(self, "presentation", None)
        if pm is not None and pm.active:
            appearance = replace(appearance, scale=pm.scale, high_contrast=True)
        for panel in panels:
            for widget in (panel, *panel.findChildren(QWidget)):
                setter = getattr(widget, "set_appearance", None)
                if callable(setter):
                    setter(appearance)

    @property
    def training(self):
        """The Training form (made on first use)."""
        self.training_dock.ensure()
        return self._training

    @property
    def plots(self):
        """The error and accuracy plots (made on first use, with the Training form)."""
        self.plots_dock.ensure()
        return self._plots

    @property
    def drawing(self):
        """The drawing panel (made on first use)."""
        self.drawing_dock.ensure()
        return self._drawing

    @property
    def drawer(self):
        """The drawing panel's controller (made with it)."""
        self.drawing_dock.ensure()
        return self._drawer

    @property
    def approximation(self):
        return self.constructions.approximation

    @property
    def playground(self):
        return self.constructions.playground
