"""``nnviz import``: a plain PyTorch MLP saved as safetensors (Linear layers' weights and
biases) becomes an nnviz network file (.npz); the mapping is :mod:`nnviz.core.interop`'s."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from .common import UsageError


def _mean_std(text: str) -> tuple[float, float]:
    parts = text.split(",")
    try:
        mean, std = (float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected MEAN,STD (two numbers), got {text!r}") \
            from None
    if not (math.isfinite(mean) and math.isfinite(std) and std > 0):
        raise argparse.ArgumentTypeError(f"expected a finite mean and a std > 0, got {text!r}")
    return mean, std


def add_parser(sub) -> None:
    """Add ``nnviz import`` to the sub-command parsers ``sub``."""
    from ..core.costs import COSTS

    im = sub.add_parser(
        "import", help="turn a PyTorch MLP saved as safetensors into a network file (.npz)",
        description="Read the Linear layers of a plain PyTorch MLP from a safetensors file "
        "(keys such as 0.weight, 0.bias, 2.weight or fc1.weight, fc1.bias, ...; weight shape "
        "(out, in) is nnviz's w^l) and save them as an nnviz network file. Layers are taken in "
        "the order of their names (numbers compared as numbers). A missing bias becomes 0. "
        "The file must hold nothing else (no BatchNorm, no convolutions). Exit code 0 if "
        "imported, 2 (with one line on stderr) if not.",
    )
    im.add_argument("path", metavar="PATH", help="the safetensors file")
    im.add_argument("-o", "--output", metavar="OUT",
                    help="the network file to write (default: PATH with .npz)")
    im.add_argument("--activations", metavar="A1,A2,...",
                    help="the activation after each Linear layer, or one for all (sigmoid, "
                    "tanh, relu, leaky-relu, linear, step, softmax; torch's Identity, ReLU, "
                    "LeakyReLU are understood). Needed unless the file's metadata names them "
                    "(nnviz export writes them). A net trained on logits with "
                    "nn.CrossEntropyLoss: end with softmax")
    im.add_argument("--cost", choices=list(COSTS),
                    help="the cost (default: the file's metadata, else log-likelihood for a "
                    "softmax output and quadratic otherwise)")
    im.add_argument("--normalise", type=_mean_std, metavar="MEAN,STD",
                    help="the input normalisation x' = (x - MEAN)/STD the network was trained "
                    "with, folded into layer 1 so that the imported network reads raw inputs "
                    "(e.g. 0.1307,0.3081 for torchvision's MNIST recipe, inputs in [0, 1])")
    im.add_argument("--layers", metavar="NAME1,NAME2,...",
                    help="the layers' names (the key before .weight) in order, when their "
                    "names do not sort into it")


def run_import(args) -> int:
    from ..core.interop import InteropError, import_safetensors
    from ..core.netfile import save_network
    from ..core.safetensors import SafetensorsError

    source = Path(args.path)
    out = Path(args.output) if args.output else source.with_suffix(".npz")
    if out.resolve() == source.resolve():
        raise UsageError(f"the output {out} is the file being imported; give another with -o")
    layers = [p.strip() for p in args.layers.split(",")] if args.layers else None
    try:
        imported = import_safetensors(source, activations=args.activations, cost=args.cost,
                                      normalise=args.normalise, layers=layers)
    except (SafetensorsError, InteropError) as exc:
        raise UsageError(str(exc)) from None
    net = imported.net
    try:
        save_network(net, out)
    except OSError as exc:
        raise UsageError(f"cannot write {out} ({exc.strerror or exc})") from None
    print(f"{source} → {out}: {'-'.join(map(str, net.sizes))} "
          f"({', '.join(net.activation_names)}), cost {net.cost_name}, "
          f"{net.n_parameters:,} parameters")
    for note in imported.notes:
        print(f"  {note}")
    return 0
