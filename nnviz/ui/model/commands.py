"""Undoable changes to the network (GUIDE §1): each QUndoCommand captures the old values in
``__init__`` and calls the document's model methods in ``redo``/``undo``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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


class ReplaceNetwork(QUndoCommand):
    """A change of structure: the network object ``old`` replaced by ``new``. Undo puts the very
    same ``old`` object back, so the steps below it on the stack (which patch the document's
    network by layer and index) still find the arrays they were made for."""

    def __init__(self, doc, old, new, text: str) -> None:
        super().__init__(text)
        self.doc, self.old, self.new = doc, old, new

    def redo(self) -> None:
        self.doc.install_network(self.new)

    def undo(self) -> None:
        self.doc.install_network(self.old)


@dataclass(frozen=True)
class Patch:
    """Part of one parameter array: ``kind`` "w" (weights of ``layer``, shape (n_l, n_(l−1)))
    or "b" (its biases), ``index`` any numpy index into that array, and the values there
    before and after the change."""

    kind: str
    layer: int
    index: tuple
    old: np.ndarray
    new: np.ndarray

    @property
    def target(self) -> tuple:
        return self.kind, self.layer, repr(self.index)


class EditParameters(QUndoCommand):
    """Parts of the weights and biases changed by hand. Commands of one gesture (a drag, a
    wheel turn, a paint stroke: the same ``gesture`` token, on the same entries) merge into
    one undo step that keeps the first old and the last new values."""

    MERGE_ID = 7

    def __init__(self, doc, patches: list[Patch], text: str, gesture: int | None = None) -> None:
        super().__init__(text)
        self.doc, self.patches, self.gesture = doc, list(patches), gesture

    def id(self) -> int:
        return self.MERGE_ID if self.gesture is not None else -1

    def mergeWith(self, other) -> bool:
        if (not isinstance(other, EditParameters) or other.gesture != self.gesture
                or [p.target for p in other.patches] != [p.target for p in self.patches]):
            return False
        self.patches = [Patch(p.kind, p.layer, p.index, p.old, q.new)
                        for p, q in zip(self.patches, other.patches)]
        self.setText(other.text())
        return True

    def redo(self) -> None:
        self.doc.apply_patches([(p, p.new) for p in self.patches])

    def undo(self) -> None:
        self.doc.apply_patches([(p, p.old) for p in reversed(self.patches)])
