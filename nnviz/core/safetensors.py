"""safetensors files, read and written with numpy alone (plain bytes, no code; no dependency).

Layout: 8 bytes, the little-endian length N of the header; N bytes of UTF-8 JSON
{name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
"__metadata__": {str: str}} (metadata optional); then the data, each tensor's raw little-endian
bytes at [begin, end) counted from the end of the header, in C order.

Reading trusts nothing in the file and raises SafetensorsError (message: the file, then the
problem, one line) for anything that is not such a file:

* the header length is checked against the file size and MAX_HEADER_BYTES before the header is
  read; the header must be a JSON object without repeated names;
* each tensor's dtype must be floating point (F64, F32, F16 or BF16; others are named and
  refused), its shape a list of at most MAX_DIMENSIONS whole numbers ≥ 0 whose size matches
  its byte range, and the byte ranges must lie inside the file and not overlap;
* at most ``max_values`` numbers in all (checked before any data is read);
* every value must be finite; all come back as float64 (exactly: every F32, F16 and BF16
  number is a float64 number).

Writing puts the metadata first and the tensors in the order given, back to back, and pads the
header with spaces to a multiple of 8 bytes (as the reference implementation does); it writes a
temporary file next to the target and renames it over the target, as the network files do.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from .userfiles import open_for_reading, write_atomically

#: At most this many bytes of header JSON (a few hundred tensors need a few tens of kB).
MAX_HEADER_BYTES = 1 << 20
#: At most this many dimensions in a tensor's shape.
MAX_DIMENSIONS = 8
#: The floating point dtypes read: name → numpy dtype (BF16 is converted by hand).
FLOAT_DTYPES = {"F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"),
                "BF16": np.dtype("<u2")}
#: The other dtypes of the format, refused by name.
OTHER_DTYPES = ("BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64", "F8_E4M3",
                "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64")
#: What the writer writes: numpy dtype name → format name.
WRITE_DTYPES = {"float64": "F64", "float32": "F32"}


class SafetensorsError(ValueError):
    """A safetensors file that cannot be read; the message names the file and the problem."""


def read_safetensors(path, max_values: int) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """({name: float64 array}, metadata) of the file at ``path``, names in the header's order.
    SafetensorsError on any problem, including more than ``max_values`` numbers in all."""
    path = Path(path)

    def fail(problem: str) -> SafetensorsError:
        return SafetensorsError(f"{path}: {problem}")

    with open_for_reading(path, fail, "a safetensors file") as f:
        try:
            size = os.fstat(f.fileno()).st_size
            return _read(f, size, max_values, fail)
        except OSError as exc:
            raise fail(f"cannot be read ({exc.strerror or exc})") from None


def _show(value, limit: int = 60) -> str:
    """repr(value), shortened: a crafted header must not turn into a megabyte-long message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _no_repeats(pairs: list) -> dict:
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        repeated = next(name for name in names if names.count(name) > 1)
        raise ValueError(f"the name {_show(repeated)} appears twice")
    return dict(pairs)


def _read(f, size: int, max_values: int, fail) -> tuple[dict, dict]:
    start = f.read(8)
    if len(start) < 8:
        raise fail(f"not a safetensors file (only {size} bytes; the header length alone takes "
                   "8)")
    n = int.from_bytes(start, "little")
    if n > MAX_HEADER_BYTES:
        raise fail(f"not a safetensors file, or not a small network (header length {n:,} "
                   f"bytes; at most {MAX_HEADER_BYTES:,})")
    if n > size - 8:
        raise fail(f"not a safetensors file, or truncated (header length {n:,} bytes, but only "
                   f"{size - 8:,} follow)")
    try:
        header = json.loads(f.read(n).decode("utf-8"), object_pairs_hook=_no_repeats)
    except UnicodeDecodeError:
        raise fail("not a safetensors file (header is not UTF-8 text)") from None
    except RecursionError:
        raise fail("not a safetensors file (header nested too deeply)") from None
    except ValueError as exc:
        raise fail(f"not a safetensors file (header is not valid JSON: {exc})") from None
    if not isinstance(header, dict):
        raise fail("not a safetensors file (header is not a JSON object)")
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise fail("bad __metadata__: expected an object of text values")
    data_size = size - 8 - n
    entries, total = [], 0
    for name, info in header.items():
        dtype, count, begin, end = _entry(name, info, data_size, fail)
        total += count
        if total > max_values:
            raise fail(f"more than {max_values:,} numbers; nnviz reads at most {max_values:,}")
        entries.append((name, dtype, info["shape"], begin, end))
    ranges = sorted((begin, end, name) for name, _, _, begin, end in entries if end > begin)
    for (_, end, first), (begin, _, second) in zip(ranges, ranges[1:]):
        if begin < end:
            raise fail(f"damaged safetensors file (the bytes of {_show(first)} and "
                       f"{_show(second)} overlap)")
    tensors = {}
    for name, dtype, shape, begin, end in entries:
        f.seek(8 + n + begin)
        raw = f.read(end - begin)
        if len(raw) != end - begin:
            raise fail(f"damaged safetensors file ({_show(name)} is truncated)")
        tensors[name] = _decode(raw, dtype, shape)
        if not np.isfinite(tensors[name]).all():
            raise fail(f"{_show(name)} contains NaN or infinite values")
    return tensors, metadata


