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
    """All weights and biases from ``before`` to ``after`` (each a (weights, biases) pair), as
    one step named ``text``; ``redo`` applies it (also the first time, when it is pushed).
    Undo and redo restore the captured arrays bit for bit.

    ``learned``: the new values come from learning or a construction (training, a gradient
    step, fresh weights), so the neurons' "reset" baseline moves with them (and back on undo).
    """

    def __init__(self, doc, before, after, text: str, learned: bool = False) -> None:
        super().__init__(text)
        self.doc = doc
        self.before = copy_parameters(*before)
        self.after = copy_parameters(*after)
        self.learned = learned
        self._baseline = None

    def redo(self) -> None:
        self._baseline = self.doc.baseline
        self.doc._apply_parameters(*self.after, learned=self.learned)

    def undo(self) -> None:
        self.doc._apply_parameters(*self.before)
        if self.learned:
            self.doc.baseline = self._baseline


class GradientStep(QUndoCommand):
    """The update stage of a walk: w ← w − η ∂E/∂w and b ← b − η ∂E/∂b, with the walk's own
    arrays (its ``params_after`` and ``params_before``). Pushed when the walk enters the update
    stage; the document keeps the walk and the stack in step (see ``walking.Stepping``)."""

    def __init__(self, doc, walk) -> None:
        super().__init__(f"Gradient step (η = {walk.eta:g})")
        self.doc, self.walk = doc, walk
        self._baseline = None

    def redo(self) -> None:
        self._baseline = self.doc.baseline
        self.doc._apply_walk_parameters(self, updated=True)
        self.doc._set_baseline()  # learning is not an edit: "reset" goes back to here

    def undo(self) -> None:
        self.doc._apply_walk_parameters(self, updated=False)
        self.doc.baseline = self._baseline


class ReplaceNetwork(QUndoCommand):
    """A change of structure: the network object ``old`` replaced by ``new``. Undo puts the very
    same ``old`` object back, so the steps below it on the stack (which patch the document's
    network by layer and index) still find the arrays they were made for."""

    def __init__(self, doc, old, new, text: str) -> None:
        super().__init__(text)
        self.doc, self.old, self.new = doc, old, new

    def redo(self) -> None:
        self.doc._install_network(self.new)

    def undo(self) -> None:
        self.doc._install_network(self.old)


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
        self.doc._apply_patches([(p, p.new) for p in self.patches])

    def undo(self) -> None:
        self.doc._apply_patches([(p, p.old) for p in reversed(self.patches)])
