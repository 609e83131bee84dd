"""Changes to a network's structure (neurons and layers added or removed, activations swapped), as
TensorFlow Playground lets you make while a network trains, keeping every weight and bias that
still has a place so that a partly trained network keeps what it has learnt.

Notation is the articles': layers l = 0..L (0 the input, L the output), n_l neurons in layer l,
w^l_jk the weight from neuron k of layer l−1 to neuron j of layer l (``weights[l-1][j, k]``), b^l_j
the bias of neuron j of layer l (``biases[l-1][j]``). Only hidden layers 1..L−1 change size or go
away: n_0 and n_L are fixed by the data. Neurons are numbered from 0.

Every function returns a new Network with the same cost and initialisation name; the network
passed in is never changed. Kept values are copied bit for bit (float64). "Fresh" values are drawn
as the network's initialisation draws them (see network.INITS), with n_in the number of inputs of
the neuron that receives the weight:

    standard   w ~ N(0, 1),        b ~ N(0, 1)
    scaled     w ~ N(0, 1/n_in),   b ~ N(0, 1)
    he         w ~ N(0, 2/n_in),   b = 0

from ``numpy.random.default_rng(seed)``, so the same seed gives the same network.

The rules:

* ``add_neuron(net, l)``: neuron j = n_l joins the end of hidden layer l. Its incoming weights
  w^l_jk and bias b^l_j are fresh; its outgoing weights w^(l+1)_ij are 0, so a^L, the cost and
  every other neuron are as before (see "The same output" below). Gradient descent then moves
  them: ∂E/∂w^(l+1)_ij = a^l_j δ^(l+1)_i (BP4) is in general not 0, and once they are not 0 the
  new neuron's δ^l_j, and so its incoming weights, start to move too. Everything else is kept.
* ``remove_neuron(net, l, j)``: row j of w^l, b^l_j and column j of w^(l+1) go; neurons after j
  move down one place. Everything else is kept. The output changes unless column j of w^(l+1) was
  0 (then it is the same). A layer keeps at least one neuron.
* ``set_layer_size(net, l, n)``: grows as ``add_neuron`` does (new neurons at the end, fresh in,
  0 out) or shrinks by removing the last neurons.
* ``add_layer(net, after)``: a new hidden layer l = after + 1 goes between layers ``after`` and
  ``after + 1``; the later layers are numbered one higher. Its w^l and b^l are fresh. The layer
  that follows it keeps its biases, and keeps its weights when their shape still fits, i.e. when
  the new layer has as many neurons as layer ``after``; otherwise its weights are fresh. Every
  other layer is kept. With ``identity=True`` the new layer is linear with w^l = I and b^l = 0, and
  the following layer keeps its weights, so the output is the same.
* ``remove_layer(net, l)``: hidden layer l (w^l, b^l) goes; layer l+1 then reads layer l−1. It
  keeps its biases, and keeps its weights when their shape still fits (n_l = n_(l−1)); otherwise
  its weights are fresh. With ``fold=True`` a linear layer is folded into the next one instead:
  w ← w^(l+1) w^l, b ← w^(l+1) b^l + b^(l+1), and the output is the same up to rounding (the
  products are rounded in another order).
* ``set_activation(net, name, layers)``: σ of the given layers changes; every weight and bias is
  kept. Softmax is only allowed on the output layer, and the cost's own rule on the output
  activation (cross-entropy needs sigmoid, log-likelihood softmax) still holds.

The same output: where a change only adds or removes terms that are 0 (a neuron with 0 outgoing
weights) the output is mathematically unchanged, and usually bit for bit; but the matrix product
may add up a longer or shorter row in another order, so the last bit of a^L can differ (≈1e−16).

Every mistake (a layer that is not hidden, a neuron that does not exist, the last neuron of a
layer, a size out of range, softmax on a hidden layer, an unknown name) is a ValueError whose
message says what is allowed.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable

import numpy as np

from .activations import ACTIVATIONS, Activation, get_activation
from .network import MAX_LAYER_SIZE, Network, initial_layer

#: Size of a new layer when no neighbouring hidden layer suggests one (see add_layer).
DEFAULT_LAYER_SIZE = 4
#: Activation of a new layer when the network has no hidden layer to copy it from.
DEFAULT_ACTIVATION = "tanh"


# -- checks ----------------------------------------------------------------------------------

def _whole(value, what: str) -> int:
    """``value`` as an int if it is a whole number (not a bool, not a float); else ValueError."""
    try:
        n = None if isinstance(value, bool) else operator.index(value)
    except TypeError:
        n = None
    if n is None:
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    return n


def _hidden_span(net: Network) -> str:
    return "hidden layer 1" if net.L == 2 else f"hidden layers 1…{net.L - 1}"


def _check_hidden(net: Network, layer, action: str) -> int:
    """``layer`` as an int if it is a hidden layer (1..L−1); ValueError saying which are, where
    ``action`` completes "only hidden layers 1…2 can ..."."""
    layer = _whole(layer, "the layer")
    L = net.L
    if L == 1:
        raise ValueError(f"this network has no hidden layers (layer 0 is the input and layer 1 "
                         f"the output), so no layer can {action}")
    only = f"only {_hidden_span(net)} can {action}"
    if layer == 0:
        raise ValueError(f"layer 0 is the input layer; {only}")
    if layer == L:
        raise ValueError(f"layer {L} is the output layer; {only}")
    if not 1 <= layer < L:
        raise ValueError(f"there is no layer {layer} (this network has layers 0…{L}); {only}")
    return layer


def _check_size(size, layer: int) -> int:
    size = _whole(size, "the number of neurons")
    if not 1 <= size <= MAX_LAYER_SIZE:
        raise ValueError(f"layer {layer} needs between 1 and {MAX_LAYER_SIZE} neurons, "
                         f"got {size}")
    return size


def _hidden_names() -> str:
    return ", ".join(n for n, cls in ACTIVATIONS.items() if not cls.couples_layer)


def _hidden_activation(name) -> Activation:
    act = get_activation(name)  # ValueError listing the known names
    if act.couples_layer:
        raise ValueError(f"{act.name} is only allowed on the output layer, not on a hidden "
                         f"layer; choose one of {_hidden_names()}")
    return act


# -- building blocks -------------------------------------------------------------------------

def _build(net: Network, sizes, activations, weights, biases) -> Network:
    """A new network with ``net``'s cost and initialisation name and the given structure and
    parameters (copied; Network checks every shape and the activation/cost rules)."""
    return Network(sizes, activations, net.cost_function, init=net.init,
                   parameters=(weights, biases))


# -- neurons ---------------------------------------------------------------------------------

def set_layer_size(net: Network, layer: int, size: int, seed: int | None = None) -> Network:
    """``net`` with hidden layer ``layer`` resized to ``size`` neurons (1..MAX_LAYER_SIZE).

    Growing appends neurons as add_neuron does: fresh incoming weights and biases (drawn with
    ``seed`` as the network's initialisation draws them), outgoing weights 0, so the output is
    the same. Shrinking removes the last neurons (their rows of w^l, entries of b^l and columns of
    w^(l+1)). All other weights and biases are kept.
    """
    layer = _check_hidden(net, layer, "be resized")
    size = _check_size(size, layer)
    n = net.sizes[layer]
    weights, biases = list(net.weights), list(net.biases)
    w_in, b_in, w_out = weights[layer - 1], biases[layer - 1], weights[layer]
    if size > n:
        extra_w, extra_b = initial_layer(net.init, size - n, net.sizes[layer - 1],
                                         np.random.default_rng(seed))
        w_in = np.vstack([w_in, extra_w])
        b_in = np.concatenate([b_in, extra_b])
        w_out = np.hstack([w_out, np.zeros((w_out.shape[0], size - n))])
    else:
        w_in, b_in, w_out = w_in[:size], b_in[:size], w_out[:, :size]
    weights[layer - 1], biases[layer - 1], weights[layer] = w_in, b_in, w_out
    sizes = list(net.sizes)
    sizes[layer] = size
    return _build(net, sizes, net.activations, weights, biases)


def add_neuron(net: Network, layer: int, seed: int | None = None) -> Network:
    """``net`` with one more neuron at the end of hidden layer ``layer``: fresh incoming weights
    w^l_jk and bias b^l_j (drawn with ``seed`` as the network's initialisation draws them:
    N(0, 1), N(0, 1/n_in) or N(0, 2/n_in) weights for "standard", "scaled", "he"), and outgoing
    weights w^(l+1)_ij = 0, so the network's output is as before (up to the order of summation
    in the matrix product, i.e. the last bit)."""
    layer = _check_hidden(net, layer, "get a new neuron")
    if net.sizes[layer] >= MAX_LAYER_SIZE:
        raise ValueError(f"layer {layer} already has the most neurons a layer can have "
                         f"({MAX_LAYER_SIZE})")
    return set_layer_size(net, layer, net.sizes[layer] + 1, seed)


def remove_neuron(net: Network, layer: int, j: int) -> Network:
    """``net`` without neuron ``j`` (from 0) of hidden layer ``layer``: row j of w^l, b^l_j and
    column j of w^(l+1) go, the neurons after it move down one place, everything else is kept.
    A layer's last neuron cannot be removed (remove the layer instead)."""
    layer = _check_hidden(net, layer, "lose a neuron")
    n = net.sizes[layer]
    j = _whole(j, "the neuron")
    if not 0 <= j < n:
        which = "its only neuron is 0" if n == 1 else f"its neurons are 0…{n - 1}"
        raise ValueError(f"layer {layer} has no neuron {j} ({which})")
    if n == 1:
        raise ValueError(f"neuron {j} is the only neuron of layer {layer}, and a layer needs at "
                         f"least one; remove the whole layer instead")
    weights = list(net.weights)
    biases = list(net.biases)
    weights[layer - 1] = np.delete(net.weights[layer - 1], j, axis=0)
    biases[layer - 1] = np.delete(net.biases[layer - 1], j)
    weights[layer] = np.delete(net.weights[layer], j, axis=1)
    sizes = list(net.sizes)
    sizes[layer] = n - 1
    return _build(net, sizes, net.activations, weights, biases)


