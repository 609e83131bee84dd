"""``nnviz step``: one example through a preset network or a saved network file (``--open``),
stage by stage (the forward pass, the error, backpropagation down to ∂E/∂x, the gradients and
one gradient-descent update), every number printed, or one JSON object.
η defaults to :data:`nnviz.constants.STEP_ETA`, as in the window."""

from __future__ import annotations

import json
import math

from ..constants import STEP_ETA
from .common import UsageError, _count, _finite


def add_parser(sub) -> None:
    """Add ``nnviz step`` to the sub-command parsers ``sub``."""
    st = sub.add_parser(
        "step", help="walk one example through the forward and backward passes",
        description="Step one example through a preset network (--preset) or a saved network "
        "file (--open, e.g. one written by nnviz train --save), stage by stage: the input, "
        "the forward pass z^l = w^l a^(l-1) + b^l, a^l = σ(z^l), the error E, backpropagation "
        "δ^l = ∂E/∂z^l (BP1, BP2) down to the input's δ^0 = ∂E/∂x = (w^1)ᵀ δ^1, the "
        "gradients (BP3, BP4) and one gradient-descent update w ← w − η ∂E/∂w, with every "
        "number filled in.",
    )
    which = st.add_mutually_exclusive_group()  # one of them: run_step checks (nnviz --open F
    # step is step --open F)
    which.add_argument("--preset", metavar="NAME",
                       help="the preset network (see nnviz --list-presets)")
    which.add_argument("--open", metavar="PATH", dest="open_path",
                       help="a saved network file (.npz), e.g. from nnviz train --save; for a "
                       "784-input network the example is an MNIST test image (--example), "
                       "else give --input and --target")
    st.add_argument("--input", metavar="X1,X2,...",
                    help="the input x, one value per input neuron (default: the preset's "
                    "example; for the MNIST presets the test image --example). Write "
                    "--input=-1,2 when the first value is negative")
    st.add_argument("--target", metavar="Y1,Y2,...",
                    help="the target y, one value per output neuron (default: the preset's "
                    "target; for the MNIST presets the one-hot label of the test image)")
    st.add_argument("--example", type=_count, metavar="N",
                    help="MNIST presets and 784-input network files only: use MNIST test "
                    "image N (default 0)")
    st.add_argument("--eta", type=_finite, default=STEP_ETA,
                    help=f"learning rate η of the update stage, > 0 (default {STEP_ETA}: a "
                    "moderate step that lowers E on the small presets without overshooting)")
    st.add_argument("--json", action="store_true",
                    help="print one JSON object with every number (sizes, activations, cost, "
                    "eta, input, target, E_before, E_after, input_gradient = ∂E/∂x and per layer "
                    "w, b, z, a, delta, grad_w, grad_b) instead of the walk")


def _vector_arg(text: str, option: str, n: int, preset: str) -> list[float]:
    """Parse "v1,v2,..." into n finite floats; UsageError naming ``option`` otherwise."""
    values = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise UsageError(f"{option} must be numbers separated by commas, got "
                             f"{part.strip()!r}") from None
        if not math.isfinite(value):
            raise UsageError(f"{option} values must be finite numbers, got {part.strip()!r}")
        values.append(value)
    if len(values) != n:
        raise UsageError(f"{option} needs {n} value{'s' if n != 1 else ''} for the {preset}, "
                         f"got {len(values)}")
    return values


class _Source:
    """What is stepped: a preset or a network file (key, title, the example it carries)."""

    def __init__(self, key: str, title: str, name: str, example, target) -> None:
        self.key, self.title, self.name = key, title, name
        self.example, self.target = example, target


