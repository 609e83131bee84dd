"""Presentation mode's overlays: the blank screen (B or period) and the list of keys ("?"),
each closed by any key or click, which does nothing else."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout, QWidget

#: The keys of presentation mode, as the "?" list shows them.
KEYS = [
    ("→  Space  Page Down", "next stage of the walk"),
    ("←  Page Up", "previous stage"),
    ("→ at the update", "the next step of descent, from the new weights"),
    ("+ / −", "learning rate η of the update larger / smaller"),
    ("W", "edges show w, ∂E/∂w or Δw"),
    ("Y", "another target y (1 ↔ 0, or the next class)"),
    ("Home / End", "restart the walk / jump to the update"),
    ("B  or  .", "blank the screen (any key or click brings it back)"),
    ("T", "start / pause training"),
    ("Shift+← / Shift+→", "earlier / later epoch of the run's timeline (below the plots)"),
    ("Z / Shift+Z", "zoom to the selected neuron's layer / to the neuron"),
    ("Ctrl+0", "whole network"),
    ("Ctrl+Plus / Ctrl+Minus", "everything larger / smaller"),
    ("H", "hide / show this hint"),
    ("?", "all keys"),
    ("Esc  (F5 enters)", "leave presentation mode"),
]


class Dismissed(QFrame):
    """Shown over the window until any key or click, which does nothing else."""

    def popup(self) -> None:
        self.place()
        self.show()
        self.raise_()
        # Any key closes it, shortcut keys (Space, Page Down…) too, without acting.
        QApplication.instance().installEventFilter(self)

    def place(self) -> None:
        raise NotImplementedError

    def close_overlay(self) -> None:
        QApplication.instance().removeEventFilter(self)
        self.hide()

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # no shortcut fires; the key press that follows closes it
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            self.close_overlay()
            return True
        if kind == QEvent.Type.Resize and obj is self.parentWidget():
            self.place()
        return False


class BlankScreen(Dismissed):
    """The whole window black (B or period, as clickers send for "blank screen"): the room
    looks at the lecturer; any key or click brings the picture back."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("blankScreen")
        self.setStyleSheet("#blankScreen { background: black; }")
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.hide()

    def place(self) -> None:
        self.setGeometry(self.parentWidget().rect())


class KeysOverlay(Dismissed):
    """The "?" list of keys, over the centre of the window; any key or click closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("keysOverlay")
        self.setStyleSheet("#keysOverlay { background: rgba(20, 20, 20, 225); border-radius: "
                           "12px; } QLabel { color: white; }")
        rows = "".join(f"<tr><td style='padding: 4px 24px 4px 0'><b>{k}</b></td>"
                       f"<td style='padding: 4px 0'>{v}</td></tr>" for k, v in KEYS)
        label = QLabel(f"<h2>Keys</h2><table>{rows}</table><p style='color: #bbb'>Any key or "
                       "click closes this.</p>")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 20)
        layout.addWidget(label)
        self.hide()

    def place(self) -> None:
        self.adjustSize()
        p = self.parentWidget()
        self.move((p.width() - self.width()) // 2, (p.height() - self.height()) // 2)
