"""Command line: ``nnviz`` (the app; ``--open PATH`` starts with a saved network), ``nnviz
train`` (headless training), ``nnviz step`` (one example through the forward and backward
passes, every number printed), ``nnviz info`` (a saved network file), ``nnviz bench``.

Qt is imported only when the app starts, so ``train``, ``step``, ``info`` and ``bench`` run
without a display.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import sys
import time

from ..constants import STEP_ETA, TRAIN_DEFAULTS

class UsageError(Exception):
    """A bad command-line value: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line (plus exit code 2), not usage + traceback."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 1, got {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 0, got {value}")
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from ..core import ACTIVATIONS, COSTS, SCHEDULES

    parser = _Parser(prog="nnviz", description="See a neural network learn.")
    parser.add_argument("--version", action="version", version=_version())
    _add_gui_options(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    _add_gui_options(sub.add_parser("gui", help="start the app (the default)"))

    d = TRAIN_DEFAULTS
    tr = sub.add_parser(
        "train", help="train on MNIST (or any IDX data set) without a window",
        description="Train a network headless and print one line per epoch.",
    )
    tr.add_argument("--data", metavar="DIR", help="folder with the four MNIST-style IDX files "
                    "(default: the MNIST copy bundled with nnviz)")
    tr.add_argument("--layers", default=d["layers"], metavar="N,N,...",
                    help=f"layer sizes, input first (default {d['layers']})")
    tr.add_argument("--activation", default=None, metavar="NAME[,NAME...]",
                    help="hidden-layer activation, or one per non-input layer; the output "
                    "layer follows the cost unless listed (softmax for log-likelihood, sigmoid "
                    f"otherwise). One of {', '.join(ACTIVATIONS)} (default {d['activation']})")
    tr.add_argument("--cost", default=d["cost"], choices=list(COSTS),
                    help=f"cost function (default {d['cost']})")
    tr.add_argument("--eta", type=_finite, default=d["eta"], help=f"learning rate η "
                    f"(default {d['eta']})")
    tr.add_argument("--batch", type=_positive_int, default=d["batch"],
                    help=f"mini-batch size (default {d['batch']})")
    tr.add_argument("--epochs", type=_positive_int, default=d["epochs"],
                    help=f"epochs (default {d['epochs']})")
    tr.add_argument("--seed", type=_count, default=None,
                    help="seed of the initial weights and the shuffling (default: random, "
                    "printed so the run can be repeated)")
    tr.add_argument("--init", default=d["init"], choices=["auto", "standard", "scaled", "he"],
                    help="weight initialisation: standard N(0,1); scaled N(0,1/n_in); he "
                    "N(0,2/n_in); auto = he for ReLU hidden layers, scaled otherwise")
    tr.add_argument("--l2", type=_finite, default=d["l2"], help="L2 regularisation λ "
                    "(Nielsen's: cost + λ/2n Σw²; default 0)")
    tr.add_argument("--momentum", type=_finite, default=d["momentum"],
                    help=f"momentum μ in [0, 1) (default {d['momentum']})")
    tr.add_argument("--schedule", default=d["schedule"], choices=list(SCHEDULES),
                    help=f"learning-rate schedule (default {d['schedule']})")
    tr.add_argument("--validation", type=_count, default=d["validation"], metavar="N",
                    help="hold out N training images as a validation set (default 0)")
    tr.add_argument("--early-stop", type=_positive_int, default=None, metavar="N",
                    help="stop after N epochs without validation improvement (needs "
                    "--validation)")
    tr.add_argument("--train-size", type=_positive_int, default=None, metavar="N",
                    help="train on the first N training images only")
    tr.add_argument("--test-size", type=_positive_int, default=None, metavar="N",
                    help="evaluate on the first N test images only")
    tr.add_argument("--dtype", default="float32", choices=["float32", "float64"],
                    help="precision of bulk training (default float32)")
    tr.add_argument("--save", metavar="PATH", help="save the trained network (.npz)")
    tr.add_argument("--json", action="store_true",
                    help="end with one line of JSON: accuracy, timing and per-epoch history")

    st = sub.add_parser(
        "step", help="walk one example through the forward and backward passes",
        description="Step one example through a preset network, stage by stage: the input, "
        "the forward pass z^l = w^l a^(l-1) + b^l, a^l = σ(z^l), the error E, backpropagation "
        "δ^l = ∂E/∂z^l (BP1, BP2), the gradients (BP3, BP4) and one gradient-descent update "
        "w ← w − η ∂E/∂w, with every number filled in.",
    )
    st.add_argument("--preset", required=True, metavar="NAME",
                    help="the preset network (see nnviz --list-presets)")
    st.add_argument("--input", metavar="X1,X2,...",
                    help="the input x, one value per input neuron (default: the preset's "
                    "example; for the MNIST presets the test image --example). Write "
                    "--input=-1,2 when the first value is negative")
    st.add_argument("--target", metavar="Y1,Y2,...",
                    help="the target y, one value per output neuron (default: the preset's "
                    "target; for the MNIST presets the one-hot label of the test image)")
    st.add_argument("--example", type=_count, metavar="N",
                    help="MNIST presets only: use MNIST test image N (default 0)")
    st.add_argument("--eta", type=_finite, default=STEP_ETA,
                    help=f"learning rate η of the update stage, > 0 (default {STEP_ETA}: a "
                    "moderate step that lowers E on the small presets without overshooting)")
    st.add_argument("--json", action="store_true",
                    help="print one JSON object with every number (sizes, activations, cost, "
                    "eta, input, target, E_before, E_after and per layer w, b, z, a, delta, "
                    "grad_w, grad_b) instead of the walk")

    info = sub.add_parser(
        "info", help="describe a saved network file (.npz) and check that it loads",
        description="Check a network file saved by nnviz (e.g. by nnviz train --save) the way "
        "the app loads it, and print its layers, activations, cost, initialisation and number "
        "of parameters. Exit code 0 if it loads, 2 (with one line on stderr) if not.",
    )
    info.add_argument("path", metavar="PATH", help="the network file (.npz)")
    info.add_argument("--json", action="store_true",
                      help="print one JSON object (path, format, version, sizes, activations, "
                      "cost, init, n_parameters) instead")

    bench = sub.add_parser("bench", help="measure speed and fidelity")
    bsub = bench.add_subparsers(dest="bench", parser_class=_Parser, required=True)
    bt = bsub.add_parser("train", help="seconds per epoch: nnviz vs per-sample loop vs torch")
    bt.add_argument("--repeats", type=_positive_int, default=3)
    bt.add_argument("--no-reference", action="store_true", help="skip the per-sample loop")
    bt.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    bt.add_argument("--json", action="store_true")
    bf = bsub.add_parser("fidelity", help="reproduce Nielsen's published MNIST accuracies")
    bf.add_argument("--seed", type=_count, default=0)
    bf.add_argument("--json", action="store_true")
    br = bsub.add_parser("render", help="ms per frame of the graph view (offscreen 1600x900)")
    br.add_argument("--frames", type=_positive_int, default=20)
    br.add_argument("--json", action="store_true")
    bs = bsub.add_parser("startup", help="seconds from launch to the first painted window")
    bs.add_argument("--repeats", type=_positive_int, default=5)
    bs.add_argument("--json", action="store_true")
    bg = bsub.add_parser("gui", help="training in the app vs headless; event-loop lateness")
    bg.add_argument("--epochs", type=_positive_int, default=10)
    bg.add_argument("--json", action="store_true")
    bp = bsub.add_parser("playground", help="full heatmap updates per second of the 2-D "
                         "playground (2-8-8-1)")
    bp.add_argument("--json", action="store_true")
    bd = bsub.add_parser("draw", help="ms from a pen movement to the updated answer "
                         "(preprocessing, forward pass, bars)")
    bd.add_argument("--json", action="store_true")
    bq = bsub.add_parser("time-to-accuracy",
                         help="accuracy reached by `nnviz train`'s defaults against training time")
    bq.add_argument("--seeds", type=_positive_int, default=3)
    bq.add_argument("--json", action="store_true")
    return parser


def _selection(text: str) -> tuple:
    parts = text.split(":")
    kinds = {"neuron": 3, "bias": 3, "edge": 4}
    if not parts or parts[0] not in kinds or len(parts) != kinds[parts[0]]:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not KIND:L:J[:K] (neuron:L:J, bias:L:J or edge:L:J:K)")
    try:
        numbers = [int(v) for v in parts[1:]]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: layer and indices must be whole numbers")
    if min(numbers) < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: layer and indices must be ≥ 0")
    return (parts[0], *numbers)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1600x900, got "
                                         f"{text!r}") from None
    if not (200 <= w <= 8000 and 150 <= h <= 8000):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is out of range (200x150 to 8000x8000)")
    return w, h