def _network(args):
    """(source, network, mnist) for ``--preset`` or ``--open``; UsageError on bad ones.

    mnist: the example is an MNIST test image (the MNIST presets; a file with 784 inputs and no
    example of its own)."""
    if args.open_path is not None:
        from ..core.netfile import NetworkFileError, load_described

        try:
            net, description = load_described(args.open_path)
        except NetworkFileError as exc:
            raise UsageError(str(exc)) from None
        example = description.get("example")
        target = description.get("target") if example is not None else None
        source = _Source(str(args.open_path), f"{args.open_path}",
                         f"{args.open_path} network", example, target)
        mnist = example is None and net.sizes[0] == 784
        return source, net, mnist
    from ..core.presets import get_preset

    try:
        preset = get_preset(args.preset)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    source = _Source(preset.key, preset.title, f"{preset.key} preset", preset.example,
                     preset.target)
    return source, preset.build(), preset.example is None


def step_example(args):
    """(source, network, x, y, mnist_source) for ``nnviz step``'s arguments; UsageError on bad
    ones.

    mnist_source describes the example: {"example": N, "label": d} for an MNIST test image,
    else {}.
    """
    if args.preset is None and args.open_path is None:
        raise UsageError("one of the arguments --preset --open is required")
    preset, net, mnist = _network(args)
    n_in, n_out = net.sizes[0], net.sizes[-1]
    if args.example is not None and not mnist:
        if preset.example is not None:
            raise UsageError(f"--example is only for the MNIST presets and 784-input networks; "
                             f"the {preset.name} has its own example (or give --input)")
        raise UsageError(f"--example is only for the MNIST presets and 784-input networks; "
                         f"the {preset.name} has {n_in} inputs: give --input")
    source: dict = {}
    target = preset.target
    if args.input is not None:
        x = _vector_arg(args.input, "--input", n_in, preset.name)
        if mnist:
            target = None  # the label of a test image says nothing about this input
    elif mnist:
        from ..data import IDXError, load_mnist

        try:
            test = load_mnist().test
        except IDXError as exc:
            raise UsageError(str(exc)) from None
        n = 0 if args.example is None else args.example
        if n >= len(test):
            raise UsageError(f"--example must be between 0 and {len(test) - 1}, got {n}")
        x = test.inputs(slice(n, n + 1))[0]
        target = test.targets(slice(n, n + 1))[0] if n_out == 10 else None
        source = {"example": n, "label": int(test.y[n])}
    elif preset.example is not None:
        x = list(preset.example)
    else:
        raise UsageError(f"the {preset.name} has no example of its own: give one with --input "
                         f"({n_in} value{'s' if n_in != 1 else ''})")
    if args.target is not None:
        y = _vector_arg(args.target, "--target", n_out, preset.name)
    elif target is not None:
        y = list(target)
    elif mnist and n_out == 10:
        raise UsageError(f"an --input for the {preset.name} needs a --target "
                         f"({n_out} values, e.g. a one-hot digit)")
    else:
        raise UsageError(f"the {preset.name} has no target for its example: give one "
                         f"with --target ({n_out} value{'s' if n_out != 1 else ''})")
    return preset, net, x, y, source


def run_step(args) -> int:
    from ..core.equations import explain, fmt
    from ..core.stepper import Walk

    preset, net, x, y, source = step_example(args)
    try:
        walk = Walk(net, x, y, eta=args.eta)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        what = {"file": preset.key} if args.open_path is not None else {"preset": preset.key}
        out = {**what, **source, **walk.to_dict()}
        print(json.dumps(out))
        return 0

    def vector(v) -> str:
        return "(" + ", ".join(fmt(t) for t in v) + ")"

    print(f"{preset.title}: {net}, η = {fmt(walk.eta)}")
    if source:
        print(f"x = MNIST test image {source['example']} (label {source['label']}), "
              f"y = {vector(walk.y)}")
    elif len(walk.x) <= 10:
        print(f"x = {vector(walk.x)}, y = {vector(walk.y)}")
    else:
        print(f"x = {len(walk.x)} values, y = {vector(walk.y)}")
    count = len(walk.stages)
    for i in range(count):
        stage = walk.go(i)
        print()
        print(f"[{i + 1}/{count}] {stage.title}")
        print("    " + explain(walk).text().replace("\n", "\n    "))
    return 0
