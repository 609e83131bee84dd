"""Help › Keys and Help › Guide: every key of the window, read from its menus and actions so the
list cannot fall behind them, with the mouse gestures and presentation mode's keys; and the
README's guide to the window (its "The window" and "Train from the command line" sections),
with a short text of its own where no README is at hand."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .overlays import KEYS as PRESENTATION_KEYS

#: What the mouse does (not actions, so not in any menu).
MOUSE = [
    ("click", "select a neuron, an edge or a “+1” bias edge (the Inspector shows it)"),
    ("hover", "the values of what is under the mouse"),
    ("wheel, drag", "zoom, pan the graph"),
    ("wheel or drag up/down on the selection",
     "nudge its weight or bias in steps its size (Shift: finer, Ctrl: coarser)"),
    ("wheel over a 2-D playground map",
     "move that neuron's bias (Shift: finer; Ctrl: scale its incoming weights)"),
    ("drop a network file", "open it"),
]

#: Keys that belong to one panel while it has the keyboard.
PANELS = [
    ("Enter", "an Inspector field: set the value typed (Ctrl+Z then undoes it)"),
    ("Ctrl+Z", "the drawing canvas: take back the last stroke"),
    ("Delete  or  Esc", "the drawing canvas: clear it"),
]

#: The README's sections the guide shows: from the first heading to (not including) the second.
GUIDE_SECTIONS = ("## The window", "## Benchmarks")

#: The guide where the README cannot be found (an installation without it).
SHORT_GUIDE = """# nnviz

**The graph.** Inputs on the left, outputs on the right, the “+1” bias neurons above each layer.
Edges are orange for negative and blue for positive weights, wider as |w| grows. Hover for
values; click to select.

**Stepping** (Step menu, → and ←): walk one input through the forward pass, the error, the
backward pass (every δ = ∂E/∂z) and the update, with each equation and its numbers.

**Tinkering.** Select a neuron or an edge and change it in the Inspector, or roll the wheel or
drag on it in the graph. Every change is one step of Edit › Undo.

**Training** (Train menu): trains in the background, with the error and accuracy plotted live.

**Presentation mode** (F5, Esc leaves): full screen and larger, driven by a presenter clicker.

Help › Keys lists every key.
"""


def _plain(text: str) -> str:
    """A menu or action text without its mnemonic ampersands."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _keys_of(act: QAction) -> str:
    return ",  ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                      for s in act.shortcuts() if not s.isEmpty())


def menu_keys(window: QMainWindow) -> list[tuple[str, str]]:
    """(keys, "Menu › Action") for every action with a key in the window's menus, in menu order,
    then those the window holds outside its menus (that are on now)."""
    rows, seen = [], set()
    # Undo and Redo name the step they would take: the list names the action itself
    fixed = {getattr(window, "act_undo", None): "Undo", getattr(window, "act_redo", None): "Redo"}

    def walk(menu: QMenu, path: str) -> None:
        for act in menu.actions():
            if act.menu() is not None:
                walk(act.menu(), f"{path} › {_plain(act.text())}")
            elif not act.isSeparator() and act not in seen:
                seen.add(act)
                keys = _keys_of(act)
                if keys:
                    rows.append((keys, f"{path} › {fixed.get(act) or _plain(act.text())}"))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    for act in window.actions():
        keys = _keys_of(act)
        if act not in seen and keys and act.isEnabled():
            seen.add(act)
            rows.append((keys, _plain(act.text())))
    return rows


def keys_html(window: QMainWindow) -> str:
    """The Keys reference: the menus' keys, the mouse, presentation mode."""

    def table(rows) -> str:
        return "<table>" + "".join(
            f"<tr><td style='padding: 2px 18px 2px 0'><b>{html.escape(k)}</b></td>"
            f"<td style='padding: 2px 0'>{html.escape(v)}</td></tr>" for k, v in rows) + "</table>"

    return ("<h3>In the window</h3>" + table(menu_keys(window))
            + "<h3>With the mouse</h3>" + table(MOUSE)
            + "<h3>In a panel</h3>" + table(PANELS)
            + "<h3>In presentation mode (F5)</h3>" + table(PRESENTATION_KEYS))


def readme_text() -> str | None:
    """The README beside the package (a checkout), or the installed package's description (the
    README too); None if neither is there."""
    path = Path(__file__).resolve().parents[3] / "README.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        text = metadata("nnviz").get_payload()
    except (PackageNotFoundError, ImportError, AttributeError):
        return None
    return text or None


def guide_markdown(readme: str | None = None) -> str:
    """The guide: the README's sections about the window and training from the command line
    (``readme``, by default readme_text()), or SHORT_GUIDE without them."""
    text = readme_text() if readme is None else readme
    start, end = GUIDE_SECTIONS
    if not text or start not in text:
        return SHORT_GUIDE
    part = text[text.index(start):]
    if end in part:
        part = part[:part.index(end)]
    return part


class TextDialog(QDialog):
    """A non-modal window of text (HTML, or Markdown) with a Close button."""

    def __init__(self, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 640)

    def set_text(self, text: str, markdown: bool = False) -> None:
        if markdown:
            self.browser.setMarkdown(text)
        else:
            self.browser.setHtml(text)

    def text(self) -> str:
        return self.browser.toPlainText()


def show_text(parent: QWidget, dialog: TextDialog | None, title: str, text: str,
              markdown: bool = False) -> TextDialog:
    """Show ``text`` in ``dialog`` (made the first time), brought to the front."""
    if dialog is None:
        dialog = TextDialog(parent, title)
    dialog.set_text(text, markdown)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