def _add_gui_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", metavar="NAME", help="open this preset network "
                   "(see --list-presets)")
    p.add_argument("--screenshot", metavar="PATH",
                   help="render the window offscreen to a PNG and exit")
    p.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 1600x900")
    p.add_argument("--list-presets", action="store_true", help="print the preset names")
    p.add_argument("--open", metavar="PATH", dest="open_path",
                   help="start with this saved network (.npz)")
    p.add_argument("--presentation", action="store_true",
                   help="start in presentation mode (F5 in the app; Esc leaves)")
    p.add_argument("--theme", choices=("light", "dark", "system"),
                   help="colour theme for this run (default: the saved choice, else the "
                   "system's)")
    p.add_argument("--stage", type=int, metavar="N", help="start stepping at stage N (0 = the "
                   "input; a number past the end is the last stage, the update)")
    p.add_argument("--select", type=_selection, metavar="KIND:L:J[:K]",
                   help="select a neuron, bias or edge, e.g. neuron:1:0, bias:2:0, edge:2:0:1")
    p.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)


def _version() -> str:
    from .. import __version__

    return f"nnviz {__version__}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command in (None, "gui"):
            return run_gui(args)
        if args.command == "train":
            return run_train(args)
        if args.command == "step":
            return run_step(args)
        if args.command == "info":
            return run_info(args)
        if args.command == "bench":
            from ..bench import main as bench_main

            return bench_main(args)
    except UsageError as exc:
        prog = f"nnviz {args.command}" if args.command else "nnviz"
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``nnviz step | head``): stop quietly, as Unix tools do. Point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, the shell's code for a command ended by a closed pipe
    return 0


