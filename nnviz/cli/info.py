"""``nnviz info``: check a saved network file (.npz) the way the app loads it and describe it."""

from __future__ import annotations

import json

from .common import UsageError


def add_parser(sub) -> None:
    """Add ``nnviz info`` to the sub-command parsers ``sub``."""
    info = sub.add_parser(
        "info", help="describe a saved network file (.npz) and check that it loads",
        description="Check a network file saved by nnviz (e.g. by nnviz train --save) the way "
        "the app loads it, and print its layers, activations, cost, initialisation, number "
        "of parameters and provenance (how it was trained: settings, data, seed, epochs, final "
        "accuracies, nnviz version, date; or that it has none). Exit code 0 if it loads, 2 "
        "(with one line on stderr) if not.",
    )
    info.add_argument("path", metavar="PATH", help="the network file (.npz)")
    info.add_argument("--json", action="store_true",
                      help="print one JSON object (path, format, version, sizes, activations, "
                      "cost, init, n_parameters, provenance, edited_after_training) instead")


def run_info(args) -> int:
    from ..core import provenance
    from ..core.netfile import NetworkFileError, load_network, network_info

    try:
        info = network_info(args.path)
    except NetworkFileError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(info))
        return 0
    print(f"{info['path']}: nnviz network, format version {info['version']}")
    print(f"layers: {'-'.join(map(str, info['sizes']))} ({', '.join(info['activations'])}), "
          f"cost {info['cost']}, init {info['init'] or 'none (imported weights)'}")
    print(f"parameters: {info['n_parameters']:,}")
    net = load_network(args.path) if info["provenance"] is not None else None
    for line in provenance.describe(info["provenance"], net, info.get("provenance_problem", "")):
        print(line)
    return 0
