"""Undoable changes to the network (GUIDE §1): each QUndoCommand captures the old values in
``__init__`` and calls the document's model methods in ``redo``/``undo``."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand


def copy_parameters(weights, biases) -> tuple[list, list]:
    """Independent copies of the weight matrices (n_l, n_(l−1)) and bias vectors (n_l,)."""
    return [w.copy() for w in weights], [b.copy() for b in biases]


class SetParameters(QUndoCommand):
    """All weights and biases from ``before`` to ``after`` (each a (weights, biases) pair).

    ``applied``: the document already holds ``after`` (a finished training run, a gradient step
    taken while stepping), so the first redo that QUndoStack.push makes changes nothing.
    Undo and redo restore the captured arrays bit for bit.
    """

    def __init__(self, doc, before, after, text: str, applied: bool = False) -> None:
        super().__init__(text)
        self.doc = doc
        self.before = copy_parameters(*before)
        self.after = copy_parameters(*after)
        self._skip_redo = applied

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self.doc.set_parameters(*self.after)

    def undo(self) -> None:
        self.doc.set_parameters(*self.before)
