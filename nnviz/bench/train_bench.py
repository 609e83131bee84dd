"""``nnviz bench train``: seconds per MNIST epoch of 784-30-10, measured side by side.

In one run: nnviz's trainer at batch 10 and 100 and with momentum, the per-sample reference
loop, the fastest honest hand-written PyTorch CPU loop when torch is importable (see
reference.torch_epoch: the same network, initial weights, sample order, mini-batch, η, momentum
and float32, with as many threads as numpy's BLAS has, or one if that is faster here), and the
FLOP lower bound (the epoch's multiply-adds at the speed of a large float32 matmul measured now).
Both trainers' networks are evaluated the same way, on the test set, by nnviz's
Network.evaluate. Figures are best-of-``repeats`` wall times on a shared machine: compare the
ratios, which come from the same run, more than the seconds. Without torch the bench says so
and reports nnviz alone.
"""

from __future__ import annotations

import time

import numpy as np

from ..core import Network, TrainConfig, Trainer
from ..core.blas import blas_threads
from .reference import PerSampleSGD, torch_available, torch_epoch
from .targets import state, target

SIZES = [784, 30, 10]
ETA = 3.0


def matmul_gflops(n: int = 2048, repeats: int = 3) -> float:
    """Best float32 GFLOP/s of an n×n matmul on this machine, now."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    a @ b  # warm up the thread pool
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def epoch_flops(sizes, n_samples: int) -> float:
    """Floating-point operations of one epoch of backprop: forward, weight gradients and δ."""
    per_sample = 0
    for l, (k, n) in enumerate(zip(sizes[:-1], sizes[1:])):
        per_sample += 2 * n * (k + 1) * 2  # z = w a + b and ∂E/∂w, ∂E/∂b
        if l > 0:
            per_sample += 2 * n * k  # δ^(l−1) = wᵀ δ^l
    return per_sample * n_samples


def _timed(fn) -> float:
    tick = time.perf_counter()
    fn()
    return time.perf_counter() - tick


#: The configurations measured: (key, mini-batch, η, momentum μ). The articles' recipe at two
#: batch sizes, and with momentum (η 0.3, μ 0.9: the same effective step η/(1 − μ) = 3).
CONFIGS = (("batch_10", 10, 3.0, 0.0), ("batch_100", 100, 3.0, 0.0),
           ("batch_10_momentum", 10, 0.3, 0.9))
#: Targets (issue "performance, round two"), checked on the batch-10 rows.
TARGETS = {"speedup_vs_torch": 2.0, "speedup_vs_per_sample": 20.0, "momentum_cost": 1.15}


def nnviz_epoch(train, batch_size: int, eta: float = ETA, momentum: float = 0.0,
                seed: int = 0) -> tuple[float, Network]:
    """(training seconds, the trained network) of one nnviz epoch from Network(SIZES, seed)."""
    net = Network(SIZES, seed=seed)
    trainer = Trainer(net, train, TrainConfig(eta=eta, batch_size=batch_size, epochs=1,
                                              momentum=momentum, seed=seed))
    for _ in trainer.run():
        pass
    return trainer.result.train_seconds, net


def evaluated_accuracy(weights, biases, test) -> float:
    """Accuracy on ``test`` of a SIZES sigmoid network with these parameters, evaluated by
    nnviz's Network.evaluate (float64), the same way for every trainer."""
    net = Network(SIZES, seed=0)
    net.set_parameters(weights, biases)
    return net.evaluate(test)[1]


