"""Run files: a training run (session.Run) saved and opened again — its settings, its curves
(the epochs' reports, the mini-batch error), its layers' learning speeds, how it ended, and its
timeline (the network after every epoch kept, see timeline.py), so that a lecture can replay a
run trained the night before.

A run file is an .npz archive (numpy's zip of .npy arrays) with the same rules as a
network file (see netfile.py): ``header`` is UTF-8 JSON in a uint8 array, ``batch`` a 2 x n
float64 array (the mini-batch curve's x and y), and ``s{i}_{l}`` the augmented matrix
[w^l | b^l] of the i-th snapshot (0-based) and layer l (1-based) in the dtype it was trained
in, so that a snapshot opened again is bit for bit the one saved. Header::

    {"format": "nnviz-run", "version": 1, "name": "run 1: 784-30-10, η=3, m=10",
     "label": "", "settings": {...}, "diverged": false, "initial_speed": [...] | null,
     "epochs": [{EpochReport's fields}, ...], "result": {TrainingResult's, without history}
     | null, "timeline": {"epochs": [0, 1, ...], "stride": 1, "layers": [2, 2, ...]}}

``load_run`` raises RunFileError (a ValueError whose message names the file and the problem) for
anything else: no Python objects, no entry it does not expect, shapes that do not chain, values
of the wrong type, more than MAX_RUN_BYTES of arrays.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import fields
from pathlib import Path

import numpy as np

from .netfile import _DAMAGED, MAX_LAYERS, _is_int, _show, read_header, read_member
from .network import MAX_LAYER_SIZE
from .session import MAX_POINTS, Curve, Run
from .timeline import BUDGET, MAX_SNAPSHOTS, Timeline
from .training import EpochReport, TrainingResult
from .userfiles import open_for_reading, write_atomically

FORMAT = "nnviz-run"
VERSION = 1
#: A run file's arrays may take at most this many bytes (four timelines' budget).
MAX_RUN_BYTES = 4 * BUDGET
#: How a run may have ended (TrainingResult.reason).
REASONS = ("completed", "early-stopped", "cancelled", "diverged")
KIND = "an nnviz run file"


class RunFileError(ValueError):
    """A run file that cannot be read; the message names the file and the problem."""


def run_path_for(network_path) -> Path:
    """Where a network's run goes by default: ``net.npz`` → ``net.run.npz``, next to it."""
    path = Path(network_path)
    return path.with_name(path.name.removesuffix(".npz") + ".run.npz")


def save_run(run: Run, path) -> None:
    """Write ``run`` to ``path`` (.npz) atomically; OSError if it cannot be written."""
    timeline = run.timeline
    snapshots = [timeline.snapshot(e) for e in timeline.epochs]
    result = None
    if run.result is not None:
        result = {f.name: getattr(run.result, f.name) for f in fields(TrainingResult)
                  if f.name != "history"}
    header = {"format": FORMAT, "version": VERSION, "name": run.name, "label": run.label,
              "settings": run.settings, "diverged": bool(run.diverged),
              "initial_speed": _floats(run.initial_speed),
              "epochs": [e.as_dict() for e in run.epochs], "result": result,
              "timeline": {"epochs": timeline.epochs, "stride": timeline.stride,
                           "layers": [len(s) for s in snapshots]}}
    arrays = {"header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
              "batch": np.array([run.batch_cost.xs, run.batch_cost.ys], dtype=np.float64)
              .reshape(2, -1)}
    for i, snap in enumerate(snapshots):
        for l, a in enumerate(snap, start=1):
            arrays[f"s{i}_{l}"] = a
    write_atomically(Path(path), lambda f: np.savez(f, **arrays))


def _floats(values) -> list | None:
    return None if values is None else [float(v) for v in values]


