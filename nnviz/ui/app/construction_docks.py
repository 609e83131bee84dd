"""The articles' two constructions as docks of the main window: function approximation by steps
(1-N-1 networks) and the 2-D playground (2-input networks), wired to the training: their Train
buttons, the playground's η / batch / L2 / pace kept in step with the Training dock, and changes
made while a run goes on ("live", as in TensorFlow Playground). Wiring only: the panels and the
document do the work."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from ...core.session import TrainingState


class Constructions(QObject):
    """Creates the two docks (hidden) in ``window``, which must already have ``doc``,
    ``trainer``, ``sweeper``, ``training`` (the Training panel), ``about_dock``, ``_add_dock``
    and ``toggle_training``. The panels (and their imports) are made when either dock is first
    shown or a panel is asked for (see lazy_docks)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = w = window
        self._approximation = self._playground = None
        self.approximation_dock = w._add_dock("Function approximation", "approximationDock",
                                              self._build, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.approximation_dock.hide()
        self.approximation_dock.visibilityChanged.connect(self._on_approximation_shown)
        self.playground_dock = w._add_dock("2-D playground", "playgroundDock", self._build,
                                           Qt.DockWidgetArea.LeftDockWidgetArea)
        self.playground_dock.hide()
        self.playground_dock.visibilityChanged.connect(self._on_playground_shown)

    def _build(self) -> None:
        from ..constructions.approximation import ApproximationPanel
        from ..constructions.playground import PlaygroundPanel

        w = self.w
        self._approximation = ApproximationPanel(w.doc)
        self.approximation_dock.set_content(self._approximation)
        self._approximation.trainRequested.connect(w.toggle_training)
        w.trainer.stateChanged.connect(self._approximation.set_training_state)
        self._playground = PlaygroundPanel(w.doc, w.trainer.session.settings)
        self.playground_dock.set_content(self._playground)
        self._wire_playground()
        w.dress(self._approximation, self._playground)
        if w.trainer.state is not TrainingState.IDLE:  # made during a run: catch up
            self._approximation.set_training_state(w.trainer.state)
            self._playground.set_training_state(w.trainer.state)

    @property
    def approximation(self):
        """The function-approximation panel (made on first use)."""
        self.approximation_dock.ensure()
        return self._approximation

    @property
    def playground(self):
        """The 2-D playground panel (made on first use)."""
        self.playground_dock.ensure()
        return self._playground

    def view_actions(self) -> list[QAction]:
        """The two docks' show/hide actions for the View menu, with their keys."""
        acts = []
        for dock, key, tip in ((self.approximation_dock, "Ctrl+Shift+U",
                                "1-N-1 networks: the target, the output and every hidden step"),
                               (self.playground_dock, "Ctrl+Shift+P",
                                "2-input networks: every neuron's map over the plane")):
            act = dock.toggleViewAction()
            act.setShortcut(QKeySequence(key))
            act.setStatusTip(tip)
            acts.append(act)
        return acts

    # -- the playground and the training ------------------------------------------------------
    def _wire_playground(self) -> None:
        """The playground's Train button and readout follow the training; its η / batch / L2 /
        pace are the training session's settings, as in the Training dock."""
        pg, trainer = self.playground, self.w.trainer
        pg.live = self.live_change
        pg.trainRequested.connect(self.w.toggle_training)
        trainer.stateChanged.connect(pg.set_training_state)
        trainer.epochReported.connect(pg.show_epoch)
        pg.batchChanged.connect(self._on_playground_batch_changed)

    def _on_playground_batch_changed(self, m: int) -> None:
        settings = self.w.trainer.session.settings
        if m == settings.batch_size:
            return
        try:
            self.live_change(lambda: setattr(settings, "batch_size", m))
        except PermissionError as exc:
            self.playground.batch_spin.setValue(settings.batch_size)
            self.w.statusBar().showMessage(f"Not now: {exc}.", 6000)

    def live_change(self, change) -> None:
        """Run ``change()`` while a run may be going on, as the playground changes things:
        the run's job stops (its weights kept, one undo step), the change is made, and a new job
        goes on with the same run from there, for the epochs it had left, its curves continuing
        (paused if it was paused). PermissionError during a sweep."""
        trainer = self.w.trainer
        state = trainer.state
        if self.w.sweeper.running:
            raise PermissionError("a sweep is running: stop it first")
        if not state.active:
            change()
            return
        trainer.close()
        try:
            change()
        finally:
            self.w.training.start(paused=state is TrainingState.PAUSED, continue_run=True)

    # -- room for the docks -------------------------------------------------------------------
    def _on_approximation_shown(self, visible: bool) -> None:
        # The plot needs room: half the height, most of the width beside the equations.
        w, dock = self.w, self.approximation_dock
        if visible:
            w.workspaces.activity("constructions", dock.objectName())
        if visible and not dock.isFloating():
            w.resizeDocks([dock], [max(320, w.height() // 2)], Qt.Orientation.Vertical)
            w.resizeDocks([dock], [w.width() * 2 // 3], Qt.Orientation.Horizontal)

    def _on_playground_shown(self, visible: bool) -> None:
        w, dock = self.w, self.playground_dock
        if visible:
            w.workspaces.activity("constructions", dock.objectName())
        if visible and not dock.isFloating():
            w.resizeDocks([dock], [max(480, min(640, int(w.width() * 0.44)))],
                          Qt.Orientation.Horizontal)
            if w.about_dock.isVisible():
                w.resizeDocks([w.about_dock, dock], [w.height() // 6, w.height()],
                              Qt.Orientation.Vertical)
