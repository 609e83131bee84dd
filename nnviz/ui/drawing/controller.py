"""The drawing panel wired to the document: the network's answer live while drawing, "Show in
graph", "Step through", "Teach" (one undoable gradient step) and loading a data-set digit.

Preprocessing is ``nnviz.data.drawing``; outputs and gradient steps come from the core through
the document. This module only moves arrays between them and the widgets.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...constants import MNIST_IMAGE_SHAPE, MNIST_INPUTS
from ...core.notation import fmt_pair
from ...data.drawing import Preprocessed, preprocess_drawing, render_for_canvas
from ..model.document import Document
from ..model.selection import Change
from .panel import DrawingPanel

#: The input description of a drawing in the graph (also how the panel recognises it).
DRAWING = "your drawing"
DIGITS = 10
#: η of "Teach" until the user picks another.
DEFAULT_TEACH_ETA = 3.0


def one_hot(label: int, n: int = DIGITS) -> np.ndarray:
    y = np.zeros(n)
    y[label] = 1.0
    return y


class TeachDialog(QDialog):
    """Which digit the drawing is, and the η of the step."""

    def __init__(self, parent: QWidget | None, label: int, eta: float,
                 outputs: np.ndarray) -> None:
        super().__init__(parent)
        self.setWindowTitle("Teach the network")
        self.label = QComboBox()
        self.label.addItems([str(k) for k in range(DIGITS)])
        self.label.setCurrentIndex(label)
        self.eta = QDoubleSpinBox()
        self.eta.setDecimals(3)
        self.eta.setRange(0.001, 100.0)
        self.eta.setValue(eta)
        self.eta.setToolTip("Learning rate η of the one gradient step on this drawing")
        note = QLabel(f"The network now answers {int(np.argmax(outputs))}. One step of "
                      "gradient descent on this drawing alone, w ← w − η ∂E/∂w, moves the "
                      "outputs toward the label (Edit › Undo takes it back).")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("This digit is a", self.label)
        form.addRow("η", self.eta)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Teach")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)


class DrawingController(QObject):
    """Keeps the panel's preview and bars on the document's network, and acts on its buttons.

    ``examples``: a callable returning the labelled test set to load digits from (MNIST), or
    None while it is not loaded."""

    def __init__(self, doc: Document, panel: DrawingPanel, examples=lambda: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc, self.panel, self.examples = doc, panel, examples
        self.current: Preprocessed | None = None  # the drawing as the network sees it
        self.outputs: np.ndarray | None = None
        self.label: int | None = None  # what the user said the drawing is (or the data set did)
        self.teach_eta = DEFAULT_TEACH_ETA
        self._problem_shown = False
        panel.canvas.inkChanged.connect(self.refresh)
        panel.canvas.strokeFinished.connect(self._on_canvas_stroke_finished)
        doc.changed.connect(self._on_document_changed)
        panel.show_button.clicked.connect(self.show_in_graph)
        panel.step_button.clicked.connect(self.ask_step_through)
        panel.teach_button.clicked.connect(self.ask_teach)
        panel.load_button.clicked.connect(self.ask_load)
        self.refresh()

    # -- what the network makes of the drawing ------------------------------------------------
    def problem(self) -> str:
        """Why the drawing cannot be fed to this network ("" when it can)."""
        n = self.doc.net.sizes[0]
        if n != MNIST_INPUTS:
            rows, cols = MNIST_IMAGE_SHAPE
            return (f"Drawing needs a network with {MNIST_INPUTS} inputs ({rows} × {cols} "
                    f"pixels); this one has "
                    f"{n}. Open an MNIST preset (Presets menu).")
        return ""

    def _on_document_changed(self, change: Change) -> None:
        if change & (Change.NETWORK | Change.PARAMETERS):
            self.refresh()
        elif change & Change.LOCK:
            self._update_buttons()

    def refresh(self) -> None:
        """Preprocess the ink, run it forward and show both (a few ms; see nnviz bench draw)."""
        panel = self.panel
        problem = self.problem()
        self.current = None if problem else preprocess_drawing(panel.canvas.ink())
        if self.current is None:
            self.outputs = None
            if panel.canvas.is_empty():
                self.label = None  # a new drawing starts unlabelled
            panel.preview.set_image(None)
            panel.bars.set_outputs(None)
        else:
            self.outputs = self.doc.predict(self.current.x)
            panel.preview.set_image(self.current.image)
            softmax = self.doc.net.activation_names[-1] == "softmax"
            panel.bars.set_outputs(self.outputs, "probability" if softmax else "activation")
        if problem:
            panel.note.setText(problem)
        elif self._problem_shown:
            panel.note.setText("")
        self._problem_shown = bool(problem)
        self._update_buttons()

    def _update_buttons(self, *_) -> None:
        p = self.panel
        drawn = self.current is not None
        labelled = self.doc.net.sizes[-1] == DIGITS
        locked = self.doc.locked_reason
        p.show_button.setEnabled(drawn)
        p.step_button.setEnabled(drawn and labelled and not locked)
        p.teach_button.setEnabled(drawn and labelled and not locked)
        p.load_button.setEnabled(not self.problem())
        why = (f" (not now: {locked})" if locked else
               "" if labelled else " (needs 10 outputs, one per digit)")
        p.step_button.setToolTip("Walk the drawing through the forward and backward passes"
                                 + why)
        p.teach_button.setToolTip("Tell the network which digit this is and take one "
                                  "gradient step on it (undoable)" + why)

    def _description(self) -> str:
        return DRAWING + (f", label {self.label}" if self.label is not None else "")

    # -- actions ------------------------------------------------------------------------------
    def show_in_graph(self) -> bool:
        """Make the drawing the graph's current input (with its label's target if known)."""
        if self.current is None:
            return False
        target = one_hot(self.label, self.doc.net.sizes[-1]) \
            if self.label is not None and self.doc.net.sizes[-1] == DIGITS else None
        self.doc.set_input(self.current.x, self._description(), target)
        return True

    def _on_canvas_stroke_finished(self) -> None:
        # A drawing already in the graph follows the pen (not while stepping: the walk stays).
        if (self.doc.input_description.startswith(DRAWING) and not self.doc.stepping
                and self.current is not None):
            self.show_in_graph()

    def ask_step_through(self) -> None:
        label = self.ask_label("Step through", "Target label for the backward pass: "
                               "this digit is a")
        if label is not None:
            self.step_through(label)

    def step_through(self, label: int) -> bool:
        """Start the walk on the drawing with target ``label`` (remembered for this drawing)."""
        if self.current is None:
            return False
        self.label = int(label)
        self.show_in_graph()
        if not self.doc.start_stepping():
            self.panel.note.setText(self.doc.walk_problem)
            return False
        return True

    def ask_label(self, title: str, text: str) -> int | None:
        """The label of the drawing: the one remembered for it, else asked in a dialog
        (``title``, ``text``) with the network's answer offered; None if cancelled."""
        if self.label is not None:
            return self.label
        guess = int(np.argmax(self.outputs)) if self.outputs is not None else 0
        item, ok = QInputDialog.getItem(self.panel, title, text,
                                        [str(k) for k in range(DIGITS)], guess, False)
        return int(item) if ok else None

    def ask_teach(self) -> None:
        if self.current is None:
            return
        guess = self.label if self.label is not None else int(np.argmax(self.outputs))
        dialog = TeachDialog(self.panel, guess, self.teach_eta, self.outputs)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.teach(int(dialog.label.currentText()), dialog.eta.value())

    def teach(self, label: int, eta: float) -> bool:
        """One undoable gradient step on the drawing as digit ``label``; the note shows the
        outputs before and after."""
        if self.current is None:
            return False
        before = self.outputs.copy()
        try:
            self.doc.teach(self.current.x, one_hot(label, self.doc.net.sizes[-1]), eta,
                           f"Teach: the drawing is a {label} (η = {eta:g})")
        except (PermissionError, ValueError) as exc:
            self.panel.note.setText(f"Not taught: {exc}.")
            return False
        self.label, self.teach_eta = int(label), float(eta)
        after = self.outputs  # refreshed through parametersChanged
        old, new = fmt_pair(float(before[label]), float(after[label]))
        self.panel.note.setText(
            f"Taught “{label}” (η = {eta:g}): output {label} went from {old} to {new}; "
            f"the answer was {int(np.argmax(before))}, now {int(np.argmax(after))}. "
            "Edit › Undo takes the step back.")
        return True

    def ask_load(self) -> None:
        from .digit_browser import DigitBrowser

        data = self.examples()
        if data is None:
            self.panel.note.setText("The MNIST digits are still loading; try again in a moment.")
            return
        dialog = DigitBrowser(data, self.doc.net.misclassified(data), self.panel)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.load_example(dialog.chosen)

    def load_example(self, index: int) -> None:
        """Put digit ``index`` of the examples on the canvas (undoable there), labelled."""
        data = self.examples()
        image = data.inputs(index).reshape(MNIST_IMAGE_SHAPE)
        self.panel.canvas.set_ink(render_for_canvas(image))
        label = int(data.y[index])
        self.label = label
        answer = int(np.argmax(self.outputs)) if self.outputs is not None else None
        self.panel.note.setText(f"{data.name} #{index}: a {label}; the network answers "
                                f"{answer}.")
