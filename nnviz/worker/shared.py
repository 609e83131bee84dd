"""Parameters in shared memory: ``SharedParameters``, a seqlocked block the child publishes the
weights into and the parent copies them out of, and ``_split``, which turns the augmented
matrices it holds into (weights, biases). No Qt.
"""

from __future__ import annotations

import math
import os
import secrets
import time
from collections.abc import Sequence
from multiprocessing.shared_memory import SharedMemory

import numpy as np


class SharedParameters:
    """A list of arrays in one shared-memory block: one process writes, others read copies.

    A seqlock makes every copy consistent: the writer makes the sequence number odd, writes,
    and makes it even; a reader notes the number, copies, and keeps the copy only if the number
    was even and has not moved. The writer never waits; a reader retries (the trainer publishes
    every ~30 ms and a copy of 784-30-10 takes ~10 µs, so retries are rare). The version of a
    publication is the sequence number / 2, so 0 means nothing published yet.

    Ordering: this relies on the writer's stores reaching other cores in program order and the
    reader's loads happening in program order, which x86-64 guarantees; each step here is a
    separate numpy call, so the compiler cannot merge them.

    Layout: 64 header bytes (int64 words: 0 the sequence number, 1 ``signal``, a counter the
    owner may use to tell the writer something changed), then each array, 64-byte aligned.
    The creating process owns the block: its ``close()`` also unlinks the name.
    """

    HEADER = 64

    def __init__(self, shm: SharedMemory, shapes, dtype, owner: bool) -> None:
        self._shm, self._owner, self.name = shm, owner, shm.name
        self.shapes = [tuple(int(n) for n in s) for s in shapes]
        self.dtype = np.dtype(dtype)
        self._words = np.ndarray((2,), np.int64, buffer=shm.buf)
        self._views = []
        offset = self.HEADER
        for shape in self.shapes:
            self._views.append(np.ndarray(shape, self.dtype, buffer=shm.buf, offset=offset))
            offset += -(-math.prod(shape) * self.dtype.itemsize // 64) * 64

    @classmethod
    def nbytes(cls, shapes, dtype) -> int:
        item = np.dtype(dtype).itemsize
        return cls.HEADER + sum(-(-math.prod(s) * item // 64) * 64 for s in shapes)

    @classmethod
    def create(cls, shapes, dtype) -> SharedParameters:
        """A new zeroed block named ``nnviz-<pid>-<random>``, owned by this process."""
        name = f"nnviz-{os.getpid()}-{secrets.token_hex(4)}"
        shm = SharedMemory(name, create=True, size=cls.nbytes(shapes, dtype))
        return cls(shm, shapes, dtype, owner=True)

    @classmethod
    def attach(cls, name: str, shapes, dtype) -> SharedParameters:
        """Open the block another process created (shapes and dtype as it gave them)."""
        return cls(SharedMemory(name), shapes, dtype, owner=False)

    @property
    def version(self) -> int:
        """Number of completed publications (a publication in progress is not counted)."""
        return int(self._words[0]) // 2

    @property
    def signal(self) -> int:
        return int(self._words[1])

    @signal.setter
    def signal(self, value: int) -> None:
        self._words[1] = value

    def begin_write(self) -> int:
        """Mark a write as begun (the sequence number turns odd, so readers wait) and return the
        number before. ``publish`` begins with it; a writer killed right after it leaves the
        block in this state, and reads then give up after their timeout."""
        seq = int(self._words[0])
        self._words[0] = seq + 1
        return seq

    def unchecked_copies(self) -> list[np.ndarray]:
        """Copies of the arrays as they are now, without the sequence check of ``read``: torn
        if a write is in progress."""
        return [view.copy() for view in self._views]

    def publish(self, arrays: Sequence[np.ndarray]) -> int:
        """Copy ``arrays`` (the shapes given at creation) in as the next version; return it.
        Only one process may publish."""
        seq = self.begin_write()
        for view, a in zip(self._views, arrays):
            np.copyto(view, a, casting="same_kind")
        self._words[0] = seq + 2
        return seq // 2 + 1

    def read(self, since: int | None = None,
             timeout: float = 0.05) -> tuple[int, list[np.ndarray]] | None:
        """(version, copies of the arrays) of the latest publication.

        None when nothing was published yet, when the latest version is ``since``, or when no
        consistent copy could be made within ``timeout`` seconds (a writer stopped mid-write).
        """
        deadline = time.perf_counter() + timeout
        while True:
            seq = int(self._words[0])
            if seq == 0 or (since is not None and seq // 2 == since and seq % 2 == 0):
                return None
            if seq % 2 == 0:
                copies = self.unchecked_copies()
                if int(self._words[0]) == seq:
                    return seq // 2, copies
            if time.perf_counter() > deadline:
                return None

    def close(self) -> None:
        """Unmap the block (and unlink its name if this process created it). Idempotent."""
        if self._shm is None:
            return
        self._words, self._views = None, []  # no view may outlive the mapping
        shm, self._shm = self._shm, None
        shm.close()
        if self._owner:
            try:
                shm.unlink()
            except FileNotFoundError:
                pass


def _split(W: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Augmented matrices [w^l | b^l] → float64 (weights, biases), shapes as in network.py."""
    return ([w[:, :-1].astype(np.float64) for w in W],
            [w[:, -1].astype(np.float64) for w in W])
