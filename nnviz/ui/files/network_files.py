"""Network files in the window: Open, Open Recent, Save, Save As, drag-and-drop, the unsaved
mark in the title and the question before anything unsaved is lost.

The format and all its checks are ``nnviz.core.netfile``; this module asks for paths, reports
problems in plain words and leaves the current network untouched when a file is refused.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from ...constants import mnist_image_shape
from ..model.document import Document
from .opening import OpeningProgress

FILTER = "nnviz networks (*.npz)"
MAX_RECENT = 8


class NetworkFiles(QObject):
    """The File menu's network actions for ``doc``, with a recent-files list in ``settings``.
    ``parent_widget`` owns the dialogs."""

    opened = Signal(str)  # a network was loaded from this path
    saved = Signal(str)
    message = Signal(str)  # for the status bar

    def __init__(self, doc: Document, settings: QSettings, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.doc, self.settings, self.widget = doc, settings, parent_widget
        self.act_open = self._action("&Open…", self.ask_open, QKeySequence.StandardKey.Open,
                                     "Open a saved network (.npz)")
        self.act_save = self._action("&Save", self.save, QKeySequence.StandardKey.Save,
                                     "Save the network (weights, biases, activations, cost)")
        self.act_save_as = self._action("Save &As…", self.ask_save_as,
                                        QKeySequence.StandardKey.SaveAs,
                                        "Save the network in a new file")
        self.recent_menu = QMenu("Open &Recent", parent_widget)
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        self.fill_recent_menu()

    def _action(self, text, slot, key, tip) -> QAction:
        act = QAction(text, self.widget)
        act.setShortcut(QKeySequence(key))
        act.setToolTip(tip)
        act.setStatusTip(tip)
        act.triggered.connect(slot)
        return act

    # -- unsaved changes ---------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return not self.doc.undo_stack.isClean()

    def confirm_discard(self, doing: str = "continue") -> bool:
        """True when there is nothing unsaved, or the user saved it or chose to discard it."""
        if not self.modified:
            return True
        answer = self.ask(doing)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def ask(self, doing: str) -> str:
        """"save", "discard" or "cancel": the user's answer about unsaved changes."""
        B = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.widget, "Unsaved changes",
            f"The network “{self.doc.title}” has changes that are not saved. Save them before "
            f"you {doing}?", B.Save | B.Discard | B.Cancel, B.Save)
        return {B.Save: "save", B.Discard: "discard"}.get(answer, "cancel")

    # -- open ---------------------------------------------------------------------------------
    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.widget, "Open a network", self._folder(),
                                              FILTER + ";;All files (*)")
        if path:
            self.open(path)

    def open(self, path: str, confirm: bool = True, loaded: tuple | None = None) -> bool:
        """Load ``path`` as the document's network. A bad file is refused with a message naming
        the problem and the current network stays as it was. ``loaded``: (network,
        description) already read from ``path`` (the command line checks its --open file
        before the window opens), not read again. A big file shows a progress dialog while
        it is read and its graph drawn."""
        if self.doc.locked_reason:
            self._warn("Cannot open a network now", f"Not now: {self.doc.locked_reason}.")
            return False
        from ...core.netfile import (  # on first use: a faster start
            NetworkFileError,
            load_with_provenance,
        )

        try:
            n_bytes = 0 if loaded is not None else Path(path).stat().st_size
        except OSError:
            n_bytes = 0  # the loader says what is wrong
        progress = OpeningProgress(self.widget, Path(path).name, n_bytes)
        try:
            if loaded is None:
                self.message.emit(f"Opening {path}…")
                net, description, provenance = load_with_provenance(
                    path, progress=progress.reading)
            else:
                net, description, provenance = loaded
        except NetworkFileError as exc:
            progress.close()
            self._warn("Cannot open this file", str(exc))
            if not Path(path).exists():
                self._forget_recent(path)
            return False
        progress.hide()
        if confirm and not self.confirm_discard("open another network"):
            progress.close()
            return False
        if loaded is not None:  # read by the caller: drawing its graph takes the time
            progress = OpeningProgress(self.widget, Path(path).name, 8 * net.n_parameters)
        progress.drawing(net.n_parameters)
        try:
            shape = mnist_image_shape(net.sizes[0])
            self.doc.set_network(net, Path(path).stem, f"Loaded from {path}.", shape,
                                 **description)
            if provenance is not None:
                self.doc.add_provenance(provenance)
        finally:
            progress.close()
        self.doc.set_file(str(Path(path).resolve()))
        self.doc.undo_stack.setClean()
        self._remember_recent(self.doc.path)
        self.opened.emit(self.doc.path)
        self.message.emit(f"Opened {path}")
        return True

    # -- save ---------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.doc.path is None:
            return self.ask_save_as()
        return self.save_to(self.doc.path)

    def ask_save_as(self) -> bool:
        start = self.doc.path or str(Path(self._folder()) / f"{_file_stem(self.doc.title)}.npz")
        path, _ = QFileDialog.getSaveFileName(self.widget, "Save the network", start, FILTER)
        if not path:
            return False
        path = save_path(path)
        if not path:
            self._warn("Could not save", "The file needs a name.")
            return False
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Write the network to ``path`` atomically (the old file survives a failed save), with
        the provenance of its weights: the opened file's or the last training run's, marked
        "edited after training" when the weights are no longer those (nnviz.core.provenance)."""
        try:
            from ...core.netfile import save_network  # on first use: a faster start
            from ...core.provenance import for_saving

            save_network(self.doc.net, path,
                         provenance=for_saving(self.doc.provenance_records, self.doc.net),
                         **self._description())
        except OSError as exc:
            self._warn("Could not save", f"{path}: {exc.strerror or exc}")
            return False
        self.doc.set_file(str(Path(path).resolve()), Path(path).stem)
        self.doc.undo_stack.setClean()
        self._remember_recent(self.doc.path)
        self.saved.emit(self.doc.path)
        self.message.emit(f"Saved {path}")
        return True

    def _description(self) -> dict:
        """What the file keeps beside the network so it opens as it was made: the neurons'
        names, and an input of its own (not one of a data set's) with its target."""
        doc, (n_in, n_out) = self.doc, (self.doc.net.sizes[0], self.doc.net.sizes[-1])
        # an input typed or of the network's own data is kept; an MNIST digit is not
        own_input = doc.examples is None or doc.examples is doc.preset_dataset
        found = {"input_labels": (doc.input_labels, n_in), "output_labels": (doc.output_labels,
                                                                              n_out),
                 "example": (doc.x if own_input else None, n_in),
                 "target": (doc.target if own_input else None, n_out)}
        return {k: v for k, (v, n) in found.items() if v is not None and len(v) == n}

    # -- recent files ---------------------------------------------------------------------------
    def recent(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if isinstance(v, str)]

    def _remember_recent(self, path: str) -> None:
        items = [path] + [p for p in self.recent() if p != path]
        self.settings.setValue("recentFiles", items[:MAX_RECENT])

    def _forget_recent(self, path: str) -> None:
        self.settings.setValue("recentFiles", [p for p in self.recent()
                                               if p != str(Path(path).resolve()) and p != path])

    def fill_recent_menu(self) -> None:
        """Make the Open Recent menu from the recent files (each time it is about to show)."""
        menu = self.recent_menu
        menu.clear()
        for i, path in enumerate(self.recent()):
            act = menu.addAction(f"&{i + 1} {Path(path).name}")
            act.setToolTip(path)
            act.setStatusTip(path)
            act.triggered.connect(lambda _=False, p=path: self.open(p))
        if not self.recent():
            menu.addAction("(no recent networks)").setEnabled(False)

    def _folder(self) -> str:
        recent = self.recent()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def _warn(self, title: str, text: str) -> None:
        self.message.emit(text)
        QMessageBox.warning(self.widget, title, text)


def save_path(path: str) -> str:
    """The file a typed ``path`` names: spaces around its name (and before ".npz") dropped, and
    ".npz" added if missing; "" when no name is left."""
    p = Path(path)
    name = p.name.strip()
    stem = name[:-len(".npz")].rstrip() if name.endswith(".npz") else name
    return str(p.parent / f"{stem}.npz") if stem else ""


def _file_stem(title: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_." else "-" for c in title).strip("-")
    return keep or "network"
