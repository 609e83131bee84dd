"""A plain PyTorch MLP in and out of nnviz: safetensors files of Linear layers ↔ Network.

Import (``nnviz import``): every tensor must be the ``weight`` (shape (out, in)) or ``bias``
(shape (out,)) of a Linear layer, named ``<layer>.weight`` / ``<layer>.bias`` as a torch
``state_dict`` names them (``0.weight``, ``2.weight`` for an ``nn.Sequential``; ``fc1.weight``
for a module's attributes). The layers are taken in the order of their names, numbers compared
as numbers (``2`` before ``10``: a safetensors file stores tensors alphabetically, so its order
says nothing), or in the order given (``layers``). torch's w (out, in) is nnviz's w^l
(n_l, n_(l−1)) as it is. Each layer's input count must be the previous layer's output count. A
layer without a bias gets b^l = 0 (said in the notes). A safetensors file holds no activations:
they come from the caller, else from the file's metadata (``export`` writes them), else the
import is refused. The cost comes from the caller, else the metadata, else log-likelihood for a
softmax output and quadratic otherwise (said in the notes). An input normalisation
x' = (x − mean)/std the network was trained with is folded into layer 1: w¹ ← w¹/std,
b¹ ← b¹ − (mean/std) Σ_k w¹_jk, so the imported network reads raw inputs. The Network has
init None (its weights were not drawn by nnviz).

Export (``nnviz export --to safetensors``): w^l and b^l as ``{2(l−1)}.weight`` /
``{2(l−1)}.bias``, the names ``nn.Sequential(Linear, activation, Linear, activation, ...)``
gives its Linear layers, so ``model.load_state_dict`` of such a model takes them; float64 unless
asked for float32. The metadata holds ``format`` (nnviz-network), ``sizes``, ``activations``
and ``cost``, so importing the file again needs no options.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .activations import ACTIVATIONS
from .costs import COSTS
from .netfile import FORMAT, MAX_LAYERS, MAX_PARAMETERS
from .network import MAX_LAYER_SIZE, Network
from .safetensors import _show, read_safetensors, write_safetensors

#: Other spellings of nnviz's activation names (torch's module names, lower case).
ALIASES = {"identity": "linear", "none": "linear", "leakyrelu": "leaky-relu",
           "leaky_relu": "leaky-relu", "logistic": "sigmoid", "heaviside": "step"}


class InteropError(ValueError):
    """A file or option that does not make an nnviz network; the message says why (one line)."""


@dataclass
class Imported:
    """An imported network and what the import assumed or changed, one sentence per note."""

    net: Network
    layers: list[str]
    notes: list[str] = field(default_factory=list)


def _cut(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters: crafted names must not make huge messages."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def activation_names(text: str, count: int, what: str = "--activations") -> list[str]:
    """``count`` nnviz activation names from "relu,relu,softmax" (or one name for every layer);
    torch's names (ReLU, Identity, LeakyReLU) are taken too. InteropError otherwise."""
    names = [ALIASES.get(part.strip().lower(), part.strip().lower()) for part in text.split(",")]
    for name in names:
        if name not in ACTIVATIONS:
            raise InteropError(f"{what}: unknown activation {_show(name)} (nnviz knows "
                               f"{', '.join(ACTIVATIONS)})")
    if len(names) == 1:
        names *= count
    if len(names) != count:
        raise InteropError(f"{what}: {len(names)} activations for {count} layers; give one "
                           f"name, or {count} separated by commas")
    return names


def _natural(name: str) -> tuple:
    """Sort key: numbers in the name compared as numbers (fc2 before fc10, 2 before 10)."""
    parts = re.split(r"([0-9]+)", name)
    return tuple((1, int(p), "") if i % 2 else (0, 0, p) for i, p in enumerate(parts))


def _linear_layers(tensors: dict, order: list[str] | None) -> tuple[list[str], dict]:
    """(layer names in order, {layer: {"weight": w, "bias": b}}) of the tensors."""
    layers: dict[str, dict] = {}
    for name, value in tensors.items():
        prefix, dot, kind = name.rpartition(".")
        if kind not in ("weight", "bias"):
            raise InteropError(f"{_show(name)} is not the weight or bias of a Linear layer; "
                               "nnviz imports plain MLPs (Linear layers and activations)")
        if value.ndim != (2 if kind == "weight" else 1):
            raise InteropError(f"{_show(name)} has shape {value.shape}: a Linear layer's weight "
                               "has 2 dimensions (out, in) and its bias 1")
        layers.setdefault(prefix, {})[kind] = value
    if not layers:
        raise InteropError("holds no tensors")
    for prefix, parts in layers.items():
        if "weight" not in parts:
            raise InteropError(f"{_show(prefix + '.bias')} has no weight beside it")
    found = sorted(layers, key=_natural)
    if order is None:
        return found, layers
    if sorted(order) != sorted(found):
        raise InteropError(_cut(f"--layers {','.join(order)} does not name each of the file's "
                                 f"layers once (it has {', '.join(found)})", 300))
    return list(order), layers


