"""Workspaces: the docks arranged for one activity at a time, so the graph keeps its room.

Explore, Step through, Train, Draw and Constructions each show the docks their activity needs
(see WORKSPACES) and hide the others; tabs above the graph and Ctrl+1 … Ctrl+5 switch, and
starting an activity (stepping, training, drawing, a construction) switches to its workspace.
Each workspace's layout, as the user leaves it (docks moved, resized, shown or hidden), is
remembered per user and comes back the next time; a workspace never seen before gets its default
arrangement. Whatever the layout, the graph keeps at least GRAPH_SHARE of the window's width and
height (the docks beside and below it shrink). Presentation mode has its own arrangement:
workspaces stay out of its way.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QTabBar, QToolBar

#: The graph never gets less than this share of the window's width and of its height.
GRAPH_SHARE = 0.5


@dataclass(frozen=True)
class Workspace:
    """``docks``: the object names of the docks shown (the others are hidden); ``choose``:
    docks of which only the one fitting the network is shown (see Workspaces._fitting)."""

    key: str
    title: str
    tip: str
    docks: tuple[str, ...]
    choose: tuple[str, ...] = ()


WORKSPACES = (
    Workspace("explore", "Explore", "The network, what it is and the numbers of what you "
              "select (About, Inspector, Step through)",
              ("aboutDock", "inspectorDock", "steppingDock")),
    Workspace("step", "Step through", "One example through the forward and backward passes, "
              "with the equations (Step through, Inspector, Equations)",
              ("steppingDock", "inspectorDock", "equationsDock")),
    Workspace("train", "Train", "Training on the data set with live error and accuracy "
              "(Training, Error and accuracy)", ("trainingDock", "plotsDock")),
    Workspace("draw", "Draw", "Draw a digit and see the answer; step it through with the "
              "keys or the Step tool bar (Draw a digit; the equations while stepping)",
              ("drawingDock",)),
    Workspace("constructions", "Constructions", "The articles' constructions, trained live: "
              "the 2-D playground or approximation by steps, with the error plots",
              ("plotsDock",), ("playgroundDock", "approximationDock")),
)
#: The docks each workspace brings forward when they share a tab group.
_RAISED = {"step": "steppingDock", "explore": "steppingDock"}


class Workspaces(QObject):
    """The workspaces of ``window`` (a MainWindow with its docks made): the tab bar (in a tool
    bar), the View › Workspace actions, switching and remembering."""

    switched = Signal(str)  # the key of the workspace now shown

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.current = ""
        self._arranging = False
        self.tabs = QTabBar()
        self.tabs.setObjectName("workspaceTabs")
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        self.group = QActionGroup(self)
        self.actions: dict[str, QAction] = {}
        for i, ws in enumerate(WORKSPACES):
            self.tabs.addTab(ws.title)
            self.tabs.setTabToolTip(i, f"{ws.tip}  (Ctrl+{i + 1})")
            act = QAction(ws.title, window)
            act.setCheckable(True)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.setStatusTip(ws.tip)
            act.triggered.connect(lambda _=False, k=ws.key: self.switch(k))
            self.group.addAction(act)
            self.actions[ws.key] = act
        self.tabs.currentChanged.connect(lambda i: self.switch(WORKSPACES[i].key))
        self.toolbar = QToolBar("Workspaces", window)
        self.toolbar.setObjectName("workspaceToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addWidget(self.tabs)

    # -- switching ------------------------------------------------------------------------
    def workspace(self, key: str | None = None) -> Workspace:
        key = key or self.current
        return next(ws for ws in WORKSPACES if ws.key == key)

    def start(self) -> None:
        """Show the workspace the user had last (Explore the first time); from now on a dock
        opened (View menu, a key) gets room without taking the graph's."""
        for dock in self.docks().values():
            dock.visibilityChanged.connect(self._on_dock_visibility)
        self._own_row()
        key = self.w.settings.value("workspace/current", "explore")
        keys = [ws.key for ws in WORKSPACES]
        self.switch(key if key in keys else "explore", save=False)

    def switch(self, key: str, save: bool = True, show: str | None = None) -> None:
        """Show workspace ``key``: remember the layout of the one shown, then arrange this
        one's (as the user left it, else its default); ``show``: a dock the user asked for,
        shown in any case (of the workspace's alternatives, it is the one shown)."""
        if key == self.current or self._arranging or self.w.presentation.active:
            self._sync(self.current)
            return
        if save and self.current:
            self.save()
        self._arranging = True
        try:
            self.current = key
            state = self.w.settings.value(f"workspace/{key}")
            if not (isinstance(state, QByteArray) and self.w.restoreState(state)):
                self._arrange_default(self.workspace(key))
            self._own_row()
            self._show_fitting(self.workspace(key), show)
            self._sync(key)
        finally:
            self._arranging = False
        self.w.settings.setValue("workspace/current", key)
        QTimer.singleShot(0, self.keep_graph_room)
        self.switched.emit(key)

    def activity(self, key: str, dock: str | None = None) -> None:
        """An activity started (stepping, training, drawing, a construction; ``dock``: the
        dock the user opened for it): its workspace, unless the one shown has room for it
        already."""
        if self.w.presentation.active or self._arranging:
            return
        # Where each activity can go on without a switch: drawing steps its digit through, a
        # construction trains in place.
        at_home = {"step": ("step", "draw"), "train": ("train", "constructions"),
                   "draw": ("draw",), "constructions": ("constructions",)}[key]
        if self.current not in at_home:
            self.switch(key, show=dock)

    def _own_row(self) -> None:
        """The tabs keep a row of their own at the top, also under a layout saved before they
        existed (restoreState puts a tool bar it does not know on the last row)."""
        w, bar = self.w, self.toolbar
        if w.toolBarArea(bar) != Qt.ToolBarArea.TopToolBarArea:
            w.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        if not w.toolBarBreak(bar):
            w.insertToolBarBreak(bar)
        bar.show()

    def _on_dock_visibility(self, visible: bool) -> None:
        if visible and not self._arranging and not self.w.presentation.active:
            QTimer.singleShot(0, self.keep_graph_room)  # after the dock's own sizing

    def save(self) -> None:
        """Remember the current workspace's layout (on leaving it, and when the app closes)."""
        if self.current and not self.w.presentation.active:
            self.w.settings.setValue(f"workspace/{self.current}", self.w.saveState())

    def _sync(self, key: str) -> None:
        if not key:
            return
        i = [ws.key for ws in WORKSPACES].index(key)
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(i)
        self.tabs.blockSignals(False)
        self.actions[key].setChecked(True)

    # -- arranging ------------------------------------------------------------------------
    def docks(self) -> dict[str, QDockWidget]:
        return {d.objectName(): d for d in self.w.findChildren(QDockWidget)
                if d.parent() is self.w and d.objectName()}

    def _fitting(self, ws: Workspace) -> str | None:
        """Of ``ws.choose``, the dock that fits the network (the approximation for 1-N-1, the
        playground otherwise)."""
        if not ws.choose:
            return None
        sizes = self.w.doc.net.sizes
        if sizes[0] == 1 and sizes[-1] == 1 and "approximationDock" in ws.choose:
            return "approximationDock"
        return ws.choose[0]

    def _show_fitting(self, ws: Workspace, asked: str | None = None) -> None:
        docks = self.docks()
        if asked in docks:
            for name in ws.choose:
                if name in docks and name != asked:
                    docks[name].hide()
            docks[asked].show()
            return
        fitting = self._fitting(ws)
        if fitting is None:
            return
        if not any(docks[name].isVisible() for name in ws.choose if name in docks):
            docks[fitting].show()

    def _arrange_default(self, ws: Workspace) -> None:
        docks = self.docks()
        shown = set(ws.docks) | ({self._fitting(ws)} if ws.choose else set())
        for name, dock in docks.items():
            if name in shown:
                dock.setFloating(False)
                dock.show()
            else:
                dock.hide()
        raised = _RAISED.get(ws.key)
        if raised in docks:
            docks[raised].raise_()
        w = self.w
        bottom = [docks[n] for n in ("equationsDock", "plotsDock", "approximationDock")
                  if n in shown and n in docks]
        if bottom:
            w.resizeDocks(bottom, [max(150, w.height() // (4 if ws.key == "step" else 3))]
                          * len(bottom), Qt.Orientation.Vertical)

    def keep_graph_room(self) -> None:
        """Shrink the docks beside and below the graph until it has GRAPH_SHARE of the
        window's width and height (docks as they can: their minimum sizes stay)."""
        w, view = self.w, self.w.view
        if w.presentation.active or not w.isVisible():
            return
        w.layout().activate()  # sizes asked for just now (a dock's own sizing) take effect
        self._hide_stray_tab_bars()
        for orientation, have, whole in (
                (Qt.Orientation.Horizontal, view.width(), w.width()),
                (Qt.Orientation.Vertical, view.height(), w.height())):
            short = GRAPH_SHARE * whole - have
            if short <= 0:
                continue
            # Each dock beside (or below) the graph gives up the whole shortfall: docks side by
            # side in one column (or row) then give exactly it, docks in a row across give
            # more than enough (the graph gets the rest); their minimum sizes stay.
            docks = self._beside(orientation)
            if docks:
                w.resizeDocks(docks, [max(1, int(self._extent(d, orientation) - short))
                                      for d in docks], orientation)

    def _hide_stray_tab_bars(self) -> None:
        """Qt's main window can leave the tab bar of docks that were tabbed, then hidden or
        moved, on screen over the graph: a tab bar over the central widget is hidden."""
        central = self.w.centralWidget().geometry()
        for bar in self.w.findChildren(QTabBar):
            if bar.parent() is self.w and bar.isVisible() and bar.geometry().intersects(central):
                bar.hide()

    def _beside(self, orientation) -> list[QDockWidget]:
        areas = ((Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
                 if orientation == Qt.Orientation.Horizontal else
                 (Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.TopDockWidgetArea))
        return [d for d in self.docks().values()
                if d.isVisible() and not d.isFloating() and self.w.dockWidgetArea(d) in areas]

    @staticmethod
    def _extent(dock: QDockWidget, orientation) -> int:
        return dock.width() if orientation == Qt.Orientation.Horizontal else dock.height()
