"""Pick a data-set digit for the drawing canvas: a random one, one of a given label, or one the
network gets wrong (with its answer), so a lecturer can show where the net fails."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...data.dataset import Dataset

#: At most this many misclassified digits are listed (thumbnails are made when listed).
MAX_LISTED = 500


def _icon(image28: np.ndarray, size: int = 56) -> QIcon:
    grey = np.ascontiguousarray(255 - np.clip(image28 * 255, 0, 255).astype(np.uint8))
    rows, cols = grey.shape
    img = QImage(grey.data, cols, rows, cols, QImage.Format.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(img.scaled(size, size)))


class DigitBrowser(QDialog):
    """Choose a digit of ``dataset`` (a labelled (n, 784) Dataset, e.g. MNIST's test set).

    ``wrong``: (indices, answers) of the digits the network misclassifies, computed by the
    core. After exec(), ``chosen`` is the index picked (or None)."""

    def __init__(self, dataset: Dataset, wrong: tuple[np.ndarray, np.ndarray],
                 parent: QWidget | None = None, seed: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Load a digit")
        self.dataset, self.chosen = dataset, None
        self.rng = np.random.default_rng(seed)
        self.random_button = QPushButton("Random digit")
        self.random_button.setToolTip("Any digit of the test set")
        self.random_button.clicked.connect(lambda: self._choose(int(self.rng.integers(
            len(dataset)))))
        self.label = QComboBox()
        self.label.addItems([str(k) for k in range(dataset.n_classes or 10)])
        self.label.setToolTip("Which digit")
        by_label = QPushButton("Random of this label")
        by_label.clicked.connect(self.choose_by_label)
        idx, answers = wrong
        n = len(dataset)
        self.summary = QLabel(f"The network gets {len(idx):,} of the {n:,} {dataset.name} "
                              f"digits wrong ({100 * len(idx) / max(n, 1):.1f}%)"
                              + (f"; the first {MAX_LISTED} are listed." if len(idx) > MAX_LISTED
                                 else ".") + " Double-click one to load it.")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(56, 56))
        self.list.setGridSize(QSize(96, 100))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setToolTip("Digits the network misclassifies: the true label, then the "
                             "network's answer")
        for i, answer in zip(idx[:MAX_LISTED], answers[:MAX_LISTED]):
            image = dataset.inputs(int(i)).reshape(28, 28)
            item = QListWidgetItem(_icon(image), f"is {int(dataset.y[i])}, net: {int(answer)}")
            item.setData(Qt.ItemDataRole.UserRole, int(i))
            item.setToolTip(f"{dataset.name} #{int(i)}: label {int(dataset.y[i])}, the network "
                            f"answers {int(answer)}")
            self.list.addItem(item)
        self.list.itemActivated.connect(
            lambda item: self._choose(item.data(Qt.ItemDataRole.UserRole)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.random_button)
        row.addStretch(1)
        row.addWidget(QLabel("Label"))
        row.addWidget(self.label)
        row.addWidget(by_label)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def choose_by_label(self) -> None:
        """Pick a random digit of the label chosen in the box and close ("Random of this
        label")."""
        candidates = np.flatnonzero(self.dataset.y == int(self.label.currentText()))
        if len(candidates):
            self._choose(int(self.rng.choice(candidates)))

    def _choose(self, index: int) -> None:
        self.chosen = int(index)
        self.accept()
