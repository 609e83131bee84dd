"""The network: weights w^l and biases b^l, the forward pass, and backpropagation (BP1–BP4).

Notation is the articles': layers l = 0..L (0 the input), n_l neurons in layer l,
z^l = w^l a^(l−1) + b^l, a^l = σ(z^l), E the cost, δ^l = ∂E/∂z^l.

Shapes: ``weights[l-1]`` is w^l, shape (n_l, n_(l−1)); row j is neuron j of layer l and column k
neuron k of layer l−1, so w^l_jk is ``weights[l-1][j, k]``. ``biases[l-1]`` is b^l, shape (n_l,).
A single sample is a vector (n_0,); a batch is a matrix (m, n_0) with one sample per row, and
every z^l, a^l, δ^l then has shape (m, n_l).

Everything here is float64, so that stepping and display show exact numbers; the trainer
(training.py) may run bulk training in float32 on its own copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .costs import Cost, get_cost

#: Weight initialisations: name → (description).
INITS = {
    "standard": "weights and biases ~ N(0, 1) (Nielsen's network.py)",
    "scaled": "weights ~ N(0, 1/n_in), biases ~ N(0, 1) (Nielsen's network2.py)",
    "he": "weights ~ N(0, 2/n_in), biases 0 (suits ReLU layers)",
}
#: How fresh weights are drawn for a network with init None (weights not drawn by nnviz, e.g.
#: imported from PyTorch): re-randomising a layer, added neurons and layers.
IMPORTED_DRAW = "scaled"

MAX_LAYER_SIZE = 4096


def check_structure(
    sizes: Sequence[int], activation: str | Sequence[str], cost: str | Cost
) -> tuple[list[int], list[Activation], Cost]:
    """Sizes, activations and cost of a network, checked without drawing any weights.

    ValueError (lower-case message) if they do not make a network.
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2:
        raise ValueError("a network needs at least an input and an output layer")
    for n in sizes:
        if not 1 <= n <= MAX_LAYER_SIZE:
            raise ValueError(f"layer sizes must be between 1 and {MAX_LAYER_SIZE}, got {n}")
    L = len(sizes) - 1
    names = [activation] * L if isinstance(activation, (str, Activation)) else list(activation)
    if len(names) != L:
        raise ValueError(f"need {L} activations (one per non-input layer), got {len(names)}")
    activations = [get_activation(n) for n in names]
    for l, act in enumerate(activations[:-1], start=1):
        if act.couples_layer:
            raise ValueError(f"{act.name} is only allowed on the output layer, not layer {l}")
    cost_function = get_cost(cost)
    cost_function.check_output(activations[-1])
    return sizes, activations, cost_function


def initial_layer(init: str, n_out: int, n_in: int, rng: np.random.Generator):
    """(w, b) of shapes (n_out, n_in) and (n_out,) drawn from ``rng`` as initialisation ``init``
    (see INITS; None: as IMPORTED_DRAW) draws one layer: w first, then b."""
    if init is None:
        init = IMPORTED_DRAW
    if init not in INITS:
        raise ValueError(f"unknown initialisation {init!r}; choose one of {', '.join(INITS)}")
    w = rng.standard_normal((n_out, n_in))
    b = rng.standard_normal(n_out)
    if init == "scaled":
        w /= np.sqrt(n_in)
    elif init == "he":
        w *= np.sqrt(2.0 / n_in)
        b[:] = 0.0
    return w, b


@dataclass
class Trace:
    """Everything the forward pass computed for one input.

    a : list of L+1 arrays, a[0] = x and a[l] = σ(z^l), shape (n_l,) or (m, n_l).
    z : list of L+1 arrays, z[0] is None and z[l] = w^l a^(l−1) + b^l.
    """

    z: list
    a: list

    @property
    def output(self) -> np.ndarray:
        """a^L."""
        return self.a[-1]


