"""The main window: the graph in the centre, docks around it, menus and toolbar. Wiring only:
the features are built here and handed the collaborators they need (the document, the training
controller, the dock registry); the actions and menus are in ``actions.WindowActions``."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDockWidget,
    QGraphicsView,
    QMainWindow,
    QMessageBox,
    QUndoView,
    QWidget,
)

from ... import __version__
from ...constants import asset, mnist_image_shape
from ...core.session import TrainingState
from ..files.network_files import NetworkFiles
from ..graph.view import NetworkGraphView
from ..inspector.panel import InspectorPanel
from ..model.document import Document
from ..model.selection import Change
from ..stepping.controls import SteppingPanel
from ..stepping.equations import EquationsPanel
from ..training.controller import TrainingController
from ..training.run_files import RunFiles
from ..training.sweep import SweepRunner
from .about import AboutNetworkPanel
from .actions import WindowActions
from .construction_docks import Constructions
from .landscape_dock import LandscapeDock
from .lazy_docks import LazyDock, LazyPanels
from .learning_docks import LearningDocks
from .loader import MnistLoader
from .presentation import PresentationMode
from .view_menus import AppearanceActions, ExportActions
from .workspaces import Workspaces

DEFAULT_PRESET = "mnist-30"


class MainWindow(WindowActions, LazyPanels, QMainWindow):
    def __init__(self, settings: QSettings | None = None, preset: str | None = None,
                 load_data: bool = True, theme: str | None = None) -> None:
        """``theme``: "light", "dark" or "system" for this run (default: the saved choice)."""
        super().__init__()
        self.settings = settings if settings is not None else QSettings("nnviz", "nnviz")
        self.setWindowTitle("nnviz")
        icon = asset("nnviz.svg")
        if icon is not None:
            self.setWindowIcon(QIcon(str(icon)))
        self.doc = Document(self)
        self.files = NetworkFiles(self.doc, self.settings, self)
        # Bound methods, not lambdas: Qt drops these connections when the window goes.
        self.files.message.connect(self._on_files_message)
        self.doc.undo_stack.cleanChanged.connect(self._update_title)
        self.setAcceptDrops(True)
        self.view = NetworkGraphView(self.doc)
        self.history = QUndoView(self.doc.undo_stack)
        self.history.setEmptyLabel("<the network as loaded>")
        self.history.setToolTip("Every change to the network; click an entry to go back to it")
        self.setCentralWidget(self.view)
        # The side columns run the window's full height; docks at the bottom sit under the
        # graph only, so a tall side panel and a bottom panel never add up past a laptop's
        # 768 lines.
        for corner, area in ((Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea),
                             (Qt.Corner.BottomRightCorner,
                              Qt.DockWidgetArea.RightDockWidgetArea)):
            self.setCorner(corner, area)
        self.about = AboutNetworkPanel(self.doc)
        self.about_dock = self._add_dock("About this network", "aboutDock", self.about,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.mnist = None
        self._stepping_shown = False
        self._lock_reason = ""  # the lock the status bar may still be speaking of
        self._build_actions()
        self.stepping = SteppingPanel(self.doc, self.step_actions)
        self.stepping_dock = self._add_dock("Step through", "steppingDock", self.stepping,
                                            Qt.DockWidgetArea.RightDockWidgetArea)
        self.equations = EquationsPanel(self.doc)
        self.equations_dock = self._add_dock("Equations", "equationsDock", self.equations,
                                             Qt.DockWidgetArea.BottomDockWidgetArea)
        self.act_check_gradient.triggered.connect(self.equations.check_gradient)
        self.trainer = TrainingController(self.doc, self)
        self.sweeper = SweepRunner(self.trainer, self)
        # The Training form and the plots are made together when either dock is first shown or
        # training is first asked for (see lazy_docks): before any run, so they see all of it.
        self._training = self._plots = None
        self.training_dock = self._add_dock("Training", "trainingDock", self._build_training,
                                            Qt.DockWidgetArea.RightDockWidgetArea)
        self.plots_dock = self._add_dock("Error and accuracy", "plotsDock", self._build_training,
                                         Qt.DockWidgetArea.BottomDockWidgetArea)
        self.splitDockWidget(self.equations_dock, self.plots_dock, Qt.Orientation.Horizontal)
        self.plots_dock.hide()
        self.training_dock.hide()
        self.learning = LearningDocks(self)
        self.run_files = RunFiles(self.doc, self.trainer, self, prepare=self._before_run_opens)
        self.run_files.message.connect(self._on_files_message)
        self.inspector = InspectorPanel(self.doc)
        self.inspector_dock = self._add_dock("Inspector", "inspectorDock", self.inspector,
                                             Qt.DockWidgetArea.RightDockWidgetArea)
        self.inspector_dock.setMinimumWidth(300)
        self.tabifyDockWidget(self.stepping_dock, self.inspector_dock)
        self.stepping_dock.raise_()
        self._drawing = self._drawer = None
        self.drawing_dock = self._add_dock("Draw a digit", "drawingDock", self._build_drawing,
                                           Qt.DockWidgetArea.LeftDockWidgetArea)
        self.drawing_dock.setMinimumWidth(360)
        self.drawing_dock.hide()
        self.drawing_dock.visibilityChanged.connect(self._on_drawing_dock_visibility_changed)
        self.history_dock = self._add_dock("Undo history", "historyDock", self.history,
                                           Qt.DockWidgetArea.LeftDockWidgetArea)
        self.history_dock.hide()
        self.trainer.stateChanged.connect(self._on_training_state_changed)
        self.trainer.frameDue.connect(self._on_frame_due)
        # The articles' two constructions, live: approximation by steps, the 2-D playground.
        self.constructions = Constructions(self)
        self.approximation_dock = self.constructions.approximation_dock
        self.playground_dock = self.constructions.playground_dock
        self.landscape = LandscapeDock(self)  # E over the selected weight (View › Landscape)
        self.looks = AppearanceActions(self, self.settings, theme)
        self.exports = ExportActions(self)
        # before presentation mode's own handler: it arranges the docks the window shows
        self.doc.changed.connect(self._on_document_changed)
        self.presentation = PresentationMode(self)
        self.learning.wire_presentation(self.presentation)
        self.workspaces = Workspaces(self)
        self._build_menus()
        self._build_toolbar()
        # Keys must work with the menu and tool bars hidden (presentation mode): the window
        # itself carries every action of the menus too.
        def leaves(menu):
            for a in menu.actions():
                if a.menu() is not None:
                    yield from leaves(a.menu())
                elif not a.isSeparator():
                    yield a

        for menu_action in self.menuBar().actions():
            self.addActions(list(leaves(menu_action.menu())))
        self.statusBar().showMessage("Ready")
        self.view.hovered.connect(self._on_view_hovered)
        self._restore_settings()
        self.workspaces.start()
        key = preset or self.settings.value("preset", DEFAULT_PRESET)
        self.load_preset(key if isinstance(key, str) else DEFAULT_PRESET)
        self._loader = MnistLoader(self)
        self._loader.loaded.connect(self.use_mnist)
        self._loader.failed.connect(self._on_loader_failed)
        if load_data:
            QTimer.singleShot(0, self._loader.start)  # after the window is on screen

    # -- construction ------------------------------------------------------------------------
    def _add_dock(self, title: str, name: str, widget, area) -> QDockWidget:
        """A dock with ``widget``, or, when ``widget`` is a function, a LazyDock that calls it
        to make its content when first shown."""
        if callable(widget) and not isinstance(widget, QWidget):
            dock = LazyDock(title, self, widget)
        else:
            dock = QDockWidget(title, self)
            dock.setWidget(widget)
        dock.setObjectName(name)  # needed for saveState/restoreState
        # A side column needs some width; a dock under the graph shares the graph's width
        # (the side columns run the full height) and must not set the window's minimum.
        dock.setMinimumWidth(120 if area == Qt.DockWidgetArea.BottomDockWidgetArea else 220)
        self.addDockWidget(area, dock)
        return dock

    def _stop_stepping(self) -> None:
        self.stepping.set_playing(False)
        self.doc.stop_stepping()

    def _train(self, what: str) -> None:
        if self.workspaces.current != "constructions":  # a construction has its own controls
            self.training_dock.show()
        if what == "start":
            self.training.start()
        elif what == "pause":
            self.training.toggle_pause()
        else:
            self.trainer.stop()

    def toggle_training(self) -> None:
        """Start training the network shown, or pause / resume the run going on (the panels'
        Train buttons)."""
        if self.trainer.state.active:
            self._train("pause")
        else:
            self._train("start")

    def _on_frame_due(self, part: str) -> None:
        """While training, the graph's items take the new weights on one tick ("graph") and
        the graph repaints on a later one ("graph paint"): each pass of the event loop stays
        short (nnviz bench gui). Meanwhile the view does not follow the scene's changes by
        itself, but any paint (a grab, an expose) shows the scene as it is."""
        view, mode = self.view, QGraphicsView.ViewportUpdateMode
        if part == "graph" and view.viewportUpdateMode() != mode.NoViewportUpdate:
            self._update_mode = view.viewportUpdateMode()
            view.setViewportUpdateMode(mode.NoViewportUpdate)
        elif part == "graph paint" and view.viewportUpdateMode() == mode.NoViewportUpdate:
            view.setViewportUpdateMode(self._update_mode)
            view.viewport().update()

    def _on_training_state_changed(self, state: TrainingState) -> None:
        if not state.live:
            self._on_frame_due("graph paint")  # never left held
        self.view.set_live(state.live)
        if state is TrainingState.STARTING:
            self.workspaces.activity("train")
            # Training is the activity now: its panel and plots show, stepping (off while
            # training) makes room; stepping brings its dock back.
            self.stepping_dock.hide()
            self.equations_dock.hide()
            self.plots_dock.show()
            if self.workspaces.current == "constructions":
                return  # the construction's own controls train: the graph keeps its room
            self.training_dock.show()
            # the Training form in full if it fits, else most of the column (it scrolls)
            self.resizeDocks([self.training_dock],
                             [min(self.training.sizeHint().height(), self.height() * 2 // 3)],
                             Qt.Orientation.Vertical)
            self.resizeDocks([self.plots_dock], [max(300, self.height() // 3)],
                             Qt.Orientation.Vertical)

    def _on_document_lock_changed(self, reason: str) -> None:
        if reason:
            self.statusBar().showMessage(f"Manual changes are off while {reason}.", 6000)
            self.stepping.set_playing(False)
        elif self._lock_reason and self._lock_reason in self.statusBar().currentMessage():
            # "… while training is running" or "Not now: training is running" is over
            self.statusBar().showMessage("Manual changes are on again.", 4000)
        self._lock_reason = reason
        self.act_new.setEnabled(not reason)
        self.preset_actions.setEnabled(not reason)
        for act in self.step_actions.values():
            act.setEnabled(not reason)
        self.stepping.setEnabled(not reason)
        self.equations.setEnabled(True)

    def _on_drawing_dock_visibility_changed(self, visible: bool) -> None:
        if visible:
            self.workspaces.activity("draw", self.drawing_dock.objectName())
        # Room to draw: the left column widens to at least ~560 px when the canvas appears.
        if visible and self.drawing_dock.width() < 560 and not self.drawing_dock.isFloating():
            self.resizeDocks([self.drawing_dock], [min(560, self.width() // 3)],
                             Qt.Orientation.Horizontal)
            if self.about_dock.isVisible():
                self.resizeDocks([self.about_dock, self.drawing_dock],
                                 [self.height() // 4, self.height()], Qt.Orientation.Vertical)

    def zoom_actions_enabled(self, on: bool) -> None:
        """The view's zoom keys (Ctrl+Plus/Minus); presentation mode takes them over."""
        self.act_zoom_in.setEnabled(on)
        self.act_zoom_out.setEnabled(on)

    def undo(self) -> None:
        """Edit › Undo: the document's last change taken back; while the document is locked a
        status message says why not. If that restarts the walk being stepped, the status bar
        says so."""
        self._undo(self.doc.undo, "Undid", self.doc.undo_stack.undoText())

    def redo(self) -> None:
        """Edit › Redo, as ``undo``."""
        self._undo(self.doc.redo, "Redid", self.doc.undo_stack.redoText())

    def _undo(self, do, done: str, text: str) -> None:
        walk = self.doc.walk
        try:
            do()
        except PermissionError as exc:
            self.statusBar().showMessage(f"Not now: {exc}.", 6000)
            return
        if walk is not None and self.doc.stepping and self.doc.walk is not walk:
            self.statusBar().showMessage(
                f"{done} “{text}”: the walk restarted at the input, from the network as it "
                "now is.", 10000)

    def _update_undo_actions(self, *_) -> None:
        stack, locked = self.doc.undo_stack, bool(self.doc.locked_reason)
        self.act_undo.setEnabled(stack.canUndo() and not locked)
        self.act_redo.setEnabled(stack.canRedo() and not locked)
        self.act_undo.setText(f"&Undo {stack.undoText()}".rstrip())
        self.act_redo.setText(f"&Redo {stack.redoText()}".rstrip())
        self.history.setEnabled(not locked)

    def _refuse_while_locked(self) -> bool:
        if self.doc.locked_reason:
            self.statusBar().showMessage(f"Not now: {self.doc.locked_reason}.", 6000)
            return True
        return False

    def load_preset(self, key: str) -> None:
        from ...core.presets import PRESETS

        if self._refuse_while_locked() or not self.files.confirm_discard("switch networks"):
            for act in self.preset_actions.actions():
                act.setChecked(act.data() == self.doc.preset_key)
            return
        if key not in PRESETS:
            key = DEFAULT_PRESET
        self.doc.load_preset(key)
        if self.mnist is not None and self.doc.x is None:
            self.doc.set_examples(self.mnist.test)
        for act in self.preset_actions.actions():
            act.setChecked(act.data() == key)
        self.settings.setValue("preset", key)

    def new_network(self) -> None:
        if self._refuse_while_locked():
            return
        from ..files.new_network_dialog import NewNetworkDialog  # on first use: a faster start

        sizes = ", ".join(map(str, self.doc.net.sizes))
        dialog = NewNetworkDialog(self, sizes)
        if (dialog.exec() != NewNetworkDialog.DialogCode.Accepted
                or not self.files.confirm_discard("make a new network")):
            return
        net = dialog.network()
        shape = mnist_image_shape(net.sizes[0])
        self.doc.set_network(net, "", "", shape)
        if self.mnist is not None:
            self.doc.set_examples(self.mnist.test)
        for act in self.preset_actions.actions():
            act.setChecked(False)

    def show_about(self) -> None:
        QMessageBox.about(self, "About nnviz",
                          f"nnviz {__version__}\n\nSee a neural network learn: every weight, "
                          "every activation, every ∂E/∂z.\n\nMNIST by Yann LeCun, Corinna "
                          "Cortes and Christopher J.C. Burges (CC BY-SA 3.0).")

    def show_keys(self) -> None:
        """Help › Keys: every key of the window, in a window of its own."""
        from .help import keys_html, show_text

        self.keys_dialog = show_text(self, getattr(self, "keys_dialog", None), "Keys",
                                     keys_html(self))

    def show_guide(self) -> None:
        """Help › Guide: the README's guide to the window."""
        from .help import guide_markdown, show_text

        self.guide_dialog = show_text(self, getattr(self, "guide_dialog", None), "Guide",
                                      guide_markdown(), markdown=True)

    # -- signals -----------------------------------------------------------------------------
    def _on_view_hovered(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def _on_document_changed(self, change: Change) -> None:
        """The window's own parts: status bar, docks shown for stepping, lock, title."""
        if change & Change.LOCK:
            self._on_document_lock_changed(self.doc.locked_reason)
            self._update_undo_actions()
        if change & Change.WALK:
            self._on_document_walk_changed()
        if change & Change.SELECTION:
            self._on_document_selection_changed(self.doc.selection)
        elif change & (Change.PARAMETERS | Change.INPUT):
            self._refresh_selection_status()
        if change & (Change.NETWORK | Change.FILE):
            self._update_title()

    def _on_document_selection_changed(self, sel) -> None:
        self._refresh_selection_status()
        if sel is not None and not self.doc.stepping and not self.inspector_dock.isVisible():
            self.inspector_dock.show()
        if sel is not None and not self.doc.stepping:
            self.inspector_dock.raise_()  # a click to inspect brings the Inspector forward

    def _refresh_selection_status(self, *_) -> None:
        sel = self.doc.selection
        if sel is not None and not self.trainer.state.live:
            self.statusBar().showMessage("Selected " + self.view.describe(sel).replace(
                "\n", "  ·  "))

    def _on_document_walk_changed(self) -> None:
        if self.doc.stepping and not self._stepping_shown:
            self.workspaces.activity("step")
            if self.workspaces.current != "draw":  # drawing keeps its room: keys step
                self.stepping_dock.show()
            self.equations_dock.show()
        self._stepping_shown = self.doc.stepping

    def _before_run_opens(self) -> None:
        """A run is about to be opened from a file: the Train workspace and its plots show."""
        self.workspaces.activity("train")
        self.plots  # noqa: B018 -- made now, so they see the run
        self.plots_dock.show()
        self.plots_dock.raise_()

    def _on_files_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _update_title(self, *_) -> None:
        """"nnviz — <network>", with Qt's "*" mark while there are unsaved changes."""
        self.setWindowTitle(f"nnviz — {self.doc.title}[*]")
        self.setWindowModified(self.files.modified)

    # -- files -------------------------------------------------------------------------------
    def open_file(self, path: str, loaded: tuple | None = None) -> bool:
        """Open a network file (checked; a bad file changes nothing and says why); ``loaded``:
        (network, description, provenance) already read from it."""
        if not self.files.open(path, loaded=loaded):
            return False
        if self.mnist is not None:
            self.doc.set_examples(self.mnist.test)
        for act in self.preset_actions.actions():
            act.setChecked(False)
        return True

    def dragEnterEvent(self, event) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_file(files[0])

    def use_mnist(self, mnist) -> None:
        """Use the loaded MNIST set (an ``MNIST``): its test digits become the examples to step
        through. The loader calls it once the bundled set is read."""
        self.mnist = mnist
        self.doc.set_examples(mnist.test)
        self.about.refresh()

    def _on_loader_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"MNIST could not be loaded: {message}")

    # -- persistence -------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = self.settings.value("windowState")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        else:  # first start: the graph gets most of the room, the equations a strip below
            self.resizeDocks([self.equations_dock], [190], Qt.Orientation.Vertical)
        for name, act in (("show_bias", self.act_bias), ("show_numbers", self.act_numbers),
                          ("per_layer_scale", self.act_per_layer),
                          ("show_filters", self.act_filters)):
            value = self.settings.value(f"view/{name}")
            if value is not None:
                act.setChecked(str(value).lower() in ("true", "1"))

    def closeEvent(self, event) -> None:
        self.presentation.leave()  # the layout saved below is the normal one
        self.trainer.close()  # the worker ends within a second; its weights are kept
        if not self.files.confirm_discard("quit"):
            event.ignore()
            return
        self.workspaces.save()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        for name, value in self.view.options.items():
            if name != "show_all_edges":
                self.settings.setValue(f"view/{name}", value)
        self.settings.sync()
        super().closeEvent(event)
