"""Saving and loading networks: a .npz archive that cannot execute code.

Layout: a zip archive (what ``np.savez`` writes) whose entry ``header.npy`` holds UTF-8 JSON
{"format": "nnviz-network", "version": 1, "sizes": [...], "activations": [...], "cost": "...",
"init": "..."} as a 1-D uint8 array; ``w1.npy``..``wL.npy`` and ``b1.npy``..``bL.npy`` hold w^l
(n_l, n_(l−1)) and b^l (n_l,) as float64. "init" is left out for a network whose weights nnviz
did not draw (``nnviz import``; Network.init None).

Saving writes a temporary file next to the target and renames it over the target, so a crash
or error mid-save never destroys the previous file and leaves no temporary file behind.

Loading trusts nothing in the file and raises NetworkFileError (message: the file, then the
problem) for anything that is not exactly such a network:

* the header is checked first (format tag, version, layer sizes, activation and cost names,
  initialisation name, the activation/cost combination, at most MAX_PARAMETERS parameters),
  before any weight is read or any Network is built;
* every array's .npy header (dtype, shape) is read and checked before its data, so a declared
  huge shape allocates nothing; object arrays (pickled data) are refused, never unpickled (the
  data is read as raw bytes, never through np.load, so this is stricter than
  ``np.load(..., allow_pickle=False)``);
* the data must be finite floating point numbers; float16/float32/... become float64;
* entries other than ``header`` and the 2L arrays are refused ("unexpected entry"): the version
  number, not extra entries, is how the format grows;
* extra keys in the header JSON are ignored (room for descriptive additions);
* the descriptive additions this version writes (DESCRIPTION: the neurons' names "input_labels"
  and "output_labels", an "example" input and its "target", as a preset has them) are read by
  ``load_described`` where they fit the network (a list of that layer's length: names of at
  most MAX_LABEL_CHARS characters, finite numbers) and left out where they do not;
* "provenance": how the network was made (the training run's settings, data, seed, epochs,
  final accuracies, nnviz version and date, and a checksum of the trained weights), written by
  ``save_network(..., provenance=...)`` and read by ``load_with_provenance`` and
  ``network_info``; its rules, the checks made on reading (an unreadable provenance is ignored,
  never a reason to refuse the network) and what "edited after training" means are in
  ``nnviz.core.provenance``. A file without one (a preset, a hand-made or an imported network)
  has none, and ``nnviz info`` says so;
* damaged archives (not a zip, truncated, CRC errors, bad compression) are reported as "damaged
  or not an nnviz network file (…)", never as another exception type.
"""

from __future__ import annotations

import json
import lzma
import math
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .activations import ACTIVATIONS
from .costs import COSTS
from .network import INITS, MAX_LAYER_SIZE, Network
from .provenance import checked as _checked_provenance
from .provenance import edited as _edited
from .provenance import read as _read_provenance
from .userfiles import open_for_reading, write_atomically

FORMAT = "nnviz-network"
VERSION = 1
#: At most this many layers, the input layer included.
MAX_LAYERS = 64
#: At most this many weights and biases in a loaded network (400 MB as float64).
MAX_PARAMETERS = 50_000_000
#: Array data is read in pieces of this many bytes.
READ_CHUNK = 1 << 20
#: At most this many bytes of header JSON.
MAX_HEADER_BYTES = 1 << 20

# What the zip, zlib, .npy-header and JSON readers raise on damaged input.
_DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError,
            struct.error, RuntimeError, NotImplementedError, KeyError, IndexError,
            OverflowError, TypeError, SyntaxError)


#: The header's descriptive keys: each a list as long as the input or the output layer.
DESCRIPTION = {"input_labels": 0, "output_labels": -1, "example": 0, "target": -1}
#: At most this many characters in a neuron's name.
MAX_LABEL_CHARS = 200


class NetworkFileError(ValueError):
    """A network file that cannot be read; the message names the file and the problem."""


