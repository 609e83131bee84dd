"""The main window: the graph in the centre, docks around it, menus and toolbar. Wiring only."""

from __future__ import annotations

import threading

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QMainWindow, QMessageBox,
                               QPushButton, QScrollArea, QToolBar, QUndoView, QVBoxLayout,
                               QWidget)

from ... import __version__
from ...constants import MNIST_INPUTS, mnist_image_shape
from ..model.document import Document
from ..graph.view import NetworkGraphView
from ..files.new_network_dialog import NewNetworkDialog
from ..stepping.panels import EquationsPanel, SteppingPanel
from ..training.controller import PlotsPanel, TrainingController, TrainingPanel
from .construction_docks import Constructions
from ..drawing.controller import DrawingController
from ..files.network_files import NetworkFiles
from ..inspector.panel import InspectorPanel
from .presentation import PresentationMode
from .view_menus import AppearanceActions, ExportActions
from ..drawing.panel import DrawingPanel
from ..training.sweep import SweepPlot, SweepRunner

DEFAULT_PRESET = "mnist-30"


class _Loader(QObject):
    """Loads MNIST off the GUI thread and hands the result back as a signal."""

    loaded = Signal(object)
    failed = Signal(str)

    def start(self) -> None:
        threading.Thread(target=self._run, name="mnist-loader", daemon=True).start()

    def _run(self) -> None:
        from ...data import IDXError, load_mnist

        try:
            self.loaded.emit(load_mnist())
        except (IDXError, OSError) as exc:
            self.failed.emit(str(exc))


