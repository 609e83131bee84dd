"""The document: the one owner of the network, the current input, the selection and the walk.

Views ask the document to change things; it changes the model and announces it with exactly one
signal, ``changed(Change)``, whose flags say what the change touched (GUIDE §1); views redraw on
it. Every write to the network's parameters is an undoable command on ``undo_stack``, except the
live frames of a training run, which only the holder of the training lock may show (the run then
becomes one command when the lock is released).

The hand edits and the stepping walk are in ``edits.HandEdits`` and ``walking.Stepping``.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ...constants import STEP_ETA, mnist_image_shape
from ...core import Network, Trace
from ...core.stepper import Walk
from ...data.dataset import Dataset
from .commands import ReplaceNetwork, SetParameters, copy_parameters
from .edits import HandEdits
from .inputs import InputChanges
from .selection import EDGE_CHOICES, Change, Selection
from .walking import Stepping


class TrainingLock:
    """The right to show a training run's weights in the document while nobody else may change
    them. Made by ``Document.lock``; only its holder can ``show`` live frames and ``release`` the
    lock, which records the whole run as one undoable step."""

    def __init__(self, doc: Document, reason: str) -> None:
        self.doc, self.reason = doc, reason
        self.before = copy_parameters(doc.net.weights, doc.net.biases)

    @property
    def held(self) -> bool:
        return self.doc._lock is self

    def show(self, weights, biases) -> None:
        """Show these parameters (same shapes) live: not an undo step of its own."""
        self.doc._show_locked(self, weights, biases)

    def release(self, text: str) -> None:
        """Unlock the document; if the parameters moved since the lock was taken, the move is
        one undoable step named ``text``. Releasing twice does nothing."""
        self.doc._release(self, text)


class Document(HandEdits, InputChanges, Stepping, QObject):
    """Owns a Network, the current input x with its forward trace, the selection and the walk."""

    changed = Signal(object)  # Change: what one change touched (exactly one signal per change)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.net: Network = Network([2, 3, 1], seed=0)
        self._title = "2-3-1"
        self._path: str | None = None  # the file the network was opened from or saved to
        self.caption = ""
        self.preset_key: str | None = None
        self.input_shape: tuple[int, int] | None = None
        self.input_labels: tuple[str, ...] | None = None
        self.output_labels: tuple[str, ...] | None = None
        self.x: np.ndarray | None = None
        self.input_description = ""
        self.trace: Trace | None = None
        self.selection: Selection | None = None
        self.examples: Dataset | None = None
        self.example_index = 0
        self.target: np.ndarray | None = None  # y for the current input, when known
        # Stepping: the walk of (x, target) through the passes; None when not stepping.
        self.stepping = False
        self.walk: Walk | None = None
        self.walk_problem = ""  # why stepping cannot start, in plain words
        self.step_eta = STEP_ETA
        self.edge_quantity = "auto"  # what the user chose the edges to show (EDGE_CHOICES)
        self._lock: TrainingLock | None = None
        self.preset_dataset: Dataset | None = None  # a small preset's own data (e.g. XOR)
        self.test_dataset: Dataset | None = None  # held-out data of the same problem, if any
        self.training_hint = None  # a TrainConfig that suits the own data, or None
        # How the network was trained (nnviz.core.provenance): the opened file's record and one
        # per training run since, oldest first; a save writes the one that matches its weights.
        self.provenance_records: list[dict] = []
        # Every change to the parameters goes through this stack.
        self.undo_stack = QUndoStack(self)
        self.baseline: tuple | None = None  # parameters before any edit by hand (for "reset")
        self._gestures = 0
        self._depth = 0  # nesting of _changing() blocks
        self._pending = Change.NONE
        self._step_command = None  # the walk's applied gradient step (see walking.Stepping)

    # -- announcing changes ------------------------------------------------------------------
    @contextmanager
    def _changing(self):
        """Collect what the block changes (``_note``) and announce it once, at the end of the
        outermost block."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0 and self._pending:
                change, self._pending = self._pending, Change.NONE
                self.changed.emit(change)

    def _note(self, change: Change) -> None:
        with self._changing():
            self._pending |= change

    # -- title and file ------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self._title

    @property
    def path(self) -> str | None:
        return self._path

    def set_file(self, path: str | None, title: str | None = None) -> None:
        """The file the network now belongs to (after Open, Save or Save As) and its title
        (default: unchanged); emits Change.FILE."""
        if (path, title or self._title) == (self._path, self._title):
            return
        self._path = path
        if title:
            self._title = title
        self._note(Change.FILE)

    def add_provenance(self, provenance: dict) -> None:
        """Record how the network's current weights were made (an opened file's provenance, a
        training run's). Nothing is shown of it, so no change is announced."""
        self.provenance_records.append(provenance)

    def set_caption(self, caption: str) -> None:
        """What the About panel says about the network (a preset's caption describes its own
        weights; when they are replaced it no longer holds); emits Change.FILE."""
        if caption != self.caption:
            self.caption = caption
            self._note(Change.FILE)

    # -- the network -------------------------------------------------------------------------
    def set_network(self, net: Network, title: str = "", caption: str = "",
                    input_shape=None, example=None, preset_key=None,
                    input_labels=None, output_labels=None, target=None,
                    dataset: Dataset | None = None, test: Dataset | None = None,
                    hint=None) -> None:
        """Replace the network (and its input), clearing the undo history. ``dataset``: the
        network's own small training set (presets such as XOR), ``test`` its held-out part,
        ``hint`` a TrainConfig that suits them. PermissionError while locked; ValueError (nothing
        changed) for data that does not fit the network."""
        self._check_editable()
        for ds in (dataset, test):
            self._check_fits(ds, net)
        old_own = self.preset_dataset
        with self._changing():
            self._drop_step_command()
            self.undo_stack.clear()  # its commands hold another network's arrays
            self.net = net
            self._path = None
            self._set_baseline()
            self._title = title or "-".join(map(str, net.sizes))
            self.caption = caption
            self.preset_key = preset_key
            self.input_shape = input_shape
            self.input_labels, self.output_labels = input_labels, output_labels
            self.preset_dataset, self.test_dataset, self.training_hint = dataset, test, hint
            self.provenance_records = []
            self.selection = None
            if self.examples is not None and self.examples.n_inputs != net.sizes[0]:
                self.examples = None
            if dataset is not None:  # [ and ] step through the network's own data
                self.examples, self.example_index = dataset, 0
            elif old_own is not None and (self.examples is None or self.examples is old_own):
                # the last network's own data is not this one's
                self.examples, self.example_index = None, 0
            self.x, self.input_description, self.target = None, "", None
            if example is not None:
                self.x = np.asarray(example, dtype=float)
                self.input_description = "x = (" + ", ".join(f"{v:g}" for v in self.x) + ")"
                if target is not None and len(target) == net.sizes[-1]:
                    self.target = np.asarray(target, dtype=float)
                if dataset is not None:
                    self.example_index = _row_of(dataset, self.x) or 0
            elif self.examples is not None:
                self._take_example(self.example_index)
            self._recompute()
            self._restart_walk()
            self._note(Change.NETWORK | Change.INPUT | Change.SELECTION | Change.FILE
                       | Change.DATASET | Change.WALK)

    @staticmethod
    def _check_fits(ds: Dataset | None, net: Network) -> None:
        if ds is not None and (ds.n_inputs, ds.n_outputs) != (net.sizes[0], net.sizes[-1]):
            raise ValueError(f"{ds.name} has {ds.n_inputs} inputs and {ds.n_outputs} outputs, "
                             f"but the network is {'-'.join(map(str, net.sizes))}")

    def set_dataset(self, train: Dataset | None, test: Dataset | None = None,
                    hint=None) -> None:
        """New own data for the same network (a point added, another toy problem, a new
        target): weights, input and undo history stay; emits Change.DATASET. PermissionError
        while locked (a run trains on its own copy); ValueError if the data does not fit."""
        self._check_editable()
        for ds in (train, test):
            self._check_fits(ds, self.net)
        change = Change.DATASET
        if self.examples is not None and self.examples is self.preset_dataset:
            self.examples = train  # [ and ] step through the new own data
            change |= Change.EXAMPLES
        self.preset_dataset, self.test_dataset = train, test
        if hint is not None or train is None:
            self.training_hint = hint
        self._note(change)

    def change_structure(self, net: Network, text: str) -> None:
        """Replace the network by ``net``, made from it by a change of structure (a neuron or
        layer added or removed, another activation), as one undoable step named ``text``. The
        data, input and title style stay. PermissionError while locked; ValueError if the new
        network does not take the same inputs and give the same outputs."""
        self._check_editable()
        if (net.sizes[0], net.sizes[-1]) != (self.net.sizes[0], self.net.sizes[-1]):
            raise ValueError("a change of structure keeps the input and output layers")
        self._push(ReplaceNetwork(self, self.net, net, text))

    def _install_network(self, net: Network) -> None:
        """Put ``net`` (same input and output sizes) in place of the current network, keeping
        data, input and target; for the undo commands."""
        with self._changing():
            auto_title = self._title == "-".join(map(str, self.net.sizes))
            self.net = net
            self._after_structure(Change.NETWORK | Change.WALK, auto_title)

    def load_preset(self, key: str) -> None:
        from ...core.presets import get_preset
        from ...core.recipes import recipes_for

        p = get_preset(key)
        recipes = recipes_for(p.key)
        shape = mnist_image_shape(p.build().sizes[0]) if p.example is None else None
        self.set_network(p.build(), p.title, p.caption, shape, p.example, key,
                         p.input_labels, p.output_labels, p.target,
                         p.dataset() if p.dataset is not None else None,
                         hint=recipes.article if recipes is not None else p.training)

    def replace_parameters(self, weights, biases, text: str) -> None:
        """All weights and biases (same shapes) replaced, as one undoable step named ``text``
        (a construction, fresh random weights). PermissionError while locked."""
        self._check_editable()
        self._push(SetParameters(self, copy_parameters(self.net.weights, self.net.biases),
                                 (weights, biases), text, learned=True))

    def reinitialise(self, text: str, seed: int | None = None) -> None:
        """Fresh random weights for the same network, drawn as a new network of its sizes,
        activations, cost and initialisation would get them; one undoable step."""
        net = self.net
        fresh = Network(net.sizes, net.activation_names, net.cost_name, init=net.init,
                        seed=seed)
        self.replace_parameters(fresh.weights, fresh.biases, text)

    def _push(self, command) -> None:
        """Push ``command`` (which applies itself) as one change."""
        with self._changing():
            self.undo_stack.push(command)

    def _apply_parameters(self, weights, biases, learned: bool = False) -> None:
        """Write all parameters (copies are taken); for the undo commands. ``learned``: the new
        values are where learning or a construction put them, so "reset a neuron" goes back
        to them."""
        with self._changing():
            self.net.set_parameters(weights, biases)
            if learned:
                self._set_baseline()  # learning is not an edit: "reset" goes back to here
            self._recompute()
            self._restart_walk()
            self._note(Change.PARAMETERS)

    def _set_baseline(self) -> None:
        self.baseline = copy_parameters(self.net.weights, self.net.biases)

    def undo(self) -> None:
        """Undo the last change (PermissionError while locked, nothing changed)."""
        self._check_editable()
        with self._changing():
            self.undo_stack.undo()

    def redo(self) -> None:
        self._check_editable()
        with self._changing():
            self.undo_stack.redo()

    def predict(self, x) -> np.ndarray:
        """The network's outputs a^L for an input x of shape (n_0,), without making it the
        current input (ValueError for a wrong size or non-finite values)."""
        return self.net.feedforward(self._check_input(x))

    # -- the input ---------------------------------------------------------------------------
    def set_input(self, x, description: str = "", target=None) -> None:
        """Make x (shape (n_0,)) the current input, with its target y (shape (n_L,)) if given;
        emits Change.INPUT. Raises ValueError (nothing changed) for wrong sizes or non-finite
        values."""
        x = self._check_input(x)
        y = None if target is None else self._check_target(target)
        with self._changing():
            self.x, self.input_description, self.target = x, description, y
            self._recompute()
            self._restart_walk()
            self._note(Change.INPUT)

    def _check_input(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if x.shape != (self.net.sizes[0],):
            raise ValueError(f"the input needs {self.net.sizes[0]} values, got {x.size}")
        if not np.isfinite(x).all():
            raise ValueError("input values must be finite numbers")
        return x

    def set_target(self, target) -> None:
        """The target y for the current input (shape (n_L,)); restarts a walk in progress."""
        y = None if target is None else self._check_target(target)
        with self._changing():
            self.target = y
            self._restart_walk()
            self._note(Change.INPUT)

    def _check_target(self, target) -> np.ndarray:
        y = np.asarray(target, dtype=float).reshape(-1)
        if y.shape != (self.net.sizes[-1],):
            raise ValueError(f"the target needs {self.net.sizes[-1]} values, got {y.size}")
        if not np.isfinite(y).all():
            raise ValueError("target values must be finite numbers")
        self.net.cost_function.check_target(y)
        return y

    def set_examples(self, dataset: Dataset | None) -> None:
        """A data set to draw inputs from (e.g. MNIST test digits) if it fits the network."""
        if dataset is not None and dataset.n_inputs != self.net.sizes[0]:
            return
        with self._changing():
            self.examples = dataset
            self._note(Change.EXAMPLES)
            if dataset is not None and self.x is None:
                self.show_example(self.example_index)

    def show_example(self, index: int) -> None:
        if self.examples is None or len(self.examples) == 0:
            return
        with self._changing():
            self._take_example(index)
            self._recompute()
            self._restart_walk()
            self._note(Change.INPUT)

    def step_example(self, delta: int) -> None:
        """The example ``delta`` after the current input in the examples (cycling): after the
        one shown, or after the input's own row if it was typed or drawn as one of them."""
        index, ds = self.example_index, self.examples
        if ds is not None and self.x is not None and not (
                index < len(ds) and np.array_equal(ds.inputs(index), self.x)):
            row = _row_of(ds, self.x)
            if row is not None:
                index = row
        self.show_example(index + delta)

    def own_target(self, x) -> np.ndarray | None:
        """The target y that the network's own data (``preset_dataset``, e.g. XOR's truth
        table) gives the input x, or None if x is not one of its points."""
        ds = self.preset_dataset
        row = None if ds is None else _row_of(ds, np.asarray(x, dtype=float))
        return None if row is None else ds.targets(row).reshape(-1)

    def _take_example(self, index: int) -> None:
        ds = self.examples
        self.example_index = index % len(ds)
        self.x = ds.inputs(self.example_index)
        self.target = ds.targets(self.example_index).reshape(-1)
        label = ""
        if ds.is_classification:
            label = f", label {int(ds.y[self.example_index])}"
        self.input_description = f"{ds.name} #{self.example_index}{label}"

    def _recompute(self) -> None:
        self.trace = self.net.forward(self.x) if self.x is not None else None

    # -- locking -----------------------------------------------------------------------------
    @property
    def locked_reason(self) -> str:
        """Why the network cannot be changed by hand now ("" when it can)."""
        return self._lock.reason if self._lock is not None else ""

    def lock(self, reason: str) -> TrainingLock:
        """Refuse changes to the network by hand (and stepping) until the returned lock is
        released; its holder alone may show live parameters. PermissionError if locked."""
        self._check_editable()
        with self._changing():
            self.stop_stepping()
            self._lock = TrainingLock(self, reason)
            self._note(Change.LOCK)
        return self._lock

    def _check_editable(self) -> None:
        if self._lock is not None:
            raise PermissionError(self._lock.reason)

    def _show_locked(self, lock: TrainingLock, weights, biases) -> None:
        if lock is not self._lock:
            raise PermissionError("this training lock was released")
        with self._changing():
            self.net.set_parameters(weights, biases)
            self._recompute()
            self._note(Change.PARAMETERS)

    def _release(self, lock: TrainingLock, text: str) -> None:
        if lock is not self._lock:
            return
        with self._changing():
            self._lock = None
            self._note(Change.LOCK)
            after = (self.net.weights, self.net.biases)
            same = all(np.array_equal(x, y) for old, new in zip(lock.before, after)
                       for x, y in zip(old, new))
            if not same:
                self._push(SetParameters(self, lock.before, after, text, learned=True))

    # -- selection and display ---------------------------------------------------------------
    def select(self, selection: Selection | None) -> None:
        """Select a neuron, edge or bias (ValueError if it is not in the network)."""
        if selection is not None:
            self._check_selection(selection)
        if selection != self.selection:
            self.selection = selection
            self._note(Change.SELECTION)

    def _check_selection(self, sel: Selection) -> None:
        sizes, L = self.net.sizes, self.net.L
        lowest = 0 if sel.kind == "neuron" else 1
        ok = sel.kind in ("neuron", "edge", "bias") and lowest <= sel.layer <= L
        ok = ok and 0 <= sel.j < sizes[sel.layer]
        if ok and sel.kind == "edge":
            ok = sel.k is not None and 0 <= sel.k < sizes[sel.layer - 1]
        if not ok:
            raise ValueError(f"there is no {sel.describe()} in a {'-'.join(map(str, sizes))} "
                             "network")

    def set_edge_quantity(self, quantity: str) -> None:
        """What the edges show: "w", "grad" (∂E/∂w) or "step" (the pending Δw), the last two
        once the walk has computed them; or "auto": ∂E/∂w at the gradients stage, else w.
        KeyError for anything else."""
        if quantity not in EDGE_CHOICES:
            raise KeyError(quantity)
        if quantity != self.edge_quantity:
            self.edge_quantity = quantity
            self._note(Change.DISPLAY)

    @property
    def shown_quantity(self) -> str:
        """What the edges show now: the chosen quantity once the walk knows it, else w; "auto"
        shows ∂E/∂w at the gradients stage, so that the stage changes the picture."""
        walk, q = self.walk, self.edge_quantity
        if q == "w" or walk is None or not walk.gradients_known:
            return "w"
        if q == "auto":
            return "grad" if walk.stage.kind == "gradients" else "w"
        return q

    # -- values for display (all computed by the core) ---------------------------------------
    def activations(self, layer: int) -> np.ndarray | None:
        return None if self.trace is None else self.trace.a[layer]

    def weighted_inputs(self, layer: int) -> np.ndarray | None:
        return None if self.trace is None or layer == 0 else self.trace.z[layer]


#: Inputs are looked up in data sets of at most this many numbers (XOR's four rows, a toy
#: problem's points), not in MNIST's 10,000 images.
ROW_LOOKUP_MAX = 200_000


def _row_of(ds: Dataset, x: np.ndarray) -> int | None:
    """The first row of ``ds`` whose input is x, or None (also for data too big to search)."""
    if ds.n_inputs != x.shape[0] or len(ds) * ds.n_inputs > ROW_LOOKUP_MAX:
        return None
    rows = np.flatnonzero(np.all(ds.inputs() == x, axis=1))
    return int(rows[0]) if len(rows) else None
