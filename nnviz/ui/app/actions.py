"""The main window's actions, menus and tool bars (a mixin of MainWindow): every command with
its keys, tool tip and status tip, in one place."""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar

#: The symbol Shift makes of each unshifted symbol key (the US layout's): "Shift+/" is the key
#: that types "?", so Qt hears both bindings at once.
SHIFTED = dict(zip("`1234567890-=[]\\;',./", '~!@#$%^&*()_+{}|:"<>?'))


def key_identity(key) -> str:
    """The key that ``key`` (a QKeySequence, standard key or text) is pressed with, in one
    spelling: "Shift+/" and "?" are the same key ("?"), and so are "Ctrl+Shift+=" and
    "Ctrl++". Two bindings with the same identity are one key to Qt: an ambiguous shortcut."""
    chords = []
    for combo in QKeySequence(key):
        mods, text = combo.keyboardModifiers(), QKeySequence(combo.key()).toString()
        shift = Qt.KeyboardModifier.ShiftModifier
        if mods & shift and len(text) == 1 and (text in SHIFTED or text in SHIFTED.values()):
            mods &= ~shift  # the symbol already says whether Shift is down
            text = SHIFTED.get(text, text)
        chords.append(QKeySequence(QKeyCombination(mods, QKeySequence(text)[0].key()))
                      .toString())
    return ", ".join(chords)


def unique_keys(shortcuts) -> list[QKeySequence]:
    """The key sequences of ``shortcuts`` (standard keys or text), each key once: on X11 Redo's
    standard key is Ctrl+Shift+Z itself, and a key listed twice on one action (also spelt
    differently, as "?" and "Shift+/") made Qt refuse it as an ambiguous shortcut."""
    keys: list[QKeySequence] = []
    seen: set[str] = set()
    for s in shortcuts:
        key = QKeySequence(s)
        if not key.isEmpty() and key_identity(key) not in seen:
            seen.add(key_identity(key))
            keys.append(key)
    return keys


class WindowActions:
    """Builds the actions, the menu bar and the tool bars of the main window."""

    def _action(self, text: str, slot, shortcut=None, tip: str = "", checkable=False,
                checked=False) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                act.setShortcuts(unique_keys(shortcut))
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
        self.act_undo = self._action("&Undo", self.undo, K.Undo,
                                     "Undo the last change to the network")
        self.act_redo = self._action("&Redo", self.redo,
                                     [K.Redo, "Ctrl+Shift+Z"], "Redo what was undone")
        stack = self.doc.undo_stack
        for sig in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged,
                    stack.redoTextChanged):
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
        self.act_keys = self._action("&Keys", self.show_keys, None,
                                     "Every key of the window, the mouse and presentation mode")
        self.act_guide = self._action("&Guide", self.show_guide, "F1",
                                      "How to use the window: the README's guide")
        # Stepping: keys work whichever panel has focus (text fields keep the keys they edit
        # with, but Page Up/Down, what presenter clickers send, always step).
        doc = self.doc
        self.step_actions = {
            "next": self._action("Next ▶", lambda: doc.walk_step(1),
                                 ["Right", "Space", "PgDown"],
                                 "Next stage of the walk; from the update, the next step "
                                 "from the new weights (→, Space, Page Down)"),
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
        m.addActions([self.run_files.act_open, self.run_files.act_save])
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
        workspaces = m.addMenu("&Workspace")
        workspaces.addActions(list(self.workspaces.actions.values()))
        m.addMenu(self.looks.theme_menu)
        m.addMenu(self.looks.palette_menu)
        m.addAction(self.looks.act_contrast)
        m.addSeparator()
        m.addActions(self.constructions.view_actions())
        m.addAction(self.landscape.view_action())
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
        m.addActions([self.training_dock.toggleViewAction(), self.plots_dock.toggleViewAction(),
                      *self.learning.view_actions()])
        m = mb.addMenu("&Step")
        m.addActions([self.step_actions[k] for k in ("next", "prev", "first", "last", "play",
                                                      "stop")])
        m.addSeparator()
        m.addAction(self.act_check_gradient)
        m.addSeparator()
        m.addActions([self.stepping_dock.toggleViewAction(),
                      self.equations_dock.toggleViewAction()])
        m = mb.addMenu("&Help")
        m.addActions([self.act_guide, self.act_keys])
        m.addSeparator()
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
        self.addToolBarBreak()  # the workspace tabs get a row of their own: all five fit
        self.addToolBar(self.workspaces.toolbar)

    # -- actions -----------------------------------------------------------------------------
