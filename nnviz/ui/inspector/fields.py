"""The inspector's small pieces: the value field, numbers shown with their full value in the
tooltip, numbers typed by the user, and the labels, buttons and show / hide its pages use."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from ...core.notation import format_number
from ..model.selection import Selection


def parse_number(text: str) -> float:
    """A number typed by the user (a real minus sign is fine); ValueError with a plain message.
    Range and finiteness are the document's to check."""
    try:
        return float(text.strip().replace("−", "-"))
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a number") from None


def show_number(label: QLabel, value, why_not: str = "") -> None:
    """``value`` as format_number with the full value in the tooltip, or "—" and ``why_not``."""
    if value is None:
        label.setText("—")
        label.setToolTip(why_not)
    else:
        label.setText(format_number(float(value)))
        label.setToolTip(f"{float(value)!r}")


def make_label(tip: str = "", selectable: bool = True) -> QLabel:
    """A word-wrapped label with tooltip ``tip``, its text selectable by mouse if ``selectable``."""
    lab = QLabel()
    lab.setToolTip(tip)
    lab.setWordWrap(True)
    if selectable:
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


def make_button(text: str, tip: str, slot) -> QPushButton:
    """A push button with tooltip ``tip`` that calls ``slot`` when clicked."""
    b = QPushButton(text)
    b.setToolTip(tip)
    b.clicked.connect(slot)
    return b


def set_shown(widget: QWidget, on: bool) -> None:
    """Show or hide ``widget`` only if that changes it (a needless hide and show would lay the
    panel out twice, under a painting hand)."""
    if widget.isHidden() == on:
        widget.setVisible(on)


_REDO_TOO = QKeySequence("Ctrl+Shift+Z")  # Edit › Redo's second key on every platform


def _is_undo_or_redo(e: QKeyEvent) -> bool:
    return (e.matches(QKeySequence.StandardKey.Undo) or e.matches(QKeySequence.StandardKey.Redo)
            or QKeySequence(e.keyCombination()) == _REDO_TOO)


class NumberField(QLineEdit):
    """A value field: ``show_value`` puts the model's value of ``target`` (a Selection) in;
    ``edited`` (target, text) is emitted when the user finishes editing (Enter or leaving the
    field) with a different text, naming what was shown even if the selection moved on.

    Undo and Redo keys are the field's own only while it holds typing not yet sent; once the
    field shows the model's value (after Enter, say) they go to the window: Edit › Undo."""

    edited = Signal(object, str)

    def __init__(self, tip: str) -> None:
        super().__init__()
        self._tip = tip
        self.setToolTip(tip)
        self._shown, self.target = "", None
        self.editingFinished.connect(self._on_editing_finished)

    def show_value(self, target: Selection, v: float) -> None:
        self.target = target
        self._shown = format_number(v)  # an unchanged text is never sent back: no rounding
        self.setText(self._shown)
        self.setToolTip(f"{self._tip}\nNow {v!r}")

    def event(self, e: QEvent) -> bool:
        if (e.type() == QEvent.Type.ShortcutOverride and self.text() == self._shown
                and _is_undo_or_redo(e)):
            e.ignore()  # not the field's: the window's shortcut takes the key
            return True
        return super().event(e)

    def _on_editing_finished(self) -> None:
        if self.text() != self._shown:
            self.edited.emit(self.target, self.text())