class AboutNetworkPanel(QWidget):
    """Dock content: the network's title, the preset's caption, and the current input."""

    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px")
        self.title.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.input = QLabel()
        self.input.setWordWrap(True)
        self.prev_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.prev_button.setToolTip("Show the previous test example ([)")
        self.next_button.setToolTip("Show the next test example (])")
        self.prev_button.clicked.connect(lambda: doc.step_example(-1))
        self.next_button.clicked.connect(lambda: doc.step_example(1))
        row = QHBoxLayout()
        row.addWidget(self.prev_button)
        row.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.caption)
        layout.addWidget(self.input)
        layout.addLayout(row)
        layout.addStretch(1)
        doc.networkReplaced.connect(self.refresh)
        doc.inputChanged.connect(self.refresh)
        doc.parametersChanged.connect(self.refresh)  # the answer changes with the weights
        self.refresh()

    def refresh(self) -> None:
        d = self.doc
        self.title.setText(f"{d.title}  ({'-'.join(map(str, d.net.sizes))}, "
                           f"{'/'.join(dict.fromkeys(d.net.activation_names))}, {d.net.cost_name})")
        self.caption.setText(d.caption or "A network you made. Hover over a neuron or an edge "
                             "to see its numbers; click to select it.")
        if d.x is None:
            text = ("Loading the MNIST test digits…" if d.net.sizes[0] == MNIST_INPUTS
                    else "No input yet.")
        else:
            text = "Input: " + d.input_description
            if d.trace is not None:
                out = d.trace.output
                if len(out) > 1:
                    text += f"\nNetwork's answer: {int(out.argmax())}"
                    label = d.output_labels[int(out.argmax())] if d.output_labels else ""
                    if label and label != str(int(out.argmax())):
                        text += f" ({label})"
                else:
                    text += f"\nOutput a = {out[0]:.4g}"
        self.input.setText(text)
        has_examples = d.examples is not None
        self.prev_button.setVisible(has_examples)
        self.next_button.setVisible(has_examples)


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


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None, preset: str | None = None,
                 load_data: bool = True, theme: str | None = None) -> None:
        """``theme``: "light", "dark" or "system" for this run (default: the saved choice)."""
        super().__init__()
        self.settings = settings if settings is not None else QSettings("nnviz", "nnviz")
        self.setWindowTitle("nnviz")
        self.doc = Document(self)
        self.files = NetworkFiles(self.doc, self.settings, self)
        # Bound methods, not lambdas: Qt drops these connections when the window goes.
        self.files.message.connect(self._on_files_message)
        self.files.saved.connect(self._update_title)
        self.doc.undo_stack.cleanChanged.connect(self._update_title)
        self.setAcceptDrops(True)
        self.view = NetworkGraphView(self.doc)
        self.history = QUndoView(self.doc.undo_stack)
        self.history.setEmptyLabel("<the network as loaded>")
        self.history.setToolTip("Every change to the network; click an entry to go back to it")
        self.setCentralWidget(self.view)
        self.about = AboutNetworkPanel(self.doc)
        self.about_dock = self._add_dock("About this network", "aboutDock", self.about,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.mnist = None
        self._stepping_shown = False
        self._build_actions()
        self.stepping = SteppingPanel(self.doc, self.view, self.step_actions)
        self.stepping_dock = self._add_dock("Step through", "steppingDock", self.stepping,
                                            Qt.DockWidgetArea.RightDockWidgetArea)
        self.equations = EquationsPanel(self.doc)
        self.equations_dock = self._add_dock("Equations", "equationsDock", self.equations,
                                             Qt.DockWidgetArea.BottomDockWidgetArea)
        self.act_check_gradient.triggered.connect(self.equations.check_gradient)
        self.trainer = TrainingController(self.doc, self)
        self.sweeper = SweepRunner(self.trainer, self)
        self.training = TrainingPanel(self.doc, self.trainer, self.sweeper)
        # In a scroll area: the form is tall (530 px), and without one the window could not be
        # made smaller than about 1,100 px high once training starts: off a laptop's screen.
        self.training_dock = self._add_dock("Training", "trainingDock",
                                            _scrolled(self.training),
                                            Qt.DockWidgetArea.RightDockWidgetArea)
        self.plots = PlotsPanel(self.trainer, SweepPlot(self.sweeper))
        self.plots_dock = self._add_dock("Error and accuracy", "plotsDock", self.plots,
                                         Qt.DockWidgetArea.BottomDockWidgetArea)
        self.splitDockWidget(self.equations_dock, self.plots_dock, Qt.Orientation.Horizontal)
        self.plots_dock.hide()
        self.training_dock.hide()
        self.inspector = InspectorPanel(self.doc)
        self.inspector_dock = self._add_dock("Inspector", "inspectorDock", self.inspector,
                                             Qt.DockWidgetArea.RightDockWidgetArea)
        self.inspector_dock.setMinimumWidth(300)
        self.tabifyDockWidget(self.stepping_dock, self.inspector_dock)
        self.stepping_dock.raise_()
        self.drawing = DrawingPanel()
        self.drawer = DrawingController(
            self.doc, self.drawing, lambda: self.mnist.test if self.mnist is not None else None,
            self)
        self.drawing_dock = self._add_dock("Draw a digit", "drawingDock", self.drawing,
                                           Qt.DockWidgetArea.LeftDockWidgetArea)
        self.drawing_dock.setMinimumWidth(360)
        self.drawing_dock.hide()
        self.drawing_dock.visibilityChanged.connect(self._on_drawing_dock_visibility_changed)
        self.history_dock = self._add_dock("Undo history", "historyDock", self.history,
                                           Qt.DockWidgetArea.LeftDockWidgetArea)
        self.history_dock.hide()
        self.trainer.stateChanged.connect(self._on_training_state_changed)
        self.doc.lockChanged.connect(self._on_document_lock_changed)
        # Left: about the network; right: stepping and training; bottom: equations and plots.
        self.doc.walkChanged.connect(self._on_document_walk_changed)
        # The articles' two constructions, live: approximation by steps, the 2-D playground.
        self.constructions = Constructions(self)
        self.approximation = self.constructions.approximation
        self.approximation_dock = self.constructions.approximation_dock
        self.playground = self.constructions.playground
        self.playground_dock = self.constructions.playground_dock
        self.looks = AppearanceActions(self, self.settings, theme)
        self.exports = ExportActions(self)
        self.presentation = PresentationMode(self)
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
        self.doc.selectionChanged.connect(self._on_document_selection_changed)
        self.doc.parametersChanged.connect(self._refresh_selection_status)
        self.doc.inputChanged.connect(self._refresh_selection_status)
        self.doc.networkReplaced.connect(self._on_document_network_replaced)
        self._restore_settings()
        key = preset or self.settings.value("preset", DEFAULT_PRESET)
        self.load_preset(key if isinstance(key, str) else DEFAULT_PRESET)
        self._loader = _Loader(self)
        self._loader.loaded.connect(self._on_loader_loaded)
        self._loader.failed.connect(self._on_loader_failed)
        if load_data:
            QTimer.singleShot(0, self._loader.start)  # after the window is on screen

    # -- construction ------------------------------------------------------------------------
    def _add_dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # needed for saveState/restoreState
        dock.setWidget(widget)
        dock.setMinimumWidth(220)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut=None, tip: str = "", checkable=False,
                checked=False) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                act.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setToolTip(tip)
            act.setStatusTip(tip)
        act.setCheckable(checkable)
        if checkable:
            act.setChecked(checked)
            act.toggled.connect(slot)
        else:
            act.triggered.connect(slot)
        return act

    def _build_actions(self) -> None:
        o = self.view.options
        K = QKeySequence.StandardKey
        self.act_new = self._action("&New network…", self.new_network, K.New,
                                    "Make a network: layer sizes, activations, cost, seed")
        self.act_quit = self._action("&Quit", self.close, K.Quit)
        self.act_undo = self._action("&Undo", lambda: self._undo(self.doc.undo), K.Undo,
                                     "Undo the last change to the network")
        self.act_redo = self._action("&Redo", lambda: self._undo(self.doc.redo),
                                     [K.Redo, "Ctrl+Shift+Z"], "Redo what was undone")
        stack = self.doc.undo_stack
        for sig in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged,
                    stack.redoTextChanged, self.doc.lockChanged):
            sig.connect(self._update_undo_actions)
        self._update_undo_actions()
        self.act_fit = self._action("&Fit to window", self.view.fit, "Ctrl+0",
                                    "Show the whole network")
        self.act_zoom_in = self._action("Zoom &in", lambda: self.view.zoom(1.25),
                                        [K.ZoomIn, "Ctrl+="])
        self.act_zoom_out = self._action("Zoom &out", lambda: self.view.zoom(0.8), K.ZoomOut)
        self.act_bias = self._action("Show &bias neurons", self._toggle("show_bias"), "Ctrl+B",
                                     "Show the “+1” neurons whose edges carry the biases",
                                     True, o["show_bias"])
        self.act_numbers = self._action("Show &numbers", self._toggle("show_numbers"),
                                        "Ctrl+Shift+N", "Numbers on small networks", True,
                                        o["show_numbers"])
        self.act_all_edges = self._action(
            "Show &all edges", self._toggle("show_all_edges"), "Ctrl+Shift+A",
            "Draw every edge of big layers (slower); otherwise only the strongest", True,
            o["show_all_edges"])
        self.act_per_layer = self._action(
            "&Per-layer colour scale", self._toggle("per_layer_scale"), "Ctrl+Shift+L",
            "Scale weight colours per layer instead of across the whole network", True,
            o["per_layer_scale"])
        self.act_filters = self._action(
            "First-layer &weight images", self._toggle("show_filters"), "Ctrl+Shift+W",
            "Draw each first hidden neuron as the 28x28 image of its incoming weights", True,
            o["show_filters"])
        self.act_prev = self._action("&Previous example", lambda: self.doc.step_example(-1),
                                     "[", "Show the previous test example")
        self.act_next = self._action("Ne&xt example", lambda: self.doc.step_example(1), "]",
                                     "Show the next test example")
        self.act_about = self._action("&About nnviz", self.show_about)
        # Stepping: keys work whichever panel has focus (text fields keep the keys they edit
        # with, but Page Up/Down, what presenter clickers send, always step).
        doc = self.doc
        self.step_actions = {
            "next": self._action("Next ▶", lambda: doc.walk_step(1),
                                 ["Right", "Space", "PgDown"],
                                 "Next stage of the walk (→, Space, Page Down)"),
            "prev": self._action("◀ Back", lambda: doc.walk_step(-1), ["Left", "PgUp"],
                                 "Previous stage, exactly as it was (←, Page Up)"),
            "first": self._action("|◀ Start", lambda: doc.walk_go(0), "Home",
                                  "First stage: the input (Home)"),
            "last": self._action("End ▶|", lambda: doc.walk_go(10 ** 6), "End",
                                 "Last stage: the update (End)"),
            "play": self._action("Autoplay", lambda on: self.stepping.set_playing(on), "P",
                                 "Step automatically at the chosen pace (P)", True),
            "stop": self._action("Stop", self._stop_stepping, "Escape",
                                 "Leave stepping; at the update stage the update is kept (Esc)"),
        }
        for act in self.step_actions.values():
            act.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.act_train = self._action("&Start training", lambda: self._train("start"), "Ctrl+T",
                                      "Train the network shown on its data, in the background")
        self.act_pause_training = self._action("&Pause/resume training",
                                               lambda: self._train("pause"), "Ctrl+Shift+T")
        self.act_stop_training = self._action("S&top training", lambda: self._train("stop"),
                                              "Ctrl+.")
        self.act_check_gradient = QAction("&Check this gradient", self)
        self.act_check_gradient.setShortcut(QKeySequence("Ctrl+G"))
        self.act_check_gradient.setStatusTip("Backprop vs finite difference for the selection")

    def _toggle(self, option: str):
        return lambda on: self.view.set_option(option, bool(on))

    def _build_menus(self) -> None:
        from ...core.presets import PRESETS

        mb = self.menuBar()
        m = mb.addMenu("&File")
        m.addActions([self.act_new, self.files.act_open])
        m.addMenu(self.files.recent_menu)
        m.addSeparator()
        m.addActions([self.files.act_save, self.files.act_save_as])
        m.addSeparator()
        m.addMenu(self.exports.menu)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = mb.addMenu("&Edit")
        m.addActions([self.act_undo, self.act_redo])
        m.addSeparator()
        act = self.inspector_dock.toggleViewAction()
        act.setShortcut(QKeySequence("Ctrl+I"))
        act.setStatusTip("Inspect and edit the selected neuron, weight or bias")
        m.addActions([act, self.history_dock.toggleViewAction()])
        m = mb.addMenu("&View")
        m.addAction(self.presentation.act_toggle)
        m.addMenu(self.looks.theme_menu)
        m.addMenu(self.looks.palette_menu)
        m.addAction(self.looks.act_contrast)
        m.addSeparator()
        m.addActions(self.constructions.view_actions())
        m.addSeparator()
        m.addActions([self.act_fit, self.act_zoom_in, self.act_zoom_out])
        m.addSeparator()
        m.addActions([self.act_bias, self.act_numbers, self.act_all_edges, self.act_per_layer,
                      self.act_filters])
        m.addSeparator()
        m.addAction(self.about_dock.toggleViewAction())
        m = mb.addMenu("&Presets")
        self.preset_actions = QActionGroup(self)
        for key, preset in PRESETS.items():
            act = QAction(preset.title, self)
            act.setCheckable(True)
            act.setData(key)
            act.setStatusTip(preset.caption.split(". ")[0])
            act.triggered.connect(lambda _=False, k=key: self.load_preset(k))
            self.preset_actions.addAction(act)
            m.addAction(act)
        m = mb.addMenu("&Input")
        m.addActions([self.act_prev, self.act_next])
        m.addSeparator()
        act = self.drawing_dock.toggleViewAction()
        act.setText("&Draw a digit")
        act.setShortcut(QKeySequence("Ctrl+D"))
        act.setStatusTip("Draw a digit and watch the network read it")
        m.addAction(act)
        m = mb.addMenu("&Train")
        m.addActions([self.act_train, self.act_pause_training, self.act_stop_training])
        m.addSeparator()
        m.addActions([self.training_dock.toggleViewAction(), self.plots_dock.toggleViewAction()])
        m = mb.addMenu("&Step")
        m.addActions([self.step_actions[k] for k in ("next", "prev", "first", "last", "play",
                                                      "stop")])
        m.addSeparator()
        m.addAction(self.act_check_gradient)
        m.addSeparator()
        m.addActions([self.stepping_dock.toggleViewAction(),
                      self.equations_dock.toggleViewAction()])
        m = mb.addMenu("&Help")
        m.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main", self)
        tb.setObjectName("mainToolbar")
        tb.addActions([self.act_new])
        tb.addSeparator()
        tb.addActions([self.act_fit, self.act_zoom_in, self.act_zoom_out])
        tb.addSeparator()
        tb.addActions([self.act_bias, self.act_numbers, self.act_all_edges])
        self.addToolBar(tb)
        tb = QToolBar("Stepping", self)
        tb.setObjectName("steppingToolbar")
        tb.addActions([self.step_actions[k] for k in ("first", "prev", "next", "last", "play")])
        self.addToolBar(tb)

    # -- actions -----------------------------------------------------------------------------
    def _stop_stepping(self) -> None:
        self.stepping.set_playing(False)
        self.doc.stop_stepping()

    def _train(self, what: str) -> None:
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
        if self.trainer.state in ("starting", "running", "paused"):
            self._train("pause")
        else:
            self._train("start")

    def _on_training_state_changed(self, state: str) -> None:
        self.view.set_live(state in ("starting", "running"))
        if state == "starting":
            # Training is the activity now: its panel and plots show, stepping (off while
            # training) makes room; stepping brings its dock back.
            self.stepping_dock.hide()
            self.equations_dock.hide()
            self.training_dock.show()
            self.plots_dock.show()
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
        self.act_new.setEnabled(not reason)
        self.preset_actions.setEnabled(not reason)
        for act in self.step_actions.values():
            act.setEnabled(not reason)
        self.stepping.setEnabled(not reason)
        self.equations.setEnabled(True)

    def _on_drawing_dock_visibility_changed(self, visible: bool) -> None:
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

    def _undo(self, do) -> None:
        try:
            do()
        except PermissionError as exc:
            self.statusBar().showMessage(f"Not now: {exc}.", 6000)

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

    # -- signals -----------------------------------------------------------------------------
    def _on_view_hovered(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def _on_document_selection_changed(self, sel) -> None:
        self._refresh_selection_status()
        if sel is not None and not self.doc.stepping and not self.inspector_dock.isVisible():
            self.inspector_dock.show()
        if sel is not None and not self.doc.stepping:
            self.inspector_dock.raise_()  # a click to inspect brings the Inspector forward

    def _refresh_selection_status(self, *_) -> None:
        sel = self.doc.selection
        if sel is not None and self.trainer.state not in ("starting", "running"):
            self.statusBar().showMessage("Selected " + self.view.describe(sel).replace(
                "\n", "  ·  "))

    def _on_document_walk_changed(self) -> None:
        if self.doc.stepping and not self._stepping_shown:
            self.stepping_dock.show()
            self.equations_dock.show()
        self._stepping_shown = self.doc.stepping

    def _on_document_network_replaced(self) -> None:
        self._update_title()

    def _on_files_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _update_title(self, *_) -> None:
        """"nnviz — <network>", with Qt's "*" mark while there are unsaved changes."""
        self.setWindowTitle(f"nnviz — {self.doc.title}[*]")
        self.setWindowModified(self.files.modified)

    # -- files -------------------------------------------------------------------------------
    def open_file(self, path: str) -> bool:
        """Open a network file (checked; a bad file changes nothing and says why)."""
        if not self.files.open(path):
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

    def _on_loader_loaded(self, mnist) -> None:
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
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        for name, value in self.view.options.items():
            if name != "show_all_edges":
                self.settings.setValue(f"view/{name}", value)
        self.settings.sync()
        super().closeEvent(event)
