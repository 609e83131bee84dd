"""A run's timeline: the network's parameters after every epoch (and at the start), within a
memory budget.

``Timeline.add(epoch, parameters)`` keeps a copy of the augmented matrices [w^l | b^l] (as the
trainer holds them: float32 for bulk training) or of (weights, biases); ``get(epoch)`` gives
them back as float64 (weights, biases), bit for bit as the trainer's kernel hands them over.

Memory: at most ``budget`` bytes (BUDGET, 64 MB, by default) and MAX_SNAPSHOTS snapshots.
MNIST's 784-100-10 takes 318 KB an epoch in float32, so a run of 200 epochs fits whole;
mnist-30's 784-30-10 95 KB, 700 epochs.
When the next snapshot would go over the budget, the timeline keeps every second epoch of those
it kept (every 2nd, then every 4th, …: a stride that doubles), the start and the latest always,
so what stays is spread evenly over the run. numpy only.
"""

from __future__ import annotations

import numpy as np

#: Bytes a run's snapshots may take.
BUDGET = 64 * 2 ** 20
#: And at most this many snapshots (a toy net's are tiny, but each costs a few hundred bytes
#: of bookkeeping and a place on the slider).
MAX_SNAPSHOTS = 2000


def split(W: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Augmented matrices [w^l | b^l] → float64 (weights, biases)."""
    return ([w[:, :-1].astype(np.float64) for w in W],
            [w[:, -1].astype(np.float64) for w in W])


def augment(weights, biases) -> list[np.ndarray]:
    """(weights, biases) → augmented matrices [w^l | b^l], in their own dtype."""
    return [np.concatenate([np.asarray(w), np.asarray(b)[:, None]], axis=1)
            for w, b in zip(weights, biases)]


class Timeline:
    """Snapshots by epoch (0: the start), epochs ascending, within ``budget`` bytes."""

    def __init__(self, budget: int = BUDGET) -> None:
        self.budget = int(budget)
        self._epochs: list[int] = []
        self._snaps: list[list[np.ndarray]] = []
        self.stride = 1  # epochs kept: the multiples of this (and the latest)
        self._nbytes = 0

    @classmethod
    def restored(cls, epochs: list[int], snapshots: list[list[np.ndarray]], stride: int,
                 budget: int = BUDGET) -> Timeline:
        """A timeline holding ``snapshots`` (augmented matrices, taken as they are) of
        ``epochs`` (ascending), thinned with ``stride`` so far: one read back from a file."""
        if len(epochs) != len(snapshots) or list(epochs) != sorted(set(epochs)):
            raise ValueError("a timeline's epochs must ascend, one per snapshot")
        timeline = cls(budget)
        timeline._epochs = [int(e) for e in epochs]
        timeline._snaps = [list(s) for s in snapshots]
        timeline.stride = int(stride)
        timeline._nbytes = sum(a.nbytes for s in snapshots for a in s)
        return timeline

    def snapshot(self, epoch: int) -> list[np.ndarray]:
        """The augmented matrices kept for ``epoch``, as kept (not copies: do not write)."""
        return self._snaps[self._epochs.index(epoch)]

    def __len__(self) -> int:
        return len(self._epochs)

    @property
    def epochs(self) -> list[int]:
        return list(self._epochs)

    @property
    def nbytes(self) -> int:
        return self._nbytes

    def add(self, epoch: int, parameters) -> None:
        """Keep a copy of ``parameters`` (augmented matrices, or a (weights, biases) pair) as
        epoch ``epoch``, replacing a snapshot of the same epoch or any later one (a run went on
        from an earlier epoch). Constant time, but for the rare thinning."""
        if isinstance(parameters, tuple):
            parameters = augment(*parameters)
        snap = [np.array(a, copy=True) for a in parameters]
        while self._epochs and self._epochs[-1] >= epoch:
            self._pop()
        if len(self._epochs) > 1 and self._epochs[-1] % self.stride:
            self._pop()  # the latest until now, off the stride: this one is the latest
        self._epochs.append(int(epoch))
        self._snaps.append(snap)
        self._nbytes += sum(a.nbytes for a in snap)
        while ((self._nbytes > self.budget or len(self._snaps) > MAX_SNAPSHOTS)
               and len(self._snaps) > 2):
            self.stride *= 2
            self._keep()

    def _pop(self) -> None:
        self._epochs.pop()
        self._nbytes -= sum(a.nbytes for a in self._snaps.pop())

    @property
    def thinned(self) -> bool:
        """Some epochs were dropped to stay within the budget."""
        return self.stride > 1

    def _keep(self) -> None:
        """Keep the multiples of the stride, the first and the latest snapshot."""
        last = len(self._epochs) - 1
        keep = [i for i, e in enumerate(self._epochs)
                if i in (0, last) or e % self.stride == 0]
        self._epochs = [self._epochs[i] for i in keep]
        self._snaps = [self._snaps[i] for i in keep]
        self._nbytes = sum(a.nbytes for snap in self._snaps for a in snap)

    def shapes(self, epoch: int) -> list[tuple[int, int]]:
        """The shapes of w^1 … w^L at ``epoch`` (without copying anything)."""
        snap = self._snaps[self._epochs.index(epoch)]
        return [(a.shape[0], a.shape[1] - 1) for a in snap]

    def get(self, epoch: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(weights, biases), float64, of ``epoch`` (KeyError if not kept)."""
        try:
            i = self._epochs.index(epoch)
        except ValueError:
            raise KeyError(f"epoch {epoch} is not in the timeline") from None
        return split(self._snaps[i])
