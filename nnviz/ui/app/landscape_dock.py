"""The Landscape panel as a dock of the main window: View › Landscape (Ctrl+Shift+G), the
Inspector's "Landscape" button, and Ctrl+click in the graph for a second parameter. Wiring only:
the panel and the document do the work."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

SHORTCUT = "Ctrl+Shift+G"


class LandscapeDock(QObject):
    """Creates the dock (hidden) in ``window``, which must already have ``doc``, ``view``,
    ``inspector`` and ``_add_dock``."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = w = window
        self._panel = None  # made when first shown (~60 ms): the window paints sooner
        self.dock = w._add_dock("Landscape", "landscapeDock", self._build,
                                Qt.DockWidgetArea.BottomDockWidgetArea)
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._on_shown)
        w.inspector.landscapeRequested.connect(self.show)
        w.view.second_selected.connect(self._on_second_selected)

    def _build(self) -> None:
        from ..landscape.panel import LandscapePanel

        self._panel = LandscapePanel(self.w.doc)
        self.dock.set_content(self._panel)
        self.w.dress(self._panel)

    @property
    def panel(self):
        """The Landscape panel (made on first use)."""
        self.dock.ensure()
        return self._panel

    def view_action(self) -> QAction:
        """The dock's show/hide action for the View menu."""
        act = self.dock.toggleViewAction()
        act.setText("&Landscape")
        act.setShortcut(QKeySequence(SHORTCUT))
        act.setStatusTip("E as a function of the selected weight or bias: the slope is "
                         "∂E/∂w, a step of η moves downhill (Ctrl+click a second one)")
        act.setToolTip(act.statusTip())
        return act

    def show(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def _on_second_selected(self, sel) -> None:
        self.show()
        self.panel.set_second(sel)

    def _on_shown(self, visible: bool) -> None:
        w, dock = self.w, self.dock
        if visible and not dock.isFloating():  # room for the plot
            w.resizeDocks([dock], [max(360, w.height() * 2 // 5)], Qt.Orientation.Vertical)
            w.resizeDocks([dock], [max(520, w.width() * 2 // 5)], Qt.Orientation.Horizontal)
