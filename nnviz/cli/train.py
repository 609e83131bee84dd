"""``nnviz train``: train a network headless on MNIST (or any IDX data set) and print one line
per epoch, or a JSON summary. The defaults come from :data:`nnviz.constants.TRAIN_DEFAULTS`."""

from __future__ import annotations

import json
import os
import secrets
import signal
import sys
import threading
import time

from ..constants import TRAIN_DEFAULTS
from .common import UsageError, _count, _finite, _positive_int


def add_parser(sub) -> None:
    """Add ``nnviz train`` to the sub-command parsers ``sub``."""
    from ..core import ACTIVATIONS, COSTS, SCHEDULES

    d = TRAIN_DEFAULTS
    tr = sub.add_parser(
        "train", help="train on MNIST (or any IDX data set) without a window",
        description="Train a network headless and print one line per epoch.",
    )
    tr.add_argument("--data", metavar="DIR", help="folder with the four MNIST-style IDX files "
                    "(default: the MNIST copy bundled with nnviz)")
    tr.add_argument("--preset", metavar="NAME", help="train a preset network (its weights, "
                    "cost and own data, if any) with its article's settings: " +
                    ", ".join(_trained_presets()) + "; options given as well override them")
    tr.add_argument("--recipe", default=None, choices=["article", "fast"],
                    help="with --preset: the article's settings (default) or fast modern ones "
                    "(momentum, a cosine schedule, fewer epochs)")
    tr.add_argument("--layers", default=None, metavar="N,N,...",
                    help=f"layer sizes, input first (default {d['layers']})")
    tr.add_argument("--activation", default=None, metavar="NAME[,NAME...]",
                    help="one name: the hidden layers' activation, the output layer following "
                    "the cost (softmax for log-likelihood, sigmoid otherwise); or one name per "
                    f"non-input layer, output last. One of {', '.join(ACTIVATIONS)} (default "
                    f"{d['activation']})")
    tr.add_argument("--cost", default=None, choices=list(COSTS),
                    help=f"cost function (default {d['cost']})")
    tr.add_argument("--eta", type=_finite, default=None, help=f"learning rate η "
                    f"(default {d['eta']})")
    tr.add_argument("--batch", type=_positive_int, default=None,
                    help=f"mini-batch size (default {d['batch']})")
    tr.add_argument("--epochs", type=_positive_int, default=None,
                    help=f"epochs (default {d['epochs']})")
    tr.add_argument("--seed", type=_count, default=None,
                    help="seed of the initial weights and the shuffling (default: random, "
                    "printed so the run can be repeated)")
    tr.add_argument("--init", default=None, choices=["auto", "standard", "scaled", "he"],
                    help="weight initialisation: standard N(0,1); scaled N(0,1/n_in); he "
                    "N(0,2/n_in); auto = he for ReLU hidden layers, scaled otherwise")
    tr.add_argument("--l2", type=_finite, default=None, help="L2 regularisation λ "
                    "(Nielsen's: cost + λ/2n Σw²; default 0)")
    tr.add_argument("--momentum", type=_finite, default=None,
                    help=f"momentum μ in [0, 1) (default {d['momentum']})")
    tr.add_argument("--schedule", default=None, choices=list(SCHEDULES),
                    help=f"learning-rate schedule (default {d['schedule']}); step halves η "
                    "every --step-epochs epochs")
    tr.add_argument("--step-epochs", type=_positive_int, default=None, metavar="N",
                    help="with --schedule step: halve η every N epochs (default 10)")
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
    tr.add_argument("--save", metavar="PATH", help="save the trained network (.npz): the "
                    "weights the run ends with (after --early-stop, those of the best "
                    "validation epoch)")
    tr.add_argument("--weight-speed", action="store_true",
                    help="also measure each layer's ‖∂E/∂w^l‖ (the learning speed ‖∂E/∂b^l‖ on "
                    "the first 1,000 training images is always measured, at the start and "
                    "after every epoch)")
    tr.add_argument("--json", action="store_true",
                    help="print only one line of JSON on stdout (accuracy of the returned "
                    "network, timing, per-epoch history); progress goes to stderr")


