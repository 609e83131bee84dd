"""The Equations dock: the current stage's equation for the selected neuron or edge with the
numbers filled in (texts from ``nnviz.core.equations``), and a finite-difference check of the
selected gradient (``nnviz.core.gradcheck``)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from ...core.gradcheck import check_gradient
from ...core.notation import symbol
from ..model.document import Document
from ..model.selection import Change, Selection


class EquationsPanel(QWidget):
    """The current stage's equation for the selected neuron or edge, numbers filled in, and a
    finite-difference check of the selected gradient."""

    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setMinimumHeight(60)
        self._size_text()
        self.check_button = QPushButton("Check this gradient")
        self.check_button.setToolTip("Compare backprop's ∂E/∂w (or ∂E/∂b) for the selection "
                                     "with a finite-difference estimate (Ctrl+G)")
        self.check_button.clicked.connect(self.check_gradient)
        self.check_result = QLabel()
        self.check_result.setWordWrap(True)
        self.check_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.check_button)
        layout.addWidget(self.check_result)
        doc.changed.connect(self._on_document_changed)
        self.refresh()

    def _on_document_changed(self, change: Change) -> None:
        if change & (Change.WALK | Change.SELECTION | Change.NETWORK):
            self.refresh()

    TEXT_SCALE = 1.25  # the equations are read from a distance

    def _size_text(self) -> None:
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * self.TEXT_SCALE)
        self.text.setFont(font)

    def changeEvent(self, event) -> None:
        # The window's font grows in presentation mode: the equations grow with it.
        if event.type() == QEvent.Type.FontChange:
            self._size_text()
        super().changeEvent(event)

    def set_presenting(self, on: bool) -> None:
        """Presentation mode: the equations alone (the gradient check stays on Ctrl+G)."""
        self.check_button.setVisible(not on)
        self.check_result.setVisible(not on)

    def wanted_height(self, width: int) -> int:
        """The panel's height that shows the whole text at ``width`` pixels wide, without
        scrolling (the text wraps at that width)."""
        doc = self.text.document().clone(self)
        margins = self.layout().contentsMargins()
        frame = 2 * self.text.frameWidth()
        scroll = self.text.verticalScrollBar().sizeHint().width()
        doc.setTextWidth(max(50, width - margins.left() - margins.right() - frame - scroll))
        height = doc.size().height() + frame + margins.top() + margins.bottom()
        doc.deleteLater()
        for widget in (self.check_button, self.check_result):
            if not widget.isHidden():
                height += widget.sizeHint().height() + self.layout().spacing()
        return int(height + 4)

    @staticmethod
    def focus_of(sel: Selection | None):
        if sel is None:
            return None
        if sel.kind == "edge":
            return ("edge", sel.layer, sel.j, sel.k)
        return (sel.kind, sel.layer, sel.j)

    def checked_parameter(self) -> tuple[int, int, int | None] | None:
        """(layer, j, k) of the parameter "check this gradient" checks (k None: a bias)."""
        sel = self.doc.selection
        if sel is None or (sel.kind == "neuron" and sel.layer == 0):
            return None
        return sel.layer, sel.j, (sel.k if sel.kind == "edge" else None)

    def refresh(self, *_) -> None:
        walk = self.doc.walk
        self.check_result.setText("")
        self.html = ""  # the current equation as rich text (for slides), "" when none
        if walk is None:
            self.text.setHtml("<p>Step through the passes (→, Space or Page Down) to see each "
                              "equation with its numbers here.</p>")
            self.check_button.setEnabled(False)
            return
        from ...core.equations import explain  # on first use: a faster start

        self.html = explain(walk, self.focus_of(self.doc.selection)).html()
        self.text.setHtml(self.html)
        self.check_button.setEnabled(self.checked_parameter() is not None)

    def check_gradient(self) -> None:
        walk, param = self.doc.walk, self.checked_parameter()
        if walk is None or param is None:
            self.check_result.setText("Select a weight (edge), a bias or a neuron first.")
            return
        net = walk.net.copy()
        net.set_parameters(*walk.params_before)  # the parameters the walk's gradients are for
        result = check_gradient(net, walk.x, walk.y, *param)
        self.last_check = result
        verdict = "agree" if result.agrees(rtol=1e-4, atol=1e-9) else "DISAGREE"
        name = _pretty(result.parameter)
        self.check_result.setText(
            f"∂E/∂{name}: backprop {result.backprop:.10g}, finite difference "
            f"{result.numeric:.10g}; relative difference {result.rel_diff:.2e} — they {verdict}.")


def _pretty(parameter: str) -> str:
    """"w^2_31" → "w²₃₁"-style text."""
    name, _, rest = parameter.partition("^")
    layer, _, idx = rest.partition("_")
    return symbol(name, layer, idx)
