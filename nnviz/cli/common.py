"""Helpers shared by the command modules of ``nnviz``: the one-line usage errors, the argument
parser that reports them, the argument type checkers and the handling of a closed pipe."""

from __future__ import annotations

import argparse
import math
import os
import sys


class UsageError(Exception):
    """A bad command-line value: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line (plus exit code 2), not usage + traceback."""

    #: Raise ParseFailed instead of exiting (a first, partial parser: see nnviz.cli.main).
    raise_errors = False

    def error(self, message: str):  # noqa: D401 - argparse API
        if self.raise_errors:
            raise ParseFailed(message)
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


class ParseFailed(Exception):
    """A partial parser could not parse the arguments (the full one then says why)."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 1, got {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 0, got {value}")
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def report_usage_error(command: str | None, exc: UsageError) -> int:
    """Print ``exc`` as one line on stderr, prefixed by the command; the exit code, 2."""
    prog = f"nnviz {command}" if command else "nnviz"
    print(f"{prog}: error: {exc}", file=sys.stderr)
    return 2


def quit_on_broken_pipe() -> int:
    """The exit code after the reader went away (``nnviz step | head``): stop quietly, as Unix
    tools do. Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141  # 128 + SIGPIPE, the shell's code for a command ended by a closed pipe
