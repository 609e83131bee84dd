"""The About this network dock: the network's title and shape, the preset's caption, the current
input and the network's answer, with buttons for the previous and next example."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...constants import MNIST_INPUTS
from ..model.document import Document
from ..model.selection import Change


class AboutNetworkPanel(QWidget):
    """Dock content: the network's title, the preset's caption, and the current input."""

    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px")
        self.title.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.input = QLabel()
        self.input.setWordWrap(True)
        self.prev_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.prev_button.setToolTip("Show the previous test example ([)")
        self.next_button.setToolTip("Show the next test example (])")
        self.prev_button.clicked.connect(lambda: doc.step_example(-1))
        self.next_button.clicked.connect(lambda: doc.step_example(1))
        for button in (self.prev_button, self.next_button):
            # Hidden without examples, but their row keeps its room: the dock must not grow
            # when data is chosen, which pushed the playground below it down by one row (a
            # click meant for its Reset button landed on "+ layer").
            policy = button.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            button.setSizePolicy(policy)
        row = QHBoxLayout()
        row.addWidget(self.prev_button)
        row.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.caption)
        layout.addWidget(self.input)
        layout.addLayout(row)
        layout.addStretch(1)
        doc.changed.connect(self._on_document_changed)
        self.refresh()

    def _on_document_changed(self, change: Change) -> None:
        # the answer changes with the weights; the title with the file
        if change & (Change.NETWORK | Change.INPUT | Change.PARAMETERS | Change.FILE
                     | Change.EXAMPLES):
            self.refresh()

    def refresh(self) -> None:
        d = self.doc
        self.title.setText(f"{d.title}  ({'-'.join(map(str, d.net.sizes))}, "
                           f"{'/'.join(dict.fromkeys(d.net.activation_names))}, {d.net.cost_name})")
        self.caption.setText(d.caption or "A network you made. Hover over a neuron or an edge "
                             "to see its numbers; click to select it.")
        if d.x is None:
            text = ("Loading the MNIST test digits…" if d.net.sizes[0] == MNIST_INPUTS
                    else "No input yet.")
        else:
            text = "Input: " + d.input_description
            if d.trace is not None:
                out = d.trace.output
                if len(out) > 1:
                    text += f"\nNetwork's answer: {int(out.argmax())}"
                    label = d.output_labels[int(out.argmax())] if d.output_labels else ""
                    if label and label != str(int(out.argmax())):
                        text += f" ({label})"
                else:
                    text += f"\nOutput a = {out[0]:.4g}"
        self.input.setText(text)
        has_examples = d.examples is not None
        self.prev_button.setVisible(has_examples)
        self.next_button.setVisible(has_examples)