@dataclass
class Gradients:
    """What backpropagation computed for a trace and its targets.

    delta : list of L+1 arrays; delta[0] is None and delta[l] = δ^l = ∂E_x/∂z^l, each sample's
            own error (same shape as trace.z[l]).
    weights : list of L arrays; weights[l-1] = ∂E/∂w^l, shape (n_l, n_(l−1)), of the batch
              cost E = mean of the per-sample costs.
    biases : list of L arrays; biases[l-1] = ∂E/∂b^l, shape (n_l,).
    """

    delta: list
    weights: list
    biases: list


class Network:
    """A fully connected feed-forward network.

    sizes : [n_0, n_1, ..., n_L], the number of neurons in each layer (input first).
    activation : one name for every non-input layer, or a list of L names (layer 1 first).
                 Names: sigmoid, tanh, relu, leaky-relu, linear, step, softmax (output only).
    cost : quadratic, cross-entropy (sigmoid output) or log-likelihood (softmax output).
    seed : seed of the random initial weights (None: a fresh random seed).
    init : "standard", "scaled" or "he" (see INITS); None for weights nnviz did not draw (an
           imported network), whose fresh weights are drawn as IMPORTED_DRAW.
    parameters : (weights, biases) to start from instead of random ones (shapes checked).
    copy : False to keep the given ``parameters``' float64 C-contiguous arrays themselves
           instead of copies (a loaded file's own arrays: no second copy of a big network).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Sequence[str] = "sigmoid",
        cost: str = "quadratic",
        seed: int | None = None,
        init: str | None = "standard",
        parameters: tuple | None = None,
        copy: bool = True,
    ) -> None:
        self.sizes, self.activations, self.cost_function = check_structure(sizes, activation,
                                                                           cost)
        self.init = init
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        if parameters is not None:  # given (a loaded file): no random draw to throw away
            self.set_parameters(*parameters, copy=copy)
        else:
            self.initialise(init, seed)

    # -- structure ---------------------------------------------------------------------------
    @property
    def L(self) -> int:
        """Number of layers after the input (the index of the output layer)."""
        return len(self.sizes) - 1

    @property
    def activation_names(self) -> list[str]:
        return [a.name for a in self.activations]

    @property
    def cost_name(self) -> str:
        return self.cost_function.name

    @property
    def n_parameters(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def initialise(self, init: str | None = "standard", seed: int | None = None) -> None:
        """Draw new random weights and biases (see INITS; None: as IMPORTED_DRAW)."""
        if init is not None and init not in INITS:
            raise ValueError(f"unknown initialisation {init!r}; choose one of {', '.join(INITS)}")
        rng = np.random.default_rng(seed)
        self.init = init
        self.weights, self.biases = [], []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            w, b = initial_layer(init, n_out, n_in, rng)
            self.weights.append(w)
            self.biases.append(b)

    def set_parameters(self, weights: Sequence, biases: Sequence, copy: bool = True) -> None:
        """Replace all weights and biases with copies of the given arrays (float64).

        weights[l-1] must have shape (n_l, n_(l−1)) and biases[l-1] shape (n_l,); values must be
        finite. On any error nothing is changed. ``copy`` False: arrays that are already
        float64 and C-contiguous are kept as they are (the caller gives them away).
        """
        if len(weights) != self.L or len(biases) != self.L:
            raise ValueError(f"need {self.L} weight matrices and {self.L} bias vectors")
        new_w, new_b = [], []
        for l, (w, b) in enumerate(zip(weights, biases), start=1):
            if copy:
                w = np.array(w, dtype=np.float64)
                b = np.array(b, dtype=np.float64).reshape(-1)
            else:
                w = np.ascontiguousarray(w, dtype=np.float64)
                b = np.ascontiguousarray(b, dtype=np.float64).reshape(-1)
            shape = (self.sizes[l], self.sizes[l - 1])
            if w.shape != shape:
                raise ValueError(f"w^{l} must have shape {shape}, got {w.shape}")
            if b.shape != (self.sizes[l],):
                raise ValueError(f"b^{l} must have shape ({self.sizes[l]},), got {b.shape}")
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise ValueError(f"w^{l} and b^{l} must be finite numbers")
            new_w.append(w)
            new_b.append(b)
        self.weights, self.biases = new_w, new_b

    def copy(self) -> Network:
        """An independent copy (same structure, copied weights)."""
        other = Network.__new__(Network)
        other.sizes = list(self.sizes)
        other.activations = list(self.activations)
        other.cost_function = self.cost_function
        other.init = self.init
        other.weights = [w.copy() for w in self.weights]
        other.biases = [b.copy() for b in self.biases]
        return other

    # -- forward -----------------------------------------------------------------------------
    def forward(self, x) -> Trace:
        """Feed x forward. x: shape (n_0,) for one sample or (m, n_0) for a batch.

        For each layer: z^l = w^l a^(l−1) + b^l, a^l = σ(z^l).
        """
        x = np.asarray(x, dtype=np.float64)
        if x.shape[-1:] != (self.sizes[0],) or x.ndim > 2:
            raise ValueError(f"input must have shape ({self.sizes[0]},) or (m, {self.sizes[0]})"
                             f", got {x.shape}")
        zs, acts = [None], [x]
        a = x
        for w, b, act in zip(self.weights, self.biases, self.activations):
            z = a @ w.T + b  # row layout of z = w a + b, valid for (n,) and (m, n)
            a = act.fn(z)
            zs.append(z)
            acts.append(a)
        return Trace(zs, acts)

    def feedforward(self, x) -> np.ndarray:
        """a^L for x; shape (n_L,) or (m, n_L)."""
        return self.forward(x).output

    def predict(self, x) -> np.ndarray:
        """Index of the largest output: an int for one sample, shape (m,) for a batch."""
        return np.argmax(self.feedforward(x), axis=-1)

    # -- cost and backward -------------------------------------------------------------------
    def _targets(self, trace: Trace, y) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        if y.shape != trace.output.shape:
            raise ValueError(f"targets must have shape {trace.output.shape}, got {y.shape}")
        return y

    def cost(self, trace: Trace, y) -> float:
        """Cost of the trace's batch: mean over samples of the per-sample cost E_x(a^L, y)."""
        y = self._targets(trace, y)
        return float(np.mean(self.cost_function.fn(trace.output, y)))

    def backward(self, trace: Trace, y) -> Gradients:
        """Backpropagate the error of ``trace`` against targets y (same shape as a^L).

        BP1  δ^L = ∂E/∂z^L, supplied by the cost (e.g. (a^L − y) ⊙ σ'(z^L) for quadratic).
        BP2  δ^l = ((w^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l).
        BP3  ∂E/∂b^l_j = δ^l_j.
        BP4  ∂E/∂w^l_jk = a^(l−1)_k δ^l_j.
        BP3/BP4 are averaged over the batch (the batch cost is the mean of per-sample costs).
        """
        y = self._targets(trace, y)
        L = self.L
        delta = [None] * (L + 1)
        delta[L] = bp1_output_error(self.cost_function, self.activations[-1], trace, y)
        for l in range(L - 1, 0, -1):
            delta[l] = bp2_backpropagate(
                self.weights[l], delta[l + 1], self.activations[l - 1], trace.z[l], trace.a[l]
            )
        grad_w = [bp4_weight_gradient(trace.a[l - 1], delta[l]) for l in range(1, L + 1)]
        grad_b = [bp3_bias_gradient(delta[l]) for l in range(1, L + 1)]
        return Gradients(delta, grad_w, grad_b)

    def gradient_step(self, x, y, eta: float) -> tuple[list, list]:
        """The parameters after one gradient-descent step on (x, y) with learning rate η:
        w − η∂E/∂w, b − η∂E/∂b (new arrays; the network itself is not changed). x, y: one
        sample, shapes (n_0,) and (n_L,), or a batch (m, n_0) and (m, n_L)."""
        eta = float(eta)
        if not (np.isfinite(eta) and eta > 0):
            raise ValueError(f"η must be a positive number, got {eta:g}")
        grads = self.backward(self.forward(x), y)
        return ([w - eta * g for w, g in zip(self.weights, grads.weights)],
                [b - eta * g for b, g in zip(self.biases, grads.biases)])

    # -- evaluation --------------------------------------------------------------------------
    def misclassified(self, dataset, batch: int = 2000) -> tuple[np.ndarray, np.ndarray]:
        """(indices, answers) of the samples of a labelled Dataset whose largest output is not
        their label: both int arrays of shape (k,), indices ascending."""
        if not dataset.is_classification:
            raise ValueError(f"{dataset.name} has no class labels")
        answers = np.concatenate([self.predict(dataset.inputs(slice(i, i + batch)))
                                  for i in range(0, len(dataset), batch)]) \
            if len(dataset) else np.zeros(0, np.int64)
        wrong = np.flatnonzero(answers != dataset.y)
        return wrong, answers[wrong].astype(np.int64)

    def evaluate(self, dataset, batch: int = 2000) -> tuple[float, float | None]:
        """(mean cost, accuracy) on a Dataset; accuracy is None unless its targets are labels
        (largest output right) or binary 0/1 (output above 0.5 right)."""
        total, correct, n = 0.0, 0, len(dataset)
        if n == 0:
            raise ValueError(f"{dataset.name} is empty")
        binary = dataset.is_binary
        for start in range(0, n, batch):
            idx = slice(start, min(start + batch, n))
            trace = self.forward(dataset.inputs(idx))
            total += float(np.sum(self.cost_function.fn(trace.output, dataset.targets(idx))))
            if dataset.is_classification:
                correct += int(np.sum(np.argmax(trace.output, axis=1) == dataset.y[idx]))
            elif binary:
                correct += int(np.sum((trace.output[:, 0] > 0.5) == (dataset.y[idx, 0] == 1)))
        return total / n, (correct / n if dataset.has_accuracy else None)

    def __repr__(self) -> str:
        acts = ",".join(self.activation_names)
        return f"Network({self.sizes}, activation=[{acts}], cost={self.cost_name!r})"


