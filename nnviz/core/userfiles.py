"""Reading and writing the files a user names (network files, safetensors): opening with a
one-line message for each way it can fail, and writing atomically (a temporary file next to the
target, renamed over it), so a crash or error mid-write never destroys the previous file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def open_for_reading(path: Path, fail: Callable[[str], Exception], kind: str) -> BinaryIO:
    """``path`` opened for reading in binary; ``fail(problem)`` (an exception, raised) for a
    missing file, a folder, or one that cannot be read. ``kind``: what the file should be
    ("a network file")."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail(f"is a folder, not {kind}") from None
    except PermissionError:
        raise fail("cannot be read (permission denied)") from None
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror or exc})") from None


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write(f)`` on a temporary file next to ``path``, flush it to disk, then rename it
    over ``path``; on any error the temporary file is removed and the error raised."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        os.chmod(tmp, file_mode(path))  # mkstemp makes owner-only files
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def file_mode(path: Path) -> int:
    """The mode a saved file gets: the replaced file's, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
