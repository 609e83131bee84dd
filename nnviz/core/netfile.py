"""Saving and loading networks: a .npz archive that cannot execute code.

Layout: ``header`` holds UTF-8 JSON {"format": "nnviz-network", "version": 1, "sizes": [...],
"activations": [...], "cost": "...", "init": "..."}; ``w1``..``wL`` and ``b1``..``bL`` hold
w^l (n_l, n_(l−1)) and b^l (n_l,) as float64. Loading uses ``allow_pickle=False`` and checks
everything; saving writes a temporary file and renames it over the target, so a crash mid-save
never destroys the previous file.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .activations import ACTIVATIONS
from .costs import COSTS
from .network import INITS, MAX_LAYER_SIZE, Network

FORMAT = "nnviz-network"
VERSION = 1
MAX_LAYERS = 64


class NetworkFileError(ValueError):
    """A network file that cannot be read; the message names the file and the problem."""


def save_network(net: Network, path) -> None:
    """Write ``net`` to ``path`` (.npz) atomically."""
    path = Path(path)
    header = {"format": FORMAT, "version": VERSION, "sizes": net.sizes,
              "activations": net.activation_names, "cost": net.cost_name, "init": net.init}
    arrays = {"header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)}
    for l, (w, b) in enumerate(zip(net.weights, net.biases), start=1):
        arrays[f"w{l}"], arrays[f"b{l}"] = w, b
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def load_network(path) -> Network:
    """Read a network saved by save_network; raise NetworkFileError on any problem."""
    path = Path(path)

    def fail(problem: str) -> NetworkFileError:
        return NetworkFileError(f"{path}: {problem}")

    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise fail("no such file") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise fail(f"not an nnviz network file ({exc})") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise fail("not an nnviz network file (a single array, not an archive)")
    with archive:
        try:
            if "header" not in archive.files:
                raise fail("not an nnviz network file (no header)")
            header = json.loads(archive["header"].tobytes().decode("utf-8"))
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise fail("not an nnviz network file (wrong format tag)")
            if header.get("version") != VERSION:
                raise fail(f"unsupported version {header.get('version')!r} (this nnviz reads "
                           f"version {VERSION})")
            sizes = header.get("sizes")
            if (not isinstance(sizes, list) or not 2 <= len(sizes) <= MAX_LAYERS
                    or not all(isinstance(n, int) and 1 <= n <= MAX_LAYER_SIZE for n in sizes)):
                raise fail(f"bad layer sizes {sizes!r}")
            acts, cost = header.get("activations"), header.get("cost")
            if (not isinstance(acts, list) or len(acts) != len(sizes) - 1
                    or not all(a in ACTIVATIONS for a in acts)):
                raise fail(f"bad activations {acts!r}")
            if cost not in COSTS:
                raise fail(f"unknown cost {cost!r}")
            init = header.get("init", "standard")
            net = Network(sizes, acts, cost, seed=0, init=init if init in INITS else "standard")
            weights, biases = [], []
            for l in range(1, len(sizes)):
                for key, shape, out in ((f"w{l}", (sizes[l], sizes[l - 1]), weights),
                                        (f"b{l}", (sizes[l],), biases)):
                    if key not in archive.files:
                        raise fail(f"{key} is missing")
                    arr = archive[key]
                    if arr.dtype.kind != "f":
                        raise fail(f"{key} has dtype {arr.dtype}, expected floating point")
                    if arr.shape != shape:
                        raise fail(f"{key} has shape {arr.shape}, expected {shape}")
                    if not np.isfinite(arr).all():
                        raise fail(f"{key} contains NaN or infinite values")
                    out.append(arr)
            net.set_parameters(weights, biases)
            return net
        except NetworkFileError:
            raise
        except (ValueError, KeyError, OSError, zipfile.BadZipFile, EOFError,
                UnicodeDecodeError) as exc:
            raise fail(f"damaged file ({exc})") from None
