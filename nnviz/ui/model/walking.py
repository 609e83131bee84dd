"""Stepping through the passes: the Document's walk of the current input and target, one stage
at a time (a mixin of the Document).

The update stage is an undo command, ``GradientStep``: pushed (and so applied) when the walk
enters the stage, undone when it steps back out of it, replaced by another when η changes there,
and simply kept when stepping ends at it or anything else happens next (a new input, an edit):
the network never holds a step that the undo stack does not know about.
"""

from __future__ import annotations

import numpy as np

from ...core.stepper import Walk
from .commands import GradientStep
from .selection import Change


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
        if self.walk is None:
            self.start_stepping()
            return
        self.walk_go(self.walk.index + delta)

    def set_step_eta(self, eta: float) -> None:
        """η of the update stage (finite, > 0; ValueError otherwise, nothing changed). At the
        update stage the step taken is replaced by one with the new η."""
        eta = float(eta)
        if not np.isfinite(eta) or eta <= 0:
            raise ValueError(f"η must be a positive number, got {eta:g}")
        self.step_eta = eta
        if self.walk is None:
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
            self.walk = Walk(self.net, self.x, self.target, self.step_eta)
        self._note(Change.WALK)