def load_run(path) -> Run:
    """The run saved in ``path`` by save_run; RunFileError on any problem."""
    path = Path(path)

    def fail(problem: str) -> RunFileError:
        return RunFileError(f"{path}: {problem}")

    with open_for_reading(path, fail, KIND) as f:
        try:
            with zipfile.ZipFile(f) as archive:
                return _read_archive(archive, fail)
        except RunFileError:
            raise
        except RecursionError:
            raise fail(f"damaged or not {KIND} (header nested too deeply)") from None
        except _DAMAGED as exc:
            detail = str(exc) or ("unexpected end of data" if isinstance(exc, EOFError)
                                  else type(exc).__name__)
            raise fail(f"damaged or not {KIND} ({detail})") from None


def _read_archive(archive: zipfile.ZipFile, fail) -> Run:
    infos = archive.infolist()
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise fail(f"damaged or not {KIND} (an entry appears twice)")
    if "header.npy" not in names:
        raise fail(f"not {KIND} (no header)")
    if sum(i.file_size for i in infos if i.filename != "header.npy") > MAX_RUN_BYTES:
        raise fail(f"its arrays take more than {MAX_RUN_BYTES:,} bytes, more than nnviz "
                   "keeps of a run")
    header = read_header(archive, fail, KIND, FORMAT, VERSION)
    check = _Checker(fail)
    name = check.text(header, "name")
    label = check.text(header, "label")
    settings = header.get("settings")
    if not isinstance(settings, dict):
        raise fail(f"bad settings {_show(settings)}: expected a JSON object")
    initial = check.numbers(header, "initial_speed")
    epochs = header.get("epochs")
    if not isinstance(epochs, list):
        raise fail(f"bad epochs {_show(epochs)}: expected a list")
    reports = [check.record(EpochReport, e, f"epoch report {i + 1}", exclude=())
               for i, e in enumerate(epochs)]
    result = header.get("result")
    if result is not None:
        result = check.record(TrainingResult, result, "result", exclude=("history",))
        if result.reason not in REASONS:
            raise fail(f"bad result reason {_show(result.reason)} (one of "
                       f"{', '.join(REASONS)})")
        result.history = list(reports)
    diverged = header.get("diverged")
    if not isinstance(diverged, bool):
        raise fail(f"bad diverged {_show(diverged)}: expected true or false")

    timeline, expected = _read_timeline(archive, header.get("timeline"), fail)
    expected.update({"header.npy", "batch.npy"})
    for n in names:
        if n not in expected:
            raise fail(f"not {KIND} (unexpected entry {_show(n)})")
    batch = Curve()
    if "batch.npy" in names:
        arr = read_member(archive, "batch", _shape(archive, "batch", fail), fail, kind=KIND)
        if arr.ndim != 2 or arr.shape[0] != 2 or arr.shape[1] > 2 * MAX_POINTS:
            raise fail(f"batch has shape {arr.shape}, expected (2, n) with n ≤ "
                       f"{2 * MAX_POINTS}")
        batch.xs, batch.ys = arr[0].tolist(), arr[1].tolist()
    return Run(name, settings, batch_cost=batch, epochs=reports, result=result,
               diverged=diverged, label=label, initial_speed=initial, timeline=timeline)


def _shape(archive: zipfile.ZipFile, key: str, fail) -> tuple:
    """The shape ``key``.npy declares (read_member checks the rest)."""
    with archive.open(f"{key}.npy") as f:
        version = np.lib.format.read_magic(f)
        if version not in ((1, 0), (2, 0)):
            raise fail(f"damaged or not {KIND} ({key} has .npy format version "
                       f"{version[0]}.{version[1]})")
        read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                else np.lib.format.read_array_header_2_0)
        return tuple(read(f)[0])


