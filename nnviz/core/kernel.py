"""The trainer's fast inner loop: mini-batch backpropagation with preallocated buffers.

Same maths as network.py (BP1–BP4), arranged for speed on small batches, where the cost of each
numpy call matters more than the arithmetic:

* Each layer's weights and bias live in one "augmented" matrix W^l = [w^l | b^l] of shape
  (n_l, n_(l−1) + 1), and every activation carries an extra 1, so one matmul computes
  z^l = w^l a^(l−1) + b^l and one matmul gives ∂E/∂w^l and ∂E/∂b^l together.
* Hidden layers use the articles' column layout: z^l, a^l, δ^l have shape (n_l, m), one column
  per sample, so a^l is a contiguous block above its row of ones. Inputs arrive as rows
  (m, n_0 + 1), the way data sets store them, and enter the products transposed (no copy).
* The output error is scaled by η/m before it is propagated back, so the products already are the
  weight changes (no separate scaling pass per layer).
* Every array is allocated once per batch size; the loop allocates almost nothing.
* Weights are double-buffered: the update writes W − ΔW into the spare buffer and swaps, so the
  previous weights are always at hand if a step diverges (NaN or infinite cost).
* With momentum, the velocity of a weight whose gradient stays zero (MNIST's border pixels)
  decays geometrically, v ← μv, and would spend hundreds of steps among the dtype's subnormal
  numbers, whose arithmetic some CPUs run many times slower. Every FLUSH_EVERY steps velocities
  so small that μ^FLUSH_EVERY times them would be subnormal are set to zero: each is then below
  10⁻³⁴ (float32, μ 0.9; 10⁻³¹ for any μ), far under half an ulp of any weight it is added to,
  so the weights stay the textbook update's (a test checks) and no velocity decays into the
  subnormal range. (On CPUs without that penalty the flush costs under 1% of a step.)

The dtype is float32 for bulk training by default (half the memory traffic of float64); the
float64 kernel gives the same numbers as Network.backward to rounding error (a test checks).
"""

from __future__ import annotations

import math

import numpy as np

from .costs import LogLikelihood, Quadratic
from .network import Network


class _Buffers:
    """Per-batch-size work arrays in column layout. Index l−1 holds layer l (l = 1..L)."""

    def __init__(self, sizes: list[int], m: int, dtype) -> None:
        L = len(sizes) - 1
        self.z = [np.empty((n, m), dtype) for n in sizes[1:]]
        # Hidden activations carry a row of ones for the bias; the output does not need one.
        self.a = []
        for l, n in enumerate(sizes[1:], start=1):
            buf = np.empty((n + 1, m) if l < L else (n, m), dtype)
            buf[n:] = 1
            self.a.append(buf)
        self.a_out = [buf[: sizes[l + 1]] for l, buf in enumerate(self.a)]
        self.delta = [np.empty((n, m), dtype) for n in sizes[1:]]
        self.cols = np.arange(m)


#: Steps between two flushes of tiny velocities (see the module's docstring).
FLUSH_EVERY = 64


