"""Reference trainers that nnviz's own trainer is measured against.

``PerSampleSGD`` is backpropagation one example at a time, as the articles (and Nielsen's
network.py) present it: column vectors, float64, the gradients of a mini-batch summed example by
example. ``torch_epoch`` is a plain hand-written PyTorch CPU loop (nn.Linear, autograd, SGD);
torch is optional and only ever used here.
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


def torch_epoch(dataset, sizes, batch_size, eta, seed=0) -> tuple[float, float]:
    """One epoch of a hand-written PyTorch loop (sigmoid layers, quadratic cost, plain SGD).

    Returns (training seconds, accuracy on the training data afterwards).
    """
    import torch

    torch.manual_seed(seed)
    x = torch.from_numpy(dataset.inputs(dtype=np.float32))
    y = torch.from_numpy(dataset.targets(dtype=np.float32))
    layers = []
    for k, n in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(k, n), torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=eta)
    order = torch.from_numpy(np.random.default_rng(seed).permutation(len(x)))
    tick = time.perf_counter()
    for k in range(0, len(x), batch_size):
        idx = order[k:k + batch_size]
        xb, yb = x[idx], y[idx]
        opt.zero_grad(set_to_none=True)
        a = model(xb)
        loss = 0.5 * ((a - yb) ** 2).sum(dim=1).mean()
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - tick
    with torch.no_grad():
        acc = float((model(x).argmax(dim=1).numpy() == dataset.y).mean())
    return seconds, acc
