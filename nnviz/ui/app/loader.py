"""Loading MNIST off the GUI thread, handed back as a signal."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal


class MnistLoader(QObject):
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