# -- layers ----------------------------------------------------------------------------------

def add_layer(net: Network, after: int, size: int | None = None, seed: int | None = None, *,
              activation: str | None = None, identity: bool = False) -> Network:
    """``net`` with a new hidden layer l = after + 1 between layers ``after`` (0..L−1: the input
    or a hidden layer) and ``after + 1``; later layers are numbered one higher.

    size : neurons in the new layer. Default: n_after when layer ``after`` is hidden (or when
           ``identity``), else the size of the next hidden layer, else DEFAULT_LAYER_SIZE (4).
    activation : its σ. Default: that of layer ``after`` when it is hidden, else that of the next
                 hidden layer, else DEFAULT_ACTIVATION (tanh). Softmax is refused.
    identity : make it a linear layer with w^l = I and b^l = 0 (size must be n_after), so the
               output is the same.

    The new w^l, b^l are fresh (drawn with ``seed`` as the network's initialisation draws them).
    The following layer keeps its biases, and keeps its weights when the new layer has n_after
    neurons (their shape still fits); otherwise it gets fresh weights. Other layers are kept.
    """
    after = _whole(after, "the layer")
    L = net.L
    if not 0 <= after < L:
        where = (f"layer {L} is the output layer" if after == L
                 else f"there is no layer {after} (this network has layers 0…{L})")
        span = "0" if L == 1 else f"0…{L - 1}"
        raise ValueError(f"{where}; a new layer can only go after layer {span} (the input or a "
                         f"hidden layer)")
    n_after = net.sizes[after]
    hidden = [l for l in (after, after + 1) if 1 <= l < L]  # neighbours to copy from
    if size is None:
        if identity or after >= 1:
            size = n_after
        else:
            size = net.sizes[hidden[0]] if hidden else DEFAULT_LAYER_SIZE
    size = _check_size(size, after + 1)
    if activation is not None:
        act = _hidden_activation(activation)
    elif identity:
        act = get_activation("linear")
    else:
        act = (net.activations[hidden[0] - 1] if hidden
               else get_activation(DEFAULT_ACTIVATION))
    if identity:
        if act.name != "linear":
            raise ValueError(f"an identity layer keeps the output only with the linear "
                             f"activation, not {act.name}")
        if size != n_after:
            raise ValueError(f"an identity layer after layer {after} needs its {n_after} "
                             f"neurons, not {size}")
    rng = np.random.default_rng(seed)
    if identity:
        w_new, b_new = np.eye(size), np.zeros(size)
    else:
        w_new, b_new = initial_layer(net.init, size, n_after, rng)
    w_next = net.weights[after]  # w^(after+1), shape (n_(after+1), n_after)
    if size != n_after:
        w_next, _ = initial_layer(net.init, w_next.shape[0], size, rng)
    weights = net.weights[:after] + [w_new, w_next] + net.weights[after + 1:]
    biases = net.biases[:after] + [b_new] + net.biases[after:]
    sizes = net.sizes[:after + 1] + [size] + net.sizes[after + 1:]
    activations = net.activations[:after] + [act] + net.activations[after:]
    return _build(net, sizes, activations, weights, biases)


