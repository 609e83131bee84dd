"""``nnviz`` and ``nnviz gui``: start the app (the default command).

Qt is imported only inside :func:`run_gui`, when the window starts, so importing this module
(and ``nnviz.cli``) never imports Qt.
"""

from __future__ import annotations

import argparse

from .common import UsageError


def add_parser(sub) -> None:
    """Add ``nnviz gui`` to the sub-command parsers ``sub``."""
    add_gui_options(sub.add_parser("gui", help="start the app (the default)"))


def _selection(text: str) -> tuple:
    parts = text.split(":")
    kinds = {"neuron": 3, "bias": 3, "edge": 4}
    if not parts or parts[0] not in kinds or len(parts) != kinds[parts[0]]:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not KIND:L:J[:K] (neuron:L:J, bias:L:J or edge:L:J:K)")
    try:
        numbers = [int(v) for v in parts[1:]]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: layer and indices must be whole numbers") from None
    if min(numbers) < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: layer and indices must be ≥ 0")
    return (parts[0], *numbers)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1600x900, got "
                                         f"{text!r}") from None
    if not (200 <= w <= 8000 and 150 <= h <= 8000):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is out of range (200x150 to 8000x8000)")
    return w, h


def add_gui_options(p: argparse.ArgumentParser) -> None:
    """Add the app's options to ``p`` (both ``nnviz`` itself and ``nnviz gui`` take them)."""
    p.add_argument("--preset", metavar="NAME", help="open this preset network "
                   "(see --list-presets)")
    p.add_argument("--screenshot", metavar="PATH",
                   help="render the window offscreen to a PNG and exit")
    p.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 1600x900")
    p.add_argument("--list-presets", action="store_true", help="print the preset names")
    p.add_argument("--open", metavar="PATH", dest="open_path",
                   help="start with this saved network (.npz)")
    p.add_argument("--presentation", action="store_true",
                   help="start in presentation mode (F5 in the app; Esc leaves)")
    p.add_argument("--theme", choices=("light", "dark", "system"),
                   help="colour theme for this run (default: the saved choice, else the "
                   "system's)")
    p.add_argument("--stage", type=int, metavar="N", help="start stepping at stage N (0 = the "
                   "input; a number past the end is the last stage, the update)")
    p.add_argument("--select", type=_selection, metavar="KIND:L:J[:K]",
                   help="select a neuron, bias or edge, e.g. neuron:1:0, bias:2:0, edge:2:0:1")
    p.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)


def run_gui(args) -> int:
    from ..core.presets import PRESETS

    if args.list_presets:
        for key, preset in PRESETS.items():
            print(f"{key:<18} {preset.title}")
        return 0
    if args.preset is not None and args.preset not in PRESETS:
        raise UsageError(f"unknown preset {args.preset!r}; choose from {', '.join(PRESETS)}")
    if args.stage is not None and args.stage < 0:
        raise UsageError(f"--stage must be 0 or more, got {args.stage}")
    if args.open_path is not None:
        from ..core.netfile import NetworkFileError, load_network

        try:
            load_network(args.open_path)  # checked before any window appears
        except NetworkFileError as exc:
            raise UsageError(str(exc)) from None
    from ..app import main as app_main

    try:
        return app_main(screenshot=args.screenshot, preset=args.preset, size=args.size,
                        startup_probe=args.startup_probe, stage=args.stage, select=args.select,
                        open_path=args.open_path, presentation=args.presentation,
                        theme=args.theme)
    except ValueError as exc:  # e.g. a selection that is not in the network
        raise UsageError(str(exc)) from None