def run_gui(args) -> int:
    from ..core.presets import PRESETS

    if args.list_presets:
        for key, preset in PRESETS.items():
            print(f"{key:<18} {preset.title}")
        return 0
    if args.preset is not None and args.preset not in PRESETS:
        raise UsageError(f"unknown preset {args.preset!r}; choose from {', '.join(PRESETS)}")
    if args.stage is not None and args.stage < 0:
        raise UsageError(f"--stage must be 0 or more, got {args.stage}")
    if args.open_path is not None:
        from ..core.netfile import NetworkFileError, load_network

        try:
            load_network(args.open_path)  # checked before any window appears
        except NetworkFileError as exc:
            raise UsageError(str(exc)) from None
    from ..app import main as app_main

    try:
        return app_main(screenshot=args.screenshot, preset=args.preset, size=args.size,
                        startup_probe=args.startup_probe, stage=args.stage, select=args.select,
                        open_path=args.open_path, presentation=args.presentation,
                        theme=args.theme)
    except ValueError as exc:  # e.g. a selection that is not in the network
        raise UsageError(str(exc)) from None


# -- nnviz train --------------------------------------------------------------------------------

def network_from_args(args, n_in: int, n_out: int):
    """Build the Network an argparse namespace describes; UsageError on bad values."""
    from ..core import ACTIVATIONS, Network

    try:
        sizes = [int(s) for s in args.layers.split(",")]
    except ValueError:
        raise UsageError(f"--layers must be whole numbers separated by commas, got "
                         f"{args.layers!r}") from None
    if len(sizes) < 2:
        raise UsageError("--layers needs at least an input and an output size")
    if sizes[0] != n_in or sizes[-1] != n_out:
        raise UsageError(f"--layers {args.layers} does not fit the data: it has {n_in} inputs "
                         f"and {n_out} classes, so the first size must be {n_in} and the last "
                         f"{n_out}")
    L = len(sizes) - 1
    output = {"log-likelihood": "softmax", "cross-entropy": "sigmoid"}.get(args.cost, "sigmoid")
    names = (args.activation or TRAIN_DEFAULTS["activation"]).split(",")
    names = [n.strip().lower() for n in names]
    for n in names:
        if n not in ACTIVATIONS:
            raise UsageError(f"unknown activation {n!r}; choose from {', '.join(ACTIVATIONS)}")
    if len(names) == 1:
        hidden = names[0]
        if args.activation and args.cost == "quadratic":
            output = hidden  # --activation sigmoid --cost quadratic: the articles' network
        names = [hidden] * (L - 1) + [output]
    elif len(names) != L:
        raise UsageError(f"--activation lists {len(names)} names but the network has {L} "
                         "non-input layers")
    init = args.init
    if init == "auto":
        init = "he" if all(n in ("relu", "leaky-relu") for n in names[:-1]) and L > 1 else "scaled"
    try:
        return Network(sizes, names, args.cost, seed=args.seed, init=init)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def run_train(args) -> int:
    from ..core import EpochReport, TrainConfig, Trainer
    from ..core.netfile import save_network
    from ..data import IDXError, load_mnist

    if args.seed is None:
        args.seed = secrets.randbelow(2**31)
    if args.early_stop is not None and args.validation == 0:
        raise UsageError("--early-stop needs a validation set: add --validation N")
    config = TrainConfig(eta=args.eta, batch_size=args.batch, epochs=args.epochs,
                         momentum=args.momentum, l2=args.l2, schedule=args.schedule,
                         seed=args.seed, early_stop=args.early_stop, dtype=args.dtype)
    try:
        config.validate()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        data = load_mnist(args.data)
    except IDXError as exc:
        raise UsageError(str(exc)) from None
    train_set, test_set = data.train, data.test
    if args.train_size is not None:
        train_set = train_set.subset(slice(0, args.train_size))
    if args.test_size is not None:
        test_set = test_set.subset(slice(0, args.test_size))
    validation = None
    if args.validation:
        if args.validation >= len(train_set):
            raise UsageError(f"--validation {args.validation} leaves no training images (there "
                             f"are {len(train_set)})")
        train_set, validation = train_set.split(args.validation, seed=args.seed)
    net = network_from_args(args, train_set.n_inputs, train_set.n_outputs)

    if not args.json:
        print(f"{net}  init={net.init}  seed={args.seed}")
        print(f"training on {len(train_set)} images, testing on {len(test_set)}"
              + (f", validating on {len(validation)}" if validation is not None else ""))
    trainer = Trainer(net, train_set, config, validation=validation, test=test_set)
    wall = time.perf_counter()
    run = trainer.run()
    try:
        for report in run:
            if isinstance(report, EpochReport):
                print(_epoch_line(report), flush=True)
    except KeyboardInterrupt:
        trainer.cancel()
        for _ in run:  # finish cleanly: the trainer stops before its next mini-batch
            pass
    result = trainer.result
    wall = time.perf_counter() - wall
    if args.save:
        try:
            save_network(net, args.save)
        except OSError as exc:
            print(f"nnviz train: error: could not save {args.save}: {exc}", file=sys.stderr)
            return 1
    accs = [r.test_accuracy for r in result.history if r.test_accuracy is not None]
    summary = {
        "reason": result.reason,
        "message": result.message,
        "test_accuracy": accs[-1] if accs else None,
        "best_test_accuracy": max(accs) if accs else None,
        "epochs": result.epochs_completed,
        "seconds": result.train_seconds,
        "wall_seconds": wall,
        "samples_per_second": result.samples_per_second,
        "seed": args.seed,
        "network": {"sizes": net.sizes, "activations": net.activation_names,
                    "cost": net.cost_name, "init": net.init},
        "config": {"eta": args.eta, "batch": args.batch, "epochs": args.epochs,
                   "momentum": args.momentum, "l2": args.l2, "schedule": args.schedule,
                   "validation": args.validation, "early_stop": args.early_stop,
                   "dtype": args.dtype, "train_size": len(train_set),
                   "test_size": len(test_set)},
        "history": [
            {"epoch": r.epoch, "train_cost": r.train_cost, "test_cost": r.test_cost,
             "test_accuracy": r.test_accuracy, "validation_cost": r.validation_cost,
             "validation_accuracy": r.validation_accuracy, "seconds": r.seconds,
             "train_seconds": r.train_seconds}
            for r in result.history
        ],
    }
    if args.json:
        print(json.dumps(summary))
    else:
        best = f"{summary['best_test_accuracy']:.2%}" if accs else "n/a"
        print(f"{result.reason}: {result.message}. Best test accuracy {best}; "
              f"{result.train_seconds:.2f} s of training, "
              f"{result.samples_per_second:,.0f} samples/s"
              + (f"; saved to {args.save}" if args.save else ""))
    return 1 if result.reason == "diverged" else 0