def network_from_tensors(tensors: dict, metadata: dict | None = None, *,
                         activations: str | None = None, cost: str | None = None,
                         normalise: tuple[float, float] | None = None,
                         layers: list[str] | None = None) -> Imported:
    """The Network that the Linear layers in ``tensors`` (name → array) make, as the module
    docstring describes; ``activations`` "relu,softmax" style, ``normalise`` (mean, std).
    InteropError (one line, without the file name) on any problem."""
    metadata = metadata or {}
    order, parts = _linear_layers(tensors, layers)
    notes = [_cut(f"layers in the order {', '.join(order)}", 300)] if len(order) > 1 else []
    weights, biases = [], []
    for i, name in enumerate(order):
        w = np.array(parts[name]["weight"], dtype=np.float64)
        if i and w.shape[1] != weights[-1].shape[0]:
            raise InteropError(_cut(
                f"layer {name} takes {w.shape[1]} inputs but layer {order[i - 1]} before it "
                f"gives {weights[-1].shape[0]} outputs (layers taken in the order "
                f"{', '.join(order)}; give another with --layers)", 400))
        b = parts[name].get("bias")
        if b is None:
            b = np.zeros(w.shape[0])
            notes.append(_cut(f"layer {name or 1} has no bias: b^{i + 1} = 0", 200))
        elif b.shape != (w.shape[0],):
            raise InteropError(_cut(f"layer {name or 1}'s bias has shape {b.shape}, its weight "
                                     f"{w.shape}: expected ({w.shape[0]},)", 300))
        weights.append(w)
        biases.append(np.array(b, dtype=np.float64))
    sizes = [weights[0].shape[1]] + [w.shape[0] for w in weights]
    if len(sizes) > MAX_LAYERS or not all(1 <= n <= MAX_LAYER_SIZE for n in sizes):
        raise InteropError(f"layer sizes {'-'.join(map(str, sizes))}: nnviz takes up to "
                           f"{MAX_LAYERS} layers of 1 to {MAX_LAYER_SIZE} neurons")
    L = len(weights)
    if activations is not None:
        acts = activation_names(activations, L)
    elif "activations" in metadata:
        acts = activation_names(metadata["activations"], L, "the file's metadata")
        notes.append("activations from the file's metadata")
    else:
        raise InteropError(f"says nothing about the activations (a safetensors file holds only "
                           f"weights): give them with --activations, one name or {L} (e.g. "
                           f"{','.join(['relu'] * (L - 1) + ['softmax'])})")
    if cost is None:
        cost = metadata.get("cost")
        if cost in COSTS:
            notes.append("cost from the file's metadata")
        else:
            cost = "log-likelihood" if acts[-1] == "softmax" else "quadratic"
            notes.append(f"cost {cost}, for a {acts[-1]} output (give another with --cost)")
    if cost not in COSTS:
        raise InteropError(f"unknown cost {cost!r} (nnviz knows {', '.join(COSTS)})")
    if normalise is not None:
        mean, std = (float(v) for v in normalise)
        if not (math.isfinite(mean) and math.isfinite(std) and std > 0):
            raise InteropError(f"--normalise needs a finite mean and a std > 0, got {mean:g}, "
                               f"{std:g}")
        biases[0] = biases[0] - (mean / std) * weights[0].sum(axis=1)
        weights[0] = weights[0] / std
        notes.append(f"input normalisation (x − {mean:g})/{std:g} folded into layer 1")
    try:
        net = Network(sizes, acts, cost, init=None, parameters=(weights, biases))
    except ValueError as exc:  # the activation/cost rules
        raise InteropError(f"{exc} (give --activations and --cost that fit)") from None
    return Imported(net, order, notes)


def tensors_from_network(net: Network) -> tuple[dict, dict]:
    """({name: array}, metadata) as ``export`` writes them (see the module docstring)."""
    tensors = {}
    for l, (w, b) in enumerate(zip(net.weights, net.biases), start=1):
        tensors[f"{2 * (l - 1)}.weight"] = w
        tensors[f"{2 * (l - 1)}.bias"] = b
    metadata = {"format": FORMAT, "sizes": "-".join(map(str, net.sizes)),
                "activations": ",".join(net.activation_names), "cost": net.cost_name}
    return tensors, metadata


def import_safetensors(path, **options) -> Imported:
    """network_from_tensors of the safetensors file at ``path`` (``options`` as there); raises
    SafetensorsError or InteropError (message: the file, then the problem)."""
    tensors, metadata = read_safetensors(path, MAX_PARAMETERS)
    try:
        return network_from_tensors(tensors, metadata, **options)
    except InteropError as exc:
        raise InteropError(f"{path}: {exc}") from None


def export_safetensors(net: Network, path, dtype: str = "float64") -> None:
    """Write ``net`` to ``path`` as a safetensors file (``dtype`` float64 or float32)
    atomically; OSError if it cannot be written."""
    tensors, metadata = tensors_from_network(net)
    write_safetensors(path, tensors, metadata, dtype)
