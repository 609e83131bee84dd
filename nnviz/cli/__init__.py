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
import importlib
import sys

from . import gui
from .common import (
    ParseFailed,
    UsageError,
    _Parser,
    quit_on_broken_pipe,
    report_usage_error,
)

#: Each command's module (imported when the command is asked for, or its help) and the name
#: of the function that runs it; no command given starts the app.
_COMMANDS = {
    "gui": ("gui", "run_gui"),
    "train": ("train", "run_train"),
    "step": ("step", "run_step"),
    "info": ("info", "run_info"),
    "import": ("importer", "run_import"),
    "export": ("exporter", "run_export"),
    "landscape": ("landscape", "run_landscape"),
    "bench": ("bench", "run_bench"),
    "screenshots": ("screenshots", "run_screenshots"),
}


def _module(command: str):
    return importlib.import_module(f".{_COMMANDS[command][0]}", __name__)


def build_parser(commands=None) -> argparse.ArgumentParser:
    """The parser of ``nnviz`` with ``commands`` (default: all of them)."""
    parser = _Parser(prog="nnviz", description="See a neural network learn.")
    parser.add_argument("--version", action="version", version=_version())
    gui.add_gui_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for command in _COMMANDS if commands is None else commands:
        _module(command).add_parser(sub)
    return parser


def _commands_needed(argv: list[str]) -> list[str] | None:
    """Only the app's parser when nothing in ``argv`` can be a command or ask for help (the
    app starts ~50 ms sooner without the others); otherwise all (None)."""
    if any(a in _COMMANDS or a in ("-h", "--help") for a in argv):
        return None
    return ["gui"]


def _version() -> str:
    from .. import __version__

    return f"nnviz {__version__}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = None
    if _commands_needed(argv) is not None:
        parser = build_parser(_commands_needed(argv))
        parser.raise_errors = True
        try:
            args = parser.parse_args(argv)
        except ParseFailed:  # e.g. a misspelt command: the full parser names them all
            args = None
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        gui.resolve_top_level(args)
    except UsageError as exc:
        return report_usage_error(None, exc)
    try:
        command = args.command or "gui"
        return getattr(_module(command), _COMMANDS[command][1])(args)
    except UsageError as exc:
        return report_usage_error(args.command, exc)
    except BrokenPipeError:
        return quit_on_broken_pipe()
