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


#: The app's options: flag → dest (on ``nnviz`` itself the dest has TOP_LEVEL in front).
GUI_OPTIONS = {
    "--preset": "preset", "--screenshot": "screenshot", "--size": "size",
    "--list-presets": "list_presets", "--open": "open_path", "--presentation": "presentation",
    "--theme": "theme", "--stage": "stage", "--select": "select",
    "--startup-probe": "startup_probe", "--export-graph": "export_graph",
    "--export-walk": "export_walk", "--slide-size": "slide_size",
    "--no-equation": "no_equation",
}
#: The prefix of the dests of the app's options given before any command (``nnviz --open F``).
TOP_LEVEL = "top_"


def add_gui_options(p: argparse.ArgumentParser, top: bool = False) -> None:
    """Add the app's options to ``p`` (both ``nnviz`` itself and ``nnviz gui`` take them).

    top: ``p`` is the ``nnviz`` parser itself, whose options land in ``top_…`` dests so that a
    command's own options of the same name cannot overwrite them (see :func:`resolve_top_level`).
    """
    d = {flag: (TOP_LEVEL if top else "") + dest for flag, dest in GUI_OPTIONS.items()}
    p.add_argument("--preset", metavar="NAME", dest=d["--preset"],
                   help="open this preset network (see --list-presets)")
    p.add_argument("--screenshot", metavar="PATH", dest=d["--screenshot"],
                   help="render the window offscreen to PATH and exit: .png or .jpg/.jpeg "
                   "(the window) or .svg (the graph, as vectors)")
    p.add_argument("--size", type=_size, metavar="WxH", dest=d["--size"],
                   help="window size, e.g. 1600x900")
    p.add_argument("--list-presets", action="store_true", dest=d["--list-presets"],
                   help="print the preset names")
    p.add_argument("--open", metavar="PATH", dest=d["--open"],
                   help="start with this saved network (.npz)")
    p.add_argument("--presentation", action="store_true", dest=d["--presentation"],
                   help="start in presentation mode (F5 in the app; Esc leaves)")
    p.add_argument("--theme", choices=("light", "dark", "system"), dest=d["--theme"],
                   help="colour theme for this run (default: the saved choice, else the "
                   "system's)")
    p.add_argument("--stage", type=int, metavar="N", dest=d["--stage"],
                   help="start stepping at stage N (0 = the input; a number past the end is "
                   "the last stage, the update)")
    p.add_argument("--select", type=_selection, metavar="KIND:L:J[:K]", dest=d["--select"],
                   help="select a neuron, bias or edge, e.g. neuron:1:0, bias:2:0, edge:2:0:1")
    p.add_argument("--export-graph", metavar="PATH", dest=d["--export-graph"],
                   help="write the graph alone and exit, as File › Export does: .png a slide "
                   "(--slide-size, default 1920x1080; with the equation of the --stage, "
                   "unless --no-equation), .svg vectors")
    p.add_argument("--export-walk", metavar="DIR", dest=d["--export-walk"],
                   help="write one slide per stage of the walk (DIR/stage-01.png, …) and exit, "
                   "as File › Export › Walk as PNG frames does")
    p.add_argument("--slide-size", type=_size, metavar="WxH", dest=d["--slide-size"],
                   help="the size of --export-graph/--export-walk slides (default 1920x1080)")
    p.add_argument("--no-equation", action="store_true", dest=d["--no-equation"],
                   help="slides without the equation under the graph")
    p.add_argument("--startup-probe", action="store_true", dest=d["--startup-probe"],
                   help=argparse.SUPPRESS)


#: Options of the app that mean the same before ``nnviz step``: ``nnviz --open F step`` is
#: ``nnviz step --open F``.
#: The app's options that these commands take as their own (the network they work on).
_COMMAND_TAKES = {"step": ("--open", "--preset"), "landscape": ("--open", "--preset"),
                  "train": ("--preset",)}


def resolve_top_level(args) -> None:
    """Settle the app's options given before the command, in place; UsageError for one that
    has no meaning there.

    No command (or ``gui``): they are the app's options (``gui``'s own win where both are
    given the same). ``step``, ``landscape`` (``--open``, ``--preset``) and ``train``
    (``--preset``): the command's, when it has none of its own. Any other: refused, naming the
    option and where it belongs.
    """
    given = {flag: getattr(args, TOP_LEVEL + dest) for flag, dest in GUI_OPTIONS.items()
             if getattr(args, TOP_LEVEL + dest) not in (None, False)}
    if args.command is None:
        for dest in GUI_OPTIONS.values():
            setattr(args, dest, getattr(args, TOP_LEVEL + dest))
        return
    for flag, value in given.items():
        dest = GUI_OPTIONS[flag]
        if args.command == "gui":
            if getattr(args, dest) in (None, False):
                setattr(args, dest, value)
            elif getattr(args, dest) != value:
                raise UsageError(f"{flag} is given twice, before and after 'gui', with "
                                 "different values: give it once")
        elif flag in _COMMAND_TAKES.get(args.command, ()):
            own = " or ".join(_COMMAND_TAKES[args.command])
            if args.preset is not None or getattr(args, "open_path", None) is not None:
                raise UsageError(f"{flag} before '{args.command}' and {args.command}'s own "
                                 f"{own}: give one, after '{args.command}'")
            setattr(args, dest, value)
        else:
            raise UsageError(f"{flag} is an option of the app (nnviz {flag} …), not of "
                             f"nnviz {args.command}: give nnviz {args.command}'s options after "
                             f"'{args.command}' (see nnviz {args.command} --help)")


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
    if args.screenshot is not None or args.export_graph is not None:
        from ..app import graph_export_format, screenshot_format

        try:  # before any window or file
            if args.screenshot is not None:
                screenshot_format(args.screenshot)
            if args.export_graph is not None:
                graph_export_format(args.export_graph)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if (args.slide_size is not None or args.no_equation) and not (args.export_graph
                                                                    or args.export_walk):
        raise UsageError("--slide-size and --no-equation shape the slides of --export-graph "
                         "and --export-walk: give one of those too")
    opened = None
    if args.open_path is not None:
        from ..core.netfile import NetworkFileError, load_with_provenance

        try:  # checked before any window appears; the window opens what was read
            opened = load_with_provenance(args.open_path)
        except NetworkFileError as exc:
            raise UsageError(str(exc)) from None
    from ..app import main as app_main

    try:
        return app_main(screenshot=args.screenshot, preset=args.preset, size=args.size,
                        startup_probe=args.startup_probe, stage=args.stage, select=args.select,
                        open_path=args.open_path, presentation=args.presentation,
                        theme=args.theme, export_graph=args.export_graph,
                        export_walk=args.export_walk, slide_size=args.slide_size,
                        equation=not args.no_equation, opened=opened)
    except ValueError as exc:  # e.g. a selection that is not in the network
        raise UsageError(str(exc)) from None
