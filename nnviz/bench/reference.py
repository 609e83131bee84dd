"""Reference trainers that nnviz's own trainer is measured against.

``PerSampleSGD`` is backpropagation one example at a time, as the articles (and Nielsen's
network.py) present it: column vectors, float64, the gradients of a mini-batch summed example by
example. ``torch_epoch`` is the fastest honest hand-written PyTorch CPU loop (backprop by hand on
preallocated tensors, in-place updates); torch is optional and only ever used here.
"""

from __future__ import annotations

import time

import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class PerSampleSGD:
    """Sigmoid network with the quadratic cost, trained by per-example backprop (float64)."""

    def __init__(self, sizes, seed=0):
        rng = np.random.default_rng(seed)
        self.sizes = sizes
        self.biases = [rng.standard_normal((n, 1)) for n in sizes[1:]]
        self.weights = [rng.standard_normal((n, k)) for k, n in zip(sizes[:-1], sizes[1:])]

    def backprop(self, x, y):
        """∂E/∂b and ∂E/∂w for one example x (n_0, 1) with target y (n_L, 1)."""
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation, activations, zs = x, [x], []
        for b, w in zip(self.biases, self.weights):
            z = w @ activation + b
            zs.append(z)
            activation = _sigmoid(z)
            activations.append(activation)
        s = activations[-1]
        delta = (s - y) * s * (1 - s)
        nabla_b[-1], nabla_w[-1] = delta, delta @ activations[-2].T
        for l in range(2, len(self.sizes)):
            s = activations[-l]
            delta = (self.weights[-l + 1].T @ delta) * s * (1 - s)
            nabla_b[-l], nabla_w[-l] = delta, delta @ activations[-l - 1].T
        return nabla_b, nabla_w

    def update_mini_batch(self, batch, eta):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in batch:
            db, dw = self.backprop(x, y)
            nabla_b = [nb + d for nb, d in zip(nabla_b, db)]
            nabla_w = [nw + d for nw, d in zip(nabla_w, dw)]
        self.weights = [w - (eta / len(batch)) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / len(batch)) * nb for b, nb in zip(self.biases, nabla_b)]

    def epoch(self, dataset, batch_size, eta, seed=0) -> float:
        """One epoch over a Dataset; returns its training seconds (data preparation excluded)."""
        x = dataset.inputs()[:, :, None]
        y = dataset.targets()[:, :, None]
        data = list(zip(x, y))
        order = np.random.default_rng(seed).permutation(len(data))
        data = [data[i] for i in order]
        tick = time.perf_counter()
        for k in range(0, len(data), batch_size):
            self.update_mini_batch(data[k:k + batch_size], eta)
        return time.perf_counter() - tick

    def accuracy(self, dataset) -> float:
        a = dataset.inputs().T
        for b, w in zip(self.biases, self.weights):
            a = _sigmoid(w @ a + b)
        return float(np.mean(np.argmax(a, axis=0) == dataset.y))


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except Exception:
        return False
    return True


def torch_epoch(dataset, weights, biases, batch_size, eta, momentum=0.0, seed=0,
                threads=None, dtype="float32") -> tuple[float, list, list]:
    """One epoch of the fastest honest PyTorch CPU loop we could write for a sigmoid network
    with the quadratic cost: backpropagation by hand (BP1–BP4, no autograd) on preallocated
    tensors, every product written into its buffer (``out=``), in-place updates under
    ``torch.no_grad()``, σ'(z) as a − a·a in one fused op, η/m applied in the update itself
    (``add_(g, alpha=−η/m)``), momentum v ← μv − (η/m)g, w ← w + v.

    Starts from ``weights``/``biases`` (numpy, w^l of shape (n_l, n_(l−1))), visits the samples
    in the order nnviz's trainer visits them in its first epoch (``default_rng(seed)``), with
    ``threads`` intra-op threads (None: torch's default). Returns (training seconds, weights,
    biases) with the trained parameters as float64 numpy arrays.
    """
    import torch

    if threads is not None:
        torch.set_num_threads(threads)
    tdtype = {"float32": torch.float32, "float64": torch.float64}[dtype]
    x = torch.from_numpy(dataset.inputs(dtype=np.dtype(dtype)))
    y = torch.from_numpy(dataset.targets(dtype=np.dtype(dtype)))
    n = len(x)
    order = torch.from_numpy(np.random.default_rng(seed).permutation(n))
    ws = [torch.tensor(w, dtype=tdtype) for w in weights]
    bs = [torch.tensor(b, dtype=tdtype) for b in biases]
    vws = [torch.zeros_like(w) for w in ws]
    vbs = [torch.zeros_like(b) for b in bs]
    gws = [torch.empty_like(w) for w in ws]
    gbs = [torch.empty_like(b) for b in bs]
    sizes = [x.shape[1]] + [w.shape[0] for w in ws]

    def buffers(m):
        return ([torch.empty((m, k), dtype=tdtype) for k in sizes[1:]],  # a^l
                [torch.empty((m, k), dtype=tdtype) for k in sizes[1:]],  # δ^l
                [torch.empty((m, k), dtype=tdtype) for k in sizes[1:]])  # σ'(z^l) = a(1 − a)

    L = len(ws)

    def step(xb, yb, a, d, sp, m):
        prev = xb
        for l in range(L):  # z^l = a^(l−1) wᵀ + b, a^l = σ(z^l)
            torch.addmm(bs[l], prev, ws[l].t(), out=a[l])
            a[l].sigmoid_()
            prev = a[l]
        for l in range(L):  # σ'(z) = a(1 − a) = a − a·a
            torch.addcmul(a[l], a[l], a[l], value=-1, out=sp[l])
        torch.sub(a[-1], yb, out=d[-1])  # BP1
        d[-1].mul_(sp[-1])
        rate = eta / m
        for l in range(L - 1, -1, -1):
            below = a[l - 1] if l > 0 else xb
            torch.mm(d[l].t(), below, out=gws[l])  # BP4
            torch.sum(d[l], 0, out=gbs[l])  # BP3
            if l > 0:  # BP2
                torch.mm(d[l], ws[l], out=d[l - 1])
                d[l - 1].mul_(sp[l - 1])
            for p, g, v in ((ws[l], gws[l], vws[l]), (bs[l], gbs[l], vbs[l])):
                if momentum:
                    v.mul_(momentum).add_(g, alpha=-rate)
                    p.add_(v)
                else:
                    p.add_(g, alpha=-rate)

    full = buffers(batch_size)
    # As nnviz's trainer does: a chunk of about 2,000 shuffled samples gathered at once, so a
    # mini-batch is a view of it.
    chunk = min(max(batch_size, (2048 // batch_size) * batch_size), n)
    xc = torch.empty((chunk, sizes[0]), dtype=tdtype)
    yc = torch.empty((chunk, sizes[-1]), dtype=tdtype)
    tails: dict = {}
    with torch.no_grad():
        tick = time.perf_counter()
        for c0 in range(0, n, chunk):
            idx = order[c0:c0 + chunk]
            k = len(idx)
            torch.index_select(x, 0, idx, out=xc[:k])
            torch.index_select(y, 0, idx, out=yc[:k])
            for b0 in range(0, k, batch_size):
                m = min(batch_size, k - b0)
                bufs = full if m == batch_size else tails.setdefault(m, buffers(m))
                step(xc[b0:b0 + m], yc[b0:b0 + m], *bufs, m)
        seconds = time.perf_counter() - tick
    return (seconds, [w.numpy().astype(np.float64) for w in ws],
            [b.numpy().astype(np.float64) for b in bs])
