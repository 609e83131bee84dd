"""``nnviz landscape``: E as a function of one weight or bias (or over a grid of two), all other
parameters fixed, on one example of a preset or a saved network (chosen as ``nnviz step``
chooses it) or on N examples of its data: the curve, the backpropagated slope there, one
gradient-descent step and E after it; for two parameters the grid and the descent paths.
Readable lines, or one JSON object for slides and checks."""

from __future__ import annotations

import json

import numpy as np

from ..constants import STEP_ETA
from .common import UsageError, _count, _finite, _positive_int

#: Most points of a curve, and of a side of a grid.
MAX_CURVE_POINTS = 100_001
MAX_GRID_POINTS = 401


def add_parser(sub) -> None:
    """Add ``nnviz landscape`` to the sub-command parsers ``sub``."""
    la = sub.add_parser(
        "landscape", help="E as a function of one or two weights or biases (the slope, a step)",
        description="The graph of the error E as a function of one parameter (a weight w^l_jk "
        "or a bias b^l_j) with all others fixed, around its value: the slope of its tangent "
        "is backpropagation's ∂E/∂w, and a step w − η ∂E/∂w moves the point downhill (or "
        "jumps over the minimum when η is too large). With --param2, E over a grid of two "
        "parameters with the descent path from the current point and from random restarts.",
    )
    which = la.add_mutually_exclusive_group()
    which.add_argument("--preset", metavar="NAME",
                       help="the preset network (see nnviz --list-presets)")
    which.add_argument("--open", metavar="PATH", dest="open_path",
                       help="a saved network file (.npz)")
    la.add_argument("--param", required=True, metavar="w:L:J:K|b:L:J",
                    help="the parameter: w:L:J:K is the weight w^L_JK from neuron K of layer "
                    "L-1 to neuron J of layer L, b:L:J the bias b^L_J (layers from 1, neurons "
                    "from 0)")
    la.add_argument("--param2", metavar="w:L:J:K|b:L:J",
                    help="a second parameter: E over a grid of both")
    la.add_argument("--range", type=_finite, dest="half_width", metavar="R",
                    help="values from value − R to value + R (default max(2, 2·|value|))")
    la.add_argument("--points", type=_positive_int, metavar="N",
                    help="values of the curve (default 201) or per side of the grid (41)")
    la.add_argument("--eta", type=_finite, default=STEP_ETA,
                    help=f"learning rate η of the step, > 0 (default {STEP_ETA}, as nnviz step)")
    la.add_argument("--steps", type=_count, metavar="K",
                    help="descent steps on the slice from the value and from each restart "
                    "(default 0 for one parameter, 30 for two)")
    la.add_argument("--restarts", type=_count, default=4, metavar="N",
                    help="descents from random starting points within the range (default 4; "
                    "with --steps)")
    la.add_argument("--seed", type=_count, default=0, help="seed of the restarts' points")
    la.add_argument("--input", metavar="X1,X2,...",
                    help="the input x (default: the preset's example or MNIST test image "
                    "--example); write --input=-1,2 when the first value is negative")
    la.add_argument("--target", metavar="Y1,Y2,...", help="the target y")
    la.add_argument("--example", type=_count, metavar="N",
                    help="MNIST presets and 784-input network files: MNIST test image N")
    la.add_argument("--samples", type=_positive_int, metavar="N",
                    help="E over the first N training examples instead of one: MNIST's for "
                    "784-input networks, else the preset's own data")
    la.add_argument("--json", action="store_true",
                    help="one JSON object: param, value, values, E, slope, eta, step_to, E_after "
                    "(with --param2: params, value, values (two axes), E (the grid), gradient, "
                    "eta, step_to, E_after, path, restarts)")


def _parameter(net, text: str, option: str):
    from ..core.landscape import Parameter

    try:
        return Parameter.parse(text, net)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _samples(args, net, mnist: bool):
    """(x, y) of the first --samples training examples; UsageError if there are none."""
    n = args.samples
    if args.input is not None or args.example is not None:
        raise UsageError("--samples takes examples of the data: give it without --input and "
                         "--example")
    if mnist or (args.open_path is not None and net.sizes[0] == 784):
        from ..data import IDXError, load_mnist

        if net.sizes[-1] != 10:
            raise UsageError("--samples of MNIST needs a network with 10 outputs")
        try:
            data = load_mnist().train
        except IDXError as exc:
            raise UsageError(str(exc)) from None
    else:
        from ..core.presets import get_preset

        preset = get_preset(args.preset) if args.preset is not None else None
        if preset is None or preset.dataset is None:
            raise UsageError("--samples needs data: a preset with its own data (e.g. xor) or "
                             "a 784-input network (MNIST)")
        data = preset.dataset()
    n = min(n, len(data))
    return data.inputs(slice(0, n)), data.targets(slice(0, n)).reshape(n, -1)


