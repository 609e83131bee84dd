"""``nnviz bench``: the arguments of the benchmarks; the benchmarks themselves live in
:mod:`nnviz.bench`, imported only when one runs."""

from __future__ import annotations

from .common import _count, _Parser, _positive_int


def add_parser(sub) -> None:
    """Add ``nnviz bench`` and its sub-commands to the sub-command parsers ``sub``."""
    bench = sub.add_parser("bench", help="measure speed and fidelity")
    bsub = bench.add_subparsers(dest="bench", parser_class=_Parser, required=True)
    bt = bsub.add_parser("train", help="seconds per epoch: nnviz vs per-sample loop vs torch",
                         description="Time one MNIST epoch of 784-30-10 (sigmoid, quadratic "
                         "cost) with nnviz, per-sample backprop and a hand-written PyTorch loop "
                         "(same initial weights, sample order, batch, η, momentum; torch only "
                         "if installed), side by side with the test accuracy each reaches.")
    bt.add_argument("--repeats", type=_positive_int, default=3)
    bt.add_argument("--no-reference", action="store_true", help="skip the per-sample loop")
    bt.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    bt.add_argument("--json", action="store_true")
    bf = bsub.add_parser("fidelity", help="reproduce Nielsen's published MNIST accuracies",
                         description="Train Nielsen's two published MNIST runs and compare "
                         "their best test accuracy with a target a little below the published "
                         "figure. Exit code 0 if both reach it, 1 (one line per miss on "
                         "stderr) if not.")
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
    bo = bsub.add_parser("open", help="seconds and peak memory of `nnviz --open` for the "
                         "largest networks (784-1024-1024-10, 4096-4096-4096-10)")
    bo.add_argument("--repeats", type=_positive_int, default=2)
    bo.add_argument("--json", action="store_true")
    bl = bsub.add_parser("landscape", help="ms for a 201-point curve and a 41x41 grid of E "
                         "over first-layer weights of 784-30-10 on 1,000 MNIST images")
    bl.add_argument("--json", action="store_true")
    bq = bsub.add_parser("time-to-accuracy",
                         help="accuracy reached by `nnviz train`'s defaults against training time")
    bq.add_argument("--seeds", type=_positive_int, default=3)
    bq.add_argument("--json", action="store_true")


def run_bench(args) -> int:
    from ..bench import main as bench_main

    return bench_main(args)