def _epoch_line(r) -> str:
    parts = [f"epoch {r.epoch:>3}/{r.epochs}", f"train cost {r.train_cost:.4f}"]
    if r.validation_cost is not None:
        parts.append(f"validation cost {r.validation_cost:.4f}")
        if r.validation_accuracy is not None:
            parts.append(f"validation accuracy {r.validation_accuracy:.2%}")
    if r.test_cost is not None:
        parts.append(f"test cost {r.test_cost:.4f}")
        if r.test_accuracy is not None:
            parts.append(f"test accuracy {r.test_accuracy:.2%}")
    parts.append(f"{r.seconds:.2f} s")
    return "  ".join(parts)


# -- nnviz info ---------------------------------------------------------------------------------

def run_info(args) -> int:
    from ..core.netfile import NetworkFileError, network_info

    try:
        info = network_info(args.path)
    except NetworkFileError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(info))
        return 0
    print(f"{info['path']}: nnviz network, format version {info['version']}")
    print(f"layers: {'-'.join(map(str, info['sizes']))} ({', '.join(info['activations'])}), "
          f"cost {info['cost']}, init {info['init']}")
    print(f"parameters: {info['n_parameters']:,}")
    return 0


# -- nnviz step ---------------------------------------------------------------------------------

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
        raise UsageError(f"{option} needs {n} value{'s' if n != 1 else ''} for the {preset} "
                         f"preset, got {len(values)}")
    return values


