"""Provenance: how a saved network was made, kept in its file's header under "provenance".

What a training run records (``from_training``): who made it ("made_by": ``nnviz train`` or the
window), the nnviz version, the date (UTC, ISO 8601), a SHA-256 checksum of the trained weights
and biases ("weights_sha256") and four sections: "network" (layers, activations, cost,
initialisation), "training" (every setting in effect: η, mini-batch, epochs asked and
completed, momentum, the schedule and its period, L2 λ, early stopping, dtype, seed, how the run
ended and whose weights were kept), "data" (the data set, its files, the numbers of training,
validation and test examples) and "result" (the accuracies of the network the run returned,
which is the one saved, measured after training; not those of a best epoch unless its weights
are the ones kept).

Edited after training: the checksum tells whether the weights are still the trained ones.
``for_saving`` picks the record to write with a network: one whose checksum matches the network
as it is now, else the newest one marked "edited_after_training": true (its settings say how the
network was once trained; its results describe those trained weights, not the saved ones). A
file without provenance (a preset, a hand-made or an imported network) says so.

Reading trusts nothing (``checked``): a provenance is a JSON object of at most MAX_KEYS entries,
each a JSON scalar (a string of at most MAX_TEXT printable characters, a finite number of at most
MAX_NUMBER in size, a boolean or null) or an object of at most MAX_KEYS such scalars (one level
deep), with keys of at most MAX_KEY printable characters and at most MAX_BYTES of JSON in all.
Anything else makes the whole provenance unreadable: ignored, and said so. It is only ever
shown as text.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import textwrap
from datetime import datetime, timezone

from .network import Network

#: At most this many entries in the provenance and in each of its sections.
MAX_KEYS = 64
#: At most this many characters in a key.
MAX_KEY = 64
#: At most this many characters in a string value.
MAX_TEXT = 500
#: Numbers of at most this size.
MAX_NUMBER = 1e15
#: At most this many bytes of JSON in all.
MAX_BYTES = 16_384

#: The sections, in the order they are shown, with their headings.
SECTIONS = {"network": "network", "training": "training", "data": "data", "result": "result"}


def nnviz_version() -> str:
    """The installed nnviz's version (importlib.metadata), else the source tree's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nnviz")
    except PackageNotFoundError:
        from .. import __version__

        return __version__


def weights_digest(net: Network) -> str:
    """SHA-256 of the layer sizes and every weight and bias as little-endian float64."""
    h = hashlib.sha256("-".join(map(str, net.sizes)).encode())
    for w, b in zip(net.weights, net.biases):
        h.update(w.astype("<f8", copy=False).tobytes(order="C"))
        h.update(b.astype("<f8", copy=False).tobytes(order="C"))
    return h.hexdigest()


