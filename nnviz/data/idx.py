"""Read and write IDX files, the format of the original MNIST distribution.

An IDX file is a header followed by the array data, all big-endian::

    bytes 0-1   0x00 0x00                       magic
    byte  2     type code (see ``IDX_TYPES``)
    byte  3     number of dimensions d >= 1
    d x uint32  the size of each dimension
    data        prod(sizes) items in C order

Files may be stored gzip-compressed; ``read_idx`` recognises gzip by its magic bytes 1f 8b,
not by the file name. Every problem with a file (missing, unreadable, corrupt gzip stream, bad
header, wrong data length) is reported as an ``IDXError`` whose message names the file.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

#: IDX type code -> big-endian dtype of the stored items.
IDX_TYPES: dict[int, np.dtype] = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"
_MAX_DIMS = 64  # numpy's limit on array dimensions


class IDXError(ValueError):
    """An IDX file could not be read or written; the message names the file and the problem."""


def _describe_types() -> str:
    return ", ".join(f"0x{code:02X} ({dtype.name})" for code, dtype in IDX_TYPES.items())


def _read_bytes(path: Path) -> bytes:
    """The file's content, decompressed if it starts with the gzip magic bytes."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise IDXError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise IDXError(f"{path}: is a directory, not an IDX file") from None
    except OSError as exc:
        raise IDXError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except EOFError:
        raise IDXError(f"{path}: gzip stream is truncated (file incomplete?)") from None
    except (OSError, zlib.error) as exc:
        raise IDXError(f"{path}: corrupt gzip stream ({exc})") from None


def _parse_header(data: bytes, path: Path) -> tuple[np.dtype, tuple[int, ...], int]:
    """(big-endian item dtype, shape, header length in bytes) of the IDX content ``data``."""
    if len(data) < 4:
        raise IDXError(
            f"{path}: too short for an IDX header ({len(data)} bytes, need at least 4)"
        )
    zero1, zero2, type_code, ndim = data[0], data[1], data[2], data[3]
    if zero1 != 0 or zero2 != 0:
        raise IDXError(
            f"{path}: not an IDX file (magic starts with {data[:2].hex(' ')}, expected 00 00)"
        )
    if type_code not in IDX_TYPES:
        raise IDXError(
            f"{path}: unknown IDX type code 0x{type_code:02X}; known: {_describe_types()}"
        )
    if ndim == 0:
        raise IDXError(f"{path}: header declares 0 dimensions (need at least 1)")
    if ndim > _MAX_DIMS:
        raise IDXError(f"{path}: header declares {ndim} dimensions (at most {_MAX_DIMS})")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IDXError(
            f"{path}: header truncated: {ndim} dimensions need {header_len} header bytes, "
            f"file has only {len(data)}"
        )
    shape = struct.unpack(f">{ndim}I", data[4:header_len])
    return IDX_TYPES[type_code], tuple(int(s) for s in shape), header_len


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (raw or gzip-compressed) into a new native-endian array.

    Returns an array of the shape given in the header, e.g. (60000, 28, 28) uint8 for the MNIST
    training images or (60000,) uint8 for its labels. The dtype follows the type code: uint8,
    int8, int16, int32, float32 or float64. Raises ``IDXError`` for any problem with the file.
    """
    path = Path(path)
    data = _read_bytes(path)
    dtype, shape, offset = _parse_header(data, path)
    count = int(np.prod(shape, dtype=object))
    expected = count * dtype.itemsize
    actual = len(data) - offset
    dims = " x ".join(str(s) for s in shape)
    if actual < expected:
        raise IDXError(
            f"{path}: data truncated: header says {dims} {dtype.name} = {expected} bytes, "
            f"file has only {actual}"
        )
    if actual > expected:
        raise IDXError(
            f"{path}: {actual - expected} trailing bytes after the data "
            f"(header says {dims} {dtype.name} = {expected} bytes)"
        )
    items = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
    # astype copies: the result is writeable, native-endian and does not pin ``data``.
    return items.astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def idx_type_code(dtype: np.dtype | type) -> int:
    """The IDX type code for ``dtype`` (any byte order); raises IDXError if there is none."""
    dtype = np.dtype(dtype)
    for code, idx_dtype in IDX_TYPES.items():
        if dtype.kind == idx_dtype.kind and dtype.itemsize == idx_dtype.itemsize:
            return code
    raise IDXError(f"dtype {dtype} cannot be stored in IDX; supported: {_describe_types()}")


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Write ``array`` (at least 1-D, dtype uint8/int8/int16/int32/float32/float64) as IDX.

    The file is gzip-compressed when ``path`` ends in ".gz". Convert other dtypes first, e.g.
    ``labels.astype(np.uint8)``. Raises ``IDXError`` naming the file on any problem.
    """
    path = Path(path)
    array = np.asarray(array)
    try:
        code = idx_type_code(array.dtype)
    except IDXError as exc:
        raise IDXError(f"{path}: {exc}") from None
    if array.ndim == 0 or array.ndim > _MAX_DIMS:
        raise IDXError(f"{path}: IDX needs an array with 1 to {_MAX_DIMS} dimensions, "
                       f"got shape {array.shape}")
    if any(s > 0xFFFFFFFF for s in array.shape):
        raise IDXError(f"{path}: dimension too large for IDX (max 2**32 - 1): {array.shape}")
    header = struct.pack(f">BBBB{array.ndim}I", 0, 0, code, array.ndim, *array.shape)
    body = np.ascontiguousarray(array, dtype=IDX_TYPES[code]).tobytes()
    content = header + body
    if path.name.endswith(".gz"):
        content = gzip.compress(content, compresslevel=6, mtime=0)
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise IDXError(f"{path}: cannot write file ({exc.strerror or exc})") from None