def run(train, test=None, repeats: int = 3, reference: bool = True, torch: bool = True,
        log=print) -> dict:
    """Measure everything; ``log`` receives one human-readable line per figure. Test accuracy
    (on ``test``, default ``train``) is that of the first repeat, after its one epoch."""
    test = train if test is None else test
    threads = blas_threads()
    out: dict = {"network": "-".join(map(str, SIZES)), "samples": len(train),
                 "test_samples": len(test), "repeats": repeats, "threads": threads,
                 "activation": "sigmoid", "cost": "quadratic", "init": "standard",
                 "dtype": "float32"}
    gflops = matmul_gflops()
    flops = epoch_flops(SIZES, len(train))
    out["matmul_gflops"] = gflops
    out["flop_bound_s"] = flops / (gflops * 1e9)
    log(f"{out['network']} sigmoid/quadratic, standard init, float32, one epoch of "
        f"{len(train)} images, test accuracy on {len(test)}; numpy's BLAS has {threads} "
        "thread(s)")
    log(f"large float32 matmul: {gflops:.1f} GFLOP/s; epoch = {flops / 1e9:.2f} GFLOP; "
        f"FLOP lower bound {out['flop_bound_s']:.3f} s/epoch")
    has_torch = torch and torch_available()
    if has_torch:
        out["torch_threads"], out["torch_thread_trial_s"] = _torch_threads(train, threads)
        log("torch trial on 2,000 images, batch 10: " + ", ".join(
            f"{n} thread(s) {t:.3f} s" for n, t in out["torch_thread_trial_s"].items())
            + f"; timed with {out['torch_threads']}")
    for key, bs, eta, mu in CONFIGS:
        row: dict = {"batch": bs, "eta": eta, "momentum": mu}
        runs = [nnviz_epoch(train, bs, eta, mu, seed) for seed in range(repeats)]
        row["nnviz_s"] = min(t for t, _ in runs)
        net = runs[0][1]
        row["nnviz_test_accuracy"] = net.evaluate(test)[1]
        what = f"batch {bs:>3}, η {eta:g}, μ {mu:g}"
        line = f"{what}: nnviz {row['nnviz_s']:.3f} s (test {row['nnviz_test_accuracy']:.2%})"
        if has_torch:
            timings = []
            for seed in range(repeats):
                start = Network(SIZES, seed=seed)  # the same initial weights as nnviz's run
                seconds, w, b = torch_epoch(train, start.weights, start.biases, bs, eta, mu,
                                            seed=seed, threads=out["torch_threads"])
                timings.append(seconds)
                if seed == 0:
                    row["torch_test_accuracy"] = evaluated_accuracy(w, b, test)
            row["torch_s"] = min(timings)
            row["speedup_vs_torch"] = row["torch_s"] / row["nnviz_s"]
            line += (f"  |  torch {row['torch_s']:.3f} s (test "
                     f"{row['torch_test_accuracy']:.2%})  →  nnviz {row['speedup_vs_torch']:.2f}x "
                     "as fast")
        log(line)
        if reference and mu == 0:
            ref = PerSampleSGD(SIZES, seed=0)
            row["per_sample_s"] = ref.epoch(train, bs, eta)
            row["per_sample_test_accuracy"] = evaluated_accuracy(
                ref.weights, [b.ravel() for b in ref.biases], test)
            row["speedup_vs_per_sample"] = row["per_sample_s"] / row["nnviz_s"]
            log(f"{what}: per-sample backprop {row['per_sample_s']:.3f} s (test "
                f"{row['per_sample_test_accuracy']:.2%})  →  nnviz "
                f"{row['speedup_vs_per_sample']:.1f}x as fast")
        row["ratio_to_flop_bound"] = row["nnviz_s"] / out["flop_bound_s"]
        log(f"{what}: nnviz / FLOP bound = {row['ratio_to_flop_bound']:.2f}")
        out[key] = row
    out["momentum_cost"] = out["batch_10_momentum"]["nnviz_s"] / out["batch_10"]["nnviz_s"]
    log(f"momentum 0.9 costs {out['momentum_cost']:.2f}x the epoch without")
    if not has_torch:
        out["torch"] = ("not installed (pip install torch==2.13.0 for the comparison)"
                        if torch else "skipped (--no-torch)")
        log("torch: " + out["torch"])
    return state(out, _targets(out))


def _torch_threads(train, threads: int) -> tuple[int, dict]:
    """The thread count torch is timed with: nnviz's (numpy's BLAS threads) or 1, whichever
    trains 2,000 images faster here (torch's OpenMP pool can be many times slower on small
    products when the cores are busy; nnviz's OpenBLAS keeps small products on one thread),
    so the comparison is with torch at its best. Also {threads: trial seconds}."""
    start = Network(SIZES, seed=0)
    trial = train.subset(slice(0, 2000))
    seconds = {}
    for n in sorted({threads, 1}, reverse=True):
        torch_epoch(trial, start.weights, start.biases, 10, ETA, threads=n)  # warm up
        seconds[n] = min(torch_epoch(trial, start.weights, start.biases, 10, ETA,
                                     threads=n)[0] for _ in range(2))
    return min(seconds, key=seconds.get), seconds


def _targets(out: dict) -> dict:
    """Each target with the measured value and whether it was met (None: not measured)."""
    row = out["batch_10"]
    measured = {"speedup_vs_torch": row.get("speedup_vs_torch"),
                "speedup_vs_per_sample": row.get("speedup_vs_per_sample"),
                "momentum_cost": out["momentum_cost"]}
    return {name: target(measured[name], limit, at_most=name == "momentum_cost")
            for name, limit in TARGETS.items()}