def _entry(name: str, info, data_size: int, fail) -> tuple[str, int, int, int]:
    """(dtype, number of values, begin, end) of header entry ``name``, checked."""
    shown = _show(name)
    if not isinstance(info, dict):
        raise fail(f"not a safetensors file (entry {shown} is not an object)")
    dtype = info.get("dtype")
    if dtype in OTHER_DTYPES:
        raise fail(f"{shown} has dtype {dtype}, not floating point (nnviz reads "
                   f"{', '.join(FLOAT_DTYPES)})")
    if not isinstance(dtype, str) or dtype not in FLOAT_DTYPES:
        raise fail(f"{shown} has unknown dtype {_show(dtype)} (nnviz reads "
                   f"{', '.join(FLOAT_DTYPES)})")
    shape = info.get("shape")
    if (not isinstance(shape, list) or len(shape) > MAX_DIMENSIONS
            or not all(_is_int(k) and k >= 0 for k in shape)):
        raise fail(f"{shown} has bad shape {_show(shape)}: expected a list of at most "
                   f"{MAX_DIMENSIONS} whole numbers ≥ 0")
    offsets = info.get("data_offsets")
    if (not isinstance(offsets, list) or len(offsets) != 2
            or not all(_is_int(k) for k in offsets)):
        raise fail(f"{shown} has bad data_offsets {_show(offsets)}: expected [begin, end]")
    begin, end = offsets
    if not 0 <= begin <= end <= data_size:
        raise fail(f"damaged safetensors file ({shown} has bytes {begin:,} to {end:,}, outside "
                   f"the {data_size:,} bytes of data)")
    count = 1
    for k in shape:
        count *= k
    itemsize = FLOAT_DTYPES[dtype].itemsize
    if count * itemsize != end - begin:
        raise fail(f"{shown} of shape {tuple(shape)} and dtype {dtype} needs "
                   f"{count * itemsize:,} bytes, but has {end - begin:,}")
    return dtype, count, begin, end


def _decode(raw: bytes, dtype: str, shape: list) -> np.ndarray:
    """The float64 array of ``raw`` bytes of ``dtype`` and ``shape`` (C order)."""
    values = np.frombuffer(raw, dtype=FLOAT_DTYPES[dtype])
    if dtype == "BF16":  # the upper half of a float32
        values = (values.astype(np.uint32) << 16).view(np.float32)
    return values.astype(np.float64).reshape(shape)


def encode_safetensors(tensors: dict, metadata: dict[str, str] | None = None,
                       dtype: str = "float64") -> bytes:
    """The bytes of a safetensors file holding ``tensors`` (name → array) as ``dtype`` (see
    WRITE_DTYPES) and ``metadata``. ValueError for a bad dtype, name or metadata."""
    if dtype not in WRITE_DTYPES:
        raise ValueError(f"unknown dtype {dtype!r}; choose one of {', '.join(WRITE_DTYPES)}")
    header: dict = {}
    if metadata:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError("metadata must map text to text")
        header["__metadata__"] = dict(metadata)
    chunks, offset = [], 0
    for name, array in tensors.items():
        if not isinstance(name, str) or name == "__metadata__":
            raise ValueError(f"bad tensor name {name!r}")
        data = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<")).tobytes()
        header[name] = {"dtype": WRITE_DTYPES[dtype], "shape": list(np.shape(array)),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return len(text).to_bytes(8, "little") + text + b"".join(chunks)


def write_safetensors(path, tensors: dict, metadata: dict[str, str] | None = None,
                      dtype: str = "float64") -> None:
    """Write encode_safetensors(tensors, metadata, dtype) to ``path`` atomically; OSError if it
    cannot be written (the previous file, if any, is then untouched)."""
    data = encode_safetensors(tensors, metadata, dtype)
    write_atomically(Path(path), lambda f: f.write(data))