def run_landscape(args) -> int:
    from ..core import landscape
    from .step import step_example

    if args.samples is not None:
        if args.preset is None and args.open_path is None:
            raise UsageError("one of the arguments --preset --open is required")
        from .step import _network

        source, net, mnist = _network(args)
        x, y = _samples(args, net, mnist)
        where: dict = {"samples": len(x)}
    else:
        source, net, x, y, where = step_example(args)
    p1 = _parameter(net, args.param, "--param")
    p2 = None if args.param2 is None else _parameter(net, args.param2, "--param2")
    if p2 is not None and p2 == p1:
        raise UsageError("--param2 must be another parameter than --param")
    if args.half_width is not None and args.half_width <= 0:
        raise UsageError(f"--range must be a positive number, got {args.half_width:g}")
    if args.eta <= 0:
        raise UsageError(f"--eta must be a positive number, got {args.eta:g}")
    most = MAX_CURVE_POINTS if p2 is None else MAX_GRID_POINTS
    points = args.points or (landscape.CURVE_POINTS if p2 is None else landscape.GRID_POINTS)
    if not 2 <= points <= most:
        raise UsageError(f"--points must be between 2 and {most}, got {points}")
    steps = args.steps if args.steps is not None else (0 if p2 is None else 30)
    try:
        if p2 is None:
            result = landscape.curve(net, x, y, p1, args.half_width, points, args.eta, steps,
                                     args.restarts if steps else 0, args.seed)
        else:
            result = landscape.grid(net, x, y, p1, p2, args.half_width, points, args.eta,
                                    steps, args.restarts if steps else 0, args.seed)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    what = {"file": source.key} if args.open_path is not None else {"preset": source.key}
    if args.json:
        print(json.dumps({**what, **where, **result.to_dict()}))
        return 0
    _print(source, where, result, p2 is None, x)
    return 0


def _print(source, where: dict, r, one: bool, x) -> None:
    from ..core.equations import fmt

    x = np.asarray(x, dtype=float).reshape(-1)
    data = (f"{where['samples']} examples" if "samples" in where else
            f"MNIST test image {where['example']}" if "example" in where else
            "x = (" + ", ".join(fmt(v) for v in x) + ")" if len(x) <= 10 else "its input")
    if one:
        name = r.param.name
        print(f"{source.title}: E as a function of {name} (all other parameters fixed), "
              f"on {data}")
        print(f"  {name} = {fmt(r.value)}: E = {fmt(r.E_value)}")
        print(f"  slope ∂E/∂{name} = {fmt(r.slope)} (backpropagation)")
        print(f"  step η = {fmt(r.eta)}: {name} → {fmt(r.step_to)}, E = {fmt(r.E_after)} "
              f"({'lower' if r.E_after < r.E_value else 'not lower'})")
        i = int(np.nanargmin(r.E))
        print(f"  lowest on the curve: E = {fmt(r.E[i])} at {name} = {fmt(r.values[i])}")
        for i in np.linspace(0, len(r.values) - 1, min(11, len(r.values))).astype(int):
            print(f"    {fmt(r.values[i]):>12}  {fmt(r.E[i]):>12}")
        if r.path is not None:
            print(f"  {len(r.path.E) - 1} descent steps: E {fmt(r.path.E[0])} → "
                  f"{fmt(r.path.E[-1])} at {name} = {fmt(r.path.points[-1, 0])}"
                  f"{' (diverged)' if r.path.diverged else ''}")
        return
    names = " and ".join(p.name for p in r.params)
    print(f"{source.title}: E over {names} (all other parameters fixed), on {data}, "
          f"{len(r.values[0])} × {len(r.values[1])} points")
    print(f"  at ({fmt(r.value[0])}, {fmt(r.value[1])}): E = {fmt(r.E_value)}, gradient "
          f"({fmt(r.gradient[0])}, {fmt(r.gradient[1])})")
    print(f"  step η = {fmt(r.eta)}: → ({fmt(r.step_to[0])}, {fmt(r.step_to[1])}), "
          f"E = {fmt(r.E_after)}")
    for label, path in [("from the point", r.path)] + [
            (f"restart {i + 1}", p) for i, p in enumerate(r.restarts)]:
        if path is not None:
            end = path.points[-1]
            print(f"  descent {label}: E {fmt(path.E[0])} → {fmt(path.E[-1])} at "
                  f"({fmt(end[0])}, {fmt(end[1])}){' (diverged)' if path.diverged else ''}")
