"""``nnviz export``: a network file (.npz) as a safetensors file that a plain PyTorch
``nn.Sequential(Linear, activation, Linear, ...)`` loads; the mapping is
:mod:`nnviz.core.interop`'s."""

from __future__ import annotations

from pathlib import Path

from .common import UsageError


def add_parser(sub) -> None:
    """Add ``nnviz export`` to the sub-command parsers ``sub``."""
    ex = sub.add_parser(
        "export", help="write a network file (.npz) as safetensors for PyTorch",
        description="Write the weights and biases of a network file as a safetensors file "
        "with the keys nn.Sequential(Linear, activation, Linear, activation, ...) gives its "
        "Linear layers (0.weight, 0.bias, 2.weight, ...; w^l as (out, in)), and the "
        "activations and cost in its metadata, so that nnviz import reads it back without "
        "options. Exit code 0 if written, 2 (with one line on stderr) if not.",
    )
    ex.add_argument("path", metavar="PATH", help="the network file (.npz)")
    ex.add_argument("--to", choices=["safetensors"], default="safetensors",
                    help="the format (default safetensors, the only one)")
    ex.add_argument("-o", "--output", metavar="OUT",
                    help="the file to write (default: PATH with .safetensors)")
    ex.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                    help="the numbers' type (default float64, exact; float32 rounds them, as "
                    "torch's default dtype is)")


def run_export(args) -> int:
    from ..core.interop import export_safetensors
    from ..core.netfile import NetworkFileError, load_network

    source = Path(args.path)
    out = Path(args.output) if args.output else source.with_suffix(".safetensors")
    if out.resolve() == source.resolve():
        raise UsageError(f"the output {out} is the file being exported; give another with -o")
    try:
        net = load_network(source)
    except NetworkFileError as exc:
        raise UsageError(str(exc)) from None
    try:
        export_safetensors(net, out, dtype=args.dtype)
    except OSError as exc:
        raise UsageError(f"cannot write {out} ({exc.strerror or exc})") from None
    print(f"{source} → {out}: {'-'.join(map(str, net.sizes))} "
          f"({', '.join(net.activation_names)}), cost {net.cost_name}, {args.dtype}, keys "
          f"{', '.join(f'{2 * l}.weight' for l in range(net.L))} (and .bias)")
    return 0