def remove_layer(net: Network, layer: int, seed: int | None = None, *,
                 fold: bool = False) -> Network:
    """``net`` without hidden layer ``layer`` (its w^l and b^l); layer l+1 then reads layer l−1
    and later layers are numbered one lower.

    Layer l+1 keeps its biases, and keeps its weights when their shape still fits (n_l equals
    n_(l−1)); otherwise it gets fresh weights (drawn with ``seed`` as the network's
    initialisation draws them). Other layers are kept. fold=True (linear layers only) instead
    folds the layer into the next: w ← w^(l+1) w^l, b ← w^(l+1) b^l + b^(l+1), which leaves the
    output the same up to rounding.
    """
    layer = _check_hidden(net, layer, "be removed")
    w_l, b_l = net.weights[layer - 1], net.biases[layer - 1]
    w_next, b_next = net.weights[layer], net.biases[layer]
    if fold:
        name = net.activations[layer - 1].name
        if name != "linear":
            raise ValueError(f"only a linear layer can be folded into the next one; layer "
                             f"{layer} is {name}")
        w_next, b_next = w_next @ w_l, w_next @ b_l + b_next
    elif w_next.shape[1] != net.sizes[layer - 1]:
        w_next, _ = initial_layer(net.init, w_next.shape[0], net.sizes[layer - 1],
                                  np.random.default_rng(seed))
    weights = net.weights[:layer - 1] + [w_next] + net.weights[layer + 1:]
    biases = net.biases[:layer - 1] + [b_next] + net.biases[layer + 1:]
    sizes = net.sizes[:layer] + net.sizes[layer + 1:]
    activations = net.activations[:layer - 1] + net.activations[layer:]
    return _build(net, sizes, activations, weights, biases)


# -- activations -----------------------------------------------------------------------------

def set_activation(net: Network, name: str, layers: Iterable[int] | None = None) -> Network:
    """``net`` with activation ``name`` on the given layers (None: every hidden layer; a network
    without hidden layers is then returned unchanged, as a copy). The output layer L may be named
    too, within its cost's rule. Every weight and bias is kept exactly."""
    act = get_activation(name)  # ValueError listing the known names
    L = net.L
    targets = range(1, L) if layers is None else [_whole(l, "the layer") for l in layers]
    activations = list(net.activations)
    for l in targets:
        if l == 0:
            raise ValueError("layer 0 is the input layer, which has no activation")
        if not 1 <= l <= L:
            raise ValueError(f"there is no layer {l} (this network has layers 0…{L})")
        if l < L and act.couples_layer:
            raise ValueError(f"{act.name} is only allowed on the output layer (layer {L}), not "
                             f"on hidden layer {l}; choose one of {_hidden_names()}")
        activations[l - 1] = act
    return _build(net, net.sizes, activations, net.weights, net.biases)