def save_network(net: Network, path, provenance: dict | None = None, **description) -> None:
    """Write ``net`` to ``path`` (.npz) atomically; OSError if it cannot be written.

    ``description``: any of DESCRIPTION's keys (None: left out), e.g. output_labels=("AND",);
    ValueError for another key or one that does not fit the network. ``provenance``: how the
    network was made (see nnviz.core.provenance; ValueError if it breaks its rules)."""
    path = Path(path)
    header = {"format": FORMAT, "version": VERSION, "sizes": net.sizes,
              "activations": net.activation_names, "cost": net.cost_name, "init": net.init}
    if net.init is None:  # imported: no initialisation to name
        del header["init"]
    for key, value in description.items():
        if key not in DESCRIPTION:
            raise ValueError(f"unknown description {key!r}; one of {', '.join(DESCRIPTION)}")
        if value is not None:
            value = [str(v) if key.endswith("labels") else float(v) for v in value]
            if _described(key, value, net.sizes) is None:
                raise ValueError(f"{key} does not fit a {'-'.join(map(str, net.sizes))} "
                                 "network")
            header[key] = value
    if provenance is not None:
        header["provenance"] = _checked_provenance(provenance)
    arrays = {"header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)}
    for l, (w, b) in enumerate(zip(net.weights, net.biases), start=1):
        arrays[f"w{l}"], arrays[f"b{l}"] = w, b
    write_atomically(path, lambda f: np.savez(f, **arrays))


def load_network(path, progress=None) -> Network:
    """Read a network saved by save_network; raise NetworkFileError on any problem.

    ``progress``: called as progress(parameters read, parameters in all) while the arrays are
    read (a big network's file takes a second or more), e.g. to update a progress dialog."""
    return _load(path, progress=progress)[0]


def load_described(path, progress=None) -> tuple[Network, dict]:
    """The network (as load_network) and its description: those of DESCRIPTION's keys the file
    has in a form that fits the network (labels as tuples of str, numbers as lists)."""
    return load_with_provenance(path, progress)[:2]


def load_with_provenance(path, progress=None) -> tuple[Network, dict, dict | None]:
    """The network and its description (as load_described) and its provenance (None when the
    file has none or an unreadable one)."""
    net, _version, header = _load(path, with_header=True, progress=progress)
    found = {key: value for key in DESCRIPTION
             if (value := _described(key, header.get(key), net.sizes)) is not None}
    return net, found, _read_provenance(header)[0]


def _described(key: str, value, sizes) -> tuple | list | None:
    """``value`` of the description ``key`` if it fits a network of ``sizes``, else None."""
    n = sizes[DESCRIPTION[key]]
    if not isinstance(value, list) or len(value) != n:
        return None
    if key.endswith("labels"):
        ok = all(isinstance(v, str) and len(v) <= MAX_LABEL_CHARS for v in value)
        return tuple(value) if ok else None
    ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and _finite(v)
             for v in value)
    return [float(v) for v in value] if ok else None


def _finite(v) -> bool:
    try:
        return math.isfinite(v)
    except OverflowError:  # an integer too large for a float
        return False


def network_info(path) -> dict:
    """What ``nnviz info`` shows about a network file, checked exactly as load_network checks:
    {"path", "format", "version", "sizes", "activations", "cost", "init", "n_parameters",
    "provenance", "edited_after_training"} (the last two None without a provenance), and
    "provenance_problem" when the file's provenance is unreadable (then ignored).
    Raises NetworkFileError on any problem."""
    net, version, header = _load(path, with_header=True)
    return {"path": str(path), "format": FORMAT, "version": version, "sizes": list(net.sizes),
            "activations": net.activation_names, "cost": net.cost_name, "init": net.init,
            "n_parameters": net.n_parameters, **_provenance_info(header, net)}


def _provenance_info(header: dict, net: Network) -> dict:
    provenance, problem = _read_provenance(header)
    info = {"provenance": provenance,
            "edited_after_training": None if provenance is None else _edited(provenance, net)}
    if problem:
        info["provenance_problem"] = problem
    return info


# -- loading --------------------------------------------------------------------------------------

