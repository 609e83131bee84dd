"""The docks that show how a run learns, beside the error and accuracy plots: each layer's
learning speed, histograms of each layer's weights, activations and errors, and the timeline
bar below the plots. Wiring only:
the panels (ui/training) do the work."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from ..training.timeline import TimelineBar


class LearningDocks(QObject):
    """Creates the docks (hidden, tabbed with the plots dock) in ``window``, which must already
    have ``trainer``, ``plots_dock`` and ``_add_dock``."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = w = window
        # Made when first shown (their plots take ~40 ms): the window paints sooner.
        self._speed = self._histograms = None
        self.speed_dock = w._add_dock("Learning speed", "speedDock", self._build_speed,
                                      Qt.DockWidgetArea.BottomDockWidgetArea)
        w.tabifyDockWidget(w.plots_dock, self.speed_dock)
        self.speed_dock.hide()
        self.speed_dock.visibilityChanged.connect(self._on_speed_shown)
        w.plots_dock.hide()  # tabifying shows it; hidden docks hold no room in the window
        self.histograms_dock = w._add_dock("Histograms", "histogramsDock",
                                           self._build_histograms,
                                           Qt.DockWidgetArea.LeftDockWidgetArea)
        self.histograms_dock.hide()
        self._timeline: TimelineBar | None = None  # below the plots, made with them

    def _on_speed_shown(self, visible: bool) -> None:
        """Room for its two plots: two fifths of the window's height, at least 300 px."""
        w, dock = self.w, self.speed_dock
        if visible and not dock.isFloating():
            w.resizeDocks([dock], [max(300, w.height() * 2 // 5)], Qt.Orientation.Vertical)

    def _build_speed(self) -> None:
        from ..training.speed_plot import SpeedPlot

        self._speed = SpeedPlot(self.w.trainer)
        self.speed_dock.set_content(self._speed)
        self.w.dress(self._speed)
        self._speed.redraw()  # a run trained before it was made

    def _build_histograms(self) -> None:
        from ..training.histograms import HistogramPanel

        w = self.w
        self._histograms = HistogramPanel(
            w.doc, lambda: w.mnist.train if w.mnist is not None else None)
        self.histograms_dock.set_content(self._histograms)
        w.dress(self._histograms)

    @property
    def speed(self):
        """The learning-speed plot (made on first use)."""
        self.speed_dock.ensure()
        return self._speed

    @property
    def histograms(self):
        """The histograms panel (made on first use)."""
        self.histograms_dock.ensure()
        return self._histograms

    def attach(self, plots) -> None:
        """The plots panel was made (on first use): the timeline bar goes below it."""
        self._timeline = TimelineBar(self.w.doc, self.w.trainer)
        plots.layout().addWidget(self._timeline)

    @property
    def timeline(self) -> TimelineBar:
        """The timeline bar (asking for it makes the plots, if they are not made yet)."""
        if self._timeline is None:
            self.w.plots  # noqa: B018 -- makes the plots, which attach the bar
        return self._timeline

    def wire_presentation(self, presentation) -> None:
        """Presenter keys for the timeline, on only in presentation mode (Shift+Left/Right
        select text elsewhere): the previous / next epoch kept."""
        self.timeline_actions = []
        for text, keys, delta in (("Earlier epoch", "Shift+Left", -1),
                                  ("Later epoch", "Shift+Right", 1)):
            act = QAction(text, self.w)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            act.setStatusTip(f"{text} of the run's timeline ({keys}, presentation mode)")
            act.triggered.connect(lambda _=False, d=delta: self.timeline.step(d))
            act.setEnabled(False)
            self.w.addAction(act)
            self.timeline_actions.append(act)
        presentation.toggled.connect(
            lambda on: [a.setEnabled(on) for a in self.timeline_actions])

    def view_actions(self) -> list[QAction]:
        """The docks' show/hide actions for the Train menu."""
        act = self.speed_dock.toggleViewAction()
        act.setStatusTip("Each layer's learning speed ‖∂E/∂bˡ‖ over the run")
        hist = self.histograms_dock.toggleViewAction()
        hist.setStatusTip("Histograms of each layer's weights, activations and errors δ")
        return [act, hist]