def step_example(args):
    """(preset, network, x, y, source) for ``nnviz step``'s arguments; UsageError on bad ones.

    source describes the example: {"example": N, "label": d} for an MNIST test image, else {}.
    """
    from ..core.presets import get_preset

    try:
        preset = get_preset(args.preset)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    net = preset.build()
    n_in, n_out = net.sizes[0], net.sizes[-1]
    mnist = preset.example is None
    if args.example is not None and not mnist:
        raise UsageError(f"--example is only for the MNIST presets; the {preset.key} preset "
                         "has its own example (or give --input)")
    source: dict = {}
    target = preset.target
    if args.input is not None:
        x = _vector_arg(args.input, "--input", n_in, preset.key)
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
        target = test.targets(slice(n, n + 1))[0]
        source = {"example": n, "label": int(test.y[n])}
    else:
        x = list(preset.example)
    if args.target is not None:
        y = _vector_arg(args.target, "--target", n_out, preset.key)
    elif target is not None:
        y = list(target)
    elif mnist:
        raise UsageError(f"an --input for the {preset.key} preset needs a --target "
                         f"({n_out} values, e.g. a one-hot digit)")
    else:
        raise UsageError(f"the {preset.key} preset has no target for its example: give one "
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
        out = {"preset": preset.key, **source, **walk.to_dict()}
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
