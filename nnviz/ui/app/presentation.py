"""Presentation mode: the window as a lecturer projects it.

F5 enters, Escape leaves. Full screen, only the docks the current activity needs (the equations
while stepping, the plots while training, the canvas while drawing), no tool or status bars,
everything larger by one factor (Ctrl+Plus/Minus), and every action on keys a presenter clicker
sends: Page Down/Up step, B or period blank the screen (as presentation software does: any key
or click brings it back), Home restarts the walk; T starts/pauses training; + and − change the
learning rate η of the walk's update (to show it overshoot), W what the edges show. A small hint
shows the keys (H hides it), out of the way of the stage's caption; "?" lists them all. Leaving
restores the layout exactly.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QPoint,
    QRect,
    QRectF,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from ..model.selection import EDGE_QUANTITIES, Change
from .actions import unique_keys
from .overlays import BlankScreen, KeysOverlay

#: Default enlargement in presentation mode, its range and step.
DEFAULT_SCALE = 1.6
SCALE_RANGE = (1.0, 3.0)
SCALE_STEP = 0.2
#: Body text in presentation mode: this many pixels per 1,080 lines of screen at scale 1, so
#: 32 px on a 1920x1080 projector at the default scale (indices of formulas: 2/3 of the
#: equations' 1.25x, ≥ 26 px); it follows the screen's height and the scale multiplies it.
BODY_PX_AT_1080 = 20.0
#: The key hint is for the presenter: this share of the body text.
HINT_SHARE = 0.6
#: The equations take at most this share of the height; longer ones scroll.
EQUATIONS_SHARE = 0.55
#: A run without a pace of its own lasts at least this long in presentation mode (seconds):
#: a 1,000-image MNIST subset trains 30 epochs in a second or two, over before it is seen.
WATCHABLE_SECONDS = 20.0
#: Zoom animations stay short: a lecture does not wait for the view.
ZOOM_MS = 250
#: How long a note of what a key did (η = 2) stays on the graph.
NOTE_MS = 2500

#: (keys, what they do) for the hint and the "?" overlay.
class PresentationMode(QObject):
    """Enter and leave presentation mode on ``window`` (a MainWindow)."""

    toggled = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.active = False
        self.scale = _float(window.settings.value("presentation/scale"), DEFAULT_SCALE)
        self.hint_visible = True
        self._run_on_screen = False  # the last run's plots stay when it ends, until stepping…
        self._resize_due = False  # a second sizing of the docks is on its way
        self._saved: dict | None = None
        self._zoom = QVariantAnimation(self)
        self._zoom.setDuration(ZOOM_MS)
        self._zoom.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._zoom.valueChanged.connect(self._on_zoom_value_changed)

        def action(text, slot, keys, tip):
            act = QAction(text, window)
            act.setShortcuts(unique_keys(keys))
            act.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            act.setToolTip(tip)
            act.setStatusTip(tip)
            act.triggered.connect(slot)
            window.addAction(act)  # keys work with the menu bar hidden
            return act

        self.act_toggle = action("&Presentation mode", lambda: self.enter(), ["F5"],
                                 "Full screen, larger, driven by keys or a presenter clicker "
                                 "(F5; Esc leaves)")
        # Present only while presenting: these keys mean other things otherwise.
        self.act_leave = action("Leave presentation mode", self.leave, ["Escape"],
                                "Back to the normal window (Esc)")
        self.act_bigger = action("Larger", lambda: self.set_scale(self.scale + SCALE_STEP),
                                 ["Ctrl++", "Ctrl+="], "Everything larger (Ctrl+Plus)")
        self.act_smaller = action("Smaller", lambda: self.set_scale(self.scale - SCALE_STEP),
                                  ["Ctrl+-"], "Everything smaller (Ctrl+Minus)")
        # B and period are what clickers send for "blank screen".
        self.act_blank = action("Blank screen", self.blank, ["B", "."],
                                "Black out the window; any key or click brings it back "
                                "(B or period, as clickers send)")
        self.act_train = action("Start/pause training", self.toggle_training, ["T"],
                                "Start or pause training (T)")
        self.act_eta_up = action("Larger η", lambda: self.nudge_eta(1), ["+", "="],
                                 "Learning rate η of the walk's update one step larger (+)")
        self.act_eta_down = action("Smaller η", lambda: self.nudge_eta(-1), ["-"],
                                   "Learning rate η of the walk's update one step smaller (−)")
        self.act_edges = action("Edges show…", self.cycle_edges, ["W"],
                                "Edges show w, ∂E/∂w or the pending Δw (W)")
        self.act_target = action("Another target", self.cycle_target, ["Y"],
                                 "The target y: 1 ↔ 0 for one output, else the next class (Y)")
        self.act_hint = action("Show key hint", self.toggle_hint, ["H"], "Hide/show the hint")
        # "?" only: "Shift+/" is the same key, and Qt refused the pair as ambiguous.
        self.act_keys = action("All keys…", self.show_keys, ["?"],
                               "List every key (?)")
        self.act_zoom_layer = action("Zoom to layer", lambda: self.zoom_to_selection(False),
                                     ["Z"], "Zoom to the selected neuron's layer")
        self.act_zoom_neuron = action("Zoom to neuron", lambda: self.zoom_to_selection(True),
                                      ["Shift+Z"], "Zoom to the selected neuron")
        self.mode_actions = [self.act_leave, self.act_bigger, self.act_smaller, self.act_blank,
                             self.act_train, self.act_eta_up, self.act_eta_down,
                             self.act_edges, self.act_target,
                             self.act_hint, self.act_keys, self.act_zoom_layer,
                             self.act_zoom_neuron]
        for act in self.mode_actions:
            act.setEnabled(False)

        self.hint = QLabel(window.view)
        self.hint.setObjectName("presentationHint")
        self.hint.setStyleSheet("#presentationHint { background: rgba(30, 30, 30, 190); "
                                "color: white; border-radius: 8px; padding: 6px 12px; }")
        self.hint.setText("  ·  ".join(f"{k}: {v}" for k, v in (
            ("PgDn/→", "next"), ("PgUp/←", "back"), ("B", "blank"), ("T", "train"),
            ("?", "keys"), ("H", "hide"), ("Esc", "leave"))))
        self.hint.hide()
        # What a key just did (η, what the edges show), briefly, top centre of the graph.
        self.note = QLabel(window.view)
        self.note.setObjectName("presentationNote")
        self.note.setStyleSheet(self.hint.styleSheet().replace("presentationHint",
                                                               "presentationNote"))
        self.note.hide()
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_MS)
        self._note_timer.timeout.connect(self.note.hide)
        self.keys_overlay = KeysOverlay(window)
        self.blank_screen = BlankScreen(window)
        window.view.installEventFilter(self)
        window.view.vb.sigRangeChanged.connect(self._place_hint)
        window.installEventFilter(self)
        window.trainer.stateChanged.connect(self._on_activity_changed)
        window.doc.changed.connect(self._on_document_changed)
        self.toggled.connect(self._on_toggled)

    # -- entering and leaving ------------------------------------------------------------------
    def enter(self, full_screen: bool = True) -> None:
        """Present. ``full_screen`` False keeps the window's size (headless screenshots)."""
        if self.active:
            return
        w = self.w
        self._saved = {
            "state": w.saveState(), "rect": w.geometry(),
            "window_state": w.windowState(), "font": w.font(),
            "menu": w.menuBar().isVisible(), "status": w.statusBar().isVisible(),
            "stop_keys": w.step_actions["stop"].shortcuts(),
            "appearance": getattr(w.view, "appearance", None),
        }
        self.active = True
        # Esc leaves the mode now; stepping stops with its button or by leaving.
        w.step_actions["stop"].setShortcuts([])
        for act in self.mode_actions:
            act.setEnabled(True)
        w.zoom_actions_enabled(False)  # Ctrl+Plus/Minus scale everything instead
        w.menuBar().hide()
        w.statusBar().hide()
        self._arrange()
        if full_screen:
            w.showFullScreen()
        self._apply_scale()
        if hasattr(w.view, "set_emphasis"):
            w.view.set_emphasis(True)  # the walk's layer gets room
        self.hint.setVisible(self.hint_visible)
        self._place_hint()
        self.toggled.emit(True)

    def leave(self) -> None:
        if not self.active:
            return
        w, saved = self.w, self._saved
        self.active = False
        self.keys_overlay.close_overlay()
        self.blank_screen.close_overlay()
        self.hint.hide()
        self.note.hide()
        for act in self.mode_actions:
            act.setEnabled(False)
        w.zoom_actions_enabled(True)
        if hasattr(w.view, "set_emphasis"):
            w.view.set_emphasis(False)
        w.step_actions["stop"].setShortcuts(saved["stop_keys"])
        w.setFont(saved["font"])
        if w.plots_dock.built:  # docks not shown yet have nothing to scale (lazy_docks)
            w.plots.set_presenting(False)
        w.equations.set_presenting(False)
        if w.drawing_dock.built:
            w.drawing.set_presenting(False)
        if saved["appearance"] is not None and hasattr(w.view, "set_appearance"):
            w.view.set_appearance(saved["appearance"])
        if saved["window_state"] & (Qt.WindowState.WindowFullScreen
                                    | Qt.WindowState.WindowMaximized):
            w.setWindowState(saved["window_state"])
        else:
            w.showNormal()
            w.setGeometry(saved["rect"])  # exactly where and how big it was
        w.restoreState(saved["state"])
        w.menuBar().setVisible(saved["menu"])
        w.statusBar().setVisible(saved["status"])
        self._saved = None
        self.toggled.emit(False)

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    # -- what shows ----------------------------------------------------------------------------
    def activity(self) -> str:
        """"training", "stepping", "drawing" or "graph": what the lecture is doing now."""
        w = self.w
        if w.trainer.state.active:
            return "training"
        if w.doc.stepping:
            return "stepping"
        if self._saved is not None:
            for name in ("drawing", "approximation", "playground"):
                if getattr(w, f"{name}_dock").isVisible():
                    return name
        if self._run_on_screen:
            return "training"  # the last run's curves stay up until something else is done
        return "graph"

    def _arrange(self) -> None:
        """Only the docks the activity needs; no tool bars."""
        w = self.w
        activity = self.activity()
        if activity != "training":
            self._run_on_screen = False
        keep = {"training": [w.plots_dock], "stepping": [w.equations_dock],
                "drawing": [w.drawing_dock], "approximation": [w.approximation_dock],
                "playground": [w.playground_dock], "graph": []}[activity]
        from PySide6.QtWidgets import QDockWidget, QToolBar

        for dock in w.findChildren(QDockWidget):
            dock.setVisible(dock in keep)
        for bar in w.findChildren(QToolBar):
            bar.hide()
        self._size_docks(keep)

    def _size_docks(self, keep: list | None = None) -> None:
        """The equations as tall as they need (up to EQUATIONS_SHARE of the height: then they
        scroll), the plots and a construction a third of the height or more."""
        w = self.w
        if keep is None:
            keep = [d for d in (w.plots_dock, w.equations_dock, w.approximation_dock,
                                w.drawing_dock) if d.isVisible()]
        if keep and keep[0] is w.drawing_dock:  # the canvas large: half the width
            w.resizeDocks(keep[:1], [w.width() // 2], Qt.Orientation.Horizontal)
        if not keep or keep[0] not in (w.plots_dock, w.equations_dock, w.approximation_dock):
            return
        height = max(200, w.height() // 3)  # a third of the height: read from afar
        if keep[0] is w.equations_dock:
            title = w.equations_dock.widget().geometry().top() or \
                w.fontMetrics().height() + 8
            wanted = w.equations.wanted_height(w.width()) + title
            height = min(max(height, wanted), int(w.height() * EQUATIONS_SHARE))
        elif keep[0] is w.plots_dock:
            height = max(height, int(w.height() * 0.45))  # the readout above the plots
        w.resizeDocks(keep[:1], [height], Qt.Orientation.Vertical)
        if not self._resize_due:  # once more when the new fonts and layout have settled
            self._resize_due = True
            QTimer.singleShot(0, self._size_docks_again)

    def _size_docks_again(self) -> None:
        self._resize_due = False
        if self.active:
            self._resize_due = True  # no further round from this one
            self._size_docks()
            self._resize_due = False

    def _on_toggled(self, on: bool) -> None:
        self.w.trainer.min_seconds = WATCHABLE_SECONDS if on else 0.0

    def _on_document_changed(self, change) -> None:
        if change & Change.WALK:
            self._on_activity_changed()
            self._place_hint()  # the stage's caption moved
        elif change & Change.SELECTION and self.active:
            self._size_docks()  # another neuron's equations: another height

    def _on_activity_changed(self, *_) -> None:
        if self.w.trainer.state.active:
            self._run_on_screen = True  # and stays so when the run ends (see activity)
        if self.active:
            self._arrange()

    # -- size ----------------------------------------------------------------------------------
    def set_scale(self, scale: float) -> None:
        """Everything larger or smaller (clamped to SCALE_RANGE); remembered."""
        self.scale = round(min(max(scale, SCALE_RANGE[0]), SCALE_RANGE[1]), 2)
        self.w.settings.setValue("presentation/scale", self.scale)
        if self.active:
            self._apply_scale()

    def text_px(self) -> float:
        """The body text's height in pixels: BODY_PX_AT_1080 per 1,080 lines of the screen
        (the window's height when not full screen: a headless slide) times the scale."""
        w = self.w
        screen = w.screen()
        lines = screen.geometry().height() if w.isFullScreen() and screen is not None \
            else w.height()
        return BODY_PX_AT_1080 * self.scale * lines / 1080

    def _apply_scale(self) -> None:
        w = self.w
        font = self._saved["font"]
        big = type(font)(font)
        px = self.text_px()
        big.setPointSizeF(px * 72 / max(w.logicalDpiY(), 1))
        w.setFont(big)
        if w.plots_dock.built:  # a dock made later is scaled then (MainWindow._build_…)
            w.plots.set_presenting(True, px)
        w.equations.set_presenting(True)
        if w.drawing_dock.built:
            w.drawing.set_presenting(True)
        hint = type(font)(big)  # for the presenter, not the hall: smaller than the text
        hint.setPointSizeF(big.pointSizeF() * HINT_SHARE)
        self.hint.setFont(hint)  # the view keeps its own font; the hint follows the mode's
        self.keys_overlay.setFont(big)
        if hasattr(w.view, "set_appearance") and self._saved["appearance"] is not None:
            w.view.set_appearance(replace(self._saved["appearance"], scale=self.scale,
                                          high_contrast=True))
        w.view.fit()
        self._size_docks()
        self._place_hint()

    # -- keys --------------------------------------------------------------------------------
    def toggle_training(self) -> None:
        self.w.toggle_training()

    def toggle_hint(self) -> None:
        self.hint_visible = not self.hint_visible
        self.hint.setVisible(self.active and self.hint_visible)
        self._place_hint()

    def show_keys(self) -> None:
        self.keys_overlay.popup()

    def nudge_eta(self, steps: int) -> None:
        """η of the walk's update one step up or down its ladder (1, 2, 5, 10…), said on the
        graph; at the update stage the step taken is redone with it."""
        try:
            eta = self.w.doc.nudge_step_eta(steps)
        except ValueError as exc:
            self.show_note(str(exc))
            return
        self.show_note(f"learning rate η = {eta:g}")

    def cycle_edges(self) -> None:
        """The edges show the next of w, ∂E/∂w, Δw (the last two once the walk knows them)."""
        doc = self.w.doc
        quantity = doc.cycle_edge_quantity()
        text = f"edges show {EDGE_QUANTITIES[quantity]}"
        if doc.shown_quantity != quantity:
            text += " once the walk has the gradients"
        self.show_note(text)

    def cycle_target(self) -> None:
        """Another target y for the input (see Document.cycle_target), said on the graph."""
        try:
            y = self.w.doc.cycle_target()
        except ValueError as exc:
            self.show_note(str(exc))
            return
        self.show_note(f"target y = {y[0]:g}" if y.size == 1 else
                       f"target y: class {int(np.argmax(y))}")

    def show_note(self, text: str) -> None:
        """``text`` on the graph, top centre, for NOTE_MS."""
        self.note.setFont(self.hint.font())
        self.note.setText(text)
        self.note.adjustSize()
        self.note.move((self.w.view.width() - self.note.width()) // 2, 12)
        if self.hint.isVisible() and self.note.geometry().intersects(self.hint.geometry()):
            self.note.move(self.note.x(), self.hint.geometry().bottom() + 8)
        self.note.show()
        self.note.raise_()
        self._note_timer.start()

    def blank(self) -> None:
        """Black out the window until the next key or click."""
        self.keys_overlay.close_overlay()
        self.blank_screen.popup()

    def zoom_to_selection(self, neuron: bool) -> None:
        """Animate the view to the selected neuron (or its layer); the whole net without one."""
        view, sel = self.w.view, self.w.doc.selection
        if sel is None:
            self.animate_to(None)
            return
        lay = view.layout.layers[sel.layer if sel.kind == "neuron" else sel.layer]
        if lay.image_rect is not None:
            x, y, width, height = lay.image_rect
            rect = QRectF(x, y, width, height)
        elif neuron and sel.kind == "neuron":
            cx, cy = lay.pos[sel.j]
            r = lay.radius * 6
            rect = QRectF(cx - r, cy - r, 2 * r, 2 * r)
        else:
            xs, ys = lay.pos[:, 0], lay.pos[:, 1]
            pad = lay.radius * 4
            rect = QRectF(xs.min() - pad, ys.min() - pad, xs.max() - xs.min() + 2 * pad,
                          ys.max() - ys.min() + 2 * pad)
        self.animate_to(rect)

    def animate_to(self, rect: QRectF | None) -> None:
        """Move the view to ``rect`` (view coordinates; None: fit) in ZOOM_MS."""
        view = self.w.view
        if rect is None:
            x0, y0, x1, y1 = view.layout.bounds()
            rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self._zoom.stop()
        self._zoom.setStartValue(QRectF(view.vb.viewRect()))
        self._zoom.setEndValue(rect)
        self._zoom.start()

    @property
    def zooming(self) -> bool:
        """Whether the view is still moving towards the rectangle of ``animate_to``."""
        return self._zoom.state() != QVariantAnimation.State.Stopped

    def _on_zoom_value_changed(self, rect) -> None:
        self.w.view.vb.setRange(rect, padding=0.02)

    # -- the hint ------------------------------------------------------------------------------
    def _place_hint(self, *_) -> None:
        """Bottom left, unless the band of the stage and its caption or the layers' readouts
        are there: then the first corner clear of them (bottom right, top left)."""
        if not self.active:
            return
        view = self.w.view
        self.hint.adjustSize()
        w, h, m = self.hint.width(), self.hint.height(), 12
        corners = [QPoint(m, view.height() - h - m),
                   QPoint(view.width() - w - m, view.height() - h - m), QPoint(m, m)]
        readouts = view.readouts_item
        avoid = [r for r in (self.stage_rect(), readouts and readouts.screen_rect(view)) if r]
        for corner in corners:
            if not any(QRect(corner, self.hint.size()).intersects(r) for r in avoid):
                break
        else:
            corner = corners[0]
        self.hint.move(corner)

    def stage_rect(self) -> QRect | None:
        """Where the band of the stage and its caption under it are on the view (widget
        coordinates), or None when no stage is shown."""
        view = self.w.view
        band = view.band_item
        if band is None or band.band is None:
            return None
        s = view.colours.scale
        r = band.band  # the caption is drawn under it, 22 s high, 60 s wider on each side
        rect = r.adjusted(-60 * s, 0, 60 * s, 30 * s)
        return view.mapFromScene(band.mapToScene(rect)).boundingRect()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            if obj is self.w.view:
                self._place_hint()
            elif obj is self.w and self.active and not self._resize_due:
                self._resize_due = True  # the docks' share of the new size, once settled
                QTimer.singleShot(0, self._size_docks_again)
        return False


def _float(value, default: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    return v if SCALE_RANGE[0] <= v <= SCALE_RANGE[1] else default