def from_training(made_by: str, net: Network, training: dict, data: dict,
                  result: dict) -> dict:
    """The provenance of ``net`` as a training run left it (checked: ValueError if it breaks
    the rules above). ``training``, ``data``, ``result``: the sections (None values left out)."""
    prov = {
        "made_by": made_by,
        "nnviz_version": nnviz_version(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "weights_sha256": weights_digest(net),
        "network": {"layers": "-".join(map(str, net.sizes)),
                    "activations": ", ".join(net.activation_names), "cost": net.cost_name,
                    "init": net.init},
        "training": _without_none(training),
        "data": _without_none(data),
        "result": _without_none(result),
    }
    return checked(prov)


def kept_epoch(result) -> int | None:
    """The epoch whose weights a TrainingResult's network has: the last for a completed run,
    the best for an early-stopped one; None when a run ended in mid-epoch or diverged."""
    if result.reason == "completed" and result.history:
        return result.history[-1].epoch
    return result.best_epoch if result.reason == "early-stopped" else None


def from_run(made_by: str, net: Network, settings: dict, result, epochs_asked: int, data,
             counts=None, changes=()) -> dict:
    """The provenance of ``net`` after a run in the window: ``settings`` as a session's Run
    keeps them (a TrainConfig's fields), ``result`` its TrainingResult, ``data`` its DataSpec,
    ``counts`` (training, validation, test examples) as the worker loaded them, ``changes``
    what was changed while it trained (e.g. "eta 0.05")."""
    kept = kept_epoch(result)
    kept_report = next((r for r in result.history if r.epoch == kept), None)
    training = {"eta": settings.get("eta"), "batch_size": settings.get("batch_size"),
                "epochs_asked": epochs_asked, "epochs_completed": result.epochs_completed,
                "momentum": settings.get("momentum"), "schedule": settings.get("schedule"),
                "step_epochs": settings.get("step_epochs")
                if settings.get("schedule") == "step" else None,
                "l2": settings.get("l2"), "l1": settings.get("l1") or None,
                "early_stop": settings.get("early_stop"),
                "dtype": settings.get("dtype"), "seed": settings.get("seed"),
                "stopped": result.reason, "kept_epoch": kept,
                "train_seconds": round(result.train_seconds, 3),
                "changed_while_training": "; ".join(changes) or None}
    section = describe_data(data)
    if counts is not None:
        section.update(zip(("train_images", "validation_images", "test_images"), counts))
    outcome = {"train_accuracy": kept_report.train_accuracy if kept_report else None,
               "validation_accuracy": result.validation_accuracy,
               "test_accuracy": result.test_accuracy, "test_cost": result.test_cost}
    return from_training(made_by, net, training, section, outcome)


def describe_data(spec) -> dict:
    """The data section for a DataSpec: MNIST (its folder and files, the subsets asked for)
    or the name of the in-memory data set."""
    if not spec.is_mnist:
        return {"source": spec.train.name}
    from ..data.idx import IDXError
    from ..data.mnist import default_mnist_dir, find_mnist_files

    section = {"source": "MNIST (bundled with nnviz)" if spec.mnist_folder is None
               else f"the IDX files in {spec.mnist_folder}",
               "train_subset": spec.train_size, "test_subset": spec.test_size}
    try:
        folder = spec.mnist_folder or default_mnist_dir()
        section.update({f"{role}_file": path.name
                        for role, path in find_mnist_files(folder).items()})
    except (IDXError, OSError):  # the names are only descriptive
        pass
    return section


def _without_none(section: dict) -> dict:
    fitted = {k: _fit(v) for k, v in section.items()}
    return {k: v for k, v in fitted.items() if v is not None}


def _fit(value):
    """A string made printable and short enough (a folder name typed by the user); None for a
    number that is not finite (a cost that overflowed); numpy numbers as Python's."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = int(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not isinstance(value, str):
        return value
    text = "".join(c if c.isprintable() else "\ufffd" for c in value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def edited(prov: dict, net: Network) -> bool:
    """True when ``net``'s weights are not those the provenance was recorded for."""
    return bool(prov.get("edited_after_training")) or \
        prov.get("weights_sha256") != weights_digest(net)


def for_saving(records, net: Network) -> dict | None:
    """The provenance to save with ``net``, from the ``records`` known for it (oldest first): the
    newest whose checksum matches ``net``, else the newest marked edited after training, else
    None."""
    if not records:
        return None
    digest = weights_digest(net)
    for prov in reversed(records):
        if prov.get("weights_sha256") == digest and not prov.get("edited_after_training"):
            return prov
    return {**records[-1], "edited_after_training": True}


# -- checking --------------------------------------------------------------------------------------

def checked(value) -> dict:
    """``value`` if it is a provenance by the rules above, else ValueError naming the problem."""
    if not isinstance(value, dict):
        raise ValueError("provenance is not a JSON object")
    _check_object(value, "provenance", nested=True)
    try:
        size = len(json.dumps(value, allow_nan=False).encode())
    except (TypeError, ValueError) as exc:
        raise ValueError(f"provenance is not plain JSON ({exc})") from None
    if size > MAX_BYTES:
        raise ValueError(f"provenance of {size:,} bytes is too large (at most {MAX_BYTES:,})")
    return value


def read(header: dict) -> tuple[dict | None, str]:
    """(provenance, "") from a file's header; (None, "") without one; (None, problem) when it
    is there but unreadable."""
    if "provenance" not in header:
        return None, ""
    try:
        return checked(header["provenance"]), ""
    except (ValueError, RecursionError) as exc:
        return None, str(exc)


def _check_object(obj: dict, where: str, nested: bool) -> None:
    if len(obj) > MAX_KEYS:
        raise ValueError(f"{where} has {len(obj)} entries (at most {MAX_KEYS})")
    for key, value in obj.items():
        if not isinstance(key, str) or not key or len(key) > MAX_KEY or not key.isprintable():
            raise ValueError(f"{where} has a key that is not a short printable name")
        if isinstance(value, dict) and nested:
            _check_object(value, f"{where}.{key}", nested=False)
        elif not _is_scalar(value):
            raise ValueError(f"{where}.{key} is not a short text, a number, true/false or null")


def _is_scalar(value) -> bool:
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        return len(value) <= MAX_TEXT and value.isprintable()
    if isinstance(value, int):
        return abs(value) <= MAX_NUMBER
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) <= MAX_NUMBER
    return False


# -- showing -------------------------------------------------------------------------------------

def describe(prov: dict | None, net: Network | None = None, problem: str = "",
             width: int = 100) -> list[str]:
    """Readable lines about a provenance (None: there is none, or ``problem`` says why it was
    ignored); with ``net``, whether its weights are still the trained ones."""
    if prov is None:
        if problem:
            return [f"provenance: unreadable, ignored ({problem})"]
        return ["provenance: none (not saved by a training run: a preset, a network made by "
                "hand or an imported one)"]
    head = " ".join(f"{words} {_text(prov[k])}" for k, words in (
        ("made_by", "made by"), ("nnviz_version", "with nnviz"), ("date", "on")) if k in prov)
    lines = [f"provenance: {head}" if head else "provenance:"]
    shown = {"made_by", "nnviz_version", "date", "weights_sha256", "edited_after_training"}
    for key in [*SECTIONS, *(k for k in prov if k not in SECTIONS and k not in shown)]:
        if key not in prov:
            continue
        value = prov[key]
        text = "; ".join(f"{k} {_text(v, k)}" for k, v in value.items()) if isinstance(
            value, dict) else _text(value, key)
        label = f"  {SECTIONS.get(key, key)}:"
        lines += textwrap.wrap(text or "-", width=width, initial_indent=f"{label:<13}",
                               subsequent_indent=" " * 13, break_on_hyphens=False)
    if prov.get("edited_after_training") or (net is not None and "weights_sha256" in prov
                                              and edited(prov, net)):
        lines.append("  weights:   edited after training: the results above describe the "
                     "trained weights, not these")
    elif net is not None and "weights_sha256" in prov:
        lines.append("  weights:   as trained (their checksum matches)")
    return lines


def _text(value, key: str = "") -> str:
    if isinstance(value, float) and key.endswith("accuracy") and 0 <= value <= 1:
        return f"{value:.2%}"
    if isinstance(value, float):
        return f"{value:.6g}"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
