"""A sweep: a small series of training runs that differ in one setting.

The articles ask how many hidden neurons to use, how the learning rate matters, and suggest
restarting from different initial weights. A sweep answers with one run per value, each from
fresh random weights, and the final test accuracy against the swept value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .network import MAX_LAYER_SIZE, Network
from .training import TrainConfig

#: What a sweep can vary, with the axis label of its result plot.
SWEEPS: dict[str, str] = {
    "hidden": "hidden neurons per hidden layer",
    "eta": "learning rate η",
    "seed": "seed of the initial weights",
}
#: Suggested values, as the articles use them.
DEFAULT_VALUES: dict[str, str] = {"hidden": "10, 30, 100", "eta": "0.1, 1, 3, 10",
                                  "seed": "1, 2, 3, 4, 5"}
MAX_RUNS = 20


@dataclass(frozen=True)
class SweepPlan:
    """What to vary (a key of SWEEPS) and its values, in the order the runs go."""

    kind: str
    values: tuple

    @property
    def label(self) -> str:
        return SWEEPS[self.kind]

    @property
    def log_axis(self) -> bool:
        """Learning rates and layer sizes spread over decades: plot them on a log axis."""
        return self.kind in ("eta", "hidden")


def parse_values(kind: str, text: str) -> SweepPlan:
    """Values from a comma- or space-separated list ("10, 30, 100"). ValueError with a plain
    message for an unknown kind, a bad number, a value out of range, repeats or too many runs."""
    if kind not in SWEEPS:
        raise ValueError(f"cannot sweep {kind!r}; choose one of {', '.join(SWEEPS)}")
    parts = [p for p in text.replace(",", " ").replace(";", " ").split() if p]
    if len(parts) < 2:
        raise ValueError("give at least two values, separated by commas")
    if len(parts) > MAX_RUNS:
        raise ValueError(f"at most {MAX_RUNS} values in one sweep, got {len(parts)}")
    values = []
    for p in parts:
        try:
            v = float(p)
        except ValueError:
            raise ValueError(f"{p!r} is not a number") from None
        if kind == "eta":
            if not (math.isfinite(v) and v > 0):
                raise ValueError(f"η must be a positive number, got {p}")
        else:
            if not (math.isfinite(v) and v == int(v)):
                raise ValueError(f"{SWEEPS[kind]} must be whole numbers, got {p}")
            v = int(v)
            lo = 1 if kind == "hidden" else 0
            hi = MAX_LAYER_SIZE if kind == "hidden" else 2 ** 31 - 1
            if not lo <= v <= hi:
                raise ValueError(f"{SWEEPS[kind]} must be between {lo} and {hi}, got {p}")
        values.append(v)
    if len(set(values)) != len(values):
        raise ValueError("each value once, please: the runs would repeat")
    return SweepPlan(kind, tuple(values))


def run_setup(base: Network, config: TrainConfig, plan: SweepPlan, value) -> tuple:
    """The network (fresh random weights) and configuration of the sweep's run for ``value``.

    hidden: every hidden layer of ``base`` gets ``value`` neurons (ValueError if base has none);
    eta: config's η becomes value; seed: the initial weights are drawn with seed ``value``
    (otherwise with config.seed, so runs of an η or hidden-size sweep start alike).
    Returns (Network, TrainConfig); ``base`` is not changed.
    """
    sizes = list(base.sizes)
    init_seed = config.seed
    if plan.kind == "hidden":
        if len(sizes) < 3:
            raise ValueError("this network has no hidden layer to resize")
        sizes = [sizes[0]] + [int(value)] * (len(sizes) - 2) + [sizes[-1]]
    elif plan.kind == "eta":
        config = replace(config, eta=float(value))
    else:
        init_seed = int(value)
    net = Network(sizes, base.activation_names, base.cost_name, seed=init_seed, init=base.init)
    return net, config.validate()
