"""The inspector dock: the selected neuron, weight or bias with its numbers, and its edits.

Every number shown is one the core computed (``doc.trace``, ``doc.net``, ``doc.walk``); every
edit goes through the document as one undoable step (a slider drag or a paint stroke is one
gesture). The panel redraws from the document's signals, blocking its own widgets' signals
while it does (GUIDE §2).

The neuron's page is built and filled in ``neuron_page``, the edge's and bias's in
``edge_page``; the value field and the small helpers they share are in ``fields``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QInputDialog, QScrollArea, QVBoxLayout, QWidget

from ...core.edits import MAX_ABS
from ..look.style import ERROR_CSS
from ..look.theme import Appearance
from ..model.document import Document
from ..model.selection import Change, Selection
from .edge_page import EdgePage, slider_span
from .fields import make_label, parse_number, set_shown
from .neuron_page import NeuronPage

__all__ = ["HINT", "InspectorPanel", "slider_span"]

HINT = "Click a neuron or an edge in the graph to inspect and edit it"
_ERROR_STYLE = ERROR_CSS
_LOCK_STYLE = "color: #8a5300; background: #fff3d6; padding: 4px; border-radius: 3px"


class InspectorPanel(NeuronPage, EdgePage, QWidget):
    """Follows ``doc.selection``: a neuron (z, a, b, δ, incoming weights, switch off, reset,
    layer actions), an edge w^l_jk or a bias b^l_j (value field, slider, gradient)."""

    #: The edge page's "Landscape" button: show E as a function of the selected parameter.
    landscapeRequested = Signal()

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.appearance = Appearance()  # the cells' sign tint follows theme and palette
        self.setMinimumWidth(300)
        self.lock_label = make_label("Why the network cannot be changed by hand now")
        self.lock_label.setStyleSheet(_LOCK_STYLE)
        self.hint = make_label("Select something in the graph first", selectable=False)
        self.hint.setText(HINT)
        self.title = make_label()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px")
        self.subtitle = make_label()
        self.message = make_label("Why the last edit was refused")
        self.message.setStyleSheet(_ERROR_STYLE)
        self.neuron_page = self._build_neuron_page()
        self.edge_page = self._build_edge_page()

        content = QWidget()
        lay = QVBoxLayout(content)
        for w in (self.lock_label, self.hint, self.title, self.subtitle, self.neuron_page,
                  self.edge_page, self.message):
            lay.addWidget(w)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.refreshes = 0  # pages shown so far
        doc.changed.connect(self._on_document_changed)
        self.refresh()

    # -- the selection ---------------------------------------------------------------------------
    def _on_document_changed(self, change: Change) -> None:
        """One refresh per change of the document."""
        if change & (Change.SELECTION | Change.NETWORK):
            self._span_of = None  # the slider's range is decided afresh
        if change & Change.SELECTION:
            self.table.setCurrentItem(None)  # a cell being edited commits to what it showed
            self.message.setText("")
            self._end_slider_gesture()
        if change & (Change.SELECTION | Change.VALUES | Change.LOCK):
            self.refresh()

    def set_appearance(self, appearance: Appearance) -> None:
        self.appearance = appearance
        self.refresh()

    def refresh(self, *_) -> None:
        """Show the document's current selection and its numbers."""
        self.refreshes += 1
        sel, locked = self.doc.selection, bool(self.doc.locked_reason)
        set_shown(self.lock_label, locked)
        self.lock_label.setText(f"Not editable now — {self.doc.locked_reason}.")
        set_shown(self.hint, sel is None)
        set_shown(self.title, sel is not None)
        set_shown(self.neuron_page, sel is not None and sel.kind == "neuron")
        set_shown(self.edge_page, sel is not None and sel.kind != "neuron")
        if sel is None:
            self.subtitle.setText("")
        elif sel.kind == "neuron":
            self._show_neuron(sel.layer, sel.j, locked)
        else:
            self._show_parameter(sel, locked)
        set_shown(self.subtitle, bool(self.subtitle.text()))

    def _why_no_number(self) -> str:
        return "There is no input yet: choose or draw one" if self.doc.trace is None else ""

    # -- edits -----------------------------------------------------------------------------------
    def _try(self, edit, *args, **kwargs) -> bool:
        """Run a document edit; show why it was refused (nothing changed then)."""
        try:
            edit(*args, **kwargs)
        except (ValueError, PermissionError) as exc:
            self.message.setText(str(exc)[:1].upper() + str(exc)[1:])
            return False
        self.message.setText("")
        return True

    def _try_and_show(self, edit) -> None:
        """Run ``edit`` and show the model's value: the document's change refreshes the page;
        when nothing changed (refused, or the same value) the page is refreshed here, so a
        field never keeps text the model does not hold."""
        before = self.refreshes
        self._try(edit)
        if self.refreshes == before:
            self.refresh()

    def _on_field_edited(self, target: Selection, text: str) -> None:
        self._try_and_show(lambda: self._set_selected(parse_number(text), target=target))

    def _set_selected(self, value: float, gesture: int | None = None, target=None) -> None:
        """The selected (or ``target``) weight, bias or neuron's bias = value."""
        sel = target or self.doc.selection
        if sel.kind == "edge":
            self.doc.set_weight(sel.layer, sel.j, sel.k, value, gesture)
        else:
            self.doc.set_bias(sel.layer, sel.j, value, gesture)

    # -- neuron and layer actions (public, so they can run without dialogs) ---------------------
    def switch_off(self) -> bool:
        """Switch off the selected neuron (zero what it feeds the next layer)."""
        sel = self.doc.selection
        return self._try(self.doc.switch_off, sel.layer, sel.j)

    def reset_neuron(self) -> bool:
        """Put the selected neuron's parameters back as they were before edits by hand."""
        sel = self.doc.selection
        return self._try(self.doc.reset_neuron, sel.layer, sel.j)

    def run_layer_action(self, action: str, amount: float = 1.0, seed: int | None = None) -> bool:
        """Randomise, scale (``amount`` = factor), zero or add noise (``amount`` = σ) to the
        selected neuron's layer; False (with the reason shown) if refused."""
        return self._try(self.doc.layer_action, self.doc.selection.layer, action, amount, seed)

    def _ask_layer_action(self, action: str) -> None:
        l = self.doc.selection.layer
        if action in ("scale", "noise"):
            label, value, lo = (("Multiply by", 0.5, -MAX_ABS) if action == "scale"
                                else ("Standard deviation σ", 0.1, 0.0))
            title = f"{'Scale' if action == 'scale' else 'Add noise to'} layer {l}"
            amount, ok = QInputDialog.getDouble(self, title, label, value, lo, MAX_ABS, 3)
            if ok:
                self.run_layer_action(action, amount)
        else:
            self.run_layer_action(action)
