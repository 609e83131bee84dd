"""Stepping through the passes: the Document's walk of the current input and target, one stage
at a time (a mixin of the Document).

The update stage is an undo command, ``GradientStep``: pushed (and so applied) when the walk
enters the stage, undone when it steps back out of it, replaced by another when η changes there,
and simply kept when stepping ends at it or anything else happens next (a new input, an edit, the
next walk): the network never holds a step that the undo stack does not know about. "Next" at the
update stage starts the next walk of the same input from the updated network, so several steps of
gradient descent follow one another, each one undo step.
"""

from __future__ import annotations

import numpy as np

from ...core.stepper import Walk
from .commands import GradientStep
from .selection import EDGE_QUANTITIES, Change

#: The learning rates η the walk's update may use, and the ladder ``nudge_step_eta`` climbs.
ETA_RANGE = (1e-4, 100.0)
ETA_LADDER = tuple(round(m * 10.0 ** k, 6) for k in range(-4, 3) for m in (1, 2, 5)
                   if ETA_RANGE[0] <= m * 10.0 ** k <= ETA_RANGE[1])


class Stepping:
    """The Document's stepping (see the module docstring)."""

    def start_stepping(self) -> bool:
        """Begin a walk of the current input and target at its first stage. Returns False (and
        sets ``walk_problem``) when there is nothing to step through yet."""
        with self._changing():
            if self.locked_reason:
                self.walk_problem = f"Cannot step now: {self.locked_reason}."
                self._note(Change.WALK)
                return False
            self.stepping = True
            self._restart_walk()
            return self.walk is not None

    def stop_stepping(self) -> None:
        """Leave stepping. At the update stage the updated parameters stay: the step was taken,
        and is already one undoable step."""
        if not self.stepping:
            return
        self.stepping, self.walk = False, None
        self._step_command = None
        self._note(Change.WALK)

    def walk_go(self, index: int) -> None:
        """Move the walk to stage ``index`` (starting stepping if needed). Entering the update
        stage applies w − η∂E/∂w as an undoable step; leaving it undoes that step, restoring the
        exact old arrays."""
        with self._changing():
            if self.walk is None and not self.start_stepping():
                return
            walk = self.walk
            was_updated = walk.updated
            walk.go(index)
            if walk.updated and not was_updated:
                self._step_command = GradientStep(self, walk)
                self._push(self._step_command)
            elif was_updated and not walk.updated:
                self._undo_step_command()
            self._note(Change.WALK)

    def walk_step(self, delta: int) -> None:
        """``delta`` stages on (or back). On from the update stage: the next walk of the same
        input and target, at its first stage, from the updated network (the step taken stays
        one undo step)."""
        if self.walk is None:
            self.start_stepping()
            return
        if delta > 0 and self.walk.updated:
            with self._changing():
                self._restart_walk()
            return
        self.walk_go(self.walk.index + delta)

    def set_step_eta(self, eta: float) -> None:
        """η of the update stage (finite, > 0; ValueError otherwise, nothing changed). At the
        update stage the step taken is replaced by one with the new η."""
        eta = float(eta)
        if not np.isfinite(eta) or eta <= 0:
            raise ValueError(f"η must be a positive number, got {eta:g}")
        changed, self.step_eta = eta != self.step_eta, eta
        if self.walk is None:
            if changed:
                self._note(Change.WALK)  # the η the next walk will use
            return
        with self._changing():
            walk = self.walk
            if walk.updated:
                self._undo_step_command()
                walk.set_eta(eta)
                self._step_command = GradientStep(self, walk)
                self._push(self._step_command)
            else:
                walk.set_eta(eta)
            self._note(Change.WALK)

    def nudge_step_eta(self, steps: int) -> float:
        """η ``steps`` places up (or down) the ladder 1, 2, 5, 10, … within ETA_RANGE, through
        ``set_step_eta``; returns the new η. ValueError (η as it was) when the update would
        overflow with it."""
        eta = self.step_eta
        if steps > 0:
            higher = [v for v in ETA_LADDER if v > eta * (1 + 1e-9)]
            new = higher[min(steps, len(higher)) - 1] if higher else eta
        else:
            lower = [v for v in ETA_LADDER if v < eta * (1 - 1e-9)]
            new = lower[max(steps, -len(lower))] if lower and steps < 0 else eta
        if new == eta:
            return eta
        if self.walk is not None:
            self.walk.set_eta(new)  # ValueError if the update overflows, nothing changed
        self.set_step_eta(new)
        return new

    def cycle_edge_quantity(self) -> str:
        """The edges show the next of w, ∂E/∂w, Δw after what they show now (the user's choice
        from then on); returns it."""
        order = list(EDGE_QUANTITIES)
        quantity = order[(order.index(self.shown_quantity) + 1) % len(order)]
        self.set_edge_quantity(quantity)
        return quantity

    def cycle_target(self) -> np.ndarray:
        """Another target y for the current input, for a lecture's "and if y were…": with one
        output 1 ↔ 0 (anything else becomes 1), with several the one-hot of the next class.
        The walk restarts with it. ValueError when there is no input yet."""
        if self.x is None:
            raise ValueError("there is no input to give another target")
        n, y = self.net.sizes[-1], self.target
        if n == 1:
            new = np.array([0.0 if y is not None and y[0] >= 0.5 else 1.0])
        else:
            k = -1 if y is None else int(np.argmax(y))
            new = np.eye(n)[(k + 1) % n]
        self.set_target(new)
        return self.target

    def _undo_step_command(self) -> None:
        """Take back the walk's gradient step, if it is still the last step on the stack."""
        command, self._step_command = self._step_command, None
        stack = self.undo_stack
        if command is not None and stack.index() > 0 and \
                stack.command(stack.index() - 1) is command:
            stack.undo()

    def _drop_step_command(self) -> None:
        self._step_command = None

    def _apply_walk_parameters(self, command, updated: bool) -> None:
        """The network to the parameters after (``updated``) or before the gradient step
        ``command`` of a walk; for GradientStep. While that walk is the live one it stays where
        it is (its stage says which parameters the network holds), moved to or from the update
        stage if the undo stack, not the walk, made the change; otherwise the walk restarts."""
        walk = command.walk
        w, b = walk.params_after if updated else walk.params_before
        with self._changing():
            self.net.set_parameters(w, b)  # copies: the walk's arrays stay untouched
            self._recompute()
            if walk is self.walk:
                if walk.updated != updated:  # undo / redo from the stack: follow it
                    walk.go(len(walk.stages) - 1 if updated else walk.index - 1)
                self._step_command = command if updated else None
                self._note(Change.PARAMETERS | Change.WALK)
            else:
                self._restart_walk()
                self._note(Change.PARAMETERS)

    def _restart_walk(self) -> None:
        if not self.stepping:
            return
        self.walk, self.walk_problem = None, ""
        self._step_command = None  # a step already taken stays on the stack as it is
        if self.x is None:
            self.walk_problem = "There is no input to step through yet."
        elif self.target is None:
            self.walk_problem = ("Give a target y for this input: the backward pass needs "
                                 "the error a^L − y.")
        else:
            try:
                self.walk = Walk(self.net, self.x, self.target, self.step_eta)
            except ValueError as exc:  # e.g. a target the cost just chosen does not accept
                self.walk_problem = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        self._note(Change.WALK)
