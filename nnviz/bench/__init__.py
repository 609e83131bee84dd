"""``nnviz bench …``: benchmarks that print figures and ratios measured side by side in one run.

Speed targets are checked here, never by timed assertions in tests (shared, noisy machines).
``nnviz bench fidelity`` exits 1 (after its figures) when a run misses its accuracy target.
"""

from __future__ import annotations

import json
import sys


def main(args) -> int:
    from ..core.blas import prefer_one_thread
    from ..data import load_mnist

    prefer_one_thread()  # as nnviz train does (see nnviz.core.blas)
    log = (lambda line: None) if args.json else (lambda line: print(line, flush=True))
    if args.bench in ("render", "startup"):
        from . import render_bench

        if args.bench == "render":
            result = render_bench.run_render(frames=args.frames, log=log)
        else:
            result = render_bench.run_startup(repeats=args.repeats, log=log)
        if args.json:
            print(json.dumps(result))
        return 0
    if args.bench in ("gui", "draw", "playground", "open"):
        if args.bench == "open":
            from .open_bench import run

            result = run(repeats=args.repeats, log=log)
        elif args.bench == "playground":
            from .playground_bench import run

            result = run(log=log)
        elif args.bench == "gui":
            from .gui_bench import run

            result = run(epochs=args.epochs, log=log)
        else:
            from .draw_bench import run

            result = run(log=log)
        if args.json:
            print(json.dumps(result))
        return 0
    mnist = load_mnist()
    if args.bench == "train":
        from .train_bench import run

        result = run(mnist.train, mnist.test, repeats=args.repeats, reference=not args.no_reference,
                     torch=not args.no_torch, log=log)
    elif args.bench == "fidelity":
        from .fidelity import run

        result = run(mnist, seed=args.seed, log=log)
    elif args.bench == "landscape":
        from .landscape_bench import run

        result = run(mnist, log=log)
    elif args.bench == "time-to-accuracy":
        from .fidelity import time_to_accuracy

        result = time_to_accuracy(mnist, seeds=args.seeds, log=log)
    else:  # argparse restricts the choices
        raise AssertionError(args.bench)
    if args.json:
        print(json.dumps(result))
    if args.bench == "fidelity":
        from .fidelity import missed

        for line in missed(result):
            print(f"nnviz bench fidelity: target missed: {line}", file=sys.stderr)
        return 1 if missed(result) else 0
    return 0
