"""The "New network…" dialog: layer sizes, activation per layer, cost, initialisation, seed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core import ACTIVATIONS, COSTS, INITS, Network
from ...core.network import MAX_LAYER_SIZE, check_structure
from ..look import style

MAX_LAYERS = 10  # input included


def parse_sizes(text: str) -> list[int]:
    """Layer sizes from "784, 30, 10", "784 30 10" or "784-30-10"; ValueError with a message."""
    text = text.strip()
    if not text:
        raise ValueError("Enter the layer sizes, input first, e.g. 784, 30, 10.")
    if "," in text:
        pieces = [p.strip() for p in text.split(",")]
    elif " " in text:
        pieces = text.split()
    else:  # "2-3-1", the articles' way of naming a network
        pieces = text.split("-")
    if "" in pieces:
        raise ValueError(f"Layer {pieces.index('') + 1} has no size: two separators in a row, "
                         "or one at the start or end.")
    parts = [p for piece in pieces for p in piece.split()]  # "2, 3 1" is 2, 3, 1
    sizes = []
    for p in parts:
        try:
            n = int(p)
        except ValueError:
            raise ValueError(f"“{p}” is not a whole number.") from None
        if not 1 <= n <= MAX_LAYER_SIZE:
            raise ValueError(f"Each layer needs between 1 and {MAX_LAYER_SIZE} neurons "
                             f"(got {n}).")
        sizes.append(n)
    if len(sizes) < 2:
        raise ValueError("A network needs at least an input and an output layer.")
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"At most {MAX_LAYERS} layers (got {len(sizes)}).")
    return sizes


class NewNetworkDialog(QDialog):
    """Asks for a network; ``network()`` builds it once accepted."""

    def __init__(self, parent: QWidget | None = None, sizes: str = "784, 30, 10") -> None:
        super().__init__(parent)
        self.setWindowTitle("New network")
        self._built: Network | None = None
        self.sizes_edit = QLineEdit(sizes)
        self.sizes_edit.setToolTip("Neurons per layer, input first, separated by commas "
                                   f"(1–{MAX_LAYER_SIZE} each, at most {MAX_LAYERS} layers)")
        self.cost_box = QComboBox()
        self.cost_box.addItems(list(COSTS))
        self.cost_box.setToolTip("quadratic: E = ½‖a − y‖²; cross-entropy needs a sigmoid "
                                 "output; log-likelihood a softmax output")
        self.init_box = QComboBox()
        for name, text in INITS.items():
            self.init_box.addItem(name)
            self.init_box.setItemData(self.init_box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.random_seed = QCheckBox("random")
        self.random_seed.toggled.connect(self.seed_box.setDisabled)
        self.act_grid = QGridLayout()
        self.act_boxes: list[QComboBox] = []
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(style.ERROR_CSS)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Layer &sizes:", self.sizes_edit)
        acts = QWidget()
        acts.setLayout(self.act_grid)
        form.addRow("Activations:", acts)
        form.addRow("&Cost:", self.cost_box)
        form.addRow("&Initialisation:", self.init_box)
        seed_row = QWidget()
        seed_layout = QGridLayout(seed_row)
        seed_layout.setContentsMargins(0, 0, 0, 0)
        seed_layout.addWidget(self.seed_box, 0, 0)
        seed_layout.addWidget(self.random_seed, 0, 1)
        form.addRow("S&eed:", seed_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.sizes_edit.textChanged.connect(self._on_sizes_changed)
        self.cost_box.currentTextChanged.connect(self._validate)
        self._on_sizes_changed()

    def _on_sizes_changed(self) -> None:
        try:
            sizes = parse_sizes(self.sizes_edit.text())
        except ValueError:
            self._validate()
            return
        n = len(sizes) - 1
        old = [b.currentText() for b in self.act_boxes]
        while len(self.act_boxes) > n:
            box = self.act_boxes.pop()
            label = self.act_grid.itemAtPosition(len(self.act_boxes), 0).widget()
            label.deleteLater()
            box.deleteLater()
        while len(self.act_boxes) < n:
            i = len(self.act_boxes)
            box = QComboBox()
            box.addItems(list(ACTIVATIONS))
            box.setCurrentText(old[i] if i < len(old) else "sigmoid")
            box.currentTextChanged.connect(self._validate)
            self.act_grid.addWidget(QLabel(f"layer {i + 1}"), i, 0)
            self.act_grid.addWidget(box, i, 1)
            self.act_boxes.append(box)
        for i in range(n):
            label = "output" if i == n - 1 else f"layer {i + 1}"
            self.act_grid.itemAtPosition(i, 0).widget().setText(label)
        self._validate()

    def _validate(self) -> None:
        """Check the fields as they are typed; the network itself is built on OK only."""
        try:
            self.check()
        except ValueError as exc:
            self.message.setText(str(exc))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.message.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def check(self) -> tuple[list[int], list[str]]:
        """Sizes and activations if they make a network, without drawing any weights.

        ValueError with a user-facing message otherwise.
        """
        sizes = parse_sizes(self.sizes_edit.text())
        acts = [b.currentText() for b in self.act_boxes][: len(sizes) - 1]
        if len(acts) != len(sizes) - 1:
            raise ValueError("Choose an activation for every layer.")
        try:
            check_structure(sizes, acts, self.cost_box.currentText())
        except ValueError as exc:
            raise ValueError(_sentence(exc)) from None
        return sizes, acts

    def accept(self) -> None:
        try:
            self._built = self.network()
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        super().accept()

    def network(self) -> Network:
        """The network described by the fields; ValueError with a user-facing message.

        Once the dialog is accepted, the network built then (the same random draw).
        """
        if self.result() == QDialog.DialogCode.Accepted and self._built is not None:
            return self._built
        sizes, acts = self.check()
        seed = None if self.random_seed.isChecked() else self.seed_box.value()
        try:
            return Network(sizes, acts, self.cost_box.currentText(), seed=seed,
                           init=self.init_box.currentText())
        except ValueError as exc:
            raise ValueError(_sentence(exc)) from None


def _sentence(exc: ValueError) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:] + "."
