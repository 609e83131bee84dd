"""Changing what the network is fed (the playground's input features) as one undoable step: the
network with its new input layer, its own data fed the new features, the input neurons' names
and the current input change together, and undo puts every one of them back as it was (the very
same network object, so the steps below it on the stack still find their arrays). A mixin of
the Document."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QUndoCommand

from ...core import Network
from ...data.dataset import Dataset
from .selection import Change


@dataclass(frozen=True)
class InputState:
    """What a change of the inputs swaps: the network, its own data, the names of its inputs,
    the examples and the current input."""

    net: Network
    train: Dataset | None
    test: Dataset | None
    labels: tuple[str, ...] | None
    examples: Dataset | None
    example_index: int
    x: np.ndarray | None
    description: str
    target: np.ndarray | None


class ChangeInputs(QUndoCommand):
    """The inputs from ``before`` to ``after`` (InputStates)."""

    def __init__(self, doc, before: InputState, after: InputState, text: str) -> None:
        super().__init__(text)
        self.doc, self.before, self.after = doc, before, after

    def redo(self) -> None:
        self.doc._install_inputs(self.after)

    def undo(self) -> None:
        self.doc._install_inputs(self.before)


class InputChanges:
    """The Document's change of inputs (see the module docstring)."""

    def _input_state(self) -> InputState:
        return InputState(self.net, self.preset_dataset, self.test_dataset, self.input_labels,
                          self.examples, self.example_index, self.x, self.input_description,
                          self.target)

    def change_inputs(self, net: Network, train: Dataset | None, test: Dataset | None,
                      labels, x, text: str, description: str = "") -> None:
        """Feed the network other inputs, as one undoable step named ``text``: ``net`` (the
        same layers after the input, another input layer), its own data ``train`` and
        ``test`` with those inputs, ``labels`` the input neurons' names and ``x`` the current
        input as the new inputs see it (None: none). The target stays. PermissionError while
        locked; ValueError (nothing changed) for data or x that do not fit ``net``."""
        self._check_editable()
        if net.sizes[-1] != self.net.sizes[-1]:
            raise ValueError("a change of the inputs keeps the output layer")
        for ds in (train, test):
            self._check_fits(ds, net)
        if labels is not None and len(labels) != net.sizes[0]:
            raise ValueError(f"{len(labels)} names for {net.sizes[0]} inputs")
        if x is not None:
            x = np.asarray(x, dtype=float)
            if x.shape != (net.sizes[0],) or not np.isfinite(x).all():
                raise ValueError(f"the input needs {net.sizes[0]} finite values")
        examples, index = self.examples, self.example_index
        if examples is not None and (examples is self.preset_dataset
                                     or examples.n_inputs != net.sizes[0]):
            examples = train
        if examples is None:
            index = 0
        target = self.target if x is not None else None
        after = InputState(net, train, test, None if labels is None else tuple(labels),
                           examples, index, x,
                           description or (self.input_description if x is not None else ""),
                           target)
        self._push(ChangeInputs(self, self._input_state(), after, text))

    def _install_inputs(self, state: InputState) -> None:
        """Put ``state`` in place; for the undo commands."""
        with self._changing():
            auto_title = self._title == "-".join(map(str, self.net.sizes))
            self.net = state.net
            self.preset_dataset, self.test_dataset = state.train, state.test
            self.input_labels = state.labels
            self.examples, self.example_index = state.examples, state.example_index
            self.x, self.input_description, self.target = state.x, state.description, \
                state.target
            self._after_structure(Change.NETWORK | Change.WALK | Change.DATASET
                                  | Change.EXAMPLES | Change.INPUT, auto_title)

    def _after_structure(self, change: Change, auto_title: bool) -> None:
        """After a new network of another structure is in place (inside ``_changing``): the
        baseline, an automatic title, a selection that no longer exists, the forward pass and
        the walk again; ``change`` and what follows from it noted."""
        self._set_baseline()
        if auto_title:
            self._title = "-".join(map(str, self.net.sizes))
            change |= Change.FILE
        if self.selection is not None:
            try:
                self._check_selection(self.selection)
            except ValueError:
                self.selection = None
                change |= Change.SELECTION
        self._recompute()
        self._restart_walk()
        self._note(change)