def _read_timeline(archive: zipfile.ZipFile, spec, fail) -> tuple[Timeline, set]:
    """The timeline the header describes and the entries it reads."""
    if not isinstance(spec, dict):
        raise fail(f"bad timeline {_show(spec)}: expected a JSON object")
    epochs, stride, layers = spec.get("epochs"), spec.get("stride"), spec.get("layers")
    if (not isinstance(epochs, list) or not all(_is_int(e) and e >= 0 for e in epochs)
            or epochs != sorted(set(epochs)) or len(epochs) > MAX_SNAPSHOTS):
        raise fail(f"bad timeline epochs {_show(epochs)}: expected at most {MAX_SNAPSHOTS} "
                   "ascending whole numbers ≥ 0")
    if not _is_int(stride) or stride < 1:
        raise fail(f"bad timeline stride {_show(stride)}: expected a whole number ≥ 1")
    if (not isinstance(layers, list) or len(layers) != len(epochs)
            or not all(_is_int(n) and 1 <= n <= MAX_LAYERS for n in layers)):
        raise fail(f"bad timeline layers {_show(layers)}: expected one count of layers (1 to "
                   f"{MAX_LAYERS}) per epoch")
    snapshots, expected = [], set()
    for i, count in enumerate(layers):
        snap = []
        for l in range(1, count + 1):
            key = f"s{i}_{l}"
            expected.add(f"{key}.npy")
            if f"{key}.npy" not in archive.namelist():
                raise fail(f"{key} is missing (epoch {epochs[i]}, layer {l})")
            shape = _shape(archive, key, fail)
            if (len(shape) != 2 or not 1 <= shape[0] <= MAX_LAYER_SIZE
                    or not 2 <= shape[1] <= MAX_LAYER_SIZE + 1):
                raise fail(f"{key} has shape {shape}, expected a layer's [w | b]")
            if snap and shape[1] != snap[-1].shape[0] + 1:
                raise fail(f"{key} has shape {shape}: it does not follow layer {l - 1}'s "
                           f"{snap[-1].shape[0]} neurons")
            a = read_member(archive, key, shape, fail, kind=KIND, float64=False)
            if not np.isfinite(a).all():
                raise fail(f"{key} contains NaN or infinite values")
            snap.append(a)
        snapshots.append(snap)
    return Timeline.restored(epochs, snapshots, stride), expected


class _Checker:
    """Values of the header checked against their fields' types, with a message naming them."""

    def __init__(self, fail) -> None:
        self.fail = fail

    def text(self, d: dict, key: str) -> str:
        v = d.get(key)
        if not isinstance(v, str):
            raise self.fail(f"bad {key} {_show(v)}: expected text")
        return v

    def numbers(self, d: dict, key: str, where: str = "") -> list | None:
        v = d.get(key)
        if v is None:
            return None
        if not isinstance(v, list) or not all(_number(x) for x in v) or len(v) > MAX_LAYERS:
            raise self.fail(f"bad {key}{where} {_show(v)}: expected a list of numbers")
        return [float(x) for x in v]

    def record(self, cls, d, what: str, exclude: tuple):
        """An instance of the dataclass ``cls`` from the JSON object ``d``: every field but
        ``exclude`` present, of its type (int, float, str, a list of numbers; or None where the
        default is None)."""
        if not isinstance(d, dict):
            raise self.fail(f"bad {what} {_show(d)}: expected a JSON object")
        values = {}
        for f in fields(cls):
            if f.name in exclude:
                continue
            if f.name not in d:
                raise self.fail(f"{what} has no {f.name}")
            v, kind = d[f.name], str(f.type)
            if v is None and "None" in kind:
                values[f.name] = None
            elif kind.startswith("list"):
                values[f.name] = self.numbers(d, f.name, f" in {what}")
            elif kind.startswith("int") and _is_int(v):
                values[f.name] = int(v)
            elif kind.startswith("float") and _number(v):
                values[f.name] = float(v)
            elif kind.startswith("str") and isinstance(v, str):
                values[f.name] = v
            else:
                raise self.fail(f"bad {f.name} in {what}: {_show(v)}")
        unknown = set(d) - {f.name for f in fields(cls)}
        if unknown:
            raise self.fail(f"{what} has unknown entries {_show(sorted(unknown))}")
        return cls(**values)


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
