"""The targets a benchmark states in its JSON, each with the measured value and whether it was
met, and one line for the human-readable log."""

from __future__ import annotations


def target(measured, limit: float, at_most: bool) -> dict:
    """{"target", "at_most" or "at_least": True, "measured", "met"}; met is None when nothing
    was measured."""
    met = None if measured is None else (measured <= limit if at_most else measured >= limit)
    return {"target": limit, "at_most" if at_most else "at_least": True, "measured": measured,
            "met": met}


def state(out: dict, targets: dict[str, dict], log=None) -> dict:
    """Store ``targets`` (name → ``target(...)``) in ``out`` with ``reached`` (every measured
    target met) and log one line per target."""
    out["targets"] = targets
    out["reached"] = all(t["met"] for t in targets.values() if t["met"] is not None)
    if log is not None:
        for name, t in targets.items():
            sign = "≤" if "at_most" in t else "≥"
            value = "not measured" if t["measured"] is None else f"{t['measured']:.3g}"
            verdict = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
            log(f"target {name} {sign} {t['target']:g}: {value}, {verdict}")
    return out
