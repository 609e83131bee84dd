"""``nnviz screenshots DIR``: README's pictures, made by the app itself (offscreen)."""

from __future__ import annotations

from .common import UsageError


def add_parser(sub) -> None:
    """Add ``nnviz screenshots`` to the sub-command parsers ``sub``."""
    from .gui import _size

    p = sub.add_parser(
        "screenshots", help="write README's screenshots, made by the app (offscreen)",
        description="Drive the real window offscreen (a short MNIST training run, a stage of "
        "the walk, a drawn digit, presentation mode, the 2-D playground) and write one PNG of "
        "each into DIR, printing each path. With Pillow installed (pip install 'nnviz[docs]') "
        "the PNGs are quantised to 256 colours, a third of the size.")
    p.add_argument("folder", metavar="DIR", help="where to write them (created if needed)")
    p.add_argument("--size", type=_size, metavar="WxH", default=None,
                   help="window size (default 1366x768)")


def run_screenshots(args) -> int:
    from ..app import make_screenshots

    try:
        make_screenshots(args.folder, args.size)
    except OSError as exc:
        raise UsageError(f"could not write the screenshots into {args.folder}: "
                         f"{exc.strerror or exc}") from None
    return 0