class Kernel:
    """Float32 or float64 copy of a network's parameters, trained in place.

    Construct from a Network; ``step`` does one mini-batch of SGD; ``write_to`` copies the
    parameters back into a Network (as float64).
    """

    def __init__(self, net: Network, dtype=np.float32) -> None:
        self.dtype = np.dtype(dtype)
        self.sizes = list(net.sizes)
        self.acts = list(net.activations)
        self.cost = net.cost_function
        self.W = [np.concatenate([w, b[:, None]], axis=1).astype(self.dtype)
                  for w, b in zip(net.weights, net.biases)]
        self.W_spare = [w.copy() for w in self.W]
        self.G = [np.empty_like(w) for w in self.W]
        self.V: list[np.ndarray] | None = None
        self._bufs: dict[int, _Buffers] = {}
        self._quadratic = isinstance(self.cost, Quadratic)
        self._loglik = isinstance(self.cost, LogLikelihood)
        self._tiny = np.finfo(self.dtype).tiny
        self._steps = 0  # momentum steps since the last flush of tiny velocities

    @property
    def L(self) -> int:
        return len(self.sizes) - 1

    def buffers(self, m: int) -> _Buffers:
        buf = self._bufs.get(m)
        if buf is None:
            buf = self._bufs[m] = _Buffers(self.sizes, m, self.dtype)
        return buf

    # -- parameters -------------------------------------------------------------------------
    def weights(self) -> list[np.ndarray]:
        """Float64 copies of w^l, shape (n_l, n_(l−1))."""
        return [w[:, :-1].astype(np.float64) for w in self.W]

    def biases(self) -> list[np.ndarray]:
        """Float64 copies of b^l, shape (n_l,)."""
        return [w[:, -1].astype(np.float64) for w in self.W]

    def write_to(self, net: Network) -> None:
        net.set_parameters(self.weights(), self.biases())

    def get_state(self) -> list[np.ndarray]:
        return [w.copy() for w in self.W]

    def set_state(self, state: list[np.ndarray]) -> None:
        for w, s in zip(self.W, state):
            w[...] = s

    def all_finite(self) -> bool:
        return all(np.isfinite(w).all() for w in self.W)

    def restore_previous(self) -> None:
        """Go back to the weights before the last ``step`` update (after a divergence)."""
        self.W, self.W_spare = self.W_spare, self.W

    # -- forward ----------------------------------------------------------------------------
    def forward(self, x1: np.ndarray) -> np.ndarray:
        """a^L, shape (n_L, m), for inputs x1 of shape (m, n_0 + 1) whose last column is ones.

        Returns a view of a work buffer, valid until the next call with the same m.
        """
        bufs = self.buffers(len(x1))
        np.matmul(self.W[0], x1.T, out=bufs.z[0])
        self.acts[0].fn_(bufs.z[0], bufs.a_out[0])
        for l in range(1, self.L):
            np.matmul(self.W[l], bufs.a[l - 1], out=bufs.z[l])
            self.acts[l].fn_(bufs.z[l], bufs.a_out[l])
        return bufs.a[-1]

    def batch_cost(self, aL: np.ndarray, yT: np.ndarray | None, labels) -> float:
        """Sum over the batch of the per-sample costs. aL, yT: (n_L, m); labels: (m,) or None."""
        if self._loglik and labels is not None:
            p = aL[labels, self.buffers(aL.shape[1]).cols]
            return -float(np.log(np.maximum(p, self._tiny)).sum())
        return float(np.sum(self.cost.fn(aL.T, yT.T)))

    # -- one step of mini-batch SGD ---------------------------------------------------------
    def step(self, x1, y, labels, eta: float, momentum: float = 0.0, decay: float = 1.0,
             shrink: float = 0.0) -> float:
        """One mini-batch update; returns the batch's summed cost (computed before the update).

        x1 : (m, n_0 + 1) inputs, last column ones; y : (m, n_L) targets; labels : (m,) class
        indices or None. Update: w ← decay·w − shrink·sign(w) − (η/m) ∂E_sum/∂w (biases are
        neither decayed nor shrunk: ``decay`` is L2's 1 − ηλ/n, ``shrink`` L1's ηλ/n), with
        momentum v ← μv − (η/m)∇, w ← decay·w − shrink·sign(w) + v. When the cost is not finite
        nothing is updated.
        """
        # Overflow on the way to a NaN cost is detected below and reported by the trainer.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._step(x1, y, labels, eta, momentum, decay, shrink)

    def _step(self, x1, y, labels, eta, momentum, decay, shrink=0.0) -> float:
        m = len(x1)
        bufs = self.buffers(m)
        L = self.L
        aL = self.forward(x1)
        d = bufs.delta[L - 1]
        np.subtract(aL, y.T, out=d)
        if self._quadratic:
            cost = 0.5 * float(np.vdot(d, d))
        else:
            cost = self.batch_cost(aL, y.T, labels)
        if not math.isfinite(cost):
            return cost
        if self._quadratic:  # BP1 for the quadratic cost: (a − y) ⊙ σ'(z)
            self.acts[-1].backprop_(bufs.z[L - 1], aL, d)
        # (cross-entropy/sigmoid and log-likelihood/softmax: δ^L = a − y, already in d)
        d *= eta / m
        W, Wn, G = self.W, self.W_spare, self.G
        for l in range(L - 1, -1, -1):
            a_prev_T = x1 if l == 0 else bufs.a[l - 1].T
            np.matmul(bufs.delta[l], a_prev_T, out=G[l])  # BP3 + BP4, times η/m
            if l > 0:  # BP2, with the weights from before this step's update
                np.matmul(W[l][:, :-1].T, bufs.delta[l], out=bufs.delta[l - 1])
                self.acts[l - 1].backprop_(bufs.z[l - 1], bufs.a_out[l - 1], bufs.delta[l - 1])
            base = W[l]
            if decay != 1.0 or shrink:
                np.multiply(W[l][:, :-1], decay, out=Wn[l][:, :-1])
                if shrink:  # L1: every weight moves ηλ/n towards 0
                    Wn[l][:, :-1] -= shrink * np.sign(W[l][:, :-1])
                Wn[l][:, -1] = W[l][:, -1]
                base = Wn[l]
            if momentum:
                if self.V is None:
                    self.V = [np.zeros_like(w) for w in W]
                v = self.V[l]
                v *= momentum
                v -= G[l]
                np.add(base, v, out=Wn[l])
            else:
                np.subtract(base, G[l], out=Wn[l])
        self.W, self.W_spare = Wn, W
        if momentum:
            self._steps += 1
            if self._steps >= FLUSH_EVERY:
                self.flush_velocities(momentum)
        return cost

    def flush_velocities(self, momentum: float) -> None:
        """Set to zero every velocity that FLUSH_EVERY more steps of pure decay (×μ each) would
        make subnormal, so none ever becomes one (they are slow on some CPUs)."""
        self._steps = 0
        if self.V is None:
            return
        # Capped for small μ (whose velocities reach zero within a few steps anyway) so the
        # limit stays below 10⁻³¹ in float32 (tiny / eps).
        eps = float(np.finfo(self.dtype).eps)
        limit = float(self._tiny) / max(momentum ** FLUSH_EVERY, eps)
        for v in self.V:
            v[np.abs(v) < limit] = 0

    # -- evaluation -------------------------------------------------------------------------
    def evaluate(self, dataset, chunk: int = 1000) -> tuple[float, float | None]:
        """(mean cost, accuracy or None) of the current weights on a Dataset."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._evaluate(dataset, chunk)

    def _evaluate(self, dataset, chunk):
        n = len(dataset)
        if n == 0:
            raise ValueError(f"{dataset.name} is empty")
        n0 = self.sizes[0]
        x1 = np.ones((min(chunk, n), n0 + 1), self.dtype)
        total, correct = 0.0, 0
        binary = dataset.is_binary
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            xb = x1[: stop - start]
            np.multiply(dataset.x[start:stop], dataset.x_scale, out=xb[:, :n0],
                        dtype=self.dtype, casting="unsafe")
            aL = self.forward(xb)
            if dataset.is_classification:
                labels = dataset.y[start:stop]
                yT = None if self._loglik else dataset.targets(slice(start, stop), self.dtype).T
                total += self.batch_cost(aL, yT, labels)
                correct += int(np.count_nonzero(np.argmax(aL, axis=0) == labels))
            else:
                total += self.batch_cost(aL, dataset.y[start:stop].astype(self.dtype).T, None)
                if binary:
                    correct += int(np.count_nonzero((aL[0] > 0.5) == (dataset.y[start:stop, 0]
                                                                      == 1)))
        return total / n, (correct / n if dataset.has_accuracy else None)
