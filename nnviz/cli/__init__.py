"""Command line: ``nnviz`` (the app; ``--open PATH`` starts with a saved network), ``nnviz
train`` (headless training), ``nnviz step`` (one example through the forward and backward
passes, every number printed), ``nnviz info`` (a saved network file), ``nnviz import`` /
``nnviz export`` (a PyTorch MLP as safetensors, in and out), ``nnviz landscape`` (E over one
or two parameters), ``nnviz bench``.

Qt is imported only when the app starts, so ``train``, ``step``, ``info``, ``import``, ``export``
and ``bench`` run without a display.

One module per command, each with ``add_parser(sub)`` and the command's ``run_…(args)``:

- :mod:`nnviz.cli.gui`: ``nnviz`` / ``nnviz gui``, start the app (the default)
- :mod:`nnviz.cli.train`: ``nnviz train``, headless training
- :mod:`nnviz.cli.step`: ``nnviz step``, one example through the passes, every number printed
- :mod:`nnviz.cli.info`: ``nnviz info``, describe and check a saved network file
- :mod:`nnviz.cli.importer`: ``nnviz import``, a PyTorch MLP (safetensors) as a network file
- :mod:`nnviz.cli.exporter`: ``nnviz export``, a network file as safetensors for PyTorch
- :mod:`nnviz.cli.screenshots`: ``nnviz screenshots DIR``, README's pictures, made by the app
- :mod:`nnviz.cli.landscape`: ``nnviz landscape``, E over one or two parameters (the slope, a
  step, descent paths)
- :mod:`nnviz.cli.bench`: ``nnviz bench …``, the benchmarks' arguments (they run in
  :mod:`nnviz.bench`)
- :mod:`nnviz.cli.common`: shared helpers (UsageError, the parser, argument types, error
  reporting, the closed-pipe exit)

This module assembles the parser and dispatches to the commands; ``main`` is the ``nnviz``
entry point (``nnviz.cli:main``) and what ``python -m nnviz`` runs.
"""

from __future__ import annotations

import argparse

from . import bench, exporter, gui, importer, info, landscape, screenshots, step, train
from .common import UsageError, _Parser, quit_on_broken_pipe, report_usage_error

#: The function that runs each command; None (no command given) starts the app.
_RUN = {
    None: gui.run_gui,
    "gui": gui.run_gui,
    "train": train.run_train,
    "step": step.run_step,
    "info": info.run_info,
    "import": importer.run_import,
    "export": exporter.run_export,
    "landscape": landscape.run_landscape,
    "bench": bench.run_bench,
    "screenshots": screenshots.run_screenshots,
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nnviz", description="See a neural network learn.")
    parser.add_argument("--version", action="version", version=_version())
    gui.add_gui_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    gui.add_parser(sub)
    train.add_parser(sub)
    step.add_parser(sub)
    info.add_parser(sub)
    importer.add_parser(sub)
    exporter.add_parser(sub)
    landscape.add_parser(sub)
    bench.add_parser(sub)
    screenshots.add_parser(sub)
    return parser


def _version() -> str:
    from .. import __version__

    return f"nnviz {__version__}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        gui.resolve_top_level(args)
    except UsageError as exc:
        return report_usage_error(None, exc)
    try:
        return _RUN[args.command](args)
    except UsageError as exc:
        return report_usage_error(args.command, exc)
    except BrokenPipeError:
        return quit_on_broken_pipe()