# The four equations of backpropagation, one function each.

def bp1_output_error(cost: Cost, act: Activation, trace: Trace, y: np.ndarray) -> np.ndarray:
    """BP1: δ^L, shape of z^L."""
    return cost.delta(trace.z[-1], trace.a[-1], y, act)


def bp2_backpropagate(w_next, delta_next, act: Activation, z, a) -> np.ndarray:
    """BP2: δ^l = ((w^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l). w_next (n_(l+1), n_l); δ (n_(l+1),) or (m, ·)."""
    return act.backprop(z, a, delta_next @ w_next)


def input_gradient(w1, delta1) -> np.ndarray:
    """δ^0 = ∂E/∂x = (w^1)ᵀ δ^1: BP2 carried down to the input, without a σ'(z) factor, since
    the input layer passes x on unchanged (a^0 = x). w1 (n_1, n_0); δ^1 (n_1,) or (m, n_1);
    the result has the shape of x. Not part of training (no parameter needs it): it says which
    inputs (pixels) would change E most."""
    return delta1 @ w1


def bp3_bias_gradient(delta) -> np.ndarray:
    """BP3: ∂E/∂b^l = δ^l, averaged over the batch. Shape (n_l,)."""
    return delta if delta.ndim == 1 else delta.mean(axis=0)


def bp4_weight_gradient(a_prev, delta) -> np.ndarray:
    """BP4: ∂E/∂w^l_jk = a^(l−1)_k δ^l_j, averaged over the batch. Shape (n_l, n_(l−1))."""
    if delta.ndim == 1:
        return np.outer(delta, a_prev)
    return delta.T @ a_prev / len(delta)
