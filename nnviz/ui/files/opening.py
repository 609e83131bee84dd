"""A progress dialog while a big network file opens: reading its arrays (with the share read),
then drawing its graph, so the window says what it is doing instead of hanging blank.

    progress = OpeningProgress(parent, "big.npz", n_bytes)   # only big files show it
    net = load_described(path, progress=progress.reading)
    progress.drawing()
    ...                                                      # set the network: the graph
    progress.close()
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

#: Files at least this big open with a progress dialog (a 784-100-10 network is 0.6 MB; a
#: 4096-4096-4096-10 one 269 MB, about two seconds).
BIG_FILE_BYTES = 20_000_000
#: At most this many dialog updates a second while reading.
UPDATES_PER_SECOND = 20


class OpeningProgress:
    """The progress of opening one file: a window-modal dialog without a Cancel button (the
    current network stays until the new one is read; nothing is half-done) when the file has
    at least BIG_FILE_BYTES (shown at the first report), else nothing at all. ``steps``
    records what was shown: (label, value, maximum), for tests."""

    def __init__(self, parent: QWidget, name: str, n_bytes: int) -> None:
        self.parent, self.name, self.n_bytes = parent, name, n_bytes
        self.big = n_bytes >= BIG_FILE_BYTES
        self.steps: list[tuple[str, int, int]] = []
        self.dialog: QProgressDialog | None = None
        self._last = 0.0

    def reading(self, done: int, total: int) -> None:
        """The loader's progress: ``done`` of ``total`` parameters read."""
        if not self.big:
            return
        now = time.monotonic()
        if self.dialog is not None and done < total and \
                now - self._last < 1.0 / UPDATES_PER_SECOND:
            return
        self._last = now
        self._show(f"Reading {self.name} ({self.n_bytes / 1e6:.0f} MB)…",
                   round(1000 * done / max(total, 1)), 1000)

    def drawing(self, n_parameters: int) -> None:
        """The file is read: the graph is being built (one step, no share to show)."""
        if self.big:
            self._show(f"Drawing the graph of {n_parameters:,} parameters…", 0, 0)

    def hide(self) -> None:
        if self.dialog is not None:
            self.dialog.hide()

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _show(self, label: str, value: int, maximum: int) -> None:
        if self.dialog is None:
            d = self.dialog = QProgressDialog(self.parent)
            d.setWindowTitle("Opening a network")
            d.setCancelButton(None)
            d.setWindowModality(Qt.WindowModality.WindowModal)
            d.setMinimumDuration(0)
            d.setAutoClose(False)
            d.setAutoReset(False)
            d.setMinimumWidth(360)
        d = self.dialog
        d.setLabelText(label)
        d.setRange(0, maximum)
        d.setValue(value)
        if not d.isVisible():
            d.show()
        self.steps.append((label, value, maximum))
        QApplication.processEvents()  # paint it now: the work that follows blocks