def _trained_presets() -> list[str]:
    from ..core.presets import PRESETS
    from ..core.recipes import recipes_for

    return [key for key in PRESETS if recipes_for(key) is not None]


#: The options a preset's recipe sets, with their names in TrainConfig.
RECIPE_OPTIONS = {"eta": "eta", "batch": "batch_size", "epochs": "epochs",
                  "momentum": "momentum", "l2": "l2", "schedule": "schedule"}


def apply_preset(args):
    """Fill in the options left out: from the preset's recipe with --preset (returning the
    preset), else from TRAIN_DEFAULTS (returning None). UsageError for options that do not go
    with --preset."""
    from ..core.presets import get_preset
    from ..core.recipes import ARTICLE, recipes_for

    preset = None
    if args.preset is not None:
        try:
            preset = get_preset(args.preset)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        recipes = recipes_for(preset.key)
        if recipes is None:
            raise UsageError(f"the preset {preset.key} has no training recipe; choose one of "
                             f"{', '.join(_trained_presets())}")
        given = [f"--{k}" for k in ("layers", "activation", "cost", "init")
                 if getattr(args, k) is not None]
        if given:
            raise UsageError(f"--preset {preset.key} sets the network; leave out "
                             f"{', '.join(given)}")
        config = recipes.get(args.recipe or ARTICLE)
        for option, field in RECIPE_OPTIONS.items():
            if getattr(args, option) is None:
                setattr(args, option, getattr(config, field))
        if args.step_epochs is None and args.schedule == "step":
            args.step_epochs = config.step_epochs
    elif args.recipe is not None:
        raise UsageError("--recipe needs --preset NAME")
    for option in ("layers", "cost", "init", *RECIPE_OPTIONS):
        if getattr(args, option) is None:
            setattr(args, option, TRAIN_DEFAULTS[option])
    return preset


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
    if len(names) == 1:  # the hidden layers; the output layer follows the cost
        names = [names[0]] * (L - 1) + [output]
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
    from ..core.blas import blas_threads, prefer_one_thread
    from ..core.netfile import save_network
    from ..data import IDXError, load_mnist

    preset = apply_preset(args)
    if args.seed is None:
        args.seed = secrets.randbelow(2**31)
    if args.early_stop is not None and args.validation == 0:
        raise UsageError("--early-stop needs a validation set: add --validation N")
    if args.step_epochs is not None and args.schedule != "step":
        raise UsageError("--step-epochs needs --schedule step")
    if args.save:
        check_save_path(args.save)
    step_epochs = args.step_epochs or TrainConfig.step_epochs
    config = TrainConfig(eta=args.eta, batch_size=args.batch, epochs=args.epochs,
                         momentum=args.momentum, l2=args.l2, schedule=args.schedule,
                         step_epochs=step_epochs, seed=args.seed, early_stop=args.early_stop,
                         dtype=args.dtype, weight_speed=args.weight_speed, speed_share=None)
    try:
        config.validate()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    prefer_one_thread()
    own = preset.dataset() if preset is not None and preset.dataset is not None else None
    if own is not None:
        if args.data:
            raise UsageError(f"the preset {preset.key} trains on its own data; leave out --data")
        data = _OwnData(own, own)
    else:
        try:
            data = load_mnist(args.data)
        except IDXError as exc:
            raise UsageError(str(exc)) from None
    train_set, test_set = data.train, data.test
    if args.train_size is not None:
        train_set = train_set.subset(slice(0, args.train_size))
    if args.test_size is not None:
        test_set = test_set.subset(slice(0, args.test_size))
    for ds in (train_set, test_set):
        if len(ds) == 0:
            raise UsageError(f"{ds.name} has no images" + (f" (in {args.data})" if args.data
                                                           else ""))
    validation = None
    if args.validation:
        if args.validation >= len(train_set):
            raise UsageError(f"--validation {args.validation} leaves no training images (there "
                             f"are {len(train_set)})")
        train_set, validation = train_set.split(args.validation, seed=args.seed)
    if preset is not None:
        net = preset.build()
        if (net.sizes[0], net.sizes[-1]) != (train_set.n_inputs, train_set.n_outputs):
            raise UsageError(f"the preset {preset.key} ({'-'.join(map(str, net.sizes))}) does "
                             "not fit the data")
    else:
        net = network_from_args(args, train_set.n_inputs, train_set.n_outputs)

    # With --json, stdout carries only the JSON (so it can be piped); progress goes to stderr.
    progress = sys.stderr if args.json else sys.stdout
    for line in settings_lines(args, net, step_epochs, data, train_set, validation, test_set):
        print(line, file=progress)
    warning = step_warning(args.eta, args.momentum, net.cost_function)
    if warning:
        print(warning, file=sys.stderr)
    trainer = Trainer(net, train_set, config, validation=validation, test=test_set)
    wall = time.perf_counter()
    # Ctrl-C asks the trainer to stop before its next mini-batch, so the run ends cleanly.
    interrupted = []

    def on_sigint(signum, frame):
        interrupted.append(True)
        trainer.cancel()

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if main_thread else None
    try:
        for report in trainer.run():
            if isinstance(report, EpochReport):
                print(_epoch_line(report), file=progress, flush=True)
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
    result = trainer.result
    wall = time.perf_counter() - wall
    if args.save:
        try:
            save_network(net, args.save, provenance=_provenance(
                args, net, result, step_epochs, data, train_set, validation, test_set))
        except OSError as exc:
            print(f"nnviz train: error: could not save {args.save}: {exc.strerror or exc}",
                  file=sys.stderr)
            return 1
    accs = [r.test_accuracy for r in result.history if r.test_accuracy is not None]
    best = result.best_epoch
    summary = {
        "reason": result.reason,
        "message": result.message,
        "test_accuracy": result.test_accuracy,
        "test_cost": result.test_cost,
        "validation_accuracy": result.validation_accuracy,
        "best_epoch": best,
        "best_test_accuracy": max(accs) if accs else None,
        "epochs": result.epochs_completed,
        "seconds": result.train_seconds,
        "wall_seconds": wall,
        "samples_per_second": result.samples_per_second,
        "initial_learning_speed": result.initial_learning_speed,
        **({"initial_weight_speed": result.initial_weight_speed} if args.weight_speed else {}),
        "seed": args.seed,
        "warnings": [warning] if warning else [],
        "network": {"sizes": net.sizes, "activations": net.activation_names,
                    "cost": net.cost_name, "init": net.init},
        "config": {"eta": args.eta, "batch": args.batch, "epochs": args.epochs,
                   "momentum": args.momentum, "l2": args.l2, "schedule": args.schedule,
                   "step_epochs": step_epochs, "validation": args.validation,
                   "early_stop": args.early_stop, "dtype": args.dtype,
                   "train_size": len(train_set), "test_size": len(test_set),
                   "blas_threads": blas_threads()},
        "history": [
            {"epoch": r.epoch, "train_cost": r.train_cost, "test_cost": r.test_cost,
             "test_accuracy": r.test_accuracy, "validation_cost": r.validation_cost,
             "validation_accuracy": r.validation_accuracy, "eta": r.eta,
             "seconds": r.seconds, "train_seconds": r.train_seconds,
             "learning_speed": r.learning_speed,
             **({"weight_speed": r.weight_speed} if args.weight_speed else {})}
            for r in result.history
        ],
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(_summary_line(result, validation is not None, args.save, len(train_set)))
    if interrupted:
        return 130  # 128 + SIGINT, the shell's code for a command ended by Ctrl-C
    return 1 if result.reason == "diverged" else 0


class _OwnData:
    """A preset's own data, standing in for the MNIST set: train and test (the same points)."""

    def __init__(self, train, test) -> None:
        self.train, self.test, self.folder = train, test, None


def _data_files(data) -> dict:
    """The names of the four IDX files the data came from, keyed like MNIST_FILES."""
    from ..data.mnist import find_mnist_files

    if isinstance(data, _OwnData):
        return {}
    try:
        return {role: path.name for role, path in find_mnist_files(data.folder).items()}
    except Exception:  # the files were read a moment ago; their names are only descriptive
        return {}


def _source(args) -> str:
    if args.preset is not None:
        from ..core.presets import get_preset

        own = get_preset(args.preset).dataset
        if own is not None:
            return f"the preset's own data, {own().name} (trained and tested on)"
    return f"the IDX files in {args.data}" if args.data else "MNIST (bundled with nnviz)"


def settings_lines(args, net, step_epochs, data, train_set, validation, test_set) -> list[str]:
    """Every setting in effect, one compact block printed before the first epoch."""
    from ..core.blas import blas_threads

    init = f"{net.init} (by --init auto)" if args.init == "auto" else net.init
    if args.preset is not None:
        from ..core.recipes import ARTICLE, CHOICES, recipes_for

        recipe = args.recipe or ARTICLE
        init = (f"{net.init}, the weights of preset {args.preset}; {CHOICES[recipe].lower()}"
                + (f" ({recipes_for(args.preset).note})" if recipe == ARTICLE else ""))
    if args.schedule == "step":
        schedule = (f"step: η = {args.eta:g} halves every {step_epochs} epochs"
                    + (" (not within this run)" if step_epochs >= args.epochs else ""))
    elif args.schedule == "cosine":
        schedule = f"cosine: η anneals from {args.eta:g} to 0 over the run"
    else:
        schedule = f"constant: η = {args.eta:g} throughout"
    stop = (f"after {args.epochs} epochs, or {args.early_stop} epochs without validation "
            "improvement (the best epoch's weights kept)" if args.early_stop
            else f"after {args.epochs} epochs")
    n_train = len(data.train)
    n_test = len(data.test)
    sizes = [f"{len(train_set)} training images"
             + (f" (first {args.train_size} of {n_train})" if args.train_size else ""),
             f"{len(validation) if validation is not None else 0} validation"
             + (" (split off the training images at random by the seed)"
                if validation is not None else ""),
             f"{len(test_set)} test" + (f" (first {args.test_size} of {n_test})"
                                         if args.test_size else "")]
    files = _data_files(data)
    source = _source(args) + (f" ({files['train_images']}, {files['test_images']})"
                              if files else "")
    rows = [
        ("network", f"{'-'.join(map(str, net.sizes))} ({', '.join(net.activation_names)}), "
                    f"cost {net.cost_name}, init {init}"),
        ("training", f"η {args.eta:g}, mini-batch {args.batch}, epochs {args.epochs}, momentum "
                     f"{args.momentum:g}, L2 λ {args.l2:g}, dtype {args.dtype}, seed {args.seed}"),
        ("schedule", schedule),
        ("stopping", stop),
        ("data", f"{source}: {', '.join(sizes)}"),
        ("threads", f"one process, numpy BLAS with {blas_threads()} thread(s) " + _why_threads()),
    ]
    return ["settings:"] + [f"  {key:<9} {value}" for key, value in rows]


#: How far above a cost's usual largest effective step η/(1 − μ) ``nnviz train`` warns.
STEP_WARNING_FACTOR = 2.0


def step_warning(eta: float, momentum: float, cost) -> str | None:
    """A warning when the effective step η/(1 − μ) is far above what ``cost`` usually
    tolerates (e.g. the articles' η = 3 with the default momentum 0.9: effective 30), else None."""
    effective = eta / (1 - momentum)
    limit = cost.usual_max_step
    if effective <= STEP_WARNING_FACTOR * limit:
        return None
    hint = (f"; the articles' η = {eta:g} is for plain SGD: add --momentum 0"
            if momentum else "; try a smaller --eta")
    return (f"nnviz train: warning: the effective step η/(1 − μ) = {eta:g}/(1 − {momentum:g}) = "
            f"{effective:.3g} is far above what the {cost.name} cost usually tolerates "
            f"(about {limit:g}): training will likely diverge or stall" + hint)


def _why_threads() -> str:
    from ..core.blas import USER_VARIABLES

    chosen = [f"{var}={os.environ[var]}" for var in USER_VARIABLES if os.environ.get(var)]
    if chosen:
        return f"(as {', '.join(chosen)} asks)"
    return "(one is faster for these small products; OPENBLAS_NUM_THREADS=N to choose)"


def _provenance(args, net, result, step_epochs, data, train_set, validation, test_set) -> dict:
    """The provenance saved with the network (see nnviz.core.provenance): the settings, the
    data, and the accuracies of the network saved, which is the one the run returned."""
    from ..core import provenance

    kept = provenance.kept_epoch(result)
    training = {"eta": args.eta, "batch_size": args.batch, "epochs_asked": args.epochs,
                "epochs_completed": result.epochs_completed, "momentum": args.momentum,
                "schedule": args.schedule,
                "step_epochs": step_epochs if args.schedule == "step" else None,
                "l2": args.l2, "early_stop": args.early_stop, "dtype": args.dtype,
                "seed": args.seed, "stopped": result.reason, "kept_epoch": kept,
                "train_seconds": round(result.train_seconds, 3)}
    files = _data_files(data)
    data_section = {"source": _source(args), "train_images": len(train_set),
                    "validation_images": len(validation) if validation is not None else 0,
                    "test_images": len(test_set), "train_subset": args.train_size,
                    "test_subset": args.test_size,
                    **{f"{role}_file": name for role, name in files.items()}}
    result_section = {"train_accuracy": net.evaluate(train_set)[1],
                      "validation_accuracy": result.validation_accuracy,
                      "test_accuracy": result.test_accuracy, "test_cost": result.test_cost}
    return provenance.from_training("nnviz train", net, training, data_section, result_section)


def check_save_path(path: str) -> None:
    """UsageError unless a network file can be written at ``path`` (checked before training)."""
    parent = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError(f"--save {path} is a folder; give a file name such as net.npz")
    if not os.path.isdir(parent):
        raise UsageError(f"--save {path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"--save {path}: cannot write in the folder {parent}")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise UsageError(f"--save {path}: the file exists and cannot be overwritten")


def _summary_line(result, has_validation: bool, save: str | None, n_train: int) -> str:
    """The closing line: how the run ended, the returned network's test accuracy (the result),
    the best epoch labelled as such, the speed and what was saved."""
    parts = [f"{result.reason}: {result.message}."]
    if result.test_accuracy is not None:
        what = "the saved network" if save else "the final network"
        parts.append(f"Test accuracy of {what}: {result.test_accuracy:.2%}.")
    by_epoch = {r.epoch: r for r in result.history}
    best = by_epoch.get(result.best_epoch)
    last = result.history[-1].epoch if result.history else None
    if (best is not None and best.test_accuracy is not None and best.epoch != last
            and result.reason != "early-stopped"):  # early stopping returns the best epoch
        if has_validation and best.validation_accuracy is not None:
            parts.append(f"Best validation epoch {best.epoch} (not the one returned): "
                         f"validation {best.validation_accuracy:.2%}, test "
                         f"{best.test_accuracy:.2%}.")
        else:
            parts.append(f"Best epoch by test accuracy {best.epoch}: {best.test_accuracy:.2%} "
                         "(picked by the test set itself, so not a fair estimate; use "
                         "--validation N to choose an epoch).")
    parts.append(f"{result.train_seconds:.2f} s of training, "
                 f"{result.samples_per_second:,.0f} samples/s.")
    if save:
        done = result.epochs_completed
        if result.reason == "cancelled" and result.samples_trained > done * n_train:
            parts.append(f"Saved the weights as they were when stopped, in epoch {done + 1} "
                         f"after {result.samples_trained - done * n_train} of its {n_train} "
                         f"images, to {save}.")
        elif result.reason == "cancelled":
            parts.append(f"Saved the weights of epoch {done}, the last finished one, to "
                         f"{save}.")
        elif result.reason == "early-stopped":
            parts.append(f"Saved the weights of epoch {result.best_epoch} to {save}.")
        else:
            parts.append(f"Saved the {'last finite' if result.reason == 'diverged' else 'final'}"
                         f" weights to {save}.")
    return " ".join(parts)


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