def _show(value, limit: int = 60) -> str:
    """repr(value), shortened: a crafted header must not turn into a megabyte-long message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _load(path, with_header: bool = False, progress=None) -> tuple:
    """(network, version), and the header too if ``with_header``."""
    path = Path(path)

    def fail(problem: str) -> NetworkFileError:
        return NetworkFileError(f"{path}: {problem}")

    with open_for_reading(path, fail, "a network file") as f:
        try:
            with zipfile.ZipFile(f) as archive:
                net, version, header = _read_archive(archive, fail, progress)
                return (net, version, header) if with_header else (net, version)
        except NetworkFileError:
            raise
        except RecursionError:
            raise fail("damaged or not an nnviz network file (header nested too deeply)") \
                from None
        except _DAMAGED as exc:
            detail = str(exc) or ("unexpected end of data" if isinstance(exc, EOFError)
                                  else type(exc).__name__)
            raise fail(f"damaged or not an nnviz network file ({detail})") from None


def _read_archive(archive: zipfile.ZipFile, fail, progress=None) -> tuple[Network, int, dict]:
    names = archive.namelist()
    seen = set()
    for name in names:
        if name in seen:
            raise fail(f"damaged or not an nnviz network file (entry {_show(name)} appears "
                       f"twice)")
        seen.add(name)
    if "header.npy" not in seen:
        raise fail("not an nnviz network file (no header)")

    header = read_header(archive, fail, "an nnviz network file", FORMAT, VERSION)
    version = header["version"]

    sizes = header.get("sizes")
    if (not isinstance(sizes, list) or not 2 <= len(sizes) <= MAX_LAYERS
            or not all(_is_int(n) and 1 <= n <= MAX_LAYER_SIZE for n in sizes)):
        raise fail(f"bad layer sizes {_show(sizes)}: expected a list of 2 to {MAX_LAYERS} whole "
                   f"numbers between 1 and {MAX_LAYER_SIZE}")
    L = len(sizes) - 1
    n_parameters = sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    if n_parameters > MAX_PARAMETERS:
        raise fail(f"the network has {n_parameters:,} parameters; nnviz loads at most "
                   f"{MAX_PARAMETERS:,}")
    acts = header.get("activations")
    if not isinstance(acts, list) or len(acts) != L:
        raise fail(f"bad activations {_show(acts)}: expected a list of {L} names (one per "
                   f"non-input layer)")
    for name in acts:
        if not isinstance(name, str) or name not in ACTIVATIONS:
            raise fail(f"unknown activation {_show(name)} (nnviz knows "
                       f"{', '.join(ACTIVATIONS)})")
    cost = header.get("cost")
    if not isinstance(cost, str) or cost not in COSTS:
        raise fail(f"unknown cost {_show(cost)} (nnviz knows {', '.join(COSTS)})")
    init = header.get("init")  # missing or null: weights nnviz did not draw (nnviz import)
    if init is not None and (not isinstance(init, str) or init not in INITS):
        raise fail(f"unknown initialisation {_show(init)} (nnviz knows {', '.join(INITS)})")
    try:  # the combination rules are the Network's; a one-neuron-per-layer probe costs nothing
        Network([1] * len(sizes), acts, cost, seed=0, init=init)
    except ValueError as exc:
        raise fail(str(exc)) from None

    expected = {"header.npy"} | {f"{k}{l}.npy" for l in range(1, L + 1) for k in "wb"}
    for name in names:
        if name not in expected:
            raise fail(f"not an nnviz network file (unexpected entry {_show(name)})")
    weights, biases = [], []
    read = 0

    def report(count: int) -> None:
        if progress is not None:
            progress(read + count, n_parameters)

    for l in range(1, L + 1):
        for key, shape, out in ((f"w{l}", (sizes[l], sizes[l - 1]), weights),
                                (f"b{l}", (sizes[l],), biases)):
            if f"{key}.npy" not in seen:
                raise fail(f"{key} is missing")
            arr = read_member(archive, key, shape, fail, report)  # a new float64 C array
            read += arr.size
            report(0)
            if not np.isfinite(arr).all():
                raise fail(f"{key} contains NaN or infinite values")
            out.append(arr)

    try:
        net = Network(sizes, acts, cost, init=init, parameters=(weights, biases), copy=False)
    except ValueError as exc:
        raise fail(str(exc)) from None
    return net, version, header


def read_header(archive: zipfile.ZipFile, fail, kind: str, fmt: str, version: int) -> dict:
    """The JSON object in entry ``header``.npy, checked to be of format ``fmt`` and ``version``
    (``fail(problem)`` raised otherwise, ``kind`` naming the file in the messages)."""
    raw = read_member(archive, "header", None, fail, kind=kind)
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise fail(f"not {kind} (header is not UTF-8 text)") from None
    except ValueError as exc:
        raise fail(f"not {kind} (header is not valid JSON: {exc})") from None
    if not isinstance(header, dict):
        raise fail(f"not {kind} (header is not a JSON object)")
    if header.get("format") != fmt:
        raise fail(f"not {kind} (format tag {_show(header.get('format'))}, expected {fmt!r})")
    found = header.get("version")
    if _is_int(found) and found > version:
        raise fail(f"made by a newer nnviz (version {found}); this one reads version "
                   f"{version}")
    if found != version or not _is_int(found):
        raise fail(f"unknown format version {_show(found)}; this nnviz reads version "
                   f"{version}")
    return header


def read_member(archive: zipfile.ZipFile, key: str, expected: tuple | None,
                fail, report=None, kind: str = "an nnviz network file",
                float64: bool = True) -> np.ndarray:
    """Read entry ``key``.npy: first its .npy header, checked (``expected`` None: the header
    rules, 1-D uint8 of at most MAX_HEADER_BYTES; else floating point of shape ``expected``),
    then exactly the declared data, then the end of the entry (which verifies its CRC).
    ``kind``: what the file should be, for the messages.

    The arrays come back as new float64 C-ordered arrays (the header as uint8), or in their own
    floating-point type (native byte order) when not ``float64``; little-endian float64 data,
    what nnviz writes, is read straight into its array, with no other copy."""
    damaged = f"damaged or not {kind}"
    with archive.open(f"{key}.npy") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise fail(f"{damaged} ({key} has .npy format version {version[0]}."
                       f"{version[1]})")
        if dtype.hasobject:
            raise fail(f"{key} holds Python objects (pickled data), which nnviz never loads")
        if any(n < 0 for n in shape):
            raise fail(f"{damaged} ({key} has shape {shape})")
        if expected is None:
            if dtype != np.uint8 or len(shape) != 1:
                raise fail(f"not {kind} (header is a {dtype} array of shape {shape}, "
                           "expected 1-D uint8)")
            if shape[0] > MAX_HEADER_BYTES:
                raise fail(f"not {kind} (header of {shape[0]:,} bytes is too large; at most "
                           f"{MAX_HEADER_BYTES:,})")
        else:
            if dtype.kind != "f":
                raise fail(f"{key} has dtype {dtype}, expected floating point")
            if shape != expected:
                raise fail(f"{key} has shape {shape}, expected {expected}")
        count = 1
        for n in shape:
            count *= n
        nbytes = count * dtype.itemsize
        direct = (expected is not None and float64 and dtype == np.dtype("<f8")
                  and dtype.isnative)
        if direct:  # straight into the array: no bytes object, no conversion
            out = np.empty(shape, np.float64, order="F" if fortran else "C")
            got = _read_into(f, memoryview(out.reshape(-1, order="A")).cast("B"), report)
        else:
            data = f.read(nbytes)
            got = len(data)
        if got != nbytes:
            raise fail(f"{damaged} ({key} is truncated)")
        if f.read(1):
            raise fail(f"{damaged} ({key} has extra bytes after its data)")
    if direct:
        return np.ascontiguousarray(out)  # a Fortran-ordered array: one copy into C order
    arr = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    if expected is None:
        return arr
    return np.array(arr, dtype=np.float64 if float64 else dtype.newbyteorder("="), order="C")


def _read_into(f, buffer: memoryview, report=None) -> int:
    """Fill ``buffer`` from the file object ``f`` (a zip entry); the bytes read (fewer at the
    end of the data). In pieces of READ_CHUNK bytes: a zip entry's ``readinto`` reads into a
    bytes object of the size asked for first. ``report``: called with the float64 values
    read so far after each piece."""
    done, size = 0, len(buffer)
    while done < size:
        n = f.readinto(buffer[done:done + READ_CHUNK])
        if not n:
            break
        done += n
        if report is not None:
            report(done // 8)
    return done
